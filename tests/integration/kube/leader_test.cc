// Leader election on a Lease: one leader among candidates, a prompt hand-over when the leader
// stops, a take-over of an expired Lease, and a leader that sees someone else holding the Lease
// stops leading.
#include "kube/leader.h"

#include <catch2/catch.hpp>

#include "emulator.h"
#include "wait.h"

namespace ss::kube::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* kNs = "default";
constexpr const char* kLease = "election-test";

// Counts its callbacks; the elector calls them on its own thread.
struct Candidate {
  Candidate(Client& client, const std::string& identity, milliseconds lease_duration)
      : elector(client, Options(identity, lease_duration),
                {[this] { ++started; }, [this] { ++stopped; }}) {}

  static LeaderElectionOptions Options(const std::string& identity, milliseconds lease_duration) {
    LeaderElectionOptions options;
    options.ns = kNs;
    options.name = kLease;
    options.identity = identity;
    options.lease_duration = lease_duration;
    options.renew_deadline = lease_duration * 2 / 3;
    options.retry_period = milliseconds(200);
    return options;
  }

  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  LeaderElector elector;
};

json LeaseSpec(Client& client) {
  auto lease = client.Get(resources::kLeases, kNs, kLease);
  REQUIRE(lease.ok());
  return (*lease)["spec"];
}

std::string Holder(Client& client) {
  auto lease = client.Get(resources::kLeases, kNs, kLease);
  return lease ? (*lease)["spec"].value("holderIdentity", "") : "";
}

}  // namespace

TEST_CASE("of two candidates exactly one leads, and the other takes over when it stops",
          "[leader]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  // A long lease: the hand-over below can only come from the leader giving the Lease up.
  const milliseconds lease_duration(60'000);
  auto a = std::make_unique<Candidate>(*client, "candidate-a", lease_duration);
  auto b = std::make_unique<Candidate>(*client, "candidate-b", lease_duration);
  a->elector.Start();
  b->elector.Start();
  REQUIRE(WaitFor([&] { return a->elector.leading() || b->elector.leading(); }));
  for (int i = 0; i < 10; ++i) {  // across several renewals
    CHECK(a->elector.leading() != b->elector.leading());
    std::this_thread::sleep_for(milliseconds(100));
  }
  auto& leader = a->elector.leading() ? a : b;
  auto& follower = a->elector.leading() ? b : a;
  CHECK(Holder(*client) == leader->elector.identity());
  CHECK(leader->started == 1);
  CHECK(follower->started == 0);
  const long transitions = LeaseSpec(*client).value("leaseTransitions", 0L);

  leader->elector.Stop();
  CHECK(leader->stopped == 1);
  CHECK_FALSE(leader->elector.leading());
  REQUIRE(WaitFor([&] { return follower->elector.leading(); }, std::chrono::seconds(30)));
  CHECK(Holder(*client) == follower->elector.identity());
  CHECK(LeaseSpec(*client).value("leaseTransitions", 0L) == transitions + 1);

  follower->elector.Stop();
  CHECK(Holder(*client).empty());
}

TEST_CASE("a candidate takes over a Lease whose holder stopped renewing", "[leader]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  const json ghost = {{"apiVersion", "coordination.k8s.io/v1"},
                      {"kind", "Lease"},
                      {"metadata", {{"name", kLease}, {"namespace", kNs}}},
                      {"spec",
                       {{"holderIdentity", "ghost"},
                        {"leaseDurationSeconds", 2},
                        {"acquireTime", "2026-01-01T00:00:00.000000Z"},
                        {"renewTime", "2026-01-01T00:00:00.000000Z"},
                        {"leaseTransitions", 4}}}};
  REQUIRE(client->Create(resources::kLeases, kNs, ghost).ok());
  Candidate candidate(*client, "heir", milliseconds(2000));
  candidate.elector.Start();
  REQUIRE(WaitFor([&] { return candidate.elector.leading(); }, std::chrono::seconds(30)));
  const json spec = LeaseSpec(*client);
  CHECK(spec["holderIdentity"] == "heir");
  CHECK(spec["leaseTransitions"] == 5);
  CHECK(spec["acquireTime"] != "2026-01-01T00:00:00.000000Z");
}

TEST_CASE("a leader that finds the Lease held by someone else stops leading", "[leader]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  Candidate leader(*client, "leader", milliseconds(3000));
  leader.elector.Start();
  REQUIRE(WaitFor([&] { return leader.elector.leading(); }));

  auto written = UpdateWithRetry(*client, resources::kLeases, kNs, kLease, [](json& lease) {
    lease["spec"]["holderIdentity"] = "intruder";
    lease["spec"]["leaseDurationSeconds"] = 600;
    return true;
  });
  REQUIRE(written.ok());
  REQUIRE(WaitFor([&] { return !leader.elector.leading(); }));
  CHECK(leader.stopped == 1);
  CHECK(Holder(*client) == "intruder");

  leader.elector.Stop();
  CHECK(Holder(*client) == "intruder");  // giving up does not touch someone else's Lease
  CHECK(leader.started == 1);
}

}  // namespace ss::kube::testing
