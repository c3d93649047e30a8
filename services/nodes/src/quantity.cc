#include "quantity.h"

#include <cmath>
#include <string>

namespace ss::nodes {
namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

constexpr Suffix kSuffixes[] = {
    {"Ki", 1024.0},
    {"Mi", 1048576.0},
    {"Gi", 1073741824.0},
    {"Ti", 1099511627776.0},
    {"Pi", 1125899906842624.0},
    {"Ei", 1152921504606846976.0},
    {"n", 1e-9},
    {"u", 1e-6},
    {"m", 1e-3},
    {"k", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
    {"E", 1e18},
};

}  // namespace

std::optional<int64_t> ParseMilli(std::string_view quantity) {
  if (quantity.empty() || quantity.size() > 64)
    return std::nullopt;
  double factor = 1.0;
  std::string_view number = quantity;
  for (const Suffix& suffix : kSuffixes) {
    if (number.size() > suffix.text.size() &&
        number.substr(number.size() - suffix.text.size()) == suffix.text) {
      factor = suffix.factor;
      number.remove_suffix(suffix.text.size());
      break;
    }
  }
  const std::string text(number);
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !std::isfinite(value) || value < 0 || text.front() == ' ')
    return std::nullopt;
  const double milli = std::ceil(value * factor * 1000.0 - 1e-6);
  if (milli > 9.2e18)
    return std::nullopt;
  return static_cast<int64_t>(milli);
}

int64_t Millicores(std::string_view quantity) {
  return ParseMilli(quantity).value_or(0);
}

int64_t Units(std::string_view quantity) {
  return ParseMilli(quantity).value_or(0) / 1000;
}

}  // namespace ss::nodes
