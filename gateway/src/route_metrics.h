// Request metrics of one route: http_requests_total{route,method,code} and
// http_request_duration_seconds{route,method}. The series are looked up once, not per request.
#pragma once

#include <array>
#include <atomic>
#include <string>

#include "metrics/registry.h"

namespace ss::gateway {

class RouteMetrics {
 public:
  // `route` is the path template, not the request's path.
  RouteMetrics(metrics::Registry& registry, std::string route, std::string method);
  RouteMetrics(const RouteMetrics&) = delete;
  RouteMetrics& operator=(const RouteMetrics&) = delete;

  void Record(int http_status, double seconds);

 private:
  metrics::Counter& CounterFor(int http_status);

  metrics::Registry& registry_;
  std::string route_;
  std::string method_;
  metrics::Histogram& duration_;
  // The counters of the usual statuses, filled on first use; others are looked up each time.
  std::array<std::atomic<metrics::Counter*>, 16> counters_{};
};

}  // namespace ss::gateway
