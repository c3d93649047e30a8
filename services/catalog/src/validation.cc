#include "validation.h"

#include <charconv>

#include "rpc/page_token.h"
#include "rpc/validation.h"

namespace ss::catalog {
namespace {

// A larger offset is no page of a real catalog, and offset + limit stays far from INT_MAX.
constexpr int kMaxPageOffset = 10'000'000;

using rpc::Invalid;

bool StartsWith(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

}  // namespace

grpc::Status PageBounds(int page_size, const std::string& page_token, int* offset, int* limit) {
  if (grpc::Status status = rpc::CheckPageSize(page_size, limit); !status.ok())
    return status;
  *offset = 0;
  const auto cursor = rpc::DecodePageToken(page_token, 1);
  if (!cursor)
    return rpc::InvalidPageToken();
  if (!cursor->empty()) {
    const std::string& text = cursor->front();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *offset);
    if (error != std::errc() || end != text.data() + text.size() || *offset < 0 ||
        *offset > kMaxPageOffset)
      return rpc::InvalidPageToken();
  }
  return grpc::Status::OK;
}

std::string NextPageToken(int offset, int limit, int total) {
  return offset + limit < total ? rpc::EncodePageToken({std::to_string(offset + limit)})
                                : std::string();
}

grpc::Status CheckRepositoryUrl(const std::string& url, bool allow_local) {
  if (url.empty() || url.size() > 2048)
    return Invalid("url is required (2048 characters at most)");
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7f)
      return Invalid("url must not contain spaces or control characters");
  }
  if (StartsWith(url, "https://")) {
    const std::string rest = url.substr(8);
    const std::string authority = rest.substr(0, rest.find('/'));
    if (authority.empty())
      return Invalid("url has no host");
    if (authority.find('@') != std::string::npos)
      return Invalid("url must not carry credentials: give them as authType and secret");
    return grpc::Status::OK;
  }
  if (StartsWith(url, "file://") || StartsWith(url, "/")) {
    if (!allow_local)
      return Invalid("local repositories are disabled (CATALOG_ALLOW_LOCAL_REPOS)");
    return grpc::Status::OK;
  }
  return Invalid("url must start with https://");
}

grpc::Status CheckBranch(const std::string& branch) {
  if (branch.empty() || branch.size() > 200 || branch.front() == '-' || branch.front() == '/' ||
      branch.back() == '/' || branch.find("..") != std::string::npos ||
      branch.find("//") != std::string::npos || branch.find("@{") != std::string::npos ||
      (branch.size() >= 5 && branch.substr(branch.size() - 5) == ".lock")) {
    return Invalid("branch is not a valid git branch name");
  }
  for (char c : branch) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok)
      return Invalid("branch is not a valid git branch name");
  }
  return grpc::Status::OK;
}

}  // namespace ss::catalog
