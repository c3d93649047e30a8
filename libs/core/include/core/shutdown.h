// Graceful stop: block SIGTERM and SIGINT early in main, then wait for one of them.
#pragma once

#include <string_view>

namespace ss::core {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts afterwards.
// Call first thing in main.
void BlockShutdownSignals();

// Waits until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForShutdownSignal();

// True once WaitForShutdownSignal() has returned: the process is stopping.
bool ShutdownRequested();

// A service binary's main(): BlockShutdownSignals(), then `run`; an exception that escapes it
// becomes one line on stderr ("<process>: <what>") and exit status 1.
int RunMain(std::string_view process, int argc, char** argv, int (*run)(int, char**));

}  // namespace ss::core
