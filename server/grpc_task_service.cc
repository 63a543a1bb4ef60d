#include "server/grpc_task_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/directory_commands.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

constexpr int kDefaultPageSize = 50;

// Organisation id → its head, looked up once per page: a page of 100 tasks
// usually has a handful of responsible organisations (one query each, not one
// per task: BENCHMARKS.md, finding 6).
using HeadCache = absl::flat_hash_map<std::string, std::string>;

// The task as the API shows it, with its responsible organisation's head.
absl::StatusOr<v1::Task> Present(storage::ReadTx& tx, const domain::Task& task, absl::Time now,
                                 HeadCache* heads = nullptr) {
  std::string head;
  if (!task.responsible_org_id.empty()) {
    auto cached = heads != nullptr ? heads->find(task.responsible_org_id) : HeadCache::iterator();
    if (heads != nullptr && cached != heads->end()) {
      head = cached->second;
    } else {
      RECTIFY_ASSIGN_OR_RETURN(domain::Organisation org,
                               tx.GetOrganisation(task.responsible_org_id));
      head = org.head_person_id;
      if (heads != nullptr) heads->emplace(task.responsible_org_id, head);
    }
  }
  return ToProto(task, now, head);
}

absl::StatusOr<storage::TaskOrder> ParseOrder(absl::string_view order_by) {
  const std::string o = absl::AsciiStrToLower(absl::StripAsciiWhitespace(order_by));
  if (o.empty() || o == "create_time" || o == "create_time asc") {
    return storage::TaskOrder::kCreateTime;
  }
  if (o == "create_time desc") return storage::TaskOrder::kCreateTimeDesc;
  if (o == "deadline" || o == "deadline asc") return storage::TaskOrder::kDeadline;
  if (o == "deadline desc") return storage::TaskOrder::kDeadlineDesc;
  if (o == "update_time desc") return storage::TaskOrder::kUpdateTimeDesc;
  return absl::InvalidArgumentError(absl::StrCat(
      "'order_by' \"", order_by,
      "\" is not supported; use create_time, create_time desc, deadline, deadline desc or "
      "update_time desc"));
}

absl::Status RequireTaskId(absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError("'task_id' is required");
  return absl::OkStatus();
}

}  // namespace

template <typename Request>
grpc::ServerUnaryReactor* GrpcTaskService::Transition(grpc::CallbackServerContext* ctx,
                                                      absl::string_view method, const Request& req,
                                                      v1::TaskChange* resp, Op op) {
  absl::StatusOr<Principal> identified = Identify(auth_, *ctx);
  if (!identified.ok()) return Answer(ctx, identified.status());
  if (absl::Status s = RequireTaskId(req.task_id()); !s.ok()) return Answer(ctx, s);
  auto who = std::make_shared<const Principal>(*std::move(identified));
  return RunOnceThenAnswer(
      ctx, store_, who, method, req, req.request_id(), resp,
      [this, who, ref = TaskRef{req.task_id(), req.etag()}, resp,
       op = std::move(op)](storage::WriteTx& tx) -> absl::Status {
        RECTIFY_ASSIGN_OR_RETURN(TaskChange change, op(tx, *who, ref));
        RECTIFY_ASSIGN_OR_RETURN(*resp->mutable_task(), Present(tx, change.task, commands_.Now()));
        *resp->mutable_event() = ToProto(change.event);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* GrpcTaskService::CreateTask(grpc::CallbackServerContext* ctx,
                                                      const v1::CreateTaskRequest* req,
                                                      v1::Task* resp) {
  absl::StatusOr<Principal> identified = Identify(auth_, *ctx);
  if (!identified.ok()) return Answer(ctx, identified.status());
  absl::StatusOr<domain::Task> draft = NewTaskFromProto(req->task());
  if (!draft.ok()) return Answer(ctx, draft.status());
  if (!draft->id.empty()) {
    if (absl::Status s = ValidateId("task.id", draft->id); !s.ok()) return Answer(ctx, s);
  }
  auto who = std::make_shared<const Principal>(*std::move(identified));
  return RunOnceThenAnswer(
      ctx, store_, who, "CreateTask", *req, req->request_id(), resp,
      [this, who, req, resp, draft = *std::move(draft)](storage::WriteTx& tx) -> absl::Status {
        RECTIFY_ASSIGN_OR_RETURN(
            domain::Task task,
            commands_.Create(tx, *who, draft, req->task().source() != v1::TASK_SOURCE_UNSPECIFIED));
        RECTIFY_ASSIGN_OR_RETURN(*resp, Present(tx, task, commands_.Now()));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* GrpcTaskService::GetTask(grpc::CallbackServerContext* ctx,
                                                   const v1::GetTaskRequest* req, v1::Task* resp) {
  return Answer(ctx, Get(*ctx, req, resp));
}

grpc::ServerUnaryReactor* GrpcTaskService::ListTasks(grpc::CallbackServerContext* ctx,
                                                     const v1::ListTasksRequest* req,
                                                     v1::ListTasksResponse* resp) {
  return Answer(ctx, List(*ctx, req, resp));
}

grpc::ServerUnaryReactor* GrpcTaskService::ListTaskEvents(grpc::CallbackServerContext* ctx,
                                                          const v1::ListTaskEventsRequest* req,
                                                          v1::ListTaskEventsResponse* resp) {
  return Answer(ctx, History(*ctx, req, resp));
}

grpc::Status GrpcTaskService::Get(const grpc::ServerContextBase& ctx, const v1::GetTaskRequest* req,
                                  v1::Task* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, ctx));
  if (req->id().empty()) return ToGrpc(absl::InvalidArgumentError("'id' is required"));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::Task task, commands_.Get(tx, who, req->id()));
    RECTIFY_ASSIGN_OR_RETURN(*resp, Present(tx, task, commands_.Now()));
    if (req->include_history()) {
      RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Event> events,
                               tx.ListEvents(absl::StrCat("tasks/", task.id), 0, 10000));
      for (const domain::Event& e : events) *resp->add_history() = ToProto(e);
    }
    return absl::OkStatus();
  }));
}

grpc::Status GrpcTaskService::List(const grpc::ServerContextBase& ctx,
                                   const v1::ListTasksRequest* req, v1::ListTasksResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, ctx));
  storage::TaskQuery query;
  query.filter.campaign_id = req->campaign_id();
  query.filter.street_office_id = req->street_office_id();
  query.filter.community_id = req->community_id();
  query.filter.responsible_org_id = req->responsible_org_id();
  query.filter.category = req->category();
  for (int i = 0; i < req->states_size(); ++i) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::TaskState state,
                                  FromProto(req->states(i), absl::StrCat("states[", i, "]")));
    query.filter.states.push_back(state);
  }
  query.filter.overdue = req->overdue();
  if (req->has_due_within()) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(absl::Duration within,
                                  FromProto(req->due_within(), "due_within"));
    if (within <= absl::ZeroDuration()) {
      return ToGrpc(absl::InvalidArgumentError("'due_within' must be positive, e.g. 48h"));
    }
    query.filter.due_within = within;
  }
  if (req->min_days_overdue() < 0) {
    return ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("'min_days_overdue' is ", req->min_days_overdue(), "; it must be >= 0")));
  }
  if (req->min_days_overdue() > 0) {
    query.filter.overdue = true;
    query.filter.min_overdue = absl::Hours(24) * static_cast<int64_t>(req->min_days_overdue());
  }
  if (req->min_escalation_level() < 0) {
    return ToGrpc(absl::InvalidArgumentError(absl::StrCat(
        "'min_escalation_level' is ", req->min_escalation_level(), "; it must be >= 0")));
  }
  query.filter.min_escalation_level = req->min_escalation_level();
  RECTIFY_GRPC_ASSIGN_OR_RETURN(query.order, ParseOrder(req->order_by()));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(query.page_size, PageSize(req->page_size(), kDefaultPageSize));
  query.page_token = req->page_token();
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(storage::TaskPage page, commands_.List(tx, who, query));
    const absl::Time now = commands_.Now();
    HeadCache heads;
    for (const domain::Task& task : page.tasks) {
      RECTIFY_ASSIGN_OR_RETURN(*resp->add_tasks(), Present(tx, task, now, &heads));
    }
    resp->set_next_page_token(page.next_page_token);
    resp->set_total_size(page.total_count);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcTaskService::History(const grpc::ServerContextBase& ctx,
                                      const v1::ListTaskEventsRequest* req,
                                      v1::ListTaskEventsResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, ctx));
  if (absl::Status s = RequireTaskId(req->task_id()); !s.ok()) return ToGrpc(s);
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size(), 100));
  int64_t after = 0;
  if (!req->page_token().empty() && !absl::SimpleAtoi(req->page_token(), &after)) {
    return ToGrpc(absl::InvalidArgumentError(
        "'page_token' is not one this server gave out; pass next_page_token unchanged"));
  }
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Event> events,
                             commands_.History(tx, who, req->task_id(), after, limit + 1));
    const bool more = static_cast<int>(events.size()) > limit;
    if (more) events.resize(limit);
    for (const domain::Event& e : events) *resp->add_events() = ToProto(e);
    if (more) resp->set_next_page_token(absl::StrCat(events.back().seq));
    return absl::OkStatus();
  }));
}

grpc::ServerUnaryReactor* GrpcTaskService::DispatchTask(grpc::CallbackServerContext* ctx,
                                                        const v1::DispatchTaskRequest* req,
                                                        v1::TaskChange* resp) {
  std::optional<absl::Time> deadline;
  if (req->has_deadline()) {
    absl::StatusOr<absl::Time> parsed =
        FromProto(req->deadline(), "deadline", absl::InfinitePast());
    if (!parsed.ok()) return Answer(ctx, parsed.status());
    deadline = *parsed;
  }
  return Transition(
      ctx, "DispatchTask", *req, resp,
      [this, req, deadline](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
        return commands_.Dispatch(tx, who, ref, req->responsible_org_id(),
                                  req->responsible_person_id(), deadline, req->note());
      });
}

grpc::ServerUnaryReactor* GrpcTaskService::AcknowledgeTask(grpc::CallbackServerContext* ctx,
                                                           const v1::AcknowledgeTaskRequest* req,
                                                           v1::TaskChange* resp) {
  return Transition(ctx, "AcknowledgeTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Acknowledge(tx, who, ref);
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::ReturnTask(grpc::CallbackServerContext* ctx,
                                                      const v1::ReturnTaskRequest* req,
                                                      v1::TaskChange* resp) {
  return Transition(ctx, "ReturnTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Return(tx, who, ref, req->reason());
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::StartTask(grpc::CallbackServerContext* ctx,
                                                     const v1::StartTaskRequest* req,
                                                     v1::TaskChange* resp) {
  return Transition(ctx, "StartTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Start(tx, who, ref);
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::SubmitTask(grpc::CallbackServerContext* ctx,
                                                      const v1::SubmitTaskRequest* req,
                                                      v1::TaskChange* resp) {
  domain::SubmitArgs args;
  for (const v1::Evidence& e : req->evidence()) args.evidence.push_back(FromProto(e));
  if (req->has_actual_fen()) args.actual_fen = req->actual_fen();
  args.note = req->note();
  return Transition(ctx, "SubmitTask", *req, resp,
                    [this, args](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Submit(tx, who, ref, args);
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::VerifyTask(grpc::CallbackServerContext* ctx,
                                                      const v1::VerifyTaskRequest* req,
                                                      v1::TaskChange* resp) {
  return Transition(ctx, "VerifyTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Verify(tx, who, ref, req->comment());
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::RejectTask(grpc::CallbackServerContext* ctx,
                                                      const v1::RejectTaskRequest* req,
                                                      v1::TaskChange* resp) {
  return Transition(ctx, "RejectTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Reject(tx, who, ref, req->reason());
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::SuspendTask(grpc::CallbackServerContext* ctx,
                                                       const v1::SuspendTaskRequest* req,
                                                       v1::TaskChange* resp) {
  domain::SuspendArgs args;
  args.reason = req->reason();
  absl::StatusOr<absl::Time> until = FromProto(req->until(), "until", absl::InfiniteFuture());
  if (!until.ok()) return Answer(ctx, until.status());
  args.until = *until;
  return Transition(ctx, "SuspendTask", *req, resp,
                    [this, args](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Suspend(tx, who, ref, args);
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::ResumeTask(grpc::CallbackServerContext* ctx,
                                                      const v1::ResumeTaskRequest* req,
                                                      v1::TaskChange* resp) {
  return Transition(ctx, "ResumeTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Resume(tx, who, ref);
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::VoidTask(grpc::CallbackServerContext* ctx,
                                                    const v1::VoidTaskRequest* req,
                                                    v1::TaskChange* resp) {
  return Transition(ctx, "VoidTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Void(tx, who, ref, req->reason());
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::RequestExtension(grpc::CallbackServerContext* ctx,
                                                            const v1::RequestExtensionRequest* req,
                                                            v1::TaskChange* resp) {
  if (!req->has_new_deadline()) {
    return Answer(ctx, absl::InvalidArgumentError("'new_deadline' is required"));
  }
  absl::StatusOr<absl::Time> new_deadline =
      FromProto(req->new_deadline(), "new_deadline", absl::InfinitePast());
  if (!new_deadline.ok()) return Answer(ctx, new_deadline.status());
  return Transition(ctx, "RequestExtension", *req, resp,
                    [this, req, new_deadline = *new_deadline](
                        storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.RequestExtension(tx, who, ref, new_deadline, req->reason());
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::DecideExtension(grpc::CallbackServerContext* ctx,
                                                           const v1::DecideExtensionRequest* req,
                                                           v1::TaskChange* resp) {
  return Transition(
      ctx, "DecideExtension", *req, resp,
      [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
        return commands_.DecideExtension(tx, who, ref, {req->approve(), req->comment()});
      });
}

grpc::ServerUnaryReactor* GrpcTaskService::UrgeTask(grpc::CallbackServerContext* ctx,
                                                    const v1::UrgeTaskRequest* req,
                                                    v1::TaskChange* resp) {
  return Transition(ctx, "UrgeTask", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.Urge(tx, who, ref, req->opinion());
                    });
}

grpc::ServerUnaryReactor* GrpcTaskService::ReplyUrging(grpc::CallbackServerContext* ctx,
                                                       const v1::ReplyUrgingRequest* req,
                                                       v1::TaskChange* resp) {
  return Transition(ctx, "ReplyUrging", *req, resp,
                    [this, req](storage::WriteTx& tx, const Principal& who, const TaskRef& ref) {
                      return commands_.ReplyUrge(tx, who, ref, req->reply());
                    });
}

}  // namespace rectify::server
