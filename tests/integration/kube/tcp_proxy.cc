#include "tcp_proxy.h"

#include <array>
#include <future>

namespace ss::kube::testing {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct TcpProxy::Pipe : std::enable_shared_from_this<Pipe> {
  explicit Pipe(tcp::socket client)
      : downstream(std::move(client)), upstream(downstream.get_executor()) {}

  void Start(int port) {
    upstream.async_connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
                           [self = shared_from_this()](boost::system::error_code ec) {
                             if (ec) {
                               self->Close();
                               return;
                             }
                             self->Relay(self->downstream, self->upstream, self->down_buffer);
                             self->Relay(self->upstream, self->downstream, self->up_buffer);
                           });
  }

  void Relay(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buffer) {
    from.async_read_some(net::buffer(buffer), [self = shared_from_this(), &from, &to, &buffer](
                                                  boost::system::error_code ec, std::size_t n) {
      if (ec) {
        self->Close();
        return;
      }
      net::async_write(
          to, net::buffer(buffer.data(), n),
          [self, &from, &to, &buffer](boost::system::error_code write_ec, std::size_t) {
            if (write_ec) {
              self->Close();
              return;
            }
            self->Relay(from, to, buffer);
          });
    });
  }

  void Close() {
    boost::system::error_code ignored;
    downstream.close(ignored);
    upstream.close(ignored);
  }

  tcp::socket downstream;
  tcp::socket upstream;
  std::array<char, 16384> down_buffer{};
  std::array<char, 16384> up_buffer{};
};

TcpProxy::TcpProxy(int upstream_port)
    : acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}), upstream_port_(upstream_port) {
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

TcpProxy::~TcpProxy() {
  io_.stop();
  thread_.join();
}

void TcpProxy::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      return;
    }
    if (refusing_) {
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      auto pipe = std::make_shared<Pipe>(std::move(socket));
      pipes_.push_back(pipe);
      pipe->Start(upstream_port_);
    }
    Accept();
  });
}

void TcpProxy::DropAndRefuse() {
  std::promise<void> done;
  net::post(io_, [&] {
    refusing_ = true;
    for (auto& weak : pipes_) {
      if (auto pipe = weak.lock()) {
        pipe->Close();
      }
    }
    pipes_.clear();
    done.set_value();
  });
  done.get_future().wait();
}

void TcpProxy::Resume() {
  std::promise<void> done;
  net::post(io_, [&] {
    refusing_ = false;
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace ss::kube::testing
