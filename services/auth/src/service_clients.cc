#include "service_clients.h"

#include "authn/encoding.h"
#include "core/config.h"
#include "validation.h"

namespace ss::auth {

ServiceClients ServiceClients::Parse(std::string_view list) {
  ServiceClients clients;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view entry = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty())
      continue;
    const std::size_t equals = entry.find('=');
    const std::string_view name = entry.substr(0, equals);
    if (equals == std::string_view::npos || !IsServiceName(name) || equals + 1 == entry.size()) {
      // The entry holds a secret: name only the position, never the text.
      throw core::ConfigError(
          "SERVICE_CLIENTS must be a comma-separated list of <service>=<secret> with service "
          "names of a-z, 0-9 and '-'");
    }
    clients.secrets_[std::string(name)] = std::string(entry.substr(equals + 1));
  }
  return clients;
}

bool ServiceClients::Accepts(std::string_view service, std::string_view secret) const {
  const auto it = secrets_.find(service);
  // Compare against something even for an unknown service, so timing does not tell names apart.
  const std::string_view expected = it == secrets_.end() ? std::string_view() : it->second;
  const bool match = authn::ConstantTimeEquals(expected, secret);
  return it != secrets_.end() && match;
}

}  // namespace ss::auth
