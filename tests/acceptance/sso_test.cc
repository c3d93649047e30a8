// Issue 17 acceptance, single sign-on through the real gateway: SAML 2.0 against
// tests/sso/saml_idp.py (pysaml2 and xmlsec1, not lasso) and OpenID Connect against
// tests/sso/oidc_provider.py. The test plays the browser: it carries each message between the
// provider and the gateway, keeps the sign-in cookie and fetches the page's token with it.
#include <catch2/catch.hpp>
#include <thread>

#include "groups_support.h"
#include "sso_support.h"

namespace ss::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr char kOidcClientId[] = "streamspace";
constexpr char kOidcRedirectUrl[] = "https://sp.test/api/v1/auth/oidc/callback";

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

// `url` is `base` + `path` with a query.
bool IsUrlWithQuery(const std::string& url, std::string_view base, std::string_view path = "") {
  const std::size_t size = base.size() + path.size();
  return url.size() > size && url.compare(0, base.size(), base) == 0 &&
         url.compare(base.size(), path.size(), path) == 0 && url[size] == '?';
}

// GET <route>?returnTo=<return_to>: the 302's Location.
std::string StartLogin(AuthStack& stack, const std::string& route, const std::string& return_to) {
  const HttpResponse start = stack.Api().Get(route + "?" + FormEncode({{"returnTo", return_to}}));
  INFO(route << " " << start.status << " " << start.body);
  REQUIRE(start.status == 302);
  CHECK(start.body.empty());
  return start.Header("location");
}

// The browser's end of a redirect sign-in: requires 303 to `location` with the sign-in cookie
// and no body (no token but in the cookie); the cookie.
std::string SignInCookie(AuthStack& stack, const HttpResponse& answer,
                         const std::string& location) {
  INFO(answer.status << " " << answer.body);
  REQUIRE(answer.status == 303);
  CHECK(answer.Header("location") == location);
  CHECK(answer.body.empty());
  const std::string cookie = SignInCookieOf(answer);
  REQUIRE_FALSE(cookie.empty());
  stack.Remember(cookie);
  CHECK(answer.Header("location").find(cookie) == std::string::npos);
  CHECK(answer.Header("set-cookie").find("HttpOnly") != std::string::npos);
  return cookie;
}

// As SignInCookie; then the page's bearer token.
std::string FinishSignIn(AuthStack& stack, const HttpResponse& answer,
                         const std::string& location) {
  return SignInToken(stack, SignInCookie(stack, answer, location));
}

HttpResponse PostAssertion(AuthStack& stack, const std::string& response,
                           const std::string& relay_state = "") {
  std::vector<std::pair<std::string, std::string>> form{{"SAMLResponse", response}};
  if (!relay_state.empty())
    form.emplace_back("RelayState", relay_state);
  return PostForm(stack, "/api/v1/auth/saml/acs", form);
}

// An AuthnRequest as the IdP reads it, checked; its ID.
std::string ReadAuthnRequest(SamlProviders& saml, const std::string& url,
                             const std::string& relay_state) {
  CHECK(IsUrlWithQuery(url, kIdpSsoUrl));
  const json request = saml.Idp({{"cmd", "decode"}, {"url", url}});
  INFO(request.dump());
  CHECK(request["type"] == "AuthnRequest");
  CHECK(request["issuer"] == kSpEntityId);
  CHECK(request["destination"] == kIdpSsoUrl);
  CHECK(request["acs_url"] == kSpAcsUrl);
  CHECK(request["relay_state"] == relay_state);
  CHECK(request["signature_verified"] == true);
  return request["id"].get<std::string>();
}

TEST_CASE("SAML sign-in: metadata, SP- and IdP-initiated, mapping, demotion, refusals", "[saml]") {
  // Metadata fetched from a URL, and a preset other than generic (the IdP sends Azure AD's names).
  SamlProviders saml(/*by_url=*/true, "azuread");
  StackOptions options;
  options.auth_env = saml.AuthEnv();
  options.auth_env["SSO_ROLE_MAP"] = "ops=operator";
  options.auth_env["SSO_GROUP_MAP"] = "eng=engineering,ops=operations";
  AuthStack stack(options);
  const std::string admin = stack.Login("admin", stack.admin_password()).token;

  {
    INFO("the SP's metadata is public XML naming SAML_ENTITY_ID");
    const HttpResponse metadata = stack.Api().Get("/api/v1/auth/saml/metadata");
    REQUIRE(metadata.status == 200);
    CHECK(StartsWith(metadata.Header("content-type"), "application/samlmetadata+xml"));
    CHECK(metadata.body.find(std::string("entityID=\"") + kSpEntityId + "\"") != std::string::npos);
    CHECK(metadata.body.find(kSpAcsUrl) != std::string::npos);
  }
  saml.StartIdp(stack);
  CreateGroup(stack, admin, {{"name", "engineering"}});
  CreateGroup(stack, admin, {{"name", "operations"}});
  const std::string manual_id =
      CreateGroup(stack, admin, {{"name", "manual"}})["id"].get<std::string>();
  const int users_before = UserCount(stack, admin);

  const std::string return_to = "/sessions?tab=mine";
  const std::string login_url = StartLogin(stack, "/api/v1/auth/saml/login", return_to);
  {
    INFO("302 to the IdP with a signed AuthnRequest; JSON for a page's fetch; local paths only");
    const auto query = QueryOf(login_url);
    CHECK(query.count("SAMLRequest") == 1);
    CHECK(query.count("SigAlg") == 1);
    CHECK(query.count("Signature") == 1);
    CHECK(query.count("RelayState") == 1);
    const json as_json = Ok(
        GetWith(stack, "/api/v1/auth/saml/login?returnTo=%2F", {{"Accept", "application/json"}}));
    CHECK(IsUrlWithQuery(as_json.value("redirectUrl", ""), kIdpSsoUrl));
    for (const std::string bad : {"https://evil.example", "//evil"}) {
      INFO(bad);
      RequireError(stack.Api().Get("/api/v1/auth/saml/login?" + FormEncode({{"returnTo", bad}})),
                   400, 3);
    }
  }

  // SP-initiated: the IdP answers the AuthnRequest; the ACS sets the cookie and sends the browser
  // back where it started.
  const std::string request_id = ReadAuthnRequest(saml, login_url, return_to);
  const std::string alice_response = saml.Response("alice", {{"in_response_to", request_id}});
  const std::string alice_cookie =
      SignInCookie(stack, PostAssertion(stack, alice_response, return_to), return_to);
  {
    INFO("the cookie gives the token only with an allowed Origin");
    RequireError(SignInTokenCall(stack, alice_cookie, ""), 403, 7);
    RequireError(SignInTokenCall(stack, alice_cookie, "http://evil.example"), 403, 7);
  }
  const std::string alice_token = SignInToken(stack, alice_cookie);
  const json alice_me = Me(stack, alice_token);
  CHECK(alice_me["provider"] == "saml");
  CHECK(alice_me["username"] == "alice");
  CHECK(alice_me["email"] == "alice@example.com");
  CHECK(alice_me["fullName"] == "Alice Liddell");
  CHECK(alice_me["role"] == "operator");
  const std::string alice_id = alice_me["id"].get<std::string>();
  CHECK(GroupsOf(stack, admin, alice_id) == std::vector<std::string>{"engineering", "operations"});
  // A membership that no mapping manages stays through every sign-in.
  Ok(GroupCall(stack, "POST", "/groups/" + manual_id + "/members", admin, {{"userId", alice_id}}));
  CHECK(UserCount(stack, admin) == users_before + 1);
  {
    INFO("the same Response again is a replay: refused, nothing new");
    const HttpResponse replay = PostAssertion(stack, alice_response, return_to);
    RequireError(replay, 401, 16);
    CHECK(SignInCookieOf(replay).empty());
    CHECK(UserCount(stack, admin) == users_before + 1);
  }

  {
    INFO("IdP-initiated: a RelayState that is no local path lands on /");
    const std::string response = saml.Response("bob", {{"groups", {"staff"}}});
    const std::string bob =
        FinishSignIn(stack, PostAssertion(stack, response, "https://evil.example/next"), "/");
    const json me = Me(stack, bob);
    CHECK(me["username"] == "bob");
    CHECK(me["provider"] == "saml");
    CHECK(me["role"] == "user");
    CHECK(GroupsOf(stack, admin, me["id"].get<std::string>()).empty());
    // No request to consume here: the assertion ID seen is what refuses it again.
    const HttpResponse replay = PostAssertion(stack, response);
    RequireError(replay, 401, 16);
    CHECK(replay.Json().value("message", "").find("replayed") != std::string::npos);
  }
  {
    INFO("a sign-in without the ops group demotes: role user, out of operations");
    const json start = Ok(GetWith(stack, "/api/v1/auth/saml/login?returnTo=%2Fhome",
                                  {{"Accept", "application/json"}}));
    const std::string id = ReadAuthnRequest(saml, start["redirectUrl"].get<std::string>(), "/home");
    const std::string token = FinishSignIn(
        stack,
        PostAssertion(stack, saml.Response("alice", {{"in_response_to", id}, {"groups", {"eng"}}}),
                      "/home"),
        "/home");
    const json me = Me(stack, token);
    CHECK(me["id"] == alice_id);
    CHECK(me["role"] == "user");
    CHECK(GroupsOf(stack, admin, alice_id) == std::vector<std::string>{"engineering", "manual"});
    // The operator's token does not outlive the role.
    CHECK(Eventually([&] { return TokenRefused(stack, alice_token); }));
  }
  {
    INFO("an assertion for the local admin's username is refused, and admin stays local");
    const HttpResponse as_admin = PostAssertion(stack, saml.Response("admin"));
    RequireError(as_admin, 409, 6);
    CHECK(SignInCookieOf(as_admin).empty());
    const json me = Me(stack, stack.Login("admin", stack.admin_password()).token);
    CHECK(me["provider"] == "local");
    CHECK(me["role"] == "admin");
  }
  {
    INFO("crafted responses are refused and create nobody");
    for (const std::string variant : {"wrong-audience", "signed-by-other-key"}) {
      INFO(variant);
      const std::string id =
          ReadAuthnRequest(saml, StartLogin(stack, "/api/v1/auth/saml/login", "/"), "/");
      const HttpResponse refused = PostAssertion(
          stack, saml.Response("mallory", {{"in_response_to", id}, {"variant", variant}}));
      RequireError(refused, 401, 16);
      CHECK(refused.Json()
                .value("message", "")
                .find(variant == "wrong-audience" ? "wrong-audience" : "bad-signature") !=
            std::string::npos);
      CHECK(SignInCookieOf(refused).empty());
    }
    CHECK(UserCount(stack, admin) == users_before + 2);
  }
  {
    INFO("the audit log has each of the 8 posts to the consumer once, with no message or token");
    json events;
    const auto audited = [&] {
      events = Ok(stack.Api().Get(
          "/api/v1/admin/audit?pageSize=500&method=ConsumeSamlResponse&outcome=failed", admin));
      return events["total"] == 5;
    };
    CHECK(Eventually(audited));
    events = Ok(stack.Api().Get(
        "/api/v1/admin/audit?pageSize=500&method=ConsumeSamlResponse&outcome=ok", admin));
    CHECK(events["total"] == 3);
    const std::string text = events.dump();
    CHECK(text.find(alice_response.substr(0, 40)) == std::string::npos);
    CHECK(text.find(alice_cookie) == std::string::npos);
    CHECK(text.find(alice_token) == std::string::npos);
  }
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("SAML single logout: IdP-initiated by redirect and by POST, SP-initiated",
          "[saml-logout]") {
  // Metadata from a file; the generic preset.
  SamlProviders saml(/*by_url=*/false, "generic");
  StackOptions options;
  options.auth_env = saml.AuthEnv();
  AuthStack stack(options);
  saml.StartIdp(stack);
  // IdP-initiated sign-ins: no AuthnRequest to answer.
  const auto sign_in = [&](const std::string& user, const std::string& session_index) {
    return FinishSignIn(
        stack, PostAssertion(stack, saml.Response(user, {{"session_index", session_index}})), "/");
  };
  // The SP's LogoutResponse as the IdP reads it.
  const auto check_logout_response = [&](const std::string& url, const std::string& request_id,
                                         const std::string& relay_state) {
    CHECK(IsUrlWithQuery(url, kIdpSloUrl));
    const json answer = saml.Idp({{"cmd", "decode"}, {"url", url}});
    INFO(answer.dump());
    CHECK(answer["type"] == "LogoutResponse");
    CHECK(answer["in_response_to"] == request_id);
    CHECK(answer["status"] == "urn:oasis:names:tc:SAML:2.0:status:Success");
    CHECK(answer["issuer"] == kSpEntityId);
    CHECK(answer["relay_state"] == relay_state);
    CHECK(answer["signature_verified"] == true);
  };
  const std::string bob = sign_in("bob", "s-bob");

  // The IdP's LogoutRequest for alice through the SLO route by `binding`: whether the route
  // answered with its LogoutResponse to the IdP and cleared the cookie.
  const auto idp_logout = [&](const std::string& binding, const std::string& session_index) {
    const std::string relay_state = "rs-" + binding;
    json command{{"cmd", "logout-request"},
                 {"name_id", "alice@example.com"},
                 {"binding", binding},
                 {"relay_state", relay_state}};
    if (!session_index.empty())
      command["session_index"] = session_index;
    const json request = saml.Idp(command);
    const HttpResponse slo = binding == "redirect"
                                 ? stack.Api().Get("/api/v1/auth/saml/slo?" +
                                                   QueryPart(request["url"].get<std::string>()))
                                 : PostForm(stack, "/api/v1/auth/saml/slo",
                                            {{"SAMLRequest", request["form"].get<std::string>()},
                                             {"RelayState", relay_state}});
    INFO(binding << " " << session_index << ": " << slo.status << " " << slo.body);
    CHECK(slo.status == (binding == "redirect" ? 302 : 303));
    if (slo.status != 302 && slo.status != 303)
      return false;
    CHECK(ClearsSignInCookie(slo));
    check_logout_response(slo.Header("location"), request["id"].get<std::string>(), relay_state);
    return true;
  };
  const std::string kept = sign_in("alice", "s-1");
  for (const std::string binding : {"redirect", "post"}) {
    INFO("IdP-initiated by " << binding << ", naming one SessionIndex: that sign-in ends");
    const std::string index = "s-" + binding;
    const std::string alice = sign_in("alice", index);
    REQUIRE(idp_logout(binding, index));
    CHECK(Eventually([&] { return TokenRefused(stack, alice); }));
    CHECK_FALSE(TokenRefused(stack, kept));
    CHECK_FALSE(TokenRefused(stack, bob));
  }
  {
    INFO("SP-initiated: the sign-in ends at once, the IdP's answer lands on /login");
    const std::string alice = sign_in("alice", "s-5");
    const HttpResponse start = stack.Api().Post("/api/v1/auth/saml/logout", "{}", alice);
    const json started = Ok(start);
    CHECK(ClearsSignInCookie(start));
    const std::string url = started.value("redirectUrl", "");
    CHECK(IsUrlWithQuery(url, kIdpSloUrl));
    const json request = saml.Idp({{"cmd", "decode"}, {"url", url}});
    INFO(request.dump());
    CHECK(request["type"] == "LogoutRequest");
    CHECK(request["issuer"] == kSpEntityId);
    CHECK(request["destination"] == kIdpSloUrl);
    CHECK(request["name_id"] == "alice@example.com");
    CHECK(request["session_indexes"] == json::array({"s-5"}));
    CHECK(request["signature_verified"] == true);
    CHECK(Eventually([&] { return TokenRefused(stack, alice); }));
    CHECK_FALSE(TokenRefused(stack, bob));

    const json reply = saml.Idp({{"cmd", "logout-response"}, {"in_response_to", request["id"]}});
    const std::string target =
        "/api/v1/auth/saml/slo?" + QueryPart(reply["url"].get<std::string>());
    const HttpResponse back = stack.Api().Get(target);
    INFO(back.status << " " << back.body);
    REQUIRE(back.status == 302);
    CHECK(back.Header("location") == "/login");
    CHECK(ClearsSignInCookie(back));
    // The answer names a logout already finished.
    RequireError(stack.Api().Get(target), 401, 16);
  }
  {
    INFO("IdP-initiated without SessionIndex: every sign-in of the NameID ends");
    const std::string again = sign_in("alice", "s-again");
    if (idp_logout("redirect", ""))
      CHECK(Eventually([&] { return TokenRefused(stack, kept) && TokenRefused(stack, again); }));
    CHECK_FALSE(TokenRefused(stack, bob));
  }
  {
    INFO("a local user's SAML logout is a plain logout, with nowhere to go");
    const std::string admin = stack.Login("admin", stack.admin_password()).token;
    CHECK(Ok(stack.Api().Post("/api/v1/auth/saml/logout", "{}", admin)).value("redirectUrl", "") ==
          "");
    CHECK(Eventually([&] { return TokenRefused(stack, admin); }));
  }
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("OpenID Connect sign-in: code flow, refusals, key rotation", "[oidc]") {
  const std::string client_secret = "oidc-" + RandomString(32);
  OidcProvider provider(kOidcClientId, client_secret);
  provider.Control({{"user",
                     {{"username", "carol"},
                      {"email", "carol@example.com"},
                      {"name", "Carol Danvers"},
                      {"groups", {"ops"}}}}});
  StackOptions options;
  options.auth_env = {
      {"OIDC_ISSUER", provider.issuer()},    {"OIDC_CLIENT_ID", kOidcClientId},
      {"OIDC_CLIENT_SECRET", client_secret}, {"OIDC_REDIRECT_URL", kOidcRedirectUrl},
      {"OIDC_JWKS_REFETCH_INTERVAL", "1s"},  {"SSO_ROLE_MAP", "ops=operator"}};
  AuthStack stack(options);
  stack.Remember(client_secret);
  const std::string admin = stack.Login("admin", stack.admin_password()).token;

  const auto start = [&](const std::string& return_to) {
    const std::string url = StartLogin(stack, "/api/v1/auth/oidc/login", return_to);
    CHECK(IsUrlWithQuery(url, provider.issuer(), "/authorize"));
    return url;
  };
  // The provider's redirect back to us (no login page): the callback's query.
  const auto authorize = [&](const std::string& url) {
    const std::string back = provider.Authorize(url);
    CHECK(IsUrlWithQuery(back, kOidcRedirectUrl));
    return QueryPart(back);
  };
  const auto callback = [&](const std::string& query) {
    return stack.Api().Get("/api/v1/auth/oidc/callback?" + query);
  };

  const std::string url = start("/sessions");
  {
    INFO("302 to the provider with state, nonce and PKCE; JSON for a page; local paths only");
    const auto query = QueryOf(url);
    CHECK(query.at("client_id") == kOidcClientId);
    CHECK(query.at("redirect_uri") == kOidcRedirectUrl);
    CHECK(query.at("code_challenge_method") == "S256");
    CHECK_FALSE(query.at("state").empty());
    CHECK_FALSE(query.at("nonce").empty());
    const json as_json = Ok(
        GetWith(stack, "/api/v1/auth/oidc/login?returnTo=%2F", {{"Accept", "application/json"}}));
    CHECK(IsUrlWithQuery(as_json.value("redirectUrl", ""), provider.issuer(), "/authorize"));
    RequireError(stack.Api().Get("/api/v1/auth/oidc/login?returnTo=%2F%2Fevil"), 400, 3);
  }
  const std::string query = authorize(url);
  const std::string carol = FinishSignIn(stack, callback(query), "/sessions");
  const json me = Me(stack, carol);
  CHECK(me["provider"] == "oidc");
  CHECK(me["username"] == "carol");
  CHECK(me["email"] == "carol@example.com");
  CHECK(me["fullName"] == "Carol Danvers");
  CHECK(me["role"] == "operator");
  const int users = UserCount(stack, admin);

  {
    INFO("the same callback again");
    RequireError(callback(query), 401, 16);
  }
  {
    INFO("a made-up state; the real one still completes");
    const std::string real = authorize(start("/"));
    const std::string code = QueryOf("?" + real).at("code");
    RequireError(callback(FormEncode({{"code", code}, {"state", RandomString(43)}})), 401, 16);
    FinishSignIn(stack, callback(real), "/");
  }
  for (const std::string misbehaviour : {"wrong_nonce", "wrong_issuer"}) {
    INFO(misbehaviour);
    provider.Control({{"misbehave", misbehaviour}});
    const HttpResponse refused = callback(authorize(start("/")));
    RequireError(refused, 401, 16);
    CHECK(refused.Json().value("message", "").find(misbehaviour) != std::string::npos);
    CHECK(SignInCookieOf(refused).empty());
  }
  {
    INFO("the provider's error, with a real state");
    const std::string state = QueryOf(start("/")).at("state");
    RequireError(callback(FormEncode({{"error", "access_denied"}, {"state", state}})), 401, 16);
  }
  CHECK(UserCount(stack, admin) == users);
  {
    INFO(
        "after a key rotation a new sign-in works (an unknown kid refetches the JWKS, at most "
        "every OIDC_JWKS_REFETCH_INTERVAL)");
    const std::string old_kid = provider.Control(json::object())["kid"].get<std::string>();
    CHECK(provider.Control({{"rotate", true}})["kid"] != old_kid);
    HttpResponse answer;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    int tries = 0;
    do {
      if (tries++ > 0)
        std::this_thread::sleep_for(1s);
      answer = callback(authorize(start("/after")));
    } while (answer.status != 303 && std::chrono::steady_clock::now() < deadline);
    INFO(tries << " tries");
    CHECK(Me(stack, FinishSignIn(stack, answer, "/after"))["username"] == "carol");
  }
  {
    INFO("a disabled account signs in no more");
    Ok(stack.Api().Patch("/api/v1/users/" + me["id"].get<std::string>(),
                         json{{"active", false}}.dump(), admin));
    RequireError(callback(authorize(start("/"))), 403, 7);
  }
  stack.RequireNoSecretsInLogs();
}

}  // namespace
}  // namespace ss::test
