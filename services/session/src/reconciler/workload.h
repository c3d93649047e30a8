// What a Session runs as: its Deployment, Service, Ingress and the user's home PVC, built from the
// Session, its Template and the platform config. Pure functions; the reconciler writes them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

inline constexpr const char* kSessionLabel = "streamspace.io/session";
// A digest of what the reconciler declared for an object: a different one means drift.
inline constexpr const char* kSpecHashAnnotation = "streamspace.io/spec-hash";
// The volume (and volumeMount name) of the user's home.
inline constexpr const char* kHomeVolume = "home";
// Where the home is mounted when the Template does not mount a volume named `home` itself.
inline constexpr const char* kDefaultHomePath = "/home/streamspace";
// The one container of a session's pod.
inline constexpr const char* kContainerName = "session";

// The Session as the controller owner of what is made from it (garbage-collected with it).
nlohmann::json OwnerReference(const nlohmann::json& session);

// True when `object` has an ownerReference to a Session other than `session` as its controller
// (left over from an earlier Session of the same name).
bool OwnedByAnother(const nlohmann::json& object, const nlohmann::json& session);

// 1 replica when spec.state is running, 0 otherwise; pods labelled with the session and user;
// the Template's image, ports, env and volumeMounts; the session's resources as requests and
// limits (the Template's defaults where the Session names none); the home PVC when
// persistentHome.
nlohmann::json BuildDeployment(const nlohmann::json& session, const nlohmann::json& tmpl);

// The Template's container ports (or its webapp/vnc ports); nullopt when it declares none.
std::optional<nlohmann::json> BuildService(const nlohmann::json& session,
                                           const nlohmann::json& tmpl);

// Host {session}.{ingress_domain} to the Service's web port, with the configured class; nullopt
// without ports or without an ingress domain.
std::optional<nlohmann::json> BuildIngress(const nlohmann::json& session,
                                           const nlohmann::json& tmpl,
                                           const streamspace::session::v1::PlatformConfig& config);

// home-{user}: ReadWriteOnce, home_size, storage_class; no ownerReference (it is the user's).
nlohmann::json BuildHomeClaim(const nlohmann::json& session,
                              const streamspace::session::v1::PlatformConfig& config);

// `existing` (as the API server returned it) differs from `desired` in what the reconciler
// declares: the spec digest, the replicas, the container image, or the owner.
bool Drifted(const nlohmann::json& existing, const nlohmann::json& desired);

// `existing` with what the reconciler declares taken from `desired` (labels, the digest
// annotation, ownerReferences, the spec; for a Service only its selector and ports, keeping
// what the API server assigned), ready for a conditional replace.
nlohmann::json Corrected(const nlohmann::json& existing, const nlohmann::json& desired);

}  // namespace ss::session
