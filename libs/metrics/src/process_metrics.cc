#include "process_metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ss::metrics::detail {
namespace {

void AppendSample(std::string& out, const char* name, const char* help, const char* type,
                  double value) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

}  // namespace

std::string RenderProcessMetrics() {
  std::string text;
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::ifstream statm("/proc/self/statm");
  double virtual_pages = 0;
  double resident_pages = 0;
  if (statm >> virtual_pages >> resident_pages) {
    AppendSample(text, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
                 resident_pages * page_size);
    AppendSample(text, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
                 virtual_pages * page_size);
  }
  // /proc/self/stat: utime and stime are fields 14 and 15, counted after the parenthesized name
  // (which may itself contain spaces).
  std::ifstream stat_file("/proc/self/stat");
  const std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
  const auto name_end = stat.rfind(')');
  if (name_end != std::string::npos) {
    std::istringstream fields(stat.substr(name_end + 2));
    std::string skipped;
    for (int field = 3; field < 14 && fields >> skipped; ++field) {
    }
    double user_ticks = 0;
    double system_ticks = 0;
    if (fields >> user_ticks >> system_ticks) {
      AppendSample(text, "process_cpu_seconds_total", "User and system CPU time in seconds.",
                   "counter",
                   (user_ticks + system_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)));
    }
  }
  std::error_code error;
  std::filesystem::directory_iterator fds("/proc/self/fd", error);
  if (!error) {
    const auto open = std::distance(fds, std::filesystem::directory_iterator());
    AppendSample(text, "process_open_fds", "Open file descriptors.", "gauge",
                 static_cast<double>(open));
  }
  return text;
}

}  // namespace ss::metrics::detail
