// Metrics of the process itself, read from /proc when a scrape asks for them.
#pragma once

#include <string>

namespace ss::metrics::detail {

// process_resident_memory_bytes, process_virtual_memory_bytes, process_cpu_seconds_total and
// process_open_fds in the Prometheus text format; a value /proc cannot give is left out.
std::string RenderProcessMetrics();

}  // namespace ss::metrics::detail
