// Quotas as plain logic: limits and how they resolve, what a user's sessions use, and whether a
// new demand fits. No I/O: Quotas (quotas.h) reads the rows and the sessions and calls these.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

// One subject's limits as stored: 0 or "" is not set.
struct QuotaRow {
  int32_t max_sessions = 0;
  std::string max_cpu;
  std::string max_memory;
  std::string max_storage;

  bool empty() const;
};

// A group's row, with the name the messages show.
struct GroupQuotaRow {
  std::string group_name;
  QuotaRow limits;
};

// The limits that apply to one user, each resolved on its own: the user's value where set, else
// the tightest of the groups' (the user's groups and their ancestors), else the default.
streamspace::session::v1::EffectiveQuota ResolveQuota(const QuotaRow& own,
                                                      const std::vector<GroupQuotaRow>& groups,
                                                      const QuotaRow& defaults);

// What sessions use, in base units: thousandths of a core and bytes.
struct Usage {
  int32_t sessions = 0;
  int64_t cpu_milli = 0;
  int64_t memory_bytes = 0;
  int64_t storage_bytes = 0;

  Usage& operator+=(const Usage& other);
};

// The use of one user's `sessions` (every one not deleted counts as a session; those whose
// desired state is running count their CPU and memory) and of their home volume: `home_bytes`
// when the claim exists, else `home_size` when a session mounts the home.
Usage UseOf(const std::vector<streamspace::session::v1::Session>& sessions,
            std::optional<int64_t> home_bytes, std::string_view home_size);

// What a create or a wake adds.
struct QuotaDemand {
  int32_t sessions = 0;
  // As asked ("500m", "2Gi"), for the messages; empty adds nothing.
  std::string cpu;
  std::string memory;
  // The home volume this session would create (its size), or 0.
  int64_t storage_bytes = 0;
};

inline constexpr const char* kCreateClaim = "create";
inline constexpr const char* kWakeClaim = "wake";

// A write a replica admitted: a new session (kCreateClaim) or a wake (kWakeClaim).
struct QuotaClaim {
  std::string session;
  std::string kind;
  std::string cpu;
  std::string memory;
  bool persistent_home = false;
};

// The user's sessions as a cache holds them, with the claims the cache has not caught up with
// applied: a claimed create the cache has not `seen` is added (running), a claimed wake of a
// session the cache still shows hibernated runs.
std::vector<streamspace::session::v1::Session> WithClaims(
    std::vector<streamspace::session::v1::Session> sessions, const std::vector<QuotaClaim>& claims,
    const std::function<bool(const std::string&)>& seen);

// OK, or RESOURCE_EXHAUSTED naming the first limit the demand would exceed, where the limit
// comes from, what is asked and what is in use.
grpc::Status CheckQuota(const streamspace::session::v1::EffectiveQuota& limits, const Usage& use,
                        const QuotaDemand& demand);

// True when no limit applies (nothing to check, nothing to lock).
bool Unlimited(const streamspace::session::v1::EffectiveQuota& limits);

// Quantities for people: "1500m" or "2" cores; "512Mi", "3Gi" or bytes.
std::string FormatCpu(int64_t milli);
std::string FormatBytes(int64_t bytes);

// Checks a limit given by a client: maxSessions 0-10000; CPU, memory and storage "" or a
// quantity (0 unsets it).
grpc::Status CheckQuotaRow(const QuotaRow& row);
// "0" and "" both mean unset: stored as "".
QuotaRow Normalized(QuotaRow row);

// Fills the flat fields, `limits` and `used` of a UserQuota (or the flat ones of a GroupQuota).
void FillQuota(const QuotaRow& row, const Usage& use, streamspace::session::v1::UserQuota* quota);
void FillQuota(const QuotaRow& row, const Usage& use, streamspace::session::v1::GroupQuota* quota);

}  // namespace ss::session
