#include "core/shutdown.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

#include "core/log.h"

namespace ss::core {
namespace {

std::atomic<bool> shutdown_requested{false};

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

}  // namespace

void BlockShutdownSignals() {
  const sigset_t signals = ShutdownSignals();
  const int error = pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  if (error != 0) {
    throw std::runtime_error(std::string("pthread_sigmask: ") + std::strerror(error));
  }
}

int WaitForShutdownSignal() {
  // sigwait needs the signals blocked in this thread; blocking again is harmless.
  BlockShutdownSignals();
  const sigset_t signals = ShutdownSignals();
  int signal = 0;
  const int error = sigwait(&signals, &signal);
  if (error != 0)
    throw std::runtime_error(std::string("sigwait: ") + std::strerror(error));
  shutdown_requested = true;
  return signal;
}

bool ShutdownRequested() {
  return shutdown_requested;
}

Config StartProcess(std::string_view program, std::string_view summary,
                    std::vector<Variable> variables, int argc, char** argv) {
  Config config = Config::Load(program, summary, std::move(variables), argc, argv);
  SetupLogging(program, config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));
  return config;
}

int RunMain(std::string_view process, int argc, char** argv, int (*run)(int, char**)) {
  BlockShutdownSignals();
  try {
    const int status = run(argc, argv);
    spdlog::info("{} stopped", process);
    return status;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(process.size()), process.data(), e.what());
    return 1;
  }
}

}  // namespace ss::core
