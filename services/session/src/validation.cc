#include "validation.h"

#include <algorithm>

#include "core/config.h"
#include "kube/names.h"
#include "kube/quantity.h"
#include "rpc/page_token.h"
#include "rpc/validation.h"

namespace ss::session {
namespace {

using rpc::Invalid;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

grpc::Status CheckRange(std::string_view field, std::string_view text, long double minimum,
                        long double maximum, std::string_view range) {
  if (text.empty())
    return Invalid(std::string(field) + " must not be empty");
  const auto value = kube::ParseQuantity(text);
  if (!value) {
    return Invalid(std::string(field) + " is not a Kubernetes quantity (like " +
                   std::string(range.substr(0, range.find(' '))) + ")");
  }
  if (*value <= 0)
    return Invalid(std::string(field) + " must be positive");
  if (*value < minimum || *value > maximum)
    return Invalid(std::string(field) + " must be between " + std::string(range));
  return grpc::Status::OK;
}

bool IsTagChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
         c == '-';
}

}  // namespace

grpc::Status CheckCpu(std::string_view field, std::string_view text) {
  return CheckRange(field, text, 0.001L, 256.0L, "1m and 256 (cores)");
}

grpc::Status CheckMemory(std::string_view field, std::string_view text) {
  return CheckRange(field, text, 1024.0L * 1024, 1024.0L * 1024 * 1024 * 1024, "1Mi and 1Ti");
}

grpc::Status CheckStorageSize(std::string_view field, std::string_view text) {
  return CheckRange(field, text, 1024.0L * 1024, 64.0L * 1024 * 1024 * 1024 * 1024, "1Mi and 64Ti");
}

std::optional<std::chrono::milliseconds> ParseSessionDuration(std::string_view text) {
  if (text.empty() || text.size() > 32)
    return std::nullopt;
  try {
    const std::chrono::milliseconds value = core::ParseDuration(text);
    if (value < std::chrono::seconds(1) || value > std::chrono::hours(8760))
      return std::nullopt;
    return value;
  } catch (const core::ConfigError&) {
    return std::nullopt;
  }
}

grpc::Status CheckDuration(std::string_view field, std::string_view text) {
  if (ParseSessionDuration(text))
    return grpc::Status::OK;
  return Invalid(std::string(field) +
                 " must be a duration between 1s and 8760h, written like 90s, 30m, 8h or 1h30m");
}

grpc::Status CheckTags(const std::vector<std::string>& tags) {
  if (tags.size() > kMaxTags)
    return Invalid("at most 20 tags are allowed");
  for (const std::string& tag : tags) {
    if (tag.empty() || tag.size() > kMaxTagLength ||
        !std::all_of(tag.begin(), tag.end(), IsTagChar)) {
      return Invalid("each tag must be 1-63 characters of letters, digits, '.', '_' and '-'");
    }
  }
  return grpc::Status::OK;
}

grpc::Status CheckTemplateName(std::string_view name) {
  if (name.empty())
    return Invalid("template is required");
  if (!kube::IsDnsSubdomain(name))
    return Invalid("template is not a valid Template name");
  return grpc::Status::OK;
}

grpc::Status CheckDomain(std::string_view field, std::string_view domain) {
  if (!kube::IsDnsSubdomain(domain))
    return Invalid(std::string(field) + " must be a DNS domain of lower-case labels");
  return grpc::Status::OK;
}

grpc::Status CheckClassName(std::string_view field, std::string_view name) {
  if (!name.empty() && !kube::IsDnsSubdomain(name))
    return Invalid(std::string(field) + " must be empty or a Kubernetes object name");
  return grpc::Status::OK;
}

grpc::Status CheckState(std::string_view state) {
  if (state == kRunning || state == kHibernated || state == kTerminated)
    return grpc::Status::OK;
  return Invalid("state must be running, hibernated or terminated");
}

grpc::Status CheckTransition(std::string_view from, std::string_view to) {
  if (grpc::Status status = CheckState(to); !status.ok())
    return status;
  if (from == to || to == kTerminated)
    return grpc::Status::OK;
  if (from == kTerminated) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "a terminated session cannot be " + std::string(to));
  }
  if ((from == kRunning && to == kHibernated) || (from == kHibernated && to == kRunning))
    return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      "a " + std::string(from) + " session cannot become " + std::string(to));
}

std::string EncodePageToken(const PageCursor& cursor) {
  return rpc::EncodePageToken({cursor.created_at, cursor.id});
}

bool DecodePageToken(std::string_view token, std::optional<PageCursor>* cursor) {
  cursor->reset();
  const auto values = rpc::DecodePageToken(token, 2);
  if (!values || values->empty())
    return values.has_value();
  PageCursor decoded{(*values)[0], (*values)[1]};
  if (!kube::IsDnsSubdomain(decoded.id) || decoded.created_at.size() > 40)
    return false;
  *cursor = std::move(decoded);
  return true;
}

}  // namespace ss::session
