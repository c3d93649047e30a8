#include "version_info.h"

namespace ss::gateway {

std::string_view ProjectVersion() {
  return SS_PROJECT_VERSION;
}

std::string_view GitCommit() {
  return SS_GIT_COMMIT;
}

}  // namespace ss::gateway
