// Kubernetes resource quantities ("250m", "2", "1.5", "512Mi", "1G", "1e3") as integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ss::nodes {

// The quantity in thousandths of its unit ("250m" -> 250, "2" -> 2000, "1Ki" -> 1024000);
// nullopt when it is not a quantity.
std::optional<int64_t> ParseMilli(std::string_view quantity);

// Millicores of a cpu quantity, bytes of a memory quantity, a count of an integer one (pods,
// GPUs): 0 when missing or malformed.
int64_t Millicores(std::string_view quantity);
int64_t Units(std::string_view quantity);

}  // namespace ss::nodes
