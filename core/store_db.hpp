// A store instance's database (SPEC 2.6): one SQLite connection per live instance.
// Knows nothing of the registry; the registry opens one on load and closes it on disposal.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result.hpp"

struct sqlite3;

namespace si {

// External (SPEC 2.6): no database; the load ends when a `loaded` / `loadFailed` step says so.
enum class AdapterType { None, Memory, File, External };

// Columns in the order the config gave them: {name, SQL type}.
struct TableSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> columns;
};
struct SchemaSpec {
  std::vector<TableSpec> tables;
};

// Named parameters bound to boot SQL (`:issueId`, `:storeId`); never pasted into SQL text.
using BootParams = std::vector<std::pair<std::string, std::string>>;

struct DbMemory {
  int64_t cacheBytes = 0;      // SQLITE_DBSTATUS_CACHE_USED
  int64_t schemaBytes = 0;     // SQLITE_DBSTATUS_SCHEMA_USED
  int64_t statementBytes = 0;  // SQLITE_DBSTATUS_STMT_USED
  int64_t total() const { return cacheBytes + schemaBytes + statementBytes; }
};

struct TableInfo {
  std::string name;
  int64_t rows = 0;
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // NULL is shown as "NULL"
  bool truncated = false;                      // more rows than maxRows
};

// The file name of a file-backed store: every byte outside [A-Za-z0-9_-] (and '.') is
// percent-encoded as %XX (upper-case hex), then ".sqlite" is appended. The result never
// contains '/', '\\' or a leading '.' (except ".sqlite" for the empty storeId, which open()
// refuses), so it can never name a path outside its directory.
std::string encodeStoreFileName(std::string_view storeId);

// True when `name` is a valid SQL identifier for schema tables/columns: [A-Za-z_][A-Za-z0-9_]*.
bool isSqlIdentifier(std::string_view name);

// How long opening a file store waits for another connection's write lock on the same file
// before the load fails with SQLite's "database is locked".
inline constexpr int kStoreBusyTimeoutMs = 5000;

class StoreDb {
 public:
  // Opens a connection (`:memory:` for Memory; directory/encodeStoreFileName(storeId) for File,
  // creating the directory), creates the schema (CREATE TABLE IF NOT EXISTS) and runs each boot
  // statement with `params` bound by name (:name, @name or $name; a param the statement does not
  // use is skipped, a parameter it uses without a value is an error naming it).
  // On failure the error message names the failing statement and carries sqlite3_errmsg.
  static Result<std::unique_ptr<StoreDb>> open(AdapterType type, const std::string& directory,
                                               std::string_view storeId, const SchemaSpec& schema,
                                               const std::vector<std::string>& bootSql,
                                               const BootParams& params);
  ~StoreDb();  // closes the connection
  StoreDb(const StoreDb&) = delete;
  StoreDb& operator=(const StoreDb&) = delete;

  const std::string& path() const { return path_; }  // ":memory:" or the file path
  DbMemory memory() const;
  std::vector<TableInfo> tables() const;  // user tables, by name, with row counts
  // Runs one read-only statement; anything that would write is refused with
  // "read-only: <reason>". At most maxRows rows are returned.
  Result<QueryResult> query(std::string_view sql, size_t maxRows = 1000) const;

 private:
  StoreDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace si
