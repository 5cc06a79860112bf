// libFuzzer target: SQL text -> StoreDb::query (the query box) on a loaded memory store with a
// table, an index, a view and an fts3 table. Must never crash or hang, and never change the
// store: the row count it started with is still there afterwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_sql_common.hpp"
#include "store_db.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  si::fuzz::limitSqlite();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const si::SchemaSpec schema{
      {si::TableSpec{"issue", {{"id", "TEXT PRIMARY KEY"}, {"title", "TEXT"}, {"n", "INTEGER"}}}}};
  const std::vector<std::string> boot = {
      "INSERT INTO issue VALUES ('1', 'Issue 1', 1), ('2', 'Second', 2), ('3', NULL, NULL)",
      "CREATE INDEX issue_title ON issue(title)",
      "CREATE VIEW v AS SELECT id, n * 2 AS twice FROM issue",
      "CREATE VIRTUAL TABLE f USING fts3(body)",
      "INSERT INTO f VALUES ('hello world'), ('goodbye')",
  };
  auto db = si::StoreDb::open(si::AdapterType::Memory, "", "s", schema, boot, {});
  if (!db) std::abort();  // the fixed boot above always loads
  auto result = (*db)->query(std::string_view(reinterpret_cast<const char*>(data), size), 100);
  if (result) (void)result->rows.size();
  auto rows = (*db)->query("SELECT COUNT(*) FROM issue");
  if (!rows || rows->rows.empty() || rows->rows[0].empty() || rows->rows[0][0] != "3") std::abort();
  si::fuzz::expectOnlyItsOwnDatabase(**db);
  return 0;
}
