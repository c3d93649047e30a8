// Small JSON helpers shared by the emulator: paths, timestamps, identifiers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kubeemu {

using Json = nlohmann::json;

// The value at a dotted path ("spec.nodeName"), or nullptr when absent.
const Json* FindPath(const Json& object, std::string_view dotted_path);

// The string form of the value at a dotted path: strings as-is, other scalars dumped, "" if
// absent.
std::string PathString(const Json& object, std::string_view dotted_path);

// Seconds since the epoch as RFC 3339 with second precision, UTC.
std::string FormatRfc3339(long long epoch_seconds);

// The current time as RFC 3339 with second precision, UTC ("2024-01-02T03:04:05Z").
std::string NowRfc3339();

// The current time as RFC 3339 with nanoseconds, as kubelet log timestamps are written.
std::string NowRfc3339Nano();

// Seconds since the epoch for an RFC 3339 timestamp, or -1 when it does not parse.
long long ParseRfc3339(const std::string& text);

// A random RFC 4122 version 4 UUID.
std::string NewUuid();

// `n` random characters from [a-z0-9] (the generateName suffix alphabet).
std::string RandomSuffix(int n);

// Human duration as kubectl prints ages: "45s", "3m", "5h", "2d".
std::string HumanAge(long long seconds);

// Base64 encoding and decoding (standard alphabet, padded).
std::string Base64Encode(std::string_view data);
std::string Base64Decode(std::string_view text);

// A stable FNV-1a hash written as 10 characters of the pod-template-hash alphabet.
std::string ShortHash(std::string_view data);

}  // namespace kubeemu
