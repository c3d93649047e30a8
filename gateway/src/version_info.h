// What this build is: the project version and, when the build knew it, the git commit.
#pragma once

#include <string_view>

namespace ss::gateway {

std::string_view ProjectVersion();
// Empty when the build was made outside a git checkout.
std::string_view GitCommit();

}  // namespace ss::gateway
