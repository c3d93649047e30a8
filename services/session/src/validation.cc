#include "validation.h"

#include <algorithm>
#include <cmath>

#include "authn/encoding.h"
#include "core/config.h"
#include "names.h"

namespace ss::session {
namespace {

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// digits, digits.digits, digits. or .digits; returns the count of characters read (0: none).
std::size_t ReadNumber(std::string_view text, long double* value) {
  std::size_t i = 0;
  long double number = 0;
  bool digits = false;
  while (i < text.size() && IsDigit(text[i])) {
    number = number * 10 + (text[i] - '0');
    digits = true;
    ++i;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    long double scale = 0.1L;
    while (i < text.size() && IsDigit(text[i])) {
      number += (text[i] - '0') * scale;
      scale /= 10;
      digits = true;
      ++i;
    }
  }
  if (!digits)
    return 0;
  *value = number;
  return i;
}

std::optional<long double> SuffixMultiplier(std::string_view suffix) {
  static const std::pair<std::string_view, long double> kSuffixes[] = {
      {"", 1.0L},
      {"n", 1e-9L},
      {"u", 1e-6L},
      {"m", 1e-3L},
      {"k", 1e3L},
      {"M", 1e6L},
      {"G", 1e9L},
      {"T", 1e12L},
      {"P", 1e15L},
      {"E", 1e18L},
      {"Ki", 1024.0L},
      {"Mi", 1024.0L * 1024},
      {"Gi", 1024.0L * 1024 * 1024},
      {"Ti", 1024.0L * 1024 * 1024 * 1024},
      {"Pi", 1024.0L * 1024 * 1024 * 1024 * 1024},
      {"Ei", 1024.0L * 1024 * 1024 * 1024 * 1024 * 1024},
  };
  for (const auto& [name, multiplier] : kSuffixes) {
    if (name == suffix)
      return multiplier;
  }
  return std::nullopt;
}

grpc::Status CheckRange(std::string_view field, std::string_view text, long double minimum,
                        long double maximum, std::string_view range) {
  if (text.empty())
    return Invalid(std::string(field) + " must not be empty");
  const auto value = ParseQuantity(text);
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

std::optional<long double> ParseQuantity(std::string_view text) {
  if (text.empty() || text.size() > 64)
    return std::nullopt;
  long double sign = 1;
  if (text.front() == '+' || text.front() == '-') {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  long double number = 0;
  const std::size_t read = ReadNumber(text, &number);
  if (read == 0)
    return std::nullopt;
  std::string_view suffix = text.substr(read);
  if (const auto multiplier = SuffixMultiplier(suffix))
    return sign * number * *multiplier;
  if (suffix.size() > 1 && (suffix.front() == 'e' || suffix.front() == 'E')) {
    std::string_view exponent_text = suffix.substr(1);
    long double exponent_sign = 1;
    if (!exponent_text.empty() && (exponent_text.front() == '+' || exponent_text.front() == '-')) {
      exponent_sign = exponent_text.front() == '-' ? -1 : 1;
      exponent_text.remove_prefix(1);
    }
    if (exponent_text.empty() || exponent_text.size() > 3 ||
        !std::all_of(exponent_text.begin(), exponent_text.end(), IsDigit)) {
      return std::nullopt;
    }
    long double exponent = 0;
    for (char c : exponent_text)
      exponent = exponent * 10 + (c - '0');
    return sign * number * std::pow(10.0L, exponent_sign * exponent);
  }
  return std::nullopt;
}

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
  if (!IsDnsSubdomain(name))
    return Invalid("template is not a valid Template name");
  return grpc::Status::OK;
}

grpc::Status CheckDomain(std::string_view field, std::string_view domain) {
  if (!IsDnsSubdomain(domain))
    return Invalid(std::string(field) + " must be a DNS domain of lower-case labels");
  return grpc::Status::OK;
}

grpc::Status CheckClassName(std::string_view field, std::string_view name) {
  if (!name.empty() && !IsDnsSubdomain(name))
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
  return authn::Base64UrlEncode(cursor.created_at + "\n" + cursor.id);
}

bool DecodePageToken(std::string_view token, std::optional<PageCursor>* cursor) {
  cursor->reset();
  if (token.empty())
    return true;
  std::string text;
  if (token.size() > 512 || !authn::Base64UrlDecode(token, &text))
    return false;
  const auto newline = text.find('\n');
  if (newline == std::string::npos)
    return false;
  PageCursor decoded{text.substr(0, newline), text.substr(newline + 1)};
  if (!IsDnsSubdomain(decoded.id) || decoded.created_at.size() > 40)
    return false;
  *cursor = std::move(decoded);
  return true;
}

}  // namespace ss::session
