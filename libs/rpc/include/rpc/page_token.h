// The one page-token format of every list (README.md, Routes). A token is opaque to
// clients and URL-safe: base64url without padding of the JSON array [1, value, ...], 1 being the
// format's version and the values where the list resumes, as text: the sort key of the last item
// served (a keyset cursor: {createdAt, id}) or the offset of the next item ({"50"}). Each list
// checks its own values after decoding, as it checks any other input.
#pragma once

#include <grpcpp/support/status.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss::rpc {

// Where a list resumes, as the values its token carries.
using PageCursor = std::vector<std::string>;

// The token of `cursor`, which must not be empty.
std::string EncodePageToken(const PageCursor& cursor);

// The cursor of a token made by EncodePageToken with `values` values; an empty cursor for the
// empty token (the first page). nullopt for any other token: not base64url, another version,
// another number of values, a value that is not text, or longer than 1024 characters.
std::optional<PageCursor> DecodePageToken(std::string_view token, std::size_t values);

// INVALID_ARGUMENT "pageToken is not valid": every list's answer to a token it did not make.
grpc::Status InvalidPageToken();

}  // namespace ss::rpc
