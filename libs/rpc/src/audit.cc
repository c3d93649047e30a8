#include "rpc/audit.h"

#include <spdlog/spdlog.h>

#include <future>

#include "authn/encoding.h"
#include "authn/remote.h"
#include "core/log.h"
#include "core/rfc3339.h"

namespace ss::rpc {
namespace {

namespace pb = streamspace::auth::v1;

constexpr std::chrono::seconds kWriteDeadline{2};

}  // namespace

pb::AuditEvent NewAuditEvent(std::string_view service, std::string_view method,
                             const Principal& who, std::string object, std::string client_address) {
  pb::AuditEvent event;
  event.set_id(authn::HexEncode(authn::RandomBytes(16)));
  event.set_time(core::FormatRfc3339Millis(std::chrono::system_clock::now()));
  event.set_user_id(who.user_id);
  event.set_username(who.username);
  event.set_token_id(who.token_id);
  event.set_service(std::string(service));
  event.set_method(std::string(method));
  event.set_object(std::move(object));
  event.set_client_address(std::move(client_address));
  event.set_request_id(core::CurrentRequestId());
  return event;
}

struct Auditor::PendingBegin {
  const pb::AuditEvent& event;
  std::promise<grpc::Status> written;
};

Auditor::Auditor(std::shared_ptr<AuditSink> sink, AuditorOptions options)
    : sink_(std::move(sink)),
      options_(options),
      thread_([this] { Run(); }),
      begin_thread_([this] { RunBegins(); }) {}

Auditor::~Auditor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  {
    std::lock_guard lock(begin_mutex_);
    begins_stopping_ = true;
  }
  wake_.notify_all();
  begin_wake_.notify_all();
  begin_thread_.join();
  thread_.join();
}

grpc::Status Auditor::Begin(const pb::AuditEvent& event) {
  PendingBegin pending{event, {}};
  std::future<grpc::Status> written = pending.written.get_future();
  {
    std::lock_guard lock(begin_mutex_);
    if (begins_stopping_)
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the process is stopping");
    begins_.push_back(&pending);
  }
  begin_wake_.notify_one();
  return written.get();
}

void Auditor::RunBegins() {
  std::unique_lock lock(begin_mutex_);
  while (true) {
    begin_wake_.wait(lock, [&] { return begins_stopping_ || !begins_.empty(); });
    if (begins_.empty())
      return;
    // Group commit: every Begin that arrived while the last write was in flight goes in one.
    std::vector<PendingBegin*> batch;
    batch.swap(begins_);
    lock.unlock();
    std::vector<pb::AuditEvent> events;
    events.reserve(batch.size());
    for (const PendingBegin* pending : batch)
      events.push_back(pending->event);
    const grpc::Status status = sink_->Write(events);
    for (PendingBegin* pending : batch)
      pending->written.set_value(status);
    lock.lock();
  }
}

void Auditor::Finish(pb::AuditEvent event) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queued) {
      spdlog::error("audit: {} outcomes wait for auth; the oldest stays pending", queue_.size());
      queue_.pop_front();
    }
    queue_.push_back(std::move(event));
  }
  wake_.notify_all();
}

void Auditor::Run() {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> drain_until;
  int failures = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_ && !drain_until)
      drain_until = Clock::now() + options_.drain_timeout;
    if (queue_.empty() || (drain_until && Clock::now() >= *drain_until))
      break;
    // Let a batch gather, unless stopping.
    if (!stopping_) {
      wake_.wait_for(lock, options_.batch_delay,
                     [&] { return stopping_ || queue_.size() >= options_.max_batch; });
    }
    const std::size_t count = std::min(queue_.size(), options_.max_batch);
    std::vector<pb::AuditEvent> batch(std::make_move_iterator(queue_.begin()),
                                      std::make_move_iterator(queue_.begin() + count));
    queue_.erase(queue_.begin(), queue_.begin() + count);
    lock.unlock();
    const grpc::Status status = sink_->Write(batch);
    lock.lock();
    if (status.ok()) {
      if (failures > 0)
        spdlog::info("audit: outcomes are written again");
      failures = 0;
      continue;
    }
    if (failures++ == 0)
      spdlog::warn("audit: cannot write outcomes ({}); retrying", status.error_message());
    queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                  std::make_move_iterator(batch.end()));
    const auto retry_at = Clock::now() + options_.retry_delay;
    wake_.wait_until(lock, drain_until ? std::min(retry_at, *drain_until) : retry_at,
                     [&] { return stopping_ && !drain_until; });
  }
  if (!queue_.empty())
    spdlog::error("audit: stopping with {} outcomes unsent; their records stay pending",
                  queue_.size());
}

RemoteAuditSink::RemoteAuditSink(std::shared_ptr<grpc::Channel> auth_channel,
                                 std::shared_ptr<authn::ServiceCredentials> credentials)
    : stub_(pb::AuthService::NewStub(std::move(auth_channel))),
      credentials_(std::move(credentials)) {}

grpc::Status RemoteAuditSink::Write(const std::vector<pb::AuditEvent>& events) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kWriteDeadline);
  if (grpc::Status status = credentials_->Authorize(&context); !status.ok())
    return status;
  pb::RecordAuditRequest request;
  request.mutable_events()->Reserve(static_cast<int>(events.size()));
  for (const pb::AuditEvent& event : events)
    *request.add_events() = event;
  pb::RecordAuditResponse response;
  return stub_->RecordAudit(&context, request, &response);
}

std::shared_ptr<Auditor> AuditorFor(const authn::RemoteVerifier& remote) {
  return std::make_shared<Auditor>(
      std::make_shared<RemoteAuditSink>(remote.channel(), remote.credentials()));
}

}  // namespace ss::rpc
