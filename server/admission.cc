#include "server/admission.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace rectify::server {
namespace {

// Set by the interceptor on a refused call; its value is the cap. A client
// sending it itself only gets its own call refused.
constexpr char kRefusedKey[] = "rectify-admission-refused";

class Admission;

class AdmissionInterceptor final : public grpc::experimental::Interceptor {
 public:
  AdmissionInterceptor(std::atomic<int>& inflight, int max, const std::string& max_text)
      : inflight_(inflight), max_text_(max_text) {
    admitted_ = inflight_.fetch_add(1) < max;
    if (!admitted_) inflight_.fetch_sub(1);
  }
  ~AdmissionInterceptor() override {
    if (admitted_) inflight_.fetch_sub(1);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!admitted_ && methods->QueryInterceptionHookPoint(
                          grpc::experimental::InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      methods->GetRecvInitialMetadata()->emplace(grpc::string_ref(kRefusedKey),
                                                 grpc::string_ref(max_text_));
    }
    methods->Proceed();
  }

 private:
  std::atomic<int>& inflight_;
  const std::string& max_text_;
  bool admitted_ = false;
};

class Admission final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Admission(int max) : max_(max), max_text_(absl::StrCat(max)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* /*info*/) override {
    return new AdmissionInterceptor(inflight_, max_, max_text_);
  }

 private:
  const int max_;
  const std::string max_text_;  // lives as long as the server: the metadata points into it
  std::atomic<int> inflight_{0};
};

}  // namespace

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAdmission(int max_inflight) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> out;
  out.push_back(std::make_unique<Admission>(max_inflight));
  return out;
}

absl::Status CheckAdmitted(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto it = metadata.find(kRefusedKey);
  if (it == metadata.end()) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the server is overloaded: it already has ",
      absl::string_view(it->second.data(), it->second.size()),
      " calls in flight (--max_inflight); retry after a short backoff"));
}

}  // namespace rectify::server
