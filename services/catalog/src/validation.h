// Input rules of the catalog API, each a grpc::Status (INVALID_ARGUMENT with a clear message).
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <string>

#include "rpc/validation.h"

namespace ss::catalog {

// pageSize (0 = default, at most 500) and a page token carrying the offset (rpc/page_token.h).
grpc::Status PageBounds(int page_size, const std::string& page_token, int* offset, int* limit);
// The token of the page after `offset` + `limit`, or "" when `total` ends before.
std::string NextPageToken(int offset, int limit, int total);

// https://host/path, or file:// and absolute paths when `allow_local`; never credentials in the
// URL (they go in the secret).
grpc::Status CheckRepositoryUrl(const std::string& url, bool allow_local);
// A branch name git accepts: [A-Za-z0-9._/-], no "..", not starting with '-' or '/'.
grpc::Status CheckBranch(const std::string& branch);

}  // namespace ss::catalog
