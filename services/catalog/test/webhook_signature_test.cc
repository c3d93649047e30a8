#include "webhook_signature.h"

#include <catch2/catch.hpp>

#include "secret_box.h"

namespace ss::catalog {

TEST_CASE("GitHub signatures: HMAC-SHA256 of the raw body") {
  // The example of GitHub's documentation ("Validating webhook deliveries").
  const std::string secret = "It's a Secret to Everybody";
  const std::string body = "Hello, World!";
  const std::string expected =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  CHECK(GitHubSignature(secret, body) == expected);
  CHECK(VerifyGitHubSignature(secret, body, expected));
  std::string upper = expected;
  for (size_t i = 7; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  CHECK(VerifyGitHubSignature(secret, body, upper));
  CHECK_FALSE(VerifyGitHubSignature(secret, body + " ", expected));
  CHECK_FALSE(VerifyGitHubSignature("other", body, expected));
  CHECK_FALSE(VerifyGitHubSignature(secret, body, ""));
  CHECK_FALSE(VerifyGitHubSignature(secret, body, expected.substr(7)));
  CHECK_FALSE(VerifyGitHubSignature(secret, body, "sha1=" + expected.substr(7)));
  CHECK_FALSE(VerifyGitHubSignature(secret, body, expected.substr(0, expected.size() - 1)));
  CHECK_FALSE(VerifyGitHubSignature(secret, body, expected.substr(0, 70) + "zz"));
  CHECK_FALSE(VerifyGitHubSignature("", body, GitHubSignature("", body)));
}

TEST_CASE("GitLab tokens compare whole") {
  CHECK(VerifyGitLabToken("s3cret-token", "s3cret-token"));
  CHECK_FALSE(VerifyGitLabToken("s3cret-token", "s3cret-toke"));
  CHECK_FALSE(VerifyGitLabToken("s3cret-token", "s3cret-token "));
  CHECK_FALSE(VerifyGitLabToken("s3cret-token", ""));
  CHECK_FALSE(VerifyGitLabToken("", ""));
}

TEST_CASE("sealed secrets open with their key only, and differ every time") {
  const SecretBox box("passphrase");
  const std::string sealed = box.Seal("ghp_token");
  CHECK(sealed.find("ghp_token") == std::string::npos);
  CHECK(box.Seal("ghp_token") != sealed);
  CHECK(box.Open(sealed) == "ghp_token");
  CHECK_FALSE(SecretBox("other").Open(sealed).has_value());
  std::string altered = sealed;
  altered[14] = static_cast<char>(altered[14] ^ 1);
  CHECK_FALSE(box.Open(altered).has_value());
  CHECK_FALSE(box.Open("short").has_value());
  CHECK(box.Open(box.Seal("")) == "");
}

}  // namespace ss::catalog
