// The event feed: EventHub wakes subscribers when a write commits;
// NotifyingStore is the store the server's services write through, so that
// every committed write rings the hub; GrpcEventService streams events from a
// subscriber's cursor, filtered by type and by what the subscriber may see.
#ifndef RECTIFY_SERVER_EVENT_FEED_H_
#define RECTIFY_SERVER_EVENT_FEED_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rectify/v1/event_service.grpc.pb.h"
#include "server/auth.h"
#include "storage/store.h"

namespace rectify::server {

class EventHub {
 public:
  // A committed write may have appended events.
  void Notify();
  // The number of notifications so far.
  uint64_t generation() const;
  // Blocks until the generation passes `seen`, `timeout` passes or Shutdown().
  void WaitForChange(uint64_t seen, absl::Duration timeout) const;
  // Wakes every waiter for good: streams end so that the server can stop.
  void Shutdown();
  bool shut_down() const;

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

// A Store that notifies `hub` after every successful Write.
class NotifyingStore final : public storage::Store {
 public:
  NotifyingStore(storage::Store& inner, EventHub& hub) : inner_(inner), hub_(hub) {}
  absl::Status Read(const std::function<absl::Status(storage::ReadTx&)>& fn) override {
    return inner_.Read(fn);
  }
  absl::Status Write(const std::function<absl::Status(storage::WriteTx&)>& fn) override;
  void WriteAsync(std::function<absl::Status(storage::WriteTx&)> fn,
                  std::function<void(absl::Status)> done) override;
  std::optional<uint64_t> IdentityGeneration() const override {
    return inner_.IdentityGeneration();
  }

 private:
  storage::Store& inner_;
  EventHub& hub_;
};

// Whether `who` may see `event`: supervisors, admins and centre staff see
// everything; others what names their organisation in its audience or what
// their organisation did.
bool CanSeeEvent(const Principal& who, const domain::Event& event);

class GrpcEventService final : public v1::EventService::Service {
 public:
  GrpcEventService(storage::Store& store, const Authenticator& auth, const EventHub& hub)
      : store_(store), auth_(auth), hub_(hub) {}

  grpc::Status Subscribe(grpc::ServerContext* ctx, const v1::SubscribeRequest* req,
                         grpc::ServerWriter<v1::Event>* writer) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const EventHub& hub_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_EVENT_FEED_H_
