// The platform configuration: defaults from the environment, overridden by what an admin set
// (one row in session.platform_config). Current() is thread-safe and cheap: it re-reads the row
// at most every `refresh` so that a change made through another replica shows within that time.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "core/config.h"
#include "db/pool.h"
#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

// DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_SESSION_DURATION, INGRESS_DOMAIN, INGRESS_CLASS,
// STORAGE_CLASS, HOME_SIZE, DELETE_HOME_WITH_SESSION, STARTUP_TIMEOUT.
std::vector<core::Variable> PlatformConfigVariables();
// The defaults from those variables; throws core::ConfigError when one is invalid.
streamspace::session::v1::PlatformConfig PlatformDefaults(const core::Config& config);
// How often the store re-reads the config (CONFIG_REFRESH).
std::chrono::milliseconds ConfigRefreshFrom(const core::Config& config);

// OK, or INVALID_ARGUMENT naming the first invalid field.
grpc::Status CheckPlatformConfig(const streamspace::session::v1::PlatformConfig& config);
// `base` with the fields present in `update` replaced.
streamspace::session::v1::PlatformConfig Merged(
    streamspace::session::v1::PlatformConfig base,
    const streamspace::session::v1::UpdateConfigRequest& update);

class PlatformConfigStore {
 public:
  PlatformConfigStore(db::Pool& pool, streamspace::session::v1::PlatformConfig defaults,
                      std::chrono::milliseconds refresh);

  // The configuration in force; the last one read when the database cannot be reached.
  streamspace::session::v1::PlatformConfig Current();
  // Validates and stores the fields present in `update`; answers the result.
  grpc::Status Update(const streamspace::session::v1::UpdateConfigRequest& update,
                      streamspace::session::v1::PlatformConfig* result);

 private:
  streamspace::session::v1::PlatformConfig Read();

  db::Pool& pool_;
  const streamspace::session::v1::PlatformConfig defaults_;
  const std::chrono::milliseconds refresh_;
  std::mutex mutex_;
  streamspace::session::v1::PlatformConfig current_;
  std::chrono::steady_clock::time_point read_at_{};
};

}  // namespace ss::session
