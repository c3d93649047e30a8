// Issue 19: the chart's RBAC is exactly what each service needs. On a stack with the chart
// installed by helm and each service calling Kubernetes with its own ServiceAccount's token
// (PlatformOptions::chart), the service's flow passes. Then, for each rule of the service's roles,
// the rule without one of its verbs, or without one of its resources, makes that flow fail, and
// the service's log shows the emulator's 403 for its ServiceAccount. The mutations are read from
// the installed roles, so a rule added to the chart is covered without a change here.
#include <catch2/catch.hpp>
#include <functional>
#include <thread>

#include "catalog_support.h"
#include "reconcile_support.h"
#include "session_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

constexpr char kNs[] = "streamspace";
const kube::ResourceRef kRoles{"rbac.authorization.k8s.io", "v1", "roles", true};
const kube::ResourceRef kClusterRoles{"rbac.authorization.k8s.io", "v1", "clusterroles", false};

// A flow answers "" when it passed, else what went wrong.
using Flow = std::function<std::string()>;

// Polls for up to 5 s: many times what a step takes, short enough for some sixty failing runs.
// The first step of a flow polls too: the service was just restarted.
bool Within(const std::function<bool()>& condition) {
  return Eventually(condition, std::chrono::seconds(5));
}

std::string Failed(const std::string& step, const HttpResponse& response) {
  return step + ": HTTP " + std::to_string(response.status) + " " + response.body;
}

// One role of a service, as installed, and the rules it is changed to.
struct Mutation {
  kube::ResourceRef ref;
  std::string ns;
  std::string name;
  json rules;
  std::string description;
  // What the service's log must then say: "cannot <verb> resource" or "resource \"<resource>\"".
  std::string refusal;
};

// Every rule of the role without one of its verbs, and without one of its resources when it has
// several (a rule left with no verb goes).
std::vector<Mutation> MutationsOf(kube::Client& client, const kube::ResourceRef& ref,
                                  const std::string& ns, const std::string& name) {
  auto role = client.Get(ref, ns, name);
  INFO(name << ": " << (role.ok() ? std::string("found") : role.error().ToString()));
  REQUIRE(role.ok());
  const json rules = role->value("rules", json::array());
  std::vector<Mutation> mutations;
  for (size_t i = 0; i < rules.size(); ++i) {
    const json& rule = rules[i];
    const std::string where = ref.plural + "/" + name + " rule " + std::to_string(i) + " " +
                              rule.value("apiGroups", json::array()).dump() + " " +
                              rule.value("resources", json::array()).dump();
    for (const std::string field : {"verbs", "resources"}) {
      const json values = rule.value(field, json::array());
      if (field == "resources" && values.size() < 2)
        continue;
      for (size_t j = 0; j < values.size(); ++j) {
        json changed = rules;
        changed[i][field].erase(j);
        if (changed[i][field].empty())
          changed.erase(i);
        const std::string removed = values[j].get<std::string>();
        mutations.push_back({ref, ns, name, changed, where + " without " + removed,
                             field == "verbs" ? "cannot " + removed + " resource"
                                              : "resource \"" + removed + "\""});
      }
    }
  }
  return mutations;
}

void SetRules(kube::Client& client, const Mutation& role, const json& rules) {
  auto current = client.Get(role.ref, role.ns, role.name);
  REQUIRE(current.ok());
  (*current)["rules"] = rules;
  auto replaced = client.Replace(role.ref, role.ns, role.name, *current);
  INFO((replaced.ok() ? std::string() : replaced.error().ToString()));
  REQUIRE(replaced.ok());
}

// A service of the stack, its roles and its flow.
class RoleCheck {
 public:
  // `cleanup` runs after each flow, whether it passed or not, so that what a failed flow left
  // does not decide the next one.
  RoleCheck(
      PlatformStack& stack, std::string service, std::string lease, Flow flow,
      std::function<void()> cleanup = [] {})
      : stack_(stack),
        service_(std::move(service)),
        lease_(std::move(lease)),
        flow_(std::move(flow)),
        cleanup_(std::move(cleanup)),
        log_path_(stack.service(service_).process->log_path()),
        client_(stack.emulator().NewClient()) {}

  void AddRole(const kube::ResourceRef& ref, const std::string& ns) {
    const std::string name = std::string(PlatformStack::kRelease) + "-" + service_;
    for (auto& mutation : MutationsOf(*client_, ref, ns, name))
      mutations_.push_back(std::move(mutation));
    auto role = client_->Get(ref, ns, name);
    originals_.push_back({ref, ns, name, (*role)["rules"], "as installed", ""});
  }

  // The flow passes with the roles as installed, fails under each mutation with the 403 in the
  // log, and passes again once they are restored.
  void Run() {
    REQUIRE_FALSE(mutations_.empty());
    const size_t baseline_from = Restart(false, [] {});
    const std::string baseline = flow_();
    cleanup_();
    INFO(Log());
    REQUIRE(baseline == "");
    REQUIRE(Log().find("403 Forbidden", baseline_from) == std::string::npos);
    for (const auto& mutation : mutations_) {
      const bool without_create = mutation.description.find("leases") != std::string::npos &&
                                  mutation.description.ends_with("without create");
      const size_t log_from = Restart(without_create, [&] {
        for (const auto& original : originals_)
          SetRules(*client_, original,
                   original.ref.plural == mutation.ref.plural && original.ns == mutation.ns
                       ? mutation.rules
                       : original.rules);
      });
      const std::string failure = flow_();
      cleanup_();
      const std::string log = Log().substr(log_from);
      INFO(mutation.description);
      INFO("flow: " << (failure.empty() ? "passed" : failure));
      INFO("log of the restarted service:\n" << log);
      CHECK_FALSE(failure.empty());
      CHECK(log.find("403 Forbidden") != std::string::npos);
      CHECK(log.find(
                "User \"system:serviceaccount:streamspace:" + std::string(PlatformStack::kRelease) +
                "-" + service_ + "\" cannot ") != std::string::npos);
      CHECK(log.find(mutation.refusal) != std::string::npos);
    }
    Restart(false, [&] {
      for (const auto& original : originals_)
        SetRules(*client_, original, original.rules);
    });
    const std::string restored = flow_();
    INFO(Log());
    CHECK(restored == "");
  }

 private:
  // The service's log, kept across its restarts.
  std::string Log() const { return ReadFile(log_path_); }

  // Stops the service, runs `while_stopped` (the roles change with no process of the old one
  // left to log a refusal) and starts it again without waiting (a service whose cache cannot
  // sync does not listen). In between, its Lease is deleted (`fresh_lease`: electing a leader has
  // to create it) or freed (taking it needs an update at once, whether or not the stopped process
  // could release it). Returns where the new process's log starts.
  size_t Restart(bool fresh_lease, const std::function<void()>& while_stopped) {
    stack_.StopService(service_);
    while_stopped();
    if (!lease_.empty() && fresh_lease) {
      const auto deleted = client_->Delete(kube::resources::kLeases, kNs, lease_);
      REQUIRE((deleted.ok() || deleted.error().reason == "NotFound"));
    } else if (!lease_.empty()) {
      auto lease = client_->Get(kube::resources::kLeases, kNs, lease_);
      if (lease.ok()) {
        (*lease)["spec"]["holderIdentity"] = "";
        REQUIRE(client_->Replace(kube::resources::kLeases, kNs, lease_, *lease).ok());
      }
    }
    const size_t log_from = Log().size();
    stack_.StartService(service_, 0, false);
    return log_from;
  }

  PlatformStack& stack_;
  std::string service_;
  std::string lease_;
  Flow flow_;
  std::function<void()> cleanup_;
  std::filesystem::path log_path_;
  kube::ClientPtr client_;
  std::vector<Mutation> mutations_;
  std::vector<Mutation> originals_;
};

PlatformOptions ChartPlatform(const std::string& service, const Environment& env) {
  PlatformOptions options;
  options.chart = true;
  options.services.push_back({service, 1, env});
  return options;
}

const Environment kShortLease = {
    {"LEASE_DURATION", "3s"}, {"LEASE_RENEW_DEADLINE", "2s"}, {"LEASE_RETRY_PERIOD", "500ms"}};

}  // namespace

TEST_CASE("the session service's Role: each verb and resource is needed", "[session-role]") {
  Environment env = kShortLease;
  // No periodic resync within a flow: what the reconciler does, it does on its watches' events.
  env["RECONCILE_RESYNC"] = "60s";
  PlatformStack stack(ChartPlatform("session", env));
  ApplyFirefox(stack);
  stack.Apply(TemplateYaml("broken", "registry.example.com/invalid-image:1.0"));
  const Session alice = stack.NewUser("alice");
  const Session admin = stack.LoginAdmin();
  HttpClient api = stack.Api();
  REQUIRE(Eventually([&] {
    return api.Patch("/api/v1/config", R"({"deleteHomeWithSession":true})", admin.token).status ==
           200;
  }));
  auto client = stack.emulator().NewClient();
  const auto exists = [&](const kube::ResourceRef& ref, const std::string& name) {
    return client->Get(ref, kNs, name).ok();
  };
  const auto phase = [&](const std::string& id) {
    const json status = SessionStatus(*client, id);
    return status.is_object() ? status.value("phase", "") : "";
  };
  const auto home_size = [&](const std::string& size) {
    return api.Patch("/api/v1/config", json{{"homeSize", size}}.dump(), admin.token).status == 200;
  };
  // Every call the session service makes: a session with a home runs (its Deployment, Service,
  // Ingress and claim made, its status written from its pod and events), drifted objects are
  // corrected, quotas count the home by its claim, it hibernates, terminates (its objects
  // deleted) and goes with its home.
  const Flow flow = [&]() -> std::string {
    if (!Within([&] { return home_size("10Gi"); }))
      return "cannot set the home size";
    HttpResponse created;
    if (!Within([&] {
          created = api.Post("/api/v1/sessions", R"({"template":"firefox","persistentHome":true})",
                             alice.token);
          return created.status == 200;
        }))
      return Failed("create", created);
    const std::string id = created.Json()["name"];
    if (!Within([&] { return phase(id) == "Running"; }))
      return "the session is not Running: " + SessionStatus(*client, id).dump();
    for (const auto* ref : {&kube::resources::kDeployments, &kube::resources::kServices,
                            &kube::resources::kIngresses}) {
      if (!exists(*ref, id))
        return "no " + ref->plural;
    }
    if (!exists(kube::resources::kPersistentVolumeClaims, "home-alice"))
      return "no home claim";
    // Once the session is quiet, each object drifted alone is corrected on its own watch's event.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    for (const auto* ref : {&kube::resources::kServices, &kube::resources::kIngresses,
                            &kube::resources::kDeployments}) {
      auto object = client->Get(*ref, kNs, id);
      (*object)["metadata"]["annotations"]["streamspace.io/spec-hash"] = "drifted";
      if (!client->Replace(*ref, kNs, id, *object).ok())
        return "cannot drift the " + ref->plural;
      if (!Within([&] {
            auto now = client->Get(*ref, kNs, id);
            return now.ok() &&
                   (*now)["metadata"]["annotations"]["streamspace.io/spec-hash"] != "drifted";
          }))
        return "the drifted " + ref->plural + " was not corrected";
    }
    // The claim was made at 10Gi; with the setting now 3Gi, only the listed claim tells 10Gi.
    if (!home_size("3Gi"))
      return "cannot change the home size";
    const HttpResponse quota = api.Get("/api/v1/admin/quotas/alice", admin.token);
    const std::string used = quota.status == 200 ? quota.Json().value("usedStorage", "") : "";
    if (used.empty() || used == "3Gi" || used == "3221225472")
      return Failed("the home's use from its claim", quota);
    const HttpResponse hibernated =
        api.Patch("/api/v1/sessions/" + id, R"({"state":"hibernated"})", alice.token);
    if (hibernated.status != 200)
      return Failed("hibernate", hibernated);
    if (!Within([&] { return phase(id) == "Hibernated"; }))
      return "the session did not hibernate";
    const HttpResponse terminated =
        api.Patch("/api/v1/sessions/" + id, R"({"state":"terminated"})", alice.token);
    if (terminated.status != 200)
      return Failed("terminate", terminated);
    if (!Within([&] {
          return !exists(kube::resources::kDeployments, id) &&
                 !exists(kube::resources::kServices, id) &&
                 !exists(kube::resources::kIngresses, id);
        }))
      return "the terminated session's objects remain";
    const HttpResponse deleted = api.Delete("/api/v1/sessions/" + id, alice.token);
    if (deleted.status != 200)
      return Failed("delete", deleted);
    if (!Within([&] {
          return !exists(kube::resources::kSessions, id) &&
                 !exists(kube::resources::kPersistentVolumeClaims, "home-alice");
        }))
      return "the session or its home remains";
    // An image that cannot be pulled changes no Deployment: only the pods' and events' watches
    // tell the reconciler, which fails the session.
    const HttpResponse broken =
        api.Post("/api/v1/sessions", R"({"template":"broken"})", alice.token);
    if (broken.status != 200)
      return Failed("create a broken session", broken);
    const std::string broken_id = broken.Json()["name"];
    if (!Within([&] { return phase(broken_id) == "Failed"; }))
      return "the session with an image that cannot be pulled did not fail";
    return "";
  };
  const auto cleanup = [&] {
    auto sessions = client->List(kube::resources::kSessions, kNs, {});
    REQUIRE(sessions.ok());
    for (const json& session : sessions->items) {
      const auto deleted = client->Delete(kube::resources::kSessions, kNs,
                                          session["metadata"]["name"].get<std::string>());
      CHECK((deleted.ok() || deleted.error().reason == "NotFound"));
    }
    const auto home = client->Delete(kube::resources::kPersistentVolumeClaims, kNs, "home-alice");
    CHECK((home.ok() || home.error().reason == "NotFound"));
    kube::ListOptions of_sessions;
    of_sessions.label_selector = "streamspace.io/session";
    CHECK(Eventually([&] {
      auto left = client->List(kube::resources::kDeployments, kNs, of_sessions);
      return left.ok() && left->items.empty();
    }));
  };
  RoleCheck check(stack, "session", "session-reconciler", flow, cleanup);
  check.AddRole(kRoles, kNs);
  check.Run();
}

TEST_CASE("the catalog service's Role: each verb and resource is needed", "[catalog-role]") {
  Environment env = kShortLease;
  env["SYNC_INTERVAL"] = "1s";
  PlatformOptions options = ChartPlatform("catalog", env);
  AllowLocalRepositories(options);
  PlatformStack stack(options);
  const Session admin = stack.LoginAdmin();
  HttpClient api = stack.Api();
  GitRepository repository;
  repository.Write("apps/editor.yaml",
                   TemplateManifest("editor", "Editor", "Development", {"ide"}));
  repository.Commit("first");
  const json added = AddRepository(api, admin.token, "apps", repository.url());
  const int repository_id = added["id"];
  auto client = stack.emulator().NewClient();
  int round = 0;
  // Every call the catalog service makes: a template created through the API (which answers once
  // the cache has listed), then one applied with kubectl served from the watched cache; the
  // first changed and deleted; a new commit picked up by the scheduled sync, which only the
  // leader of the Lease runs.
  const Flow flow = [&]() -> std::string {
    const std::string name = "desk-" + std::to_string(++round);
    const json body = {{"name", name},         {"displayName", "Desk"},
                       {"category", "Office"}, {"baseImage", "nginx:1.27"},
                       {"appType", "webapp"},  {"webapp", {{"enabled", true}, {"port", 8080}}}};
    HttpResponse created;
    if (!Within([&] {
          created = api.Post("/api/v1/templates", body.dump(), admin.token);
          return created.status == 200;
        }))
      return Failed("create", created);
    if (!Within([&] { return api.Get("/api/v1/templates/" + name, admin.token).status == 200; }))
      return "the template is not served";
    stack.Apply(TemplateYaml("applied-" + name));
    if (!Within([&] {
          return api.Get("/api/v1/templates/applied-" + name, admin.token).status == 200;
        }))
      return "a template applied with kubectl is not served";
    const HttpResponse changed =
        api.Patch("/api/v1/templates/" + name, R"({"displayName":"Desk 2"})", admin.token);
    if (changed.status != 200)
      return Failed("update", changed);
    const HttpResponse deleted = api.Delete("/api/v1/templates/" + name, admin.token);
    if (deleted.status != 200)
      return Failed("delete", deleted);
    if (client->Get(kube::resources::kTemplates, kNs, name).ok())
      return "the template remains";
    repository.Write("apps/round.txt", std::to_string(round));
    const std::string commit = repository.Commit("round " + std::to_string(round));
    if (!Within([&] {
          const json got =
              api.Get("/api/v1/catalog/repositories/" + std::to_string(repository_id), admin.token)
                  .Json();
          return got.value("lastCommit", "") == commit;
        }))
      return "the new commit was not synced";
    return "";
  };
  RoleCheck check(stack, "catalog", "catalog-sync", flow);
  check.AddRole(kRoles, kNs);
  check.Run();
}

TEST_CASE("the nodes service's roles: each verb and resource is needed", "[nodes-role]") {
  PlatformStack stack(ChartPlatform("nodes", {{"METRICS_POLL_INTERVAL", "300ms"}}));
  stack.Apply(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: pinned, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: pinned}}
  template:
    metadata: {labels: {app: pinned}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-b}
      containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]
)");
  const Session admin = stack.LoginAdmin();
  HttpClient api("127.0.0.1", stack.auth().api_port(), false, std::chrono::seconds(30));
  auto client = stack.emulator().NewClient();
  const auto send = [&](const std::string& method, const std::string& target,
                        const std::string& body = "") {
    if (method == "GET")
      return api.Get(target, admin.token);
    if (method == "DELETE")
      return api.Delete(target, admin.token);
    return method == "PUT" ? api.Put(target, body, admin.token)
                           : api.Post(target, body, admin.token);
  };
  int round = 0;
  // Every call the nodes service makes: its caches of nodes, pods and sessions (each sees a
  // change made with kubectl), node metrics, a label set and removed, a taint added and removed,
  // cordon and uncordon, a drain that evicts a pod and sees it go, the log of its replacement.
  const Flow flow = [&]() -> std::string {
    const std::string mark = std::to_string(++round);
    if (!Within([&] {
          const HttpResponse stats = send("GET", "/api/v1/admin/nodes/stats");
          return stats.status == 200 && stats.Json().contains("totalUsage");
        }))
      return Failed("stats with usage", send("GET", "/api/v1/admin/nodes/stats"));
    auto node = client->Get(kube::resources::kNodes, "", "node-a");
    (*node)["metadata"]["labels"]["round"] = mark;
    if (!client->Replace(kube::resources::kNodes, "", "node-a", *node).ok())
      return "cannot label node-a";
    if (!Within([&] {
          return send("GET", "/api/v1/admin/nodes/node-a").Json()["labels"].value("round", "") ==
                 mark;
        }))
      return "a label set with kubectl is not seen";
    const auto sessions = [&] {
      const json metrics = send("GET", "/api/v1/metrics").Json();
      const json* total = &metrics["cluster"]["sessions"]["total"];
      return total->is_number() ? total->get<int>() : -1;
    };
    if (!client
             ->Create(kube::resources::kSessions, kNs,
                      kube::testing::SessionObject(kNs, "counted-" + mark))
             .ok())
      return "cannot create a Session";
    const auto stored = client->List(kube::resources::kSessions, kNs, {});
    const int count = stored.ok() ? static_cast<int>(stored->items.size()) : -1;
    if (!Within([&] { return sessions() == count; }))
      return "the new Session is not counted: " + std::to_string(sessions()) + " of " +
             std::to_string(count);
    for (const auto& [method, target, body] :
         {std::tuple{"PUT", "/api/v1/admin/nodes/node-a/labels", R"({"key":"pool","value":"a"})"},
          std::tuple{"DELETE", "/api/v1/admin/nodes/node-a/labels/pool", ""},
          std::tuple{"POST", "/api/v1/admin/nodes/node-a/taints",
                     R"({"key":"dedicated","value":"x","effect":"NoSchedule"})"},
          std::tuple{"DELETE", "/api/v1/admin/nodes/node-a/taints/dedicated", ""},
          std::tuple{"POST", "/api/v1/admin/nodes/node-a/cordon", "{}"},
          std::tuple{"POST", "/api/v1/admin/nodes/node-a/uncordon", "{}"}}) {
      const HttpResponse response = send(method, target, body);
      if (response.status != 200)
        return Failed(std::string(method) + " " + target, response);
    }
    const HttpResponse drained = send("POST", "/api/v1/admin/nodes/node-b/drain",
                                      R"({"grace_period_seconds":0,"timeout_seconds":5})");
    send("POST", "/api/v1/admin/nodes/node-b/uncordon", "{}");
    if (drained.status != 200 || !drained.Json().value("completed", false))
      return Failed("drain", drained);
    kube::ListOptions pinned;
    pinned.label_selector = "app=pinned";
    std::string pod;
    if (!Within([&] {
          auto pods = client->List(kube::resources::kPods, "default", pinned);
          for (const auto& item : pods.ok() ? pods->items : std::vector<json>{}) {
            if (item["status"].value("phase", "") == "Running")
              pod = item["metadata"]["name"];
          }
          return !pod.empty() &&
                 send("GET", "/api/v1/cluster/pods/default/" + pod + "/logs").status == 200;
        }))
      return Failed("the replacement pod's log",
                    send("GET", "/api/v1/cluster/pods/default/" + pod + "/logs"));
    return "";
  };
  RoleCheck check(stack, "nodes", "", flow);
  check.AddRole(kClusterRoles, "");
  check.AddRole(kRoles, kNs);
  check.Run();
}

}  // namespace ss::test
