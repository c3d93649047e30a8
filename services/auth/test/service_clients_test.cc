#include "service_clients.h"

#include <catch2/catch.hpp>

#include "core/config.h"

namespace ss::auth {

TEST_CASE("SERVICE_CLIENTS lists services with their secrets") {
  const ServiceClients clients = ServiceClients::Parse("gateway=s1,session=s=2,");
  CHECK(clients.size() == 2);
  CHECK(clients.Accepts("gateway", "s1"));
  CHECK(clients.Accepts("session", "s=2"));
  CHECK_FALSE(clients.Accepts("gateway", "s2"));
  CHECK_FALSE(clients.Accepts("gateway", ""));
  CHECK_FALSE(clients.Accepts("tracker", "s1"));
  CHECK(ServiceClients::Parse("").size() == 0);
  CHECK_THROWS_AS(ServiceClients::Parse("gateway"), core::ConfigError);
  CHECK_THROWS_AS(ServiceClients::Parse("gateway="), core::ConfigError);
  CHECK_THROWS_AS(ServiceClients::Parse("Bad Name=x"), core::ConfigError);
}

}  // namespace ss::auth
