#include "server/convert.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace rectify::server {
namespace {

std::string Etag(int64_t version) { return absl::StrCat(version); }

// Sets a Timestamp field only for a finite time: infinite means "unset", and
// touching mutable_x() would mark the field present.
template <typename MutableField>
void SetTime(absl::Time t, MutableField mutable_field) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  ToProto(t, mutable_field());
}

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is \"", text, "\"; expected a date as YYYY-MM-DD"));
  }
  return day;
}

template <typename Enum>
absl::Status BadEnum(absl::string_view field, int value) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", field, "' has no valid value (got ", value, "); see the API's enum"));
}

// The wire and domain enums share their numbers (1..N); 0 is unspecified.
template <typename Domain>
absl::StatusOr<Domain> EnumFromWire(int value, int max, absl::string_view field) {
  if (value < 1 || value > max) return BadEnum<Domain>(field, value);
  return static_cast<Domain>(value);
}

}  // namespace

void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    out->Clear();
    return;
  }
  const absl::Duration since = t - absl::UnixEpoch();
  const int64_t seconds = absl::ToInt64Seconds(since);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(since - absl::Seconds(seconds))));
}

absl::StatusOr<absl::Time> FromProto(const google::protobuf::Timestamp& ts,
                                     absl::string_view field, absl::Time if_unset) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return if_unset;
  // 0001-01-01 .. 9999-12-31, as google.protobuf.Timestamp defines.
  if (ts.seconds() < -62135596800 || ts.seconds() > 253402300799 || ts.nanos() < 0 ||
      ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' is out of range"));
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

absl::StatusOr<absl::Duration> FromProto(const google::protobuf::Duration& d,
                                         absl::string_view field) {
  if (d.seconds() < -315576000000 || d.seconds() > 315576000000 || d.nanos() < -999999999 ||
      d.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' is out of range"));
  }
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

v1::Campaign ToProto(const domain::Campaign& c) {
  v1::Campaign out;
  out.set_id(c.id);
  out.set_name(c.name);
  out.set_city(c.city);
  out.set_time_zone(c.time_zone);
  out.set_self_check_start(Day(c.self_check_start));
  out.set_rectification_start(Day(c.rectification_start));
  out.set_final_assault_start(Day(c.final_assault_start));
  out.set_close_date(Day(c.close_date));
  out.set_phase(static_cast<v1::Phase>(c.phase));
  out.set_max_extensions(c.max_extensions);
  out.set_standard_id(c.standard_id);
  out.set_target_percent(c.target_percent);
  out.set_final_assault_percent(c.final_assault_percent);
  out.set_require_letter(c.require_letter);
  out.set_etag(Etag(c.version));
  SetTime(c.create_time, [&] { return out.mutable_create_time(); });
  SetTime(c.update_time, [&] { return out.mutable_update_time(); });
  return out;
}

absl::StatusOr<domain::Campaign> FromProto(const v1::Campaign& c) {
  domain::Campaign out;
  out.id = c.id();
  out.name = c.name();
  out.city = c.city();
  out.time_zone = c.time_zone();  // empty: the server's default
  RECTIFY_ASSIGN_OR_RETURN(out.self_check_start,
                           ParseDay("campaign.self_check_start", c.self_check_start()));
  RECTIFY_ASSIGN_OR_RETURN(out.rectification_start,
                           ParseDay("campaign.rectification_start", c.rectification_start()));
  RECTIFY_ASSIGN_OR_RETURN(out.final_assault_start,
                           ParseDay("campaign.final_assault_start", c.final_assault_start()));
  RECTIFY_ASSIGN_OR_RETURN(out.close_date, ParseDay("campaign.close_date", c.close_date()));
  if (c.phase() != v1::PHASE_UNSPECIFIED && c.phase() != v1::PHASE_PLANNING) {
    return absl::InvalidArgumentError(
        "'campaign.phase' must be unset at creation: a campaign starts in planning");
  }
  out.max_extensions = c.max_extensions() == 0 ? 2 : c.max_extensions();
  out.standard_id = c.standard_id();  // empty: the server's sole standard
  if (c.target_percent() != 0) out.target_percent = c.target_percent();
  if (c.final_assault_percent() != 0) out.final_assault_percent = c.final_assault_percent();
  out.require_letter = c.require_letter();
  return out;
}

v1::Organisation ToProto(const domain::Organisation& o) {
  v1::Organisation out;
  out.set_id(o.id);
  out.set_kind(static_cast<v1::OrgKind>(o.kind));
  out.set_name(o.name);
  out.set_head_person_id(o.head_person_id);
  out.set_street_office_id(o.street_office_id);
  out.set_etag(Etag(o.version));
  SetTime(o.create_time, [&] { return out.mutable_create_time(); });
  return out;
}

absl::StatusOr<domain::Organisation> FromProto(const v1::Organisation& o) {
  domain::Organisation out;
  out.id = o.id();
  RECTIFY_ASSIGN_OR_RETURN(out.kind, EnumFromWire<domain::OrgKind>(
                                         o.kind(), v1::OrgKind_MAX, "organisation.kind"));
  out.name = o.name();
  out.head_person_id = o.head_person_id();
  out.street_office_id = o.street_office_id();
  return out;
}

v1::Person ToProto(const domain::Person& p) {
  v1::Person out;
  out.set_id(p.id);
  out.set_name(p.name);
  out.set_organisation_id(p.organisation_id);
  out.set_role(static_cast<v1::Role>(p.role));
  out.set_phone(p.phone);
  out.set_etag(Etag(p.version));
  SetTime(p.create_time, [&] { return out.mutable_create_time(); });
  return out;
}

absl::StatusOr<domain::Person> FromProto(const v1::Person& p) {
  domain::Person out;
  out.id = p.id();
  out.name = p.name();
  out.organisation_id = p.organisation_id();
  RECTIFY_ASSIGN_OR_RETURN(out.role,
                           EnumFromWire<domain::Role>(p.role(), v1::Role_MAX, "person.role"));
  out.phone = p.phone();
  return out;
}

v1::Community ToProto(const domain::Community& c) {
  v1::Community out;
  out.set_id(c.id);
  out.set_name(c.name);
  out.set_address(c.address);
  out.set_street_office_id(c.street_office_id);
  out.set_property_company_id(c.property_company_id);
  out.set_owners_committee_id(c.owners_committee_id);
  out.set_etag(Etag(c.version));
  SetTime(c.create_time, [&] { return out.mutable_create_time(); });
  return out;
}

domain::Community FromProto(const v1::Community& c) {
  domain::Community out;
  out.id = c.id();
  out.name = c.name();
  out.address = c.address();
  out.street_office_id = c.street_office_id();
  out.property_company_id = c.property_company_id();
  out.owners_committee_id = c.owners_committee_id();
  return out;
}

v1::Task ToProto(const domain::Task& t, absl::Time now, const std::string& head_person_id) {
  v1::Task out;
  out.set_id(t.id);
  out.set_campaign_id(t.campaign_id);
  out.set_community_id(t.community_id);
  out.set_street_office_id(t.street_office_id);
  out.set_category(t.category);
  out.set_source(static_cast<v1::TaskSource>(t.source));
  out.set_title(t.title);
  out.set_description(t.description);
  out.set_standard_item(t.standard_item);
  out.set_inspection_id(t.inspection_id);
  out.set_responsible_org_id(t.responsible_org_id);
  out.set_responsible_person_id(t.responsible_person_id);
  out.set_responsible_head_person_id(head_person_id);
  out.mutable_budget()->set_planned_fen(t.budget.planned_fen);
  out.mutable_budget()->set_actual_fen(t.budget.actual_fen);
  out.mutable_budget()->set_payer(static_cast<v1::Payer>(t.budget.payer));
  for (const domain::Evidence& e : t.evidence) {
    v1::Evidence* pe = out.add_evidence();
    pe->set_uri(e.uri);
    pe->set_sha256(e.sha256);
    pe->set_note(e.note);
    pe->set_added_by(e.added_by);
    SetTime(e.add_time, [&] { return pe->mutable_add_time(); });
  }
  for (const domain::Urging& u : t.urgings) {
    v1::Urging* pu = out.add_urgings();
    pu->set_by(u.by);
    pu->set_opinion(u.opinion);
    SetTime(u.time, [&] { return pu->mutable_time(); });
    pu->set_reply(u.reply);
    pu->set_replied_by(u.replied_by);
    SetTime(u.reply_time, [&] { return pu->mutable_reply_time(); });
  }
  if (t.pending_extension.has_value()) {
    v1::ExtensionRequest* pe = out.mutable_pending_extension();
    SetTime(t.pending_extension->requested_deadline, [&] { return pe->mutable_requested_deadline(); });
    pe->set_reason(t.pending_extension->reason);
    pe->set_requested_by(t.pending_extension->requested_by);
    SetTime(t.pending_extension->request_time, [&] { return pe->mutable_request_time(); });
  }
  out.set_state(static_cast<v1::TaskState>(t.state));
  out.set_sla_unit(static_cast<v1::SlaUnit>(static_cast<int>(t.sla_unit)));
  SetTime(t.deadline, [&] { return out.mutable_deadline(); });
  out.set_overdue(t.IsOverdue(now));
  SetTime(t.suspended_until, [&] { return out.mutable_suspended_until(); });
  out.set_rework_count(t.rework_count);
  out.set_extension_count(t.extension_count);
  out.set_return_count(t.return_count);
  out.set_created_by(t.created_by);
  out.set_etag(Etag(t.version));
  SetTime(t.create_time, [&] { return out.mutable_create_time(); });
  SetTime(t.update_time, [&] { return out.mutable_update_time(); });
  SetTime(t.dispatch_time, [&] { return out.mutable_dispatch_time(); });
  SetTime(t.acknowledge_time, [&] { return out.mutable_acknowledge_time(); });
  SetTime(t.submit_time, [&] { return out.mutable_submit_time(); });
  SetTime(t.close_time, [&] { return out.mutable_close_time(); });
  return out;
}

absl::StatusOr<domain::Task> NewTaskFromProto(const v1::Task& t) {
  domain::Task out;
  out.id = t.id();
  out.campaign_id = t.campaign_id();
  out.community_id = t.community_id();
  out.category = t.category();
  out.source = t.source() == v1::TASK_SOURCE_UNSPECIFIED
                   ? domain::TaskSource::kSupervisor
                   : static_cast<domain::TaskSource>(t.source());
  if (t.source() < 0 || t.source() > v1::TaskSource_MAX) {
    return BadEnum<domain::TaskSource>("task.source", t.source());
  }
  out.title = t.title();
  out.description = t.description();
  out.standard_item = t.standard_item();
  out.budget.planned_fen = t.budget().planned_fen();
  out.budget.actual_fen = t.budget().actual_fen();
  if (t.budget().payer() < 0 || t.budget().payer() > v1::Payer_MAX) {
    return BadEnum<domain::Payer>("task.budget.payer", t.budget().payer());
  }
  out.budget.payer = t.budget().payer() == v1::PAYER_UNSPECIFIED
                         ? domain::Payer::kPropertyCompany
                         : static_cast<domain::Payer>(t.budget().payer());
  if (t.state() != v1::TASK_STATE_UNSPECIFIED || !t.responsible_org_id().empty() ||
      t.has_deadline()) {
    return absl::InvalidArgumentError(
        "'task.state', 'task.responsible_org_id' and 'task.deadline' are set by the lifecycle, "
        "not at creation: create the task, then dispatch it");
  }
  return out;
}

v1::Event ToProto(const domain::Event& e) {
  v1::Event out;
  out.set_seq(e.seq);
  out.set_type(e.type);
  out.set_subject(e.subject);
  out.set_campaign_id(e.campaign_id);
  out.set_actor_person_id(e.actor_person_id);
  out.set_actor_org_id(e.actor_org_id);
  SetTime(e.time, [&] { return out.mutable_time(); });
  out.set_from_state(e.from_state);
  out.set_to_state(e.to_state);
  out.set_reason(e.reason);
  for (const auto& [k, v] : e.details) (*out.mutable_details())[k] = v;
  for (const std::string& org : e.audience) out.add_audience(org);
  return out;
}

absl::StatusOr<domain::TaskState> FromProto(v1::TaskState state, absl::string_view field) {
  return EnumFromWire<domain::TaskState>(state, v1::TaskState_MAX, field);
}

absl::StatusOr<domain::Phase> FromProto(v1::Phase phase, absl::string_view field) {
  return EnumFromWire<domain::Phase>(phase, v1::Phase_MAX, field);
}

absl::StatusOr<domain::InspectionKind> FromProto(v1::InspectionKind kind,
                                                 absl::string_view field) {
  return EnumFromWire<domain::InspectionKind>(kind, v1::InspectionKind_MAX, field);
}

v1::Penalty ToProto(const domain::Penalty& p) {
  v1::Penalty out;
  out.set_id(p.id);
  out.set_campaign_id(p.campaign_id);
  out.set_organisation_id(p.org_id);
  out.set_kind(static_cast<v1::PenaltyKind>(p.kind));
  out.set_amount_fen(p.amount_fen);
  out.set_reason(p.reason);
  for (const std::string& id : p.task_ids) out.add_task_ids(id);
  out.set_proposed_by(p.proposed_by);
  out.set_state(static_cast<v1::PenaltyState>(p.state));
  out.set_decided_by(p.decided_by);
  out.set_decision_comment(p.decision_comment);
  out.set_revoked_by(p.revoked_by);
  out.set_revoke_reason(p.revoke_reason);
  SetTime(p.propose_time, [&] { return out.mutable_propose_time(); });
  SetTime(p.decide_time, [&] { return out.mutable_decide_time(); });
  SetTime(p.revoke_time, [&] { return out.mutable_revoke_time(); });
  SetTime(p.update_time, [&] { return out.mutable_update_time(); });
  out.set_etag(Etag(p.version));
  out.set_escalation_step(p.escalation_step);
  return out;
}

absl::StatusOr<domain::PenaltyKind> FromProto(v1::PenaltyKind kind, absl::string_view field) {
  return EnumFromWire<domain::PenaltyKind>(kind, v1::PenaltyKind_MAX, field);
}

absl::StatusOr<domain::PenaltyState> FromProto(v1::PenaltyState state, absl::string_view field) {
  return EnumFromWire<domain::PenaltyState>(state, v1::PenaltyState_MAX, field);
}

v1::Standard ToProto(const domain::Standard& s) {
  v1::Standard out;
  out.set_id(s.id());
  out.set_version(s.version());
  out.set_name(s.name());
  out.set_total(s.total());
  out.set_max_score(s.max_score());
  for (const domain::Category& c : s.categories()) {
    v1::StandardCategory* pc = out.add_categories();
    pc->set_id(c.id);
    pc->set_points(c.points);
    pc->set_name(c.name);
    pc->set_responsible(c.responsible);
    pc->set_service_level(c.service_level);
    for (const domain::Item& item : c.items) {
      v1::StandardItem* pi = pc->add_items();
      pi->set_id(item.id);
      pi->set_text(item.text);
      pi->set_assign(static_cast<v1::Assignee>(s.AssigneeOf(item)));
      for (const domain::Rule& r : item.rules) {
        v1::DeductionRule* pr = pi->add_rules();
        pr->set_id(r.id);
        pr->set_kind(static_cast<v1::RuleKind>(r.kind));
        pr->set_points(r.points);
        pr->set_expect(r.expect);
        pr->set_cap(r.cap);
        pr->set_every(r.every);
        pr->set_text(r.text);
      }
    }
  }
  return out;
}

absl::StatusOr<domain::Inspection> NewInspectionFromProto(const v1::Inspection& i) {
  domain::Inspection out;
  out.campaign_id = i.campaign_id();
  out.community_id = i.community_id();
  RECTIFY_ASSIGN_OR_RETURN(out.kind, FromProto(i.kind(), "inspection.kind"));
  if (!i.date().empty()) {
    RECTIFY_ASSIGN_OR_RETURN(out.date, ParseDay("inspection.date", i.date()));
  }
  out.note = i.note();
  for (int k = 0; k < i.deductions_size(); ++k) {
    const v1::Deduction& d = i.deductions(k);
    domain::Deduction dd;
    dd.rule_id = d.rule_id();
    dd.count = d.count() == 0 ? 1 : d.count();
    dd.note = d.note();
    dd.evidence_uri = d.evidence().uri();
    dd.evidence_sha256 = d.evidence().sha256();
    dd.open_task = d.open_task();
    out.deductions.push_back(std::move(dd));
  }
  return out;
}

v1::Inspection ToProto(const domain::Inspection& i, const domain::Standard* standard) {
  v1::Inspection out;
  out.set_id(i.id);
  out.set_campaign_id(i.campaign_id);
  out.set_community_id(i.community_id);
  out.set_kind(static_cast<v1::InspectionKind>(i.kind));
  out.set_date(Day(i.date));
  out.set_inspector_id(i.inspector_id);
  out.set_standard_id(i.standard_id);
  out.set_standard_version(i.standard_version);
  for (const domain::Deduction& d : i.deductions) {
    v1::Deduction* pd = out.add_deductions();
    pd->set_rule_id(d.rule_id);
    pd->set_count(d.count);
    pd->set_note(d.note);
    if (!d.evidence_uri.empty()) {
      pd->mutable_evidence()->set_uri(d.evidence_uri);
      pd->mutable_evidence()->set_sha256(d.evidence_sha256);
    }
    pd->set_open_task(d.open_task);
    pd->set_points(d.points);
    pd->set_task_id(d.task_id);
    if (standard != nullptr) {
      if (const domain::Rule* rule = standard->FindRule(d.rule_id); rule != nullptr) {
        const domain::Item& item = standard->ItemOf(*rule);
        pd->set_item_id(item.id);
        pd->set_category_id(standard->CategoryOf(item).id);
      }
    }
  }
  for (const domain::CategoryScore& c : i.categories) {
    v1::CategoryScore* pc = out.add_categories();
    pc->set_category_id(c.category_id);
    if (standard != nullptr) {
      if (const domain::Category* cat = standard->FindCategory(c.category_id); cat != nullptr) {
        pc->set_name(cat->name);
      }
    }
    pc->set_points(c.points);
    pc->set_deducted(c.deducted);
    pc->set_score(c.score);
  }
  out.set_total(i.total);
  out.set_max_score(i.max_score);
  out.set_note(i.note);
  SetTime(i.create_time, [&] { return out.mutable_create_time(); });
  out.set_etag(Etag(i.version));
  return out;
}

v1::SelfCheckList ToProto(const domain::SelfCheckList& l) {
  v1::SelfCheckList out;
  out.set_campaign_id(l.campaign_id);
  out.set_community_id(l.community_id);
  out.set_submitted_by(l.submitted_by);
  SetTime(l.submit_time, [&] { return out.mutable_submit_time(); });
  for (const std::string& id : l.task_ids) out.add_task_ids(id);
  return out;
}

domain::Evidence FromProto(const v1::Evidence& e) {
  domain::Evidence out;
  out.uri = e.uri();
  out.sha256 = e.sha256();
  out.note = e.note();
  return out;
}

}  // namespace rectify::server
