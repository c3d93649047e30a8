#include "names.h"

#include <catch2/catch.hpp>
#include <regex>

#include "kube/names.h"

namespace ss::session {

TEST_CASE("session names are {user}-{template}-{8 hex} with . and _ mapped to -") {
  CHECK(SessionName("alice", "firefox", "0123abcd") == "alice-firefox-0123abcd");
  CHECK(SessionName("Jane.Doe_2", "vs.code", "deadbeef") == "jane-doe-2-vs-code-deadbeef");
  CHECK(SessionName("-x-", "__tpl__", "00000000") == "x-tpl-00000000");
  CHECK(SessionName("...", "!!", "00000000") == "user-app-00000000");
  CHECK(SessionName("1alice", "firefox", "0123abcd") == "u1alice-firefox-0123abcd");
}

TEST_CASE("long users and templates are shortened so derived names stay DNS labels") {
  const std::string user(32, 'u');
  const std::string template_name(200, 't');
  const std::string name = SessionName(user, template_name, "abcdef01");
  CHECK(name.size() <= kMaxSessionName);
  CHECK(kube::IsDnsLabel(name));
  CHECK(kube::IsDnsLabel(name + "-svc-ingress"));
  CHECK(name.starts_with(std::string(20, 'u') + "-"));
  CHECK(name.ends_with("-abcdef01"));

  // A short part keeps its whole length; the other takes the rest.
  const std::string short_user = SessionName("bob", template_name, "abcdef01");
  CHECK(short_user.size() == kMaxSessionName);
  CHECK(short_user.starts_with("bob-ttt"));
  const std::string short_template = SessionName(user, "vnc", "abcdef01");
  CHECK(short_template == user + "-vnc-abcdef01");

  // Cutting never leaves a dash before the separator.
  const std::string dashed = SessionName(std::string(19, 'a') + "-b" + std::string(10, 'c'),
                                         std::string(60, 'x'), "abcdef01");
  CHECK(kube::IsDnsLabel(dashed));
  CHECK(dashed.find("--") == std::string::npos);
}

TEST_CASE("random suffixes are 8 lower-case hex digits") {
  const std::regex hex("[0-9a-f]{8}");
  for (int i = 0; i < 100; ++i)
    CHECK(std::regex_match(RandomSuffix(), hex));
  CHECK(RandomSuffix() != RandomSuffix());
}

TEST_CASE("home claims, urls and DNS names") {
  CHECK(HomeClaimName("alice") == "home-alice");
  CHECK(HomeClaimName("jane.doe").rfind("home-jane-doe.", 0) == 0);
  CHECK(kube::IsDnsSubdomain(HomeClaimName("jane.doe")));
  CHECK(HomeClaimName("a.b") != HomeClaimName("a_b"));
  CHECK(HomeClaimName("a.b") != HomeClaimName("a-b"));
  CHECK(HomeClaimName("a_b") != HomeClaimName("a-b"));
  CHECK(HomeClaimName("a-b") == "home-a-b");
  CHECK(HomeClaimName("Alice") != HomeClaimName("alice"));
  CHECK(kube::IsDnsSubdomain(HomeClaimName("@@@")));
  // Each label of a long user's claim is a DNS label too, as RFC 1123 wants of a host name.
  const std::string long_claim = HomeClaimName(std::string(30, 'x') + "_" + std::string(30, 'y'));
  CHECK(kube::IsDnsSubdomain(long_claim));
  CHECK(kube::IsDnsLabel(long_claim.substr(0, long_claim.find('.'))));
  CHECK(kube::IsDnsLabel(long_claim.substr(long_claim.find('.') + 1)));
  CHECK(SessionUrl("alice-firefox-0123abcd", "streamspace.local") ==
        "https://alice-firefox-0123abcd.streamspace.local");
}

}  // namespace ss::session
