// Hardening for SQLite connections. See sqlite_guard.hpp.
#include "sqlite_guard.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace si {

namespace {

bool isOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// How often the step budget's progress handler runs, in virtual-machine steps.
constexpr int kProgressEvery = 10000;

std::atomic<int64_t> budgetInForce{kStatementStepBudget};

}  // namespace

void configureSqliteForProcess() {
  (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE once initialized: then as is
}

Status hardenConnection(sqlite3* db) {
  struct Setting {
    int op;
    int value;
    const char* name;
  };
  static constexpr Setting kSettings[] = {
      {SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, "fts3_tokenizer"},
      {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, "load_extension"},
      {SQLITE_DBCONFIG_DEFENSIVE, 1, "defensive mode"},
      {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "trusted_schema"},
  };
  for (const Setting& s : kSettings) {
    int now = -1;
    if (sqlite3_db_config(db, s.op, s.value, &now) != SQLITE_OK || now != s.value) {
      return Error{std::string("SQLite would not ") + (s.value ? "turn on " : "turn off ") + s.name};
    }
  }
  return success();
}

bool isRefusedFunction(std::string_view name) { return isOneOf(name, {"fts3_tokenizer", "load_extension"}); }

std::string lowerName(const char* name) {
  std::string out = name ? name : "";
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool pragmaReadsWithArgument(std::string_view name) {
  return isOneOf(name, {"table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list",
                        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"});
}

bool pragmaActsWithoutArgument(std::string_view name) {
  return isOneOf(name, {"optimize", "shrink_memory", "wal_checkpoint", "incremental_vacuum"});
}

bool configMaySetPragma(std::string_view name) {
  return isOneOf(name, {"foreign_keys", "defer_foreign_keys", "recursive_triggers", "user_version"});
}

// [SECTION] ConfigSqlGuard

ConfigSqlGuard::ConfigSqlGuard(sqlite3* db) : db_(db) { sqlite3_set_authorizer(db_, authorize, this); }

ConfigSqlGuard::~ConfigSqlGuard() { sqlite3_set_authorizer(db_, nullptr, nullptr); }

void ConfigSqlGuard::reset() {
  refusal_.clear();
  stepping_ = false;
}

int ConfigSqlGuard::authorize(void* self, int action, const char* a3, const char* a4, const char*,
                              const char*) {
  return static_cast<ConfigSqlGuard*>(self)->decide(action, a3, a4);
}

int ConfigSqlGuard::decide(int action, const char* a3, const char* a4) {
  std::string what;
  switch (action) {
    case SQLITE_ATTACH:
      // A statement never ATTACHes while it runs, except VACUUM: its temporary copy has no
      // file name, VACUUM INTO's copy is the file it names.
      if (stepping_ && a3 && *a3 == '\0') return SQLITE_OK;
      what = stepping_ ? "VACUUM INTO" : "ATTACH";
      break;
    case SQLITE_DETACH:
      what = "DETACH";
      break;
    case SQLITE_FUNCTION: {
      std::string name = lowerName(a4);
      if (!isRefusedFunction(name)) return SQLITE_OK;
      what = std::move(name);
      break;
    }
    case SQLITE_PRAGMA: {
      const std::string name = lowerName(a3);
      const bool allowed =
          a4 ? pragmaReadsWithArgument(name) || configMaySetPragma(name) : !pragmaActsWithoutArgument(name);
      if (allowed) return SQLITE_OK;
      what = "PRAGMA " + name + (a4 ? " with a value" : "");
      break;
    }
    default:
      return SQLITE_OK;
  }
  if (refusal_.empty()) refusal_ = std::move(what);
  return SQLITE_DENY;
}

// [SECTION] StepBudget

int64_t statementStepBudget() { return budgetInForce.load(); }

void setStatementStepBudget(int64_t steps) { budgetInForce.store(steps); }

StepBudget::StepBudget(sqlite3* db) : db_(db), budget_(statementStepBudget()) {
  sqlite3_progress_handler(db_, kProgressEvery, tick, this);
}

StepBudget::~StepBudget() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }

bool StepBudget::spent() const { return ticks_ * kProgressEvery > budget_; }

int StepBudget::tick(void* self) {
  auto& budget = *static_cast<StepBudget*>(self);
  ++budget.ticks_;
  return budget.spent() ? 1 : 0;
}

}  // namespace si
