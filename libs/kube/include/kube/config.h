// Where the API server is and how to authenticate: in-cluster service account or kubeconfig.
#pragma once

#include <chrono>
#include <string>

#include "kube/error.h"

namespace ss::kube {

// Everything a Client needs to reach one API server.
struct Config {
  std::string server;           // https://host:port[/prefix] (http:// for a plain emulator)
  std::string ca_pem;           // trusted CAs; empty trusts the system roots
  std::string client_cert_pem;  // client certificate chain (optional)
  std::string client_key_pem;   // its private key
  std::string token;            // static bearer token (kubeconfig `token`)
  std::string token_file;       // bearer token file, re-read as it rotates and after a 401
  bool insecure_skip_tls_verify = false;
  std::string default_namespace = "default";

  // Every non-streaming call ends after this long.
  std::chrono::milliseconds request_timeout{10'000};
  // Connect, TLS handshake and response header of a streamed call (watch, log follow).
  std::chrono::milliseconds stream_connect_timeout{10'000};
  // How often a token file is re-read even without a 401 (the kubelet rotates it).
  std::chrono::milliseconds token_reread_interval{60'000};
  // 429/503 answers with Retry-After are retried this many times, waiting at most
  // `max_retry_after` each time.
  int max_retries = 3;
  std::chrono::milliseconds max_retry_after{10'000};
};

// The standard service-account mount.
inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

// In-cluster configuration: KUBERNETES_SERVICE_HOST/PORT, `<dir>/token` (kept as a file so it is
// re-read), `<dir>/ca.crt`, `<dir>/namespace`.
Result<Config> InClusterConfig(const std::string& service_account_dir = kServiceAccountDir);

// Configuration from kubeconfig files: `paths` is a colon-separated list merged the way kubectl
// does (the first file to set a name or current-context wins). `context` empty means the
// current-context. Relative file references are relative to the file that names them.
Result<Config> KubeconfigConfig(const std::string& paths, const std::string& context = {});

// KUBECONFIG when set; else in-cluster when KUBERNETES_SERVICE_HOST is set; else
// ~/.kube/config.
Result<Config> LoadConfig();

}  // namespace ss::kube
