#include "metrics/registry.h"

#include <catch2/catch.hpp>
#include <thread>

using ss::metrics::Registry;

TEST_CASE("counters render with HELP, TYPE and escaped label values") {
  Registry registry;
  registry.GetCounter("http_requests_total", "Requests.\nBy route \\ code.", {{"route", "/a"}})
      .Inc();
  auto& odd = registry.GetCounter("http_requests_total", "ignored", {{"route", "say \"hi\"\\\n"}});
  odd.Inc(2.5);
  CHECK(registry.Render() ==
        "# HELP http_requests_total Requests.\\nBy route \\\\ code.\n"
        "# TYPE http_requests_total counter\n"
        "http_requests_total{route=\"/a\"} 1\n"
        "http_requests_total{route=\"say \\\"hi\\\"\\\\\\n\"} 2.5\n");
}

TEST_CASE("one label set is one series whatever the label order") {
  Registry registry;
  auto& a = registry.GetCounter("calls_total", "Calls.", {{"method", "m"}, {"code", "OK"}});
  auto& b = registry.GetCounter("calls_total", "Calls.", {{"code", "OK"}, {"method", "m"}});
  CHECK(&a == &b);
  a.Inc();
  b.Inc();
  CHECK(a.Value() == 2);
  CHECK_THAT(registry.Render(), Catch::Contains("calls_total{code=\"OK\",method=\"m\"} 2\n"));
}

TEST_CASE("a series without labels renders bare") {
  Registry registry;
  registry.GetCounter("starts_total", "Starts.", {}).Inc();
  CHECK_THAT(registry.Render(), Catch::Contains("\nstarts_total 1\n"));
}

TEST_CASE("histograms render cumulative buckets, +Inf, sum and count") {
  Registry registry;
  auto& histogram =
      registry.GetHistogram("latency_seconds", "Latency.", {{"method", "Get"}}, {0.125, 1, 0.5});
  histogram.Observe(0.0625);
  histogram.Observe(0.125);
  histogram.Observe(0.75);
  histogram.Observe(3);
  CHECK(registry.Render() ==
        "# HELP latency_seconds Latency.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{method=\"Get\",le=\"0.125\"} 2\n"
        "latency_seconds_bucket{method=\"Get\",le=\"0.5\"} 2\n"
        "latency_seconds_bucket{method=\"Get\",le=\"1\"} 3\n"
        "latency_seconds_bucket{method=\"Get\",le=\"+Inf\"} 4\n"
        "latency_seconds_sum{method=\"Get\"} 3.9375\n"
        "latency_seconds_count{method=\"Get\"} 4\n");
}

TEST_CASE("the default latency bounds span 0.5 ms to 10 s") {
  const auto& bounds = Registry::LatencyBounds();
  CHECK(bounds.front() == 0.0005);
  CHECK(bounds.back() == 10);
  CHECK(std::is_sorted(bounds.begin(), bounds.end()));
}

TEST_CASE("misuse is a programming error") {
  Registry registry;
  registry.GetCounter("things_total", "Things.", {});
  CHECK_THROWS_AS(registry.GetHistogram("things_total", "Things.", {}), std::logic_error);
  CHECK_THROWS_AS(registry.GetCounter("bad-name", "x", {}), std::logic_error);
  CHECK_THROWS_AS(registry.GetCounter("ok_total", "x", {{"bad label", "v"}}), std::logic_error);
  CHECK_THROWS_AS(registry.GetCounter("ok_total", "x", {{"a", "1"}, {"a", "2"}}), std::logic_error);
  CHECK_THROWS_AS(registry.GetHistogram("h", "x", {{"le", "1"}}), std::logic_error);
  CHECK_NOTHROW(registry.Render());
}

TEST_CASE("updates from many threads are not lost") {
  Registry registry;
  auto& counter = registry.GetCounter("hits_total", "Hits.", {});
  auto& histogram = registry.GetHistogram("work_seconds", "Work.", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.Inc();
        histogram.Observe(0.001);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(counter.Value() == 40000);
  CHECK_THAT(registry.Render(), Catch::Contains("work_seconds_count 40000\n"));
}

TEST_CASE("gauges go up and down and render as gauges") {
  Registry registry;
  auto& streams = registry.GetGauge("open_streams", "Open streams.", {{"service", "s"}});
  streams.Add(3);
  streams.Add(-1);
  CHECK(streams.Value() == 2);
  streams.Set(7);
  const std::string text = registry.Render();
  CHECK_THAT(text, Catch::Contains("# TYPE open_streams gauge\n"));
  CHECK_THAT(text, Catch::Contains("open_streams{service=\"s\"} 7\n"));
  CHECK_THROWS_AS(registry.GetCounter("open_streams", "x", {}), std::logic_error);
}
