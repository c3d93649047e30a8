#include "quantity.h"

#include <cstdlib>
#include <map>

namespace kubeemu {

long long ParseMilli(const std::string& quantity) {
  static const std::map<std::string, double> kSuffixes = {
      {"", 1},     {"m", 1e-3},  {"k", 1e3},        {"M", 1e6},           {"G", 1e9},
      {"T", 1e12}, {"Ki", 1024}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0}};
  char* end = nullptr;
  const double number = std::strtod(quantity.c_str(), &end);
  const auto it = kSuffixes.find(end == nullptr ? "" : std::string(end));
  if (it == kSuffixes.end()) {
    return 0;
  }
  return static_cast<long long>(number * it->second * 1000.0 + 0.5);
}

std::string FormatCpu(long long millis) {
  return std::to_string(millis) + "m";
}

std::string FormatMemory(long long bytes) {
  return std::to_string(bytes / 1024) + "Ki";
}

}  // namespace kubeemu
