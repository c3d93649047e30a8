#include "quota.h"

#include <catch2/catch.hpp>

#include "validation.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;

pb::Session SessionOf(const std::string& state, const std::string& cpu, const std::string& memory,
                      bool home) {
  pb::Session session;
  session.set_state(state);
  session.mutable_resources()->set_cpu(cpu);
  session.mutable_resources()->set_memory(memory);
  session.set_persistent_home(home);
  return session;
}

}  // namespace

TEST_CASE(
    "each limit resolves on its own: the user's, else the tightest group's, else the default") {
  const QuotaRow own{0, "4", "", ""};
  const std::vector<GroupQuotaRow> groups = {
      {"team", QuotaRow{10, "1", "8Gi", ""}},
      {"org", QuotaRow{3, "", "16Gi", ""}},
      {"lab", QuotaRow{0, "", "4096Mi", "0"}},
  };
  const QuotaRow defaults{20, "", "", "50Gi"};
  const pb::EffectiveQuota quota = ResolveQuota(own, groups, defaults);
  CHECK(quota.max_sessions().value() == "3");
  CHECK(quota.max_sessions().source() == "group");
  CHECK(quota.max_sessions().group() == "org");
  // The user's own value wins even where a group's is tighter.
  CHECK(quota.max_cpu().value() == "4");
  CHECK(quota.max_cpu().source() == "user");
  // Quantities compare by value, not by text: 4096Mi is 4Gi, below 8Gi.
  CHECK(quota.max_memory().value() == "4096Mi");
  CHECK(quota.max_memory().group() == "lab");
  // A group's 0 is not set: the default applies.
  CHECK(quota.max_storage().value() == "50Gi");
  CHECK(quota.max_storage().source() == "default");
  CHECK_FALSE(Unlimited(quota));

  const pb::EffectiveQuota none = ResolveQuota(QuotaRow{}, {}, QuotaRow{0, "0", "", ""});
  CHECK(Unlimited(none));
  CHECK(none.max_cpu().source() == "none");
}

TEST_CASE("use: every session counts, running ones their CPU and memory, the home once") {
  const std::vector<pb::Session> sessions = {
      SessionOf(kRunning, "500m", "512Mi", true),
      SessionOf(kRunning, "1", "1Gi", true),
      SessionOf(kHibernated, "2", "4Gi", false),
      SessionOf(kTerminated, "2", "4Gi", false),
  };
  const Usage use = UseOf(sessions, std::nullopt, "10Gi");
  CHECK(use.sessions == 4);
  CHECK(use.cpu_milli == 1500);
  CHECK(use.memory_bytes == 1536LL << 20);
  CHECK(use.storage_bytes == 10LL << 30);
  // An existing claim counts by its own size; without a home session or claim, nothing.
  CHECK(UseOf(sessions, 5LL << 30, "10Gi").storage_bytes == 5LL << 30);
  CHECK(UseOf({SessionOf(kRunning, "1", "1Gi", false)}, std::nullopt, "10Gi").storage_bytes == 0);
}

TEST_CASE("claims count what another replica admitted until the cache shows it") {
  pb::Session seen = SessionOf(kRunning, "500m", "512Mi", false);
  seen.set_name("alice-a");
  pb::Session asleep = SessionOf(kHibernated, "1", "1Gi", false);
  asleep.set_name("alice-b");
  const std::vector<QuotaClaim> claims = {
      {"alice-a", kCreateClaim, "500m", "512Mi", false},  // in the cache already
      {"alice-c", kCreateClaim, "2", "2Gi", true},        // not seen yet: counts
      {"alice-d", kCreateClaim, "2", "2Gi", false},       // seen, then deleted: does not
      {"alice-b", kWakeClaim, "1", "1Gi", false},         // still hibernated here: runs
  };
  const auto cache_saw = [](const std::string& id) { return id != "alice-c"; };
  const std::vector<pb::Session> sessions = WithClaims({seen, asleep}, claims, cache_saw);
  REQUIRE(sessions.size() == 3);
  const Usage use = UseOf(sessions, std::nullopt, "10Gi");
  CHECK(use.sessions == 3);
  CHECK(use.cpu_milli == 500 + 2000 + 1000);
  CHECK(use.memory_bytes == (512LL << 20) + (3LL << 30));
  CHECK(use.storage_bytes == 10LL << 30);
}

TEST_CASE("a demand over a limit is refused with the limit, its origin, the ask and the use") {
  const pb::EffectiveQuota limits =
      ResolveQuota(QuotaRow{2, "", "", ""}, {{"team", QuotaRow{0, "2", "2Gi", "5Gi"}}}, {});
  Usage use;
  use.sessions = 2;
  use.cpu_milli = 1500;
  use.memory_bytes = 1LL << 30;

  grpc::Status status = CheckQuota(limits, use, QuotaDemand{1, "500m", "512Mi", 0});
  CHECK(status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(status.error_message() ==
        "quota exceeded: maxSessions is 2 (the user's own quota); this asks for 1 more session "
        "and 2 are in use");

  // A wake asks for no session: only CPU and memory count.
  CHECK(CheckQuota(limits, use, QuotaDemand{0, "500m", "512Mi", 0}).ok());
  status = CheckQuota(limits, use, QuotaDemand{0, "600m", "", 0});
  CHECK(status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(status.error_message() ==
        "quota exceeded: maxCpu is 2 (group \"team\"); this asks for 600m CPU and 1500m is in "
        "use");
  status = CheckQuota(limits, use, QuotaDemand{0, "", "1.5Gi", 0});
  CHECK(status.error_message().find("maxMemory is 2Gi") != std::string::npos);
  status = CheckQuota(limits, use, QuotaDemand{0, "", "", 10LL << 30});
  CHECK(status.error_message() ==
        "quota exceeded: maxStorage is 5Gi (group \"team\"); this asks for a home volume of 10Gi "
        "and 0 is in use");
}

TEST_CASE("quota input: bounds, quantities, 0 unsets") {
  CHECK(CheckQuotaRow(QuotaRow{5, "4000m", "8Gi", "100Gi"}).ok());
  CHECK(CheckQuotaRow(QuotaRow{0, "0", "", "0Gi"}).ok());
  for (const QuotaRow& bad :
       {QuotaRow{-1, "", "", ""}, QuotaRow{10001, "", "", ""}, QuotaRow{0, "lots", "", ""},
        QuotaRow{0, "", "-1Gi", ""}, QuotaRow{0, "", "", "1 Gi"}}) {
    CHECK(CheckQuotaRow(bad).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  const QuotaRow normal = Normalized(QuotaRow{0, "0", "0Mi", "10Gi"});
  CHECK(normal.max_cpu.empty());
  CHECK(normal.max_memory.empty());
  CHECK(normal.max_storage == "10Gi");
  CHECK(normal.empty() == false);
  CHECK(Normalized(QuotaRow{0, "0", "", ""}).empty());
}

TEST_CASE("quantities print in the largest exact unit") {
  CHECK(FormatCpu(0) == "0");
  CHECK(FormatCpu(1500) == "1500m");
  CHECK(FormatCpu(3000) == "3");
  CHECK(FormatBytes(0) == "0");
  CHECK(FormatBytes(512LL << 20) == "512Mi");
  CHECK(FormatBytes(3LL << 30) == "3Gi");
  CHECK(FormatBytes(1536LL << 20) == "1536Mi");
  CHECK(FormatBytes(1000) == "1000");
}

}  // namespace ss::session
