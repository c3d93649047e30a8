#include "kube/names.h"

namespace ss::kube {
namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?, of any length.
bool IsLabelPart(std::string_view text) {
  if (text.empty() || !IsLowerAlnum(text.front()) || !IsLowerAlnum(text.back()))
    return false;
  for (char c : text) {
    if (!IsLowerAlnum(c) && c != '-')
      return false;
  }
  return true;
}

}  // namespace

bool IsDnsLabel(std::string_view text) {
  return text.size() <= 63 && IsLabelPart(text);
}

bool IsDnsSubdomain(std::string_view text) {
  if (text.size() > 253)
    return false;
  while (true) {
    const std::size_t dot = text.find('.');
    if (!IsLabelPart(text.substr(0, dot)))
      return false;
    if (dot == std::string_view::npos)
      return true;
    text.remove_prefix(dot + 1);
  }
}

}  // namespace ss::kube
