// The audit log's writing side (DESIGN.md, Identity: "every change is written to the audit log").
// auth keeps the log. Before a handler changes anything, its record is written with the outcome
// `pending` and the call waits for that write: a change is never acknowledged, nor even made,
// without its record (if the record cannot be written, the call answers UNAVAILABLE and changes
// nothing). The outcome follows from a queue, batched, retried until auth takes it; a record whose
// outcome never arrives because the process died in between stays `pending`, which is what it
// then is: the change may or may not have been made.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "rpc/call.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::authn {
class RemoteVerifier;
class ServiceCredentials;
}  // namespace ss::authn

namespace ss::rpc {

// A record of a call by `who`, stamped now, without its outcome.
streamspace::auth::v1::AuditEvent NewAuditEvent(std::string_view service, std::string_view method,
                                                const Principal& who, std::string object,
                                                std::string client_address);

// Where records go: auth's table (auth itself) or auth's RecordAudit (every other process).
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Writes the records (insert, or complete one with the same id); idempotent.
  virtual grpc::Status Write(const std::vector<streamspace::auth::v1::AuditEvent>& events) = 0;
};

struct AuditorOptions {
  // Outcomes wait at most this long to be sent with others.
  std::chrono::milliseconds batch_delay{100};
  std::size_t max_batch = 200;
  // A failed write of outcomes is retried after this.
  std::chrono::milliseconds retry_delay{1000};
  // Outcomes kept while auth cannot take them; older ones are dropped (their records stay
  // `pending`) with an error in the log.
  std::size_t max_queued = 100000;
  // How long the destructor waits to send what is queued.
  std::chrono::milliseconds drain_timeout{3000};
};

class Auditor {
 public:
  Auditor(std::shared_ptr<AuditSink> sink, AuditorOptions options = {});
  // Sends what is queued (up to drain_timeout) and stops its threads.
  ~Auditor();
  Auditor(const Auditor&) = delete;
  Auditor& operator=(const Auditor&) = delete;

  // Writes the record (outcome `pending`) and waits until it is written; the call must not change
  // anything unless OK. Records that arrive while a write is in flight go together in the next.
  grpc::Status Begin(const streamspace::auth::v1::AuditEvent& event);
  // Queues a record with its outcome.
  void Finish(streamspace::auth::v1::AuditEvent event);

 private:
  struct PendingBegin;
  void Run();
  void RunBegins();

  std::shared_ptr<AuditSink> sink_;
  AuditorOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<streamspace::auth::v1::AuditEvent> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::mutex begin_mutex_;
  std::condition_variable begin_wake_;
  std::vector<PendingBegin*> begins_;
  bool begins_stopping_ = false;
  std::thread begin_thread_;
};

// Records sent to auth's RecordAudit with the process's service token.
class RemoteAuditSink final : public AuditSink {
 public:
  RemoteAuditSink(std::shared_ptr<grpc::Channel> auth_channel,
                  std::shared_ptr<authn::ServiceCredentials> credentials);
  grpc::Status Write(const std::vector<streamspace::auth::v1::AuditEvent>& events) override;

 private:
  std::unique_ptr<streamspace::auth::v1::AuthService::Stub> stub_;
  std::shared_ptr<authn::ServiceCredentials> credentials_;
};

// The auditor of a process other than auth: records go to auth over the verifier's channel, with
// its service credentials.
std::shared_ptr<Auditor> AuditorFor(const authn::RemoteVerifier& remote);

}  // namespace ss::rpc
