#include "core/periodic.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

namespace ss::core {

using namespace std::chrono_literals;

TEST_CASE("a periodic task ticks at start and then every interval, and stops at once") {
  std::atomic<int> ticks{0};
  Periodic poll(20ms, [&] { ++ticks; });
  CHECK(ticks == 0);
  poll.Start();
  const auto began = std::chrono::steady_clock::now();
  while (ticks < 3 && std::chrono::steady_clock::now() - began < 5s)
    std::this_thread::sleep_for(1ms);
  CHECK(ticks >= 3);

  // Stop wakes the wait: it does not sit out a long interval.
  std::atomic<int> slow_ticks{0};
  Periodic slow(1h, [&] { ++slow_ticks; });
  slow.Start();
  while (slow_ticks == 0)
    std::this_thread::sleep_for(1ms);
  const auto stopping = std::chrono::steady_clock::now();
  slow.Stop();
  CHECK(std::chrono::steady_clock::now() - stopping < 1s);
  CHECK(slow_ticks == 1);
  // A second Stop, as the destructor makes after an explicit one, is harmless.
  slow.Stop();
}

}  // namespace ss::core
