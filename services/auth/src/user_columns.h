// A User as the stores select it: the columns (a macro, so that statements stay compile-time
// constants) and the reader of such a row. Shared by UserStore and GroupStore (group members).
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "streamspace/auth/v1/auth.pb.h"

// Times travel as RFC 3339 in UTC, formatted by Postgres so the stores return wire values.
#define SS_AUTH_RFC3339(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
// Ten columns of auth.users, read by ReadUser.
#define SS_AUTH_USER_COLUMNS \
  "id::text, username, email, full_name, role, disabled, " SS_AUTH_RFC3339(      \
      "created_at") ", " SS_AUTH_RFC3339("last_login_at") ", provider, " SS_AUTH_RFC3339( \
      "updated_at")

namespace ss::auth {

inline constexpr int kUserColumns = 10;

// The user of a row that starts with SS_AUTH_USER_COLUMNS.
streamspace::auth::v1::User ReadUser(const pqxx::row& row);

// Appends the items of a comma-separated list made by string_agg (of names and ids, which hold no
// comma); "" has none.
void AppendCommaList(const std::string& text,
                     google::protobuf::RepeatedPtrField<std::string>* items);

}  // namespace ss::auth
