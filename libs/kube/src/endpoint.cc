#include "endpoint.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/buffer.hpp>

namespace ss::kube {

Result<Endpoint> ParseServer(const std::string& server) {
  Endpoint endpoint;
  std::string rest;
  if (server.rfind("https://", 0) == 0) {
    rest = server.substr(8);
  } else if (server.rfind("http://", 0) == 0) {
    endpoint.tls = false;
    rest = server.substr(7);
  } else {
    return TransportError(Error::kReasonConfig, "server must start with https:// or http://");
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) {
    endpoint.base_path = rest.substr(slash);
    while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
      endpoint.base_path.pop_back();
    }
  }
  std::string::size_type colon;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      return TransportError(Error::kReasonConfig, "bad IPv6 address in server " + server);
    }
    endpoint.host = authority.substr(1, close - 1);
    colon = authority.find(':', close);
  } else {
    colon = authority.find(':');
    endpoint.host = authority.substr(0, colon);
  }
  endpoint.port =
      colon == std::string::npos ? (endpoint.tls ? "443" : "80") : authority.substr(colon + 1);
  if (endpoint.host.empty() || endpoint.port.empty()) {
    return TransportError(Error::kReasonConfig, "bad server address " + server);
  }
  return endpoint;
}

void ConfigureTls(boost::asio::ssl::context& context, const Config& config) {
  if (config.ca_pem.empty()) {
    context.set_default_verify_paths();
  } else {
    // Like kubectl: a configured CA is the only one trusted. A fresh store drops the system
    // roots a caller (cpprestsdk does) may have loaded into the context already.
    SSL_CTX_set_cert_store(context.native_handle(), X509_STORE_new());
    context.add_certificate_authority(boost::asio::buffer(config.ca_pem));
  }
  if (!config.client_cert_pem.empty()) {
    context.use_certificate_chain(boost::asio::buffer(config.client_cert_pem));
    context.use_private_key(boost::asio::buffer(config.client_key_pem),
                            boost::asio::ssl::context::pem);
  }
}

}  // namespace ss::kube
