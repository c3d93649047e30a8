#include "platform_config.h"

#include <spdlog/spdlog.h>

#include "core/log.h"
#include "db/query.h"
#include "quota.h"
#include "validation.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;

constexpr db::Query kRead{
    "platform_config_read",
    "SELECT default_idle_timeout, default_max_session_duration, ingress_domain, ingress_class, "
    "storage_class, home_size, delete_home_with_session, startup_timeout, default_max_sessions, "
    "default_max_cpu, default_max_memory, default_max_storage "
    "FROM session.platform_config WHERE id = 1"};

// NULL parameters keep the stored value (or the default, when nothing was ever stored).
constexpr db::Query kWrite{
    "platform_config_write",
    "INSERT INTO session.platform_config (id, default_idle_timeout, default_max_session_duration, "
    "ingress_domain, ingress_class, storage_class, home_size, delete_home_with_session, "
    "startup_timeout, default_max_sessions, default_max_cpu, default_max_memory, "
    "default_max_storage) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
    "ON CONFLICT (id) DO UPDATE SET "
    "default_idle_timeout = coalesce($1, session.platform_config.default_idle_timeout), "
    "default_max_session_duration = "
    "coalesce($2, session.platform_config.default_max_session_duration), "
    "ingress_domain = coalesce($3, session.platform_config.ingress_domain), "
    "ingress_class = coalesce($4, session.platform_config.ingress_class), "
    "storage_class = coalesce($5, session.platform_config.storage_class), "
    "home_size = coalesce($6, session.platform_config.home_size), "
    "delete_home_with_session = coalesce($7, session.platform_config.delete_home_with_session), "
    "startup_timeout = coalesce($8, session.platform_config.startup_timeout), "
    "default_max_sessions = coalesce($9, session.platform_config.default_max_sessions), "
    "default_max_cpu = coalesce($10, session.platform_config.default_max_cpu), "
    "default_max_memory = coalesce($11, session.platform_config.default_max_memory), "
    "default_max_storage = coalesce($12, session.platform_config.default_max_storage), "
    "updated_at = now()"};

template <typename T>
std::optional<T> Field(const pqxx::field& field) {
  if (field.is_null())
    return std::nullopt;
  return field.as<T>();
}

template <typename Request, typename Getter, typename Has>
std::optional<std::string> Present(const Request& request, Has has, Getter get) {
  if (!(request.*has)())
    return std::nullopt;
  return (request.*get)();
}

}  // namespace

std::vector<core::Variable> PlatformConfigVariables() {
  return {
      {"DEFAULT_IDLE_TIMEOUT", "30m", "Idle timeout of new sessions, until an admin changes it."},
      {"DEFAULT_MAX_SESSION_DURATION", "8h", "Maximum duration of new sessions (default)."},
      {"INGRESS_DOMAIN", "streamspace.local",
       "Sessions are reached at https://{session}.{INGRESS_DOMAIN} (default)."},
      {"INGRESS_CLASS", "", "IngressClass of session Ingresses; empty for the cluster default."},
      {"STORAGE_CLASS", "", "StorageClass of home volumes; empty for the cluster default."},
      {"HOME_SIZE", "10Gi", "Size of a user's home volume (default)."},
      {"DELETE_HOME_WITH_SESSION", "false",
       "Delete the user's home volume with their last session that used it (default)."},
      {"STARTUP_TIMEOUT", "5m", "A session not Running this long after it was asked to is Failed."},
      {"DEFAULT_MAX_SESSIONS", "0",
       "Sessions a user may have when neither they nor their groups have a limit (0: no limit)."},
      {"DEFAULT_MAX_CPU", "",
       "CPU a user's running sessions may request, likewise (a quantity; empty: no limit)."},
      {"DEFAULT_MAX_MEMORY", "", "Memory of a user's running sessions, likewise."},
      {"DEFAULT_MAX_STORAGE", "", "Size of a user's home volume, likewise."},
      {"CONFIG_REFRESH", "3s",
       "How often the platform config is re-read (changes made through another replica)."},
  };
}

std::chrono::milliseconds ConfigRefreshFrom(const core::Config& config) {
  return config.GetDuration("CONFIG_REFRESH", std::chrono::milliseconds(100));
}

pb::PlatformConfig PlatformDefaults(const core::Config& config) {
  pb::PlatformConfig defaults;
  defaults.set_default_idle_timeout(config.Get("DEFAULT_IDLE_TIMEOUT"));
  defaults.set_default_max_session_duration(config.Get("DEFAULT_MAX_SESSION_DURATION"));
  defaults.set_ingress_domain(config.Get("INGRESS_DOMAIN"));
  defaults.set_ingress_class(config.Get("INGRESS_CLASS"));
  defaults.set_storage_class(config.Get("STORAGE_CLASS"));
  defaults.set_home_size(config.Get("HOME_SIZE"));
  defaults.set_delete_home_with_session(config.GetBool("DELETE_HOME_WITH_SESSION"));
  defaults.set_startup_timeout(config.Get("STARTUP_TIMEOUT"));
  defaults.set_default_max_sessions(static_cast<int32_t>(config.GetInt("DEFAULT_MAX_SESSIONS")));
  defaults.set_default_max_cpu(config.Get("DEFAULT_MAX_CPU"));
  defaults.set_default_max_memory(config.Get("DEFAULT_MAX_MEMORY"));
  defaults.set_default_max_storage(config.Get("DEFAULT_MAX_STORAGE"));
  if (grpc::Status status = CheckPlatformConfig(defaults); !status.ok())
    throw core::ConfigError(status.error_message());
  return defaults;
}

grpc::Status CheckPlatformConfig(const pb::PlatformConfig& config) {
  for (const grpc::Status& status : {
           CheckDuration("defaultIdleTimeout", config.default_idle_timeout()),
           CheckDuration("defaultMaxSessionDuration", config.default_max_session_duration()),
           CheckDomain("ingressDomain", config.ingress_domain()),
           CheckClassName("ingressClass", config.ingress_class()),
           CheckClassName("storageClass", config.storage_class()),
           CheckStorageSize("homeSize", config.home_size()),
           CheckDuration("startupTimeout", config.startup_timeout()),
           CheckQuotaRow(QuotaRow{config.default_max_sessions(), config.default_max_cpu(),
                                  config.default_max_memory(), config.default_max_storage()}),
       }) {
    if (!status.ok())
      return status;
  }
  return grpc::Status::OK;
}

pb::PlatformConfig Merged(pb::PlatformConfig base, const pb::UpdateConfigRequest& update) {
  if (update.has_default_idle_timeout())
    base.set_default_idle_timeout(update.default_idle_timeout());
  if (update.has_default_max_session_duration())
    base.set_default_max_session_duration(update.default_max_session_duration());
  if (update.has_ingress_domain())
    base.set_ingress_domain(update.ingress_domain());
  if (update.has_ingress_class())
    base.set_ingress_class(update.ingress_class());
  if (update.has_storage_class())
    base.set_storage_class(update.storage_class());
  if (update.has_home_size())
    base.set_home_size(update.home_size());
  if (update.has_delete_home_with_session())
    base.set_delete_home_with_session(update.delete_home_with_session());
  if (update.has_startup_timeout())
    base.set_startup_timeout(update.startup_timeout());
  if (update.has_default_max_sessions())
    base.set_default_max_sessions(update.default_max_sessions());
  if (update.has_default_max_cpu())
    base.set_default_max_cpu(update.default_max_cpu());
  if (update.has_default_max_memory())
    base.set_default_max_memory(update.default_max_memory());
  if (update.has_default_max_storage())
    base.set_default_max_storage(update.default_max_storage());
  return base;
}

PlatformConfigStore::PlatformConfigStore(db::Pool& pool, pb::PlatformConfig defaults,
                                         std::chrono::milliseconds refresh)
    : pool_(pool), defaults_(std::move(defaults)), refresh_(refresh), current_(defaults_) {}

pb::PlatformConfig PlatformConfigStore::Current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - read_at_ < refresh_)
    return current_;
  try {
    current_ = Read();
  } catch (const std::exception& e) {
    spdlog::warn("platform config: keeping the last one read: {}", core::FirstLine(e.what()));
  }
  read_at_ = now;
  return current_;
}

grpc::Status PlatformConfigStore::Update(const pb::UpdateConfigRequest& update,
                                         pb::PlatformConfig* result) {
  // Validate the fields given on their own: the stored row may hold other fields' values that
  // are valid by the same rules.
  if (grpc::Status status = CheckPlatformConfig(Merged(defaults_, update)); !status.ok())
    return status;
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kWrite,
                Present(update, &pb::UpdateConfigRequest::has_default_idle_timeout,
                        &pb::UpdateConfigRequest::default_idle_timeout),
                Present(update, &pb::UpdateConfigRequest::has_default_max_session_duration,
                        &pb::UpdateConfigRequest::default_max_session_duration),
                Present(update, &pb::UpdateConfigRequest::has_ingress_domain,
                        &pb::UpdateConfigRequest::ingress_domain),
                Present(update, &pb::UpdateConfigRequest::has_ingress_class,
                        &pb::UpdateConfigRequest::ingress_class),
                Present(update, &pb::UpdateConfigRequest::has_storage_class,
                        &pb::UpdateConfigRequest::storage_class),
                Present(update, &pb::UpdateConfigRequest::has_home_size,
                        &pb::UpdateConfigRequest::home_size),
                update.has_delete_home_with_session()
                    ? std::optional<bool>(update.delete_home_with_session())
                    : std::nullopt,
                Present(update, &pb::UpdateConfigRequest::has_startup_timeout,
                        &pb::UpdateConfigRequest::startup_timeout),
                update.has_default_max_sessions()
                    ? std::optional<int32_t>(update.default_max_sessions())
                    : std::nullopt,
                Present(update, &pb::UpdateConfigRequest::has_default_max_cpu,
                        &pb::UpdateConfigRequest::default_max_cpu),
                Present(update, &pb::UpdateConfigRequest::has_default_max_memory,
                        &pb::UpdateConfigRequest::default_max_memory),
                Present(update, &pb::UpdateConfigRequest::has_default_max_storage,
                        &pb::UpdateConfigRequest::default_max_storage));
  });
  std::lock_guard lock(mutex_);
  current_ = Read();
  read_at_ = std::chrono::steady_clock::now();
  *result = current_;
  return grpc::Status::OK;
}

pb::PlatformConfig PlatformConfigStore::Read() {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kRead);
    pb::PlatformConfig config = defaults_;
    if (result.empty())
      return config;
    const pqxx::row& row = result[0];
    pb::UpdateConfigRequest stored;
    if (auto v = Field<std::string>(row[0]))
      stored.set_default_idle_timeout(*v);
    if (auto v = Field<std::string>(row[1]))
      stored.set_default_max_session_duration(*v);
    if (auto v = Field<std::string>(row[2]))
      stored.set_ingress_domain(*v);
    if (auto v = Field<std::string>(row[3]))
      stored.set_ingress_class(*v);
    if (auto v = Field<std::string>(row[4]))
      stored.set_storage_class(*v);
    if (auto v = Field<std::string>(row[5]))
      stored.set_home_size(*v);
    if (auto v = Field<bool>(row[6]))
      stored.set_delete_home_with_session(*v);
    if (auto v = Field<std::string>(row[7]))
      stored.set_startup_timeout(*v);
    if (auto v = Field<int32_t>(row[8]))
      stored.set_default_max_sessions(*v);
    if (auto v = Field<std::string>(row[9]))
      stored.set_default_max_cpu(*v);
    if (auto v = Field<std::string>(row[10]))
      stored.set_default_max_memory(*v);
    if (auto v = Field<std::string>(row[11]))
      stored.set_default_max_storage(*v);
    return Merged(std::move(config), stored);
  });
}

}  // namespace ss::session
