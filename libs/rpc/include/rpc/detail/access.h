// The parts of rpc::Call that read only the call's metadata, apart so that they can be tested
// without a live gRPC call.
#pragma once

#include <grpcpp/support/status.h>
#include <grpcpp/support/string_ref.h>

#include <map>
#include <string>
#include <string_view>

#include "authn/token.h"
#include "rpc/call.h"
#include "streamspace/api/v1/options.pb.h"

namespace ss::rpc::detail {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// Checks the bearer token of `metadata` against a method's access level and fills `principal`.
grpc::Status Authorize(streamspace::api::v1::Access access, const Metadata& metadata,
                       const authn::TokenVerifier& verifier, Principal* principal);

// The caller's x-request-id if it is 1-64 characters of [A-Za-z0-9._-], else a fresh one.
std::string RequestIdFrom(const Metadata& metadata);

// The gateway's x-client-address, else the gRPC peer.
std::string ClientAddressFrom(const Metadata& metadata, std::string_view peer);

}  // namespace ss::rpc::detail
