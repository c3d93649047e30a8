// Graceful stop: block SIGTERM and SIGINT early in main, then wait for one of them.
#pragma once

namespace ss::core {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts afterwards.
// Call first thing in main.
void BlockShutdownSignals();

// Waits until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForShutdownSignal();

}  // namespace ss::core
