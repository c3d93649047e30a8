#include "session_directory.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/rfc3339.h"
#include "core/text.h"
#include "kube/grpc_status.h"
#include "kube/json_read.h"
#include "kube/names.h"
#include "names.h"
#include "rpc/page_token.h"
#include "rpc/validation.h"
#include "validation.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;
namespace tracker = streamspace::tracker::v1;
using nlohmann::json;

grpc::Status NotFound() {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "session not found");
}

grpc::Status NotListedYet() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "sessions are not listed yet; try again");
}

using rpc::Invalid;

// The user a request names in `named`, lower-cased (the caller when empty): the caller themself,
// or anyone for admins, operators and services; PERMISSION_DENIED for anyone else.
grpc::Status NamedUser(const rpc::Principal& caller, const std::string& named, std::string* user) {
  if (named.empty()) {
    *user = caller.username;
    return grpc::Status::OK;
  }
  const std::optional<std::string> normal = rpc::NormalizeUsername(named);
  if (!normal)
    return Invalid("user must be a username (1-32 characters of a-z, 0-9, '.', '_' and '-')");
  if (*normal != caller.username && !caller.privileged()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "only admins and operators may name another user");
  }
  *user = *normal;
  return grpc::Status::OK;
}

}  // namespace

std::vector<core::Variable> DirectoryVariables() {
  return {
      {"LAST_ACTIVITY_INTERVAL", "30s",
       "status.lastActivity of a session is written at most this often."},
      {"TRACKER_ADDR", "127.0.0.1:9003", "The tracker service (host:port)."},
  };
}

DirectoryOptions DirectoryOptionsFrom(const core::Config& config) {
  DirectoryOptions options;
  options.ns = config.Get("NAMESPACE");
  options.last_activity_interval =
      config.GetDuration("LAST_ACTIVITY_INTERVAL", std::chrono::milliseconds(100));
  return options;
}

SessionDirectory::SessionDirectory(kube::Client& client, SessionCache& cache, ConfigSource config,
                                   Tracker& tracker, ActivityStore* activity, Quotas& quotas,
                                   DirectoryOptions options)
    : client_(client),
      cache_(cache),
      config_(std::move(config)),
      tracker_(tracker),
      activity_(activity),
      quotas_(quotas),
      options_(std::move(options)) {}

grpc::Status SessionDirectory::Find(const rpc::Principal& caller, const std::string& id,
                                    SessionRecord* record) const {
  if (id.empty())
    return Invalid("name is required");
  if (!cache_.synced())
    return NotListedYet();
  auto found = cache_.Get(id);
  if (!found || (!caller.privileged() && found->session.user() != caller.username))
    return NotFound();
  *record = std::move(*found);
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::ListPage(const SessionQuery& base, const std::string& state,
                                        int page_size, const std::string& page_token,
                                        pb::ListSessionsResponse* response) const {
  if (!cache_.synced())
    return NotListedYet();
  SessionQuery query = base;
  if (!state.empty()) {
    if (grpc::Status status = CheckState(state); !status.ok())
      return status;
    query.state = state;
  }
  if (grpc::Status status = rpc::CheckPageSize(page_size, &query.limit); !status.ok())
    return status;
  if (!DecodePageToken(page_token, &query.after))
    return rpc::InvalidPageToken();
  SessionPage page = cache_.List(query);
  for (pb::Session& session : page.sessions)
    *response->add_sessions() = std::move(session);
  response->set_total(page.total);
  if (page.next)
    response->set_next_page_token(EncodePageToken(*page.next));
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::List(const rpc::Principal& caller,
                                    const pb::ListSessionsRequest& request,
                                    pb::ListSessionsResponse* response) const {
  SessionQuery query;
  if (grpc::Status status = NamedUser(caller, request.user(), &query.user); !status.ok())
    return status;
  // Without a `user`, privileged callers list everyone's sessions.
  if (request.user().empty() && caller.privileged())
    query.user.clear();
  return ListPage(query, request.state(), request.page_size(), request.page_token(), response);
}

grpc::Status SessionDirectory::ListOfUser(const rpc::Principal& caller,
                                          const pb::ListUserSessionsRequest& request,
                                          pb::ListSessionsResponse* response) const {
  const std::string& target = request.user_id();
  if (target.empty())
    return Invalid("userId is required");
  SessionQuery query;
  if (target == caller.user_id || core::AsciiLower(target) == caller.username) {
    query.user = caller.username;
  } else if (!caller.privileged()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
  } else {
    query.user = cache_.UsernameOf(target).value_or(core::AsciiLower(target));
  }
  return ListPage(query, request.state(), request.page_size(), request.page_token(), response);
}

grpc::Status SessionDirectory::Get(const rpc::Principal& caller, const std::string& id,
                                   pb::Session* session) const {
  SessionRecord record;
  if (grpc::Status status = Find(caller, id, &record); !status.ok())
    return status;
  *session = std::move(record.session);
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::TemplateDefaults(const std::string& name, std::string* cpu,
                                                std::string* memory) {
  auto found = client_.Get(kube::resources::kTemplates, options_.ns, name);
  if (!found) {
    if (found.error().IsNotFound())
      return Invalid("template \"" + name + "\" does not exist");
    return kube::ToGrpcStatus(found.error(), "template " + name);
  }
  const json& resources = kube::Child(kube::Child(*found, "spec"), "defaultResources");
  for (const char* part : {"requests", "limits"}) {
    const json& map = kube::Child(resources, part);
    if (cpu->empty())
      *cpu = kube::StringAt(map, "cpu");
    if (memory->empty())
      *memory = kube::StringAt(map, "memory");
  }
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::Create(const rpc::Principal& caller,
                                      const pb::CreateSessionRequest& request,
                                      pb::Session* session) {
  SessionSpec spec;
  if (grpc::Status status = NamedUser(caller, request.user(), &spec.user); !status.ok())
    return status;
  if (spec.user.empty())
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "a user is required");
  // The session service does not read users: the id label is known only for the caller's own.
  if (spec.user == caller.username)
    spec.user_id = caller.user_id;
  const pb::PlatformConfig config = config_();
  spec.template_name = request.template_();
  spec.cpu = request.resources().cpu();
  spec.memory = request.resources().memory();
  spec.persistent_home = request.has_persistent_home() ? request.persistent_home() : true;
  spec.idle_timeout =
      request.idle_timeout().empty() ? config.default_idle_timeout() : request.idle_timeout();
  spec.max_session_duration = request.max_session_duration().empty()
                                  ? config.default_max_session_duration()
                                  : request.max_session_duration();
  spec.tags.assign(request.tags().begin(), request.tags().end());
  for (const grpc::Status& status : {
           CheckTemplateName(spec.template_name),
           spec.cpu.empty() ? grpc::Status::OK : CheckCpu("resources.cpu", spec.cpu),
           spec.memory.empty() ? grpc::Status::OK : CheckMemory("resources.memory", spec.memory),
           CheckDuration("idleTimeout", spec.idle_timeout),
           CheckDuration("maxSessionDuration", spec.max_session_duration),
           CheckTags(spec.tags),
       }) {
    if (!status.ok())
      return status;
  }
  if (grpc::Status status = TemplateDefaults(spec.template_name, &spec.cpu, &spec.memory);
      !status.ok()) {
    return status;
  }
  spec.name = SessionName(spec.user, spec.template_name, RandomSuffix());
  return quotas_.AdmitCreate(
      spec.user, spec.name, spec.cpu, spec.memory, spec.persistent_home, [&](std::string* name) {
        for (int attempt = 0; attempt < options_.create_attempts; ++attempt) {
          if (attempt > 0)
            spec.name = SessionName(spec.user, spec.template_name, RandomSuffix());
          auto created = client_.Create(kube::resources::kSessions, options_.ns, NewResource(spec));
          if (created) {
            *session = cache_.ApplyCreated(*created);
            *name = spec.name;
            spdlog::info("session {} created for {} from template {}", spec.name, spec.user,
                         spec.template_name);
            return grpc::Status::OK;
          }
          if (!created.error().IsAlreadyExists())
            return kube::ToGrpcStatus(created.error(), "session " + spec.name);
        }
        return grpc::Status(grpc::StatusCode::ABORTED, "no free session name; try again");
      });
}

grpc::Status SessionDirectory::SetState(const std::string& owner, const std::string& id,
                                        const std::string& state, pb::Session* session) {
  if (state == kRunning) {
    return quotas_.AdmitWake(owner, id, [&] { return SetStateUnchecked(id, state, session); });
  }
  grpc::Status status = SetStateUnchecked(id, state, session);
  if (status.ok())
    quotas_.Forget(id);
  return status;
}

grpc::Status SessionDirectory::SetStateUnchecked(const std::string& id, const std::string& state,
                                                 pb::Session* session) {
  grpc::Status refused = grpc::Status::OK;
  auto stored = kube::UpdateWithRetry(
      client_, kube::resources::kSessions, options_.ns, id, [&](json& object) {
        json& spec = object["spec"];
        const std::string from = spec.value("state", std::string(kRunning));
        refused = CheckTransition(from, state);
        if (!refused.ok() || from == state)
          return false;
        spec["state"] = state;
        return true;
      });
  if (!refused.ok())
    return refused;
  if (!stored)
    return kube::ToGrpcStatus(stored.error(), "session " + id);
  *session = cache_.Apply(*stored);
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::Update(const rpc::Principal& caller,
                                      const pb::UpdateSessionRequest& request,
                                      pb::Session* session) {
  SessionRecord record;
  if (grpc::Status status = Find(caller, request.name(), &record); !status.ok())
    return status;
  if (!request.has_state()) {
    *session = std::move(record.session);
    return grpc::Status::OK;
  }
  if (grpc::Status status = CheckTransition(record.session.state(), request.state());
      !status.ok()) {
    return status;
  }
  if (record.session.state() == request.state()) {
    *session = std::move(record.session);
    return grpc::Status::OK;
  }
  return SetState(record.session.user(), request.name(), request.state(), session);
}

grpc::Status SessionDirectory::Delete(const rpc::Principal& caller, const std::string& id) {
  SessionRecord record;
  if (grpc::Status status = Find(caller, id, &record); !status.ok())
    return status;
  kube::DeleteOptions options;
  options.propagation_policy = "Background";
  auto deleted = client_.Delete(kube::resources::kSessions, options_.ns, id, options);
  if (!deleted && !deleted.error().IsNotFound())
    return kube::ToGrpcStatus(deleted.error(), "session " + id);
  spdlog::info("session {} of {} deleted", id, record.session.user());
  quotas_.Forget(id);
  if (grpc::Status closed = tracker_.CloseSession(id); !closed.ok()) {
    spdlog::warn("session {}: the tracker did not close its connections: {}", id,
                 closed.error_message());
  }
  const pb::PlatformConfig config = config_();
  if (config.delete_home_with_session() && record.session.persistent_home() &&
      !cache_.HomeInUse(record.session.user(), id)) {
    const std::string claim = HomeClaimName(record.session.user());
    auto removed = client_.Delete(kube::resources::kPersistentVolumeClaims, options_.ns, claim);
    if (!removed && !removed.error().IsNotFound())
      spdlog::warn("session {}: home {} not deleted: {}", id, claim, removed.error().ToString());
  }
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::Connect(const rpc::Principal& caller,
                                       const pb::ConnectSessionRequest& request,
                                       const std::string& client_address,
                                       pb::ConnectSessionResponse* response) {
  std::string connecting;
  if (!request.user().empty()) {
    if (grpc::Status status = NamedUser(caller, request.user(), &connecting); !status.ok())
      return status;
  }
  SessionRecord record;
  if (grpc::Status status = Find(caller, request.name(), &record); !status.ok())
    return status;
  pb::Session session = std::move(record.session);
  if (session.state() == kTerminated || session.status().phase() == "Terminated" ||
      session.status().phase() == "Failed") {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the session is " + (session.state() == kTerminated
                                                 ? std::string(kTerminated)
                                                 : core::AsciiLower(session.status().phase())));
  }
  const bool woken = session.state() == kHibernated;
  if (woken) {
    if (grpc::Status status = SetState(session.user(), session.name(), kRunning, &session);
        !status.ok())
      return status;
  }
  tracker::RecordConnectionRequest connect;
  connect.set_session_id(session.name());
  connect.set_user(connecting.empty() ? session.user() : connecting);
  connect.set_client_address(client_address);
  connect.set_user_agent(request.user_agent().substr(0, 512));
  connect.set_idle_timeout(session.idle_timeout());
  tracker::Connection connection;
  if (grpc::Status status = tracker_.RecordConnection(connect, &connection); !status.ok()) {
    spdlog::warn("session {}: the tracker did not record the connection: {}", session.name(),
                 status.error_message());
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection tracker is unavailable");
  }
  response->set_session_url(session.status().url().empty()
                                ? SessionUrl(session.name(), config_().ingress_domain())
                                : session.status().url());
  response->set_connection_id(connection.id());
  response->set_state(session.state());
  response->set_message(woken ? "Connection established; the hibernated session is starting."
                              : "Connection established.");
  *response->mutable_session() = std::move(session);
  return grpc::Status::OK;
}

grpc::Status SessionDirectory::ReportActivity(const pb::ReportActivityRequest& request) {
  if (!kube::IsDnsSubdomain(request.session_id()))
    return Invalid("sessionId is not a session name");
  if (request.active_connections() < 0)
    return Invalid("activeConnections must not be negative");
  if (!request.last_activity().empty() && !core::ParseRfc3339(request.last_activity()))
    return Invalid("lastActivity must be an RFC 3339 time");
  if (activity_ != nullptr) {
    activity_->Record(
        ActivityRow{request.session_id(), request.active_connections(), request.last_activity()});
  }
  pb::Session updated;
  if (!cache_.SetActivity(request.session_id(), request.active_connections(),
                          request.last_activity(), &updated)) {
    return NotFound();
  }
  if (!request.last_activity().empty())
    WriteLastActivity(request.session_id(), updated.status().last_activity());
  return grpc::Status::OK;
}

void SessionDirectory::WriteLastActivity(const std::string& id, const std::string& last_activity) {
  {
    std::lock_guard lock(activity_mutex_);
    const auto now = std::chrono::steady_clock::now();
    auto& written = last_activity_written_[id];
    if (written != std::chrono::steady_clock::time_point{} &&
        now - written < options_.last_activity_interval) {
      return;
    }
    written = now;
    if (last_activity_written_.size() > 2 * std::max<std::size_t>(cache_.size(), 64)) {
      std::erase_if(last_activity_written_,
                    [this](const auto& entry) { return !cache_.Get(entry.first).has_value(); });
    }
  }
  // Only status.lastActivity changes; the replace carries the version read, so a status the
  // reconciler wrote meanwhile is read again rather than overwritten.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto object = client_.Get(kube::resources::kSessions, options_.ns, id);
    if (!object) {
      if (!object.error().IsNotFound())
        spdlog::warn("session {}: lastActivity not written: {}", id, object.error().ToString());
      return;
    }
    json& status = (*object)["status"];
    if (!status.is_object())
      status = json::object();
    if (status.value("lastActivity", std::string()) >= last_activity)
      return;
    status["lastActivity"] = last_activity;
    auto replaced = client_.ReplaceStatus(kube::resources::kSessions, options_.ns, id, *object);
    if (replaced) {
      cache_.Apply(*replaced);
      return;
    }
    if (!replaced.error().IsConflict()) {
      spdlog::warn("session {}: lastActivity not written: {}", id, replaced.error().ToString());
      return;
    }
  }
}

grpc::Status SessionDirectory::Notify(const pb::NotifySessionRequest& request) {
  if (request.session_id().empty())
    return Invalid("sessionId is required");
  if (request.reason().size() > 64 || request.message().size() > 1024)
    return Invalid("reason or message is too long");
  if (!cache_.Warn(request.session_id(), request.reason(), request.message(),
                   request.seconds_left())) {
    return NotFound();
  }
  return grpc::Status::OK;
}

}  // namespace ss::session
