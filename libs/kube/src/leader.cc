#include "kube/leader.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
#include <random>

namespace ss::kube {
namespace {

using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

// A MicroTime as the API writes it: 2006-01-02T15:04:05.000000Z.
std::string MicroTime(SystemClock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:06d}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     micros % 1000000);
}

// Parses a MicroTime or an RFC 3339 time in UTC; nullopt for anything else.
std::optional<SystemClock::time_point> ParseTime(const std::string& text) {
  std::tm utc{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &utc.tm_year, &utc.tm_mon,
                  &utc.tm_mday, &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  auto time = SystemClock::from_time_t(timegm(&utc));
  std::size_t i = static_cast<std::size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    long fraction = 0;
    int digits = 0;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0; ++i) {
      if (digits < 6) {
        fraction = fraction * 10 + (text[i] - '0');
        ++digits;
      }
    }
    for (; digits < 6; ++digits) {
      fraction *= 10;
    }
    time += std::chrono::microseconds(fraction);
  }
  if (i >= text.size() || text[i] != 'Z') {
    return std::nullopt;
  }
  return time;
}

std::string DefaultIdentity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "_" + std::to_string(getpid());
}

}  // namespace

LeaderElector::LeaderElector(Client& client, LeaderElectionOptions options, Callbacks callbacks)
    : client_(client), options_(std::move(options)), callbacks_(std::move(callbacks)) {
  if (options_.identity.empty()) {
    options_.identity = DefaultIdentity();
  }
}

LeaderElector::~LeaderElector() {
  Stop();
}

void LeaderElector::Start() {
  std::lock_guard lock(mutex_);
  if (!thread_.joinable() && !stopping_) {
    thread_ = std::thread([this] { Run(); });
  }
}

void LeaderElector::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool LeaderElector::Wait(std::chrono::milliseconds period) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, period, [this] { return stopping_; });
}

void LeaderElector::Run() {
  std::mt19937 random(std::random_device{}());
  // Candidates spread their attempts a little so that they do not collide at every period.
  std::uniform_int_distribution<long> jitter(0, options_.retry_period.count() / 5);
  while (true) {
    while (TryAcquireOrRenew() != Attempt::kHeld) {
      if (!Wait(options_.retry_period + std::chrono::milliseconds(jitter(random)))) {
        return;
      }
    }
    leading_ = true;
    spdlog::info("leader election: {} leads {}/{}", options_.identity, options_.ns, options_.name);
    if (callbacks_.started_leading) {
      callbacks_.started_leading();
    }
    auto renewed = SteadyClock::now();
    bool stopping = false;
    while (true) {
      if (!Wait(options_.retry_period)) {
        stopping = true;
        break;
      }
      const Attempt attempt = TryAcquireOrRenew();
      if (attempt == Attempt::kHeld) {
        renewed = SteadyClock::now();
      } else if (attempt == Attempt::kHeldByOther ||
                 SteadyClock::now() - renewed >= options_.renew_deadline) {
        break;
      }
    }
    leading_ = false;
    spdlog::info("leader election: {} stopped leading {}/{}", options_.identity, options_.ns,
                 options_.name);
    if (callbacks_.stopped_leading) {
      callbacks_.stopped_leading();
    }
    if (stopping) {
      Release();
      return;
    }
  }
}

LeaderElector::Attempt LeaderElector::TryAcquireOrRenew() {
  const auto now = SystemClock::now();
  const long duration_seconds = std::max<long>(
      1, std::chrono::duration_cast<std::chrono::seconds>(options_.lease_duration).count());
  auto current = client_.Get(resources::kLeases, options_.ns, options_.name);
  if (!current) {
    if (!current.error().IsNotFound()) {
      spdlog::warn("leader election: cannot read Lease {}/{}: {}", options_.ns, options_.name,
                   current.error().ToString());
      return Attempt::kError;
    }
    const nlohmann::json lease = {
        {"apiVersion", resources::kLeases.ApiVersion()},
        {"kind", "Lease"},
        {"metadata", {{"name", options_.name}, {"namespace", options_.ns}}},
        {"spec",
         {{"holderIdentity", options_.identity},
          {"leaseDurationSeconds", duration_seconds},
          {"acquireTime", MicroTime(now)},
          {"renewTime", MicroTime(now)},
          {"leaseTransitions", 0}}}};
    auto created = client_.Create(resources::kLeases, options_.ns, lease);
    if (!created) {
      if (created.error().IsAlreadyExists()) {
        return Attempt::kHeldByOther;
      }
      spdlog::warn("leader election: cannot create Lease {}/{}: {}", options_.ns, options_.name,
                   created.error().ToString());
      return Attempt::kError;
    }
    Observe(created->value("spec", nlohmann::json::object()));
    return Attempt::kHeld;
  }
  nlohmann::json lease = std::move(*current);
  nlohmann::json& spec = lease["spec"];
  if (!spec.is_object()) {
    spec = nlohmann::json::object();
  }
  Observe(spec);
  const std::string holder = spec.value("holderIdentity", "");
  const bool mine = holder == options_.identity;
  if (!mine && !holder.empty() && !Expired(spec, now)) {
    return Attempt::kHeldByOther;
  }
  spec["holderIdentity"] = options_.identity;
  spec["leaseDurationSeconds"] = duration_seconds;
  spec["renewTime"] = MicroTime(now);
  if (!mine) {
    spec["acquireTime"] = MicroTime(now);
    spec["leaseTransitions"] = spec.value("leaseTransitions", 0L) + 1;
  }
  auto replaced = client_.Replace(resources::kLeases, options_.ns, options_.name, lease);
  if (!replaced) {
    // 409: another candidate wrote first; the next attempt reads who.
    if (!replaced.error().IsConflict()) {
      spdlog::warn("leader election: cannot write Lease {}/{}: {}", options_.ns, options_.name,
                   replaced.error().ToString());
    }
    return Attempt::kError;
  }
  Observe(replaced->value("spec", nlohmann::json::object()));
  return Attempt::kHeld;
}

void LeaderElector::Observe(const nlohmann::json& spec) {
  std::string record = spec.dump();
  if (record != observed_record_) {
    observed_record_ = std::move(record);
    observed_at_ = SteadyClock::now();
  }
}

bool LeaderElector::Expired(const nlohmann::json& spec, SystemClock::time_point now) const {
  const auto duration = std::chrono::seconds(spec.value("leaseDurationSeconds", 0L));
  // By the holder's clock (renewTime), or by ours: the record has not changed for a whole lease
  // duration since we first saw it, which holds whatever the clocks of the two machines say.
  const auto renewed = ParseTime(spec.value("renewTime", ""));
  if (renewed && *renewed + duration < now) {
    return true;
  }
  return SteadyClock::now() - observed_at_ >
         std::max<SteadyClock::duration>(duration, options_.lease_duration);
}

void LeaderElector::Release() {
  auto released = UpdateWithRetry(
      client_, resources::kLeases, options_.ns, options_.name, [this](nlohmann::json& lease) {
        nlohmann::json& spec = lease["spec"];
        if (!spec.is_object() || spec.value("holderIdentity", "") != options_.identity) {
          return false;
        }
        const std::string now = MicroTime(SystemClock::now());
        spec["holderIdentity"] = "";
        spec["leaseDurationSeconds"] = 1;
        spec["acquireTime"] = now;
        spec["renewTime"] = now;
        return true;
      });
  if (!released) {
    spdlog::warn("leader election: cannot release Lease {}/{}: {}", options_.ns, options_.name,
                 released.error().ToString());
  }
}

}  // namespace ss::kube
