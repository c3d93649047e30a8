// Serves GET /metrics on the process's internal METRICS_PORT, on its own thread, apart from the
// public API port.
#pragma once

#include <memory>
#include <string>

#include "metrics/registry.h"

namespace ss::metrics {

class Exposer {
 public:
  // Listens on address:port (port 0 picks a free one); throws if it cannot bind.
  Exposer(Registry& registry, const std::string& address, int port);
  ~Exposer();
  Exposer(const Exposer&) = delete;
  Exposer& operator=(const Exposer&) = delete;

  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ss::metrics
