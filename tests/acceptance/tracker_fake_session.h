// A stand-in for the session service in the tracker's acceptance tests: the one peer the tracker
// calls, faked so that the sweeper can be driven with chosen sessions and watched call by call.
// It lists and gets the sessions it holds (paged, by state), applies UpdateSession's state, and
// records every UpdateSession, NotifySession and ReportActivity. Calls without a `service` token
// are refused, as the real service would.
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::test {

struct SessionCall {
  // update, notify, activity
  std::string kind;
  std::string session_id;
  // update: the new state; notify: the reason.
  std::string value;
  // notify: seconds left; activity: active connections.
  int64_t number = 0;
};

class FakeSessionService final : public streamspace::session::v1::SessionService::Service {
 public:
  // Listens on a free loopback port.
  FakeSessionService();
  ~FakeSessionService() override;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Adds or replaces a session (state running unless set).
  void Put(streamspace::session::v1::Session session);
  streamspace::session::v1::Session Get(const std::string& id);
  std::vector<SessionCall> Calls();
  // The recorded calls of one kind about one session.
  std::vector<SessionCall> Calls(const std::string& kind, const std::string& session_id);
  // Calls that came without a service token.
  int refused() const;

  grpc::Status ListSessions(grpc::ServerContext* context,
                            const streamspace::session::v1::ListSessionsRequest* request,
                            streamspace::session::v1::ListSessionsResponse* response) override;
  grpc::Status GetSession(grpc::ServerContext* context,
                          const streamspace::session::v1::GetSessionRequest* request,
                          streamspace::session::v1::Session* response) override;
  grpc::Status UpdateSession(grpc::ServerContext* context,
                             const streamspace::session::v1::UpdateSessionRequest* request,
                             streamspace::session::v1::Session* response) override;
  grpc::Status NotifySession(grpc::ServerContext* context,
                             const streamspace::session::v1::NotifySessionRequest* request,
                             streamspace::session::v1::NotifySessionResponse* response) override;
  grpc::Status ReportActivity(grpc::ServerContext* context,
                              const streamspace::session::v1::ReportActivityRequest* request,
                              streamspace::session::v1::ReportActivityResponse* response) override;

 private:
  bool FromService(const grpc::ServerContext& context);

  mutable std::mutex mutex_;
  std::map<std::string, streamspace::session::v1::Session> sessions_;
  std::vector<SessionCall> calls_;
  int refused_ = 0;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// A session as the session service would list it, created `age` ago.
streamspace::session::v1::Session MakeSession(const std::string& id, const std::string& user,
                                              const std::string& idle_timeout,
                                              const std::string& max_duration,
                                              std::chrono::seconds age = std::chrono::seconds(0));

}  // namespace ss::test
