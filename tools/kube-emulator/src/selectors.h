// Label and field selectors, as list and watch take them in `labelSelector` and `fieldSelector`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "json_util.h"

namespace kubeemu {

// A parsed label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`).
class LabelSelector {
 public:
  // Parses the query-string form; nullopt when it is malformed.
  static std::optional<LabelSelector> Parse(const std::string& text);
  // Builds a selector from a `metav1.LabelSelector` object (matchLabels, matchExpressions).
  static LabelSelector FromObject(const Json& selector);

  bool Matches(const Json& labels) const;
  bool Empty() const { return requirements_.empty(); }

 private:
  struct Requirement {
    std::string key;
    std::string op;  // "=", "!=", "in", "notin", "exists", "!"
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

// A parsed field selector (`metadata.name=x,spec.nodeName!=y`), over any dotted path.
class FieldSelector {
 public:
  static std::optional<FieldSelector> Parse(const std::string& text);
  bool Matches(const Json& object) const;

 private:
  struct Term {
    std::string path;
    bool equal = true;
    std::string value;
  };
  std::vector<Term> terms_;
};

}  // namespace kubeemu
