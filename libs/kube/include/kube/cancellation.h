// Ends a blocking streamed call (watch, log follow) or list from another thread.
#pragma once

#include <functional>
#include <mutex>

namespace ss::kube {

// Shared by the thread running a call and the thread that wants it over. Cancel() is sticky:
// a call started after it ends at once.
class Cancellation {
 public:
  // Ends the running call (its Result is an Error with IsCancelled()) and any later one.
  void Cancel();
  bool IsCancelled() const;

  // For call implementations: runs `interrupt` on Cancel() while the returned guard lives (at
  // once when already cancelled). One call at a time per Cancellation.
  class Hook {
   public:
    Hook(Cancellation* owner, std::function<void()> interrupt);
    ~Hook();
    Hook(const Hook&) = delete;
    Hook& operator=(const Hook&) = delete;

   private:
    Cancellation* owner_;
  };

 private:
  mutable std::mutex mutex_;
  bool cancelled_ = false;
  std::function<void()> interrupt_;
};

}  // namespace ss::kube
