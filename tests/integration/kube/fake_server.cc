#include "fake_server.h"

#include <sstream>

namespace ss::kube::testing {

namespace net = boost::asio;
using tcp = net::ip::tcp;

FakeServer::FakeServer(Handler handler)
    : handler_(std::move(handler)), acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
  port_ = acceptor_.local_endpoint().port();
  acceptor_thread_ = std::thread([this] {
    while (!stopping_) {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) {
        return;
      }
      ++connections_;
      std::lock_guard lock(mutex_);
      threads_.emplace_back([this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
    }
  });
}

FakeServer::~FakeServer() {
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.cancel(ignored);
  acceptor_.close(ignored);
  // Wake the blocked accept() with one last connection.
  tcp::socket poke(io_);
  poke.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)}, ignored);
  acceptor_thread_.join();
  {
    std::lock_guard lock(mutex_);
    for (auto& socket : sockets_) {
      socket->shutdown(tcp::socket::shutdown_both, ignored);
    }
  }
  for (auto& thread : threads_) {
    thread.join();
  }
}

void FakeServer::Serve(tcp::socket socket_value) {
  auto socket = std::make_shared<tcp::socket>(std::move(socket_value));
  {
    std::lock_guard lock(mutex_);
    sockets_.push_back(socket);
  }
  std::string buffer;
  while (!stopping_) {
    boost::system::error_code ec;
    const auto header_end = net::read_until(*socket, net::dynamic_buffer(buffer), "\r\n\r\n", ec);
    if (ec) {
      return;
    }
    std::istringstream head(buffer.substr(0, header_end));
    FakeRequest request;
    head >> request.method >> request.target;
    std::size_t length = 0;
    for (std::string line; std::getline(head, line);) {
      if (line.rfind("Content-Length:", 0) == 0 || line.rfind("content-length:", 0) == 0) {
        length = std::stoul(line.substr(15));
      }
    }
    buffer.erase(0, header_end);
    if (buffer.size() < length) {
      net::read(*socket, net::dynamic_buffer(buffer), net::transfer_exactly(length - buffer.size()),
                ec);
      if (ec) {
        return;
      }
    }
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);
    request.sequence = requests_++;
    handler_(request, *socket);
  }
}

void FakeServer::Write(tcp::socket& socket, std::string_view data) {
  boost::system::error_code ignored;
  net::write(socket, net::buffer(data.data(), data.size()), ignored);
}

std::string FakeServer::Answer(int status, std::string_view body, std::string_view extra_headers) {
  std::string answer =
      "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n";
  answer.append(extra_headers);
  answer += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  answer.append(body);
  return answer;
}

std::string FakeServer::Chunk(std::string_view data) {
  std::ostringstream chunk;
  chunk << std::hex << data.size() << "\r\n" << data << "\r\n";
  return chunk.str();
}

}  // namespace ss::kube::testing
