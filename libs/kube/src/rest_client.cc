// The Client: paths and query strings for each verb, JSON at the boundary, and the two
// transports (cpprestsdk for calls, Beast for streams; see stream_transport.h for why).
#include <cpprest/http_client.h>

#include "bearer_token.h"
#include "endpoint.h"
#include "kube/client.h"
#include "rest_transport.h"
#include "stream_transport.h"

namespace ss::kube {
namespace {

using nlohmann::json;
namespace http = web::http;

// A percent-encoded query string; empty values are left out.
class Query {
 public:
  Query& Add(std::string_view key, std::string_view value) {
    if (!value.empty()) {
      text_.append(text_.empty() ? "?" : "&").append(key).append("=");
      text_.append(web::uri::encode_data_string(std::string(value)));
    }
    return *this;
  }
  Query& Add(std::string_view key, std::optional<int> value) {
    return value ? Add(key, std::to_string(*value)) : *this;
  }
  Query& Add(std::string_view key, bool value) {
    return value ? Add(key, std::string_view("true")) : *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

Result<json> ParseBody(Result<std::string> body) {
  if (!body) {
    return body.error();
  }
  auto parsed = json::parse(*body, nullptr, false);
  if (parsed.is_discarded()) {
    return TransportError(Error::kReasonBadResponse, "the answer is not JSON");
  }
  return parsed;
}

const char* ContentType(PatchType type) {
  switch (type) {
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kStrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::kJson:
      return "application/json-patch+json";
  }
  return "application/merge-patch+json";
}

std::optional<WatchEventType> EventType(const std::string& type) {
  if (type == "ADDED")
    return WatchEventType::kAdded;
  if (type == "MODIFIED")
    return WatchEventType::kModified;
  if (type == "DELETED")
    return WatchEventType::kDeleted;
  if (type == "BOOKMARK")
    return WatchEventType::kBookmark;
  if (type == "ERROR")
    return WatchEventType::kError;
  return std::nullopt;
}

class RestClient final : public Client {
 public:
  RestClient(Config config, const Endpoint& endpoint)
      : config_(std::move(config)),
        token_(std::make_shared<BearerToken>(config_.token, config_.token_file,
                                             config_.token_reread_interval)),
        rest_(config_, endpoint, token_),
        streams_(config_, endpoint, token_) {}

  const std::string& DefaultNamespace() const override { return config_.default_namespace; }

  Result<json> Get(const ResourceRef& ref, std::string_view ns, std::string_view name) override {
    return ParseBody(rest_.Send({http::methods::GET, ref.Path(ns, name), {}, {}}));
  }

  Result<ListPage> List(const ResourceRef& ref, std::string_view ns,
                        const ListOptions& options) override {
    Query query;
    query.Add("labelSelector", options.label_selector)
        .Add("fieldSelector", options.field_selector)
        .Add("limit", options.limit > 0 ? std::optional<int>(options.limit) : std::nullopt)
        .Add("continue", options.continue_token)
        .Add("resourceVersion", options.resource_version);
    RestRequest request{http::methods::GET, ref.Path(ns) + query.str(), {}, {}};
    request.cancellation = options.cancellation;
    auto body = ParseBody(rest_.Send(request));
    if (!body) {
      return body.error();
    }
    ListPage page;
    const json& metadata = (*body)["metadata"];
    page.resource_version = metadata.value("resourceVersion", "");
    page.continue_token = metadata.value("continue", "");
    if (auto items = body->find("items"); items != body->end() && items->is_array()) {
      page.items.reserve(items->size());
      for (json& item : *items) {
        page.items.push_back(std::move(item));
      }
    }
    return page;
  }

  Result<json> Create(const ResourceRef& ref, std::string_view ns, const json& object) override {
    return ParseBody(
        rest_.Send({http::methods::POST, ref.Path(ns), object.dump(), "application/json"}));
  }

  Result<json> Replace(const ResourceRef& ref, std::string_view ns, std::string_view name,
                       const json& object) override {
    return ParseBody(
        rest_.Send({http::methods::PUT, ref.Path(ns, name), object.dump(), "application/json"}));
  }

  Result<json> ReplaceStatus(const ResourceRef& ref, std::string_view ns, std::string_view name,
                             const json& object) override {
    return ParseBody(rest_.Send(
        {http::methods::PUT, ref.Path(ns, name, "status"), object.dump(), "application/json"}));
  }

  Result<json> Patch(const ResourceRef& ref, std::string_view ns, std::string_view name,
                     PatchType type, const json& patch) override {
    if (type == PatchType::kStrategicMerge && IsCustomResource(ref)) {
      return ErrorFromResponse(415, "strategic merge patch is not supported for custom resources");
    }
    return ParseBody(
        rest_.Send({http::methods::PATCH, ref.Path(ns, name), patch.dump(), ContentType(type)}));
  }

  Result<json> Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                      const DeleteOptions& options) override {
    json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
    if (options.grace_period_seconds) {
      body["gracePeriodSeconds"] = *options.grace_period_seconds;
    }
    if (!options.propagation_policy.empty()) {
      body["propagationPolicy"] = options.propagation_policy;
    }
    if (!options.precondition_resource_version.empty()) {
      body["preconditions"] = {{"resourceVersion", options.precondition_resource_version}};
    }
    return ParseBody(
        rest_.Send({http::methods::DEL, ref.Path(ns, name), body.dump(), "application/json"}));
  }

  Result<void> Evict(std::string_view ns, std::string_view pod,
                     std::optional<int> grace_period_seconds) override {
    json eviction = {{"apiVersion", "policy/v1"},
                     {"kind", "Eviction"},
                     {"metadata", {{"name", pod}, {"namespace", ns}}}};
    if (grace_period_seconds) {
      eviction["deleteOptions"] = {{"gracePeriodSeconds", *grace_period_seconds}};
    }
    RestRequest request{http::methods::POST, resources::kPods.Path(ns, pod, "eviction"),
                        eviction.dump(), "application/json"};
    request.honour_retry_after = false;  // a 429 here is the budget's answer, for the caller
    auto answer = rest_.Send(request);
    if (!answer) {
      return answer.error();
    }
    return {};
  }

  Result<void> StreamLogs(std::string_view ns, std::string_view pod, const LogOptions& options,
                          const LineHandler& on_line, Cancellation* cancellation) override {
    Query query;
    query.Add("container", options.container)
        .Add("follow", options.follow)
        .Add("tailLines", options.tail_lines)
        .Add("sinceSeconds", options.since_seconds)
        .Add("timestamps", options.timestamps);
    const auto idle = options.follow ? std::chrono::milliseconds(0) : config_.request_timeout;
    return streams_.StreamLines(resources::kPods.Path(ns, pod, "log") + query.str(), on_line, idle,
                                cancellation);
  }

  Result<void> Watch(const ResourceRef& ref, std::string_view ns, const WatchOptions& options,
                     const WatchEventHandler& on_event, Cancellation* cancellation) override {
    Query query;
    query.Add("watch", true)
        .Add("resourceVersion", options.resource_version)
        .Add("allowWatchBookmarks", options.allow_bookmarks)
        .Add("timeoutSeconds", std::optional<int>(options.timeout_seconds))
        .Add("labelSelector", options.label_selector)
        .Add("fieldSelector", options.field_selector);
    std::optional<Error> bad_line;
    const auto on_line = [&](std::string_view line) {
      if (line.empty()) {
        return true;
      }
      auto parsed = json::parse(line, nullptr, false);
      const auto type = parsed.is_object() ? EventType(parsed.value("type", "")) : std::nullopt;
      if (!type) {
        bad_line = TransportError(Error::kReasonBadResponse, "malformed watch event");
        return false;
      }
      WatchEvent event{*type, std::move(parsed["object"])};
      return on_event(event);
    };
    // The server ends the watch after timeoutSeconds; silence well beyond that is a dead peer.
    const auto idle = std::chrono::seconds(options.timeout_seconds + 30);
    auto result = streams_.StreamLines(ref.Path(ns) + query.str(), on_line, idle, cancellation);
    if (bad_line) {
      return *bad_line;
    }
    return result;
  }

 private:
  const Config config_;
  std::shared_ptr<BearerToken> token_;
  RestTransport rest_;
  StreamTransport streams_;
};

}  // namespace

ClientPtr MakeClient(Config config) {
  auto endpoint = ParseServer(config.server);
  if (!endpoint) {
    throw std::invalid_argument("kube: " + endpoint.error().message);
  }
  try {
    return std::make_unique<RestClient>(std::move(config), *endpoint);
  } catch (const boost::system::system_error& e) {
    throw std::invalid_argument(std::string("kube: cannot load TLS material: ") + e.what());
  }
}

Result<json> UpdateWithRetry(Client& client, const ResourceRef& ref, std::string_view ns,
                             std::string_view name, const std::function<bool(json&)>& mutate,
                             int attempts) {
  for (int attempt = 1;; ++attempt) {
    auto current = client.Get(ref, ns, name);
    if (!current) {
      return current.error();
    }
    if (!mutate(*current)) {
      return current;
    }
    auto replaced = client.Replace(ref, ns, name, *current);
    if (replaced || !replaced.error().IsConflict() || attempt >= attempts) {
      return replaced;
    }
  }
}

}  // namespace ss::kube
