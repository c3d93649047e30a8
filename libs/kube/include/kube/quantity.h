// Kubernetes resource quantities ("250m", "2", "1.5Gi", "1e3") by apimachinery's grammar: an
// optional sign, a decimal number (1, 1.5, 1., .5), then at most one suffix: binary SI (Ki, Mi,
// Gi, Ti, Pi, Ei), decimal SI (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2, e+6).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ss::kube {

// The quantity in its base unit (cores, bytes, a count); nullopt when `text` is not a quantity:
// empty, longer than 64 characters, or outside the grammar ("1Gb", "1 Gi", "1e", "Gi", "0x10").
std::optional<long double> ParseQuantity(std::string_view text);

// Thousandths of the base unit rounded up, exactly, as Kubernetes' MilliValue: "250m" is 250,
// "2" is 2000, "1Ki" is 1'024'000, "100n" is 1. 0 when `quantity` is empty (as client-go reads a
// missing entry of a ResourceList), not a quantity, or beyond int64.
int64_t MilliValue(std::string_view quantity);

// The base unit rounded up, exactly, as Kubernetes' Value: "512Mi" is 536'870'912, "100m" is 1.
// 0 as for MilliValue.
int64_t Value(std::string_view quantity);

}  // namespace ss::kube
