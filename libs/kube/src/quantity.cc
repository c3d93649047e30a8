#include "kube/quantity.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string>

namespace ss::kube {
namespace {

constexpr std::size_t kMaxLength = 64;
// Beyond this a decimal exponent changes nothing (every value is over int64 or rounds up to one
// unit), and sums of exponents stay far from overflow.
constexpr int64_t kMaxExponent = 10'000;

// ±digits × 10^exponent × 2^binary, `digits` without leading zeros ("" for zero).
struct Parsed {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;
  int binary = 0;
};

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<int> DecimalSuffix(std::string_view suffix) {
  static constexpr std::pair<std::string_view, int> kSuffixes[] = {
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0},   {"k", 3},
      {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18},
  };
  for (const auto& [name, exponent] : kSuffixes) {
    if (name == suffix)
      return exponent;
  }
  return std::nullopt;
}

std::optional<int> BinarySuffix(std::string_view suffix) {
  static constexpr std::pair<std::string_view, int> kSuffixes[] = {
      {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60},
  };
  for (const auto& [name, exponent] : kSuffixes) {
    if (name == suffix)
      return exponent;
  }
  return std::nullopt;
}

// e<sign><digits> as Go's strconv.ParseInt reads it after the `e`.
std::optional<int64_t> DecimalExponent(std::string_view suffix) {
  if (suffix.size() < 2 || (suffix.front() != 'e' && suffix.front() != 'E'))
    return std::nullopt;
  suffix.remove_prefix(1);
  const bool negative = suffix.front() == '-';
  if (suffix.front() == '-' || suffix.front() == '+')
    suffix.remove_prefix(1);
  if (suffix.empty() || !std::all_of(suffix.begin(), suffix.end(), IsDigit))
    return std::nullopt;
  int64_t exponent = 0;
  if (std::from_chars(suffix.data(), suffix.data() + suffix.size(), exponent).ec != std::errc())
    return std::nullopt;
  return negative ? -exponent : exponent;
}

std::optional<Parsed> Parse(std::string_view text) {
  if (text.empty() || text.size() > kMaxLength)
    return std::nullopt;
  Parsed parsed;
  if (text.front() == '+' || text.front() == '-') {
    parsed.negative = text.front() == '-';
    text.remove_prefix(1);
  }
  bool digits = false;
  bool point = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (!IsDigit(c))
      break;
    digits = true;
    if (point)
      --parsed.exponent;
    if (c != '0' || !parsed.digits.empty())
      parsed.digits += c;
  }
  if (!digits)
    return std::nullopt;
  const std::string_view suffix = text.substr(i);
  if (const auto exponent = DecimalSuffix(suffix)) {
    parsed.exponent += *exponent;
  } else if (const auto binary = BinarySuffix(suffix)) {
    parsed.binary = *binary;
  } else if (const auto exponent = DecimalExponent(suffix)) {
    parsed.exponent += std::clamp(*exponent, -kMaxExponent, kMaxExponent);
  } else {
    return std::nullopt;
  }
  return parsed;
}

// 10^power for 0 <= power, exact while it fits the mantissa; infinity far beyond.
long double PowerOfTen(int64_t power) {
  long double value = 1;
  for (int64_t i = 0; i < power && value <= std::numeric_limits<long double>::max(); ++i)
    value *= 10;
  return value;
}

void MultiplyDecimal(std::string& digits, unsigned factor) {
  unsigned carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const unsigned product = static_cast<unsigned>(*it - '0') * factor + carry;
    *it = static_cast<char>('0' + product % 10);
    carry = product / 10;
  }
  for (; carry > 0; carry /= 10)
    digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
}

// ceil(quantity × 10^scale), computed on the decimal digits so that nothing is lost to binary
// fractions ("0.1" thousandths are 100, not 100.00000000000001 rounded up to 101).
std::optional<int64_t> Scaled(std::string_view quantity, int scale) {
  const auto parsed = Parse(quantity);
  if (!parsed)
    return std::nullopt;
  if (parsed->digits.empty())
    return 0;
  std::string digits = parsed->digits;
  for (int power = 0; power < parsed->binary; power += 10)
    MultiplyDecimal(digits, 1024);
  // The decimal point falls after the first `point` digits; the first digit is not 0.
  const int64_t point = static_cast<int64_t>(digits.size()) + parsed->exponent + scale;
  if (point > 19)
    return std::nullopt;
  const std::size_t whole = static_cast<std::size_t>(std::max<int64_t>(point, 0));
  const bool fraction =
      whole < digits.size() && digits.find_first_not_of('0', whole) != std::string::npos;
  digits.resize(std::max(whole, digits.size()), '0');
  uint64_t magnitude = 0;
  std::from_chars(digits.data(), digits.data() + whole, magnitude);
  if (fraction && !parsed->negative)
    ++magnitude;
  if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return std::nullopt;
  const auto value = static_cast<int64_t>(magnitude);
  return parsed->negative ? -value : value;
}

}  // namespace

std::optional<long double> ParseQuantity(std::string_view text) {
  const auto parsed = Parse(text);
  if (!parsed)
    return std::nullopt;
  long double value = 0;
  for (char digit : parsed->digits)
    value = value * 10 + (digit - '0');
  if (value == 0)
    return 0.0L;
  value = parsed->exponent < 0 ? value / PowerOfTen(-parsed->exponent)
                               : value * PowerOfTen(parsed->exponent);
  value *= static_cast<long double>(uint64_t{1} << parsed->binary);
  return parsed->negative ? -value : value;
}

int64_t MilliValue(std::string_view quantity) {
  return Scaled(quantity, 3).value_or(0);
}

int64_t Value(std::string_view quantity) {
  return Scaled(quantity, 0).value_or(0);
}

}  // namespace ss::kube
