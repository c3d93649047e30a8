// The emulator's certificate authority and serving certificate.
#pragma once

#include <string>

namespace kubeemu {

// PEM material for serving HTTPS and for clients to trust it.
struct TlsMaterial {
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
};

// Loads ca.crt, server.crt and server.key from `dir`, or generates a CA (EC P-256) and a server
// certificate for 127.0.0.1, ::1 and localhost and writes them there. Throws on failure.
TlsMaterial LoadOrCreateTls(const std::string& dir);

}  // namespace kubeemu
