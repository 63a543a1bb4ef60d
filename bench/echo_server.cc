// bench-echo-server: the ceilings the benchmarks compare rectify-server with.
// A gRPC server on the callback API whose one method answers with the payload
// it got; no authentication, no domain.
//
// Plain (no --durable): answers at once. The machine's gRPC ceiling.
//
// Durable (--durable=file or --durable=sqlite, with --durable_path): the floor
// under any server that keeps rectify's promise, that a write is answered only
// once it is on disk. Each call's payload goes to one writer thread, which
// takes every call waiting, writes them all, syncs once and only then answers
// them (group commit, as rectify's store does):
//   file    appends the payloads to a file and fdatasyncs it: the machine's
//           own gRPC and disk, with nothing a database adds;
//   sqlite  inserts each payload as a row in one transaction on a WAL
//           database with synchronous=FULL, through the same write-gathering
//           VFS as rectify's writer: the least a SQLite-backed durable write
//           costs here.
// (bench/durable_sink.h writes both, and counts what they left.)
//   bench-echo-server --listen=127.0.0.1:0 --port_file=/tmp/port
//   bench-echo-server --durable=sqlite --durable_path=/tmp/floor.db ...
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/durable_sink.h"
#include "bench/echo.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "host:port to serve on (port 0: a free one)");
ABSL_FLAG(std::string, port_file, "", "if set, write the bound port here once serving");
ABSL_FLAG(std::string, durable, "",
          "empty: answer at once; 'file': append each payload to --durable_path and "
          "fdatasync before answering; 'sqlite': insert it into the WAL database "
          "--durable_path (synchronous=FULL) before answering");
ABSL_FLAG(std::string, durable_path, "", "the file or database the durable modes write");

namespace {

using rectify::bench::DurableSink;
using rectify::bench::EchoRequest;
using rectify::bench::EchoResponse;

class EchoService final : public rectify::bench::Echo::CallbackService {
 public:
  explicit EchoService(std::unique_ptr<DurableSink> sink) : sink_(std::move(sink)) {
    if (sink_ != nullptr) writer_ = std::thread([this] { WriteLoop(); });
  }
  ~EchoService() override {
    if (sink_ == nullptr) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const EchoRequest* request,
                                 EchoResponse* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    if (sink_ == nullptr) {
      response->set_payload(request->payload());
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back({request, response, reactor});
    }
    wake_.notify_one();
    return reactor;
  }

 private:
  struct Call {
    const EchoRequest* request;
    EchoResponse* response;
    grpc::ServerUnaryReactor* reactor;
  };

  void WriteLoop() {
    std::vector<Call> batch;
    std::vector<const std::string*> payloads;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [this] { return stop_ || !pending_.empty(); });
        if (pending_.empty()) return;  // stopping, nothing left to answer
        batch.swap(pending_);
      }
      payloads.clear();
      for (const Call& c : batch) payloads.push_back(&c.request->payload());
      const bool ok = sink_->Write(payloads);
      for (const Call& c : batch) {
        if (ok) c.response->set_payload(c.request->payload());
        c.reactor->Finish(ok ? grpc::Status::OK
                             : grpc::Status(grpc::StatusCode::INTERNAL, "the write failed"));
      }
      batch.clear();
    }
  }

  std::unique_ptr<DurableSink> sink_;
  std::thread writer_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Call> pending_;  // guarded by mu_
  bool stop_ = false;          // guarded by mu_
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::unique_ptr<DurableSink> sink;
  if (const std::string durable = absl::GetFlag(FLAGS_durable); !durable.empty()) {
    const std::string path = absl::GetFlag(FLAGS_durable_path);
    if (path.empty()) {
      std::fprintf(stderr, "--durable=%s needs --durable_path\n", durable.c_str());
      return 2;
    }
    absl::StatusOr<std::unique_ptr<DurableSink>> opened =
        rectify::bench::OpenDurableSink(durable, path);
    if (!opened.ok()) {
      std::fprintf(stderr, "--durable=%s: %s\n", durable.c_str(),
                   std::string(opened.status().message()).c_str());
      return absl::IsInvalidArgument(opened.status()) ? 2 : 1;
    }
    sink = *std::move(opened);
  }

  EchoService service(std::move(sink));
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return 1;
  if (const std::string file = absl::GetFlag(FLAGS_port_file); !file.empty()) {
    std::ofstream(file) << port << "\n";
  }
  int signal = 0;
  sigwait(&stop, &signal);
  server->Shutdown();
  return 0;
}
