// The API server's address and the TLS settings shared by both transports.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <string>

#include "kube/config.h"
#include "kube/error.h"

namespace ss::kube {

struct Endpoint {
  bool tls = true;
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string base_path;  // "" or "/prefix" without a trailing slash
};

Result<Endpoint> ParseServer(const std::string& server);

// Trusts `config.ca_pem` only (the system roots when it is empty) and presents the client
// certificate.
// Throws boost::system::system_error on PEM it cannot load.
void ConfigureTls(boost::asio::ssl::context& context, const Config& config);

}  // namespace ss::kube
