#include "client_stream.h"

#include <boost/asio/post.hpp>

#include "error_response.h"
#include "transcoder.h"

namespace ss::gateway {

namespace websocket = boost::beast::websocket;

ClientStream::ClientStream(const Endpoint& endpoint, BackendPool& pool, Backend& backend,
                           ClientCall call, WebSocketMetrics& metrics)
    : endpoint_(endpoint),
      pool_(pool),
      backend_(backend),
      call_(std::move(call)),
      metrics_(metrics) {}

void ClientStream::OnOpen(const std::shared_ptr<WebSocketClient>& client) {
  client_ = client;
  CallMetadata metadata;
  metadata.authorization = call_.authorization;
  metadata.request_id = call_.request_id;
  metadata.client_address = call_.client_address;
  metrics_.upstreams.Add(1);
  stream_ = pool_.OpenStream(backend_, endpoint_.rpc_name, std::move(call_.request), metadata,
                             shared_from_this());
}

void ClientStream::OnClosed(WebSocketClient&) {
  if (stream_)
    stream_->Cancel();
}

void ClientStream::OnMessage(std::string message) {
  std::string json;
  if (!ResponseToJson(endpoint_, message, &json).ok())
    return;
  // `seed` is set before the client opens and never changes.
  if (client_->seed) {
    // An unset value (a proto3 optional field: the stream's end) is nothing to show.
    std::string value;
    if (!FieldJson(json, *endpoint_.stream.seed_value, &value) || value == "null")
      return;
    json = std::move(value);
  }
  boost::asio::post(
      client_->executor(),
      [client = client_, json = std::make_shared<const std::string>(std::move(json))]() mutable {
        client->Send(std::move(json));
      });
}

void ClientStream::OnDone(const grpc::Status& status) {
  metrics_.upstreams.Add(-1);
  auto code = websocket::close_code::normal;
  std::string reason = "stream ended";
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::UNAUTHENTICATED:
      code = websocket::close_code::policy_error;
      reason = status.error_message();
      break;
    default:
      code = websocket::close_code::internal_error;
      reason = ClientMessageFor(status);
      break;
  }
  auto client = std::move(client_);
  boost::asio::post(client->executor(),
                    [client, code, reason = std::move(reason)] { client->Close(code, reason); });
}

}  // namespace ss::gateway
