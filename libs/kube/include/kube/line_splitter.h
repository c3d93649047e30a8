// Splits a byte stream (a pod's log) into lines, keeping a partial line until its end arrives.
// A line longer than kMaxLine is handed over in pieces of that size, so that a pod which never
// prints a newline cannot grow the buffer without bound.
#pragma once

#include <cstddef>
#include <string>

#include "kube/client.h"

namespace ss::kube {

class LineSplitter {
 public:
  static constexpr std::size_t kMaxLine = 64 * 1024;

  explicit LineSplitter(const LineHandler& on_line) : on_line_(on_line) {}

  // False once the handler asked to stop.
  bool Feed(const char* data, std::size_t size);
  // Hands over the last line when it has no newline.
  void Finish();

 private:
  const LineHandler& on_line_;
  std::string pending_;  // holds no '\n'
};

}  // namespace ss::kube
