#include "platform_config.h"

#include <catch2/catch.hpp>

namespace ss::session {

namespace pb = streamspace::session::v1;

TEST_CASE("platform defaults come from the environment and are validated") {
  const pb::PlatformConfig defaults =
      PlatformDefaults(core::Config::FromValues(PlatformConfigVariables(), {}));
  CHECK(defaults.default_idle_timeout() == "30m");
  CHECK(defaults.default_max_session_duration() == "8h");
  CHECK(defaults.ingress_domain() == "streamspace.local");
  CHECK(defaults.home_size() == "10Gi");
  CHECK(defaults.startup_timeout() == "5m");
  CHECK_FALSE(defaults.delete_home_with_session());
  CHECK(CheckPlatformConfig(defaults).ok());
  CHECK_THROWS_AS(PlatformDefaults(
                      core::Config::FromValues(PlatformConfigVariables(), {{"HOME_SIZE", "lots"}})),
                  core::ConfigError);
}

TEST_CASE("an update changes only the fields it carries, each validated") {
  pb::PlatformConfig base =
      PlatformDefaults(core::Config::FromValues(PlatformConfigVariables(), {}));
  pb::UpdateConfigRequest update;
  update.set_ingress_domain("apps.example.org");
  update.set_delete_home_with_session(true);
  const pb::PlatformConfig merged = Merged(base, update);
  CHECK(merged.ingress_domain() == "apps.example.org");
  CHECK(merged.delete_home_with_session());
  CHECK(merged.default_idle_timeout() == "30m");

  for (auto set : std::vector<std::function<void(pb::UpdateConfigRequest&)>>{
           [](auto& u) { u.set_default_idle_timeout("forever"); },
           [](auto& u) { u.set_default_max_session_duration("-1h"); },
           [](auto& u) { u.set_ingress_domain("Not A Domain"); },
           [](auto& u) { u.set_ingress_class("a b"); },
           [](auto& u) { u.set_storage_class("UPPER"); },
           [](auto& u) { u.set_home_size("0"); },
           [](auto& u) { u.set_startup_timeout("0s"); },
       }) {
    pb::UpdateConfigRequest bad;
    set(bad);
    CHECK(CheckPlatformConfig(Merged(base, bad)).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
  }
}

}  // namespace ss::session
