#include "session_resource.h"

#include <charconv>

#include "kube/json_read.h"
#include "kube/resource.h"
#include "names.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;
using kube::Child;
using kube::StringAt;
using nlohmann::json;

std::optional<unsigned long long> Number(const std::string& text) {
  unsigned long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

}  // namespace

SessionRecord FromResource(const json& object) {
  SessionRecord record;
  const json& metadata = Child(object, "metadata");
  const json& spec = Child(object, "spec");
  const json& status = Child(object, "status");
  pb::Session& session = record.session;
  session.set_name(StringAt(metadata, "name"));
  session.set_namespace_(StringAt(metadata, "namespace"));
  session.set_created_at(StringAt(metadata, "creationTimestamp"));
  record.resource_version = StringAt(metadata, "resourceVersion");
  record.user_id = StringAt(Child(metadata, "labels"), kUserIdLabel);
  session.set_user(StringAt(spec, "user"));
  session.set_template_(StringAt(spec, "template"));
  session.set_state(StringAt(spec, "state"));
  const json& resources = Child(spec, "resources");
  const json& requests = Child(resources, "requests");
  std::string cpu = StringAt(resources, "cpu");
  std::string memory = StringAt(resources, "memory");
  session.mutable_resources()->set_cpu(cpu.empty() ? StringAt(requests, "cpu") : cpu);
  session.mutable_resources()->set_memory(memory.empty() ? StringAt(requests, "memory") : memory);
  const auto home = spec.find("persistentHome");
  session.set_persistent_home(home != spec.end() && home->is_boolean() && home->get<bool>());
  session.set_idle_timeout(StringAt(spec, "idleTimeout"));
  session.set_max_session_duration(StringAt(spec, "maxSessionDuration"));
  if (const auto tags = spec.find("tags"); tags != spec.end() && tags->is_array()) {
    for (const json& tag : *tags) {
      if (tag.is_string())
        session.add_tags(tag.get<std::string>());
    }
  }
  pb::SessionStatus* out = session.mutable_status();
  out->set_phase(StringAt(status, "phase"));
  out->set_url(StringAt(status, "url"));
  out->set_pod_name(StringAt(status, "podName"));
  out->set_last_activity(StringAt(status, "lastActivity"));
  if (const auto conditions = status.find("conditions");
      conditions != status.end() && conditions->is_array()) {
    for (const json& condition : *conditions) {
      if (!condition.is_object())
        continue;
      pb::Condition* added = out->add_conditions();
      added->set_type(StringAt(condition, "type"));
      added->set_status(StringAt(condition, "status"));
      added->set_reason(StringAt(condition, "reason"));
      added->set_message(StringAt(condition, "message"));
      added->set_last_transition_time(StringAt(condition, "lastTransitionTime"));
    }
  }
  return record;
}

json NewResource(const SessionSpec& spec) {
  json resources = json::object();
  if (!spec.cpu.empty())
    resources["cpu"] = spec.cpu;
  if (!spec.memory.empty())
    resources["memory"] = spec.memory;
  json object = {
      {"apiVersion", kube::resources::kSessions.ApiVersion()},
      {"kind", "Session"},
      {"metadata",
       {{"name", spec.name},
        {"labels", {{kUserLabel, UserLabelValue(spec.user)}, {kUserIdLabel, spec.user_id}}}}},
      {"spec",
       {{"user", spec.user},
        {"template", spec.template_name},
        {"state", "running"},
        {"resources", resources},
        {"persistentHome", spec.persistent_home},
        {"idleTimeout", spec.idle_timeout},
        {"maxSessionDuration", spec.max_session_duration},
        {"tags", spec.tags}}},
  };
  if (spec.user_id.empty())
    object["metadata"]["labels"].erase(kUserIdLabel);
  return object;
}

std::string UserLabelValue(const std::string& username) {
  std::string value = username;
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  while (!value.empty() && !alnum(value.front()))
    value.erase(value.begin());
  while (!value.empty() && !alnum(value.back()))
    value.pop_back();
  return value.empty() ? LabelPart(username) : value;
}

bool NewerVersion(const std::string& a, const std::string& b) {
  const auto left = Number(a);
  const auto right = Number(b);
  if (left && right)
    return *left > *right;
  return a != b;
}

}  // namespace ss::session
