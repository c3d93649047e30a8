#include "activity_reporter.h"

#include <spdlog/spdlog.h>

#include "core/rfc3339.h"
#include "metrics/registry.h"

namespace ss::tracker {
namespace {

metrics::Counter& Reports(const std::string& result) {
  return metrics::Registry::Default().GetCounter("tracker_activity_reports_total",
                                                 "Activity reports sent to the session service.",
                                                 {{"result", result}});
}

// Failures that may pass: the session service restarting, overloaded, or our token not yet
// issued.
bool Transient(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
      return true;
    default:
      return false;
  }
}

}  // namespace

ActivityReporter::ActivityReporter(SessionPeerPtr peer, ReadActivity read,
                                   std::chrono::milliseconds retry_after)
    : peer_(std::move(peer)), read_(std::move(read)), retry_after_(retry_after) {
  thread_ = std::thread([this] { Run(); });
}

ActivityReporter::~ActivityReporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ActivityReporter::Changed(const std::string& session_id) {
  {
    std::lock_guard lock(mutex_);
    pending_.insert(session_id);
  }
  wake_.notify_one();
}

bool ActivityReporter::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return pending_.empty() && !busy_; });
}

void ActivityReporter::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_)
      return;
    std::set<std::string> batch;
    batch.swap(pending_);
    busy_ = true;
    lock.unlock();
    std::set<std::string> failed;
    for (const std::string& session_id : batch) {
      if (!Send(session_id))
        failed.insert(session_id);
    }
    lock.lock();
    busy_ = false;
    if (failed.empty()) {
      if (pending_.empty())
        idle_.notify_all();
      continue;
    }
    pending_.insert(failed.begin(), failed.end());
    wake_.wait_for(lock, retry_after_, [this] { return stopping_; });
  }
}

bool ActivityReporter::Send(const std::string& session_id) {
  std::optional<streamspace::session::v1::ReportActivityRequest> request;
  try {
    request = read_(session_id);
  } catch (const std::exception& e) {
    spdlog::warn("activity of session {} not read: {}", session_id, e.what());
  }
  if (!request) {
    Reports("retried").Inc();
    return false;
  }
  const grpc::Status status = peer_->ReportActivity(*request);
  if (status.ok()) {
    Reports("ok").Inc();
    return true;
  }
  if (Transient(status.error_code())) {
    spdlog::warn("activity report of session {} failed, will retry: {}", session_id,
                 status.error_message());
    Reports("retried").Inc();
    return false;
  }
  spdlog::debug("activity report of session {} refused: {}", session_id, status.error_message());
  Reports("refused").Inc();
  return true;
}

ActivityReporter::ReadActivity ActivityFrom(ConnectionStore& store) {
  return [&store](const std::string& session_id) {
    int64_t now_ms = 0;
    const auto activity = store.Activity({session_id}, &now_ms);
    streamspace::session::v1::ReportActivityRequest request;
    request.set_session_id(session_id);
    if (auto found = activity.find(session_id); found != activity.end()) {
      request.set_active_connections(found->second.active);
      if (found->second.last_activity_ms) {
        request.set_last_activity(core::FormatRfc3339(std::chrono::system_clock::time_point(
            std::chrono::milliseconds(*found->second.last_activity_ms))));
      }
    }
    return std::optional(request);
  };
}

}  // namespace ss::tracker
