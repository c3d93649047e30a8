// Small text helpers every library and service shares.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ss::core {

// `text` with A-Z turned into a-z; other bytes unchanged (no locale).
std::string AsciiLower(std::string_view text);

// The bytes of a whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadFile(const std::filesystem::path& path);

}  // namespace ss::core
