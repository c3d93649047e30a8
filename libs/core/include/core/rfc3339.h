// RFC 3339 timestamps as the wire carries them ("2026-11-27T01:02:03Z", with an optional
// fraction and a Z or ±hh:mm offset).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ss::core {

// The instant `text` names, or nullopt if it is not an RFC 3339 date-time.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// UTC with second precision (fractions are dropped): "2026-11-27T01:02:03Z".
std::string FormatRfc3339(std::chrono::system_clock::time_point time);
// UTC with milliseconds: "2026-11-27T01:02:03.045Z".
std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time);

}  // namespace ss::core
