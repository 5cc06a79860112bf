// Hardening for SQLite connections whose files or SQL may come from someone else (SPEC 2.6):
// store databases, their config SQL and the query box; journals can use the same helpers.
//
//   hardenConnection(db);          // once, right after sqlite3_open_v2
//   ConfigSqlGuard guard(db);      // while running schema and boot statements
//   { StepBudget budget(db); ...step one statement...; if (budget.spent()) ... }
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "result.hpp"

struct sqlite3;

namespace si {

// Process-wide settings, before anything opens a database (from main): SQLite keeps no
// memory statistics, so its allocator takes no global mutex (a journal row took several).
// Nothing here reads them or sets a heap limit. Later calls change nothing.
void configureSqliteForProcess();

// Turns off what no store or journal needs and hostile SQL or files can abuse:
// fts3_tokenizer() (it sets and reveals a tokenizer's code pointer), extension loading, writes
// to SQLite's own schema and shadow tables (defensive mode), and functions with side effects
// inside a file's views and triggers (trusted_schema off). Fails only if SQLite refuses one.
Status hardenConnection(sqlite3* db);

// Functions no SQL the tool runs may call, config or query box: fts3_tokenizer, load_extension.
// `name` in lower case.
bool isRefusedFunction(std::string_view name);

// ASCII lower case of a name SQLite hands to an authorizer (null gives "").
std::string lowerName(const char* name);

// PRAGMA names (lower case) by what they do. A pragma with a value sets something unless it
// only reads with an argument (`PRAGMA table_info(issue)`); some act even without a value.
bool pragmaReadsWithArgument(std::string_view name);
bool pragmaActsWithoutArgument(std::string_view name);
// The per-connection switches config SQL may set: foreign_keys, defer_foreign_keys,
// recursive_triggers, and user_version (a number in the store's own file header).
bool configMaySetPragma(std::string_view name);

// While alive, refuses in config SQL (schema and boot) everything that reaches beyond the
// store's own database: ATTACH, DETACH, VACUUM INTO, load_extension, fts3_tokenizer, and PRAGMAs
// that change files or engine settings. Everything else (reads, writes, CREATE, DROP, plain
// VACUUM, transactions) is the config's own business.
class ConfigSqlGuard {
 public:
  explicit ConfigSqlGuard(sqlite3* db);  // installs the authorizer
  ~ConfigSqlGuard();                     // removes it
  ConfigSqlGuard(const ConfigSqlGuard&) = delete;
  ConfigSqlGuard& operator=(const ConfigSqlGuard&) = delete;

  // Before each statement: forget the last refusal; the statement is being prepared.
  void reset();
  // Once prepared, before stepping: an ATTACH from now on is VACUUM's own.
  void stepping() { stepping_ = true; }
  // What was refused first since reset(), such as "ATTACH" or "PRAGMA journal_mode with a
  // value"; empty when nothing was.
  const std::string& refusal() const { return refusal_; }

 private:
  static int authorize(void* self, int action, const char* a3, const char* a4, const char* db,
                       const char* trigger);
  int decide(int action, const char* a3, const char* a4);
  sqlite3* db_;
  std::string refusal_;
  bool stepping_ = false;
};

// Virtual-machine steps one statement may take (config SQL and the query box alike), so a
// runaway recursive CTE fails instead of hanging the tool.
inline constexpr int64_t kStatementStepBudget = 100'000'000;

// The budget in force: kStatementStepBudget unless a fuzz target lowered it, so that its inputs
// that run to the budget take milliseconds, not seconds. Error messages name the one in force.
int64_t statementStepBudget();
void setStatementStepBudget(int64_t steps);

// While alive, interrupts the connection's statement once it has taken statementStepBudget()
// steps; sqlite3_step then fails with SQLITE_INTERRUPT and spent() is true.
class StepBudget {
 public:
  explicit StepBudget(sqlite3* db);
  ~StepBudget();
  StepBudget(const StepBudget&) = delete;
  StepBudget& operator=(const StepBudget&) = delete;
  bool spent() const;

 private:
  static int tick(void* self);
  sqlite3* db_;
  int64_t budget_;
  int64_t ticks_ = 0;
};

}  // namespace si
