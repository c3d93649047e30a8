#include "core/shutdown.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

TEST_CASE("a blocked SIGTERM is delivered to WaitForShutdownSignal") {
  ss::core::BlockShutdownSignals();
  // The sender starts after the block and inherits it, so the signal stays pending for sigwait.
  std::thread sender([] { kill(getpid(), SIGTERM); });
  CHECK(ss::core::WaitForShutdownSignal() == SIGTERM);
  sender.join();
  kill(getpid(), SIGINT);
  CHECK(ss::core::WaitForShutdownSignal() == SIGINT);
}
