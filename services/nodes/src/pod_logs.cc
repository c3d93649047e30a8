#include "pod_logs.h"

#include <atomic>
#include <thread>

#include "kube/grpc_status.h"
#include "validation.h"

namespace ss::nodes {
namespace {

constexpr int kDefaultTail = 100;
constexpr int kDefaultFollowTail = 50;
constexpr int kMaxTail = 10000;
constexpr std::size_t kMaxTailBytes = 1 << 20;

grpc::Status CheckTail(const std::optional<int>& requested, int fallback, int* tail) {
  *tail = requested.value_or(fallback);
  if (*tail < 0 || *tail > kMaxTail) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "tailLines must be between 0 and " + std::to_string(kMaxTail));
  }
  return grpc::Status::OK;
}

std::optional<int> Optional(bool has, int value) {
  return has ? std::optional<int>(value) : std::nullopt;
}

}  // namespace

void LastLines::Add(std::string_view line) {
  lines_.emplace_back(line);
  bytes_ += line.size();
  while (bytes_ > max_bytes_ && !lines_.empty()) {
    bytes_ -= lines_.front().size();
    lines_.pop_front();
  }
}

grpc::Status PodLogReader::CheckAccess(const rpc::Principal& caller, const std::string& ns,
                                       const std::string& pod) const {
  if (grpc::Status status = CheckNamespaceAndPod(ns, pod); !status.ok())
    return status;
  const auto found = cache_.FindPod(ns, pod);
  if (!found ||
      (!caller.privileged() && (found->user_id.empty() || found->user_id != caller.user_id))) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "pod " + ns + "/" + pod + " not found");
  }
  return grpc::Status::OK;
}

grpc::Status PodLogReader::Tail(const rpc::Principal& caller, const pb::GetPodLogsRequest& request,
                                pb::PodLogs* response) {
  int tail = 0;
  if (grpc::Status status =
          CheckTail(Optional(request.has_tail_lines(), request.tail_lines()), kDefaultTail, &tail);
      !status.ok())
    return status;
  if (grpc::Status status = CheckAccess(caller, request.namespace_(), request.name()); !status.ok())
    return status;
  kube::LogOptions options;
  options.container = request.container();
  options.tail_lines = tail;
  response->set_namespace_(request.namespace_());
  response->set_pod(request.name());
  response->set_container(request.container());
  LastLines last(kMaxTailBytes);
  auto streamed =
      client_.StreamLogs(request.namespace_(), request.name(), options, [&](std::string_view line) {
        last.Add(line);
        return true;
      });
  if (!streamed)
    return kube::ToGrpcStatus(streamed.error(),
                              "pod " + request.namespace_() + "/" + request.name());
  for (std::string& line : last.lines())
    response->add_lines(std::move(line));
  return grpc::Status::OK;
}

grpc::Status PodLogReader::Follow(const rpc::Principal& caller,
                                  const pb::FollowPodLogsRequest& request,
                                  const std::function<bool(const pb::PodLogEvent&)>& write,
                                  const std::function<bool()>& cancelled) {
  int tail = 0;
  if (grpc::Status status = CheckTail(Optional(request.has_tail_lines(), request.tail_lines()),
                                      kDefaultFollowTail, &tail);
      !status.ok())
    return status;
  if (grpc::Status status = CheckAccess(caller, request.namespace_(), request.pod()); !status.ok())
    return status;
  kube::LogOptions options;
  options.container = request.container();
  options.tail_lines = tail;
  options.follow = true;
  pb::PodLogEvent event;
  event.set_namespace_(request.namespace_());
  event.set_pod(request.pod());
  event.set_container(request.container());

  // The stream blocks in a read while the pod is quiet: a watchdog ends it when the client goes.
  kube::Cancellation cancellation;
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    while (!done) {
      if (cancelled()) {
        cancellation.Cancel();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  bool client_gone = false;
  event.set_type("log");
  auto streamed = client_.StreamLogs(
      request.namespace_(), request.pod(), options,
      [&](std::string_view line) {
        event.set_line(std::string(line));
        client_gone = !write(event);
        return !client_gone;
      },
      &cancellation);
  done = true;
  watchdog.join();
  const std::string subject = "pod " + request.namespace_() + "/" + request.pod();
  if (client_gone || cancelled())
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  if (!streamed && !streamed.error().IsNotFound())
    return kube::ToGrpcStatus(streamed.error(), subject);
  auto pod = client_.Get(kube::resources::kPods, request.namespace_(), request.pod());
  event.clear_line();
  event.set_type("end");
  event.set_reason(!pod && pod.error().IsNotFound() ? "pod deleted" : "log ended");
  write(event);
  return grpc::Status::OK;
}

}  // namespace ss::nodes
