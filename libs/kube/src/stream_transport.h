// Long-lived streamed GETs (watch, log follow) over Boost.Beast.
//
// Why not cpprestsdk here: its client hands a response body over as an asynchronous stream
// buffer read through pplx tasks on its shared thread pool, with no notion of lines, and one
// client's timeout bounds every request on it, so a watch that stays silent for minutes would
// need a second client configured without the timeout that every non-streaming call must have;
// ending such a read from another thread means cancelling tasks parked inside it. Beast runs the
// connection on an io_context owned by the calling thread: each line is handed over as it
// arrives, the idle limit is per stream, and Cancellation stops that io_context at once (well
// under 100 ms).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "bearer_token.h"
#include "endpoint.h"
#include "kube/cancellation.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/error.h"

namespace ss::kube {

class StreamTransport {
 public:
  // Throws boost::system::system_error on TLS material it cannot load.
  StreamTransport(const Config& config, Endpoint endpoint, std::shared_ptr<BearerToken> token);

  // GETs `path_and_query` and hands each line (without "\n") to `on_line`, however the body is
  // split across reads. Ok when the server ends the body or `on_line` returns false. With a
  // non-zero `idle_timeout`, a stream silent for that long fails with a Timeout error.
  Result<void> StreamLines(const std::string& path_and_query, const LineHandler& on_line,
                           std::chrono::milliseconds idle_timeout, Cancellation* cancellation);

 private:
  Result<void> StreamOnce(const std::string& path_and_query, const std::string& token,
                          const LineHandler& on_line, std::chrono::milliseconds idle_timeout,
                          Cancellation* cancellation, bool& unauthorized);

  const Config config_;
  const Endpoint endpoint_;
  std::shared_ptr<BearerToken> token_;
  boost::asio::ssl::context ssl_;
};

}  // namespace ss::kube
