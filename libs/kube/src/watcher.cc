#include "kube/watcher.h"

#include <random>

#include "rest_transport.h"

namespace ss::kube {

Watcher::Watcher(Client& client, ResourceRef ref, WatcherOptions options, WatchHandler& handler)
    : client_(client), ref_(std::move(ref)), options_(std::move(options)), handler_(handler) {}

Watcher::~Watcher() {
  Stop();
}

void Watcher::Start() {
  if (!thread_.joinable() && !stopping_) {
    thread_ = std::thread([this] { Run(); });
  }
}

void Watcher::Stop() {
  stopping_ = true;
  cancellation_.Cancel();
  if (thread_.joinable()) {
    thread_.join();
  }
}

std::string Watcher::ResourceVersion() const {
  std::lock_guard lock(mutex_);
  return resource_version_;
}

Watcher::Stats Watcher::GetStats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Watcher::SetResourceVersion(const nlohmann::json& object) {
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) {
    return;
  }
  if (std::string version = metadata->value("resourceVersion", ""); !version.empty()) {
    std::lock_guard lock(mutex_);
    resource_version_ = std::move(version);
  }
}

void Watcher::Run() {
  std::mt19937 random(std::random_device{}());
  bool need_list = true;
  auto backoff = options_.min_backoff;
  const auto wait = [&] {
    const auto jitter = std::uniform_int_distribution<long>(0, backoff.count() / 5)(random);
    SleepUnlessCancelled(backoff + std::chrono::milliseconds(jitter), &cancellation_);
    backoff = std::min(backoff * 2, options_.max_backoff);
  };
  while (!stopping_) {
    if (need_list) {
      if (auto listed = ListAll(); !listed) {
        if (!stopping_) {
          handler_.OnError(listed.error());
          wait();
        }
        continue;
      }
      need_list = false;
    }
    bool gone = false;
    bool progressed = false;
    const auto started = std::chrono::steady_clock::now();
    auto watched = WatchOnce(gone, progressed);
    if (stopping_) {
      break;
    }
    if (progressed) {
      backoff = options_.min_backoff;
    }
    if (gone) {
      std::lock_guard lock(mutex_);
      ++stats_.gone;
      need_list = true;  // our version fell out of the server's window: start over
      continue;
    }
    if (!watched) {
      handler_.OnError(watched.error());
      wait();
    } else if (!progressed &&
               std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
      wait();  // a server ending watches at once must not make us spin
    }
  }
}

Result<void> Watcher::ListAll() {
  {
    std::lock_guard lock(mutex_);
    ++stats_.lists;
  }
  handler_.OnListStart();
  ListOptions options;
  options.label_selector = options_.label_selector;
  options.field_selector = options_.field_selector;
  options.limit = options_.page_size;
  options.cancellation = &cancellation_;
  std::string version;
  do {
    auto page = client_.List(ref_, options_.ns, options);
    if (!page) {
      return page.error();
    }
    if (version.empty()) {
      version = page->resource_version;  // every page belongs to the first page's snapshot
    }
    for (const auto& item : page->items) {
      handler_.OnEvent(WatchEventType::kAdded, item);
    }
    options.continue_token = std::move(page->continue_token);
  } while (!options.continue_token.empty() && !stopping_);
  {
    std::lock_guard lock(mutex_);
    resource_version_ = version;
  }
  handler_.OnSynced();
  return {};
}

Result<void> Watcher::WatchOnce(bool& gone, bool& progressed) {
  WatchOptions options;
  options.label_selector = options_.label_selector;
  options.field_selector = options_.field_selector;
  options.resource_version = ResourceVersion();
  options.timeout_seconds = options_.watch_timeout_seconds;
  {
    std::lock_guard lock(mutex_);
    ++stats_.watches;
  }
  std::optional<Error> stream_error;
  auto result = client_.Watch(
      ref_, options_.ns, options,
      [&](WatchEvent& event) {
        if (event.type == WatchEventType::kError) {
          const int code = event.object.value("code", 500);
          stream_error = ErrorFromResponse(code, event.object.dump());
          return false;
        }
        progressed = true;
        SetResourceVersion(event.object);
        if (event.type != WatchEventType::kBookmark) {
          {
            std::lock_guard lock(mutex_);
            ++stats_.events;
          }
          handler_.OnEvent(event.type, event.object);
        }
        return !stopping_.load();
      },
      &cancellation_);
  if (stream_error) {
    result = *stream_error;
  }
  if (!result && result.error().IsGone()) {
    gone = true;
  }
  return result;
}

}  // namespace ss::kube
