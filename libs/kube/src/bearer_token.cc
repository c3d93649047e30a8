#include "bearer_token.h"

#include <fstream>
#include <sstream>

namespace ss::kube {

BearerToken::BearerToken(std::string token, std::string file,
                         std::chrono::milliseconds reread_interval)
    : token_(std::move(token)), file_(std::move(file)), reread_interval_(reread_interval) {
  if (!file_.empty()) {
    std::lock_guard lock(mutex_);
    token_ = ReadLocked();
  }
}

std::string BearerToken::ReadLocked() {
  read_at_ = std::chrono::steady_clock::now();
  std::ifstream in(file_);
  if (!in) {
    return token_;  // a rotation in progress: keep the last token we had
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  return token;
}

std::string BearerToken::Current() {
  std::lock_guard lock(mutex_);
  if (!file_.empty() && std::chrono::steady_clock::now() - read_at_ >= reread_interval_) {
    token_ = ReadLocked();
  }
  return token_;
}

bool BearerToken::RereadAfterUnauthorized(const std::string& sent) {
  std::lock_guard lock(mutex_);
  if (file_.empty()) {
    return false;
  }
  token_ = ReadLocked();
  return token_ != sent;
}

}  // namespace ss::kube
