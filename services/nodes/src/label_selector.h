// Kubernetes label selectors in their query-string form, for filtering the cached nodes:
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, joined by commas (all must
// hold).
#pragma once

#include <google/protobuf/map.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss::nodes {

class LabelSelector {
 public:
  // nullopt with `error` set when the text is malformed (keys and values are checked with
  // Kubernetes' label syntax).
  static std::optional<LabelSelector> Parse(std::string_view text, std::string* error);

  bool Matches(const google::protobuf::Map<std::string, std::string>& labels) const;
  bool empty() const { return requirements_.empty(); }

 private:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace ss::nodes
