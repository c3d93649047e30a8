#include "session_sync.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "core/config.h"
#include "kube/json_read.h"
#include "names.h"
#include "status.h"
#include "workload.h"

namespace ss::session {
namespace {

using kube::Child;
using kube::MetaString;
using kube::StringAt;
using nlohmann::json;
namespace resources = kube::resources;

constexpr std::chrono::minutes kDefaultStartupTimeout{5};

bool Deleting(const json& object) {
  return !MetaString(object, "deletionTimestamp").empty();
}

kube::Error Retry(std::string message) {
  kube::Error error;
  error.reason = "Retry";
  error.message = std::move(message);
  return error;
}

std::chrono::milliseconds StartupTimeout(const streamspace::session::v1::PlatformConfig& config) {
  try {
    return config.startup_timeout().empty() ? kDefaultStartupTimeout
                                            : core::ParseDuration(config.startup_timeout());
  } catch (const core::ConfigError&) {
    return kDefaultStartupTimeout;
  }
}

}  // namespace

SessionSync::SessionSync(kube::Client& client, Options options, std::function<bool()> interrupted)
    : client_(client), options_(std::move(options)), interrupted_(std::move(interrupted)) {}

kube::Result<void> SessionSync::Step() {
  if (options_.step_delay > std::chrono::milliseconds::zero()) {
    const auto until = std::chrono::steady_clock::now() + options_.step_delay;
    while (std::chrono::steady_clock::now() < until && !interrupted_()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (interrupted_()) {
    return kube::TransportError(kube::Error::kReasonCancelled, "reconcile interrupted");
  }
  return {};
}

kube::Result<void> SessionSync::Ensure(const kube::ResourceRef& ref, const json& desired,
                                       const json& session) {
  const std::string name = MetaString(desired, "name");
  auto existing = client_.Get(ref, options_.ns, name);
  if (!existing) {
    if (!existing.error().IsNotFound()) {
      return existing.error();
    }
    auto created = client_.Create(ref, options_.ns, desired);
    if (!created) {
      return created.error();
    }
    spdlog::info("session {}: created {} {}", MetaString(session, "name"), desired["kind"], name);
    return Step();
  }
  if (Deleting(*existing)) {
    return Retry(ref.plural + "/" + name + " is being deleted");
  }
  if (OwnedByAnother(*existing, session)) {
    kube::DeleteOptions options;
    options.propagation_policy = "Background";
    options.precondition_resource_version = MetaString(*existing, "resourceVersion");
    auto deleted = client_.Delete(ref, options_.ns, name, options);
    if (!deleted && !deleted.error().IsNotFound()) {
      return deleted.error();
    }
    return Retry(ref.plural + "/" + name + " belonged to an earlier session of that name");
  }
  if (!Drifted(*existing, desired)) {
    return {};
  }
  auto replaced = client_.Replace(ref, options_.ns, name, Corrected(*existing, desired));
  if (!replaced) {
    return replaced.error();
  }
  spdlog::info("session {}: corrected {} {}", MetaString(session, "name"), desired["kind"], name);
  return Step();
}

kube::Result<void> SessionSync::EnsureClaim(const json& claim) {
  const std::string name = MetaString(claim, "name");
  auto existing = client_.Get(resources::kPersistentVolumeClaims, options_.ns, name);
  if (existing) {
    return {};
  }
  if (!existing.error().IsNotFound()) {
    return existing.error();
  }
  auto created = client_.Create(resources::kPersistentVolumeClaims, options_.ns, claim);
  if (!created && !created.error().IsAlreadyExists()) {
    return created.error();
  }
  spdlog::info("created home volume claim {}", name);
  return Step();
}

kube::Result<void> SessionSync::Remove(const kube::ResourceRef& ref, const json& session) {
  const std::string name = MetaString(session, "name");
  auto existing = client_.Get(ref, options_.ns, name);
  if (!existing) {
    return existing.error().IsNotFound() ? kube::Result<void>() : existing.error();
  }
  if (Deleting(*existing) || OwnedByAnother(*existing, session)) {
    return {};
  }
  kube::DeleteOptions options;
  options.propagation_policy = "Background";
  auto deleted = client_.Delete(ref, options_.ns, name, options);
  if (!deleted && !deleted.error().IsNotFound()) {
    return deleted.error();
  }
  spdlog::info("session {}: deleted {} {}", name, ref.plural, name);
  return Step();
}

kube::Result<std::vector<json>> SessionSync::Pods(const std::string& name) {
  kube::ListOptions list;
  list.label_selector = std::string(kSessionLabel) + "=" + name;
  auto pods = client_.List(resources::kPods, options_.ns, list);
  if (!pods) {
    return pods.error();
  }
  std::vector<json> live;
  for (auto& pod : pods->items) {
    if (!Deleting(pod)) {
      live.push_back(std::move(pod));
    }
  }
  return live;
}

kube::Result<std::vector<json>> SessionSync::Events(const std::vector<json>& pods) {
  std::vector<json> events;
  for (const auto& pod : pods) {
    kube::ListOptions list;
    list.field_selector = "involvedObject.kind=Pod,involvedObject.name=" + MetaString(pod, "name");
    auto page = client_.List(resources::kEvents, options_.ns, list);
    if (!page) {
      return page.error();
    }
    for (auto& event : page->items) {
      events.push_back(std::move(event));
    }
  }
  return events;
}

kube::Result<std::optional<std::chrono::milliseconds>> SessionSync::Run(
    const std::string& name, const streamspace::session::v1::PlatformConfig& config) {
  auto read = client_.Get(resources::kSessions, options_.ns, name);
  if (!read) {
    // A deleted Session's objects go with it (ownerReferences); its home stays.
    return read.error().IsNotFound()
               ? kube::Result<std::optional<std::chrono::milliseconds>>(std::nullopt)
               : read.error();
  }
  json session = std::move(*read);
  if (Deleting(session)) {
    return std::optional<std::chrono::milliseconds>();
  }
  Observation observation;
  observation.state = StringAt(Child(session, "spec"), "state");
  observation.created = MetaString(session, "creationTimestamp");
  observation.status = session.value("status", json());
  observation.startup_timeout = StartupTimeout(config);

  if (observation.state == "terminated") {
    for (const auto* ref :
         {&resources::kIngresses, &resources::kServices, &resources::kDeployments}) {
      if (auto removed = Remove(*ref, session); !removed) {
        return removed.error();
      }
    }
  } else {
    const std::string template_name = StringAt(Child(session, "spec"), "template");
    auto tmpl = client_.Get(resources::kTemplates, options_.ns, template_name);
    if (!tmpl && !tmpl.error().IsNotFound()) {
      return tmpl.error();
    }
    if (!tmpl) {
      observation.failure = Failure{"TemplateNotFound", "template " + template_name + " not found"};
    } else if (StringAt(Child(*tmpl, "spec"), "baseImage").empty()) {
      observation.failure =
          Failure{"InvalidTemplate", "template " + template_name + " has no baseImage"};
    } else {
      const auto persistent = session["spec"].find("persistentHome");
      if (persistent != session["spec"].end() && persistent->is_boolean() &&
          persistent->get<bool>()) {
        if (auto claimed = EnsureClaim(BuildHomeClaim(session, config)); !claimed) {
          return claimed.error();
        }
      }
      if (auto ensured = Ensure(resources::kDeployments, BuildDeployment(session, *tmpl), session);
          !ensured) {
        return ensured.error();
      }
      const auto service = BuildService(session, *tmpl);
      auto serviced = service ? Ensure(resources::kServices, *service, session)
                              : Remove(resources::kServices, session);
      if (!serviced) {
        return serviced.error();
      }
      const auto ingress = BuildIngress(session, *tmpl, config);
      auto routed = ingress ? Ensure(resources::kIngresses, *ingress, session)
                            : Remove(resources::kIngresses, session);
      if (!routed) {
        return routed.error();
      }
      if (ingress) {
        observation.url = SessionUrl(name, config.ingress_domain());
      }
    }
    auto pods = Pods(name);
    if (!pods) {
      return pods.error();
    }
    auto events = Events(*pods);
    if (!events) {
      return events.error();
    }
    observation.pods = std::move(*pods);
    observation.events = std::move(*events);
  }

  observation.now = std::chrono::system_clock::now();
  DerivedStatus derived = DeriveStatus(observation);
  if (StatusChanged(observation.status, derived.status)) {
    const std::string before = observation.status.is_object()
                                   ? observation.status.value("phase", std::string())
                                   : std::string();
    session["status"] = derived.status;
    // Conditional on the version read: a lastActivity the API wrote meanwhile is read again
    // (409, retried at once), not overwritten.
    auto written = client_.ReplaceStatus(resources::kSessions, options_.ns, name, session);
    if (!written) {
      return written.error();
    }
    if (before != derived.status["phase"]) {
      spdlog::info("session {}: phase {} -> {}", name, before.empty() ? "(none)" : before,
                   derived.status["phase"].get<std::string>());
    }
  }
  return derived.recheck_after;
}

}  // namespace ss::session
