#include "websocket_client.h"

#include <spdlog/spdlog.h>

namespace ss::gateway {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {

// What a client may send in one message: it has nothing to send but control frames.
constexpr std::size_t kMaxClientMessage = 4096;
// A queue this much longer than its live part is compacted.
constexpr std::size_t kCompactAt = 64;

void AnswerProtocol(websocket::response_type& response) {
  response.set(beast::http::field::sec_websocket_protocol, "streamspace.v1");
}

}  // namespace

WebSocketMetrics::WebSocketMetrics(metrics::Registry& registry, const std::string& route)
    : clients(registry.GetGauge("gateway_websocket_clients", "WebSocket clients connected.",
                                {{"route", route}})),
      upstreams(registry.GetGauge("gateway_websocket_upstream_streams",
                                  "Upstream gRPC streams open for WebSocket clients.",
                                  {{"route", route}})),
      slow_closes(registry.GetCounter(
          "gateway_websocket_slow_closes_total",
          "WebSocket clients closed with 1013 because they read too slowly.", {{"route", route}})) {
}

WebSocketClient::WebSocketClient(Socket socket, const WebSocketOptions& options,
                                 WebSocketMetrics& metrics, ClientRoster& roster,
                                 ClientIdentity identity, std::shared_ptr<WebSocketFeed> feed)
    : ws_(std::move(socket)),
      options_(options),
      metrics_(metrics),
      roster_(roster),
      identity_(std::move(identity)),
      feed_(std::move(feed)),
      read_buffer_(kMaxClientMessage) {}

WebSocketClient::~WebSocketClient() {
  if (opened_ && !finished_)
    metrics_.clients.Add(-1);
}

void WebSocketClient::Accept(HttpRequest request, bool answer_protocol) {
  websocket::stream_base::timeout timeout;
  timeout.handshake_timeout = options_.handshake_timeout;
  timeout.idle_timeout = options_.ping_interval * 2;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.auto_fragment(false);
  ws_.read_message_max(kMaxClientMessage);
  if (answer_protocol)
    ws_.set_option(websocket::stream_base::decorator(&AnswerProtocol));
  request_ = std::make_unique<HttpRequest>(std::move(request));
  ws_.async_accept(*request_,
                   [self = shared_from_this()](beast::error_code error) { self->OnAccept(error); });
}

void WebSocketClient::OnAccept(beast::error_code error) {
  request_.reset();
  if (error) {
    spdlog::debug("websocket handshake failed: {}", error.message());
    return;
  }
  opened_ = true;
  metrics_.clients.Add(1);
  roster_.Add(*this);
  Read();
  feed_->OnOpen(shared_from_this());
}

void WebSocketClient::Read() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code error, std::size_t) {
    if (error)
      return self->Finish();
    self->read_buffer_.consume(self->read_buffer_.size());
    self->read_buffer_.shrink_to_fit();
    self->Read();
  });
}

void WebSocketClient::Send(Message message) {
  if (closing_ || finished_)
    return;
  const bool idle = head_ == queue_.size();
  if (!idle && queued_bytes_ + message->size() > options_.max_queue_bytes) {
    metrics_.slow_closes.Inc();
    // What is queued is dropped; the frame being written, if any, finishes first.
    queue_.resize(writing_ ? head_ + 1 : head_);
    queued_bytes_ = writing_ ? queue_[head_]->size() : 0;
    Close(websocket::close_code::try_again_later, "client too slow");
    // A client that reads nothing would hold the close back for ever.
    abort_timer_ = std::make_unique<net::steady_timer>(ws_.get_executor());
    abort_timer_->expires_after(options_.ping_interval * 2);
    abort_timer_->async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error)
        self->Abort();
    });
    return;
  }
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  if (!writing_)
    WriteNext();
}

void WebSocketClient::Close(websocket::close_code code, std::string_view reason) {
  if (closing_ || finished_)
    return;
  closing_ = true;
  close_reason_ = std::make_unique<websocket::close_reason>(code);
  // A close frame's reason has room for 123 bytes.
  close_reason_->reason.assign(reason.data(), std::min<std::size_t>(reason.size(), 123));
  if (!writing_)
    WriteNext();
}

void WebSocketClient::GoAway() {
  Close(websocket::close_code::going_away, "gateway stopping");
  if (feed_)
    feed_->OnClosed(*this);
}

void WebSocketClient::WriteNext() {
  if (head_ == queue_.size()) {
    queue_.clear();
    if (queue_.capacity() > kCompactAt)
      queue_.shrink_to_fit();
    head_ = 0;
    if (closing_ && !finished_)
      StartClose();
    return;
  }
  if (head_ >= kCompactAt && head_ * 2 >= queue_.size()) {
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  writing_ = true;
  const auto& message = *queue_[head_];
  ws_.async_write(
      net::buffer(message.data(), message.size()),
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnWrite(error); });
}

void WebSocketClient::OnWrite(beast::error_code error) {
  writing_ = false;
  queued_bytes_ -= queue_[head_]->size();
  queue_[head_].reset();
  ++head_;
  if (error || finished_) {
    queue_.clear();
    queue_.shrink_to_fit();
    head_ = 0;
    queued_bytes_ = 0;
    // The read in progress ends as well, and with it the client.
    if (error)
      Abort();
    return;
  }
  WriteNext();
}

void WebSocketClient::StartClose() {
  ws_.async_close(*close_reason_, [self = shared_from_this()](beast::error_code error) {
    if (error)
      self->Abort();
  });
}

void WebSocketClient::Abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).shutdown(Socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close(ignored);
}

void WebSocketClient::Finish() {
  if (finished_)
    return;
  finished_ = true;
  abort_timer_.reset();
  // The frame being written, if any, stays until its write completes.
  if (!writing_) {
    queue_.clear();
    queue_.shrink_to_fit();
    head_ = 0;
    queued_bytes_ = 0;
  } else {
    queue_.resize(head_ + 1);
  }
  if (opened_) {
    metrics_.clients.Add(-1);
    roster_.Remove(*this);
  }
  auto feed = std::move(feed_);
  feed->OnClosed(*this);
}

}  // namespace ss::gateway
