#include "core/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "core/text.h"

namespace ss::core {
namespace {

std::string Usage(std::string_view program, std::string_view summary,
                  const std::vector<Variable>& variables) {
  std::string text = fmt::format("{} - {}\n\nUsage: {} [--help]\n\n", program, summary, program);
  text +=
      "Configuration comes from these environment variables (an unset or empty variable takes\n"
      "its default):\n\n";
  for (const auto& variable : variables) {
    if (variable.secret) {
      text += fmt::format("  {} (secret; or {}_FILE, a file that holds it)\n", variable.name,
                          variable.name);
    } else if (variable.default_value.empty()) {
      text += fmt::format("  {} (default: empty)\n", variable.name);
    } else {
      text += fmt::format("  {} (default: {})\n", variable.name, variable.default_value);
    }
    text += fmt::format("      {}\n", variable.help);
  }
  return text;
}

// Milliseconds per unit of a duration suffix, or 0 for an unknown suffix.
double UnitMilliseconds(std::string_view unit) {
  if (unit == "ms")
    return 1;
  if (unit == "s")
    return 1000;
  if (unit == "m")
    return 60'000;
  if (unit == "h")
    return 3'600'000;
  return 0;
}

// A secret kept in a file (a container's mounted secret): its content without the final line end.
std::string SecretFromFile(const char* path) {
  std::optional<std::string> content = ReadFile(path);
  if (!content)
    throw ConfigError(fmt::format("cannot read {}", path));
  std::string text = std::move(*content);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

}  // namespace

Config Config::Load(std::string_view program, std::string_view summary,
                    std::vector<Variable> variables, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(Usage(program, summary, variables).c_str(), stdout);
      std::exit(0);
    }
  }
  if (argc > 1) {
    std::fprintf(stderr,
                 "%.*s: unknown argument '%s' (configuration is by environment; see --help)\n",
                 static_cast<int>(program.size()), program.data(), argv[1]);
    std::exit(2);
  }
  std::map<std::string, std::string> values;
  for (const auto& variable : variables) {
    const char* value = std::getenv(variable.name.c_str());
    if (value != nullptr && *value != '\0') {
      values[variable.name] = value;
      continue;
    }
    const std::string file_variable = variable.name + "_FILE";
    const char* file = variable.secret ? std::getenv(file_variable.c_str()) : nullptr;
    if (file == nullptr || *file == '\0')
      continue;
    try {
      values[variable.name] = SecretFromFile(file);
    } catch (const ConfigError& error) {
      std::fprintf(stderr, "%.*s: %s: %s\n", static_cast<int>(program.size()), program.data(),
                   file_variable.c_str(), error.what());
      std::exit(1);
    }
  }
  return FromValues(std::move(variables), std::move(values));
}

Config Config::FromValues(std::vector<Variable> variables,
                          std::map<std::string, std::string> values) {
  Config config;
  for (auto& variable : variables) {
    auto given = values.find(variable.name);
    config.values_[variable.name] =
        given != values.end() ? std::move(given->second) : std::move(variable.default_value);
  }
  return config;
}

const std::string& Config::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    throw std::logic_error(fmt::format("configuration variable {} is not declared", name));
  }
  return it->second;
}

int Config::GetInt(std::string_view name) const {
  const std::string& text = Get(name);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw ConfigError(fmt::format("{} must be a whole number", name));
  }
  return value;
}

bool Config::GetBool(std::string_view name) const {
  const std::string text = AsciiLower(Get(name));
  if (text == "true" || text == "1" || text == "yes" || text == "on")
    return true;
  if (text == "false" || text == "0" || text == "no" || text == "off")
    return false;
  throw ConfigError(fmt::format("{} must be true or false", name));
}

std::chrono::milliseconds Config::GetDuration(std::string_view name) const {
  try {
    return ParseDuration(Get(name));
  } catch (const ConfigError& error) {
    throw ConfigError(fmt::format("{}: {}", name, error.what()));
  }
}

int Config::GetInt(std::string_view name, int minimum) const {
  const int value = GetInt(name);
  if (value < minimum)
    throw ConfigError(fmt::format("{} must be at least {}", name, minimum));
  return value;
}

std::chrono::milliseconds Config::GetDuration(std::string_view name,
                                              std::chrono::milliseconds minimum) const {
  const std::chrono::milliseconds value = GetDuration(name);
  if (value < minimum)
    throw ConfigError(fmt::format("{} must be at least {}ms", name, minimum.count()));
  return value;
}

std::chrono::milliseconds ParseDuration(std::string_view text) {
  const auto invalid = [text] {
    return ConfigError(
        fmt::format("invalid duration \"{}\" (write it like 500ms, 30s, 15m, 1h or 1h30m)", text));
  };
  if (text.empty())
    throw invalid();
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || seconds > std::numeric_limits<long long>::max() / 1000) {
      throw invalid();
    }
    return std::chrono::seconds(seconds);
  }
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t number_start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'))
      ++i;
    const size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z')
      ++i;
    const std::string number(text.substr(number_start, unit_start - number_start));
    const double unit = UnitMilliseconds(text.substr(unit_start, i - unit_start));
    if (number.empty() || number.front() == '.' || number.back() == '.' || unit == 0) {
      throw invalid();
    }
    size_t parsed = 0;
    const double value = std::stod(number, &parsed);
    if (parsed != number.size())
      throw invalid();
    total += value * unit;
  }
  if (!std::isfinite(total) || total >= static_cast<double>(std::numeric_limits<int64_t>::max())) {
    throw invalid();
  }
  return std::chrono::milliseconds(std::llround(total));
}

std::vector<Variable> JoinVariables(std::initializer_list<std::vector<Variable>> parts) {
  std::vector<Variable> joined;
  for (const std::vector<Variable>& part : parts)
    joined.insert(joined.end(), part.begin(), part.end());
  return joined;
}

std::vector<Variable> ProcessVariables(int default_metrics_port) {
  return {
      {"LOG_LEVEL", "info", "Least severe level logged: trace|debug|info|warn|error."},
      {"LOG_FORMAT", "text", "Log line format on stderr: text|json (one JSON object a line)."},
      {"METRICS_PORT", std::to_string(default_metrics_port),
       "Port of the internal listener that serves Prometheus GET /metrics."},
  };
}

}  // namespace ss::core
