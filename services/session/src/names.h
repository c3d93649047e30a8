// Names of a session and of what is made from it (DESIGN.md, Names). Pure functions, shared by
// the API (which names sessions) and the reconciler (which names their objects).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ss::session {

// A session name leaves room for the suffixes of the objects derived from it (Service, Ingress,
// the Deployment's pods) within a 63-character DNS label.
inline constexpr std::size_t kMaxSessionName = 50;
inline constexpr std::size_t kSuffixLength = 8;

// Lower-case, `.` and `_` mapped to `-`, any other character outside [a-z0-9-] dropped, runs of
// `-` collapsed and leading/trailing `-` trimmed: usable inside a DNS label.
std::string LabelPart(std::string_view text);

// {user}-{template}-{suffix}, with user and template shortened so the whole name is at most
// kMaxSessionName characters. `suffix` is kSuffixLength lower-case hex digits. A user part that
// begins with a digit gets a leading `u`: the session's Service is named after it, and Service
// names begin with a letter.
std::string SessionName(std::string_view user, std::string_view template_name,
                        std::string_view suffix);

// kSuffixLength random lower-case hex digits.
std::string RandomSuffix();

// The user's home volume claim, one per user: home-{user} when the user name is already a clean
// label part (LabelPart(user) == user), else home-{LabelPart(user), at most 40}.{8 hex digits
// of SHA-256(user)} (a DNS subdomain; the dot keeps it apart from every clean name).
std::string HomeClaimName(std::string_view user);

// Where a session is reached: https://{session}.{domain}.
std::string SessionUrl(std::string_view session, std::string_view ingress_domain);

}  // namespace ss::session
