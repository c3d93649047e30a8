// Type checks that protobuf's JSON parser leaves out. Protobuf 3.21 takes "yes", "t" or "1" for a
// bool field; the canonical JSON mapping allows only true and false, and a lenient reading of a
// flag such as `disabled` is a security bug, so the gateway refuses such bodies first.
#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/status.h>

#include <string_view>

namespace ss::gateway {

// True when `type`, or a message nested in it, has a bool field: only those bodies need the check.
bool HasBoolFields(const google::protobuf::Descriptor& type);

// INVALID_ARGUMENT naming the field when a bool field of `type` (at any depth) holds anything but
// true, false or null. The body must already be known to be valid JSON.
grpc::Status CheckBoolFields(const google::protobuf::Descriptor& type, std::string_view body);

}  // namespace ss::gateway
