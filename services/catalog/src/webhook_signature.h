// The two ways a git host proves a webhook comes from it: GitHub's HMAC-SHA256 of the raw body
// (X-Hub-Signature-256: sha256=<hex>) and GitLab's shared token (X-Gitlab-Token). Both compare
// in constant time.
#pragma once

#include <string>
#include <string_view>

namespace ss::catalog {

// "sha256=" followed by the lower-case hex HMAC-SHA256 of `body` keyed with `secret`.
std::string GitHubSignature(std::string_view secret, std::string_view body);

// True when `header` is GitHub's signature of `body` with `secret` (hex in either case).
bool VerifyGitHubSignature(std::string_view secret, std::string_view body, std::string_view header);

// True when GitLab's `token` equals `secret`.
bool VerifyGitLabToken(std::string_view secret, std::string_view token);

}  // namespace ss::catalog
