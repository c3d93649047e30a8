#include "route_metrics.h"

namespace ss::gateway {
namespace {

constexpr int kUsualStatuses[] = {200, 204, 400, 401, 403, 404, 405, 409,
                                  413, 429, 499, 500, 501, 503, 504};

int SlotOf(int http_status) {
  for (int i = 0; i < static_cast<int>(std::size(kUsualStatuses)); ++i) {
    if (kUsualStatuses[i] == http_status)
      return i;
  }
  return -1;
}

}  // namespace

RouteMetrics::RouteMetrics(metrics::Registry& registry, std::string route, std::string method)
    : registry_(registry),
      route_(std::move(route)),
      method_(std::move(method)),
      duration_(registry.GetHistogram("http_request_duration_seconds",
                                      "Time from a request's arrival to its answer.",
                                      {{"route", route_}, {"method", method_}})) {}

metrics::Counter& RouteMetrics::CounterFor(int http_status) {
  const auto lookup = [&]() -> metrics::Counter& {
    return registry_.GetCounter(
        "http_requests_total", "HTTP requests answered.",
        {{"route", route_}, {"method", method_}, {"code", std::to_string(http_status)}});
  };
  const int slot = SlotOf(http_status);
  if (slot < 0)
    return lookup();
  auto* counter = counters_[slot].load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &lookup();
    counters_[slot].store(counter, std::memory_order_release);
  }
  return *counter;
}

void RouteMetrics::Record(int http_status, double seconds) {
  CounterFor(http_status).Inc();
  duration_.Observe(seconds);
}

}  // namespace ss::gateway
