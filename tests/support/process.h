// Child processes for integration tests: a binary with explicit arguments and environment, its
// output in a log file, stopped by PID. A test that crashes leaves nothing behind: every child
// gets PR_SET_PDEATHSIG(SIGKILL), so keep a Process on the thread that created it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ss::test {

using Environment = std::map<std::string, std::string>;

// A user to run a child as (root tests run PostgreSQL as `postgres`).
struct Identity {
  uid_t uid;
  gid_t gid;
};

// The `postgres` account when the test runs as root and the account exists.
std::optional<Identity> PostgresIdentity();

// A fresh directory (mkdtemp) under TMPDIR or /tmp, named `<prefix>XXXXXX`.
std::filesystem::path MakeTempDir(const std::string& prefix);

// A MakeTempDir directory, removed with everything in it when this goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) : path_(MakeTempDir(prefix)) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A free loopback TCP port below the ephemeral range, never the same twice in one process.
int FreePort();

// The value of a variable that CMake sets for the test (a binary's path); throws if unset.
std::string RequiredEnv(const char* name);

// True when something accepts TCP connections on 127.0.0.1:port.
bool PortOpen(int port);

struct ProcessOptions {
  std::string binary;
  std::vector<std::string> args;
  // The child's whole environment: nothing is inherited.
  Environment env;
  // stdout and stderr are appended here.
  std::filesystem::path log_path;
  // Switch to this user before exec (after fork, before PR_SET_PDEATHSIG, which setuid clears).
  std::optional<Identity> run_as;
};

class Process {
 public:
  // Starts the child; throws std::runtime_error if it cannot be spawned.
  explicit Process(ProcessOptions options);
  // Stops the child if it still runs.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  const std::filesystem::path& log_path() const { return options_.log_path; }

  // True while the child has not exited.
  bool Running();

  // Sends `signal`, waits up to `grace`, then SIGKILL. Returns the wait status (as waitpid),
  // or the status collected earlier if it had already exited.
  int Stop(int signal = SIGTERM, std::chrono::milliseconds grace = std::chrono::seconds(10));

  // Waits until 127.0.0.1:port accepts connections; false on timeout or if the child exits.
  bool WaitForPort(int port, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Everything the child wrote so far.
  std::string LogContents() const;

 private:
  ProcessOptions options_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

// Reads a whole file (empty if it does not exist).
std::string ReadFile(const std::filesystem::path& path);

}  // namespace ss::test
