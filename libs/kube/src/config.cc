#include "kube/config.h"

#include <cpprest/asyncrt_utils.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "core/text.h"

namespace ss::kube {
namespace {

namespace fs = std::filesystem;

Error ConfigError(std::string message) {
  return TransportError(Error::kReasonConfig, std::move(message));
}

std::string Trim(std::string text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text.substr(std::min(text.size(), text.find_first_not_of(" \t\r\n")));
}

std::optional<std::string> DecodeBase64(const std::string& data) {
  try {
    const auto bytes = utility::conversions::from_base64(Trim(data));
    return std::string(bytes.begin(), bytes.end());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// One kubeconfig's named maps, each entry remembered with the directory of its file.
struct NamedEntry {
  YAML::Node node;
  fs::path dir;
};

struct MergedKubeconfig {
  std::string current_context;
  std::map<std::string, NamedEntry> clusters;
  std::map<std::string, NamedEntry> users;
  std::map<std::string, NamedEntry> contexts;
};

void MergeNamed(const YAML::Node& list, const char* field, const fs::path& dir,
                std::map<std::string, NamedEntry>& into) {
  if (!list.IsSequence()) {
    return;
  }
  for (const auto& item : list) {
    if (item["name"] && item[field]) {
      into.try_emplace(item["name"].as<std::string>(), NamedEntry{item[field], dir});
    }
  }
}

std::string Field(const YAML::Node& node, const char* key) {
  return node[key] && node[key].IsScalar() ? node[key].as<std::string>() : std::string();
}

// Reads `<key>-data` (base64) or the file named by `<key>` (relative to the kubeconfig).
Result<std::string> DataOrFile(const NamedEntry& entry, const std::string& key) {
  if (const std::string data = Field(entry.node, (key + "-data").c_str()); !data.empty()) {
    auto decoded = DecodeBase64(data);
    if (!decoded) {
      return ConfigError(key + "-data is not valid base64");
    }
    return *decoded;
  }
  const std::string file = Field(entry.node, key.c_str());
  if (file.empty()) {
    return std::string();
  }
  const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : entry.dir / file;
  auto content = core::ReadFile(path);
  if (!content) {
    return ConfigError("cannot read " + key + " file " + path.string());
  }
  return *content;
}

Result<Config> FromMerged(const MergedKubeconfig& merged, const std::string& wanted_context) {
  const std::string context_name = wanted_context.empty() ? merged.current_context : wanted_context;
  if (context_name.empty()) {
    return ConfigError("kubeconfig has no current-context");
  }
  const auto context = merged.contexts.find(context_name);
  if (context == merged.contexts.end()) {
    return ConfigError("kubeconfig has no context " + context_name);
  }
  const auto cluster = merged.clusters.find(Field(context->second.node, "cluster"));
  if (cluster == merged.clusters.end()) {
    return ConfigError("kubeconfig context " + context_name + " names an unknown cluster");
  }
  Config config;
  config.server = Field(cluster->second.node, "server");
  if (config.server.empty()) {
    return ConfigError("kubeconfig cluster has no server");
  }
  config.insecure_skip_tls_verify =
      Field(cluster->second.node, "insecure-skip-tls-verify") == "true";
  auto ca = DataOrFile(cluster->second, "certificate-authority");
  if (!ca) {
    return ca.error();
  }
  config.ca_pem = std::move(ca.value());
  if (const std::string ns = Field(context->second.node, "namespace"); !ns.empty()) {
    config.default_namespace = ns;
  }
  const std::string user_name = Field(context->second.node, "user");
  if (user_name.empty()) {
    return config;
  }
  const auto user = merged.users.find(user_name);
  if (user == merged.users.end()) {
    return ConfigError("kubeconfig context " + context_name + " names an unknown user");
  }
  auto cert = DataOrFile(user->second, "client-certificate");
  auto key = DataOrFile(user->second, "client-key");
  if (!cert) {
    return cert.error();
  }
  if (!key) {
    return key.error();
  }
  if (cert->empty() != key->empty()) {
    return ConfigError("kubeconfig user needs both client-certificate and client-key");
  }
  config.client_cert_pem = std::move(cert.value());
  config.client_key_pem = std::move(key.value());
  config.token = Field(user->second.node, "token");
  if (const std::string file = Field(user->second.node, "tokenFile"); !file.empty()) {
    config.token_file = fs::path(file).is_absolute() ? file : (user->second.dir / file).string();
  }
  return config;
}

}  // namespace

Result<Config> InClusterConfig(const std::string& service_account_dir) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || *host == '\0' || port == nullptr || *port == '\0') {
    return ConfigError("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
  }
  const fs::path dir(service_account_dir);
  Config config;
  const std::string host_text(host);
  const bool ipv6 = host_text.find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + host_text + "]" : host_text) + ":" + port;
  config.token_file = (dir / "token").string();
  if (!core::ReadFile(config.token_file)) {
    return ConfigError("cannot read service account token " + config.token_file);
  }
  auto ca = core::ReadFile(dir / "ca.crt");
  if (!ca) {
    return ConfigError("cannot read service account CA " + (dir / "ca.crt").string());
  }
  config.ca_pem = std::move(*ca);
  if (auto ns = core::ReadFile(dir / "namespace"); ns && !Trim(*ns).empty()) {
    config.default_namespace = Trim(*ns);
  }
  return config;
}

Result<Config> KubeconfigConfig(const std::string& paths, const std::string& context) {
  MergedKubeconfig merged;
  bool any = false;
  std::stringstream list(paths);
  for (std::string path; std::getline(list, path, ':');) {
    if (path.empty() || !fs::exists(path)) {
      continue;
    }
    YAML::Node root;
    try {
      root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
      return ConfigError("cannot parse kubeconfig " + path + ": " + e.what());
    }
    any = true;
    const fs::path dir = fs::absolute(path).parent_path();
    if (merged.current_context.empty()) {
      merged.current_context = Field(root, "current-context");
    }
    MergeNamed(root["clusters"], "cluster", dir, merged.clusters);
    MergeNamed(root["users"], "user", dir, merged.users);
    MergeNamed(root["contexts"], "context", dir, merged.contexts);
  }
  if (!any) {
    return ConfigError("no kubeconfig file found in " + paths);
  }
  return FromMerged(merged, context);
}

Result<Config> LoadConfig() {
  if (const char* kubeconfig = std::getenv("KUBECONFIG"); kubeconfig != nullptr && *kubeconfig) {
    return KubeconfigConfig(kubeconfig);
  }
  if (const char* host = std::getenv("KUBERNETES_SERVICE_HOST"); host != nullptr && *host) {
    return InClusterConfig();
  }
  const char* home = std::getenv("HOME");
  return KubeconfigConfig((fs::path(home == nullptr ? "" : home) / ".kube" / "config").string());
}

}  // namespace ss::kube
