#include "descriptor_source.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

class CollectErrors : public pb::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename, const std::string& element_name, const pb::Message*,
                ErrorLocation, const std::string& message) override {
    errors_ += filename + ": " + element_name + ": " + message + "; ";
  }
  const std::string& errors() const { return errors_; }

 private:
  std::string errors_;
};

pb::FileDescriptorSet ReadDescriptorSet(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  pb::FileDescriptorSet set;
  if (!in || !set.ParseFromString(bytes.str())) {
    throw std::runtime_error("cannot read descriptor set " + path);
  }
  return set;
}

void AddServices(const pb::FileDescriptor& file,
                 std::vector<const pb::ServiceDescriptor*>* services) {
  for (int i = 0; i < file.service_count(); ++i)
    services->push_back(file.service(i));
}

}  // namespace

std::string TypeUrl(const pb::Descriptor* type) {
  std::string url = kTypeUrlPrefix;
  url += '/';
  url += type->full_name();
  return url;
}

DescriptorSource::DescriptorSource(const std::vector<std::string>& descriptor_set_files)
    : generated_database_(
          std::make_unique<pb::DescriptorPoolDatabase>(*pb::DescriptorPool::generated_pool())),
      loaded_database_(std::make_unique<pb::SimpleDescriptorDatabase>()),
      merged_database_(std::make_unique<pb::MergedDescriptorDatabase>(generated_database_.get(),
                                                                      loaded_database_.get())),
      generated_resolver_(pb::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, pb::DescriptorPool::generated_pool())) {
  factory_.SetDelegateToGeneratedFactory(true);

  // The generated pool cannot list its files; its database can (the linked protos).
  std::vector<std::string> linked_files;
  pb::DescriptorPool::internal_generated_database()->FindAllFileNames(&linked_files);
  for (const auto& name : linked_files) {
    if (const auto* file = pb::DescriptorPool::generated_pool()->FindFileByName(name)) {
      AddServices(*file, &services_);
    }
  }

  // Files of a set that are also linked (options.proto, google/api/...) resolve to the linked
  // copy; the others are built into a pool of their own, on top of the linked ones.
  std::vector<std::string> loaded_files;
  std::set<std::string> seen;
  for (const auto& path : descriptor_set_files) {
    const auto set = ReadDescriptorSet(path);
    for (const auto& file : set.file()) {
      if (pb::DescriptorPool::generated_pool()->FindFileByName(file.name()) != nullptr ||
          !seen.insert(file.name()).second) {
        continue;
      }
      if (!loaded_database_->Add(file)) {
        throw std::runtime_error("conflicting file " + file.name() + " in " + path);
      }
      loaded_files.push_back(file.name());
    }
  }
  if (loaded_files.empty())
    return;
  CollectErrors errors;
  loaded_pool_ = std::make_unique<pb::DescriptorPool>(merged_database_.get(), &errors);
  for (const auto& name : loaded_files) {
    const auto* file = loaded_pool_->FindFileByName(name);
    if (file == nullptr)
      throw std::runtime_error("cannot build " + name + ": " + errors.errors());
    AddServices(*file, &services_);
  }
  loaded_resolver_.reset(
      pb::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, loaded_pool_.get()));
}

DescriptorSource::~DescriptorSource() = default;

const pb::Message* DescriptorSource::Prototype(const pb::Descriptor* type) {
  return factory_.GetPrototype(type);
}

pb::util::TypeResolver* DescriptorSource::ResolverFor(const pb::Descriptor* type) const {
  if (type->file()->pool() == pb::DescriptorPool::generated_pool()) {
    return generated_resolver_.get();
  }
  return loaded_resolver_.get();
}

}  // namespace ss::gateway
