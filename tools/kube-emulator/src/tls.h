// The emulator's certificate authority and serving certificate.
#pragma once

#include <string>
#include <vector>

namespace kubeemu {

// PEM material for serving HTTPS and for clients to trust it.
struct TlsMaterial {
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
};

// Loads ca.crt, server.crt and server.key from `dir`, or generates a CA (EC P-256) and a server
// certificate for 127.0.0.1, ::1, localhost, kubernetes and `hosts`, and writes them there. A
// kept server certificate that lacks one of `hosts` is issued again by the kept CA, so clients
// that trust ca.crt go on trusting it. Throws on failure.
TlsMaterial LoadOrCreateTls(const std::string& dir, const std::vector<std::string>& hosts);

}  // namespace kubeemu
