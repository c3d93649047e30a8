// The sessions API as plain logic: validation, ownership, the Session resources it writes, the
// tracker calls. Reads come from the SessionCache; writes go to Kubernetes and their answers are
// applied to the cache at once (the watch confirms them).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "activity_store.h"
#include "core/config.h"
#include "kube/client.h"
#include "quotas.h"
#include "rpc/call.h"
#include "session_cache.h"
#include "streamspace/session/v1/session.pb.h"
#include "tracker_client.h"

namespace ss::session {

struct DirectoryOptions {
  std::string ns = "streamspace";
  // status.lastActivity is written at most this often per session.
  std::chrono::milliseconds last_activity_interval{30000};
  // Attempts at a free name when the random suffix collides.
  int create_attempts = 5;
};

// LAST_ACTIVITY_INTERVAL and TRACKER_ADDR (the tracker it tells of connections and deletions),
// and the options from the first and NAMESPACE.
std::vector<core::Variable> DirectoryVariables();
DirectoryOptions DirectoryOptionsFrom(const core::Config& config);

class SessionDirectory {
 public:
  using ConfigSource = std::function<streamspace::session::v1::PlatformConfig()>;

  // `activity` may be null (no shared activity table).
  SessionDirectory(kube::Client& client, SessionCache& cache, ConfigSource config, Tracker& tracker,
                   ActivityStore* activity, Quotas& quotas, DirectoryOptions options);

  grpc::Status List(const rpc::Principal& caller,
                    const streamspace::session::v1::ListSessionsRequest& request,
                    streamspace::session::v1::ListSessionsResponse* response) const;
  grpc::Status ListOfUser(const rpc::Principal& caller,
                          const streamspace::session::v1::ListUserSessionsRequest& request,
                          streamspace::session::v1::ListSessionsResponse* response) const;
  grpc::Status Get(const rpc::Principal& caller, const std::string& id,
                   streamspace::session::v1::Session* session) const;
  grpc::Status Create(const rpc::Principal& caller,
                      const streamspace::session::v1::CreateSessionRequest& request,
                      streamspace::session::v1::Session* session);
  grpc::Status Update(const rpc::Principal& caller,
                      const streamspace::session::v1::UpdateSessionRequest& request,
                      streamspace::session::v1::Session* session);
  grpc::Status Delete(const rpc::Principal& caller, const std::string& id);
  grpc::Status Connect(const rpc::Principal& caller,
                       const streamspace::session::v1::ConnectSessionRequest& request,
                       const std::string& client_address,
                       streamspace::session::v1::ConnectSessionResponse* response);
  grpc::Status ReportActivity(const streamspace::session::v1::ReportActivityRequest& request);
  grpc::Status Notify(const streamspace::session::v1::NotifySessionRequest& request);

 private:
  // The caller's view of a session: NOT_FOUND when it does not exist or is another user's.
  grpc::Status Find(const rpc::Principal& caller, const std::string& id,
                    SessionRecord* record) const;
  grpc::Status ListPage(const SessionQuery& base, const std::string& state, int page_size,
                        const std::string& page_token,
                        streamspace::session::v1::ListSessionsResponse* response) const;
  // Moves the desired state of `owner`'s session, checking the transition against the stored
  // resource (and, to running, the owner's quota).
  grpc::Status SetState(const std::string& owner, const std::string& id, const std::string& state,
                        streamspace::session::v1::Session* session);
  grpc::Status SetStateUnchecked(const std::string& id, const std::string& state,
                                 streamspace::session::v1::Session* session);
  grpc::Status TemplateDefaults(const std::string& name, std::string* cpu, std::string* memory);
  void WriteLastActivity(const std::string& id, const std::string& last_activity);

  kube::Client& client_;
  SessionCache& cache_;
  const ConfigSource config_;
  Tracker& tracker_;
  ActivityStore* const activity_;
  Quotas& quotas_;
  const DirectoryOptions options_;
  std::mutex activity_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_activity_written_;
};

}  // namespace ss::session
