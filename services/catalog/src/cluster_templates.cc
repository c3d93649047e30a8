#include "cluster_templates.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "kube/grpc_status.h"
#include "kube/names.h"
#include "template_object.h"
#include "template_schema.h"
#include "validation.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;
using nlohmann::json;

json MessageJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::MessageToJsonString(message, &text);
  return json::parse(text);
}

grpc::Status CheckName(const std::string& name) {
  if (!kube::IsDnsLabel(name)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "name must be a DNS label (lower-case letters, digits, '-'; 63 at most)");
  }
  return grpc::Status::OK;
}

// The fields present in a PATCH, applied to a spec.
void ApplyChanges(const pb::UpdateTemplateRequest& request, json& spec) {
  const auto set_text = [&spec](bool present, const char* key, const std::string& value) {
    if (present)
      spec[key] = value;
  };
  set_text(request.has_display_name(), "displayName", request.display_name());
  set_text(request.has_description(), "description", request.description());
  set_text(request.has_category(), "category", request.category());
  set_text(request.has_icon(), "icon", request.icon());
  set_text(request.has_base_image(), "baseImage", request.base_image());
  set_text(request.has_app_type(), "appType", request.app_type());
  if (request.has_default_resources())
    ApplyFlatResources(request.default_resources(), spec);
  if (request.has_vnc())
    spec["vnc"] = MessageJson(request.vnc());
  if (request.has_webapp())
    spec["webapp"] = MessageJson(request.webapp());
  const auto set_list = [&spec](bool present, const char* key,
                                const google::protobuf::ListValue& value) {
    if (present)
      spec[key] = MessageJson(value);
  };
  set_list(request.has_ports(), "ports", request.ports());
  set_list(request.has_env(), "env", request.env());
  set_list(request.has_volume_mounts(), "volumeMounts", request.volume_mounts());
  set_list(request.has_capabilities(), "capabilities", request.capabilities());
  set_list(request.has_tags(), "tags", request.tags());
}

}  // namespace

ClusterTemplates::ClusterTemplates(kube::Client& client, std::string ns)
    : client_(client), ns_(std::move(ns)) {}

ClusterTemplates::~ClusterTemplates() {
  Stop();
}

void ClusterTemplates::Start() {
  kube::WatcherOptions options;
  options.ns = ns_;
  watcher_ = std::make_unique<kube::Watcher>(client_, kube::resources::kTemplates, options, *this);
  watcher_->Start();
}

bool ClusterTemplates::WaitSynced(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return synced_changed_.wait_for(lock, timeout, [this] { return synced_; });
}

void ClusterTemplates::Stop() {
  if (watcher_)
    watcher_->Stop();
}

void ClusterTemplates::OnListStart() {
  std::lock_guard lock(mutex_);
  listed_.clear();
}

void ClusterTemplates::OnEvent(kube::WatchEventType type, const json& object) {
  const std::string name = object.value("metadata", json::object()).value("name", "");
  std::lock_guard lock(mutex_);
  if (type == kube::WatchEventType::kDeleted) {
    templates_.erase(name);
    return;
  }
  templates_[name] = TemplateFromObject(object);
  listed_.insert(name);
}

void ClusterTemplates::OnSynced() {
  std::lock_guard lock(mutex_);
  for (auto it = templates_.begin(); it != templates_.end();) {
    it = listed_.count(it->first) == 0 ? templates_.erase(it) : std::next(it);
  }
  synced_ = true;
  synced_changed_.notify_all();
}

void ClusterTemplates::OnError(const kube::Error& error) {
  spdlog::warn("template watch: {}", error.ToString());
}

void ClusterTemplates::Remember(const json& object) {
  const std::string name = object.value("metadata", json::object()).value("name", "");
  std::lock_guard lock(mutex_);
  templates_[name] = TemplateFromObject(object);
}

grpc::Status ClusterTemplates::List(const pb::ListTemplatesRequest& request,
                                    pb::ListTemplatesResponse* response) const {
  int offset = 0;
  int limit = 0;
  auto status = PageBounds(request.page_size(), request.page_token(), &offset, &limit);
  if (!status.ok())
    return status;
  std::lock_guard lock(mutex_);
  if (!synced_)
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "templates are still loading");
  int total = 0;
  for (const auto& [name, entry] : templates_) {
    if (!request.category().empty() && entry.category() != request.category())
      continue;
    if (!request.tag().empty() &&
        std::find(entry.tags().begin(), entry.tags().end(), request.tag()) == entry.tags().end()) {
      continue;
    }
    if (total >= offset && total < offset + limit)
      *response->add_templates() = entry;
    ++total;
  }
  response->set_total(total);
  response->set_next_page_token(NextPageToken(offset, limit, total));
  return grpc::Status::OK;
}

grpc::Status ClusterTemplates::Get(const std::string& name, pb::Template* response) const {
  auto status = CheckName(name);
  if (!status.ok())
    return status;
  std::lock_guard lock(mutex_);
  if (!synced_)
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "templates are still loading");
  const auto found = templates_.find(name);
  if (found == templates_.end())
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "template " + name + " not found");
  *response = found->second;
  return grpc::Status::OK;
}

grpc::Status ClusterTemplates::Create(const pb::Template& request, pb::Template* response) {
  auto status = CheckName(request.name());
  if (!status.ok())
    return status;
  if (!request.namespace_().empty() && request.namespace_() != ns_) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "namespace must be empty or " + ns_ + " (templates live there)");
  }
  json spec = SpecOf(request);
  if (auto problem = CheckTemplateSpec(spec))
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem);
  return CreateFromSpec(request.name(), spec, {}, response);
}

grpc::Status ClusterTemplates::CreateFromSpec(const std::string& name, const json& spec,
                                              const std::map<std::string, std::string>& labels,
                                              pb::Template* response) {
  auto created =
      client_.Create(kube::resources::kTemplates, ns_, TemplateObject(ns_, name, spec, labels));
  if (!created)
    return kube::ToGrpcStatus(created.error(), "template " + name);
  Remember(*created);
  *response = TemplateFromObject(*created);
  return grpc::Status::OK;
}

grpc::Status ClusterTemplates::Update(const pb::UpdateTemplateRequest& request,
                                      pb::Template* response) {
  auto status = CheckName(request.name());
  if (!status.ok())
    return status;
  std::string problem;
  auto updated = kube::UpdateWithRetry(client_, kube::resources::kTemplates, ns_, request.name(),
                                       [&](json& object) {
                                         json spec = object.value("spec", json::object());
                                         const json before = spec;
                                         ApplyChanges(request, spec);
                                         if (auto invalid = CheckTemplateSpec(spec)) {
                                           problem = *invalid;
                                           return false;
                                         }
                                         problem.clear();
                                         if (spec == before)
                                           return false;
                                         object["spec"] = std::move(spec);
                                         return true;
                                       });
  if (!problem.empty())
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, problem);
  if (!updated)
    return kube::ToGrpcStatus(updated.error(), "template " + request.name());
  Remember(*updated);
  *response = TemplateFromObject(*updated);
  return grpc::Status::OK;
}

grpc::Status ClusterTemplates::Delete(const std::string& name) {
  auto status = CheckName(name);
  if (!status.ok())
    return status;
  auto deleted = client_.Delete(kube::resources::kTemplates, ns_, name);
  if (!deleted)
    return kube::ToGrpcStatus(deleted.error(), "template " + name);
  std::lock_guard lock(mutex_);
  templates_.erase(name);
  return grpc::Status::OK;
}

}  // namespace ss::catalog
