// Session custom resources <-> the API's Session message. The API writes spec (and only
// status.lastActivity); the reconciler owns the rest of status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

inline constexpr const char* kUserLabel = "streamspace.io/user";
inline constexpr const char* kUserIdLabel = "streamspace.io/user-id";

// One Session as the cache keeps it: the wire message plus what the wire does not show.
struct SessionRecord {
  streamspace::session::v1::Session session;
  // The owner's user id (label streamspace.io/user-id; empty for sessions made elsewhere).
  std::string user_id;
  std::string resource_version;
};

// The record of a Session resource as the API server returned it.
SessionRecord FromResource(const nlohmann::json& object);

// What CreateSession asks for, after validation and defaults.
struct SessionSpec {
  std::string name;
  std::string user;
  std::string user_id;
  std::string template_name;
  std::string cpu;
  std::string memory;
  bool persistent_home = false;
  std::string idle_timeout;
  std::string max_session_duration;
  std::vector<std::string> tags;
};

// A new Session resource (state running) with the owner's labels.
nlohmann::json NewResource(const SessionSpec& spec);

// A label value for a username: usernames may begin with `.` or `-`, label values may not.
std::string UserLabelValue(const std::string& username);

// resourceVersion `a` is newer than `b` (numeric when both are numbers, as the API server's
// etcd revisions are; any change otherwise).
bool NewerVersion(const std::string& a, const std::string& b);

}  // namespace ss::session
