#include "kube/line_splitter.h"

namespace ss::kube {

bool LineSplitter::Feed(const char* data, std::size_t size) {
  std::size_t from = pending_.size();  // only the new bytes may hold a '\n'
  pending_.append(data, size);
  std::size_t start = 0;
  for (std::size_t end; (end = pending_.find('\n', from)) != std::string::npos;
       start = from = end + 1) {
    std::string_view line(pending_.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (!on_line_(line)) {
      return false;
    }
  }
  pending_.erase(0, start);
  while (pending_.size() > kMaxLine) {
    if (!on_line_(std::string_view(pending_.data(), kMaxLine))) {
      return false;
    }
    pending_.erase(0, kMaxLine);
  }
  return true;
}

void LineSplitter::Finish() {
  if (!pending_.empty()) {
    on_line_(pending_);
    pending_.clear();
  }
}

}  // namespace ss::kube
