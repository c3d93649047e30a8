#include "core/rfc3339.h"

#include <catch2/catch.hpp>

namespace ss::core {
namespace {

using std::chrono::system_clock;

long long Seconds(system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

TEST_CASE("RFC 3339 times parse in UTC, with fractions and offsets") {
  CHECK(Seconds(*ParseRfc3339("1970-01-01T00:00:00Z")) == 0);
  CHECK(Seconds(*ParseRfc3339("2025-11-26T22:06:27Z")) == 1'764'194'787);
  CHECK(Seconds(*ParseRfc3339("2025-11-26T23:06:27+01:00")) == 1'764'194'787);
  CHECK(Seconds(*ParseRfc3339("2025-11-26T21:36:27-00:30")) == 1'764'194'787);
  const auto fractional = *ParseRfc3339("1970-01-01T00:00:01.25Z");
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(fractional.time_since_epoch())
            .count() == 1250);
  CHECK(ParseRfc3339("1970-01-01t00:00:00z").has_value());
}

TEST_CASE("RFC 3339 rejects what is not a date-time") {
  for (const char* text :
       {"", "2025-11-26", "2025-11-26T22:06:27", "2025-13-01T00:00:00Z", "2025-11-26T22:06:27.Z",
        "2025-11-26T22:06:27Zjunk", "2025-11-26T22:06:27+0100", "tomorrow"}) {
    INFO(text);
    CHECK_FALSE(ParseRfc3339(text).has_value());
  }
}

TEST_CASE("RFC 3339 formats UTC with second precision") {
  CHECK(FormatRfc3339(system_clock::time_point{}) == "1970-01-01T00:00:00Z");
  CHECK(FormatRfc3339(system_clock::from_time_t(1'764'194'787) + std::chrono::milliseconds(999)) ==
        "2025-11-26T22:06:27Z");
  const auto now = std::chrono::floor<std::chrono::seconds>(system_clock::now());
  CHECK(ParseRfc3339(FormatRfc3339(now)) == now);
}

TEST_CASE("RFC 3339 formats UTC with milliseconds") {
  CHECK(FormatRfc3339Millis(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
  const auto time = system_clock::from_time_t(1'764'194'787) + std::chrono::milliseconds(45);
  CHECK(FormatRfc3339Millis(time) == "2025-11-26T22:06:27.045Z");
  CHECK(ParseRfc3339(FormatRfc3339Millis(time)) == time);
}

}  // namespace ss::core
