// Configuration from the environment: every binary declares its variables once, with a working
// local default and a line of help; `--help` prints them.
#pragma once

#include <chrono>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ss::core {

struct Variable {
  std::string name;
  std::string default_value;
  std::string help;
  // Secrets are never printed with their value (not in --help, not in logs).
  bool secret = false;
};

// Thrown at start-up when a variable holds a value of the wrong form.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Config {
 public:
  // Reads the declared variables from the environment. With `--help` in argv, prints the program
  // summary and every variable with its default, then exits 0. Unknown arguments exit 2.
  static Config Load(std::string_view program, std::string_view summary,
                     std::vector<Variable> variables, int argc, char** argv);

  // Builds a configuration from explicit values (tests); undeclared names fall back to defaults.
  static Config FromValues(std::vector<Variable> variables,
                           std::map<std::string, std::string> values);

  // The value of a declared variable; throws std::logic_error for an undeclared name.
  const std::string& Get(std::string_view name) const;
  int GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  // Durations are written as Go writes them: "500ms", "30s", "15m", "1h", "1h30m".
  std::chrono::milliseconds GetDuration(std::string_view name) const;
  // The same, refusing a value below `minimum` with a ConfigError that names the variable.
  int GetInt(std::string_view name, int minimum) const;
  std::chrono::milliseconds GetDuration(std::string_view name,
                                        std::chrono::milliseconds minimum) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Parses "500ms", "30s", "15m", "1h", "1h30m" or a bare number of seconds.
std::chrono::milliseconds ParseDuration(std::string_view text);

// The variables of a process's parts, as one list (each part declares its own).
std::vector<Variable> JoinVariables(std::initializer_list<std::vector<Variable>> parts);

// LOG_LEVEL, LOG_FORMAT and METRICS_PORT (with the given default port).
std::vector<Variable> ProcessVariables(int default_metrics_port);

}  // namespace ss::core
