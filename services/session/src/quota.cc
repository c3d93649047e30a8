#include "quota.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "kube/quantity.h"
#include "validation.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;

constexpr int32_t kMaxSessionsLimit = 10000;
// Far above any cluster, below where int64 thousandths would overflow.
constexpr long double kMaxCores = 1e6L;
constexpr long double kMaxBytes = 1e18L;

constexpr const char* kUser = "user";
constexpr const char* kGroup = "group";
constexpr const char* kDefault = "default";
constexpr const char* kNone = "none";

// The value of one limit in its base unit, for comparing and checking.
using Measure = int64_t (*)(const std::string&);

int64_t Count(const std::string& text) {
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}
int64_t Milli(const std::string& text) {
  return kube::MilliValue(text);
}
int64_t Bytes(const std::string& text) {
  return kube::Value(text);
}

// A value of 0 (or "0", "0Gi") is not set, wherever it was stored.
pb::EffectiveLimit ResolveOne(const std::string& own, const std::vector<GroupQuotaRow>& groups,
                              std::string (*pick)(const QuotaRow&), Measure measure,
                              const std::string& fallback) {
  const auto set = [measure](const std::string& value) {
    return !value.empty() && measure(value) > 0;
  };
  pb::EffectiveLimit limit;
  if (set(own)) {
    limit.set_value(own);
    limit.set_source(kUser);
    return limit;
  }
  std::optional<int64_t> tightest;
  for (const GroupQuotaRow& group : groups) {
    const std::string value = pick(group.limits);
    if (!set(value))
      continue;
    const int64_t measured = measure(value);
    if (!tightest || measured < *tightest) {
      tightest = measured;
      limit.set_value(value);
      limit.set_source(kGroup);
      limit.set_group(group.group_name);
    }
  }
  if (tightest)
    return limit;
  if (set(fallback)) {
    limit.set_value(fallback);
    limit.set_source(kDefault);
  } else {
    limit.set_source(kNone);
  }
  return limit;
}

std::string SessionsText(int32_t value) {
  return value > 0 ? std::to_string(value) : "";
}

std::string Origin(const pb::EffectiveLimit& limit) {
  if (limit.source() == kUser)
    return "the user's own quota";
  if (limit.source() == kGroup)
    return fmt::format("group \"{}\"", limit.group());
  return "the platform default";
}

// `used` is a count of sessions ("2 are in use") or a quantity ("1500m is in use").
grpc::Status Exceeded(std::string_view name, const pb::EffectiveLimit& limit,
                      std::string_view asked, std::string_view used, bool count = false) {
  return grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      fmt::format("quota exceeded: {} is {} ({}); this asks for {} and {} {} in use", name,
                  limit.value(), Origin(limit), asked, used, count && used != "1" ? "are" : "is"));
}

grpc::Status CheckQuantity(std::string_view field, const std::string& text, long double most) {
  if (text.empty())
    return grpc::Status::OK;
  const std::optional<long double> value = kube::ParseQuantity(text);
  if (!value || *value < 0 || *value > most) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        fmt::format("{} must be a Kubernetes quantity (\"4\", \"4000m\", \"8Gi\"), "
                                    "0 or empty to unset it",
                                    field));
  }
  return grpc::Status::OK;
}

std::string ZeroIsUnset(std::string text) {
  const std::optional<long double> value = kube::ParseQuantity(text);
  return value && *value == 0 ? std::string() : text;
}

// The flat fields that UserQuota and GroupQuota share.
template <typename Quota>
void FillFlat(const QuotaRow& row, const Usage& use, Quota* quota) {
  quota->set_max_sessions(row.max_sessions);
  quota->set_max_cpu(row.max_cpu);
  quota->set_max_memory(row.max_memory);
  quota->set_max_storage(row.max_storage);
  quota->set_used_sessions(use.sessions);
  quota->set_used_cpu(FormatCpu(use.cpu_milli));
  quota->set_used_memory(FormatBytes(use.memory_bytes));
  quota->set_used_storage(FormatBytes(use.storage_bytes));
}

}  // namespace

bool QuotaRow::empty() const {
  return max_sessions == 0 && max_cpu.empty() && max_memory.empty() && max_storage.empty();
}

Usage& Usage::operator+=(const Usage& other) {
  sessions += other.sessions;
  cpu_milli += other.cpu_milli;
  memory_bytes += other.memory_bytes;
  storage_bytes += other.storage_bytes;
  return *this;
}

pb::EffectiveQuota ResolveQuota(const QuotaRow& own, const std::vector<GroupQuotaRow>& groups,
                                const QuotaRow& defaults) {
  pb::EffectiveQuota quota;
  *quota.mutable_max_sessions() = ResolveOne(
      SessionsText(own.max_sessions), groups,
      [](const QuotaRow& row) { return SessionsText(row.max_sessions); }, Count,
      SessionsText(defaults.max_sessions));
  *quota.mutable_max_cpu() = ResolveOne(
      own.max_cpu, groups, [](const QuotaRow& row) { return row.max_cpu; }, Milli,
      defaults.max_cpu);
  *quota.mutable_max_memory() = ResolveOne(
      own.max_memory, groups, [](const QuotaRow& row) { return row.max_memory; }, Bytes,
      defaults.max_memory);
  *quota.mutable_max_storage() = ResolveOne(
      own.max_storage, groups, [](const QuotaRow& row) { return row.max_storage; }, Bytes,
      defaults.max_storage);
  return quota;
}

Usage UseOf(const std::vector<pb::Session>& sessions, std::optional<int64_t> home_bytes,
            std::string_view home_size) {
  Usage use;
  bool home = false;
  for (const pb::Session& session : sessions) {
    ++use.sessions;
    home = home || session.persistent_home();
    if (session.state() == kRunning) {
      use.cpu_milli += kube::MilliValue(session.resources().cpu());
      use.memory_bytes += kube::Value(session.resources().memory());
    }
  }
  if (home_bytes)
    use.storage_bytes = *home_bytes;
  else if (home)
    use.storage_bytes = kube::Value(home_size);
  return use;
}

std::vector<pb::Session> WithClaims(std::vector<pb::Session> sessions,
                                    const std::vector<QuotaClaim>& claims,
                                    const std::function<bool(const std::string&)>& seen) {
  for (const QuotaClaim& claim : claims) {
    if (claim.kind == kCreateClaim) {
      if (seen(claim.session))
        continue;
      pb::Session& created = sessions.emplace_back();
      created.set_name(claim.session);
      created.set_state(kRunning);
      created.mutable_resources()->set_cpu(claim.cpu);
      created.mutable_resources()->set_memory(claim.memory);
      created.set_persistent_home(claim.persistent_home);
      continue;
    }
    for (pb::Session& session : sessions) {
      if (session.name() == claim.session && session.state() == kHibernated)
        session.set_state(kRunning);
    }
  }
  return sessions;
}

bool Unlimited(const pb::EffectiveQuota& limits) {
  return limits.max_sessions().value().empty() && limits.max_cpu().value().empty() &&
         limits.max_memory().value().empty() && limits.max_storage().value().empty();
}

grpc::Status CheckQuota(const pb::EffectiveQuota& limits, const Usage& use,
                        const QuotaDemand& demand) {
  if (demand.sessions > 0 && !limits.max_sessions().value().empty() &&
      use.sessions + demand.sessions > Count(limits.max_sessions().value())) {
    return Exceeded("maxSessions", limits.max_sessions(),
                    demand.sessions == 1 ? "1 more session"
                                         : std::to_string(demand.sessions) + " more sessions",
                    std::to_string(use.sessions), true);
  }
  const int64_t cpu = kube::MilliValue(demand.cpu);
  if (cpu > 0 && !limits.max_cpu().value().empty() &&
      use.cpu_milli + cpu > Milli(limits.max_cpu().value())) {
    return Exceeded("maxCpu", limits.max_cpu(), demand.cpu + " CPU", FormatCpu(use.cpu_milli));
  }
  const int64_t memory = kube::Value(demand.memory);
  if (memory > 0 && !limits.max_memory().value().empty() &&
      use.memory_bytes + memory > Bytes(limits.max_memory().value())) {
    return Exceeded("maxMemory", limits.max_memory(), demand.memory + " of memory",
                    FormatBytes(use.memory_bytes));
  }
  if (demand.storage_bytes > 0 && !limits.max_storage().value().empty() &&
      use.storage_bytes + demand.storage_bytes > Bytes(limits.max_storage().value())) {
    return Exceeded("maxStorage", limits.max_storage(),
                    "a home volume of " + FormatBytes(demand.storage_bytes),
                    FormatBytes(use.storage_bytes));
  }
  return grpc::Status::OK;
}

std::string FormatCpu(int64_t milli) {
  return milli % 1000 == 0 ? std::to_string(milli / 1000) : std::to_string(milli) + "m";
}

std::string FormatBytes(int64_t bytes) {
  static constexpr std::array<const char*, 6> kSuffixes = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
  if (bytes == 0)
    return "0";
  for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
    const int64_t unit = int64_t{1} << (10 * (kSuffixes.size() - i));
    if (bytes % unit == 0)
      return std::to_string(bytes / unit) + kSuffixes[i];
  }
  return std::to_string(bytes);
}

grpc::Status CheckQuotaRow(const QuotaRow& row) {
  if (row.max_sessions < 0 || row.max_sessions > kMaxSessionsLimit) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        fmt::format("maxSessions must be between 0 and {} (0: not set)", kMaxSessionsLimit));
  }
  for (const grpc::Status& status : {
           CheckQuantity("maxCpu", row.max_cpu, kMaxCores),
           CheckQuantity("maxMemory", row.max_memory, kMaxBytes),
           CheckQuantity("maxStorage", row.max_storage, kMaxBytes),
       }) {
    if (!status.ok())
      return status;
  }
  return grpc::Status::OK;
}

QuotaRow Normalized(QuotaRow row) {
  row.max_cpu = ZeroIsUnset(std::move(row.max_cpu));
  row.max_memory = ZeroIsUnset(std::move(row.max_memory));
  row.max_storage = ZeroIsUnset(std::move(row.max_storage));
  return row;
}

void FillQuota(const QuotaRow& row, const Usage& use, pb::UserQuota* quota) {
  FillFlat(row, use, quota);
  pb::QuotaLimits* limits = quota->mutable_limits();
  limits->set_max_sessions(row.max_sessions);
  limits->set_max_cpu(row.max_cpu);
  limits->set_max_memory(row.max_memory);
  limits->set_max_storage(row.max_storage);
  pb::QuotaUse* used = quota->mutable_used();
  used->set_sessions(use.sessions);
  used->set_cpu(quota->used_cpu());
  used->set_memory(quota->used_memory());
  used->set_storage(quota->used_storage());
}

void FillQuota(const QuotaRow& row, const Usage& use, pb::GroupQuota* quota) {
  FillFlat(row, use, quota);
}

}  // namespace ss::session
