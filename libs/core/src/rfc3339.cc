#include "core/rfc3339.h"

#include <cstdio>
#include <ctime>

namespace ss::core {
namespace {

// Reads exactly `count` digits at text[*i]; false otherwise.
bool Digits(std::string_view text, std::size_t* i, int count, int* value) {
  if (*i + static_cast<std::size_t>(count) > text.size())
    return false;
  int result = 0;
  for (int k = 0; k < count; ++k) {
    const char c = text[*i + static_cast<std::size_t>(k)];
    if (c < '0' || c > '9')
      return false;
    result = result * 10 + (c - '0');
  }
  *i += static_cast<std::size_t>(count);
  *value = result;
  return true;
}

bool Expect(std::string_view text, std::size_t* i, char expected) {
  if (*i >= text.size() ||
      (text[*i] != expected && !(expected == 'T' && (text[*i] == 't' || text[*i] == ' ')))) {
    return false;
  }
  ++*i;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  std::size_t i = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(text, &i, 4, &year) || !Expect(text, &i, '-') || !Digits(text, &i, 2, &month) ||
      !Expect(text, &i, '-') || !Digits(text, &i, 2, &day) || !Expect(text, &i, 'T') ||
      !Digits(text, &i, 2, &hour) || !Expect(text, &i, ':') || !Digits(text, &i, 2, &minute) ||
      !Expect(text, &i, ':') || !Digits(text, &i, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::chrono::microseconds fraction{0};
  if (i < text.size() && text[i] == '.') {
    ++i;
    long long micros = 0;
    int digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      if (digits < 6)
        micros = micros * 10 + (text[i] - '0');
    }
    if (digits == 0)
      return std::nullopt;
    for (int k = digits; k < 6; ++k)
      micros *= 10;
    fraction = std::chrono::microseconds(micros);
  }
  int offset_minutes = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int sign = text[i] == '-' ? -1 : 1;
    ++i;
    int offset_hours = 0, offset_mins = 0;
    if (!Digits(text, &i, 2, &offset_hours) || !Expect(text, &i, ':') ||
        !Digits(text, &i, 2, &offset_mins) || offset_hours > 23 || offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  } else {
    return std::nullopt;
  }
  if (i != text.size())
    return std::nullopt;
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  const std::time_t seconds = timegm(&utc);
  return std::chrono::system_clock::from_time_t(seconds) + fraction -
         std::chrono::minutes(offset_minutes);
}

std::string FormatRfc3339(std::chrono::system_clock::time_point time) {
  const auto seconds_since_epoch =
      std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(seconds_since_epoch);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time) {
  std::string text = FormatRfc3339(time);
  const auto millis =
      std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count() % 1000;
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(millis));
  text.insert(text.size() - 1, fraction);
  return text;
}

}  // namespace ss::core
