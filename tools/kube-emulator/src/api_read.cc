#include "api.h"
#include "selectors.h"
#include "tables.h"

namespace kubeemu {
namespace {

struct Filter {
  LabelSelector labels;
  FieldSelector fields;

  bool Matches(const Json& object) const {
    return labels.Matches(object["metadata"].value("labels", Json::object())) &&
           fields.Matches(object);
  }
};

std::optional<Filter> ParseFilter(const HttpRequest& http, ApiError& error) {
  auto labels = LabelSelector::Parse(http.Param("labelSelector"));
  auto fields = FieldSelector::Parse(http.Param("fieldSelector"));
  if (!labels || !fields) {
    error = BadRequest("unable to parse requirement: invalid selector");
    return std::nullopt;
  }
  return Filter{*labels, *fields};
}

std::string ContinueToken(const Json& object) {
  return Base64Encode(Json{{"ns", object["metadata"].value("namespace", "")},
                           {"name", object["metadata"].value("name", "")}}
                          .dump());
}

Json WatchEventJson(const ResourceType& resource, bool table, const std::string& type,
                    const Json& object) {
  if (table) {
    return {{"type", type},
            {"object", ToTable(resource, {&object},
                               {{"resourceVersion", object["metadata"]["resourceVersion"]}})}};
  }
  return {{"type", type}, {"object", object}};
}

Json ExpiredEvent(std::uint64_t requested) {
  return {{"type", "ERROR"},
          {"object", Gone("too old resource version: " + std::to_string(requested)).status}};
}

}  // namespace

HttpResponse GetObject(Cluster& cluster, const ResourceRequest& req) {
  std::lock_guard lock(cluster.mutex);
  const Json* object = cluster.store().Get(req.type.Key(), req.ns, req.name);
  if (object == nullptr) {
    return ErrorResponse(NotFound(req.Subject()));
  }
  if (req.WantsTable()) {
    return JsonResponse(200,
                        ToTable(req.type, {object},
                                {{"resourceVersion", (*object)["metadata"]["resourceVersion"]}}));
  }
  return JsonResponse(200, *object);
}

HttpResponse ListObjects(Cluster& cluster, const ResourceRequest& req) {
  ApiError error;
  const auto filter = ParseFilter(req.http, error);
  if (!filter) {
    return ErrorResponse(error);
  }
  std::lock_guard lock(cluster.mutex);
  std::vector<const Json*> matched;
  for (const Json* object : cluster.store().List(req.type.Key(), req.ns)) {
    if (filter->Matches(*object)) {
      matched.push_back(object);
    }
  }
  size_t begin = 0;
  if (const std::string token = req.http.Param("continue"); !token.empty()) {
    const Json after = Json::parse(Base64Decode(token), nullptr, false);
    if (!after.is_object()) {
      return ErrorResponse(BadRequest("continue key is not valid: invalid token"));
    }
    const std::pair<std::string, std::string> key{after.value("ns", ""), after.value("name", "")};
    while (begin < matched.size() && std::pair<std::string, std::string>{
                                         (*matched[begin])["metadata"].value("namespace", ""),
                                         (*matched[begin])["metadata"].value("name", "")} <= key) {
      ++begin;
    }
  }
  size_t end = matched.size();
  const std::string limit_text = req.http.Param("limit");
  const long limit = limit_text.empty() ? 0 : std::atol(limit_text.c_str());
  Json metadata = {{"resourceVersion", std::to_string(cluster.store().Version())}};
  if (limit > 0 && begin + static_cast<size_t>(limit) < matched.size()) {
    end = begin + static_cast<size_t>(limit);
    metadata["continue"] = ContinueToken(*matched[end - 1]);
    metadata["remainingItemCount"] = matched.size() - end;
  }
  std::vector<const Json*> page(matched.begin() + static_cast<long>(begin),
                                matched.begin() + static_cast<long>(end));
  if (req.WantsTable()) {
    return JsonResponse(200, ToTable(req.type, page, metadata));
  }
  Json items = Json::array();
  for (const Json* object : page) {
    items.push_back(*object);
  }
  return JsonResponse(200, {{"kind", req.type.kind + "List"},
                            {"apiVersion", req.type.GroupVersion()},
                            {"metadata", std::move(metadata)},
                            {"items", std::move(items)}});
}

HttpResponse WatchObjects(Cluster& cluster, const ResourceRequest& req) {
  ApiError error;
  auto filter = ParseFilter(req.http, error);
  if (!filter) {
    return ErrorResponse(error);
  }
  if (!req.name.empty()) {
    filter->fields = *FieldSelector::Parse(req.http.Param("fieldSelector") +
                                           (req.http.Param("fieldSelector").empty() ? "" : ",") +
                                           "metadata.name=" + req.name);
  }
  const std::string rv_text = req.http.Param("resourceVersion");
  const std::uint64_t requested = rv_text.empty() ? 0 : std::strtoull(rv_text.c_str(), nullptr, 10);
  std::unique_lock lock(cluster.mutex);
  if (requested != 0 && cluster.store().TooOld(requested) && !req.gone_as_event) {
    return ErrorResponse(Gone("too old resource version: " + rv_text + " (" +
                              std::to_string(cluster.store().Version()) + ")"));
  }
  std::vector<std::string> initial;
  std::uint64_t start = requested;
  if (requested == 0) {
    for (const Json* object : cluster.store().List(req.type.Key(), req.ns)) {
      if (filter->Matches(*object)) {
        initial.push_back(WatchEventJson(req.type, req.WantsTable(), "ADDED", *object).dump() +
                          "\n");
      }
    }
    start = cluster.store().Version();
  }
  lock.unlock();
  const std::string timeout_text = req.http.Param("timeoutSeconds");
  const auto timeout =
      std::chrono::seconds(timeout_text.empty() ? 1800 : std::atol(timeout_text.c_str()));
  const bool bookmarks = req.http.Param("allowWatchBookmarks") == "true";
  HttpResponse res;
  // The request is gone once the handler returns: the stream keeps copies of what it needs.
  res.stream = [&cluster, type = req.type, ns = req.ns, table = req.WantsTable(), filter = *filter,
                initial, start, timeout, bookmarks](StreamSink& sink) {
    for (const auto& line : initial) {
      if (!sink.Write(line)) {
        return;
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto interval = cluster.options().bookmark_interval;
    auto next_bookmark = std::chrono::steady_clock::now() + interval;
    std::uint64_t last = start;
    while (std::chrono::steady_clock::now() < deadline) {
      std::string out;
      {
        std::unique_lock lock(cluster.mutex);
        cluster.changed.wait_until(lock, std::min(deadline, next_bookmark),
                                   [&] { return cluster.store().Version() > last; });
        if (cluster.store().TooOld(last)) {
          out = ExpiredEvent(last).dump() + "\n";
          lock.unlock();
          sink.Write(out);
          return;
        }
        for (const WatchEvent* e : cluster.store().EventsAfter(last, type.Key())) {
          if (!ns.empty() && e->object["metadata"].value("namespace", "") != ns) {
            continue;
          }
          const bool now_matches = filter.Matches(e->object);
          const bool was_matching = !e->previous.is_null() && filter.Matches(e->previous);
          std::string event_type = e->type;
          if (event_type == "MODIFIED" && !now_matches) {
            if (!was_matching) {
              continue;
            }
            event_type = "DELETED";
          } else if (event_type == "MODIFIED" && !was_matching) {
            event_type = "ADDED";
          } else if (!now_matches) {
            continue;
          }
          out += WatchEventJson(type, table, event_type, e->object).dump() + "\n";
        }
        last = cluster.store().Version();
      }
      if (bookmarks && std::chrono::steady_clock::now() >= next_bookmark) {
        out += Json{{"type", "BOOKMARK"},
                    {"object",
                     {{"kind", type.kind},
                      {"apiVersion", type.GroupVersion()},
                      {"metadata", {{"resourceVersion", std::to_string(last)}}}}}}
                   .dump() +
               "\n";
      }
      if (std::chrono::steady_clock::now() >= next_bookmark) {
        next_bookmark = std::chrono::steady_clock::now() + interval;
      }
      if (!out.empty() && !sink.Write(out)) {
        return;
      }
    }
  };
  return res;
}

}  // namespace kubeemu
