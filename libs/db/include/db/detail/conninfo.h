// libpq keyword/value connection strings, written and read without libpq itself (ss_db links
// libpqxx only).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace ss::db::detail {

// 'value' with backslashes and single quotes escaped, as libpq reads it.
std::string QuoteConnValue(std::string_view value);

// The keyword = value pairs of a conninfo string; unparsable input gives what was read so far.
std::map<std::string, std::string> ParseConnInfo(std::string_view conninfo);

}  // namespace ss::db::detail
