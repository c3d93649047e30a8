// One logger setup for every process: spdlog to stderr, as text or JSON lines, and the request id
// of the work at hand on every line.
#pragma once

#include <string>
#include <string_view>

namespace ss::core {

// level: trace|debug|info|warn|error; format: text|json.
void SetupLogging(std::string_view process, std::string_view level, std::string_view format);

// A fresh random request id (16 hex characters).
std::string NewRequestId();

// The request id of the work running on this thread ("-" when none).
const std::string& CurrentRequestId();

// The first line of a message, for a log line: Postgres puts the failing row, which may hold a
// user's data, in the lines after the first.
std::string_view FirstLine(std::string_view text);

// Sets the thread's request id for its lifetime and restores the previous one after.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string previous_;
};

}  // namespace ss::core
