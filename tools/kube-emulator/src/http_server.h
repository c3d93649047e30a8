// HTTPS and plain HTTP listeners that hand requests to the API and stream long responses.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http_types.h"
#include "tls.h"

namespace kubeemu {

// Serves HTTP/1.1 with one thread per connection: watches and log follows block on the
// cluster's condition variable for as long as they last, which a thread does simply, and an
// emulator for development and tests serves few clients.
class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  explicit HttpServer(Handler handler);
  ~HttpServer();

  // Listens for HTTPS on address:port (0 picks a free port); returns the bound port.
  unsigned short ListenTls(const std::string& address, unsigned short port, const TlsMaterial& tls);
  // Listens for plain HTTP; returns the bound port.
  unsigned short ListenPlain(const std::string& address, unsigned short port);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kubeemu
