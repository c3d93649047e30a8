#include "manifest.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "kube/names.h"
#include "template_schema.h"

namespace ss::catalog {
namespace {

using nlohmann::json;

class Converter {
 public:
  explicit Converter(const ManifestLimits& limits) : limits_(limits) {}

  json Convert(const YAML::Node& node, int depth) {
    if (++nodes_ > limits_.max_nodes) {
      throw std::runtime_error("more than " + std::to_string(limits_.max_nodes) +
                               " YAML nodes (aliases expanded)");
    }
    if (depth > limits_.max_depth) {
      throw std::runtime_error("nested deeper than " + std::to_string(limits_.max_depth) +
                               " levels");
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar:
        return Scalar(node);
      case YAML::NodeType::Sequence: {
        json array = json::array();
        for (const auto& item : node)
          array.push_back(Convert(item, depth + 1));
        return array;
      }
      case YAML::NodeType::Map: {
        json object = json::object();
        for (const auto& pair : node) {
          if (!pair.first.IsScalar())
            throw std::runtime_error("a mapping key that is not a scalar");
          object[pair.first.Scalar()] = Convert(pair.second, depth + 1);
        }
        return object;
      }
    }
    return nullptr;
  }

 private:
  // Plain scalars take YAML 1.2's core types; quoted ones ("!" tag) stay strings.
  static json Scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!")
      return text;
    if (text == "true" || text == "True" || text == "TRUE")
      return true;
    if (text == "false" || text == "False" || text == "FALSE")
      return false;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
      return nullptr;
    if (text.find_first_not_of("0123456789+-") == std::string::npos && text.size() < 18) {
      char* end = nullptr;
      errno = 0;
      const long long value = std::strtoll(text.c_str(), &end, 10);
      if (errno == 0 && end != nullptr && *end == '\0')
        return value;
    }
    return text;
  }

  const ManifestLimits& limits_;
  std::size_t nodes_ = 0;
};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string DocumentPath(const std::string& path, size_t index, size_t count) {
  return count > 1 ? path + "#" + std::to_string(index + 1) : path;
}

}  // namespace

bool IsTemplateApiVersion(std::string_view api_version) {
  return api_version == "stream.streamspace.io/v1alpha1" || api_version == "stream.space/v1alpha1";
}

bool IsManifestPath(std::string_view path) {
  return EndsWith(path, ".yaml") || EndsWith(path, ".yml");
}

std::vector<json> YamlDocuments(std::string_view text, const ManifestLimits& limits) {
  if (text.size() > limits.max_file_bytes) {
    throw std::runtime_error("larger than " + std::to_string(limits.max_file_bytes) + " bytes");
  }
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion&) {
    throw std::runtime_error("nested deeper than the YAML parser allows");
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("malformed YAML: " + e.msg + " (line " +
                             std::to_string(e.mark.line + 1) + ")");
  }
  // One converter for the whole file: the node bound covers every document together.
  Converter converter(limits);
  std::vector<json> documents;
  for (const auto& node : nodes)
    documents.push_back(converter.Convert(node, 0));
  return documents;
}

ParsedManifests ParseManifestFile(const std::string& path, std::string_view content,
                                  const ManifestLimits& limits) {
  ParsedManifests parsed;
  std::vector<json> documents;
  try {
    documents = YamlDocuments(content, limits);
  } catch (const std::exception& e) {
    parsed.skipped.push_back({path, e.what()});
    return parsed;
  }
  documents.erase(std::remove_if(documents.begin(), documents.end(),
                                 [](const json& document) { return document.is_null(); }),
                  documents.end());
  if (documents.empty()) {
    parsed.skipped.push_back({path, "empty file"});
    return parsed;
  }
  for (size_t i = 0; i < documents.size(); ++i) {
    json& document = documents[i];
    const std::string where = DocumentPath(path, i, documents.size());
    const auto skip = [&](const std::string& reason) { parsed.skipped.push_back({where, reason}); };
    if (!document.is_object()) {
      skip("not a Template (not a mapping)");
      continue;
    }
    const json kind = document.value("kind", json());
    if (!kind.is_string()) {
      skip("not a Template (no kind)");
      continue;
    }
    if (kind != "Template") {
      skip("not a Template (kind " + kind.get<std::string>() + ")");
      continue;
    }
    const json api_version = document.value("apiVersion", json());
    if (!api_version.is_string() || !IsTemplateApiVersion(api_version.get<std::string>())) {
      skip("unsupported apiVersion " +
           (api_version.is_string() ? api_version.get<std::string>() : std::string("(none)")));
      continue;
    }
    const json metadata = document.value("metadata", json::object());
    const json name = metadata.is_object() ? metadata.value("name", json()) : json();
    if (!name.is_string() || !kube::IsDnsLabel(name.get<std::string>())) {
      skip("metadata.name must be a DNS label (lower-case letters, digits, '-'; 63 at most)");
      continue;
    }
    json spec = document.value("spec", json());
    if (!spec.is_object()) {
      skip("spec: must be an object");
      continue;
    }
    NormalizeCatalogSpec(spec);
    if (auto problem = CheckTemplateSpec(spec)) {
      skip(*problem);
      continue;
    }
    parsed.templates.push_back({name.get<std::string>(), where, std::move(spec)});
  }
  return parsed;
}

}  // namespace ss::catalog
