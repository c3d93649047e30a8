// Where the gateway's APIs come from: the descriptors linked into the binary plus descriptor set
// files (protoc --include_imports --descriptor_set_out) named at start-up, whose messages are
// dynamic. Owns what a request needs to turn JSON into a message of any of those types.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/type_resolver.h>

#include <memory>
#include <string>
#include <vector>

namespace ss::gateway {

class DescriptorSource {
 public:
  // Reads the FileDescriptorSet files; throws std::runtime_error if one cannot be read or built.
  explicit DescriptorSource(const std::vector<std::string>& descriptor_set_files);
  ~DescriptorSource();
  DescriptorSource(const DescriptorSource&) = delete;
  DescriptorSource& operator=(const DescriptorSource&) = delete;

  // Every service of the linked protos, then every service of the loaded files.
  const std::vector<const google::protobuf::ServiceDescriptor*>& services() const {
    return services_;
  }

  // The default instance of a message type of either pool (generated or dynamic).
  const google::protobuf::Message* Prototype(const google::protobuf::Descriptor* type);

  // A JSON type resolver for the pool that holds `type` (type URLs "type.googleapis.com/...").
  google::protobuf::util::TypeResolver* ResolverFor(const google::protobuf::Descriptor* type) const;

 private:
  std::unique_ptr<google::protobuf::DescriptorPoolDatabase> generated_database_;
  std::unique_ptr<google::protobuf::SimpleDescriptorDatabase> loaded_database_;
  std::unique_ptr<google::protobuf::MergedDescriptorDatabase> merged_database_;
  std::unique_ptr<google::protobuf::DescriptorPool> loaded_pool_;
  google::protobuf::DynamicMessageFactory factory_;
  std::unique_ptr<google::protobuf::util::TypeResolver> generated_resolver_;
  std::unique_ptr<google::protobuf::util::TypeResolver> loaded_resolver_;
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
};

// "type.googleapis.com/<full name>".
std::string TypeUrl(const google::protobuf::Descriptor* type);

}  // namespace ss::gateway
