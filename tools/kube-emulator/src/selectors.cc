#include "selectors.h"

namespace kubeemu {
namespace {

std::string Trim(std::string s) {
  const auto begin = s.find_first_not_of(' ');
  const auto end = s.find_last_not_of(' ');
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

// Splits at commas that are not inside parentheses.
std::vector<std::string> SplitTerms(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (const char c : text) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    }
    if (c == ',' && depth == 0) {
      out.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!Trim(current).empty()) {
    out.push_back(Trim(current));
  }
  return out;
}

std::vector<std::string> ParseSet(const std::string& text) {
  std::vector<std::string> values;
  std::string current;
  for (const char c : text) {
    if (c == ',') {
      values.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  values.push_back(Trim(current));
  return values;
}

}  // namespace

std::optional<LabelSelector> LabelSelector::Parse(const std::string& text) {
  LabelSelector selector;
  for (const std::string& term : SplitTerms(text)) {
    Requirement r;
    const auto open = term.find('(');
    if (open != std::string::npos) {
      if (term.back() != ')') {
        return std::nullopt;
      }
      const std::string head = Trim(term.substr(0, open));
      const auto space = head.find(' ');
      if (space == std::string::npos) {
        return std::nullopt;
      }
      r.key = Trim(head.substr(0, space));
      r.op = Trim(head.substr(space + 1));
      if (r.op != "in" && r.op != "notin") {
        return std::nullopt;
      }
      r.values = ParseSet(term.substr(open + 1, term.size() - open - 2));
    } else if (const auto ne = term.find("!="); ne != std::string::npos) {
      r = {Trim(term.substr(0, ne)), "!=", {Trim(term.substr(ne + 2))}};
    } else if (const auto eq = term.find('='); eq != std::string::npos) {
      const size_t skip = term.compare(eq, 2, "==") == 0 ? 2 : 1;
      r = {Trim(term.substr(0, eq)), "=", {Trim(term.substr(eq + skip))}};
    } else if (term.front() == '!') {
      r = {Trim(term.substr(1)), "!", {}};
    } else {
      r = {term, "exists", {}};
    }
    if (r.key.empty()) {
      return std::nullopt;
    }
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

LabelSelector LabelSelector::FromObject(const Json& selector) {
  LabelSelector out;
  if (!selector.is_object()) {
    return out;
  }
  const Json match_labels = selector.value("matchLabels", Json::object());
  for (const auto& [key, value] : match_labels.items()) {
    out.requirements_.push_back({key, "=", {value.get<std::string>()}});
  }
  for (const auto& e : selector.value("matchExpressions", Json::array())) {
    const std::string op = e.value("operator", "");
    Requirement r{e.value("key", ""), "", e.value("values", std::vector<std::string>{})};
    r.op = op == "In" ? "in" : op == "NotIn" ? "notin" : op == "Exists" ? "exists" : "!";
    out.requirements_.push_back(std::move(r));
  }
  return out;
}

bool LabelSelector::Matches(const Json& labels) const {
  for (const auto& r : requirements_) {
    const bool has = labels.is_object() && labels.contains(r.key);
    const std::string value = has ? labels[r.key].get<std::string>() : "";
    const bool in_set = has && std::find(r.values.begin(), r.values.end(), value) != r.values.end();
    bool ok = false;
    if (r.op == "=" || r.op == "in") {
      ok = in_set;
    } else if (r.op == "!=" || r.op == "notin") {
      ok = !in_set;
    } else if (r.op == "exists") {
      ok = has;
    } else {
      ok = !has;
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::optional<FieldSelector> FieldSelector::Parse(const std::string& text) {
  FieldSelector selector;
  for (const std::string& term : SplitTerms(text)) {
    Term t;
    if (const auto ne = term.find("!="); ne != std::string::npos) {
      t = {Trim(term.substr(0, ne)), false, Trim(term.substr(ne + 2))};
    } else if (const auto eq = term.find('='); eq != std::string::npos) {
      const size_t skip = term.compare(eq, 2, "==") == 0 ? 2 : 1;
      t = {Trim(term.substr(0, eq)), true, Trim(term.substr(eq + skip))};
    } else {
      return std::nullopt;
    }
    selector.terms_.push_back(std::move(t));
  }
  return selector;
}

bool FieldSelector::Matches(const Json& object) const {
  for (const auto& t : terms_) {
    if ((PathString(object, t.path) == t.value) != t.equal) {
      return false;
    }
  }
  return true;
}

}  // namespace kubeemu
