// streamspace-probe: the health check of a container, with no shell tools needed.
//
//   streamspace-probe grpc HOST:PORT        exit 0 when the server's grpc.health.v1 says SERVING
//   streamspace-probe http HOST:PORT PATH   exit 0 when GET PATH answers 200
//
// Anything else exits 1 with the reason on stderr; a wrong command line exits 2.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "rpc/health_check.h"

namespace {

namespace http = boost::beast::http;
constexpr std::chrono::seconds kTimeout{3};

constexpr char kUsage[] =
    "usage: streamspace-probe grpc HOST:PORT\n"
    "       streamspace-probe http HOST:PORT PATH\n";

int ProbeGrpc(const std::string& address) {
  std::string detail;
  const ss::rpc::ServingState state = ss::rpc::CheckHealth(address, kTimeout, detail);
  if (state == ss::rpc::kServing)
    return 0;
  std::fprintf(stderr, "%s: %s%s%s\n", address.c_str(),
               std::string(ss::rpc::ServingStateName(state)).c_str(), detail.empty() ? "" : ": ",
               detail.c_str());
  return 1;
}

int ProbeHttp(const std::string& address, const std::string& path) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  try {
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(kTimeout);
    stream.connect(boost::asio::ip::tcp::resolver(io).resolve(address.substr(0, colon),
                                                              address.substr(colon + 1)));
    http::request<http::empty_body> request(http::verb::get, path, 11);
    request.set(http::field::host, address);
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    if (response.result() == http::status::ok)
      return 0;
    std::fprintf(stderr, "GET %s: %u %s\n", path.c_str(), response.result_int(),
                 response.body().c_str());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "GET %s on %s: %s\n", path.c_str(), address.c_str(), error.what());
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "grpc" && argc == 3)
    return ProbeGrpc(argv[2]);
  if (mode == "http" && argc == 4)
    return ProbeHttp(argv[2], argv[3]);
  std::fputs(kUsage, stderr);
  return 2;
}
