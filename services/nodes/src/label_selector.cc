#include "label_selector.h"

#include <algorithm>

#include "validation.h"

namespace ss::nodes {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos)
    return {};
  return text.substr(begin, text.find_last_not_of(' ') - begin + 1);
}

// Splits at commas outside parentheses; nullopt on unbalanced parentheses.
std::optional<std::vector<std::string_view>> SplitTerms(std::string_view text) {
  std::vector<std::string_view> terms;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0)
        return std::nullopt;
    } else if (c == ',' && depth == 0) {
      terms.push_back(Trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0)
    return std::nullopt;
  return terms;
}

// Finds " in " / " notin " as whole words after the key.
bool SplitSetTerm(std::string_view term, std::string_view word, std::string_view* key,
                  std::string_view* rest) {
  const size_t open = term.find('(');
  if (open == std::string_view::npos || term.back() != ')')
    return false;
  const std::string_view head = Trim(term.substr(0, open));
  if (head.size() <= word.size() + 1 || head.substr(head.size() - word.size()) != word ||
      head[head.size() - word.size() - 1] != ' ')
    return false;
  *key = Trim(head.substr(0, head.size() - word.size()));
  *rest = term.substr(open + 1, term.size() - open - 2);
  return true;
}

}  // namespace

std::optional<LabelSelector> LabelSelector::Parse(std::string_view text, std::string* error) {
  LabelSelector selector;
  if (Trim(text).empty())
    return selector;
  const auto terms = SplitTerms(text);
  if (!terms) {
    *error = "labelSelector: unbalanced parentheses";
    return std::nullopt;
  }
  for (std::string_view term : *terms) {
    Requirement requirement;
    std::string_view key;
    std::string_view rest;
    if (term.empty()) {
      *error = "labelSelector: empty requirement";
      return std::nullopt;
    }
    const bool not_in = SplitSetTerm(term, "notin", &key, &rest);
    if (not_in || SplitSetTerm(term, "in", &key, &rest)) {
      requirement.op = not_in ? Op::kNotIn : Op::kIn;
      size_t start = 0;
      for (size_t i = 0; i <= rest.size(); ++i) {
        if (i == rest.size() || rest[i] == ',') {
          requirement.values.emplace_back(Trim(rest.substr(start, i - start)));
          start = i + 1;
        }
      }
    } else if (const size_t pos = term.find("!="); pos != std::string_view::npos) {
      key = Trim(term.substr(0, pos));
      requirement.op = Op::kNotEquals;
      requirement.values.emplace_back(Trim(term.substr(pos + 2)));
    } else if (const size_t eq = term.find('='); eq != std::string_view::npos) {
      key = Trim(term.substr(0, eq));
      const size_t value_at = term.size() > eq + 1 && term[eq + 1] == '=' ? eq + 2 : eq + 1;
      requirement.op = Op::kEquals;
      requirement.values.emplace_back(Trim(term.substr(value_at)));
    } else if (term.front() == '!') {
      key = Trim(term.substr(1));
      requirement.op = Op::kDoesNotExist;
    } else {
      key = term;
      requirement.op = Op::kExists;
    }
    if (grpc::Status status = CheckLabelKey(key, "labelSelector"); !status.ok()) {
      *error = status.error_message() + " (in \"" + std::string(term) + "\")";
      return std::nullopt;
    }
    for (const std::string& value : requirement.values) {
      if (!CheckLabelValue(value).ok()) {
        *error = "labelSelector: \"" + value + "\" is not a valid label value";
        return std::nullopt;
      }
    }
    requirement.key = std::string(key);
    selector.requirements_.push_back(std::move(requirement));
  }
  return selector;
}

bool LabelSelector::Matches(const google::protobuf::Map<std::string, std::string>& labels) const {
  return std::all_of(requirements_.begin(), requirements_.end(), [&](const Requirement& r) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    const auto listed = [&] {
      return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    };
    switch (r.op) {
      case Op::kEquals:
      case Op::kIn:
        return listed();
      case Op::kNotEquals:
      case Op::kNotIn:
        return !listed();
      case Op::kExists:
        return has;
      case Op::kDoesNotExist:
        return !has;
    }
    return false;
  });
}

}  // namespace ss::nodes
