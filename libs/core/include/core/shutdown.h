// Graceful stop: block SIGTERM and SIGINT early in main, then wait for one of them.
#pragma once

#include <string_view>
#include <vector>

#include "core/config.h"

namespace ss::core {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts afterwards.
// Call first thing in main.
void BlockShutdownSignals();

// Waits until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForShutdownSignal();

// True once WaitForShutdownSignal() has returned: the process is stopping.
bool ShutdownRequested();

// The start of a process's run: its configuration (Config::Load, which answers --help), then
// logging as LOG_LEVEL and LOG_FORMAT say.
Config StartProcess(std::string_view program, std::string_view summary,
                    std::vector<Variable> variables, int argc, char** argv);

// A service binary's main(): BlockShutdownSignals(), then `run`, then a log line "<process>
// stopped" once everything `run` made has stopped in its destructor; an exception that escapes it
// becomes one line on stderr ("<process>: <what>") and exit status 1.
int RunMain(std::string_view process, int argc, char** argv, int (*run)(int, char**));

}  // namespace ss::core
