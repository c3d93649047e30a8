#include "reconciler/workload.h"

#include <catch2/catch.hpp>

namespace ss::session {
namespace {

using nlohmann::json;

json Session(const std::string& state = "running", bool home = false) {
  return {{"apiVersion", "stream.streamspace.io/v1alpha1"},
          {"kind", "Session"},
          {"metadata", {{"name", "alice-firefox-0123abcd"}, {"namespace", "ns"}, {"uid", "u-1"}}},
          {"spec",
           {{"user", "alice"},
            {"template", "firefox"},
            {"state", state},
            {"resources", {{"cpu", "2"}, {"memory", "4Gi"}}},
            {"persistentHome", home}}}};
}

json Template() {
  return {{"spec",
           {{"baseImage", "lscr.io/linuxserver/firefox:latest"},
            {"defaultResources",
             {{"requests", {{"cpu", "500m"}, {"memory", "1Gi"}, {"ephemeral-storage", "1Gi"}}},
              {"limits", {{"cpu", "1"}, {"memory", "2Gi"}}}}},
            {"ports", json::array({{{"name", "vnc"}, {"containerPort", 3000}}})},
            {"env", json::array({{{"name", "PUID"}, {"value", "1000"}}})},
            {"volumeMounts", json::array({{{"name", "home"}, {"mountPath", "/config"}},
                                          {{"name", "cache"}, {"mountPath", "/cache"}}})},
            {"webapp", {{"enabled", true}, {"port", 8080}}}}}};
}

streamspace::session::v1::PlatformConfig Config() {
  streamspace::session::v1::PlatformConfig config;
  config.set_ingress_domain("streamspace.example.com");
  config.set_ingress_class("nginx");
  config.set_storage_class("fast");
  config.set_home_size("20Gi");
  return config;
}

}  // namespace

TEST_CASE("a running session is a one-replica Deployment owned by the Session") {
  const json deployment = BuildDeployment(Session(), Template());
  CHECK(deployment["kind"] == "Deployment");
  CHECK(deployment["metadata"]["name"] == "alice-firefox-0123abcd");
  CHECK(deployment["metadata"]["namespace"] == "ns");
  const json owner = deployment["metadata"]["ownerReferences"][0];
  CHECK(owner["kind"] == "Session");
  CHECK(owner["apiVersion"] == "stream.streamspace.io/v1alpha1");
  CHECK(owner["uid"] == "u-1");
  CHECK(owner["controller"] == true);
  CHECK(owner["blockOwnerDeletion"] == true);
  CHECK(deployment["spec"]["replicas"] == 1);
  CHECK(deployment["spec"]["selector"]["matchLabels"] ==
        json{{"streamspace.io/session", "alice-firefox-0123abcd"}});
  const json labels = deployment["spec"]["template"]["metadata"]["labels"];
  CHECK(labels["streamspace.io/session"] == "alice-firefox-0123abcd");
  CHECK(labels["streamspace.io/user"] == "alice");

  const json container = deployment["spec"]["template"]["spec"]["containers"][0];
  CHECK(container["image"] == "lscr.io/linuxserver/firefox:latest");
  CHECK(container["env"] == json::array({{{"name", "PUID"}, {"value", "1000"}}}));
  // The session's cpu and memory are both request and limit; the template's other defaults stay.
  CHECK(container["resources"]["requests"] ==
        json{{"cpu", "2"}, {"memory", "4Gi"}, {"ephemeral-storage", "1Gi"}});
  CHECK(container["resources"]["limits"] == json{{"cpu", "2"}, {"memory", "4Gi"}});
  // Template ports first, then the webapp port.
  CHECK(container["ports"].size() == 2);
  CHECK(container["ports"][0]["containerPort"] == 3000);
  CHECK(container["ports"][1]["containerPort"] == 8080);
}

TEST_CASE("a hibernated session keeps its Deployment at zero replicas with the same digest") {
  const json running = BuildDeployment(Session("running"), Template());
  const json hibernated = BuildDeployment(Session("hibernated"), Template());
  CHECK(hibernated["spec"]["replicas"] == 0);
  CHECK(hibernated["metadata"]["annotations"] == running["metadata"]["annotations"]);
  CHECK(Drifted(running, hibernated));
}

TEST_CASE("the home volume is the user's claim when persistentHome, an emptyDir otherwise") {
  const json with_home = BuildDeployment(Session("running", true), Template());
  const json volumes = with_home["spec"]["template"]["spec"]["volumes"];
  REQUIRE(volumes.size() == 2);
  CHECK(volumes[0] == json{{"name", "cache"}, {"emptyDir", json::object()}});
  CHECK(volumes[1] ==
        json{{"name", "home"}, {"persistentVolumeClaim", {{"claimName", "home-alice"}}}});

  const json without = BuildDeployment(Session("running", false), Template());
  CHECK(without["spec"]["template"]["spec"]["volumes"][1] ==
        json{{"name", "home"}, {"emptyDir", json::object()}});

  // A template that does not mount `home` gets it at the default path.
  json bare = Template();
  bare["spec"].erase("volumeMounts");
  const json mounted = BuildDeployment(Session("running", true), bare);
  CHECK(mounted["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] ==
        json::array({{{"name", "home"}, {"mountPath", kDefaultHomePath}}}));
}

TEST_CASE("the home claim belongs to the user, not to the session") {
  const json claim = BuildHomeClaim(Session("running", true), Config());
  CHECK(claim["metadata"]["name"] == "home-alice");
  CHECK_FALSE(claim["metadata"].contains("ownerReferences"));
  CHECK(claim["spec"]["storageClassName"] == "fast");
  CHECK(claim["spec"]["resources"]["requests"]["storage"] == "20Gi");
  CHECK(claim["spec"]["accessModes"] == json::array({"ReadWriteOnce"}));
}

TEST_CASE("the Service exposes the ports and the Ingress routes the session's host") {
  const auto service = BuildService(Session(), Template());
  REQUIRE(service);
  CHECK((*service)["spec"]["selector"] ==
        json{{"streamspace.io/session", "alice-firefox-0123abcd"}});
  CHECK((*service)["spec"]["ports"][0] ==
        json{{"name", "vnc"}, {"port", 3000}, {"targetPort", 3000}, {"protocol", "TCP"}});
  CHECK((*service)["metadata"]["ownerReferences"][0]["uid"] == "u-1");

  const auto ingress = BuildIngress(Session(), Template(), Config());
  REQUIRE(ingress);
  CHECK((*ingress)["spec"]["ingressClassName"] == "nginx");
  const json rule = (*ingress)["spec"]["rules"][0];
  CHECK(rule["host"] == "alice-firefox-0123abcd.streamspace.example.com");
  CHECK(rule["http"]["paths"][0]["backend"]["service"] ==
        json{{"name", "alice-firefox-0123abcd"}, {"port", {{"number", 8080}}}});

  json portless = Template();
  portless["spec"].erase("ports");
  portless["spec"].erase("webapp");
  CHECK_FALSE(BuildService(Session(), portless));
  CHECK_FALSE(BuildIngress(Session(), portless, Config()));
  auto no_domain = Config();
  no_domain.clear_ingress_domain();
  CHECK_FALSE(BuildIngress(Session(), Template(), no_domain));
}

TEST_CASE("drift: replicas, image, digest and owner; corrections keep what the server set") {
  const json desired = BuildDeployment(Session(), Template());
  json existing = desired;
  existing["metadata"]["resourceVersion"] = "42";
  existing["spec"]["template"]["spec"]["containers"][0]["terminationMessagePath"] = "/dev/x";
  existing["status"] = {{"replicas", 1}};
  // Server defaults inside the pod template are not drift.
  CHECK_FALSE(Drifted(existing, desired));

  json scaled = existing;
  scaled["spec"]["replicas"] = 3;
  CHECK(Drifted(scaled, desired));
  json retagged = existing;
  retagged["spec"]["template"]["spec"]["containers"][0]["image"] = "other:1";
  CHECK(Drifted(retagged, desired));
  json orphaned = existing;
  orphaned["metadata"].erase("ownerReferences");
  CHECK(Drifted(orphaned, desired));
  CHECK_FALSE(OwnedByAnother(orphaned, Session()));
  json foreign = existing;
  foreign["metadata"]["ownerReferences"][0]["uid"] = "u-0";
  CHECK(OwnedByAnother(foreign, Session()));
  json changed_template = Template();
  changed_template["spec"]["env"] = json::array();
  CHECK(Drifted(existing, BuildDeployment(Session(), changed_template)));

  const json corrected = Corrected(scaled, desired);
  CHECK(corrected["spec"]["replicas"] == 1);
  CHECK(corrected["metadata"]["resourceVersion"] == "42");
  CHECK_FALSE(corrected.contains("status"));

  // A Service keeps its cluster IP.
  json service = *BuildService(Session(), Template());
  service["spec"]["clusterIP"] = "10.96.0.7";
  service["spec"]["ports"] = json::array();
  const json fixed = Corrected(service, *BuildService(Session(), Template()));
  CHECK(fixed["spec"]["clusterIP"] == "10.96.0.7");
  CHECK(fixed["spec"]["ports"] == BuildService(Session(), Template())->at("spec")["ports"]);
}

TEST_CASE("pods and objects carry the owner's user id label") {
  json session = Session();
  session["metadata"]["labels"] = {
      {"streamspace.io/user-id", "7f3c2a9e-0000-4000-8000-000000000001"}};
  const json deployment = BuildDeployment(session, Template());
  CHECK(deployment["spec"]["template"]["metadata"]["labels"]["streamspace.io/user-id"] ==
        "7f3c2a9e-0000-4000-8000-000000000001");
  CHECK(deployment["metadata"]["labels"]["streamspace.io/user-id"] ==
        "7f3c2a9e-0000-4000-8000-000000000001");
  const auto service = BuildService(session, Template());
  REQUIRE(service);
  CHECK((*service)["metadata"]["labels"]["streamspace.io/user-id"] ==
        "7f3c2a9e-0000-4000-8000-000000000001");
  // A Session made without the API has no user id: no empty label.
  const json bare = BuildDeployment(Session(), Template());
  CHECK_FALSE(bare["spec"]["template"]["metadata"]["labels"].contains("streamspace.io/user-id"));
}

TEST_CASE("a template hands the pod only literal env values and no cluster credentials") {
  json tmpl = Template();
  tmpl["spec"]["env"] = json::array(
      {{{"name", "PUID"}, {"value", "1000"}},
       {{"name", "TOKEN"},
        {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "password"}}}}}},
       {{"name", "MIXED"}, {"value", "x"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "x"}}}}}},
       {{"value", "nameless"}},
       "not-an-object"});
  const json pod = BuildDeployment(Session(), tmpl)["spec"]["template"]["spec"];
  CHECK(pod["containers"][0]["env"] ==
        json::array({{{"name", "PUID"}, {"value", "1000"}}, {{"name", "MIXED"}, {"value", "x"}}}));
  CHECK(pod["automountServiceAccountToken"] == false);
  CHECK(pod["enableServiceLinks"] == false);
}

}  // namespace ss::session
