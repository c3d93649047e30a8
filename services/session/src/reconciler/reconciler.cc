#include "reconciler.h"

#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <set>

#include "kube/json_read.h"
#include "kube/watcher.h"
#include "metrics/registry.h"
#include "reconcile_queue.h"
#include "session_sync.h"
#include "workload.h"

namespace ss::session {
namespace {

using kube::Child;
using kube::MetaString;
using kube::StringAt;
using nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* kLeaseName = "session-reconciler";
// How often the worker looks up from the queue (leadership lost, stop, resync due).
constexpr milliseconds kPoll{200};
constexpr milliseconds kMinBackoff{500};
constexpr milliseconds kMaxBackoff{30'000};
// A startup deadline is checked a little after it passes.
constexpr milliseconds kDeadlineSlack{100};

struct ReconcilerMetrics {
  metrics::Gauge& leading;
  metrics::Counter& succeeded;
  metrics::Counter& failed;
  metrics::Histogram& seconds;
  metrics::Gauge& queued;
};

ReconcilerMetrics& Metrics() {
  static ReconcilerMetrics instance = [] {
    auto& registry = metrics::Registry::Default();
    const char* total = "session_reconciles_total";
    const char* total_help = "Reconciles of one session, by result.";
    return ReconcilerMetrics{
        registry.GetGauge("session_reconciler_leading",
                          "1 while this replica holds the Lease and reconciles.", {}),
        registry.GetCounter(total, total_help, {{"result", "ok"}}),
        registry.GetCounter(total, total_help, {{"result", "error"}}),
        registry.GetHistogram("session_reconcile_seconds", "Time one session's reconcile took.",
                              {}),
        registry.GetGauge("session_reconcile_queue", "Sessions waiting to be reconciled.", {})};
  }();
  return instance;
}

std::string Label(const json& object, const char* key) {
  return StringAt(Child(Child(object, "metadata"), "labels"), key);
}

std::string Name(const json& object) {
  return MetaString(object, "name");
}

}  // namespace

std::vector<core::Variable> ReconcilerVariables() {
  return {
      {"RECONCILE_RESYNC", "30s",
       "Every session is reconciled again this often, whatever the watches say."},
      {"LEASE_DURATION", "15s",
       "The reconciler's Lease (session-reconciler): another replica takes over a leader that has "
       "not renewed it for this long."},
      {"LEASE_RENEW_DEADLINE", "10s",
       "A leader that cannot renew its Lease within this stops reconciling (less than "
       "LEASE_DURATION)."},
      {"LEASE_RETRY_PERIOD", "2s", "How often the Lease is renewed, or tried for."},
      {"POD_NAME", "", "This replica's name in the Lease (host name and pid when empty)."},
      {"RECONCILE_STEP_DELAY", "0s",
       "Tests only: a pause after each object a reconcile writes, so that a test can stop the "
       "service between two of them."},
  };
}

ReconcilerOptions ReconcilerOptionsFrom(const core::Config& config, std::string ns) {
  ReconcilerOptions options;
  options.ns = std::move(ns);
  options.identity = config.Get("POD_NAME");
  options.resync = config.GetDuration("RECONCILE_RESYNC");
  options.lease_duration = config.GetDuration("LEASE_DURATION");
  options.renew_deadline = config.GetDuration("LEASE_RENEW_DEADLINE");
  options.retry_period = config.GetDuration("LEASE_RETRY_PERIOD");
  options.step_delay = config.GetDuration("RECONCILE_STEP_DELAY");
  if (options.resync < std::chrono::seconds(1)) {
    throw core::ConfigError("RECONCILE_RESYNC must be at least 1s");
  }
  if (options.retry_period <= milliseconds::zero() ||
      options.retry_period >= options.renew_deadline ||
      options.renew_deadline >= options.lease_duration) {
    throw core::ConfigError(
        "leader election needs 0 < LEASE_RETRY_PERIOD < LEASE_RENEW_DEADLINE < LEASE_DURATION");
  }
  return options;
}

// One leadership term: watches (Sessions; the Deployments, Services, Ingresses and Pods labelled
// with a session; events of pods) that queue session names, and the one worker that reconciles
// them, until leadership ends.
class Reconciler::Term {
 public:
  Term(kube::Client& client, const ReconcilerOptions& options,
       const PlatformConfigSource& platform_config, std::function<bool()> keep)
      : options_(options),
        platform_config_(platform_config),
        keep_(std::move(keep)),
        sync_(client, {options.ns, options.step_delay}, [this] { return !keep_(); }),
        sessions_(*this, Source::kSession),
        labelled_(*this, Source::kLabel),
        pods_(*this, Source::kPod),
        events_(*this, Source::kEvent),
        watchers_{Watch(client, kube::resources::kSessions, "", sessions_),
                  Watch(client, kube::resources::kDeployments, kSessionLabel, labelled_),
                  Watch(client, kube::resources::kServices, kSessionLabel, labelled_),
                  Watch(client, kube::resources::kIngresses, kSessionLabel, labelled_),
                  Watch(client, kube::resources::kPods, kSessionLabel, pods_),
                  Watch(client, kube::resources::kEvents, "", events_, "involvedObject.kind=Pod")} {
  }

  void Run() {
    for (auto& watcher : watchers_) {
      watcher->Start();
    }
    Metrics().leading.Set(1);
    auto resync_at = std::chrono::steady_clock::now() + options_.resync;
    while (keep_()) {
      const auto name = queue_.Next(kPoll);
      Metrics().queued.Set(static_cast<double>(queue_.size()));
      if (std::chrono::steady_clock::now() >= resync_at) {
        for (const auto& session : Sessions()) {
          queue_.Add(session);
        }
        resync_at = std::chrono::steady_clock::now() + options_.resync;
      }
      if (name) {
        Reconcile(*name);
      }
    }
    for (auto& watcher : watchers_) {
      watcher->Stop();
    }
    Metrics().leading.Set(0);
    Metrics().queued.Set(0);
  }

 private:
  enum class Source { kSession, kLabel, kPod, kEvent };

  // Turns what a watch sees into queued session names.
  class Feed final : public kube::WatchHandler {
   public:
    Feed(Term& term, Source source) : term_(term), source_(source) {}
    void OnListStart() override { term_.ListStart(source_); }
    void OnEvent(kube::WatchEventType type, const json& object) override {
      term_.Seen(source_, type, object);
    }
    void OnSynced() override { term_.Synced(source_); }
    void OnError(const kube::Error& error) override {
      spdlog::debug("reconciler watch: {}", error.ToString());
    }

   private:
    Term& term_;
    const Source source_;
  };

  std::unique_ptr<kube::Watcher> Watch(kube::Client& client, const kube::ResourceRef& ref,
                                       const char* label, Feed& feed, const char* field = "") {
    kube::WatcherOptions options;
    options.ns = options_.ns;
    options.label_selector = label;
    options.field_selector = field;
    return std::make_unique<kube::Watcher>(client, ref, options, feed);
  }

  void ListStart(Source source) {
    std::lock_guard lock(mutex_);
    if (source == Source::kSession) {
      listed_.clear();
    }
  }

  void Seen(Source source, kube::WatchEventType type, const json& object) {
    std::string session;
    {
      std::lock_guard lock(mutex_);
      const bool gone = type == kube::WatchEventType::kDeleted;
      switch (source) {
        case Source::kSession:
          session = Name(object);
          listed_.insert(session);
          if (gone) {
            sessions_known_.erase(session);
          } else {
            sessions_known_.insert(session);
          }
          break;
        case Source::kLabel:
          session = Label(object, kSessionLabel);
          break;
        case Source::kPod:
          session = Label(object, kSessionLabel);
          if (gone) {
            pod_sessions_.erase(Name(object));
          } else {
            pod_sessions_[Name(object)] = session;
          }
          break;
        case Source::kEvent: {
          const auto it = pod_sessions_.find(StringAt(Child(object, "involvedObject"), "name"));
          if (it != pod_sessions_.end()) {
            session = it->second;
          }
          break;
        }
      }
    }
    if (!session.empty()) {
      queue_.Add(session);
    }
  }

  // After a re-list, sessions not listed again are gone: queue them once more so that nothing
  // of theirs is missed (their objects go with them by ownerReference).
  void Synced(Source source) {
    if (source != Source::kSession) {
      return;
    }
    std::vector<std::string> gone;
    {
      std::lock_guard lock(mutex_);
      for (auto it = sessions_known_.begin(); it != sessions_known_.end();) {
        if (listed_.contains(*it)) {
          ++it;
        } else {
          gone.push_back(*it);
          it = sessions_known_.erase(it);
        }
      }
    }
    for (const auto& name : gone) {
      queue_.Add(name);
    }
  }

  std::vector<std::string> Sessions() {
    std::lock_guard lock(mutex_);
    return {sessions_known_.begin(), sessions_known_.end()};
  }

  void Reconcile(const std::string& name) {
    const auto started = std::chrono::steady_clock::now();
    auto result = sync_.Run(name, platform_config_());
    Metrics().seconds.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    (result ? Metrics().succeeded : Metrics().failed).Inc();
    if (result) {
      backoff_.erase(name);
      if (*result) {
        queue_.AddAfter(name, **result + kDeadlineSlack);
      }
      return;
    }
    if (result.error().IsCancelled()) {
      return;
    }
    milliseconds& backoff = backoff_[name];
    backoff = std::min(kMaxBackoff, std::max(kMinBackoff, backoff * 2));
    // A conflict only means someone wrote in between: read again at once.
    if (result.error().IsConflict()) {
      backoff = kMinBackoff;
    }
    spdlog::warn("session {}: reconcile failed, again in {} ms: {}", name, backoff.count(),
                 result.error().ToString());
    queue_.AddAfter(name, backoff);
  }

  const ReconcilerOptions& options_;
  const PlatformConfigSource& platform_config_;
  const std::function<bool()> keep_;
  ReconcileQueue queue_;
  SessionSync sync_;
  std::map<std::string, milliseconds> backoff_;
  std::mutex mutex_;
  std::set<std::string> sessions_known_;
  std::set<std::string> listed_;
  std::map<std::string, std::string> pod_sessions_;
  Feed sessions_;
  // Deployments, Services and Ingresses: their session label names the session.
  Feed labelled_;
  Feed pods_;
  Feed events_;
  std::array<std::unique_ptr<kube::Watcher>, 6> watchers_;
};

Reconciler::Reconciler(kube::Client& client, ReconcilerOptions options,
                       PlatformConfigSource platform_config)
    : client_(client),
      options_(std::move(options)),
      platform_config_(std::move(platform_config)),
      elector_(client_,
               {options_.ns, kLeaseName, options_.identity, options_.lease_duration,
                options_.renew_deadline, options_.retry_period},
               {[this] {
                  std::lock_guard lock(mutex_);
                  lead_ = true;
                  wake_.notify_all();
                },
                [this] {
                  std::lock_guard lock(mutex_);
                  lead_ = false;
                  wake_.notify_all();
                }}) {}

Reconciler::~Reconciler() {
  Stop();
}

void Reconciler::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) {
    return;
  }
  thread_ = std::thread([this] { Run(); });
  elector_.Start();
}

void Reconciler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // The work ends first, then the Lease is given up: a successor never overlaps with us.
  if (thread_.joinable()) {
    thread_.join();
  }
  elector_.Stop();
}

bool Reconciler::leading() const {
  return elector_.leading();
}

void Reconciler::Run() {
  const auto keep = [this] {
    std::lock_guard lock(mutex_);
    return lead_ && !stopping_;
  };
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return lead_ || stopping_; });
      if (stopping_) {
        return;
      }
    }
    spdlog::info("reconciler: leading, reconciling sessions in {}", options_.ns);
    Term(client_, options_, platform_config_, keep).Run();
    spdlog::info("reconciler: not leading, reconciling stopped");
  }
}

}  // namespace ss::session
