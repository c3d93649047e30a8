#include "validation.h"

#include "kube/names.h"
#include "rpc/page_token.h"
#include "rpc/validation.h"

namespace ss::nodes {
namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsAlnum(char c) {
  return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

using rpc::Invalid;

bool EndsWithDomain(std::string_view text, std::string_view domain) {
  if (text == domain)
    return true;
  return text.size() > domain.size() && text.substr(text.size() - domain.size()) == domain &&
         text[text.size() - domain.size() - 1] == '.';
}

}  // namespace

bool IsQualifiedName(std::string_view text) {
  if (text.empty() || text.size() > 63 || !IsAlnum(text.front()) || !IsAlnum(text.back()))
    return false;
  for (char c : text) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return true;
}

grpc::Status CheckNodeName(std::string_view name) {
  if (!kube::IsDnsSubdomain(name))
    return Invalid("name must be a node name (a DNS subdomain of at most 253 characters)");
  return grpc::Status::OK;
}

grpc::Status CheckNamespaceAndPod(std::string_view ns, std::string_view pod) {
  if (!kube::IsDnsLabel(ns))
    return Invalid("namespace must be a DNS label of at most 63 characters");
  if (!kube::IsDnsSubdomain(pod))
    return Invalid("pod must be a pod name (a DNS subdomain of at most 253 characters)");
  return grpc::Status::OK;
}

grpc::Status CheckLabelKey(std::string_view key, std::string_view field) {
  const size_t slash = key.find('/');
  std::string_view name = key;
  if (slash != std::string_view::npos) {
    const std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (!kube::IsDnsSubdomain(prefix)) {
      return Invalid(std::string(field) +
                     ": the prefix before '/' must be a DNS subdomain (lower-case alphanumerics, "
                     "'-' and '.', at most 253 characters)");
    }
  }
  if (!IsQualifiedName(name)) {
    return Invalid(std::string(field) +
                   ": the name must be 1-63 characters of [A-Za-z0-9._-], starting and ending "
                   "with an alphanumeric, with an optional DNS subdomain prefix and '/'");
  }
  return grpc::Status::OK;
}

grpc::Status CheckLabelValue(std::string_view value) {
  if (!value.empty() && !IsQualifiedName(value)) {
    return Invalid(
        "value must be empty or 1-63 characters of [A-Za-z0-9._-], starting and ending with an "
        "alphanumeric");
  }
  return grpc::Status::OK;
}

grpc::Status CheckTaintEffect(std::string_view effect) {
  if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute")
    return Invalid("effect must be NoSchedule, PreferNoSchedule or NoExecute");
  return grpc::Status::OK;
}

bool IsProtectedKey(std::string_view key) {
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos)
    return false;
  const std::string_view prefix = key.substr(0, slash);
  return EndsWithDomain(prefix, "kubernetes.io") || EndsWithDomain(prefix, "k8s.io");
}

grpc::Status CheckWritableKey(std::string_view key) {
  if (grpc::Status status = CheckLabelKey(key); !status.ok())
    return status;
  if (IsProtectedKey(key)) {
    return Invalid(
        "key: the prefixes kubernetes.io/ and k8s.io/ (and their subdomains) are "
        "managed by Kubernetes");
  }
  return grpc::Status::OK;
}

std::string KeyFromPath(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '%' && i + 2 < key.size() && key[i + 1] == '2' &&
        (key[i + 2] == 'F' || key[i + 2] == 'f')) {
      out.push_back('/');
      i += 2;
    } else {
      out.push_back(key[i]);
    }
  }
  return out;
}

std::string EncodePageToken(std::string_view last_name) {
  return rpc::EncodePageToken({std::string(last_name)});
}

bool DecodePageToken(std::string_view token, std::string* last_name) {
  last_name->clear();
  const auto cursor = rpc::DecodePageToken(token, 1);
  if (!cursor || cursor->empty())
    return cursor.has_value();
  *last_name = cursor->front();
  return kube::IsDnsSubdomain(*last_name);
}

}  // namespace ss::nodes
