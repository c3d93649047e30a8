// The services allowed to obtain `service` tokens, from SERVICE_CLIENTS
// ("gateway=<secret>,session=<secret>").
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace ss::auth {

class ServiceClients {
 public:
  // Throws core::ConfigError on a malformed list (names as IsServiceName, secrets non-empty).
  static ServiceClients Parse(std::string_view list);

  // True if `service` is listed with exactly this secret (compared in constant time).
  bool Accepts(std::string_view service, std::string_view secret) const;
  std::size_t size() const { return secrets_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> secrets_;
};

}  // namespace ss::auth
