#include "metrics/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ss::metrics {
namespace {

bool ValidName(const std::string& name, bool allow_colon) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
    return false;
  return std::all_of(name.begin(), name.end(), [allow_colon](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (allow_colon && c == ':');
  });
}

// Labels sorted by name, so one label set has one series whatever order the caller wrote.
Labels Normalized(const Labels& labels) {
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (!ValidName(sorted[i].first, false) || sorted[i].first.starts_with("__") ||
        sorted[i].first == "le" || (i > 0 && sorted[i].first == sorted[i - 1].first)) {
      throw std::logic_error(fmt::format("bad metric label name \"{}\"", sorted[i].first));
    }
  }
  return sorted;
}

std::string EscapeHelp(const std::string& help) {
  std::string escaped;
  for (char c : help) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void AppendLabelValue(const std::string& value, std::string& out) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// {a="1",b="2"} with an optional extra label last (the histogram's `le`); empty for no labels.
std::string LabelText(const Labels& labels, const char* extra_name = nullptr,
                      const std::string& extra_value = {}) {
  if (labels.empty() && extra_name == nullptr)
    return {};
  std::string text = "{";
  for (const auto& [name, value] : labels) {
    if (text.size() > 1)
      text += ',';
    text += name + "=\"";
    AppendLabelValue(value, text);
    text += '"';
  }
  if (extra_name != nullptr) {
    if (text.size() > 1)
      text += ',';
    text += fmt::format("{}=\"{}\"", extra_name, extra_value);
  }
  return text + "}";
}

std::string FormatValue(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace

struct Registry::Family {
  Type type;
  std::string help;
  std::vector<double> bounds;
  // Counters and gauges.
  std::map<Labels, std::unique_ptr<Counter>> counters;
  std::map<Labels, std::unique_ptr<Gauge>> gauges;
  std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

void Counter::Inc(double amount) {
  value_.fetch_add(amount, std::memory_order_relaxed);
}

double Counter::Value() const {
  return value_.load(std::memory_order_relaxed);
}

void Gauge::Set(double value) {
  value_.store(value, std::memory_order_relaxed);
}

void Gauge::Add(double amount) {
  value_.fetch_add(amount, std::memory_order_relaxed);
}

double Gauge::Value() const {
  return value_.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  if (!bounds_.empty() && std::isinf(bounds_.back()))
    bounds_.pop_back();
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size());
}

void Histogram::Observe(double value) {
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  if (static_cast<size_t>(bucket) < bounds_.size()) {
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  }
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_release);
}

Registry::Registry() = default;

Registry::~Registry() = default;

Registry& Registry::Default() {
  static Registry registry;
  return registry;
}

const std::vector<double>& Registry::LatencyBounds() {
  static const std::vector<double> bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return bounds;
}

Registry::Family& Registry::FamilyOf(const std::string& name, const std::string& help, Type type,
                                     const std::vector<double>& bounds) {
  auto& family = families_[name];
  if (!family) {
    family = std::make_unique<Family>(Family{type, help, bounds, {}, {}, {}});
  }
  if (family->type != type) {
    throw std::logic_error(fmt::format("metric {} is registered with another type", name));
  }
  return *family;
}

Counter& Registry::GetCounter(const std::string& name, const std::string& help,
                              const Labels& labels) {
  Labels key = Normalized(labels);
  if (!ValidName(name, true))
    throw std::logic_error("bad metric name \"" + name + "\"");
  std::lock_guard lock(mutex_);
  auto& counter = FamilyOf(name, help, Type::kCounter, {}).counters[std::move(key)];
  if (!counter)
    counter = std::make_unique<Counter>();
  return *counter;
}

Gauge& Registry::GetGauge(const std::string& name, const std::string& help, const Labels& labels) {
  Labels key = Normalized(labels);
  if (!ValidName(name, true))
    throw std::logic_error("bad metric name \"" + name + "\"");
  std::lock_guard lock(mutex_);
  auto& gauge = FamilyOf(name, help, Type::kGauge, {}).gauges[std::move(key)];
  if (!gauge)
    gauge = std::make_unique<Gauge>();
  return *gauge;
}

Histogram& Registry::GetHistogram(const std::string& name, const std::string& help,
                                  const Labels& labels, const std::vector<double>& bounds) {
  Labels key = Normalized(labels);
  if (!ValidName(name, true))
    throw std::logic_error("bad metric name \"" + name + "\"");
  std::lock_guard lock(mutex_);
  auto& family = FamilyOf(name, help, Type::kHistogram, bounds);
  auto& histogram = family.histograms[std::move(key)];
  if (!histogram)
    histogram = std::make_unique<Histogram>(family.bounds);
  return *histogram;
}

std::string Registry::Render() const {
  std::string text;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) {
    text += fmt::format("# HELP {} {}\n", name, EscapeHelp(family->help));
    if (family->type == Type::kCounter) {
      text += fmt::format("# TYPE {} counter\n", name);
      for (const auto& [labels, counter] : family->counters) {
        text += fmt::format("{}{} {}\n", name, LabelText(labels), FormatValue(counter->Value()));
      }
      continue;
    }
    if (family->type == Type::kGauge) {
      text += fmt::format("# TYPE {} gauge\n", name);
      for (const auto& [labels, gauge] : family->gauges) {
        text += fmt::format("{}{} {}\n", name, LabelText(labels), FormatValue(gauge->Value()));
      }
      continue;
    }
    text += fmt::format("# TYPE {} histogram\n", name);
    for (const auto& [labels, histogram] : family->histograms) {
      // Read the count first: an Observe racing with us may show in a bucket but not yet in the
      // count, so buckets are capped at the count to keep them cumulative and below +Inf.
      const uint64_t count = histogram->count_.load(std::memory_order_acquire);
      uint64_t cumulative = 0;
      for (size_t i = 0; i < histogram->bounds_.size(); ++i) {
        cumulative += histogram->buckets_[i].load(std::memory_order_relaxed);
        text += fmt::format("{}_bucket{} {}\n", name,
                            LabelText(labels, "le", FormatValue(histogram->bounds_[i])),
                            std::min(cumulative, count));
      }
      text += fmt::format("{}_bucket{} {}\n", name, LabelText(labels, "le", "+Inf"), count);
      text += fmt::format("{}_sum{} {}\n", name, LabelText(labels),
                          FormatValue(histogram->sum_.load(std::memory_order_relaxed)));
      text += fmt::format("{}_count{} {}\n", name, LabelText(labels), count);
    }
  }
  return text;
}

}  // namespace ss::metrics
