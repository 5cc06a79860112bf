// Shared by the SQL fuzz targets (fuzz_boot, fuzz_query): limits, so SQL that asks for a
// gigabyte (zeroblob(1e9)) fails with "out of memory" instead of tripping the fuzzer's RSS limit
// and an endless CTE stops after a few milliseconds instead of seconds, and a check that a loaded
// store still has only its own database attached.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>

#include "sqlite_guard.hpp"
#include "store_db.hpp"

namespace si::fuzz {

// Well under the -rss_limit_mb scripts/fuzz.sh gives each target.
inline constexpr sqlite3_int64 kSqliteHeapLimit = 512LL * 1024 * 1024;
// A hundredth of the real budget: still far more than any seed needs.
inline constexpr int64_t kFuzzStepBudget = 1'000'000;

inline void limitSqlite() {
  sqlite3_hard_heap_limit64(kSqliteHeapLimit);
  setStatementStepBudget(kFuzzStepBudget);
}

// Config SQL may never ATTACH: a loaded store lists only main (and temp) as its databases.
inline void expectOnlyItsOwnDatabase(const StoreDb& db) {
  auto attached = db.query("SELECT COUNT(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp')");
  if (attached && attached->rows.size() == 1 && attached->rows[0].size() == 1 &&
      attached->rows[0][0] != "0") {
    std::abort();
  }
}

}  // namespace si::fuzz
