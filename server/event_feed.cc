#include "server/event_feed.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

constexpr int kBatch = 500;
// How long a following stream sleeps without a notification before it looks
// again (and notices a cancelled caller).
constexpr absl::Duration kIdleWake = absl::Milliseconds(500);

bool Wanted(const std::vector<std::string>& types, const domain::Event& event) {
  if (types.empty()) return true;
  return std::any_of(types.begin(), types.end(), [&](const std::string& t) {
    return absl::EndsWith(t, ".") ? absl::StartsWith(event.type, t) : event.type == t;
  });
}

}  // namespace

void EventHub::Notify() {
  absl::MutexLock lock(&mu_);
  ++generation_;
}

uint64_t EventHub::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

void EventHub::WaitForChange(uint64_t seen, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto changed = [this, seen]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return generation_ != seen || shut_down_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
}

void EventHub::Shutdown() {
  absl::MutexLock lock(&mu_);
  shut_down_ = true;
}

bool EventHub::shut_down() const {
  absl::MutexLock lock(&mu_);
  return shut_down_;
}

absl::Status NotifyingStore::Write(const std::function<absl::Status(storage::WriteTx&)>& fn) {
  absl::Status status = inner_.Write(fn);
  if (status.ok()) hub_.Notify();
  return status;
}

void NotifyingStore::WriteAsync(std::function<absl::Status(storage::WriteTx&)> fn,
                                std::function<void(absl::Status)> done) {
  inner_.WriteAsync(std::move(fn), [this, done = std::move(done)](absl::Status status) {
    if (status.ok()) hub_.Notify();
    done(std::move(status));
  });
}

bool CanSeeEvent(const Principal& who, const domain::Event& event) {
  if (who.is_supervisor() || who.person.role == domain::Role::kCentreStaff) return true;
  const std::string& org = who.organisation.id;
  if (!org.empty() && event.actor_org_id == org) return true;
  return std::find(event.audience.begin(), event.audience.end(), org) != event.audience.end();
}

grpc::Status GrpcEventService::Subscribe(grpc::ServerContext* ctx,
                                         const v1::SubscribeRequest* req,
                                         grpc::ServerWriter<v1::Event>* writer) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  if (req->after_seq() < 0) {
    return ToGrpc(absl::InvalidArgumentError("'after_seq' is negative; start from 0"));
  }
  const std::vector<std::string> types(req->types().begin(), req->types().end());
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i].empty()) {
      return ToGrpc(absl::InvalidArgumentError(
          absl::StrCat("'types[", i, "]' is empty; give a type or a prefix ending in '.'")));
    }
  }
  int64_t cursor = req->after_seq();
  while (true) {
    if (ctx->IsCancelled()) return grpc::Status::CANCELLED;
    if (hub_.shut_down()) {
      return ToGrpc(absl::UnavailableError(absl::StrCat(
          "the server is shutting down; reconnect and resume after seq ", cursor)));
    }
    // Read the generation first: a write committed after the read below
    // moves it on, so the wait cannot miss it.
    const uint64_t generation = hub_.generation();
    std::vector<domain::Event> batch;
    absl::Status read = store_.Read([&](storage::ReadTx& tx) -> absl::Status {
      RECTIFY_ASSIGN_OR_RETURN(batch, tx.ListEvents("", cursor, kBatch));
      return absl::OkStatus();
    });
    if (!read.ok()) return ToGrpc(read);
    for (const domain::Event& event : batch) {
      cursor = event.seq;
      if (!Wanted(types, event) || !CanSeeEvent(who, event)) continue;
      if (!writer->Write(ToProto(event))) return grpc::Status::CANCELLED;  // the caller left
    }
    if (static_cast<int>(batch.size()) == kBatch) continue;
    if (!req->follow()) return grpc::Status::OK;
    hub_.WaitForChange(generation, kIdleWake);
  }
}

}  // namespace rectify::server
