// Config SQL and store files from someone else (SPEC 2.6, last two paragraphs): schema and boot
// statements touch their own database and nothing else, a statement stops after a step budget,
// fts3_tokenizer is off everywhere, and a store file is never a symlink or a non-regular file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"
#include "sqlite_guard.hpp"
#include "store_db.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

namespace fs = std::filesystem;

SchemaSpec issueSchema() {
  return SchemaSpec{{TableSpec{"issue", {{"id", "TEXT PRIMARY KEY"}, {"title", "TEXT"}}}}};
}

std::string errorOf(const Result<std::unique_ptr<StoreDb>>& r) { return r.ok() ? "<ok>" : r.message(); }
std::string errorOf(const Result<QueryResult>& r) { return r.ok() ? "<ok>" : r.message(); }

std::string bootError(const std::vector<std::string>& boot, const BootParams& params = {}) {
  return errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(), boot, params));
}

std::string scalar(const StoreDb& db, std::string_view sql) {
  auto r = db.query(sql);
  if (!r) return "<error: " + r.message() + ">";
  if (r->rows.size() != 1 || r->rows[0].size() != 1) return "<not one value>";
  return r->rows[0][0];
}

// Every path under `root`, relative to it, so a test can say exactly what exists.
std::set<std::string> filesUnder(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    out.insert(fs::relative(e.path(), root).string());
  return out;
}

// [SECTION] fts3_tokenizer

TEST(ConfigSql, Fts3TokenizerInBootFailsTheLoadByNameInsteadOfCrashing) {
  // The issue's crash: the second statement made SQLite call through the pointer the first set.
  EXPECT_EQ(bootError({"SELECT fts3_tokenizer('simple', x'4141414141414141')",
                       "CREATE VIRTUAL TABLE f USING fts3(body)"}),
            "boot statement 1: fts3_tokenizer is refused in config SQL");
  EXPECT_EQ(bootError({"SELECT 1", "SELECT fts3_tokenizer('simple')"}),
            "boot statement 2: fts3_tokenizer is refused in config SQL");
  EXPECT_EQ(
      bootError({"SELECT FTS3_TOKENIZER('simple', :storeId)", "CREATE VIRTUAL TABLE f USING fts3(body)"},
                {{"storeId", "AAAAAAAA"}}),
      "boot statement 1: fts3_tokenizer is refused in config SQL");
}

TEST(ConfigSql, Fts3TokenizerInATriggerTheBootFiresIsRefused) {
  EXPECT_EQ(bootError({"CREATE TABLE x(a)",
                       "CREATE TRIGGER tr AFTER INSERT ON x BEGIN "
                       "SELECT fts3_tokenizer('simple', x'4141414141414141'); END",
                       "INSERT INTO x VALUES (1)", "CREATE VIRTUAL TABLE f USING fts3(body)"}),
            "boot statement 3: fts3_tokenizer is refused in config SQL");
}

TEST(ConfigSql, Fts3WithItsBuiltInTokenizersStillWorks) {
  auto db =
      StoreDb::open(AdapterType::Memory, "", "s", {},
                    {"CREATE VIRTUAL TABLE f USING fts3(body)", "INSERT INTO f VALUES ('hello world')"}, {});
  ASSERT_TRUE(db.ok()) << db.message();
  EXPECT_EQ(scalar(**db, "SELECT body FROM f WHERE f MATCH 'hello'"), "hello world");
}

TEST(QueryBox, Fts3TokenizerIsRefusedInBothForms) {
  auto db = StoreDb::open(AdapterType::Memory, "", "s", {}, {}, {});
  ASSERT_TRUE(db.ok()) << db.message();
  EXPECT_EQ(errorOf((*db)->query("SELECT fts3_tokenizer('simple')")), "read-only: fts3_tokenizer is refused");
  EXPECT_EQ(errorOf((*db)->query("SELECT fts3_tokenizer('simple', x'4141414141414141')")),
            "read-only: fts3_tokenizer is refused");
  EXPECT_EQ(errorOf((*db)->query("SELECT load_extension('nope')")), "read-only: load_extension is refused");
  EXPECT_EQ(scalar(**db, "SELECT 7"), "7");
}

TEST(Cli, RunOfAConfigBootingFts3TokenizerFailsTheLoadAndDoesNotCrash) {
  const fs::path dir = si::test::freshTestDir("sql_hardening");
  const std::string path = (dir / "fts3.json").string();
  std::ofstream(path) << R"json({"config": {"storeOptions": {"doc": {"storeId": "doc-{id}",
      "adapter": {"type": "memory"},
      "boot": {"sql": ["SELECT fts3_tokenizer('simple', x'4141414141414141')",
                       "CREATE VIRTUAL TABLE f USING fts3(body)"]}}}},
    "steps": [{ "attach": { "use": "doc", "params": { "id": "1" } } }, { "advance": 0 },
              { "expect": { "store": "doc-1", "state": "FAILED",
                            "error": "boot statement 1: fts3_tokenizer is refused in config SQL" } }]})json";
  std::ostringstream out, err;
  EXPECT_EQ(cli::run({"run", path}, nullptr, out, err), 0) << out.str() << err.str();
  EXPECT_NE(out.str().find("\n3 passed, 0 failed\n"), std::string::npos) << out.str();
}

// [SECTION] other files, extensions and engine settings

TEST(ConfigSql, AttachDetachVacuumIntoAndLoadExtensionAreRefusedByNameAndWriteNothing) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  const std::string stores = (root / "stores").string();
  const std::string other = (root / "other.db").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ATTACH '" + other + "' AS other", "ATTACH"},
      {"ATTACH :storeId AS other", "ATTACH"},
      {"DETACH other", "DETACH"},
      {"VACUUM INTO '" + other + "'", "VACUUM INTO"},
      {"VACUUM INTO :storeId", "VACUUM INTO"},
      {"SELECT load_extension('" + other + "')", "load_extension"},
  };
  for (const auto& [sql, what] : cases) {
    EXPECT_EQ(errorOf(StoreDb::open(AdapterType::File, stores, "issue-1", issueSchema(), {"SELECT 1", sql},
                                    {{"storeId", other}})),
              "boot statement 2: " + what + " is refused in config SQL")
        << sql;
  }
  EXPECT_EQ(filesUnder(root), (std::set<std::string>{"stores", "stores/issue-1.sqlite"}));
}

TEST(ConfigSql, PragmasThatChangeFilesOrEngineSettingsAreRefusedByName) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  const std::string stores = (root / "stores").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"PRAGMA journal_mode = WAL", "PRAGMA journal_mode with a value"},
      {"PRAGMA temp_store_directory = '" + root.string() + "'", "PRAGMA temp_store_directory with a value"},
      {"PRAGMA trusted_schema = ON", "PRAGMA trusted_schema with a value"},
      {"PRAGMA writable_schema = ON", "PRAGMA writable_schema with a value"},
      {"PRAGMA main.synchronous = OFF", "PRAGMA synchronous with a value"},
      {"PRAGMA cache_size = -2000000", "PRAGMA cache_size with a value"},
      {"PRAGMA mmap_size = 1000000000", "PRAGMA mmap_size with a value"},
      {"PRAGMA query_only = ON", "PRAGMA query_only with a value"},
      {"PRAGMA busy_timeout = 100000000", "PRAGMA busy_timeout with a value"},
      {"PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint"},
      {"PRAGMA optimize", "PRAGMA optimize"},
      {"PRAGMA schema_version = 5", "PRAGMA schema_version with a value"},
  };
  for (const auto& [sql, what] : cases) {
    EXPECT_EQ(errorOf(StoreDb::open(AdapterType::File, stores, "issue-1", issueSchema(), {sql}, {})),
              "boot statement 1: " + what + " is refused in config SQL")
        << sql;
  }
  EXPECT_EQ(filesUnder(root), (std::set<std::string>{"stores", "stores/issue-1.sqlite"}));
}

TEST(ConfigSql, ConnectionPragmasOnTheAllowlistAndReadingPragmasStayAllowed) {
  auto db =
      StoreDb::open(AdapterType::Memory, "", "s", issueSchema(),
                    {"PRAGMA foreign_keys = ON", "PRAGMA defer_foreign_keys = 1",
                     "PRAGMA recursive_triggers = 1", "PRAGMA user_version = 7", "PRAGMA table_info(issue)",
                     "PRAGMA journal_mode", "SELECT * FROM pragma_table_info('issue')"},
                    {});
  ASSERT_TRUE(db.ok()) << db.message();
  EXPECT_EQ(scalar(**db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(scalar(**db, "PRAGMA recursive_triggers"), "1");
  EXPECT_EQ(scalar(**db, "PRAGMA user_version"), "7");
}

TEST(ConfigSql, PlainVacuumOfItsOwnDatabaseStaysAllowed) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  auto db = StoreDb::open(AdapterType::File, (root / "stores").string(), "issue-1", issueSchema(),
                          {"INSERT INTO issue(id) VALUES ('a')", "VACUUM"}, {});
  ASSERT_TRUE(db.ok()) << db.message();
  EXPECT_EQ(scalar(**db, "SELECT COUNT(*) FROM issue"), "1");
}

// [SECTION] step budget

TEST(ConfigSql, AnEndlessRecursiveCteInBootFailsTheLoadAfterTheStepBudget) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(
      bootError({"SELECT 1",
                 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"}),
      "boot statement 2: stopped after the step budget of 100000000 steps; is it unbounded (a "
      "recursive CTE without a LIMIT)?");
  EXPECT_EQ(
      bootError({"INSERT INTO issue(id) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                 "SELECT x FROM c WHERE x < 0"}),
      "boot statement 1: stopped after the step budget of 100000000 steps; is it unbounded (a "
      "recursive CTE without a LIMIT)?");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(ConfigSql, ALoweredBudgetIsTheOneTheErrorNames) {
  // The fuzz targets lower the budget so inputs that run to it stay fast.
  struct Restore {
    ~Restore() { setStatementStepBudget(kStatementStepBudget); }
  } restore;
  setStatementStepBudget(1'000'000);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(
      bootError({"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"}),
      "boot statement 1: stopped after the step budget of 1000000 steps; is it unbounded (a recursive CTE "
      "without a LIMIT)?");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ConfigSql, EachStatementHasItsOwnBudget) {
  // Three statements of a few million steps each: more than one budget together, each well inside.
  const std::string big =
      "SELECT COUNT(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
      "1000000) "
      "SELECT x FROM c)";
  EXPECT_EQ(bootError({big, big, big}), "<ok>");
}

// [SECTION] store files

TEST(StoreFile, ADanglingSymlinkFailsTheLoadAndItsTargetIsNotCreated) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  fs::create_directories(root / "stores");
  fs::create_directories(root / "elsewhere");
  fs::create_symlink("../elsewhere/target.db", root / "stores" / "issue-1.sqlite");
  EXPECT_EQ(
      errorOf(StoreDb::open(AdapterType::File, (root / "stores").string(), "issue-1", issueSchema(), {}, {})),
      "cannot open \"" + (root / "stores" / "issue-1.sqlite").string() +
          "\": it is a symbolic link; a store file must be a regular file");
  EXPECT_FALSE(fs::exists(root / "elsewhere" / "target.db"));
  EXPECT_TRUE(fs::is_empty(root / "elsewhere"));
}

TEST(StoreFile, ASymlinkToAnExistingDatabaseFailsTheLoadAndLeavesTheTargetAlone) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  fs::create_directories(root / "stores");
  const fs::path target = root / "target.db";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(target.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE mine(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  fs::create_symlink(target, root / "stores" / "issue-1.sqlite");
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::File, (root / "stores").string(), "issue-1", issueSchema(),
                                  {"INSERT INTO issue(id) VALUES ('x')"}, {})),
            "cannot open \"" + (root / "stores" / "issue-1.sqlite").string() +
                "\": it is a symbolic link; a store file must be a regular file");
  ASSERT_EQ(sqlite3_open(target.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT group_concat(name) FROM sqlite_schema", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "mine");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST(StoreFile, AFifoFailsTheLoadWithoutBlocking) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  fs::create_directories(root / "stores");
  const fs::path fifo = root / "stores" / "issue-1.sqlite";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Opened on a thread of its own, so a blocking open fails the test instead of hanging it.
  auto result = std::make_shared<std::promise<std::string>>();
  std::future<std::string> done = result->get_future();
  std::thread([result, dir = (root / "stores").string()] {
    result->set_value(errorOf(StoreDb::open(AdapterType::File, dir, "issue-1", issueSchema(), {}, {})));
  }).detach();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "opening a FIFO blocked";
  EXPECT_EQ(done.get(),
            "cannot open \"" + fifo.string() + "\": it is a FIFO; a store file must be a regular file");
}

TEST(StoreFile, ADirectoryAtTheStoreFilePathFailsTheLoadByName) {
  const fs::path root = si::test::freshTestDir("sql_hardening");
  fs::create_directories(root / "stores" / "issue-1.sqlite");
  EXPECT_EQ(
      errorOf(StoreDb::open(AdapterType::File, (root / "stores").string(), "issue-1", issueSchema(), {}, {})),
      "cannot open \"" + (root / "stores" / "issue-1.sqlite").string() +
          "\": it is a directory; a store file must be a regular file");
}

}  // namespace
}  // namespace si
