#include "pod_logs.h"

#include <catch2/catch.hpp>

namespace ss::nodes {

TEST_CASE("a log tail keeps the last lines that fit its byte budget", "[logs]") {
  LastLines last(10);
  for (const char* line : {"aaaa", "bbbb", "cccc", "dd"})
    last.Add(line);
  CHECK(last.lines() == std::deque<std::string>{"bbbb", "cccc", "dd"});
  last.Add("an eleven b");
  CHECK(last.lines().empty());
  last.Add("e");
  CHECK(last.lines() == std::deque<std::string>{"e"});
}

}  // namespace ss::nodes
