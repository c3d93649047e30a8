#include "json_util.h"

#include <ctime>
#include <random>

namespace kubeemu {

const Json* FindPath(const Json& object, std::string_view dotted_path) {
  const Json* node = &object;
  while (!dotted_path.empty()) {
    const size_t dot = dotted_path.find('.');
    const std::string key(dotted_path.substr(0, dot));
    if (!node->is_object()) {
      return nullptr;
    }
    const auto it = node->find(key);
    if (it == node->end()) {
      return nullptr;
    }
    node = &*it;
    dotted_path = dot == std::string_view::npos ? "" : dotted_path.substr(dot + 1);
  }
  return node;
}

std::string PathString(const Json& object, std::string_view dotted_path) {
  const Json* value = FindPath(object, dotted_path);
  if (value == nullptr || value->is_null()) {
    return "";
  }
  return value->is_string() ? value->get<std::string>() : value->dump();
}

namespace {

std::string FormatTime(std::time_t seconds, long nanos, bool with_nanos) {
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (with_nanos) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09ld", nanos);
    out += frac;
  }
  return out + "Z";
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string FormatRfc3339(long long epoch_seconds) {
  return FormatTime(static_cast<std::time_t>(epoch_seconds), 0, false);
}

std::string NowRfc3339() {
  return FormatTime(std::time(nullptr), 0, false);
}

std::string NowRfc3339Nano() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return FormatTime(ts.tv_sec, ts.tv_nsec, true);
}

long long ParseRfc3339(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return -1;
  }
  return static_cast<long long>(timegm(&tm));
}

std::string NewUuid() {
  std::uniform_int_distribution<int> dist(0, 15);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : out) {
    if (c == 'x') {
      c = kHex[dist(Rng())];
    } else if (c == 'y') {
      c = kHex[8 + dist(Rng()) % 4];
    }
  }
  return out;
}

std::string RandomSuffix(int n) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<size_t> dist(0, sizeof kAlphabet - 2);
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += kAlphabet[dist(Rng())];
  }
  return out;
}

std::string HumanAge(long long seconds) {
  if (seconds < 0) {
    seconds = 0;
  }
  if (seconds < 120) {
    return std::to_string(seconds) + "s";
  }
  if (seconds < 3600 * 2) {
    return std::to_string(seconds / 60) + "m";
  }
  if (seconds < 86400 * 2) {
    return std::to_string(seconds / 3600) + "h";
  }
  return std::to_string(seconds / 86400) + "d";
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out +=
        {kBase64[(v >> 18) & 63], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], kBase64[v & 63]};
  }
  if (i + 1 == data.size()) {
    const unsigned v = static_cast<unsigned char>(data[i]) << 16;
    out += {kBase64[(v >> 18) & 63], kBase64[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == data.size()) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8);
    out += {kBase64[(v >> 18) & 63], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], '='};
  }
  return out;
}

std::string Base64Decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const char* pos = std::char_traits<char>::find(kBase64, 64, c);
    if (pos == nullptr) {
      continue;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(pos - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string ShortHash(std::string_view data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : data) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += kAlphabet[h % 27];
    h /= 27;
  }
  return out;
}

}  // namespace kubeemu
