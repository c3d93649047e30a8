#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ss::test {
namespace {

std::runtime_error SystemError(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// In the child between fork and exec: only async-signal-safe calls, then _exit on failure.
[[noreturn]] void ExecChild(const ProcessOptions& options, int log_fd, pid_t parent,
                            char* const* argv, char* const* envp, const std::string& exec_failed) {
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
      dup2(log_fd, STDERR_FILENO) < 0) {
    _exit(126);
  }
  if (options.run_as) {
    if (setgroups(0, nullptr) != 0 || setgid(options.run_as->gid) != 0 ||
        setuid(options.run_as->uid) != 0) {
      _exit(126);
    }
  }
  // After setuid, which resets the parent-death signal.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
    _exit(126);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(options.binary.c_str(), argv, envp);
  // Say why in the log: an empty log of a process that never ran misleads whoever reads it.
  char digits[12];
  int length = 0;
  for (int error = errno; length == 0 || error > 0; error /= 10)
    digits[length++] = '0' + error % 10;
  [[maybe_unused]] auto ignored = write(STDERR_FILENO, exec_failed.data(), exec_failed.size());
  while (length > 0)
    ignored = write(STDERR_FILENO, &digits[--length], 1);
  ignored = write(STDERR_FILENO, "\n", 1);
  _exit(127);
}

}  // namespace

std::optional<Identity> PostgresIdentity() {
  if (geteuid() != 0)
    return std::nullopt;
  const passwd* account = getpwnam("postgres");
  if (account == nullptr)
    return std::nullopt;
  return Identity{account->pw_uid, account->pw_gid};
}

std::filesystem::path MakeTempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      (std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / (prefix + "XXXXXX"))
          .string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw SystemError("mkdtemp " + pattern);
  return pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: the binary was not built (see tests/CMakeLists.txt)");
  }
  return value;
}

int FreePort() {
  // Below Linux's ephemeral range (32768-60999): a port from bind(0) could be taken by the next
  // outgoing connection of any process (a service dialling PostgreSQL) before our server binds
  // it. A port handed out once in this process is never handed out again.
  static std::mutex mutex;
  static std::set<int> handed_out;
  static std::mt19937 engine{std::random_device{}()};
  std::uniform_int_distribution<int> pick(20000, 32767);
  const std::lock_guard lock(mutex);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = pick(engine);
    if (handed_out.count(port) != 0)
      continue;
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      throw SystemError("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    close(fd);
    if (free && !PortOpen(port)) {
      handed_out.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free loopback port in 20000-32767");
}

bool PortOpen(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool open = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return open;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

Process::Process(ProcessOptions options) : options_(std::move(options)) {
  std::vector<std::string> argv_storage{options_.binary};
  argv_storage.insert(argv_storage.end(), options_.args.begin(), options_.args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (const auto& [name, value] : options_.env)
    env_storage.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_storage)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int log_fd =
      open(options_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0)
    throw SystemError("open " + options_.log_path.string());
  const std::string exec_failed = "exec " + options_.binary + " failed: errno ";
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    close(log_fd);
    throw SystemError("fork");
  }
  if (pid_ == 0)
    ExecChild(options_, log_fd, parent, argv.data(), envp.data(), exec_failed);
  close(log_fd);
}

Process::~Process() {
  Stop();
}

bool Process::Running() {
  if (exit_status_)
    return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_status_ = status;
    return false;
  }
  return true;
}

int Process::Stop(int signal, std::chrono::milliseconds grace) {
  if (!Running())
    return *exit_status_;
  kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (Running()) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_status_ = status;
  }
  return *exit_status_;
}

bool Process::WaitForPort(int port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running())
      return false;
    if (PortOpen(port))
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string Process::LogContents() const {
  return ReadFile(options_.log_path);
}

}  // namespace ss::test
