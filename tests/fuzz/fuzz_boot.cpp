// libFuzzer target: boot SQL -> StoreDb::open on a memory store (schema: an issue table; params
// :storeId and :issueId). Each line of the input is one boot statement, at most kMaxStatements
// of them, so an input costs at most that many step budgets. Must never crash or hang, and a
// store that loads has no other database attached.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_sql_common.hpp"
#include "store_db.hpp"

namespace {
constexpr size_t kMaxStatements = 8;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  si::fuzz::limitSqlite();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> boot;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) boot.emplace_back(text.substr(start, end - start));
    if (boot.size() > kMaxStatements) return 0;
    start = end + 1;
  }
  const si::SchemaSpec schema{{si::TableSpec{"issue", {{"id", "TEXT PRIMARY KEY"}, {"title", "TEXT"}}}}};
  auto db =
      si::StoreDb::open(si::AdapterType::Memory, "", "s", schema, boot, {{"storeId", "s"}, {"issueId", "1"}});
  if (!db) return 0;
  si::fuzz::expectOnlyItsOwnDatabase(**db);
  (void)(*db)->tables();
  (void)(*db)->memory();
  return 0;
}
