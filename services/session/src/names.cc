#include "names.h"

#include <cctype>

#include "authn/encoding.h"

namespace ss::session {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string TrimDashes(std::string text) {
  while (!text.empty() && text.back() == '-')
    text.pop_back();
  const auto first = text.find_first_not_of('-');
  return first == std::string::npos ? std::string() : text.substr(first);
}

}  // namespace

std::string LabelPart(std::string_view text) {
  std::string part;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c == '.' || c == '_')
      c = '-';
    if (!IsAlnum(c) && c != '-')
      continue;
    if (c == '-' && !part.empty() && part.back() == '-')
      continue;
    part += c;
  }
  return TrimDashes(std::move(part));
}

std::string SessionName(std::string_view user, std::string_view template_name,
                        std::string_view suffix) {
  std::string u = LabelPart(user);
  std::string t = LabelPart(template_name);
  if (u.empty())
    u = "user";
  if (t.empty())
    t = "app";
  // The session's Service takes its name, and a Service name must begin with a letter (RFC 1035).
  if (std::isdigit(static_cast<unsigned char>(u.front())))
    u.insert(0, "u");
  // Two dashes and the suffix; the rest is shared, the shorter part keeping all of its length.
  const std::size_t budget = kMaxSessionName - 2 - suffix.size();
  if (u.size() + t.size() > budget) {
    const std::size_t half = budget / 2;
    if (u.size() <= half) {
      t.resize(budget - u.size());
    } else if (t.size() <= budget - half) {
      u.resize(budget - t.size());
    } else {
      u.resize(half);
      t.resize(budget - half);
    }
    u = TrimDashes(std::move(u));
    t = TrimDashes(std::move(t));
  }
  return u + "-" + t + "-" + std::string(suffix);
}

std::string RandomSuffix() {
  return authn::HexEncode(authn::RandomBytes(kSuffixLength / 2));
}

std::string HomeClaimName(std::string_view user) {
  static constexpr std::string_view kPrefix = "home-";
  static constexpr std::size_t kMaxPart = 40;
  std::string part = LabelPart(user);
  if (!part.empty() && part == user && kPrefix.size() + part.size() <= 63)
    return std::string(kPrefix) + part;
  // Not a clean label part: the readable part is no longer one-to-one, the digest makes it so.
  // A clean name has no `.`, so the two forms never meet.
  if (part.size() > kMaxPart)
    part = TrimDashes(part.substr(0, kMaxPart));
  if (part.empty())
    part = "user";
  return std::string(kPrefix) + part + "." + authn::HexEncode(authn::Sha256(user)).substr(0, 8);
}

std::string SessionUrl(std::string_view session, std::string_view ingress_domain) {
  return "https://" + std::string(session) + "." + std::string(ingress_domain);
}

}  // namespace ss::session
