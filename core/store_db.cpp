// A store instance's database (SPEC 2.6). See store_db.hpp.
//
// [SECTION] helpers: identifiers, statements, error text
// [SECTION] open: store file, connection, schema, boot
// [SECTION] reading: query guards
// [SECTION] file names
// [SECTION] reading: memory, tables, query
#include "store_db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "sqlite_guard.hpp"

namespace si {

namespace {

// [SECTION] helpers: identifiers, statements, error text

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Closes a connection that open() has not handed over yet.
struct ConnectionGuard {
  sqlite3* db = nullptr;
  ~ConnectionGuard() {
    if (db) sqlite3_close_v2(db);
  }
  sqlite3* release() { return std::exchange(db, nullptr); }
};

// Copied at once: the next SQLite call may overwrite the connection's message.
std::string errmsg(sqlite3* db) {
  const char* m = sqlite3_errmsg(db);
  return m ? m : "unknown SQLite error";
}

// "name" with embedded double quotes doubled: safe for any name SQLite itself reports.
std::string quoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool isBlank(const char* begin, const char* end) {
  return std::all_of(begin, end, [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

struct Prepared {
  Stmt stmt;          // null when the text held no statement (only blanks or comments)
  bool more = false;  // more SQL follows the first statement
};

// Prepares the first statement of `sql` and reports whether another one follows it. A tail of
// blanks, comments and lone semicolons is not another statement.
Result<Prepared> prepareOne(sqlite3* db, std::string_view sql) {
  Prepared p;
  const char* begin = sql.data();
  const char* end = begin + sql.size();
  const char* tail = nullptr;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, begin, static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return Error{errmsg(db)};
  }
  p.stmt.reset(raw);
  if (!tail) tail = end;
  while (tail < end && !isBlank(tail, end)) {
    sqlite3_stmt* next = nullptr;
    const char* after = nullptr;
    int rc = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &next, &after);
    sqlite3_finalize(next);
    // Whatever follows and is not empty counts, even if it does not compile.
    if (rc != SQLITE_OK || next != nullptr || !after || after <= tail) {
      p.more = true;
      break;
    }
    tail = after;
  }
  return p;
}

// Runs a statement to completion, ignoring any rows it returns.
bool stepToDone(sqlite3_stmt* stmt) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  return rc == SQLITE_DONE;
}

Result<int> pragmaInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return Error{errmsg(db)};
  }
  Stmt stmt(raw);
  if (sqlite3_step(raw) != SQLITE_ROW) return Error{errmsg(db)};
  return sqlite3_column_int(raw, 0);
}

// [SECTION] open: store file, connection, schema, boot

Error notARegularFile(const std::string& path, const char* what) {
  return Error{"cannot open \"" + path + "\": it is " + what + "; a store file must be a regular file"};
}

// The file a File store opens. Whatever is already there must be a regular file: SQLite would
// follow a symlink (creating its target wherever it points) and block reading a FIFO.
Status checkStoreFile(const std::string& path) {
  std::error_code ec;
  const auto type = std::filesystem::symlink_status(path, ec).type();
  if (type == std::filesystem::file_type::not_found || type == std::filesystem::file_type::regular) {
    return success();
  }
  if (ec) return Error{"cannot open \"" + path + "\": " + ec.message()};
  using T = std::filesystem::file_type;
  const char* what = type == T::symlink     ? "a symbolic link"
                     : type == T::fifo      ? "a FIFO"
                     : type == T::directory ? "a directory"
                     : type == T::socket    ? "a socket"
                     : type == T::block     ? "a block device"
                     : type == T::character ? "a character device"
                                            : "not a regular file";
  return notARegularFile(path, what);
}

// directory/encodeStoreFileName(storeId), creating the directory; checked by checkStoreFile.
Result<std::string> storeFilePath(const std::string& directory, std::string_view storeId) {
  if (storeId.empty()) return Error{"an empty storeId has no store file"};
  const std::string name = encodeStoreFileName(storeId);
  // NAME_MAX on the file systems we run on; percent-encoding can triple a storeId's length.
  if (name.size() > 255) {
    return Error{"store file name is " + std::to_string(name.size()) +
                 " bytes once encoded, more than the 255 a file name may have"};
  }
  const std::filesystem::path dir =
      directory.empty() ? std::filesystem::path(".") : std::filesystem::path(directory);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create directory \"" + dir.string() + "\": " + ec.message()};
  std::string path = (dir / name).string();
  if (Status ok = checkStoreFile(path); !ok) return ok.error();
  return path;
}

// Opens and hardens the connection. A store file is opened without following a symlink, so
// one planted after checkStoreFile() still fails.
Status openConnection(ConnectionGuard& conn, const std::string& path, bool file) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | (file ? SQLITE_OPEN_NOFOLLOW : 0);
  if (sqlite3_open_v2(path.c_str(), &conn.db, flags, nullptr) != SQLITE_OK) {
    if (conn.db && sqlite3_extended_errcode(conn.db) == SQLITE_CANTOPEN_SYMLINK) {
      return notARegularFile(path, "a symbolic link");
    }
    std::string message = conn.db ? errmsg(conn.db) : "out of memory";
    return Error{"cannot open \"" + path + "\": " + message};
  }
  sqlite3_extended_result_codes(conn.db, 1);
  if (Status ok = hardenConnection(conn.db); !ok) {
    return Error{"cannot open \"" + path + "\": " + ok.message()};
  }
  // Another process (a second inspector, a parallel `run`) may be writing the same store file;
  // wait for its lock instead of failing the load with "database is locked".
  sqlite3_busy_timeout(conn.db, kStoreBusyTimeoutMs);
  // Opening is lazy: read the schema now so a file that is not a database fails here, by name.
  if (auto probe = pragmaInt(conn.db, "PRAGMA schema_version"); !probe) {
    return Error{"cannot open \"" + path + "\": " + probe.message()};
  }
  return success();
}

constexpr const char* kUnboundedHint = "is it unbounded (a recursive CTE without a LIMIT)?";

// Prepares one config statement under the guard; a refusal is the error, by name.
Result<Prepared> prepareConfig(sqlite3* db, ConfigSqlGuard& guard, std::string_view sql) {
  guard.reset();
  auto prepared = prepareOne(db, sql);
  if (!prepared && !guard.refusal().empty()) return Error{guard.refusal() + " is refused in config SQL"};
  return prepared;
}

// Runs a prepared config statement to completion within the step budget.
Status stepConfig(sqlite3* db, ConfigSqlGuard& guard, sqlite3_stmt* stmt) {
  guard.stepping();
  StepBudget budget(db);
  if (stepToDone(stmt)) return success();
  if (!guard.refusal().empty()) return Error{guard.refusal() + " is refused in config SQL"};
  if (budget.spent()) {
    return Error{"stopped after the step budget of " + std::to_string(statementStepBudget()) + " steps; " +
                 kUnboundedHint};
  }
  return Error{errmsg(db)};
}

Status createTable(sqlite3* db, ConfigSqlGuard& guard, const TableSpec& table) {
  const std::string where = "schema table " + quoteIdentifier(table.name) + ": ";
  if (!isSqlIdentifier(table.name)) return Error{where + "not a valid SQL identifier"};
  if (table.columns.empty()) return Error{where + "no columns"};
  std::string sql = "CREATE TABLE IF NOT EXISTS " + quoteIdentifier(table.name) + " (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const auto& [column, type] = table.columns[i];
    if (!isSqlIdentifier(column)) {
      return Error{where + "column " + quoteIdentifier(column) + ": not a valid SQL identifier"};
    }
    if (i > 0) sql += ", ";
    sql += quoteIdentifier(column);
    if (!type.empty()) sql += " " + type;
  }
  sql += ")";
  // The column type is config text; preparing one statement keeps it from smuggling in a second.
  auto prepared = prepareConfig(db, guard, sql);
  if (!prepared) return Error{where + prepared.message()};
  if (prepared->more) return Error{where + "a column type may not end the statement"};
  if (Status ok = stepConfig(db, guard, prepared->stmt.get()); !ok) return Error{where + ok.message()};
  return success();
}

const std::string* findParam(const BootParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string givenParams(const BootParams& params) {
  if (params.empty()) return "none";
  std::string out;
  for (const auto& p : params) {
    if (!out.empty()) out += ", ";
    out += ":" + p.first;
  }
  return out;
}

Status runBoot(sqlite3* db, ConfigSqlGuard& guard, size_t index, const std::string& sql,
               const BootParams& params) {
  const std::string where = "boot statement " + std::to_string(index) + ": ";
  auto prepared = prepareConfig(db, guard, sql);
  if (!prepared) return Error{where + prepared.message()};
  if (!prepared->stmt) return Error{where + "no SQL statement"};
  if (prepared->more) return Error{where + "more than one statement; give each its own entry"};
  sqlite3_stmt* stmt = prepared->stmt.get();
  const int count = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= count; ++i) {
    const char* raw = sqlite3_bind_parameter_name(stmt, i);
    if (!raw || raw[0] == '?') {
      return Error{where +
                   "positional parameters (?, ?NNN) are not supported; use a named one such as :storeId"};
    }
    const std::string_view name(raw);
    const std::string* value = findParam(params, name.substr(1));
    if (!value) {
      return Error{where + "no value for parameter " + std::string(name) + " (given: " + givenParams(params) +
                   ")"};
    }
    if (sqlite3_bind_text(stmt, i, value->data(), static_cast<int>(value->size()), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
      return Error{where + errmsg(db)};
    }
  }
  if (Status ok = stepConfig(db, guard, stmt); !ok) return Error{where + ok.message()};
  return success();
}

// [SECTION] reading: query guards

// Refuses, while a query is prepared, everything that would change the database or the connection.
// sqlite3_stmt_readonly() says yes to ATTACH, BEGIN and setting PRAGMAs; this says no.
struct QueryAuthorizer {
  std::string reason;         // the first refusal
  std::string internalWrite;  // the first write to one of SQLite's own tables, let through

  void refuse(std::string what) {
    if (reason.empty()) reason = std::move(what);
  }
};

// SQLite's own schema tables. A CREATE announces its row in sqlite_schema before its own check,
// and reading a pragma table-valued function announces an UPDATE of it. Such writes are let
// through and remembered: the statement's own check refuses a CREATE, and a statement that still
// writes once prepared is refused by sqlite3_stmt_readonly() with this reason.
bool isInternal(const char* object) { return object && std::strncmp(object, "sqlite_", 7) == 0; }

// Schema changes and other actions a query may never take, named in the refusal; objectArg is
// the authorizer argument (3 or 4) that names the object, 0 for none.
struct RefusedAction {
  int action;
  const char* verb;
  int objectArg;
};
constexpr RefusedAction kRefusedActions[] = {
    {SQLITE_CREATE_INDEX, "CREATE INDEX", 3},      {SQLITE_CREATE_TEMP_INDEX, "CREATE INDEX", 3},
    {SQLITE_CREATE_TABLE, "CREATE TABLE", 3},      {SQLITE_CREATE_TEMP_TABLE, "CREATE TABLE", 3},
    {SQLITE_CREATE_TRIGGER, "CREATE TRIGGER", 3},  {SQLITE_CREATE_TEMP_TRIGGER, "CREATE TRIGGER", 3},
    {SQLITE_CREATE_VIEW, "CREATE VIEW", 3},        {SQLITE_CREATE_TEMP_VIEW, "CREATE VIEW", 3},
    {SQLITE_CREATE_VTABLE, "CREATE VIRTUAL TABLE", 3},
    {SQLITE_DROP_INDEX, "DROP INDEX", 3},          {SQLITE_DROP_TEMP_INDEX, "DROP INDEX", 3},
    {SQLITE_DROP_TABLE, "DROP TABLE", 3},          {SQLITE_DROP_TEMP_TABLE, "DROP TABLE", 3},
    {SQLITE_DROP_TRIGGER, "DROP TRIGGER", 3},      {SQLITE_DROP_TEMP_TRIGGER, "DROP TRIGGER", 3},
    {SQLITE_DROP_VIEW, "DROP VIEW", 3},            {SQLITE_DROP_TEMP_VIEW, "DROP VIEW", 3},
    {SQLITE_DROP_VTABLE, "DROP VIRTUAL TABLE", 3}, {SQLITE_ALTER_TABLE, "ALTER TABLE", 4},
    {SQLITE_REINDEX, "REINDEX", 0},                {SQLITE_ANALYZE, "ANALYZE", 0},
    {SQLITE_ATTACH, "ATTACH", 0},                  {SQLITE_DETACH, "DETACH", 0},
    {SQLITE_SAVEPOINT, "SAVEPOINT", 0},
};

int authorizeQuery(void* ctx, int action, const char* a3, const char* a4, const char*, const char*) {
  auto& auth = *static_cast<QueryAuthorizer*>(ctx);
  auto named = [](const char* verb, const char* prep, const char* object) {
    std::string s = verb;
    if (object) s += std::string(" ") + prep + quoteIdentifier(object);
    return s;
  };
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION: {
      std::string name = lowerName(a4);
      if (!isRefusedFunction(name)) return SQLITE_OK;
      auth.refuse(std::move(name));
      return SQLITE_DENY;
    }
    case SQLITE_PRAGMA: {
      const std::string name = lowerName(a3);
      if (a4 ? pragmaReadsWithArgument(name) : !pragmaActsWithoutArgument(name)) return SQLITE_OK;
      auth.refuse("PRAGMA " + name + (a4 ? " with a value" : ""));
      return SQLITE_DENY;
    }
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE: {
      std::string what = action == SQLITE_INSERT   ? named("INSERT", "into ", a3)
                         : action == SQLITE_UPDATE ? named("UPDATE", "of ", a3)
                                                   : named("DELETE", "from ", a3);
      if (!isInternal(a3)) {
        auth.refuse(std::move(what));
        break;
      }
      if (auth.internalWrite.empty()) auth.internalWrite = std::move(what);
      return SQLITE_OK;
    }
    case SQLITE_TRANSACTION:
      auth.refuse(a3 ? a3 : "a transaction");
      break;
    default:
      for (const RefusedAction& r : kRefusedActions) {
        if (r.action != action) continue;
        const char* object = r.objectArg == 3 ? a3 : r.objectArg == 4 ? a4 : nullptr;
        auth.refuse(named(r.verb, "", object));
        return SQLITE_DENY;
      }
      auth.refuse("statement action " + std::to_string(action));
      break;
  }
  return SQLITE_DENY;
}

std::string cellText(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, column));
      const int n = sqlite3_column_bytes(stmt, column);
      static const char kHex[] = "0123456789ABCDEF";
      std::string out = "x'";
      for (int i = 0; i < n; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 0xF];
      }
      out += "'";
      return out;
    }
    default: {  // integers and reals as SQLite prints them; text as stored, NUL bytes included
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      const int n = sqlite3_column_bytes(stmt, column);
      return text ? std::string(text, static_cast<size_t>(n)) : std::string();
    }
  }
}

}  // namespace

// [SECTION] file names

std::string encodeStoreFileName(std::string_view storeId) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(storeId.size() + 7);
  for (char ch : storeId) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += ".sqlite";
  return out;
}

bool isSqlIdentifier(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

Result<std::unique_ptr<StoreDb>> StoreDb::open(AdapterType type, const std::string& directory,
                                               std::string_view storeId, const SchemaSpec& schema,
                                               const std::vector<std::string>& bootSql,
                                               const BootParams& params) {
  std::string path = ":memory:";
  switch (type) {
    case AdapterType::None:
      return Error{"adapter \"none\" has no database"};
    case AdapterType::External:
      return Error{"adapter \"external\" has no database"};
    case AdapterType::Memory:
      break;
    case AdapterType::File: {
      auto file = storeFilePath(directory, storeId);
      if (!file) return file.error();
      path = std::move(*file);
      break;
    }
  }
  ConnectionGuard conn;
  if (Status ok = openConnection(conn, path, type == AdapterType::File); !ok) return ok.error();
  {
    ConfigSqlGuard guard(conn.db);
    for (const TableSpec& table : schema.tables) {
      if (Status ok = createTable(conn.db, guard, table); !ok) return ok.error();
    }
    for (size_t i = 0; i < bootSql.size(); ++i) {
      if (Status ok = runBoot(conn.db, guard, i + 1, bootSql[i], params); !ok) return ok.error();
    }
  }
  return std::unique_ptr<StoreDb>(new StoreDb(conn.release(), std::move(path)));
}

StoreDb::~StoreDb() { sqlite3_close_v2(db_); }

DbMemory StoreDb::memory() const {
  auto current = [&](int op) -> int64_t {
    int cur = 0;
    int high = 0;
    return sqlite3_db_status(db_, op, &cur, &high, 0) == SQLITE_OK ? cur : 0;
  };
  DbMemory m;
  m.cacheBytes = current(SQLITE_DBSTATUS_CACHE_USED);
  m.schemaBytes = current(SQLITE_DBSTATUS_SCHEMA_USED);
  m.statementBytes = current(SQLITE_DBSTATUS_STMT_USED);
  return m;
}

std::vector<TableInfo> StoreDb::tables() const {
  std::vector<TableInfo> out;
  sqlite3_stmt* raw = nullptr;
  const char* sql =
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
      "ORDER BY name";
  if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return out;
  }
  Stmt names(raw);
  while (sqlite3_step(raw) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    TableInfo info;
    info.name.assign(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(raw, 0)));
    out.push_back(std::move(info));
  }
  names.reset();
  for (TableInfo& t : out) {
    // A table that cannot be counted (a virtual table whose module is missing) shows -1.
    t.rows = -1;
    const std::string count = "SELECT COUNT(*) FROM " + quoteIdentifier(t.name);
    sqlite3_stmt* c = nullptr;
    if (sqlite3_prepare_v2(db_, count.c_str(), -1, &c, nullptr) == SQLITE_OK &&
        sqlite3_step(c) == SQLITE_ROW) {
      t.rows = sqlite3_column_int64(c, 0);
    }
    sqlite3_finalize(c);
  }
  return out;
}

Result<QueryResult> StoreDb::query(std::string_view sql, size_t maxRows) const {
  // query_only is the last line of defence behind the authorizer and sqlite3_stmt_readonly.
  auto queryOnly = pragmaInt(db_, "PRAGMA query_only");
  if (!queryOnly) return Error{"query: " + queryOnly.message()};
  if (sqlite3_exec(db_, "PRAGMA query_only = ON", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error{"query: " + errmsg(db_)};
  }
  struct Restore {
    sqlite3* db;
    int queryOnly;
    ~Restore() {
      sqlite3_set_authorizer(db, nullptr, nullptr);
      sqlite3_exec(db, queryOnly ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF", nullptr, nullptr,
                   nullptr);
    }
  };
  // `auth` outlives `restore`, which removes the authorizer; the statement, declared after
  // `restore`, is finalized before the settings come back.
  QueryAuthorizer auth;
  Restore restore{db_, *queryOnly};
  sqlite3_set_authorizer(db_, authorizeQuery, &auth);

  auto prepared = prepareOne(db_, sql);
  if (!prepared) {
    if (!auth.reason.empty()) return Error{"read-only: " + auth.reason + " is refused"};
    if (!auth.internalWrite.empty()) return Error{"read-only: " + auth.internalWrite + " is refused"};
    return Error{prepared.message()};
  }
  if (!prepared->stmt) return Error{"empty query: give one SELECT statement"};
  if (prepared->more) return Error{"read-only: one statement at a time; more SQL follows the first"};
  sqlite3_stmt* stmt = prepared->stmt.get();
  if (!sqlite3_stmt_readonly(stmt)) {
    if (!auth.internalWrite.empty()) return Error{"read-only: " + auth.internalWrite + " is refused"};
    return Error{"read-only: the statement would write to the database"};
  }

  QueryResult result;
  const int columns = sqlite3_column_count(stmt);
  for (int c = 0; c < columns; ++c) {
    const char* name = sqlite3_column_name(stmt, c);
    result.columns.emplace_back(name ? name : "");
  }
  StepBudget budget(db_);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (result.rows.size() == maxRows) {
      result.truncated = true;
      rc = SQLITE_DONE;
      break;
    }
    std::vector<std::string> row;
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) row.push_back(cellText(stmt, c));
    result.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    const int code = rc & 0xFF;
    std::string message = errmsg(db_);
    if (code == SQLITE_INTERRUPT && budget.spent()) {
      return Error{"query stopped after " + std::to_string(statementStepBudget()) + " steps; " +
                   kUnboundedHint};
    }
    if (code == SQLITE_READONLY) return Error{"read-only: " + message};
    return Error{message};
  }
  return result;
}

}  // namespace si
