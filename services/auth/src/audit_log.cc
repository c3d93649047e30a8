#include "audit_log.h"

#include <fmt/format.h>

#include "core/rfc3339.h"
#include "rpc/page_token.h"
#include "rpc/validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

constexpr size_t kMaxBatch = 1000;
constexpr size_t kMaxId = 64;
constexpr size_t kMaxText = 1024;

std::optional<std::string> Given(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

bool ValidOutcome(const std::string& outcome) {
  return outcome == "ok" || outcome == "failed" || outcome == "pending";
}

// Trims what a service sends to the column limits it could exceed (messages, objects).
pb::AuditEvent Bounded(pb::AuditEvent event) {
  for (std::string* text : {event.mutable_object(), event.mutable_message(),
                            event.mutable_client_address(), event.mutable_method()}) {
    if (text->size() > kMaxText)
      text->resize(kMaxText);
  }
  if (!event.time().empty() && !core::ParseRfc3339(event.time()))
    event.clear_time();
  return event;
}

}  // namespace

std::vector<core::Variable> AuditVariables() {
  return {{"AUDIT_RETENTION_DAYS", "90", "Audit events older than this many days are deleted."}};
}

AuditOptions AuditOptionsFrom(const core::Config& config) {
  AuditOptions options;
  options.retention_days = config.GetInt("AUDIT_RETENTION_DAYS", 1);
  return options;
}

grpc::Status AuditLog::Record(const pb::RecordAuditRequest& request) {
  if (request.events_size() == 0)
    return grpc::Status::OK;
  if (static_cast<size_t>(request.events_size()) > kMaxBatch)
    return rpc::Invalid(fmt::format("at most {} events per call", kMaxBatch));
  std::vector<pb::AuditEvent> events;
  events.reserve(request.events_size());
  for (const pb::AuditEvent& event : request.events()) {
    if (event.id().empty() || event.id().size() > kMaxId)
      return rpc::Invalid(fmt::format("an event id must be 1-{} characters", kMaxId));
    if (!ValidOutcome(event.outcome()))
      return rpc::Invalid("outcome must be ok, failed or pending");
    if (event.service().empty() || event.method().empty())
      return rpc::Invalid("an event names its service and method");
    events.push_back(Bounded(event));
  }
  store_.Write(events);
  return grpc::Status::OK;
}

grpc::Status AuditLog::List(const pb::ListAuditEventsRequest& request,
                            pb::ListAuditEventsResponse* response) {
  int page_size = 0;
  if (grpc::Status status = rpc::CheckPageSize(request.page_size(), &page_size); !status.ok())
    return status;
  const auto cursor = rpc::DecodePageToken(request.page_token(), 2);
  if (!cursor || (!cursor->empty() && !core::ParseRfc3339((*cursor)[0])))
    return rpc::InvalidPageToken();
  AuditFilter filter;
  if (!request.user().empty()) {
    const auto username = rpc::NormalizeUsername(request.user());
    if (!username)
      return rpc::Invalid("user must be a username");
    filter.username = *username;
  }
  filter.method = Given(request.method());
  if (!request.outcome().empty() && !ValidOutcome(request.outcome()))
    return rpc::Invalid("outcome must be ok, failed or pending");
  filter.outcome = Given(request.outcome());
  if (request.object().size() > kMaxText)
    return rpc::Invalid("object is too long");
  filter.object = Given(request.object());
  for (const auto& [name, value, slot] : {std::tuple{"since", &request.since(), &filter.since},
                                          std::tuple{"until", &request.until(), &filter.until}}) {
    if (value->empty())
      continue;
    if (!core::ParseRfc3339(*value))
      return rpc::Invalid(fmt::format("{} must be an RFC 3339 time", name));
    *slot = *value;
  }
  std::optional<AuditCursor> after;
  if (!cursor->empty())
    after = AuditCursor{(*cursor)[0], (*cursor)[1]};
  AuditPage page = store_.List(filter, after, page_size);
  for (pb::AuditEvent& event : page.events)
    *response->add_events() = std::move(event);
  response->set_total(page.total);
  if (page.more && response->events_size() > 0) {
    const pb::AuditEvent& last = *response->events().rbegin();
    response->set_next_page_token(rpc::EncodePageToken({last.time(), last.id()}));
  }
  return grpc::Status::OK;
}

void AuditLog::Prune() {
  store_.PruneOlderThan(options_.retention_days);
}

}  // namespace ss::auth
