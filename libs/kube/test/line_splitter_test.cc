#include "kube/line_splitter.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ss::kube {

TEST_CASE("lines are split across chunks, without their CR") {
  std::vector<std::string> lines;
  const LineHandler collect = [&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  };
  LineSplitter splitter(collect);
  REQUIRE(splitter.Feed("one\r\ntw", 7));
  REQUIRE(splitter.Feed("o\nthr", 5));
  CHECK(lines == std::vector<std::string>{"one", "two"});
  splitter.Finish();
  CHECK(lines == std::vector<std::string>{"one", "two", "thr"});
}

TEST_CASE("a line without a newline is cut at the limit instead of growing without bound") {
  std::vector<std::string> lines;
  const LineHandler collect = [&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  };
  LineSplitter splitter(collect);
  const std::string chunk(16384, 'x');
  for (int i = 0; i < 9; ++i)
    REQUIRE(splitter.Feed(chunk.data(), chunk.size()));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == std::string(LineSplitter::kMaxLine, 'x'));
  CHECK(lines[1] == std::string(LineSplitter::kMaxLine, 'x'));
  REQUIRE(splitter.Feed("y\nz", 3));
  REQUIRE(lines.size() == 3);
  std::string rest(9 * 16384 - 2 * LineSplitter::kMaxLine, 'x');
  rest.push_back('y');
  CHECK(lines[2] == rest);
  splitter.Finish();
  CHECK(lines.back() == "z");
}

TEST_CASE("the splitter stops when the handler asks") {
  int calls = 0;
  const LineHandler first_only = [&](std::string_view) { return ++calls < 1; };
  LineSplitter splitter(first_only);
  CHECK_FALSE(splitter.Feed("a\nb\n", 4));
  CHECK(calls == 1);
}

}  // namespace ss::kube
