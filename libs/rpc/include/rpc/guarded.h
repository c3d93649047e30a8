// A handler's body run so that no exception leaves it: a database that cannot be reached answers
// UNAVAILABLE, anything else INTERNAL, and the log gets the first line of the error only (Postgres
// puts the failing row, which may hold user data, in the lines after it).
#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <pqxx/except>
#include <string_view>

#include "db/pool.h"

namespace ss::rpc {

inline std::string_view FirstLine(std::string_view text) {
  return text.substr(0, text.find('\n'));
}

template <typename Fn>
grpc::Status Guarded(std::string_view method, Fn&& fn) {
  try {
    return fn();
  } catch (const db::Unavailable& e) {
    spdlog::error("{}: {}", method, FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "database unavailable");
  } catch (const pqxx::broken_connection& e) {
    spdlog::error("{}: {}", method, FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "database unavailable");
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
}

}  // namespace ss::rpc
