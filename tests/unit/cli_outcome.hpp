// Helpers several unit test files share: the command line run in-process with its output
// captured, and a journal or store file read back with plain SQLite.
#pragma once

#include <sqlite3.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace si::test {

struct Outcome {
  int code;
  std::string out, err;
};

// `store-inspector ARGS...` in this process; `gui` stands in for the window.
inline Outcome cli(const std::vector<std::string>& args, si::cli::GuiEntry gui = nullptr) {
  std::ostringstream out, err;
  const int code = si::cli::run(args, gui, out, err);
  return {code, out.str(), err.str()};
}

// The first column of every row `sql` returns, joined by "|"; "<error>" if it cannot run.
inline std::string queryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out = "<error>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
      out.clear();
      while (sqlite3_step(st) == SQLITE_ROW) {
        if (!out.empty()) out += "|";
        const unsigned char* t = sqlite3_column_text(st, 0);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

}  // namespace si::test
