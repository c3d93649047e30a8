// Repository credentials and webhook secrets at rest: AES-256-GCM with a key derived from
// CATALOG_SECRET_KEY, a fresh nonce per value. A sealed value names nothing of what it holds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

namespace ss::catalog {

// CATALOG_SECRET_KEY (and CATALOG_ALLOW_LOCAL_REPOS, which RepositoryDirectory reads too).
std::vector<core::Variable> SecretBoxVariables();

class SecretBox {
 public:
  // The key is SHA-256 of `passphrase`.
  explicit SecretBox(std::string_view passphrase);
  // The box of CATALOG_SECRET_KEY. An empty key is refused (ConfigError) unless
  // CATALOG_ALLOW_LOCAL_REPOS=true, for development, where it only warns.
  static SecretBox FromConfig(const core::Config& config);

  // nonce (12 bytes) | ciphertext | tag (16 bytes).
  std::string Seal(std::string_view plaintext) const;
  // nullopt when the value was sealed with another key or was altered.
  std::optional<std::string> Open(std::string_view sealed) const;

 private:
  unsigned char key_[32];
};

}  // namespace ss::catalog
