// The bearer token of every request: static, or a file re-read as the kubelet rotates it.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace ss::kube {

class BearerToken {
 public:
  BearerToken(std::string token, std::string file, std::chrono::milliseconds reread_interval);

  // The token to send now (empty: send none). Re-reads the file once the interval has passed.
  std::string Current();
  // After a 401 for a request sent with `sent`: re-read the file now. Returns true when the
  // token differs from `sent` (a retry is worth it).
  bool RereadAfterUnauthorized(const std::string& sent);

 private:
  std::string ReadLocked();

  std::mutex mutex_;
  std::string token_;
  const std::string file_;
  const std::chrono::milliseconds reread_interval_;
  std::chrono::steady_clock::time_point read_at_;
};

}  // namespace ss::kube
