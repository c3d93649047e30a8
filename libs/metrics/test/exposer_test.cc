#include "metrics/exposer.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

http::response<http::string_body> Fetch(int port, http::verb verb, const std::string& target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> request(verb, target, 11);
  request.set(http::field::host, "localhost");
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  if (verb == http::verb::head) {
    http::response_parser<http::string_body> parser;
    parser.skip(true);
    http::read(stream, buffer, parser);
    return parser.release();
  }
  http::read(stream, buffer, response);
  return response;
}

}  // namespace

TEST_CASE("GET /metrics serves the registry and process metrics; other paths 404") {
  ss::metrics::Registry registry;
  registry.GetCounter("test_requests_total", "Test requests.", {{"route", "/x"}}).Inc(3);
  ss::metrics::Exposer exposer(registry, "127.0.0.1", 0);
  REQUIRE(exposer.port() > 0);

  const auto metrics = Fetch(exposer.port(), http::verb::get, "/metrics");
  CHECK(metrics.result() == http::status::ok);
  CHECK(metrics[http::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
  CHECK_THAT(metrics.body(), Catch::Contains("test_requests_total{route=\"/x\"} 3\n"));
  CHECK_THAT(metrics.body(), Catch::Contains("# TYPE process_resident_memory_bytes gauge\n"));
  CHECK_THAT(metrics.body(), Catch::Contains("\nprocess_resident_memory_bytes "));
  CHECK_THAT(metrics.body(), Catch::Contains("\nprocess_cpu_seconds_total "));

  CHECK(Fetch(exposer.port(), http::verb::get, "/metrics?x=1").result() == http::status::ok);
  CHECK(Fetch(exposer.port(), http::verb::get, "/").result() == http::status::not_found);
  CHECK(Fetch(exposer.port(), http::verb::get, "/metricsx").result() == http::status::not_found);
  const auto post = Fetch(exposer.port(), http::verb::post, "/metrics");
  CHECK(post.result() == http::status::method_not_allowed);
  CHECK(post[http::field::allow] == "GET, HEAD");
  const auto head = Fetch(exposer.port(), http::verb::head, "/metrics");
  CHECK(head.result() == http::status::ok);
  CHECK(head.body().empty());
}

TEST_CASE("a kept-alive connection serves several scrapes") {
  ss::metrics::Registry registry;
  auto& counter = registry.GetCounter("scrapes_total", "Scrapes.", {});
  ss::metrics::Exposer exposer(registry, "127.0.0.1", 0);
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), exposer.port()));
  beast::flat_buffer buffer;
  for (int i = 1; i <= 3; ++i) {
    counter.Inc();
    http::request<http::empty_body> request(http::verb::get, "/metrics", 11);
    request.set(http::field::host, "localhost");
    http::write(stream, request);
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    CHECK_THAT(response.body(), Catch::Contains("scrapes_total " + std::to_string(i) + "\n"));
  }
}

TEST_CASE("the exposer stops with an idle connection open, and a busy port throws") {
  ss::metrics::Registry registry;
  asio::io_context io;
  beast::tcp_stream stream(io);
  int port = 0;
  {
    ss::metrics::Exposer exposer(registry, "127.0.0.1", 0);
    port = exposer.port();
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    CHECK_THROWS_AS(ss::metrics::Exposer(registry, "127.0.0.1", port), std::runtime_error);
  }
  CHECK_THROWS(Fetch(port, http::verb::get, "/metrics"));
}
