// The session service's quota lock and claims against a real PostgreSQL with its own migrations:
// two "replicas" (two pools) checking for one user run one at a time; the claim of an admitted
// write is what the next holder sees, even before any cache could; a refused check leaves no
// claim; stale claims go.
#include "quota_store.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "core/config.h"
#include "db/migrations.h"
#include "postgres.h"

namespace ss::session {

// Generated from services/session/migrations by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

using namespace std::chrono_literals;

test::PostgresInstance& Postgres() {
  static test::PostgresInstance instance;
  return instance;
}

db::PoolPtr Replica() {
  static const test::ServiceRole role = Postgres().CreateServiceRole("session");
  const auto env = Postgres().ServiceEnvironment(role);
  const std::map<std::string, std::string> values(env.begin(), env.end());
  return db::OpenAndMigrate(core::Config::FromValues(db::DatabaseVariables("session"), values),
                            "session", Migrations());
}

QuotaClaim Create(const std::string& name) {
  return QuotaClaim{name, kCreateClaim, "500m", "512Mi", false};
}

std::vector<std::string> Names(const std::vector<QuotaClaim>& claims) {
  std::vector<std::string> names;
  for (const QuotaClaim& claim : claims)
    names.push_back(claim.session);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("a user's checks run one at a time across replicas; the next holder sees the claim") {
  db::PoolPtr first_pool = Replica();
  db::PoolPtr second_pool = Replica();
  QuotaStore first(*first_pool);
  QuotaStore second(*second_pool);

  std::atomic<bool> first_inside{false};
  std::atomic<bool> second_done{false};
  std::vector<QuotaClaim> seen_by_second;
  std::thread holder([&] {
    const grpc::Status status = first.WithUserLock(
        "alice", Create("alice-a"), [&](const std::vector<QuotaClaim>& others, std::string*) {
          CHECK(others.empty());
          first_inside = true;
          std::this_thread::sleep_for(300ms);
          // The other replica is still waiting for the lock.
          CHECK_FALSE(second_done);
          return grpc::Status::OK;
        });
    CHECK(status.ok());
  });
  while (!first_inside)
    std::this_thread::sleep_for(5ms);
  const grpc::Status status = second.WithUserLock(
      "alice", Create("alice-b"), [&](const std::vector<QuotaClaim>& others, std::string*) {
        seen_by_second = others;
        return grpc::Status::OK;
      });
  second_done = true;
  holder.join();
  CHECK(status.ok());
  REQUIRE(seen_by_second.size() == 1);
  CHECK(seen_by_second[0].session == "alice-a");
  CHECK(seen_by_second[0].kind == kCreateClaim);
  CHECK(seen_by_second[0].cpu == "500m");

  // Another user is not held up by alice's lock and sees none of her claims.
  CHECK(first
            .WithUserLock("bob", Create("bob-a"),
                          [](const std::vector<QuotaClaim>& others, std::string*) {
                            CHECK(others.empty());
                            return grpc::Status::OK;
                          })
            .ok());

  // A refusal rolls its claim back; a rename moves it; a forgotten claim is gone.
  const grpc::Status refused = first.WithUserLock(
      "alice", Create("alice-c"), [](const std::vector<QuotaClaim>&, std::string*) {
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "over");
      });
  CHECK(refused.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(second
            .WithUserLock("alice", Create("alice-d"),
                          [](const std::vector<QuotaClaim>& others, std::string* session) {
                            CHECK(Names(others) == std::vector<std::string>{"alice-a", "alice-b"});
                            *session = "alice-e";
                            return grpc::Status::OK;
                          })
            .ok());
  first.ForgetClaim("alice-a");
  CHECK(first
            .WithUserLock("alice", QuotaClaim{"alice-b", kWakeClaim, "", "", false},
                          [](const std::vector<QuotaClaim>& others, std::string*) {
                            CHECK(Names(others) == std::vector<std::string>{"alice-e"});
                            return grpc::Status::OK;
                          })
            .ok());

  // Claims older than a minute are dropped at the next check.
  Postgres().Query(
      "UPDATE session.quota_claims SET created_at = now() - interval '2 minutes' "
      "WHERE session = 'alice-e'");
  CHECK(first
            .WithUserLock("alice", Create("alice-f"),
                          [](const std::vector<QuotaClaim>& others, std::string*) {
                            CHECK(Names(others) == std::vector<std::string>{"alice-b"});
                            return grpc::Status::OK;
                          })
            .ok());
  CHECK(Postgres().Query("SELECT count(*) FROM session.quota_claims WHERE session = 'alice-e'") ==
        "0\n");
}

}  // namespace ss::session
