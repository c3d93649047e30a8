#include "core/log.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <random>

#include "core/config.h"
#include "json_escape.h"

namespace ss::core {
namespace {

// spdlog formats on the logging thread, so the flag formatters below see the caller's id.
thread_local std::string current_request_id = "-";

// %Q: the thread's request id.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    dest.append(current_request_id.data(), current_request_id.data() + current_request_id.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

// %J: the thread's request id, JSON-escaped.
class JsonRequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    detail::AppendJsonEscapedReplacingInvalidUtf8(current_request_id, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonRequestIdFlag>();
  }
};

// %V: the message, JSON-escaped.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    detail::AppendJsonEscapedReplacingInvalidUtf8(
        std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

spdlog::level::level_enum ParseLevel(std::string_view level) {
  if (level == "trace")
    return spdlog::level::trace;
  if (level == "debug")
    return spdlog::level::debug;
  if (level == "info")
    return spdlog::level::info;
  if (level == "warn")
    return spdlog::level::warn;
  if (level == "error")
    return spdlog::level::err;
  throw ConfigError(
      fmt::format("LOG_LEVEL must be one of trace|debug|info|warn|error, not \"{}\"", level));
}

// A pattern that prints `text` literally.
std::string PatternLiteral(std::string_view text) {
  std::string literal;
  for (char c : text) {
    if (c == '%')
      literal += '%';
    literal += c;
  }
  return literal;
}

std::unique_ptr<spdlog::pattern_formatter> MakeFormatter(std::string_view process,
                                                         std::string_view format) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == "text") {
    formatter->add_flag<RequestIdFlag>('Q');
    formatter->set_pattern(
        fmt::format("%Y-%m-%dT%H:%M:%S.%eZ %l {} [%Q] %v", PatternLiteral(process)));
  } else if (format == "json") {
    std::string escaped_process;
    detail::AppendJsonEscapedReplacingInvalidUtf8(process, escaped_process);
    formatter->add_flag<JsonRequestIdFlag>('J');
    formatter->add_flag<JsonMessageFlag>('V');
    formatter->set_pattern(
        fmt::format(R"({{"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","process":"{}",)"
                    R"("requestId":"%J","msg":"%V"}})",
                    PatternLiteral(escaped_process)));
  } else {
    throw ConfigError(fmt::format("LOG_FORMAT must be text or json, not \"{}\"", format));
  }
  return formatter;
}

}  // namespace

void SetupLogging(std::string_view process, std::string_view level, std::string_view format) {
  const auto parsed_level = ParseLevel(level);
  auto formatter = MakeFormatter(process, format);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(std::move(formatter));
  auto logger = std::make_shared<spdlog::logger>(std::string(process), std::move(sink));
  logger->set_level(parsed_level);
  spdlog::set_default_logger(std::move(logger));
}

std::string NewRequestId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

const std::string& CurrentRequestId() {
  return current_request_id;
}

std::string_view FirstLine(std::string_view text) {
  return text.substr(0, text.find('\n'));
}

RequestIdScope::RequestIdScope(std::string id)
    : previous_(std::exchange(current_request_id, std::move(id))) {}

RequestIdScope::~RequestIdScope() {
  current_request_id = std::move(previous_);
}

}  // namespace ss::core
