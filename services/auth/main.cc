// auth-service: wiring only. The logic lives in src/ (SignIn, SingleSignOn, UserDirectory,
// GroupRoster, KeyRing, ApiTokens, AuditLog), the SQL in the stores, the schema in migrations/;
// src/session_quotas asks the session service for the quotas on the user list.
#include <malloc.h>

#include "core/shutdown.h"
#include "db/migrations.h"
#include "grpc_service.h"
#include "rpc/server.h"
#include "store_feed.h"

namespace ss::auth {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

constexpr std::chrono::seconds kReadyTimeout{10};
// The user list waits this long for the session service's quotas, then answers without them.
constexpr std::chrono::seconds kQuotaDeadline{1};

int Run(int argc, char** argv) {
  const core::Config config = core::StartProcess(
      "auth-service", "StreamSpace auth: users, groups, sign-in, tokens, signing keys.",
      core::JoinVariables({rpc::ServerVariables(9101, "127.0.0.1:9001", 64, ""),
                           db::DatabaseVariables("auth"), TokenVariables(), SignInVariables(),
                           KeyRingVariables(), AdminVariables(), SessionPeerVariables(),
                           AuditVariables(), SingleSignOnVariables()}),
      argc, argv);
  const TokenOptions token_options = TokenOptionsFrom(config);
  const SignInOptions sign_in_options = SignInOptionsFrom(config);
  const ServiceClients clients = ServiceClients::Parse(config.Get("SERVICE_CLIENTS"));

  const db::PoolPtr pool = db::OpenAndMigrate(config, "auth", Migrations());
  UserStore users(*pool);
  SessionStore sessions(*pool);
  KeyStore key_store(*pool);
  KeyRing keys(key_store, KeyRingOptionsFrom(config, token_options));
  keys.Refresh();
  const TokenIssuer issuer([&keys] { return keys.Current(); }, token_options, authn::SystemNowMs);
  SessionQuotas quotas(
      grpc::CreateChannel(config.Get("SESSION_ADDR"), grpc::InsecureChannelCredentials()), issuer,
      kQuotaDeadline);
  UserDirectory directory(users, quotas, RevocationLifetimeMs(token_options.access_ttl),
                          authn::SystemNowMs);
  GroupStore group_store(*pool);
  GroupRoster groups(group_store);
  directory.BootstrapAdmin(config.Get("ADMIN_PASSWORD"));
  ApiTokenStore token_store(*pool);
  ApiTokens tokens(token_store, users);
  AuditStore audit_store(*pool);
  AuditLog audit(audit_store, AuditOptionsFrom(config));
  auto auditor = std::make_shared<rpc::Auditor>(std::make_shared<StoreAuditSink>(audit_store));
  const LocalVerifier local(config, keys, sessions, tokens, audit, sign_in_options.throttle,
                            kReadyTimeout);
  SignIn sign_in(users, sessions, issuer, *local.verifier(), clients, sign_in_options);
  SingleSignOn sso(config, sign_in, sessions);

  AuthGrpcService service(local.verifier(), auditor, sign_in, directory, groups, keys, sessions,
                          tokens, audit, sso);
  rpc::ServeUntilSignal(config, "auth-service", {&service});
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
