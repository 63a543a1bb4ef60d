#include "client/cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/cli/enum_names.h"
#include "client/cli/money.h"
#include "client/cli/report_render.h"
#include "client/cli/time_format.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "rectify/v1/audit_service.pb.h"
#include "rectify/v1/directory_service.pb.h"
#include "rectify/v1/identity_service.pb.h"
#include "rectify/v1/inspection_service.pb.h"
#include "rectify/v1/legal_service.pb.h"
#include "rectify/v1/report_service.pb.h"
#include "rectify/v1/task_service.pb.h"
#include "rectify/v1/volunteer_service.pb.h"

namespace rectify::client::cli {
namespace {

using Kind = FlagSpec::Kind;

// Payload key that marks a status as the user's mistake.
constexpr char kUsagePayload[] = "rectifyctl/usage";
// --all fetches pages of this size unless --page-size says otherwise.
constexpr int kAllPageSize = 1000;

// ---- Flag declarations ------------------------------------------------------

FlagSpec Opt(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), Kind::kValue, std::move(value_name), std::move(help), false};
}
FlagSpec Req(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), Kind::kValue, std::move(value_name), std::move(help), true};
}
FlagSpec Switch(std::string name, std::string help) {
  return FlagSpec{std::move(name), Kind::kSwitch, "", std::move(help), false};
}
FlagSpec Many(std::string name, std::string value_name, std::string help, bool required) {
  return FlagSpec{std::move(name), Kind::kRepeated, std::move(value_name), std::move(help),
                  required};
}

FlagSpec RequestIdFlag() {
  return Opt("request-id", "ID", "idempotency key; default: a fresh random one");
}

// Appends --etag and --request-id, which every mutating command accepts.
std::vector<FlagSpec> Mutating(std::vector<FlagSpec> flags) {
  flags.push_back(Opt("etag", "ETAG", "fail with ABORTED unless the resource still has this etag"));
  flags.push_back(RequestIdFlag());
  return flags;
}
// Creates have no etag to compare.
std::vector<FlagSpec> Creating(std::vector<FlagSpec> flags) {
  flags.push_back(RequestIdFlag());
  return flags;
}

// ---- Reading arguments ------------------------------------------------------

// The lines of a file: number (from 1) and text without its line end, the
// blank ones and comments left out.
std::vector<std::pair<int, absl::string_view>> ContentLines(absl::string_view text);

// One item a content line of `text` (the file `name`), each read by `parse`;
// a usage error "<name>:<line>: …" at the first mistake.
template <typename Item>
absl::StatusOr<std::vector<Item>> ParseItemLines(absl::string_view text, absl::string_view name,
                                                 absl::StatusOr<Item> (*parse)(absl::string_view)) {
  std::vector<Item> items;
  for (const auto& [number, line] : ContentLines(text)) {
    absl::StatusOr<Item> item = parse(line);
    if (!item.ok()) {
      return UsageError(absl::StrCat(name, ":", number, ": ", item.status().message()));
    }
    items.push_back(*std::move(item));
  }
  return items;
}

const std::string& Arg(const Context& c, size_t i) { return c.invocation.args[i]; }
std::string Flag(const Context& c, absl::string_view name) { return c.invocation.flags.Get(name); }
bool Given(const Context& c, absl::string_view name) { return c.invocation.flags.Has(name); }

absl::Status FlagError(absl::string_view name, const absl::Status& status) {
  return UsageError(absl::StrCat("--", name, ": ", status.message()));
}

// The request_id to send: --request-id, or a fresh one, remembered for the
// retry hint.
std::string RequestId(Context& c) {
  c.request_id = Flag(c, "request-id");
  if (c.request_id.empty()) c.request_id = NewRequestId();
  return c.request_id;
}

template <typename E>
absl::StatusOr<std::optional<E>> EnumFlag(const Context& c, absl::string_view name) {
  if (!Given(c, name)) return std::optional<E>();
  absl::StatusOr<E> value = ParseEnum<E>(Flag(c, name));
  if (!value.ok()) return FlagError(name, value.status());
  return std::optional<E>(*value);
}

// An amount from --<yuan_flag> (yuan) or --<fen_flag> (integer fen); nullopt
// if neither is given. The spec makes them exclusive.
absl::StatusOr<std::optional<int64_t>> MoneyFlag(const Context& c, absl::string_view yuan_flag,
                                                 absl::string_view fen_flag) {
  if (Given(c, yuan_flag)) {
    absl::StatusOr<int64_t> fen = ParseYuan(Flag(c, yuan_flag));
    if (!fen.ok()) return FlagError(yuan_flag, fen.status());
    return std::optional<int64_t>(*fen);
  }
  if (Given(c, fen_flag)) {
    absl::StatusOr<int64_t> fen = ParseFen(Flag(c, fen_flag));
    if (!fen.ok()) return FlagError(fen_flag, fen.status());
    return std::optional<int64_t>(*fen);
  }
  return std::optional<int64_t>();
}

absl::StatusOr<std::optional<google::protobuf::Timestamp>> TimeFlag(const Context& c,
                                                                    absl::string_view name) {
  if (!Given(c, name)) return std::optional<google::protobuf::Timestamp>();
  absl::StatusOr<absl::Time> time = ParseTimeArg(Flag(c, name), c.display.zone);
  if (!time.ok()) return FlagError(name, time.status());
  return std::optional<google::protobuf::Timestamp>(ToProtoTimestamp(*time));
}

absl::StatusOr<std::optional<google::protobuf::Duration>> DurationFlag(const Context& c,
                                                                       absl::string_view name) {
  if (!Given(c, name)) return std::optional<google::protobuf::Duration>();
  absl::StatusOr<absl::Duration> duration = ParseDurationArg(Flag(c, name));
  if (!duration.ok()) return FlagError(name, duration.status());
  return std::optional<google::protobuf::Duration>(ToProtoDuration(*duration));
}

absl::StatusOr<std::optional<int>> IntFlag(const Context& c, absl::string_view name, int min,
                                           int max) {
  if (!Given(c, name)) return std::optional<int>();
  int value = 0;
  if (!absl::SimpleAtoi(Flag(c, name), &value) || value < min || value > max) {
    return UsageError(absl::StrCat("--", name, ": '", Flag(c, name),
                                   "' is not a whole number from ", min, " to ", max));
  }
  return std::optional<int>(value);
}

absl::Status DateFlag(const Context& c, absl::string_view name) {
  absl::Status status = CheckDateArg(Flag(c, name));
  return status.ok() ? status : FlagError(name, status);
}

// ---- Printing ---------------------------------------------------------------

absl::Status PrintJson(Context& c, const google::protobuf::Message& message) {
  RECTIFY_ASSIGN_OR_RETURN(std::string json, ToJson(message));
  c.out << json;
  if (json.empty() || json.back() != '\n') c.out << "\n";
  return absl::OkStatus();
}

// A list: `whole` as JSON, or `table` as a table or CSV.
absl::Status PrintList(Context& c, const google::protobuf::Message& whole, const Table& table) {
  switch (c.format) {
    case OutputFormat::kJson:
      return PrintJson(c, whole);
    case OutputFormat::kCsv:
      c.out << RenderCsv(table);
      return absl::OkStatus();
    case OutputFormat::kTable:
      c.out << RenderTable(table);
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// One record: `whole` as JSON, or `pairs` as key: value lines (the empty
// ones left out, for a person) or a CSV row (all of them, for a program).
absl::Status PrintRecord(Context& c, const google::protobuf::Message& whole,
                         const KeyValues& pairs) {
  switch (c.format) {
    case OutputFormat::kJson:
      return PrintJson(c, whole);
    case OutputFormat::kCsv:
      c.out << RenderCsv(RecordTable(pairs));
      return absl::OkStatus();
    case OutputFormat::kTable: {
      KeyValues shown;
      for (const auto& pair : pairs) {
        if (!pair.second.empty()) shown.push_back(pair);
      }
      c.out << RenderKeyValues(shown);
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status PrintResource(Context& c, const absl::StatusOr<T>& resource) {
  if (!resource.ok()) return resource.status();
  return PrintRecord(c, *resource, Flatten(*resource, c.display));
}

// "<noun> get ID": `get` with the ID argument; prints the resource.
template <typename Request, typename Resource>
absl::Status GetById(Context& c, absl::StatusOr<Resource> (Client::*get)(const Request&)) {
  Request request;
  request.set_id(Arg(c, 0));
  return PrintResource(c, (c.client.*get)(request));
}

// A lifecycle step: the essentials for a person (the full change in JSON).
absl::Status PrintChange(Context& c, const absl::StatusOr<v1::TaskChange>& change) {
  if (!change.ok()) return change.status();
  const v1::Task& task = change->task();
  const v1::Event& event = change->event();
  std::string state = EnumName(task.state());
  if (!event.from_state().empty() && !event.to_state().empty()) {
    auto show = [](const std::string& s) {
      absl::StatusOr<v1::TaskState> parsed = ParseEnum<v1::TaskState>(s);
      return parsed.ok() ? EnumName(*parsed) : s;
    };
    state = absl::StrCat(show(event.from_state()), " → ", show(event.to_state()));
  }
  KeyValues pairs = {
      {"task", task.id()},
      {"state", state},
      {"event", event.seq() > 0 ? absl::StrCat(event.type(), " #", event.seq()) : event.type()},
      {"etag", task.etag()}};
  if (!task.responsible_org_id().empty()) {
    pairs.emplace_back("responsible", task.responsible_person_id().empty()
                                          ? task.responsible_org_id()
                                          : absl::StrCat(task.responsible_org_id(), " / ",
                                                         task.responsible_person_id()));
  }
  if (task.has_deadline()) pairs.emplace_back("deadline", ShowTime(task.deadline(), c.display));
  pairs.emplace_back("overdue", task.overdue() ? "true" : "false");
  return PrintRecord(c, *change, pairs);
}

// ---- whoami, tokens ----------------------------------------------------------

absl::Status WhoAmI(Context& c) { return PrintResource(c, c.client.WhoAmI({})); }

absl::Status TokensIssue(Context& c) {
  v1::IssueTokenRequest request;
  request.set_request_id(RequestId(c));
  request.set_person_id(Flag(c, "person"));
  request.set_label(Flag(c, "label"));
  RECTIFY_ASSIGN_OR_RETURN(auto ttl, DurationFlag(c, "ttl"));
  if (ttl.has_value()) *request.mutable_ttl() = *ttl;
  absl::StatusOr<v1::IssueTokenResponse> response = c.client.IssueToken(request);
  if (!response.ok()) return response.status();
  if (c.format == OutputFormat::kTable) {
    c.err << "note: the token is shown only now; the server keeps only its hash.\n";
  }
  KeyValues pairs = {
      {"token", response->token()},
      {"expire_time",
       response->has_expire_time() ? ShowTime(response->expire_time(), c.display) : "never"}};
  return PrintRecord(c, *response, pairs);
}

Table TokenTable(const google::protobuf::RepeatedPtrField<v1::TokenInfo>& tokens,
                 const Display& display) {
  Table table;
  table.header = {"ID", "PERSON", "LABEL", "CREATED", "EXPIRES", "STATUS"};
  for (const v1::TokenInfo& t : tokens) {
    table.rows.push_back(
        {t.token_id(), t.person_id(), t.label(), ShowTime(t.create_time(), display),
         t.has_expire_time() ? ShowTime(t.expire_time(), display) : "never",
         t.revoked() ? "revoked" : t.expired() ? "expired" : "active"});
  }
  return table;
}

absl::Status TokensList(Context& c) {
  v1::ListTokensRequest request;
  request.set_person_id(Flag(c, "person"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ListTokensResponse response, c.client.ListTokens(request));
  return PrintList(c, response, TokenTable(response.tokens(), c.display));
}

absl::Status TokensRevoke(Context& c) {
  v1::RevokeTokenRequest request;
  request.set_request_id(RequestId(c));
  request.set_token_id(Arg(c, 0));
  return PrintResource(c, c.client.RevokeToken(request));
}

// ---- audit -------------------------------------------------------------------

absl::Status AuditList(Context& c) {
  v1::ListAuditRequest request;
  request.set_principal(Flag(c, "person"));
  request.set_method(Flag(c, "method"));
  request.set_resource(Flag(c, "resource"));
  RECTIFY_ASSIGN_OR_RETURN(auto since, TimeFlag(c, "since"));
  if (since.has_value()) *request.mutable_start_time() = *since;
  RECTIFY_ASSIGN_OR_RETURN(auto until, TimeFlag(c, "until"));
  if (until.has_value()) *request.mutable_end_time() = *until;
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  request.set_page_token(Flag(c, "page-token"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ListAuditResponse response, c.client.ListAudit(request));
  Table table;
  table.header = {"SEQ", "TIME", "PERSON", "TOKEN", "METHOD", "RESOURCE", "CODE", "MESSAGE"};
  for (const v1::AuditRecord& a : response.records()) {
    table.rows.push_back({absl::StrCat(a.seq()), ShowTime(a.time(), c.display), a.principal(),
                          a.token_id(), a.method(), a.resource(),
                          a.code() == 0 ? "OK" : absl::StrCat(a.code()), a.message()});
  }
  if (c.format == OutputFormat::kTable && !response.next_page_token().empty()) {
    c.err << "more: --page-token " << response.next_page_token() << "\n";
  }
  return PrintList(c, response, table);
}

// ---- penalties -----------------------------------------------------------------

Table PenaltyTable(const google::protobuf::RepeatedPtrField<v1::Penalty>& penalties,
                   const Display& display) {
  Table table;
  table.header = {"ID", "KIND", "STATE", "ORGANISATION", "AMOUNT", "PROPOSED BY", "TASKS", "REASON"};
  for (const v1::Penalty& p : penalties) {
    table.rows.push_back({p.id(), EnumName(p.kind()), EnumName(p.state()), p.organisation_id(),
                          p.amount_fen() > 0 ? ShowMoney(p.amount_fen(), display) : "",
                          p.proposed_by(), absl::StrJoin(p.task_ids(), ","), p.reason()});
  }
  return table;
}

absl::Status PenaltiesList(Context& c) {
  v1::ListPenaltiesRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_organisation_id(Flag(c, "org"));
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::PenaltyKind>(c, "kind"));
  if (kind.has_value()) request.set_kind(*kind);
  RECTIFY_ASSIGN_OR_RETURN(auto state, EnumFlag<v1::PenaltyState>(c, "state"));
  if (state.has_value()) request.set_state(*state);
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListPenaltiesResponse response, c.client.ListPenalties(request));
  return PrintList(c, response, PenaltyTable(response.penalties(), c.display));
}

absl::Status PenaltiesGet(Context& c) {
  v1::GetPenaltyRequest request;
  request.set_penalty_id(Arg(c, 0));
  return PrintResource(c, c.client.GetPenalty(request));
}

absl::Status PenaltiesPropose(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::PenaltyKind>(c, "kind"));
  RECTIFY_ASSIGN_OR_RETURN(auto amount, MoneyFlag(c, "amount", "amount-fen"));
  v1::ProposePenaltyRequest request;
  request.set_request_id(RequestId(c));
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_organisation_id(Flag(c, "org"));
  if (kind.has_value()) request.set_kind(*kind);
  if (amount.has_value()) request.set_amount_fen(*amount);
  request.set_reason(Flag(c, "reason"));
  for (const std::string& task : c.invocation.flags.GetAll("task")) request.add_task_ids(task);
  return PrintResource(c, c.client.ProposePenalty(request));
}

absl::Status PenaltiesIssue(Context& c) {
  v1::IssuePenaltyRequest request;
  request.set_request_id(RequestId(c));
  request.set_penalty_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  request.set_comment(Flag(c, "comment"));
  RECTIFY_ASSIGN_OR_RETURN(v1::IssuePenaltyResponse response, c.client.IssuePenalty(request));
  if (c.format != OutputFormat::kTable) return PrintResource(c, absl::StatusOr<v1::IssuePenaltyResponse>(response));
  const v1::Penalty& p = response.penalty();
  KeyValues pairs = {{"penalty", p.id()},
                     {"kind", EnumName(p.kind())},
                     {"state", EnumName(p.state())},
                     {"organisation", p.organisation_id()}};
  for (const v1::Penalty& also : response.consequent_penalties()) {
    pairs.push_back({"issued with it", absl::StrCat(also.id(), " ", EnumName(also.kind()), ": ",
                                                    also.reason())});
  }
  if (!response.cleared_community_ids().empty()) {
    pairs.push_back({"communities left without a company",
                     absl::StrJoin(response.cleared_community_ids(), ", ")});
  }
  if (!response.released_task_ids().empty()) {
    pairs.push_back({"tasks waiting for reassignment",
                     absl::StrJoin(response.released_task_ids(), ", ")});
  }
  return PrintRecord(c, response, pairs);
}

absl::Status PenaltiesDismiss(Context& c) {
  v1::DismissPenaltyRequest request;
  request.set_request_id(RequestId(c));
  request.set_penalty_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  request.set_reason(Flag(c, "reason"));
  return PrintResource(c, c.client.DismissPenalty(request));
}

absl::Status PenaltiesRevoke(Context& c) {
  v1::RevokePenaltyRequest request;
  request.set_request_id(RequestId(c));
  request.set_penalty_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  request.set_reason(Flag(c, "reason"));
  return PrintResource(c, c.client.RevokePenalty(request));
}

// ---- legal cases and hard/hot problems -----------------------------------------

// Every --evidence URI#SHA256 of the invocation.
absl::Status AddEvidence(const Context& c, google::protobuf::RepeatedPtrField<v1::Evidence>* out) {
  for (const std::string& text : c.invocation.flags.GetAll("evidence")) {
    absl::StatusOr<v1::Evidence> parsed = ParseEvidenceArg(text);
    if (!parsed.ok()) return FlagError("evidence", parsed.status());
    *out->Add() = *std::move(parsed);
  }
  return absl::OkStatus();
}

Table CaseTable(const google::protobuf::RepeatedPtrField<v1::LegalCase>& cases,
                const Display& display) {
  Table table;
  table.header = {"ID", "KIND", "STATE", "OVERDUE", "COMMUNITY", "PLACE", "OFFENDER", "DEADLINE"};
  for (const v1::LegalCase& lc : cases) {
    table.rows.push_back({lc.id(), EnumName(lc.kind()), EnumName(lc.state()),
                          lc.overdue() ? "!" : "", lc.community_id(), lc.place(), lc.offender(),
                          lc.has_deadline() ? ShowTime(lc.deadline(), display) : ""});
  }
  return table;
}

absl::Status LegalOpen(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::LegalCaseKind>(c, "kind"));
  v1::OpenCaseRequest request;
  request.set_request_id(RequestId(c));
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  if (kind.has_value()) request.set_kind(*kind);
  request.set_place(Flag(c, "place"));
  request.set_offender(Flag(c, "offender"));
  request.set_description(Flag(c, "description"));
  request.set_task_id(Flag(c, "task"));
  request.set_note(Flag(c, "note"));
  RECTIFY_RETURN_IF_ERROR(AddEvidence(c, request.mutable_evidence()));
  return PrintResource(c, c.client.OpenCase(request));
}

// One ladder step: dissuade, stop, report, escalate, resolve, acknowledge, act.
template <absl::StatusOr<v1::LegalCase> (Client::*Method)(const v1::LegalStepRequest&)>
absl::Status LegalStep(Context& c) {
  v1::LegalStepRequest request;
  request.set_request_id(RequestId(c));
  request.set_case_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  request.set_note(Flag(c, "note"));
  RECTIFY_RETURN_IF_ERROR(AddEvidence(c, request.mutable_evidence()));
  return PrintResource(c, (c.client.*Method)(request));
}

absl::Status LegalClose(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto result, EnumFlag<v1::LegalResult>(c, "result"));
  v1::CloseCaseRequest request;
  request.set_request_id(RequestId(c));
  request.set_case_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  if (result.has_value()) request.set_result(*result);
  request.set_result_text(Flag(c, "text"));
  RECTIFY_RETURN_IF_ERROR(AddEvidence(c, request.mutable_evidence()));
  return PrintResource(c, c.client.CloseCase(request));
}

absl::Status LegalGet(Context& c) {
  v1::GetCaseRequest request;
  request.set_case_id(Arg(c, 0));
  return PrintResource(c, c.client.GetCase(request));
}

absl::Status LegalList(Context& c) {
  v1::ListCasesRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  RECTIFY_ASSIGN_OR_RETURN(auto state, EnumFlag<v1::LegalCaseState>(c, "state"));
  if (state.has_value()) request.set_state(*state);
  request.set_escalated_only(c.invocation.flags.GetSwitch("escalated"));
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListCasesResponse response, c.client.ListCases(request));
  return PrintList(c, response, CaseTable(response.cases(), c.display));
}

absl::Status ProblemsReport(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::HardProblemKind>(c, "kind"));
  v1::ReportProblemRequest request;
  request.set_request_id(RequestId(c));
  request.set_campaign_id(Flag(c, "campaign"));
  if (kind.has_value()) request.set_kind(*kind);
  request.set_title(Flag(c, "title"));
  request.set_description(Flag(c, "description"));
  return PrintResource(c, c.client.ReportProblem(request));
}

absl::Status ProblemsAnswer(Context& c) {
  v1::AnswerProblemRequest request;
  request.set_request_id(RequestId(c));
  request.set_problem_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  request.set_answer(Flag(c, "answer"));
  return PrintResource(c, c.client.AnswerProblem(request));
}

absl::Status ProblemsList(Context& c) {
  v1::ListProblemsRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  RECTIFY_ASSIGN_OR_RETURN(auto state, EnumFlag<v1::HardProblemState>(c, "state"));
  if (state.has_value()) request.set_state(*state);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListProblemsResponse response, c.client.ListProblems(request));
  if (c.format != OutputFormat::kTable) return PrintResource(c, absl::StatusOr<v1::ListProblemsResponse>(response));
  Table table;
  table.header = {"ID", "KIND", "STATE", "TITLE", "REPORTED BY", "ANSWER"};
  for (const v1::HardProblem& p : response.problems()) {
    table.rows.push_back({p.id(), EnumName(p.kind()), EnumName(p.state()), p.title(),
                          p.reported_by(), p.answer()});
  }
  c.out << RenderTable(table);
  return absl::OkStatus();
}

// ---- watch -------------------------------------------------------------------

// The cursor a watcher keeps: the seq of the last event it handled. Written
// to a temporary file and renamed, so a crash leaves the old or the new one.
absl::StatusOr<int64_t> ReadCursor(const std::string& path) {
  std::ifstream in(path);
  if (!in) return 0;  // no file yet: from the beginning
  int64_t seq = 0;
  if (!(in >> seq) || seq < 0) {
    return UsageError(absl::StrCat("--cursor-file ", path, " does not hold a sequence number"));
  }
  return seq;
}

absl::Status WriteCursor(const std::string& path, int64_t seq) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << seq << "\n";
    out.flush();
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

// Follows the event feed as an integration would: from --after or the seq in
// --cursor-file, printing each event and then recording it in the cursor
// file, reconnecting with backoff when the server goes away.
absl::Status Watch(Context& c) {
  const std::string cursor_file = Flag(c, "cursor-file");
  int64_t cursor = 0;
  if (!cursor_file.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(cursor, ReadCursor(cursor_file));
  }
  if (Given(c, "after")) {
    if (!absl::SimpleAtoi(Flag(c, "after"), &cursor) || cursor < 0) {
      return UsageError("--after must be a sequence number (0 for the beginning)");
    }
  }
  const bool once = c.invocation.flags.GetSwitch("once");
  v1::SubscribeRequest request;
  for (const std::string& type : c.invocation.flags.GetAll("type")) request.add_types(type);
  request.set_follow(!once);
  absl::Duration backoff = absl::Milliseconds(200);
  while (true) {
    request.set_after_seq(cursor);
    absl::Status written;
    absl::Status status = c.client.Subscribe(request, [&](const v1::Event& e) {
      if (c.format == OutputFormat::kJson) {
        absl::StatusOr<std::string> json = ToJson(e);
        c.out << (json.ok() ? absl::StrReplaceAll(*json, {{"\n", ""}}) : "{}") << "\n";
      } else {
        c.out << EventLine(e, c.display) << "\n";
      }
      c.out.flush();
      cursor = e.seq();
      if (!cursor_file.empty()) written = WriteCursor(cursor_file, cursor);
      backoff = absl::Milliseconds(200);
      return written.ok();
    });
    if (!written.ok()) return written;
    // UNAVAILABLE: the server went away or is stopping. CANCELLED: a server
    // that was stopping dropped the call (we never cancel but by returning
    // false, which ends with OK). Both: resume from the cursor.
    const bool retry = status.code() == absl::StatusCode::kUnavailable ||
                       status.code() == absl::StatusCode::kCancelled;
    if (once || status.ok() || !retry) return status;
    c.err << "watch: " << status.message() << "; reconnecting after #" << cursor << " in "
          << absl::FormatDuration(backoff) << "\n";
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

// ---- campaigns ---------------------------------------------------------------

absl::Status CampaignsList(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(v1::ListCampaignsResponse response, c.client.ListCampaigns({}));
  return PrintList(c, response, CampaignTable(response.campaigns(), c.display));
}

absl::Status CampaignsGet(Context& c) { return GetById(c, &Client::GetCampaign); }

absl::Status CampaignsCreate(Context& c) {
  for (const char* date :
       {"self-check-start", "rectification-start", "final-assault-start", "close-date"}) {
    RECTIFY_RETURN_IF_ERROR(DateFlag(c, date));
  }
  RECTIFY_ASSIGN_OR_RETURN(auto max_extensions, IntFlag(c, "max-extensions", 0, 1000));
  v1::CreateCampaignRequest request;
  request.set_request_id(RequestId(c));
  v1::Campaign& campaign = *request.mutable_campaign();
  campaign.set_id(Flag(c, "id"));
  campaign.set_name(Flag(c, "name"));
  campaign.set_city(Flag(c, "city"));
  campaign.set_time_zone(Flag(c, "tz"));
  campaign.set_self_check_start(Flag(c, "self-check-start"));
  campaign.set_rectification_start(Flag(c, "rectification-start"));
  campaign.set_final_assault_start(Flag(c, "final-assault-start"));
  campaign.set_close_date(Flag(c, "close-date"));
  if (max_extensions.has_value()) campaign.set_max_extensions(*max_extensions);
  return PrintResource(c, c.client.CreateCampaign(request));
}

// ---- organisations -----------------------------------------------------------

absl::Status OrgsList(Context& c) {
  v1::ListOrganisationsRequest request;
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::OrgKind>(c, "kind"));
  if (kind.has_value()) request.set_kind(*kind);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListOrganisationsResponse response,
                           c.client.ListOrganisations(request));
  return PrintList(c, response, OrganisationTable(response.organisations(), c.display));
}

absl::Status OrgsGet(Context& c) { return GetById(c, &Client::GetOrganisation); }

absl::Status OrgsCreate(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::OrgKind>(c, "kind"));
  v1::CreateOrganisationRequest request;
  request.set_request_id(RequestId(c));
  v1::Organisation& org = *request.mutable_organisation();
  org.set_id(Flag(c, "id"));
  if (kind.has_value()) org.set_kind(*kind);
  org.set_name(Flag(c, "name"));
  org.set_head_person_id(Flag(c, "head"));
  org.set_street_office_id(Flag(c, "street-office"));
  return PrintResource(c, c.client.CreateOrganisation(request));
}

absl::Status OrgsSetHead(Context& c) {
  v1::UpdateOrganisationRequest request;
  request.set_request_id(RequestId(c));
  request.mutable_organisation()->set_id(Arg(c, 0));
  request.mutable_organisation()->set_etag(Flag(c, "etag"));
  request.mutable_organisation()->set_head_person_id(Flag(c, "head"));
  request.mutable_update_mask()->add_paths("head_person_id");
  return PrintResource(c, c.client.UpdateOrganisation(request));
}

// ---- people --------------------------------------------------------------------

absl::Status PeopleList(Context& c) {
  v1::ListPeopleRequest request;
  request.set_organisation_id(Flag(c, "org"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ListPeopleResponse response, c.client.ListPeople(request));
  return PrintList(c, response, PersonTable(response.people(), c.display));
}

absl::Status PeopleGet(Context& c) { return GetById(c, &Client::GetPerson); }

absl::Status PeopleCreate(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto role, EnumFlag<v1::Role>(c, "role"));
  v1::CreatePersonRequest request;
  request.set_request_id(RequestId(c));
  v1::Person& person = *request.mutable_person();
  person.set_id(Flag(c, "id"));
  person.set_name(Flag(c, "name"));
  person.set_organisation_id(Flag(c, "org"));
  if (role.has_value()) person.set_role(*role);
  person.set_phone(Flag(c, "phone"));
  return PrintResource(c, c.client.CreatePerson(request));
}

// ---- communities -----------------------------------------------------------------

absl::Status CommunitiesList(Context& c) {
  v1::ListCommunitiesRequest request;
  request.set_street_office_id(Flag(c, "street-office"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ListCommunitiesResponse response, c.client.ListCommunities(request));
  return PrintList(c, response, CommunityTable(response.communities(), c.display));
}

absl::Status CommunitiesGet(Context& c) { return GetById(c, &Client::GetCommunity); }

absl::Status CommunitiesCreate(Context& c) {
  v1::CreateCommunityRequest request;
  request.set_request_id(RequestId(c));
  v1::Community& community = *request.mutable_community();
  community.set_id(Flag(c, "id"));
  community.set_name(Flag(c, "name"));
  community.set_address(Flag(c, "address"));
  community.set_street_office_id(Flag(c, "street-office"));
  community.set_property_company_id(Flag(c, "property-company"));
  community.set_owners_committee_id(Flag(c, "committee"));
  return PrintResource(c, c.client.CreateCommunity(request));
}

// ---- tasks: reading ----------------------------------------------------------------

absl::Status TasksList(Context& c) {
  v1::ListTasksRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_street_office_id(Flag(c, "street-office"));
  request.set_community_id(Flag(c, "community"));
  request.set_responsible_org_id(Flag(c, "org"));
  request.set_category(Flag(c, "category"));
  for (const std::string& states : c.invocation.flags.GetAll("state")) {
    for (absl::string_view state : absl::StrSplit(states, ',', absl::SkipWhitespace())) {
      absl::StatusOr<v1::TaskState> parsed = ParseEnum<v1::TaskState>(state);
      if (!parsed.ok()) return FlagError("state", parsed.status());
      request.add_states(*parsed);
    }
  }
  request.set_overdue(c.invocation.flags.GetSwitch("overdue"));
  RECTIFY_ASSIGN_OR_RETURN(auto due_within, DurationFlag(c, "due-within"));
  if (due_within.has_value()) *request.mutable_due_within() = *due_within;
  request.set_order_by(Flag(c, "order-by"));
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  const bool all = c.invocation.flags.GetSwitch("all");
  if (page_size.has_value()) {
    request.set_page_size(*page_size);
  } else if (all) {
    request.set_page_size(kAllPageSize);
  }
  request.set_page_token(Flag(c, "page-token"));
  const bool first_page = request.page_token().empty();

  RECTIFY_ASSIGN_OR_RETURN(v1::ListTasksResponse response, c.client.ListTasks(request));
  while (all && !response.next_page_token().empty()) {
    if (response.next_page_token() == request.page_token()) {
      return absl::InternalError("the server returned the same page token twice");
    }
    request.set_page_token(response.next_page_token());
    RECTIFY_ASSIGN_OR_RETURN(v1::ListTasksResponse page, c.client.ListTasks(request));
    for (v1::Task& task : *page.mutable_tasks()) *response.add_tasks() = std::move(task);
    response.set_next_page_token(page.next_page_token());
    response.set_total_size(page.total_size());
  }
  RECTIFY_RETURN_IF_ERROR(PrintList(c, response, TaskTable(response.tasks(), c.display)));
  const std::string footer = PageFooter(first_page ? 1 : 0, response.tasks_size(),
                                        response.total_size(), response.next_page_token());
  if (c.format == OutputFormat::kTable) c.out << footer << "\n";
  if (c.format == OutputFormat::kCsv) c.err << footer << "\n";
  return absl::OkStatus();
}

// Every event of a task, all pages.
absl::StatusOr<v1::ListTaskEventsResponse> AllEvents(Context& c, const std::string& task_id) {
  v1::ListTaskEventsRequest request;
  request.set_task_id(task_id);
  request.set_page_size(kAllPageSize);
  v1::ListTaskEventsResponse all;
  do {
    RECTIFY_ASSIGN_OR_RETURN(v1::ListTaskEventsResponse page, c.client.ListTaskEvents(request));
    for (v1::Event& event : *page.mutable_events()) *all.add_events() = std::move(event);
    if (!page.next_page_token().empty() && page.next_page_token() == request.page_token()) {
      return absl::InternalError("the server returned the same page token twice");
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::Status TasksGet(Context& c) {
  v1::GetTaskRequest request;
  request.set_id(Arg(c, 0));
  request.set_include_history(c.invocation.flags.GetSwitch("history"));
  RECTIFY_ASSIGN_OR_RETURN(v1::Task task, c.client.GetTask(request));
  RECTIFY_RETURN_IF_ERROR(PrintRecord(c, task, Flatten(task, c.display, {"history"})));
  if (c.format == OutputFormat::kTable && request.include_history()) {
    c.out << "\nhistory:\n" << RenderTable(EventTable(task.history(), c.display));
  }
  return absl::OkStatus();
}

absl::Status TasksHistory(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(v1::ListTaskEventsResponse events, AllEvents(c, Arg(c, 0)));
  return PrintList(c, events, EventTable(events.events(), c.display));
}

// ---- tasks: writing ----------------------------------------------------------------

absl::Status TasksCreate(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto source, EnumFlag<v1::TaskSource>(c, "source"));
  RECTIFY_ASSIGN_OR_RETURN(auto payer, EnumFlag<v1::Payer>(c, "payer"));
  RECTIFY_ASSIGN_OR_RETURN(auto planned, MoneyFlag(c, "planned", "planned-fen"));
  v1::CreateTaskRequest request;
  request.set_request_id(RequestId(c));
  v1::Task& task = *request.mutable_task();
  task.set_id(Flag(c, "id"));
  task.set_campaign_id(Flag(c, "campaign"));
  task.set_community_id(Flag(c, "community"));
  task.set_category(Flag(c, "category"));
  task.set_title(Flag(c, "title"));
  task.set_description(Flag(c, "description"));
  if (source.has_value()) task.set_source(*source);
  task.set_standard_item(Flag(c, "item"));
  if (planned.has_value()) task.mutable_budget()->set_planned_fen(*planned);
  if (payer.has_value()) task.mutable_budget()->set_payer(*payer);
  return PrintResource(c, c.client.CreateTask(request));
}

// A lifecycle command ("tasks <verb> ID"): the fields every lifecycle request
// shares (task_id, etag, request_id), the command's own (`fill`, given the
// request), the call, and the change printed. Read a command's flags, which
// may be usage errors, before calling this.
template <typename Request>
using LifecycleCall = absl::StatusOr<v1::TaskChange> (Client::*)(const Request&);

template <typename Request, typename Fill>
absl::Status Lifecycle(Context& c, LifecycleCall<Request> call, Fill fill) {
  Request request;
  request.set_task_id(Arg(c, 0));
  request.set_request_id(RequestId(c));
  request.set_etag(Flag(c, "etag"));
  fill(request);
  return PrintChange(c, (c.client.*call)(request));
}

// One with no field of its own.
template <typename Request>
absl::Status Lifecycle(Context& c, LifecycleCall<Request> call) {
  return Lifecycle(c, call, [](Request&) {});
}

absl::Status TasksDispatch(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto deadline, TimeFlag(c, "deadline"));
  return Lifecycle(c, &Client::DispatchTask, [&](auto& request) {
    request.set_responsible_org_id(Flag(c, "org"));
    request.set_responsible_person_id(Flag(c, "person"));
    if (deadline.has_value()) *request.mutable_deadline() = *deadline;
    request.set_note(Flag(c, "note"));
  });
}

absl::Status TasksAck(Context& c) { return Lifecycle(c, &Client::AcknowledgeTask); }

absl::Status TasksReturn(Context& c) {
  return Lifecycle(c, &Client::ReturnTask,
                   [&](auto& request) { request.set_reason(Flag(c, "reason")); });
}

absl::Status TasksStart(Context& c) { return Lifecycle(c, &Client::StartTask); }

absl::Status TasksSubmit(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto actual, MoneyFlag(c, "actual", "actual-fen"));
  std::vector<v1::Evidence> evidence;
  for (const std::string& text : c.invocation.flags.GetAll("evidence")) {
    absl::StatusOr<v1::Evidence> parsed = ParseEvidenceArg(text);
    if (!parsed.ok()) return FlagError("evidence", parsed.status());
    evidence.push_back(*std::move(parsed));
  }
  return Lifecycle(c, &Client::SubmitTask, [&](auto& request) {
    for (v1::Evidence& e : evidence) *request.add_evidence() = std::move(e);
    if (actual.has_value()) request.set_actual_fen(*actual);
    request.set_note(Flag(c, "note"));
  });
}

absl::Status TasksVerify(Context& c) {
  return Lifecycle(c, &Client::VerifyTask,
                   [&](auto& request) { request.set_comment(Flag(c, "comment")); });
}

absl::Status TasksReject(Context& c) {
  return Lifecycle(c, &Client::RejectTask,
                   [&](auto& request) { request.set_reason(Flag(c, "reason")); });
}

absl::Status TasksSuspend(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto until, TimeFlag(c, "until"));
  return Lifecycle(c, &Client::SuspendTask, [&](auto& request) {
    request.set_reason(Flag(c, "reason"));
    if (until.has_value()) *request.mutable_until() = *until;
  });
}

absl::Status TasksResume(Context& c) { return Lifecycle(c, &Client::ResumeTask); }

absl::Status TasksVoid(Context& c) {
  return Lifecycle(c, &Client::VoidTask,
                   [&](auto& request) { request.set_reason(Flag(c, "reason")); });
}

absl::Status TasksExtend(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto until, TimeFlag(c, "until"));
  return Lifecycle(c, &Client::RequestExtension, [&](auto& request) {
    if (until.has_value()) *request.mutable_new_deadline() = *until;
    request.set_reason(Flag(c, "reason"));
  });
}

absl::Status TasksDecideExtension(Context& c) {
  return Lifecycle(c, &Client::DecideExtension, [&](auto& request) {
    request.set_approve(c.invocation.flags.GetSwitch("approve"));
    request.set_comment(Flag(c, "comment"));
  });
}

absl::Status TasksUrge(Context& c) {
  return Lifecycle(c, &Client::UrgeTask,
                   [&](auto& request) { request.set_opinion(Flag(c, "opinion")); });
}

absl::Status TasksReplyUrge(Context& c) {
  return Lifecycle(c, &Client::ReplyUrging,
                   [&](auto& request) { request.set_reply(Flag(c, "reply")); });
}

// ---- campaigns: phases, readiness ---------------------------------------------

// A phase named in an event ("RECTIFICATION", "rectification") as the CLI
// names phases; the text itself if it names none.
std::string ShowPhaseText(const std::string& text) {
  absl::StatusOr<v1::Phase> phase = ParseEnum<v1::Phase>(text);
  return phase.ok() ? EnumName(*phase) : text;
}

absl::Status CampaignsAdvance(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto to, EnumFlag<v1::Phase>(c, "to"));
  const bool force = c.invocation.flags.GetSwitch("force");
  if (force && Flag(c, "reason").empty()) {
    return UsageError("--force needs --reason: say why the gate's shortfalls are overridden");
  }
  v1::AdvancePhaseRequest request;
  request.set_campaign_id(Arg(c, 0));
  request.set_request_id(RequestId(c));
  request.set_etag(Flag(c, "etag"));
  if (to.has_value()) request.set_to_phase(*to);
  request.set_force(force);
  request.set_reason(Flag(c, "reason"));
  RECTIFY_ASSIGN_OR_RETURN(v1::AdvancePhaseResponse response, c.client.AdvancePhase(request));
  const v1::Event& event = response.event();
  std::string phase = EnumName(response.campaign().phase());
  if (!event.from_state().empty()) {
    phase = absl::StrCat(ShowPhaseText(event.from_state()), " → ", phase);
  }
  KeyValues pairs = {
      {"campaign", response.campaign().id()},
      {"phase", phase},
      {"event", event.seq() > 0 ? absl::StrCat(event.type(), " #", event.seq()) : event.type()},
      {"etag", response.campaign().etag()},
      {"forced", response.overridden().empty() ? "no" : "yes"},
      {"reason", event.reason()},
      {"overridden", absl::StrJoin(response.overridden(), "\n")}};
  return PrintRecord(c, response, pairs);
}

absl::Status CampaignsGate(Context& c) {
  v1::GetPhaseGateRequest request;
  request.set_campaign_id(Arg(c, 0));
  RECTIFY_ASSIGN_OR_RETURN(v1::GetPhaseGateResponse gate, c.client.GetPhaseGate(request));
  const bool closed = gate.next_phase() == v1::PHASE_UNSPECIFIED;
  KeyValues pairs = {{"campaign", request.campaign_id()},
                     {"phase", EnumName(gate.phase())},
                     {"next phase", closed ? "— (closed)" : EnumName(gate.next_phase())},
                     {"phase by date", EnumName(gate.phase_by_date())},
                     {"gate", gate.shortfalls().empty() ? "passes" : "blocked"},
                     {"shortfalls", absl::StrJoin(gate.shortfalls(), "\n")}};
  return PrintRecord(c, gate, pairs);
}

absl::Status CampaignsReadiness(Context& c) {
  v1::GetReadinessRequest request;
  request.set_campaign_id(Arg(c, 0));
  request.set_street_office_id(Flag(c, "street-office"));
  request.set_not_ready_only(c.invocation.flags.GetSwitch("not-ready"));
  RECTIFY_ASSIGN_OR_RETURN(v1::GetReadinessResponse response, c.client.GetReadiness(request));
  const std::string footer = ReadinessFooter(response.ready_count(), response.total_count());
  switch (c.format) {
    case OutputFormat::kJson:
      return PrintJson(c, response);
    case OutputFormat::kCsv:
      c.out << RenderCsv(ReadinessTable(response.communities(), c.display));
      c.err << footer << "\n";
      return absl::OkStatus();
    case OutputFormat::kTable:
      // Reasons are sentences: shown whole.
      c.out << RenderTable(ReadinessTable(response.communities(), c.display), 1000) << footer
            << "\n";
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// ---- standards ---------------------------------------------------------------

absl::Status StandardsList(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(v1::ListStandardsResponse response, c.client.ListStandards({}));
  return PrintList(c, response, StandardTable(response.standards(), c.display));
}

// The id of the one standard the server has loaded (in any number of
// versions); a usage error if it has several, kNotFound if none.
absl::StatusOr<std::string> OnlyStandardId(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(v1::ListStandardsResponse response, c.client.ListStandards({}));
  std::vector<std::string> ids;
  for (const v1::Standard& standard : response.standards()) {
    if (std::find(ids.begin(), ids.end(), standard.id()) == ids.end()) {
      ids.push_back(standard.id());
    }
  }
  if (ids.empty()) return absl::NotFoundError("the server has no scoring standard loaded");
  if (ids.size() > 1) {
    return UsageError(absl::StrCat("the server has ", ids.size(), " standards (",
                                   absl::StrJoin(ids, ", "), "); say which: standards show ID"));
  }
  return ids[0];
}

absl::Status StandardsShow(Context& c) {
  v1::GetStandardRequest request;
  if (!c.invocation.args.empty()) {
    request.set_id(Arg(c, 0));
  } else {
    RECTIFY_ASSIGN_OR_RETURN(std::string id, OnlyStandardId(c));
    request.set_id(id);
  }
  request.set_version(Flag(c, "version"));
  RECTIFY_ASSIGN_OR_RETURN(v1::Standard standard, c.client.GetStandard(request));
  switch (c.format) {
    case OutputFormat::kJson:
      return PrintJson(c, standard);
    case OutputFormat::kCsv:
      c.out << RenderCsv(StandardRuleTable(standard, c.display));
      return absl::OkStatus();
    case OutputFormat::kTable:
      c.out << RenderStandard(standard);
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// ---- inspections ---------------------------------------------------------------

// A file named by --<flag>, read whole; a usage error naming the flag if it
// cannot be.
absl::StatusOr<std::string> FlagFile(const Context& c, absl::string_view flag,
                                     absl::string_view what) {
  absl::StatusOr<std::string> text = common::ReadFileToString(Flag(c, flag), what);
  if (!text.ok()) return FlagError(flag, text.status());
  return text;
}

// A scored sheet: JSON as it came; otherwise with the rules' texts from the
// standard it was scored against, fetched once. Without that standard (a
// version no longer loaded), the sheet is still printed, with a warning: for
// "record" the inspection is stored by then, and the command must not look
// as if it failed.
absl::Status PrintSheet(Context& c, const v1::Inspection& inspection) {
  if (c.format == OutputFormat::kJson) return PrintJson(c, inspection);
  std::optional<v1::Standard> standard;
  if (!inspection.standard_id().empty()) {
    v1::GetStandardRequest request;
    request.set_id(inspection.standard_id());
    request.set_version(inspection.standard_version());
    absl::StatusOr<v1::Standard> got = c.client.GetStandard(request);
    if (got.ok()) {
      standard = *std::move(got);
    } else {
      c.err << "warning: cannot fetch standard "
            << StandardRef(inspection.standard_id(), inspection.standard_version()) << " ("
            << absl::StatusCodeToString(got.status().code()) << ": " << got.status().message()
            << "); the rules' texts are left out\n";
    }
  }
  const v1::Standard* rules = standard.has_value() ? &*standard : nullptr;
  if (c.format == OutputFormat::kCsv) {
    c.out << RenderCsv(DeductionTable(inspection, rules, c.display));
  } else {
    c.out << RenderInspectionSheet(inspection, rules);
  }
  return absl::OkStatus();
}

absl::Status InspectionsRecord(Context& c) {
  v1::RecordInspectionRequest request;
  v1::Inspection& sheet = *request.mutable_inspection();
  if (Given(c, "file")) {
    RECTIFY_ASSIGN_OR_RETURN(std::string text, FlagFile(c, "file", "sheet file"));
    absl::StatusOr<v1::Inspection> parsed = ParseSheetFile(text, Flag(c, "file"));
    if (!parsed.ok()) return FlagError("file", parsed.status());
    sheet = *std::move(parsed);
  }
  // Flags override the file's header; their deductions follow the file's.
  if (Given(c, "campaign")) sheet.set_campaign_id(Flag(c, "campaign"));
  if (Given(c, "community")) sheet.set_community_id(Flag(c, "community"));
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::InspectionKind>(c, "kind"));
  if (kind.has_value()) sheet.set_kind(*kind);
  if (Given(c, "date")) {
    RECTIFY_RETURN_IF_ERROR(DateFlag(c, "date"));
    sheet.set_date(Flag(c, "date"));
  }
  if (Given(c, "note")) sheet.set_note(Flag(c, "note"));
  for (const std::string& text : c.invocation.flags.GetAll("deduct")) {
    absl::StatusOr<v1::Deduction> deduction = ParseDeductionArg(text);
    if (!deduction.ok()) return FlagError("deduct", deduction.status());
    *sheet.add_deductions() = *std::move(deduction);
  }
  const std::pair<const char*, bool> required[] = {
      {"campaign", sheet.campaign_id().empty()},
      {"community", sheet.community_id().empty()},
      {"kind", sheet.kind() == v1::INSPECTION_KIND_UNSPECIFIED}};
  for (const auto& [flag, missing] : required) {
    if (missing) {
      return UsageError(absl::StrCat("missing --", flag, " (or a '", flag, "' line in --file)"));
    }
  }
  request.set_request_id(RequestId(c));
  RECTIFY_ASSIGN_OR_RETURN(v1::Inspection inspection, c.client.RecordInspection(request));
  return PrintSheet(c, inspection);
}

absl::Status InspectionsGet(Context& c) {
  v1::GetInspectionRequest request;
  request.set_id(Arg(c, 0));
  RECTIFY_ASSIGN_OR_RETURN(v1::Inspection inspection, c.client.GetInspection(request));
  return PrintSheet(c, inspection);
}

absl::Status InspectionsList(Context& c) {
  v1::ListInspectionsRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::InspectionKind>(c, "kind"));
  if (kind.has_value()) request.set_kind(*kind);
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListInspectionsResponse response, c.client.ListInspections(request));
  RECTIFY_RETURN_IF_ERROR(
      PrintList(c, response, InspectionTable(response.inspections(), c.display)));
  // The API has no page token here: a full page may mean more.
  const int asked = page_size.value_or(50);
  std::string footer = absl::StrCat("showing ", response.inspections_size(), ", newest first");
  if (response.inspections_size() >= asked && asked < 1000) {
    absl::StrAppend(&footer, " (there may be more: --page-size up to 1000)");
  }
  if (c.format == OutputFormat::kTable) c.out << footer << "\n";
  if (c.format == OutputFormat::kCsv) c.err << footer << "\n";
  return absl::OkStatus();
}

// ---- selfcheck -----------------------------------------------------------------

// The items of --file (one a line in the --item form) and then of each --item,
// each line read by `parse`.
template <typename Item>
absl::Status AddItems(const Context& c, absl::string_view what,
                      absl::StatusOr<Item> (*parse)(absl::string_view),
                      google::protobuf::RepeatedPtrField<Item>* out) {
  if (Given(c, "file")) {
    RECTIFY_ASSIGN_OR_RETURN(std::string text, FlagFile(c, "file", what));
    absl::StatusOr<std::vector<Item>> items = ParseItemLines(text, Flag(c, "file"), parse);
    if (!items.ok()) return FlagError("file", items.status());
    for (Item& item : *items) *out->Add() = std::move(item);
  }
  for (const std::string& text : c.invocation.flags.GetAll("item")) {
    absl::StatusOr<Item> item = parse(text);
    if (!item.ok()) return FlagError("item", item.status());
    *out->Add() = *std::move(item);
  }
  return absl::OkStatus();
}

KeyValues SelfCheckListPairs(const v1::SelfCheckList& list, const Display& display) {
  return {{"campaign", list.campaign_id()},
          {"community", list.community_id()},
          {"submitted_by", list.submitted_by()},
          {"submit_time", list.has_submit_time() ? ShowTime(list.submit_time(), display) : ""},
          {"tasks", list.task_ids().empty() ? "none (nothing found)"
                                            : absl::StrJoin(list.task_ids(), ", ")}};
}

absl::Status SelfCheckSubmit(Context& c) {
  v1::SubmitSelfCheckListRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  RECTIFY_RETURN_IF_ERROR(AddItems<v1::SelfCheckItem>(c, "self-check list file",
                                                      ParseSelfCheckItemArg,
                                                      request.mutable_items()));
  // A community submits its list once: an empty one must be meant.
  const bool nothing_found = c.invocation.flags.GetSwitch("nothing-found");
  if (request.items().empty() && !nothing_found) {
    return UsageError(
        "no items: give --item or --file, or --nothing-found to submit an empty list (a "
        "community submits its list only once)");
  }
  if (!request.items().empty() && nothing_found) {
    return UsageError(
        absl::StrCat("--nothing-found, but ", request.items_size(), " items were given"));
  }
  request.set_request_id(RequestId(c));
  RECTIFY_ASSIGN_OR_RETURN(v1::SubmitSelfCheckListResponse response,
                           c.client.SubmitSelfCheckList(request));
  switch (c.format) {
    case OutputFormat::kJson:
      return PrintJson(c, response);
    case OutputFormat::kCsv:
      c.out << RenderCsv(TaskTable(response.tasks(), c.display));
      return absl::OkStatus();
    case OutputFormat::kTable:
      c.out << RenderKeyValues(SelfCheckListPairs(response.list(), c.display));
      if (!response.tasks().empty()) {
        c.out << "\ntasks opened:\n" << RenderTable(TaskTable(response.tasks(), c.display));
      }
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status SelfCheckGet(Context& c) {
  v1::GetSelfCheckListRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  RECTIFY_ASSIGN_OR_RETURN(v1::SelfCheckList list, c.client.GetSelfCheckList(request));
  return PrintRecord(c, list, SelfCheckListPairs(list, c.display));
}

// ---- Reports: the supervisors' view ------------------------------------------

// Prints `doc` in --format (default: table, or csv under --output csv), or
// `whole` as JSON under --output json; to --out FILE when given.
absl::Status EmitReport(Context& c, const google::protobuf::Message& whole, const Document& doc) {
  std::string text;
  if (c.format == OutputFormat::kJson && !Given(c, "format")) {
    RECTIFY_ASSIGN_OR_RETURN(text, ToJson(whole));
    if (text.empty() || text.back() != '\n') text += "\n";
  } else {
    absl::StatusOr<ReportFormat> format = ParseReportFormat(
        Given(c, "format") ? Flag(c, "format") : (c.format == OutputFormat::kCsv ? "csv" : "table"));
    if (!format.ok()) return FlagError("format", format.status());
    text = RenderDocument(doc, *format);
  }
  if (!Given(c, "out")) {
    c.out << text;
    return absl::OkStatus();
  }
  const std::string path = Flag(c, "out");
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    return absl::FailedPreconditionError(absl::StrCat("cannot write --out file '", path, "'"));
  }
  c.err << "wrote " << path << " (" << text.size() << " bytes)\n";
  return absl::OkStatus();
}

absl::StatusOr<v1::ReportUnit> UnitFlag(const Context& c, v1::ReportUnit if_absent) {
  if (!Given(c, "unit")) return if_absent;
  const std::string u = Flag(c, "unit");
  if (u == "city") return v1::REPORT_UNIT_CITY;
  if (u == "street_office" || u == "street-office") return v1::REPORT_UNIT_STREET_OFFICE;
  if (u == "community") return v1::REPORT_UNIT_COMMUNITY;
  if (u == "property_company" || u == "property-company") return v1::REPORT_UNIT_PROPERTY_COMPANY;
  return UsageError(absl::StrCat("--unit: '", u,
                                 "' is not a unit; expected city, street_office, community or "
                                 "property_company"));
}

void FillPeriod(const Context& c, v1::ReportPeriod* period) {
  period->set_month(Flag(c, "month"));
  period->set_from(Flag(c, "from"));
  period->set_to(Flag(c, "to"));
}

absl::Status ReportsOverdue(Context& c) {
  v1::ListTasksRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_street_office_id(Flag(c, "street-office"));
  request.set_community_id(Flag(c, "community"));
  request.set_responsible_org_id(Flag(c, "org"));
  request.set_category(Flag(c, "category"));
  RECTIFY_ASSIGN_OR_RETURN(auto due_soon, DurationFlag(c, "due-soon"));
  if (due_soon.has_value()) {
    *request.mutable_due_within() = *due_soon;  // due soon: not yet overdue
  } else {
    request.set_overdue(true);
  }
  RECTIFY_ASSIGN_OR_RETURN(auto min_days, IntFlag(c, "min-days", 0, 100000));
  RECTIFY_ASSIGN_OR_RETURN(auto min_level, IntFlag(c, "min-level", 0, 1000));
  request.set_min_days_overdue(min_days.value_or(0));
  request.set_min_escalation_level(min_level.value_or(0));
  request.set_order_by("deadline");  // worst first
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  request.set_page_size(page_size.value_or(100));
  request.set_page_token(Flag(c, "page-token"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ListTasksResponse response, c.client.ListTasks(request));
  const bool soon = due_soon.has_value();
  Document doc = TasksDocument(soon ? "Due soon, soonest first" : "Overdue, worst first",
                               soon ? "即将到期任务（最紧迫在前）" : "超期任务（超期最久在前）",
                               response.tasks(), response.total_size(), absl::Now(), c.display);
  if (!response.next_page_token().empty()) {
    doc.facts.push_back({"下一页", absl::StrCat("--page-token ", response.next_page_token())});
  }
  return EmitReport(c, response, doc);
}

absl::Status ReportsMetrics(Context& c) {
  v1::GetMetricsRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ReportUnit unit, UnitFlag(c, v1::REPORT_UNIT_STREET_OFFICE));
  request.set_unit(unit);
  FillPeriod(c, request.mutable_period());
  request.set_street_office_id(Flag(c, "street-office"));
  RECTIFY_ASSIGN_OR_RETURN(v1::MetricsReport report, c.client.GetMetrics(request));
  return EmitReport(c, report, MetricsDocument(report, c.display));
}

absl::Status ReportsDrill(Context& c) {
  v1::DrillDownRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  RECTIFY_ASSIGN_OR_RETURN(v1::ReportUnit unit, UnitFlag(c, v1::REPORT_UNIT_CITY));
  request.set_unit(unit);
  request.set_unit_id(Flag(c, "unit-id"));
  FillPeriod(c, request.mutable_period());
  request.set_metric(Flag(c, "metric"));
  request.set_denominator(c.invocation.flags.GetSwitch("denominator"));
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  const bool all = c.invocation.flags.GetSwitch("all");
  request.set_page_size(page_size.value_or(all ? kAllPageSize : 50));
  request.set_page_token(Flag(c, "page-token"));
  RECTIFY_ASSIGN_OR_RETURN(v1::DrillDownResponse response, c.client.DrillDown(request));
  while (all && !response.next_page_token().empty()) {
    request.set_page_token(response.next_page_token());
    RECTIFY_ASSIGN_OR_RETURN(v1::DrillDownResponse page, c.client.DrillDown(request));
    for (v1::Task& task : *page.mutable_tasks()) *response.add_tasks() = std::move(task);
    response.set_next_page_token(page.next_page_token());
  }
  const std::string side = request.denominator() ? "denominator" : "numerator";
  Document doc = TasksDocument(
      absl::StrCat("Tasks behind ", request.metric(), " (", side, ") of ",
                   request.unit_id().empty() ? "the city" : request.unit_id()),
      absl::StrCat(request.unit_id().empty() ? "全市" : request.unit_id(), " ", request.metric(),
                   request.denominator() ? " 分母" : " 分子", "所含任务"),
      response.tasks(), response.total_size(), absl::Now(), c.display);
  if (!response.next_page_token().empty()) {
    doc.facts.push_back({"下一页", absl::StrCat("--page-token ", response.next_page_token())});
  }
  return EmitReport(c, response, doc);
}

absl::Status ReportsWeekly(Context& c) {
  v1::GetWeeklySummaryRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_week_start(Flag(c, "week"));
  request.set_street_office_id(Flag(c, "street-office"));
  RECTIFY_ASSIGN_OR_RETURN(v1::WeeklySummary summary, c.client.GetWeeklySummary(request));
  return EmitReport(c, summary, WeeklyDocument(summary));
}

absl::Status ReportsMonthly(Context& c) {
  v1::GetMonthlyBulletinRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_month(Flag(c, "month"));
  RECTIFY_ASSIGN_OR_RETURN(v1::MonthlyBulletin bulletin, c.client.GetMonthlyBulletin(request));
  return EmitReport(c, bulletin, BulletinDocument(bulletin, c.display));
}

// ---- volunteers and their supervision reports ----------------------------------

Table AssignmentTable(const google::protobuf::RepeatedPtrField<v1::VolunteerAssignment>& list,
                      const Display& display) {
  Table table;
  table.header = {"ID", "VOLUNTEER", "COMMUNITY", "CAMPAIGN", "ASSIGNED", "BY", "ENDED"};
  for (const v1::VolunteerAssignment& a : list) {
    table.rows.push_back({a.id(), a.volunteer_id(), a.community_id(), a.campaign_id(),
                          a.has_assign_time() ? ShowTime(a.assign_time(), display) : "",
                          a.assigned_by(),
                          a.active() ? "" : (a.has_end_time() ? ShowTime(a.end_time(), display)
                                                              : "yes")});
  }
  return table;
}

Table ReportTable(const google::protobuf::RepeatedPtrField<v1::SupervisionReport>& list,
                  const Display& display) {
  Table table;
  table.header = {"ID", "KIND", "TASK", "COMMUNITY", "VOLUNTEER", "FINDING", "TIME", "NOTE"};
  for (const v1::SupervisionReport& r : list) {
    table.rows.push_back({r.id(), EnumName(r.kind()), r.task_id(), r.community_id(),
                          r.volunteer_id(),
                          r.finding() == v1::ON_SITE_FINDING_UNSPECIFIED ? ""
                                                                         : EnumName(r.finding()),
                          r.has_time() ? ShowTime(r.time(), display) : "", r.note()});
  }
  return table;
}

absl::Status VolunteersAssign(Context& c) {
  v1::AssignVolunteerRequest request;
  request.set_request_id(RequestId(c));
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_volunteer_id(Flag(c, "volunteer"));
  request.set_community_id(Flag(c, "community"));
  return PrintResource(c, c.client.AssignVolunteer(request));
}

absl::Status VolunteersEnd(Context& c) {
  v1::EndAssignmentRequest request;
  request.set_request_id(RequestId(c));
  request.set_assignment_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  return PrintResource(c, c.client.EndAssignment(request));
}

absl::Status VolunteersList(Context& c) {
  v1::ListAssignmentsRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_volunteer_id(Flag(c, "volunteer"));
  request.set_community_id(Flag(c, "community"));
  request.set_street_office_id(Flag(c, "street-office"));
  request.set_active_only(c.invocation.flags.GetSwitch("active"));
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListAssignmentsResponse response,
                           c.client.ListAssignments(request));
  return PrintList(c, response, AssignmentTable(response.assignments(), c.display));
}

absl::Status VolunteersReport(Context& c) {
  v1::ReportSupervisionProblemRequest request;
  request.set_request_id(RequestId(c));
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  request.set_category(Flag(c, "category"));
  request.set_title(Flag(c, "title"));
  request.set_description(Flag(c, "description"));
  request.set_standard_item(Flag(c, "item"));
  RECTIFY_RETURN_IF_ERROR(AddEvidence(c, request.mutable_evidence()));
  RECTIFY_ASSIGN_OR_RETURN(v1::ReportSupervisionProblemResponse response,
                           c.client.ReportProblem(request));
  const KeyValues pairs = {{"report", response.report().id()},
                           {"task", response.task().id()},
                           {"state", EnumName(response.task().state())},
                           {"source", EnumName(response.task().source())},
                           {"community", response.task().community_id()},
                           {"title", response.task().title()},
                           {"evidence", absl::StrCat(response.report().evidence_size())}};
  return PrintRecord(c, response, pairs);
}

absl::Status VolunteersCheck(Context& c) {
  RECTIFY_ASSIGN_OR_RETURN(auto finding, EnumFlag<v1::OnSiteFinding>(c, "finding"));
  v1::RecordOnSiteCheckRequest request;
  request.set_request_id(RequestId(c));
  request.set_task_id(Arg(c, 0));
  if (finding.has_value()) request.set_finding(*finding);
  request.set_note(Flag(c, "note"));
  RECTIFY_RETURN_IF_ERROR(AddEvidence(c, request.mutable_evidence()));
  return PrintResource(c, c.client.RecordOnSiteCheck(request));
}

absl::Status VolunteersReports(Context& c) {
  v1::ListSupervisionReportsRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_task_id(Flag(c, "task"));
  request.set_community_id(Flag(c, "community"));
  request.set_volunteer_id(Flag(c, "volunteer"));
  RECTIFY_ASSIGN_OR_RETURN(auto kind, EnumFlag<v1::SupervisionReportKind>(c, "kind"));
  if (kind.has_value()) request.set_kind(*kind);
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListSupervisionReportsResponse response,
                           c.client.ListSupervisionReports(request));
  return PrintList(c, response, ReportTable(response.reports(), c.display));
}

// ---- responsibility letters, work plans and budgets -----------------------------

absl::Status LettersDraft(Context& c) {
  v1::DraftLetterRequest request;
  request.set_request_id(RequestId(c));
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  for (const std::string& text : c.invocation.flags.GetAll("indicator")) {
    request.add_indicators(text);
  }
  request.set_responsibilities(Flag(c, "responsibilities"));
  RECTIFY_RETURN_IF_ERROR(DateFlag(c, "from"));
  RECTIFY_RETURN_IF_ERROR(DateFlag(c, "to"));
  request.set_term_start(Flag(c, "from"));
  request.set_term_end(Flag(c, "to"));
  return PrintResource(c, c.client.DraftLetter(request));
}

absl::Status LettersSign(Context& c) {
  v1::SignLetterRequest request;
  request.set_request_id(RequestId(c));
  request.set_letter_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  return PrintResource(c, c.client.SignLetter(request));
}

absl::Status LettersGet(Context& c) {
  v1::GetLetterRequest request;
  request.set_letter_id(Arg(c, 0));
  return PrintResource(c, c.client.GetLetter(request));
}

absl::Status LettersList(Context& c) {
  v1::ListLettersRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_community_id(Flag(c, "community"));
  RECTIFY_ASSIGN_OR_RETURN(auto state, EnumFlag<v1::LetterState>(c, "state"));
  if (state.has_value()) request.set_state(*state);
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListLettersResponse response, c.client.ListLetters(request));
  Table table;
  table.header = {"ID", "COMMUNITY", "STATE", "TERM", "SIGNED BY", "WAITING FOR"};
  for (const v1::ResponsibilityLetter& l : response.letters()) {
    std::vector<std::string> signed_by;
    for (const v1::LetterSignature& s : l.signatures()) signed_by.push_back(s.organisation_id());
    table.rows.push_back({l.id(), l.community_id(), EnumName(l.state()),
                          absl::StrCat(l.term_start(), " – ", l.term_end()),
                          absl::StrJoin(signed_by, ", "),
                          absl::StrJoin(l.missing_organisation_ids(), ", ")});
  }
  return PrintList(c, response, table);
}

Table PlanItemTable(const google::protobuf::RepeatedPtrField<v1::PlanItem>& items,
                    const Display& display) {
  Table table;
  table.header = {"#", "DESCRIPTION", "PERSON", "COST", "PAYER", "TASK"};
  int n = 0;
  for (const v1::PlanItem& item : items) {
    table.rows.push_back({absl::StrCat(++n), item.description(), item.person_id(),
                          ShowMoney(item.cost_fen(), display), EnumName(item.payer()),
                          item.task_id()});
  }
  return table;
}

// A plan for a person: its state, the working items, and each revision with
// the centre's answer; JSON or CSV (the items) for a program.
absl::Status PrintPlan(Context& c, const absl::StatusOr<v1::WorkPlan>& plan) {
  if (!plan.ok()) return plan.status();
  if (c.format == OutputFormat::kJson) return PrintJson(c, *plan);
  const Table items = PlanItemTable(plan->items(), c.display);
  if (c.format == OutputFormat::kCsv) {
    c.out << RenderCsv(items);
    return absl::OkStatus();
  }
  int64_t total = 0;
  for (const v1::PlanItem& item : plan->items()) total += item.cost_fen();
  c.out << RenderKeyValues({{"plan", plan->id()},
                            {"campaign", plan->campaign_id()},
                            {"street_office", plan->street_office_id()},
                            {"state", EnumName(plan->state())},
                            {"total", ShowMoney(total, c.display)},
                            {"etag", plan->etag()}})
        << RenderTable(items);
  for (const v1::PlanRevision& r : plan->revisions()) {
    c.out << "revision " << r.number() << ": submitted by " << r.submitted_by() << " at "
          << ShowTime(r.submit_time(), c.display) << ", " << r.items_size() << " items";
    if (r.decision() != v1::PLAN_STATE_SUBMITTED) {
      c.out << "; " << EnumName(r.decision()) << " by " << r.decided_by() << " at "
            << ShowTime(r.decide_time(), c.display);
      if (!r.comments().empty()) c.out << ": 「" << r.comments() << "」";
    } else {
      c.out << "; awaiting the centre";
    }
    c.out << "\n";
  }
  return absl::OkStatus();
}

absl::Status PlansSave(Context& c) {
  v1::SavePlanDraftRequest request;
  request.set_request_id(RequestId(c));
  request.set_plan_id(Flag(c, "plan"));
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_street_office_id(Flag(c, "office"));
  request.set_etag(Flag(c, "etag"));
  RECTIFY_RETURN_IF_ERROR(AddItems<v1::PlanItem>(c, "work plan file", ParsePlanItemArg,
                                                 request.mutable_items()));
  if (request.items().empty()) return UsageError("no items: give --item or --file");
  return PrintPlan(c, c.client.SavePlanDraft(request));
}

absl::Status PlansSubmit(Context& c) {
  v1::SubmitPlanRequest request;
  request.set_request_id(RequestId(c));
  request.set_plan_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  return PrintPlan(c, c.client.SubmitPlan(request));
}

template <absl::StatusOr<v1::WorkPlan> (Client::*Method)(const v1::DecidePlanRequest&)>
absl::Status PlansDecide(Context& c) {
  v1::DecidePlanRequest request;
  request.set_request_id(RequestId(c));
  request.set_plan_id(Arg(c, 0));
  request.set_etag(Flag(c, "etag"));
  request.set_comments(Flag(c, "comments"));
  return PrintPlan(c, (c.client.*Method)(request));
}

absl::Status PlansGet(Context& c) {
  v1::GetPlanRequest request;
  request.set_plan_id(Arg(c, 0));
  return PrintPlan(c, c.client.GetPlan(request));
}

absl::Status PlansList(Context& c) {
  v1::ListPlansRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_street_office_id(Flag(c, "office"));
  RECTIFY_ASSIGN_OR_RETURN(auto state, EnumFlag<v1::PlanState>(c, "state"));
  if (state.has_value()) request.set_state(*state);
  RECTIFY_ASSIGN_OR_RETURN(auto page_size, IntFlag(c, "page-size", 1, 1000));
  if (page_size.has_value()) request.set_page_size(*page_size);
  RECTIFY_ASSIGN_OR_RETURN(v1::ListPlansResponse response, c.client.ListPlans(request));
  Table table;
  table.header = {"ID", "CAMPAIGN", "STREET OFFICE", "STATE", "ITEMS", "TOTAL", "REVISIONS"};
  for (const v1::WorkPlan& p : response.plans()) {
    int64_t total = 0;
    for (const v1::PlanItem& item : p.items()) total += item.cost_fen();
    table.rows.push_back({p.id(), p.campaign_id(), p.street_office_id(), EnumName(p.state()),
                          absl::StrCat(p.items_size()), ShowMoney(total, c.display),
                          absl::StrCat(p.revisions_size())});
  }
  return PrintList(c, response, table);
}

absl::Status Budget(Context& c) {
  v1::GetBudgetRequest request;
  request.set_campaign_id(Flag(c, "campaign"));
  request.set_street_office_id(Flag(c, "office"));
  RECTIFY_ASSIGN_OR_RETURN(v1::PlanBudget budget, c.client.GetBudget(request));
  Table table;
  table.header = {"PAYER", "PLANNED", "APPROVED", "ACTUAL"};
  int64_t planned = 0, approved = 0, actual = 0;
  for (const v1::PayerBudget& p : budget.payers()) {
    table.rows.push_back({EnumName(p.payer()), ShowMoney(p.planned_fen(), c.display),
                          ShowMoney(p.approved_fen(), c.display),
                          ShowMoney(p.actual_fen(), c.display)});
    planned += p.planned_fen();
    approved += p.approved_fen();
    actual += p.actual_fen();
  }
  table.rows.push_back({"total", ShowMoney(planned, c.display), ShowMoney(approved, c.display),
                        ShowMoney(actual, c.display)});
  if (c.format == OutputFormat::kTable) {
    c.out << "budget of " << budget.street_office_id() << " in " << budget.campaign_id() << ": "
          << (budget.plan_id().empty()
                  ? std::string("no work plan yet")
                  : absl::StrCat("plan ", budget.plan_id(), " (", EnumName(budget.plan_state()),
                                 ")"))
          << "\n";
  }
  return PrintList(c, budget, table);
}

// ---- The table ---------------------------------------------------------------

std::vector<Command> BuildCommands() {
  const std::string time_help =
      "RFC 3339 (2024-05-10T18:00:00+08:00), or 2024-05-10T18:00 in the --tz zone";
  std::vector<Command> commands;
  auto add = [&](std::string noun, std::string verb, std::vector<std::string> positionals,
                 std::vector<FlagSpec> flags, std::string summary, Handler run,
                 std::vector<std::vector<std::string>> at_most_one = {},
                 std::vector<std::vector<std::string>> exactly_one = {}) {
    CommandSpec spec;
    spec.noun = std::move(noun);
    spec.verb = std::move(verb);
    spec.positionals = std::move(positionals);
    spec.flags = std::move(flags);
    spec.summary = std::move(summary);
    spec.at_most_one = std::move(at_most_one);
    spec.exactly_one = std::move(exactly_one);
    commands.push_back(Command{std::move(spec), run});
  };
  const std::vector<std::string> id = {"ID"};

  add("whoami", "", {}, {}, "show the caller's person and organisation", WhoAmI);

  add("campaigns", "list", {}, {}, "list campaigns", CampaignsList);
  add("campaigns", "get", id, {}, "show one campaign", CampaignsGet);
  add("campaigns", "create", {},
      Creating({Req("name", "NAME", "e.g. 2024年度老旧小区环境整治"), Req("city", "CITY", ""),
                Req("tz", "ZONE", "the campaign's IANA time zone, e.g. Asia/Shanghai"),
                Req("self-check-start", "DATE", "YYYY-MM-DD"),
                Req("rectification-start", "DATE", "YYYY-MM-DD"),
                Req("final-assault-start", "DATE", "YYYY-MM-DD"),
                Req("close-date", "DATE", "YYYY-MM-DD; the final assault ends the day before"),
                Opt("max-extensions", "N", "granted extensions allowed per task"),
                Opt("id", "ID", "default: chosen by the server")}),
      "create a campaign (整治方案)", CampaignsCreate);
  add("campaigns", "advance", id,
      Mutating({Opt("to", "PHASE",
                    "the phase expected next, a guard against advancing twice: " +
                        EnumChoices<v1::Phase>()),
                Switch("force", "advance although the gate has shortfalls (needs --reason)"),
                Opt("reason", "TEXT", "recorded with the change; required with --force")}),
      "move to the next phase (supervisors); the gate must pass unless forced", CampaignsAdvance);
  add("campaigns", "gate", id, {}, "what leaving the current phase still needs", CampaignsGate);
  add("campaigns", "readiness", id,
      {Opt("street-office", "ORG", "only this street office's communities"),
       Switch("not-ready", "only the communities not ready")},
      "which communities are ready for the final evaluation, and why not", CampaignsReadiness);

  add("orgs", "list", {}, {Opt("kind", "KIND", EnumChoices<v1::OrgKind>())},
      "list organisations, optionally of one kind", OrgsList);
  add("orgs", "get", id, {}, "show one organisation", OrgsGet);
  add("orgs", "create", {},
      Creating({Req("kind", "KIND", EnumChoices<v1::OrgKind>()), Req("name", "NAME", ""),
                Opt("head", "PERSON", "the accountable head (一把手)"),
                Opt("street-office", "ORG", "for committees and volunteer teams"),
                Opt("id", "ID", "default: chosen by the server")}),
      "create an organisation", OrgsCreate);
  add("orgs", "set-head", id, Mutating({Req("head", "PERSON", "the new accountable head")}),
      "change an organisation's head", OrgsSetHead);

  add("people", "list", {}, {Opt("org", "ORG", "only this organisation's people")}, "list people",
      PeopleList);
  add("people", "get", id, {}, "show one person", PeopleGet);
  add("people", "create", {},
      Creating({Req("name", "NAME", ""), Req("org", "ORG", "their organisation"),
                Req("role", "ROLE", EnumChoices<v1::Role>()), Opt("phone", "PHONE", ""),
                Opt("id", "ID", "default: chosen by the server")}),
      "create a person", PeopleCreate);

  add("communities", "list", {}, {Opt("street-office", "ORG", "only this street office's")},
      "list communities", CommunitiesList);
  add("communities", "get", id, {}, "show one community", CommunitiesGet);
  add("communities", "create", {},
      Creating({Req("name", "NAME", ""), Req("street-office", "ORG", ""),
                Opt("property-company", "ORG", ""), Opt("committee", "ORG", "owners' committee"),
                Opt("address", "ADDRESS", ""), Opt("id", "ID", "default: chosen by the server")}),
      "create a community", CommunitiesCreate);

  add("tasks", "list", {},
      {Opt("campaign", "ID", ""), Opt("street-office", "ORG", ""), Opt("community", "ID", ""),
       Opt("org", "ORG", "responsible organisation"),
       Many("state", "STATES", "any of, comma-separated: " + EnumChoices<v1::TaskState>(), false),
       Opt("category", "CATEGORY", ""), Switch("overdue", "only overdue tasks"),
       Opt("due-within", "DURATION", "only tasks due within this from now, e.g. 48h"),
       Opt("order-by", "ORDER",
           "create_time (default), create_time desc, deadline, deadline desc, update_time desc"),
       Opt("page-size", "N", "1 to 1000; default 50 (1000 with --all)"),
       Opt("page-token", "TOKEN", "continue from a previous page"),
       Switch("all", "follow every page")},
      "list tasks, a page at a time", TasksList);
  add("tasks", "get", id, {Switch("history", "also show every recorded event")}, "show one task",
      TasksGet);
  add("tasks", "history", id, {}, "list a task's recorded events", TasksHistory);
  add("tasks", "create", {},
      Creating({Req("campaign", "ID", ""), Req("community", "ID", ""),
                Req("category", "CATEGORY", "a service-level category, e.g. sanitation"),
                Req("title", "TITLE", ""), Opt("description", "TEXT", ""),
                Opt("source", "SOURCE", EnumChoices<v1::TaskSource>()),
                Opt("item", "ITEM", "the standard item it fixes, e.g. 2.1"),
                Opt("planned", "YUAN", "planned cost in yuan, e.g. 1234.50"),
                Opt("planned-fen", "FEN", "planned cost in integer fen, e.g. 123450"),
                Opt("payer", "PAYER", EnumChoices<v1::Payer>()),
                Opt("id", "ID", "default: chosen by the server")}),
      "create a task (立案)", TasksCreate, {{"planned", "planned-fen"}});

  add("tasks", "dispatch", id,
      Mutating({Req("org", "ORG", "responsible organisation, 责任主体"),
                Opt("person", "PERSON", "responsible person; default: the organisation's head"),
                Opt("deadline", "TIME", "overrides the service level's; " + time_help),
                Opt("note", "TEXT", "")}),
      "dispatch to a responsible organisation (派遣)", TasksDispatch);
  add("tasks", "ack", id, Mutating({}), "acknowledge a dispatched task (签收)", TasksAck);
  add("tasks", "return", id, Mutating({Req("reason", "TEXT", "why it is not yours")}),
      "return to the dispatcher (回退)", TasksReturn);
  add("tasks", "start", id, Mutating({}), "start work on an accepted task", TasksStart);
  add("tasks", "submit", id,
      Mutating({Many("evidence", "URI#SHA256", "a photo or document and its content hash", true),
                Opt("actual", "YUAN", "actual cost in yuan"),
                Opt("actual-fen", "FEN", "actual cost in integer fen"), Opt("note", "TEXT", "")}),
      "submit the work for verification", TasksSubmit, {{"actual", "actual-fen"}});
  add("tasks", "verify", id, Mutating({Opt("comment", "TEXT", "")}),
      "verification passed: close the task (核查 → 结案)", TasksVerify);
  add("tasks", "reject", id, Mutating({Req("reason", "TEXT", "what is still wrong")}),
      "send back for rework (返工)", TasksReject);
  add("tasks", "suspend", id,
      Mutating(
          {Req("reason", "TEXT", ""), Opt("until", "TIME", "expected resumption; " + time_help)}),
      "suspend, pausing the clock (挂账)", TasksSuspend);
  add("tasks", "resume", id, Mutating({}), "resume a suspended task", TasksResume);
  add("tasks", "void", id, Mutating({Req("reason", "TEXT", "duplicate, not a problem, not ours")}),
      "void the task (作废)", TasksVoid);
  add("tasks", "extend", id,
      Mutating({Req("until", "TIME", "the requested deadline; " + time_help),
                Req("reason", "TEXT", "")}),
      "request an extension (延期申请)", TasksExtend);
  add("tasks", "decide-extension", id,
      Mutating({Switch("approve", "grant the pending extension"),
                Switch("deny", "refuse the pending extension"), Opt("comment", "TEXT", "")}),
      "approve or deny the pending extension", TasksDecideExtension, {}, {{"approve", "deny"}});
  add("tasks", "urge", id, Mutating({Req("opinion", "TEXT", "")}), "send an urging notice (督办)",
      TasksUrge);
  add("tasks", "reply-urge", id, Mutating({Req("reply", "TEXT", "")}),
      "reply to the latest urging notice", TasksReplyUrge);

  add("standards", "list", {}, {}, "list the scoring standards loaded", StandardsList);
  add("standards", "show", {}, {Opt("version", "VERSION", "default: the newest loaded")},
      "show a standard as an inspector reads it (csv: one row per rule); ID: default the only "
      "one loaded",
      StandardsShow);
  commands.back().spec.optional_positionals = {"ID"};

  const std::string kinds = EnumChoices<v1::InspectionKind>();
  add("inspections", "record", {},
      Creating({Opt("campaign", "ID", "required unless --file names it"),
                Opt("community", "ID", "required unless --file names it"),
                Opt("kind", "KIND", kinds + "; required unless --file names it"),
                Opt("date", "DATE", "YYYY-MM-DD; default: today in the campaign's time zone"),
                Many("deduct", "RULE[xCOUNT][!][:NOTE]",
                     "a deduction: 2.2bx2!:3号楼东侧 is rule 2.2b, 2 cases, '!' opens a task, "
                     "then the note",
                     false),
                Opt("note", "TEXT", ""),
                Opt("file", "SHEET",
                    "a sheet file: '#' comments, header lines 'campaign C', 'community M', "
                    "'kind K', 'date D', 'note …', then a deduction a line: 'RULE [COUNT] "
                    "[open] [NOTE…]'; flags override its header, --deduct adds to its lines")}),
      "score a community against the standard (检查) and print the scored sheet",
      InspectionsRecord);
  add("inspections", "get", id, {},
      "show a scored sheet, compared with the one before (csv: one row per deduction)",
      InspectionsGet);
  add("inspections", "list", {},
      {Opt("campaign", "ID", ""), Opt("community", "ID", ""), Opt("kind", "KIND", kinds),
       Opt("page-size", "N", "1 to 1000; default 50")},
      "list inspections, newest first", InspectionsList);

  add("selfcheck", "submit", {},
      Creating({Req("campaign", "ID", ""), Req("community", "ID", ""),
                Many("item", "CATEGORY|TITLE[|PLANNED_YUAN[|STANDARD_ITEM]]",
                     "a problem found, e.g. 'sanitation|3号楼垃圾箱破损|800|2.2'", false),
                Opt("file", "FILE", "one item a line in the --item form; '#' comments"),
                Switch("nothing-found", "submit an empty list: nothing to rectify")}),
      "submit a community's self-check list (整治清单), opening a task per item", SelfCheckSubmit);
  add("selfcheck", "get", {}, {Req("campaign", "ID", ""), Req("community", "ID", "")},
      "show a community's self-check list", SelfCheckGet);

  add("penalties", "list", {},
      {Opt("campaign", "ID", ""), Opt("org", "ORG", "the organisation penalised"),
       Opt("kind", "KIND", EnumChoices<v1::PenaltyKind>()),
       Opt("state", "STATE", EnumChoices<v1::PenaltyState>()),
       Opt("page-size", "N", "1..1000, newest first")},
      "list penalties (追究责任)", PenaltiesList);
  add("penalties", "get", id, {}, "show one penalty", PenaltiesGet);
  add("penalties", "propose", {},
      Creating({Req("campaign", "ID", ""), Req("org", "ORG", "the organisation to penalise"),
                Req("kind", "KIND", EnumChoices<v1::PenaltyKind>()),
                Opt("amount", "YUAN", "a fine, in yuan (e.g. 2000 or 1999.50)"),
                Opt("amount-fen", "FEN", "a fine, in fen"),
                Req("reason", "TEXT", "why, for the record"),
                Many("task", "TASK", "a task the failure concerns", false)}),
      "propose a penalty (supervisors; street officers in their communities)", PenaltiesPropose,
      {{"amount", "amount-fen"}});
  add("penalties", "issue", id, Mutating({Opt("comment", "TEXT", "")}),
      "issue a proposed penalty (supervisors)", PenaltiesIssue);
  add("penalties", "dismiss", id, Mutating({Req("reason", "TEXT", "")}),
      "dismiss a proposed penalty (supervisors)", PenaltiesDismiss);
  add("penalties", "revoke", id, Mutating({Req("reason", "TEXT", "")}),
      "revoke an issued penalty (supervisors)", PenaltiesRevoke);

  const FlagSpec evidence = Many("evidence", "URI#SHA256", "a photo or document and its hash", false);
  add("legal", "open", {},
      Creating({Req("campaign", "ID", ""), Req("community", "ID", ""),
                Req("kind", "KIND", EnumChoices<v1::LegalCaseKind>()),
                Req("place", "TEXT", "where, e.g. 12号楼前"), Req("offender", "TEXT", "who"),
                Opt("description", "TEXT", ""), Opt("task", "TASK", "a linked task"),
                Opt("note", "TEXT", "the notice (通知) given"), evidence}),
      "open a legal case (涉法问题) with its notice (通知)", LegalOpen);
  const std::vector<FlagSpec> step = Mutating({Opt("note", "TEXT", "what was done or said"), evidence});
  add("legal", "dissuade", id, step, "record dissuasion (劝阻)", LegalStep<&Client::DissuadeCase>);
  add("legal", "stop", id, step, "record stopping it (制止)", LegalStep<&Client::StopCase>);
  add("legal", "report", id, step, "report it to the street office (上报)",
      LegalStep<&Client::ReportCase>);
  add("legal", "escalate", id, step,
      "the offender refuses: escalate to the enforcement bureau (street office; --note the refusal)",
      LegalStep<&Client::EscalateCase>);
  add("legal", "resolve", id, step, "the offender complied: close before escalation",
      LegalStep<&Client::ResolveCase>);
  add("legal", "acknowledge", id, step, "the bureau takes the case",
      LegalStep<&Client::AcknowledgeCase>);
  add("legal", "act", id, step, "record one of the bureau's actions (--note required)",
      LegalStep<&Client::RecordBureauAction>);
  add("legal", "close", id,
      Mutating({Req("result", "RESULT", EnumChoices<v1::LegalResult>()),
                Req("text", "TEXT", "the result, in words"), evidence}),
      "the bureau closes the case with its result", LegalClose);
  add("legal", "get", id, {}, "show one case with its steps", LegalGet);
  add("legal", "list", {},
      {Opt("campaign", "ID", ""), Opt("community", "ID", ""),
       Opt("state", "STATE", EnumChoices<v1::LegalCaseState>()),
       Switch("escalated", "only cases escalated to the enforcement bureau"),
       Opt("page-size", "N", "1..1000, newest first")},
      "list legal cases", LegalList);

  add("problems", "report", {},
      Creating({Req("campaign", "ID", ""), Req("kind", "KIND", EnumChoices<v1::HardProblemKind>()),
                Req("title", "TEXT", ""), Opt("description", "TEXT", "")}),
      "report a hard or hot problem (难点、热点问题) to the city office", ProblemsReport);
  add("problems", "answer", id, Mutating({Req("answer", "TEXT", "")}),
      "answer a reported problem (city office)", ProblemsAnswer);
  add("problems", "list", {},
      {Opt("campaign", "ID", ""), Opt("state", "STATE", EnumChoices<v1::HardProblemState>())},
      "list hard and hot problems", ProblemsList);

  add("letters", "draft", {},
      Creating({Req("campaign", "ID", ""), Req("community", "ID", ""),
                Many("indicator", "TEXT", "an indicator (指标), e.g. '垃圾日产日清'", true),
                Req("responsibilities", "TEXT", "what each party answers for (责任)"),
                Req("from", "DATE", "the term's first day, YYYY-MM-DD"),
                Req("to", "DATE", "the term's last day, YYYY-MM-DD")}),
      "draft a community's responsibility letter (责任书); its parties sign it", LettersDraft);
  add("letters", "sign", id, Mutating({}),
      "sign a letter for the caller's organisation; the last party makes it signed", LettersSign);
  add("letters", "get", id, {}, "show one letter with its signatures", LettersGet);
  add("letters", "list", {},
      {Opt("campaign", "ID", ""), Opt("community", "ID", ""),
       Opt("state", "STATE", EnumChoices<v1::LetterState>()),
       Opt("page-size", "N", "1..1000, newest first")},
      "list responsibility letters", LettersList);

  const FlagSpec plan_item = Many("item", "DESCRIPTION|PERSON|YUAN|PAYER[|TASK]",
                                  "a line of the plan, e.g. '更换3号楼垃圾箱|zhang-wei|800|"
                                  "property_company|T-3'",
                                  false);
  add("plans", "save", {},
      Mutating({Opt("plan", "ID", "the plan to replace the items of; default: create one"),
                Opt("campaign", "ID", "to create"),
                Opt("office", "ORG", "to create; default: the caller's street office"), plan_item,
                Opt("file", "FILE", "one item a line in the --item form; '#' comments")}),
      "save a street office's work plan and budget draft (工作方案/经费预算)", PlansSave);
  add("plans", "submit", id, Mutating({}),
      "submit the plan's items to the property-management centre as a new revision", PlansSubmit);
  add("plans", "approve", id, Mutating({Opt("comments", "TEXT", "")}),
      "approve the submitted revision (centre staff)", PlansDecide<&Client::ApprovePlan>);
  add("plans", "return", id, Mutating({Req("comments", "TEXT", "what to change")}),
      "return the submitted revision with comments (centre staff)",
      PlansDecide<&Client::ReturnPlan>);
  add("plans", "get", id, {}, "show a plan, its items and every revision", PlansGet);
  add("plans", "list", {},
      {Opt("campaign", "ID", ""), Opt("office", "ORG", ""),
       Opt("state", "STATE", EnumChoices<v1::PlanState>()),
       Opt("page-size", "N", "1..1000, newest first")},
      "list work plans", PlansList);
  add("budget", "", {}, {Req("campaign", "ID", ""), Req("office", "ORG", "the street office")},
      "a street office's budget by payer: planned, approved, actual (from tasks)", Budget);

  add("volunteers", "assign", {},
      Creating({Req("campaign", "ID", ""), Req("volunteer", "PERSON", "a volunteer of the office"),
                Req("community", "ID", "")}),
      "assign a volunteer to a community (street office, supervisors)", VolunteersAssign);
  add("volunteers", "end", id, Mutating({}), "withdraw a volunteer's assignment", VolunteersEnd);
  add("volunteers", "list", {},
      {Opt("campaign", "ID", ""), Opt("volunteer", "PERSON", ""), Opt("community", "ID", ""),
       Opt("street-office", "ID", ""), Switch("active", "only assignments not ended"),
       Opt("page-size", "N", "1..1000, newest first")},
      "list volunteer assignments", VolunteersList);
  add("volunteers", "report", {},
      Creating({Req("campaign", "ID", ""), Req("community", "ID", ""),
                Req("category", "CATEGORY", "a service-level category, e.g. order"),
                Req("title", "TEXT", ""), Opt("description", "TEXT", "what was seen"),
                Opt("item", "ITEM", "the standard item, e.g. 3.2"), evidence}),
      "report a problem seen: opens a task for the street office (assigned volunteers)",
      VolunteersReport);
  add("volunteers", "check", {"TASK"},
      Creating({Req("finding", "FINDING", EnumChoices<v1::OnSiteFinding>()),
                Opt("note", "TEXT", "what was found (required if NOT_FIXED)"), evidence}),
      "record an on-site check of a submitted task (assigned volunteers)", VolunteersCheck);
  add("volunteers", "reports", {},
      {Opt("campaign", "ID", ""), Opt("task", "TASK", ""), Opt("community", "ID", ""),
       Opt("volunteer", "PERSON", ""),
       Opt("kind", "KIND", EnumChoices<v1::SupervisionReportKind>()),
       Opt("page-size", "N", "1..1000, newest first")},
      "list supervision reports", VolunteersReports);

  add("watch", "", {},
      {Opt("after", "SEQ", "start after this event (default: the cursor file's, else 0)"),
       Many("type", "TYPE", "an event type (task.dispatched) or a prefix ending in '.' (task.)",
            false),
       Opt("cursor-file", "FILE",
           "keep the seq of the last event handled here and resume from it (at least once)"),
       Switch("once", "print what there is and stop instead of following")},
      "follow the event feed as an integration would, resuming from a cursor", Watch);

  // The supervisors' view: every report prints as a table, CSV, Markdown or
  // one self-contained HTML page.
  auto report_flags = [](std::vector<FlagSpec> flags) {
    flags.push_back(Opt("format", "FORMAT", "table (default), csv, md or html"));
    flags.push_back(Opt("out", "FILE", "write there instead of to standard output"));
    return flags;
  };
  const std::string unit_help = "city, street_office, community or property_company";
  add("reports", "overdue", {},
      report_flags({Opt("campaign", "ID", ""), Opt("street-office", "ORG", ""),
                    Opt("community", "ID", ""), Opt("org", "ORG", "responsible organisation"),
                    Opt("category", "CATEGORY", ""),
                    Opt("min-days", "N", "overdue by at least N days"),
                    Opt("min-level", "N", "at least N escalation steps applied"),
                    Opt("due-soon", "DURATION", "instead: tasks due within this, e.g. 48h"),
                    Opt("page-size", "N", "1 to 1000; default 100"),
                    Opt("page-token", "TOKEN", "continue from a previous page")}),
      "overdue (or due-soon) tasks, worst first, with exact totals", ReportsOverdue);
  add("reports", "metrics", {},
      report_flags({Req("campaign", "ID", ""), Opt("unit", "UNIT", unit_help + "; default street_office"),
                    Opt("month", "YYYY-MM", "default: this month"),
                    Opt("from", "YYYY-MM-DD", "instead of --month"),
                    Opt("to", "YYYY-MM-DD", "exclusive"),
                    Opt("street-office", "ORG", "only this office's units")}),
      "assessment rates per unit, each with numerator and denominator, and scores",
      ReportsMetrics, {{"month", "from"}, {"month", "to"}});
  add("reports", "drill", {},
      report_flags({Req("campaign", "ID", ""), Req("metric", "METRIC",
                                                   "disposal, on_time_disposal, closure, "
                                                   "on_time_closure, rework, extension, "
                                                   "overdue_pending, timely_ack or return"),
                    Opt("unit", "UNIT", unit_help + "; default city"),
                    Opt("unit-id", "ID", "the unit whose figure to open"),
                    Opt("month", "YYYY-MM", "default: this month"),
                    Opt("from", "YYYY-MM-DD", "instead of --month"),
                    Opt("to", "YYYY-MM-DD", "exclusive"),
                    Switch("denominator", "the denominator's tasks (default: the numerator's)"),
                    Opt("page-size", "N", "1 to 1000; default 50"),
                    Opt("page-token", "TOKEN", "continue from a previous page"),
                    Switch("all", "follow every page")}),
      "the tasks behind a figure", ReportsDrill, {{"month", "from"}, {"month", "to"}});
  add("reports", "weekly", {},
      report_flags({Req("campaign", "ID", ""),
                    Opt("week", "YYYY-MM-DD", "the week's first day; default: this Monday"),
                    Opt("street-office", "ORG", "only this office's communities")}),
      "weekly inspection summary: each community's latest score and change", ReportsWeekly);
  add("reports", "monthly", {},
      report_flags({Req("campaign", "ID", ""), Opt("month", "YYYY-MM", "default: this month")}),
      "the monthly bulletin (月通报): rankings, budget, penalties, red and black lists",
      ReportsMonthly);

  add("tokens", "issue", {},
      Creating({Req("person", "PERSON", "whose token"), Opt("label", "LABEL", "what it is for"),
                Opt("ttl", "DURATION", "lifetime, e.g. 720h or 30d; default: never expires")}),
      "issue a bearer token (admins only)", TokensIssue);
  add("tokens", "list", {}, {Opt("person", "PERSON", "whose tokens (admins); default: your own")},
      "list tokens: id, person, label, created, expiry, status (never the secret)", TokensList);
  add("tokens", "revoke", {"TOKEN_ID"}, {RequestIdFlag()},
      "revoke a token by its id (admins: any; others: their own)", TokensRevoke);
  add("audit", "", {},
      {Opt("person", "PERSON", "who made the calls"), Opt("method", "METHOD", "e.g. DispatchTask"),
       Opt("resource", "NAME", "e.g. tasks/T-3"), Opt("since", "TIME", "from this time"),
       Opt("until", "TIME", "before this time"), Opt("page-size", "N", "1..1000; default 100"),
       Opt("page-token", "TOKEN", "continue from a previous page")},
      "the audit trail, newest first (supervisors and admins)", AuditList);
  return commands;
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command>* const kCommands = new std::vector<Command>(BuildCommands());
  return *kCommands;
}

const std::vector<CommandSpec>& CommandSpecs() {
  static const std::vector<CommandSpec>* const kSpecs = [] {
    auto* specs = new std::vector<CommandSpec>();
    for (const Command& command : Commands()) specs->push_back(command.spec);
    return specs;
  }();
  return *kSpecs;
}

Handler HandlerFor(const CommandSpec& spec) {
  const std::vector<CommandSpec>& specs = CommandSpecs();
  for (size_t i = 0; i < specs.size(); ++i) {
    if (&specs[i] == &spec) return Commands()[i].run;
  }
  return nullptr;
}

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

absl::StatusOr<v1::Evidence> ParseEvidenceArg(absl::string_view text) {
  const size_t hash = text.rfind('#');
  auto bad = [&](absl::string_view why) {
    return UsageError(absl::StrCat("invalid evidence '", text, "': ", why,
                                   "; expected URI#SHA256, e.g. "
                                   "https://files.example/p1.jpg#<64 hex digits>"));
  };
  if (hash == absl::string_view::npos) return bad("no '#'");
  const absl::string_view uri = text.substr(0, hash);
  const absl::string_view sha = text.substr(hash + 1);
  if (uri.empty()) return bad("empty URI");
  if (sha.size() != 64) return bad("the hash is not 64 hex digits");
  for (char ch : sha) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(ch))) {
      return bad("the hash is not 64 hex digits");
    }
  }
  v1::Evidence evidence;
  evidence.set_uri(std::string(uri));
  evidence.set_sha256(absl::AsciiStrToLower(sha));
  return evidence;
}

namespace {

constexpr int kMaxCount = 100000;
constexpr char kDeductForm[] = "expected RULE[xCOUNT][!][:NOTE], e.g. 2.2bx2!:3号楼东侧";
constexpr char kItemForm[] =
    "expected CATEGORY|TITLE[|PLANNED_YUAN[|STANDARD_ITEM]], e.g. "
    "sanitation|3号楼垃圾箱破损|800|2.2";
constexpr char kPlanItemForm[] =
    "expected DESCRIPTION|PERSON|YUAN|PAYER[|TASK], e.g. "
    "更换3号楼垃圾箱|zhang-wei|800|property_company|T-3";

// Rule ids as the standard's files have them: [0-9A-Za-z.]+, numbered.
bool IsRuleId(absl::string_view text) {
  if (text.empty()) return false;
  bool digit = false;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (!absl::ascii_isalnum(u) && ch != '.') return false;
    digit = digit || absl::ascii_isdigit(u);
  }
  return digit;
}

// A count of units or cases: a whole number from 1 to kMaxCount.
absl::StatusOr<int> ParseCount(absl::string_view text) {
  int count = 0;
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
    return absl::ascii_isdigit(static_cast<unsigned char>(ch));
  });
  if (!digits || !absl::SimpleAtoi(text, &count) || count < 1 || count > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("count '", text, "' is not a whole number from 1 to ", kMaxCount));
  }
  return count;
}

// The position and length of the first of `marks` in `text`; npos if none.
std::pair<size_t, size_t> FindFirst(absl::string_view text,
                                    std::initializer_list<absl::string_view> marks) {
  std::pair<size_t, size_t> found = {absl::string_view::npos, 0};
  for (absl::string_view mark : marks) {
    const size_t at = text.find(mark);
    if (at < found.first) found = {at, mark.size()};
  }
  return found;
}

std::vector<std::pair<int, absl::string_view>> ContentLines(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // a BOM, as Windows editors write
  std::vector<std::pair<int, absl::string_view>> lines;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    absl::ConsumeSuffix(&line, "\r");
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    lines.emplace_back(number, line);
  }
  return lines;
}

// The first word of *rest, removed from it (with the blanks after it).
absl::string_view TakeWord(absl::string_view* rest) {
  const size_t end = rest->find_first_of(" \t");
  const absl::string_view word = rest->substr(0, end);
  *rest = end == absl::string_view::npos ? absl::string_view()
                                         : absl::StripLeadingAsciiWhitespace(rest->substr(end));
  return word;
}

}  // namespace

absl::StatusOr<v1::Deduction> ParseDeductionArg(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return UsageError(absl::StrCat("invalid deduction '", text, "': ", why, "; ", kDeductForm));
  };
  v1::Deduction deduction;
  absl::string_view head = text;
  if (const auto [at, size] = FindFirst(text, {":", "："}); at != absl::string_view::npos) {
    head = text.substr(0, at);
    deduction.set_note(std::string(absl::StripAsciiWhitespace(text.substr(at + size))));
  }
  head = absl::StripAsciiWhitespace(head);
  if (const auto [at, size] = FindFirst(head, {"!", "！"}); at != absl::string_view::npos) {
    if (at + size != head.size()) {
      return bad("'!' comes after the count and before the note");
    }
    deduction.set_open_task(true);
    head = absl::StripAsciiWhitespace(head.substr(0, at));
  }
  // The count: after '×', or after the last 'x' when only digits follow.
  absl::string_view rule = head;
  std::optional<absl::string_view> count;
  if (const size_t at = head.rfind("×"); at != absl::string_view::npos) {
    rule = head.substr(0, at);
    count = head.substr(at + absl::string_view("×").size());
  } else if (const size_t x = head.rfind('x'); x != absl::string_view::npos) {
    const absl::string_view after = absl::StripAsciiWhitespace(head.substr(x + 1));
    if (after.empty()) return bad("no count after 'x'");
    if (std::all_of(after.begin(), after.end(),
                    [](char ch) { return absl::ascii_isdigit(static_cast<unsigned char>(ch)); })) {
      rule = head.substr(0, x);
      count = after;
    }
  }
  rule = absl::StripAsciiWhitespace(rule);
  if (count.has_value()) count = absl::StripAsciiWhitespace(*count);
  if (rule.empty()) return bad("no rule id");
  if (!IsRuleId(rule)) {
    return bad(absl::StrCat("'", rule, "' is not a rule id like 2.2b"));
  }
  deduction.set_rule_id(std::string(rule));
  deduction.set_count(1);
  if (count.has_value()) {
    absl::StatusOr<int> n = ParseCount(*count);
    if (!n.ok()) return bad(n.status().message());
    deduction.set_count(*n);
  }
  return deduction;
}

absl::StatusOr<v1::Inspection> ParseSheetFile(absl::string_view text, absl::string_view name) {
  v1::Inspection sheet;
  std::map<std::string, int> header_line;  // header word → its line
  for (const auto& [number, line] : ContentLines(text)) {
    auto bad = [&, number = number](absl::string_view why) {
      return UsageError(absl::StrCat(name, ":", number, ": ", why));
    };
    absl::string_view rest = line;
    const std::string word(TakeWord(&rest));
    static const char* const kHeaders[] = {"campaign", "community", "kind", "date", "note"};
    if (std::find(std::begin(kHeaders), std::end(kHeaders), word) != std::end(kHeaders)) {
      if (const auto [it, fresh] = header_line.emplace(word, number); !fresh) {
        return bad(absl::StrCat("'", word, "' given twice (first on line ", it->second, ")"));
      }
      if (rest.empty()) return bad(absl::StrCat("'", word, "' needs a value"));
      if (word == "note") {
        sheet.set_note(std::string(rest));
        continue;
      }
      absl::string_view after = rest;
      const absl::string_view value = TakeWord(&after);
      if (!after.empty()) {
        return bad(absl::StrCat("'", word, "' takes one word; '", after, "' is extra"));
      }
      if (word == "campaign") {
        sheet.set_campaign_id(std::string(value));
      } else if (word == "community") {
        sheet.set_community_id(std::string(value));
      } else if (word == "kind") {
        absl::StatusOr<v1::InspectionKind> kind = ParseEnum<v1::InspectionKind>(value);
        if (!kind.ok()) return bad(absl::StrCat("kind: ", kind.status().message()));
        sheet.set_kind(*kind);
      } else {  // date
        if (absl::Status status = CheckDateArg(value); !status.ok()) {
          return bad(absl::StrCat("date: ", status.message()));
        }
        sheet.set_date(std::string(value));
      }
      continue;
    }
    // A deduction: RULE [COUNT] [open] [NOTE…]
    if (!IsRuleId(word)) {
      return bad(absl::StrCat("'", word,
                              "' is neither a header (campaign, community, kind, date, note) "
                              "nor a rule id like 2.2b; a deduction is 'RULE [COUNT] [open] "
                              "[NOTE…]'"));
    }
    v1::Deduction& deduction = *sheet.add_deductions();
    deduction.set_rule_id(word);
    deduction.set_count(1);
    absl::string_view after = rest;
    absl::string_view next = TakeWord(&after);
    if (!next.empty() && absl::ascii_isdigit(static_cast<unsigned char>(next.front()))) {
      absl::StatusOr<int> count = ParseCount(next);
      if (!count.ok()) return bad(absl::StrCat("rule ", word, ": ", count.status().message()));
      deduction.set_count(*count);
      rest = after;
      next = TakeWord(&after);
    }
    if (next == "open") {
      deduction.set_open_task(true);
      rest = after;
    }
    deduction.set_note(std::string(rest));
  }
  return sheet;
}

absl::StatusOr<v1::SelfCheckItem> ParseSelfCheckItemArg(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return UsageError(absl::StrCat("invalid item '", text, "': ", why, "; ", kItemForm));
  };
  std::vector<absl::string_view> fields = absl::StrSplit(text, '|');
  for (absl::string_view& field : fields) field = absl::StripAsciiWhitespace(field);
  if (fields.size() < 2) return bad("no '|' between the category and the title");
  if (fields.size() > 4) return bad("more than four fields");
  if (fields[0].empty()) return bad("no category");
  if (fields[1].empty()) return bad("no title");
  v1::SelfCheckItem item;
  item.set_category(std::string(fields[0]));
  item.set_title(std::string(fields[1]));
  if (fields.size() > 2 && !fields[2].empty()) {
    absl::StatusOr<int64_t> fen = ParseYuan(fields[2]);
    if (!fen.ok()) return bad(absl::StrCat("planned cost: ", fen.status().message()));
    item.mutable_budget()->set_planned_fen(*fen);
  }
  if (fields.size() > 3) item.set_standard_item(std::string(fields[3]));
  return item;
}

absl::StatusOr<std::vector<v1::SelfCheckItem>> ParseSelfCheckFile(absl::string_view text,
                                                                  absl::string_view name) {
  return ParseItemLines(text, name, ParseSelfCheckItemArg);
}

absl::StatusOr<v1::PlanItem> ParsePlanItemArg(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return UsageError(absl::StrCat("invalid plan item '", text, "': ", why, "; ", kPlanItemForm));
  };
  std::vector<absl::string_view> fields = absl::StrSplit(text, '|');
  for (absl::string_view& field : fields) field = absl::StripAsciiWhitespace(field);
  if (fields.size() < 4) return bad("fewer than four fields");
  if (fields.size() > 5) return bad("more than five fields");
  if (fields[0].empty()) return bad("no description");
  if (fields[1].empty()) return bad("no person");
  v1::PlanItem item;
  item.set_description(std::string(fields[0]));
  item.set_person_id(std::string(fields[1]));
  absl::StatusOr<int64_t> fen = ParseYuan(fields[2]);
  if (!fen.ok()) return bad(absl::StrCat("cost: ", fen.status().message()));
  item.set_cost_fen(*fen);
  absl::StatusOr<v1::Payer> payer = ParseEnum<v1::Payer>(fields[3]);
  if (!payer.ok()) return bad(absl::StrCat("payer: ", payer.status().message()));
  item.set_payer(*payer);
  if (fields.size() > 4) item.set_task_id(std::string(fields[4]));
  return item;
}

absl::StatusOr<std::vector<v1::PlanItem>> ParsePlanFile(absl::string_view text,
                                                        absl::string_view name) {
  return ParseItemLines(text, name, ParsePlanItemArg);
}

std::string PageFooter(int64_t first, int64_t shown, int64_t total,
                       absl::string_view next_page_token) {
  std::string footer;
  if (shown == 0) {
    footer = absl::StrCat("showing 0 of ", total);
  } else if (first > 0) {
    footer = absl::StrCat("showing ", first, "–", first + shown - 1, " of ", total);
  } else {
    footer = absl::StrCat("showing ", shown, " of ", total);
  }
  if (!next_page_token.empty()) {
    absl::StrAppend(&footer, " (next page: --page-token ", next_page_token, ")");
  }
  return footer;
}

}  // namespace rectify::client::cli
