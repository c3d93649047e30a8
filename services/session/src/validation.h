// Input rules of the sessions API: quantities, durations, tags, states and their transitions,
// list paging. Pure functions: each returns OK or INVALID_ARGUMENT (FAILED_PRECONDITION for a
// transition) with a message that names the field.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rpc/validation.h"

namespace ss::session {

inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTagLength = 63;

inline constexpr const char* kRunning = "running";
inline constexpr const char* kHibernated = "hibernated";
inline constexpr const char* kTerminated = "terminated";

// CPU: a quantity (kube/quantity.h) from 1m to 256 cores.
grpc::Status CheckCpu(std::string_view field, std::string_view text);
// Memory: a quantity from 1Mi to 1Ti.
grpc::Status CheckMemory(std::string_view field, std::string_view text);
// Volume size: a quantity from 1Mi to 64Ti.
grpc::Status CheckStorageSize(std::string_view field, std::string_view text);

// A Go-style duration ("90s", "30m", "8h", "1h30m") from 1s to 8760h.
std::optional<std::chrono::milliseconds> ParseSessionDuration(std::string_view text);
grpc::Status CheckDuration(std::string_view field, std::string_view text);

// At most 20 tags, each 1-63 characters of [A-Za-z0-9._-].
grpc::Status CheckTags(const std::vector<std::string>& tags);

// A Template's name: an RFC 1123 subdomain.
grpc::Status CheckTemplateName(std::string_view name);
// An ingress domain: an RFC 1123 subdomain.
grpc::Status CheckDomain(std::string_view field, std::string_view domain);
// A StorageClass or IngressClass name: empty (the cluster's default) or an RFC 1123 subdomain.
grpc::Status CheckClassName(std::string_view field, std::string_view name);

// running | hibernated | terminated
grpc::Status CheckState(std::string_view state);
// running <-> hibernated, any -> terminated, a state to itself; anything else
// FAILED_PRECONDITION.
grpc::Status CheckTransition(std::string_view from, std::string_view to);

// The position after the last session of a page: the order is (createdAt, id).
struct PageCursor {
  std::string created_at;
  std::string id;
};

// Page tokens (rpc/page_token.h) carrying the cursor.
std::string EncodePageToken(const PageCursor& cursor);
// Empty token -> nullopt cursor with true; false for a token we did not make.
bool DecodePageToken(std::string_view token, std::optional<PageCursor>* cursor);

}  // namespace ss::session
