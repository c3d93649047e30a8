// auth-service: wiring only. The logic lives in src/ (SignIn, UserDirectory, KeyRing), the SQL
// in the stores, the schema in migrations/.
#include <malloc.h>
#include <spdlog/spdlog.h>

#include "authn/refresher.h"
#include "authn/remote.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "db/pool.h"
#include "grpc_service.h"
#include "rpc/server.h"
#include "store_feed.h"

namespace ss::auth {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

constexpr std::chrono::seconds kReadyTimeout{10};

std::vector<core::Variable> Variables() {
  std::vector<core::Variable> variables = core::ProcessVariables(9101);
  for (auto& variable : rpc::ServerVariables("127.0.0.1:9001", 64, "")) {
    variables.push_back(std::move(variable));
  }
  for (auto& list : {db::DatabaseVariables("auth"), authn::IssuerVariables()}) {
    variables.insert(variables.end(), list.begin(), list.end());
  }
  variables.insert(
      variables.end(),
      {
          {"ACCESS_TOKEN_TTL", "15m", "Lifetime of access tokens."},
          {"REFRESH_TOKEN_TTL", "720h", "Lifetime of refresh tokens."},
          {"SIGNING_KEY_ROTATION", "720h",
           "How long one signing key signs before its successor takes over."},
          {"SERVICE_CLIENTS", "", "Services that may get service tokens: <name>=<secret>,...",
           true},
          {"ADMIN_PASSWORD", "",
           "Password of `admin` when the account is first created (12+ characters).", true},
      });
  return variables;
}

std::chrono::milliseconds PositiveDuration(const core::Config& config, std::string_view name,
                                           std::chrono::milliseconds minimum) {
  const std::chrono::milliseconds value = config.GetDuration(name);
  if (value < minimum) {
    throw core::ConfigError(std::string(name) + " must be at least " +
                            std::to_string(minimum.count() / 1000) + "s");
  }
  return value;
}

void PrepareStatements(pqxx::connection& connection) {
  PrepareUserStatements(connection);
  PrepareSessionStatements(connection);
  PrepareKeyStatements(connection);
}

int Run(int argc, char** argv) {
  const core::Config config =
      core::Config::Load("auth-service", "StreamSpace auth: users, sign-in, tokens, signing keys.",
                         Variables(), argc, argv);
  core::SetupLogging("auth-service", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));

  const ServiceClients clients = ServiceClients::Parse(config.Get("SERVICE_CLIENTS"));
  TokenOptions token_options;
  token_options.issuer = config.Get("AUTH_ISSUER");
  token_options.audience = config.Get("AUTH_AUDIENCE");
  token_options.access_ttl = PositiveDuration(config, "ACCESS_TOKEN_TTL", std::chrono::seconds(1));
  SignInOptions sign_in_options;
  sign_in_options.refresh_ttl =
      PositiveDuration(config, "REFRESH_TOKEN_TTL", std::chrono::minutes(1));
  KeyRingOptions key_options;
  key_options.rotation = PositiveDuration(config, "SIGNING_KEY_ROTATION", std::chrono::minutes(2));
  key_options.publish_ahead =
      std::min<std::chrono::milliseconds>(std::chrono::minutes(10), key_options.rotation / 2);
  key_options.publish_after_retirement =
      std::max(token_options.access_ttl, token_options.service_ttl) + std::chrono::minutes(2);

  db::Pool pool(db::PoolOptions{db::ConnInfo(config), config.GetInt("DB_POOL_SIZE"),
                                std::chrono::milliseconds(5000), PrepareStatements});
  pool.With([](pqxx::connection& connection) { db::Migrate(connection, "auth", Migrations()); });

  UserStore users(pool);
  SessionStore sessions(pool);
  KeyStore key_store(pool);
  KeyRing keys(key_store, key_options);
  keys.Refresh();
  const TokenIssuer issuer([&keys] { return keys.Current(); }, token_options, authn::SystemNowMs);
  UserDirectory directory(users, RevocationLifetimeMs(token_options.access_ttl),
                          authn::SystemNowMs);
  directory.BootstrapAdmin(config.Get("ADMIN_PASSWORD"));
  SignIn sign_in(users, sessions, issuer, clients, sign_in_options);

  // auth verifies tokens like everyone else, but fed from its own tables every second.
  auto verifier = std::make_shared<authn::Verifier>(authn::VerifierOptionsFrom(config));
  authn::RefresherOptions refresher_options;
  refresher_options.keys_interval = std::chrono::seconds(1);
  authn::VerifierRefresher refresher(
      verifier, std::make_shared<StoreFeed>(keys, sessions, sign_in_options.throttle),
      refresher_options);
  if (!refresher.WaitReady(kReadyTimeout)) {
    throw std::runtime_error("could not load signing keys and revocations from the database");
  }

  AuthGrpcService service(verifier, sign_in, directory, keys, sessions);
  rpc::ServeUntilSignal(config, "auth-service", {&service});
  spdlog::info("auth-service stopped");
  return 0;
}

}  // namespace
}  // namespace ss::auth

int main(int argc, char** argv) {
  // Each password hash takes a 19 MiB argon2 block. With glibc's adaptive threshold the first
  // freed block would move later ones onto the heap, where they stay resident; a fixed threshold
  // keeps them mmapped and returned to the system after every login.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  return ss::core::RunMain("auth-service", argc, argv, ss::auth::Run);
}
