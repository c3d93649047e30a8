// Tells the session service how many connections a session has (ReportActivity), off the
// handlers' threads: a change only marks the session, and one background thread sends the
// session's current numbers, read when it sends. Many changes in a row make one report; a report
// that fails for a passing reason is retried.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "connection_store.h"
#include "session_peer.h"

namespace ss::tracker {

class ActivityReporter {
 public:
  // The report for a session as it is now; nullopt if it cannot be read (retried later).
  using ReadActivity = std::function<std::optional<streamspace::session::v1::ReportActivityRequest>(
      const std::string& session_id)>;

  ActivityReporter(SessionPeerPtr peer, ReadActivity read,
                   std::chrono::milliseconds retry_after = std::chrono::seconds(1));
  // Stops the thread; reports still pending are dropped (the next sweep sends them).
  ~ActivityReporter();
  ActivityReporter(const ActivityReporter&) = delete;
  ActivityReporter& operator=(const ActivityReporter&) = delete;

  // The session's connections changed: report them soon.
  void Changed(const std::string& session_id);

  // Waits until nothing is pending or in flight (tests); false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  void Run();
  // Sends one report; false if it should be retried.
  bool Send(const std::string& session_id);

  SessionPeerPtr peer_;
  ReadActivity read_;
  std::chrono::milliseconds retry_after_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::set<std::string> pending_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

// The ReadActivity of a store: the session's open connections and its last activity as recorded.
ActivityReporter::ReadActivity ActivityFrom(ConnectionStore& store);

}  // namespace ss::tracker
