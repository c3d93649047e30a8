// Kubernetes resource quantities ("250m", "2", "512Mi", "1G"), as much as metrics need.
#pragma once

#include <string>

namespace kubeemu {

// The quantity in thousandths of its unit ("250m" -> 250, "2" -> 2000, "1Ki" -> 1024000).
long long ParseMilli(const std::string& quantity);

// Formats millicores as the metrics API does ("250m").
std::string FormatCpu(long long millis);

// Formats bytes as the metrics API does ("524288Ki").
std::string FormatMemory(long long bytes);

}  // namespace kubeemu
