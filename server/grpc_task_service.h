// The TaskService adapter: a few lines per method; the logic is TaskCommands.
//
// It is on gRPC's callback API, the service every durable transition goes
// through: a command is queued to the store's writer (Store::WriteAsync) and
// the call is answered from the store's completion thread once its batch has
// committed, so no thread is parked per call while it waits for the fsync
// (BENCHMARKS.md, finding 15). Reads are answered at once, on the thread that
// received them.
#ifndef RECTIFY_SERVER_GRPC_TASK_SERVICE_H_
#define RECTIFY_SERVER_GRPC_TASK_SERVICE_H_

#include <functional>

#include "rectify/v1/task_service.grpc.pb.h"
#include "server/auth.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcTaskService final : public v1::TaskService::CallbackService {
 public:
  GrpcTaskService(storage::Store& store, const Authenticator& auth, const TaskCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::ServerUnaryReactor* CreateTask(grpc::CallbackServerContext* ctx,
                                       const v1::CreateTaskRequest* req, v1::Task* resp) override;
  grpc::ServerUnaryReactor* GetTask(grpc::CallbackServerContext* ctx, const v1::GetTaskRequest* req,
                                    v1::Task* resp) override;
  grpc::ServerUnaryReactor* ListTasks(grpc::CallbackServerContext* ctx,
                                      const v1::ListTasksRequest* req,
                                      v1::ListTasksResponse* resp) override;
  grpc::ServerUnaryReactor* ListTaskEvents(grpc::CallbackServerContext* ctx,
                                           const v1::ListTaskEventsRequest* req,
                                           v1::ListTaskEventsResponse* resp) override;
  grpc::ServerUnaryReactor* DispatchTask(grpc::CallbackServerContext* ctx,
                                         const v1::DispatchTaskRequest* req,
                                         v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* AcknowledgeTask(grpc::CallbackServerContext* ctx,
                                            const v1::AcknowledgeTaskRequest* req,
                                            v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* ReturnTask(grpc::CallbackServerContext* ctx,
                                       const v1::ReturnTaskRequest* req,
                                       v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* StartTask(grpc::CallbackServerContext* ctx,
                                      const v1::StartTaskRequest* req,
                                      v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* SubmitTask(grpc::CallbackServerContext* ctx,
                                       const v1::SubmitTaskRequest* req,
                                       v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* VerifyTask(grpc::CallbackServerContext* ctx,
                                       const v1::VerifyTaskRequest* req,
                                       v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* RejectTask(grpc::CallbackServerContext* ctx,
                                       const v1::RejectTaskRequest* req,
                                       v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* SuspendTask(grpc::CallbackServerContext* ctx,
                                        const v1::SuspendTaskRequest* req,
                                        v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* ResumeTask(grpc::CallbackServerContext* ctx,
                                       const v1::ResumeTaskRequest* req,
                                       v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* VoidTask(grpc::CallbackServerContext* ctx,
                                     const v1::VoidTaskRequest* req, v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* RequestExtension(grpc::CallbackServerContext* ctx,
                                             const v1::RequestExtensionRequest* req,
                                             v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* DecideExtension(grpc::CallbackServerContext* ctx,
                                            const v1::DecideExtensionRequest* req,
                                            v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* UrgeTask(grpc::CallbackServerContext* ctx,
                                     const v1::UrgeTaskRequest* req, v1::TaskChange* resp) override;
  grpc::ServerUnaryReactor* ReplyUrging(grpc::CallbackServerContext* ctx,
                                        const v1::ReplyUrgingRequest* req,
                                        v1::TaskChange* resp) override;

 private:
  using Op = std::function<absl::StatusOr<TaskChange>(storage::WriteTx&, const Principal&,
                                                      const TaskRef&)>;
  // Identify → queue `op`, once per request_id → answer with the task and its
  // event after the commit. `op` may keep `req`, which lives until then.
  template <typename Request>
  grpc::ServerUnaryReactor* Transition(grpc::CallbackServerContext* ctx, absl::string_view method,
                                       const Request& req, v1::TaskChange* resp, Op op);

  // The reads, answered on the thread that received them.
  grpc::Status Get(const grpc::ServerContextBase& ctx, const v1::GetTaskRequest* req,
                   v1::Task* resp);
  grpc::Status List(const grpc::ServerContextBase& ctx, const v1::ListTasksRequest* req,
                    v1::ListTasksResponse* resp);
  grpc::Status History(const grpc::ServerContextBase& ctx, const v1::ListTaskEventsRequest* req,
                       v1::ListTaskEventsResponse* resp);

  storage::Store& store_;
  const Authenticator& auth_;
  const TaskCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_TASK_SERVICE_H_
