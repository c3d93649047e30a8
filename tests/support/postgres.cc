#include "postgres.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>
#include <thread>

namespace ss::test {
namespace {

// Debian's server binaries (postgresql-NN), found by CMake: tests/CMakeLists.txt.
const char* const kPgBinDir = SS_PG_BIN_DIR;

std::string RandomSecret() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<int> pick(0, sizeof(kAlphabet) - 2);
  std::string secret;
  for (int i = 0; i < 32; ++i)
    secret.push_back(kAlphabet[pick(device)]);
  return secret;
}

void ChownTo(const std::filesystem::path& path, const std::optional<Identity>& owner) {
  if (owner && chown(path.c_str(), owner->uid, owner->gid) != 0) {
    throw std::runtime_error("chown " + path.string());
  }
}

// Runs a program to completion; throws with its output when it fails.
void RunToCompletion(ProcessOptions options) {
  Process process(options);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (process.Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int status = process.Stop();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(options.binary + " failed:\n" + process.LogContents());
  }
}

}  // namespace

PostgresInstance::PostgresInstance() : dir_("ss-pg-"), superuser_password_(RandomSecret()) {
  const auto owner = PostgresIdentity();
  const auto& dir = dir_.path();
  ChownTo(dir, owner);
  const auto data = dir / "data";
  const auto pwfile = dir / "pwfile";
  {
    std::ofstream out(pwfile);
    out << superuser_password_ << "\n";
  }
  ChownTo(pwfile, owner);
  const Environment env{{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
  RunToCompletion({std::string(kPgBinDir) + "/initdb",
                   {"-D", data.string(), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                    "--auth=scram-sha-256", "--pwfile=" + pwfile.string(), "--no-sync"},
                   env,
                   dir / "initdb.log",
                   owner});
  std::filesystem::remove(pwfile);

  port_ = FreePort();
  server_ = std::make_unique<Process>(ProcessOptions{
      std::string(kPgBinDir) + "/postgres",
      {"-D", data.string(), "-p", std::to_string(port_), "-k", dir.string(), "-c",
       "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
       "full_page_writes=off", "-c", "max_connections=200"},
      env,
      dir / "postgres.log",
      owner});

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string last_error;
  for (;;) {
    if (!server_->Running()) {
      throw std::runtime_error("postgres exited:\n" + server_->LogContents());
    }
    try {
      pqxx::connection connection("host=127.0.0.1 port=" + std::to_string(port_) +
                                  " user=postgres dbname=postgres password=" + superuser_password_);
      pqxx::nontransaction work(connection);
      work.exec("CREATE DATABASE " + database_);
      break;
    } catch (const std::exception& error) {
      last_error = error.what();
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("postgres did not accept connections: " + last_error + "\n" +
                               server_->LogContents());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// The directory goes with dir_, after server_ (declared later) is gone.
PostgresInstance::~PostgresInstance() {
  if (server_)
    server_->Stop(SIGINT);
}

std::string PostgresInstance::AdminConnInfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=" + database_ +
         " password=" + superuser_password_;
}

ServiceRole PostgresInstance::CreateServiceRole(const std::string& service) {
  ServiceRole role{service, RandomSecret(), service};
  pqxx::connection connection(AdminConnInfo());
  pqxx::nontransaction work(connection);
  const auto name = work.quote_name(service);
  if (work.exec("SELECT 1 FROM pg_roles WHERE rolname = " + work.quote(service)).empty()) {
    work.exec("CREATE ROLE " + name + " LOGIN");
  }
  work.exec("ALTER ROLE " + name + " WITH LOGIN PASSWORD " + work.quote(role.password));
  work.exec("GRANT CONNECT ON DATABASE " + work.quote_name(database_) + " TO " + name);
  work.exec("CREATE SCHEMA IF NOT EXISTS " + name + " AUTHORIZATION " + name);
  work.exec("ALTER ROLE " + name + " SET search_path = " + name);
  return role;
}

Environment PostgresInstance::ServiceEnvironment(const ServiceRole& role) const {
  return {{"DB_HOST", "127.0.0.1"},
          {"DB_PORT", std::to_string(port_)},
          {"DB_NAME", database_},
          {"DB_USER", role.user},
          {"DB_PASSWORD", role.password}};
}

std::string PostgresInstance::Query(const std::string& sql) const {
  pqxx::connection connection(AdminConnInfo());
  pqxx::nontransaction work(connection);
  std::string out;
  for (const auto& row : work.exec(sql)) {
    for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
      if (i > 0)
        out += '\t';
      out += row[i].is_null() ? "NULL" : row[i].c_str();
    }
    out += '\n';
  }
  return out;
}

}  // namespace ss::test
