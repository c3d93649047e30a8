// Prometheus metrics: counters and histograms with labels, rendered in the text exposition
// format. Look a series up once and keep the reference; updates are lock-free.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ss::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(double amount = 1.0);
  double Value() const;

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down (open streams, queue depths).
class Gauge {
 public:
  void Set(double value);
  void Add(double amount);
  double Value() const;

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

 private:
  friend class Registry;
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process-wide registry.
  static Registry& Default();

  // The series of `name` with these labels, created on first use. References stay valid for the
  // registry's lifetime.
  Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels);
  Gauge& GetGauge(const std::string& name, const std::string& help, const Labels& labels);
  Histogram& GetHistogram(const std::string& name, const std::string& help, const Labels& labels,
                          const std::vector<double>& bounds = LatencyBounds());

  // Every series in the Prometheus text format 0.0.4.
  std::string Render() const;

  // Seconds: 0.5 ms to 10 s.
  static const std::vector<double>& LatencyBounds();

 private:
  struct Family;
  // The family of `name`, created on first use; throws std::logic_error on a type clash.
  enum class Type { kCounter, kGauge, kHistogram };
  Family& FamilyOf(const std::string& name, const std::string& help, Type type,
                   const std::vector<double>& bounds);
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>> families_;
};

}  // namespace ss::metrics
