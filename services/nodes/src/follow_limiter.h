// Caps the streams of one kind open at once (pod log follows, metrics watches), per user and in
// total: each one holds a thread of the synchronous gRPC server, so without a cap one user could
// take them all.
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace ss::nodes {

class FollowLimiter {
 public:
  // One admitted follow; gives its place back when destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class FollowLimiter;
    Slot(FollowLimiter* limiter, std::string user) : limiter_(limiter), user_(std::move(user)) {}
    void Release();

    FollowLimiter* limiter_ = nullptr;
    std::string user_;
  };

  // `what` names the streams in refusals ("pod log follows").
  FollowLimiter(int per_user, int total, std::string what)
      : per_user_(per_user), total_(total), what_(std::move(what)) {}

  // OK and a held slot, or RESOURCE_EXHAUSTED when `user` or everyone is at the limit.
  grpc::Status Acquire(const std::string& user, Slot* slot);

  int open() const;

 private:
  void Release(const std::string& user);

  const int per_user_;
  const int total_;
  const std::string what_;
  mutable std::mutex mutex_;
  std::map<std::string, int> by_user_;
  int open_ = 0;
};

}  // namespace ss::nodes
