// The TaskService adapter: a few lines per method; the logic is TaskCommands.
#ifndef RECTIFY_SERVER_GRPC_TASK_SERVICE_H_
#define RECTIFY_SERVER_GRPC_TASK_SERVICE_H_

#include <functional>

#include "rectify/v1/task_service.grpc.pb.h"
#include "server/auth.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcTaskService final : public v1::TaskService::Service {
 public:
  GrpcTaskService(storage::Store& store, const Authenticator& auth, const TaskCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status CreateTask(grpc::ServerContext* ctx, const v1::CreateTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status GetTask(grpc::ServerContext* ctx, const v1::GetTaskRequest* req,
                       v1::Task* resp) override;
  grpc::Status ListTasks(grpc::ServerContext* ctx, const v1::ListTasksRequest* req,
                         v1::ListTasksResponse* resp) override;
  grpc::Status ListTaskEvents(grpc::ServerContext* ctx, const v1::ListTaskEventsRequest* req,
                              v1::ListTaskEventsResponse* resp) override;
  grpc::Status DispatchTask(grpc::ServerContext* ctx, const v1::DispatchTaskRequest* req,
                            v1::TaskChange* resp) override;
  grpc::Status AcknowledgeTask(grpc::ServerContext* ctx, const v1::AcknowledgeTaskRequest* req,
                               v1::TaskChange* resp) override;
  grpc::Status ReturnTask(grpc::ServerContext* ctx, const v1::ReturnTaskRequest* req,
                          v1::TaskChange* resp) override;
  grpc::Status StartTask(grpc::ServerContext* ctx, const v1::StartTaskRequest* req,
                         v1::TaskChange* resp) override;
  grpc::Status SubmitTask(grpc::ServerContext* ctx, const v1::SubmitTaskRequest* req,
                          v1::TaskChange* resp) override;
  grpc::Status VerifyTask(grpc::ServerContext* ctx, const v1::VerifyTaskRequest* req,
                          v1::TaskChange* resp) override;
  grpc::Status RejectTask(grpc::ServerContext* ctx, const v1::RejectTaskRequest* req,
                          v1::TaskChange* resp) override;
  grpc::Status SuspendTask(grpc::ServerContext* ctx, const v1::SuspendTaskRequest* req,
                           v1::TaskChange* resp) override;
  grpc::Status ResumeTask(grpc::ServerContext* ctx, const v1::ResumeTaskRequest* req,
                          v1::TaskChange* resp) override;
  grpc::Status VoidTask(grpc::ServerContext* ctx, const v1::VoidTaskRequest* req,
                        v1::TaskChange* resp) override;
  grpc::Status RequestExtension(grpc::ServerContext* ctx, const v1::RequestExtensionRequest* req,
                                v1::TaskChange* resp) override;
  grpc::Status DecideExtension(grpc::ServerContext* ctx, const v1::DecideExtensionRequest* req,
                               v1::TaskChange* resp) override;
  grpc::Status UrgeTask(grpc::ServerContext* ctx, const v1::UrgeTaskRequest* req,
                        v1::TaskChange* resp) override;
  grpc::Status ReplyUrging(grpc::ServerContext* ctx, const v1::ReplyUrgingRequest* req,
                           v1::TaskChange* resp) override;

 private:
  using Op = std::function<absl::StatusOr<TaskChange>(storage::WriteTx&, const Principal&,
                                                      const TaskRef&)>;
  // Identify → run `op` once per request_id → the task and its event.
  template <typename Request>
  grpc::Status Transition(grpc::ServerContext* ctx, absl::string_view method, const Request& req,
                          v1::TaskChange* resp, const Op& op);

  storage::Store& store_;
  const Authenticator& auth_;
  const TaskCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_TASK_SERVICE_H_
