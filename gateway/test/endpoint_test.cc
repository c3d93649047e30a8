// BuildEndpoints refuses, at start-up, a method whose gateway options cannot be served as
// declared.
#include "endpoint.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/text_format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "descriptor_source.h"

using namespace ss::gateway;
namespace pb = google::protobuf;

namespace {

// The start-up error of a service with one method whose options (text format of MethodOptions,
// after its access level) are `options`; "" when it is served.
std::string StartUpError(const std::string& options) {
  const std::string text = R"(
    name: "bad/v1/bad.proto" package: "bad.v1" syntax: "proto3"
    dependency: "google/api/annotations.proto" dependency: "streamspace/api/v1/options.proto"
    message_type { name: "Request"
      field { name: "query" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "query"
              options { [streamspace.api.v1.raw_query]: true } }
      field { name: "id" number: 2 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "id" } }
    message_type { name: "Response"
      field { name: "location" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL
              json_name: "location" }
      field { name: "size" number: 2 type: TYPE_INT32 label: LABEL_OPTIONAL json_name: "size" } }
    service { name: "Bad" options { [streamspace.api.v1.backend]: "bad" }
      method { name: "Call" input_type: ".bad.v1.Request" output_type: ".bad.v1.Response"
               options { [streamspace.api.v1.access]: PUBLIC )" +
                           options + "} } }";
  pb::FileDescriptorSet set;
  REQUIRE(pb::TextFormat::ParseFromString(text, set.add_file()));
  const auto path = std::filesystem::temp_directory_path() /
                    ("ss-endpoint-test-" + std::to_string(::getpid()) + ".desc");
  std::ofstream(path, std::ios::binary) << set.SerializeAsString();
  std::string error;
  try {
    DescriptorSource source({path.string()});
    BuildEndpoints(source);
  } catch (const EndpointError& refused) {
    error = refused.what();
  }
  std::filesystem::remove(path);
  return error;
}

}  // namespace

TEST_CASE("the browser sign-in options are checked at start-up") {
  CHECK(StartUpError(R"([google.api.http] { post: "/bad" body: "*" }
                        [streamspace.api.v1.form_body]: true
                        [streamspace.api.v1.cookie_credential]: true
                        [streamspace.api.v1.redirect] { location_field: "location" status: 303 })")
            .empty());
  CHECK(StartUpError(R"([google.api.http] { get: "/bad" }
                        [streamspace.api.v1.raw_response] { body_field: "location"
                                                            content_type: "text/plain" })")
            .empty());

  const std::pair<std::string, std::string> refused[] = {
      {R"([google.api.http] { get: "/bad" } [streamspace.api.v1.form_body]: true)",
       "bad.v1.Bad.Call: a form body needs the rule's body \"*\" and no raw_body"},
      {R"([google.api.http] { get: "/bad/{query}" })",
       "bad.v1.Bad.Call: raw_query field query is set by the path or the body"},
      {R"([google.api.http] { get: "/bad" }
          [streamspace.api.v1.redirect] { location_field: "location" status: 200 })",
       "bad.v1.Bad.Call: redirect status must be 301, 302, 303, 307 or 308"},
      {R"([google.api.http] { get: "/bad" }
          [streamspace.api.v1.redirect] { location_field: "size" status: 302 })",
       "bad.v1.Bad.Call: redirect location_field must name a string field"},
      {R"([google.api.http] { get: "/bad" }
          [streamspace.api.v1.raw_response] { body_field: "size" content_type: "text/plain" })",
       "bad.v1.Bad.Call: raw_response body_field must name a string or bytes field"},
      {R"([google.api.http] { get: "/bad" }
          [streamspace.api.v1.raw_response] { body_field: "location" })",
       "bad.v1.Bad.Call: raw_response needs a content_type of printable ASCII"},
      {R"([google.api.http] { get: "/bad" }
          [streamspace.api.v1.redirect] { location_field: "location" status: 302 }
          [streamspace.api.v1.raw_response] { body_field: "location" content_type: "text/plain" })",
       "bad.v1.Bad.Call: raw_response is for unary methods without response_body or redirect"},
  };
  for (const auto& [options, error] : refused) {
    INFO(options);
    CHECK(StartUpError(options) == error);
  }
}
