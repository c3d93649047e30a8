// Small text helpers every library and service shares.
#pragma once

#include <string>
#include <string_view>

namespace ss::core {

// `text` with A-Z turned into a-z; other bytes unchanged (no locale).
std::string AsciiLower(std::string_view text);

}  // namespace ss::core
