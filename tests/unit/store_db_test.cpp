// Store databases (SPEC 2.6): file names, open/boot, tables, memory and read-only queries.
#include "store_db.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "test_dir.hpp"

namespace si {
namespace {

namespace fs = std::filesystem;

fs::path freshDir() { return si::test::freshTestDir("store_db"); }

SchemaSpec issueSchema() {
  return SchemaSpec{{TableSpec{"issue", {{"id", "TEXT PRIMARY KEY"}, {"title", "TEXT"}}}}};
}

const std::vector<std::string> kIssueBoot = {
    "INSERT OR IGNORE INTO issue(id, title) VALUES (:issueId, 'Issue ' || :issueId)"};

std::unique_ptr<StoreDb> openOk(AdapterType type, const std::string& dir, std::string_view storeId,
                                const SchemaSpec& schema, const std::vector<std::string>& boot,
                                const BootParams& params) {
  auto db = StoreDb::open(type, dir, storeId, schema, boot, params);
  EXPECT_TRUE(db.ok()) << db.message();
  return db ? std::move(*db) : nullptr;
}

std::unique_ptr<StoreDb> memoryIssueDb() {
  return openOk(AdapterType::Memory, "", "issue-1", issueSchema(), kIssueBoot, {{"issueId", "1"}});
}

std::string errorOf(const Result<std::unique_ptr<StoreDb>>& r) { return r.ok() ? "<ok>" : r.message(); }
std::string errorOf(const Result<QueryResult>& r) { return r.ok() ? "<ok>" : r.message(); }

std::string scalar(const StoreDb& db, std::string_view sql) {
  auto r = db.query(sql);
  if (!r) return "<error: " + r.message() + ">";
  if (r->rows.size() != 1 || r->rows[0].size() != 1) return "<not one value>";
  return r->rows[0][0];
}

// [SECTION] file names

TEST(StoreFileName, PercentEncodesEveryByteOutsideTheSafeSetIncludingDot) {
  using namespace std::string_view_literals;
  const std::vector<std::pair<std::string_view, std::string>> cases = {
      {"issue-42", "issue-42.sqlite"},
      {"Work_Space-9", "Work_Space-9.sqlite"},
      {"a.b", "a%2Eb.sqlite"},
      {"../x", "%2E%2E%2Fx.sqlite"},
      {"/abs", "%2Fabs.sqlite"},
      {"a/b", "a%2Fb.sqlite"},
      {"..", "%2E%2E.sqlite"},
      {".", "%2E.sqlite"},
      {"%2e%2e", "%252e%252e.sqlite"},
      {"a\\b", "a%5Cb.sqlite"},
      {"C:x", "C%3Ax.sqlite"},
      {"a b~", "a%20b%7E.sqlite"},
      {"\xC3\xA9t\xC3\xA9", "%C3%A9t%C3%A9.sqlite"},
      {"a\0b"sv, "a%00b.sqlite"},
      {"\xFF", "%FF.sqlite"},
      {"", ".sqlite"},
  };
  for (const auto& [id, file] : cases) {
    EXPECT_EQ(encodeStoreFileName(id), file) << "storeId bytes: " << std::string(id).size();
  }
}

TEST(StoreFileName, DistinctStoreIdsGetDistinctFileNames) {
  EXPECT_NE(encodeStoreFileName("a.b"), encodeStoreFileName("a%2Eb"));
  EXPECT_NE(encodeStoreFileName("a/b"), encodeStoreFileName("a%2Fb"));
  EXPECT_NE(encodeStoreFileName(std::string_view("a\0b", 3)), encodeStoreFileName("a"));
}

TEST(StoreFileName, OpeningFileStoresNeverCreatesAnythingOutsideTheDirectory) {
  using namespace std::string_view_literals;
  const fs::path root = freshDir();
  const fs::path stores = root / "stores";
  const std::vector<std::string_view> ids = {"../x",
                                             "/abs",
                                             "a/b",
                                             "..",
                                             ".",
                                             "%2e%2e",
                                             "a\\b",
                                             "~",
                                             "\xC3\xA9",
                                             "a\0b"sv,
                                             "../../../../tmp/escape",
                                             "issue-1"};
  std::set<std::string> expected;
  for (std::string_view id : ids) {
    auto db =
        StoreDb::open(AdapterType::File, stores.string(), id, issueSchema(), kIssueBoot, {{"issueId", "1"}});
    ASSERT_TRUE(db.ok()) << db.message();
    EXPECT_EQ((*db)->path(), (stores / encodeStoreFileName(id)).string());
    expected.insert(encodeStoreFileName(id));
  }
  std::set<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path() == stores) continue;
    EXPECT_EQ(entry.path().parent_path(), stores) << entry.path();
    EXPECT_TRUE(entry.is_regular_file()) << entry.path();
    found.insert(entry.path().filename().string());
  }
  EXPECT_EQ(found, expected);
  EXPECT_FALSE(fs::exists(root / "x.sqlite"));
  EXPECT_FALSE(fs::exists("/abs.sqlite"));
}

TEST(StoreFileName, AnEmptyStoreIdOpensNoFile) {
  const fs::path dir = freshDir() / "stores";
  auto db = StoreDb::open(AdapterType::File, dir.string(), "", issueSchema(), {}, {});
  EXPECT_EQ(errorOf(db), "an empty storeId has no store file");
  EXPECT_FALSE(fs::exists(dir));
}

TEST(StoreFileName, AStoreIdTooLongForAFileNameIsRefusedByName) {
  const std::string id(100, '.');  // 300 bytes encoded
  auto db = StoreDb::open(AdapterType::File, freshDir().string(), id, {}, {}, {});
  EXPECT_EQ(errorOf(db), "store file name is 307 bytes once encoded, more than the 255 a file name may have");
}

TEST(SqlIdentifier, AcceptsLettersDigitsAndUnderscoreNotLeadingDigit) {
  EXPECT_TRUE(isSqlIdentifier("issue"));
  EXPECT_TRUE(isSqlIdentifier("_x9"));
  EXPECT_TRUE(isSqlIdentifier("A_b_C"));
  EXPECT_FALSE(isSqlIdentifier(""));
  EXPECT_FALSE(isSqlIdentifier("9lives"));
  EXPECT_FALSE(isSqlIdentifier("bad name"));
  EXPECT_FALSE(isSqlIdentifier("x\"y"));
  EXPECT_FALSE(isSqlIdentifier("a-b"));
  EXPECT_FALSE(isSqlIdentifier("\xC3\xA9"));
}

// [SECTION] open: adapters, persistence

TEST(StoreDbOpen, AdapterNoneHasNoDatabase) {
  auto db = StoreDb::open(AdapterType::None, "", "issue-1", {}, {}, {});
  EXPECT_EQ(errorOf(db), "adapter \"none\" has no database");
}

TEST(StoreDbOpen, MemoryStoreUsesAnInMemoryConnection) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->path(), ":memory:");
}

TEST(StoreDbOpen, FileStoreCreatesItsDirectoryAndNamesTheFileByStoreId) {
  const fs::path dir = freshDir() / "nested" / "stores";
  auto db = openOk(AdapterType::File, dir.string(), "issue-7", issueSchema(), kIssueBoot, {{"issueId", "7"}});
  ASSERT_TRUE(db);
  EXPECT_EQ(db->path(), (dir / "issue-7.sqlite").string());
  EXPECT_TRUE(fs::is_regular_file(dir / "issue-7.sqlite"));
}

TEST(StoreDbOpen, FileStoreRowsSurviveCloseAndReopen) {
  const std::string dir = (freshDir() / "stores").string();
  {
    auto db = openOk(AdapterType::File, dir, "issue-1", issueSchema(), kIssueBoot, {{"issueId", "1"}});
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->query("SELECT 1").ok());
  }
  auto again = openOk(AdapterType::File, dir, "issue-1", issueSchema(), {}, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(scalar(*again, "SELECT id || '|' || title FROM issue"), "1|Issue 1");
}

TEST(StoreDbOpen, FileStoreBootRunsOnEveryLoadAgainstTheKeptRows) {
  const std::string dir = (freshDir() / "stores").string();
  const std::vector<std::string> boot = {"INSERT INTO log(n) VALUES (:n)"};
  const SchemaSpec schema{{TableSpec{"log", {{"n", "TEXT"}}}}};
  openOk(AdapterType::File, dir, "s-1", schema, boot, {{"n", "a"}});
  auto db = openOk(AdapterType::File, dir, "s-1", schema, boot, {{"n", "b"}});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT group_concat(n, ',') FROM log"), "a,b");
}

TEST(StoreDbOpen, MemoryStoreRowsDoNotSurviveClose) {
  const std::vector<std::string> boot = {"INSERT INTO log(n) VALUES (:n)"};
  const SchemaSpec schema{{TableSpec{"log", {{"n", "TEXT"}}}}};
  openOk(AdapterType::Memory, "", "s-1", schema, boot, {{"n", "a"}});
  auto db = openOk(AdapterType::Memory, "", "s-1", schema, {}, {});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM log"), "0");
}

TEST(StoreDbOpen, AFileThatIsNotADatabaseFailsByPath) {
  const fs::path dir = freshDir();
  {
    std::FILE* f = std::fopen((dir / "junk.sqlite").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not an SQLite database, just some text long enough to have a header.....", f);
    std::fclose(f);
  }
  auto db = StoreDb::open(AdapterType::File, dir.string(), "junk", {}, {}, {});
  EXPECT_EQ(errorOf(db), "cannot open \"" + (dir / "junk.sqlite").string() + "\": file is not a database");
}

TEST(StoreDbOpen, AFileStoreWaitsForAnotherWritersLockInsteadOfFailing) {
  // Two `run`s of one scenario (or two inspectors) open the same store file at once.
  const fs::path dir = freshDir();
  auto first = openOk(AdapterType::File, dir.string(), "issue-3", issueSchema(), kIssueBoot, {{"issueId", "3"}});
  ASSERT_TRUE(first);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "issue-3.sqlite").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread release([other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  auto second = StoreDb::open(AdapterType::File, dir.string(), "issue-3", issueSchema(), kIssueBoot,
                              {{"issueId", "3"}});
  release.join();
  sqlite3_close(other);
  ASSERT_TRUE(second.ok()) << second.message();
  EXPECT_EQ(scalar(**second, "SELECT COUNT(*) FROM issue"), "1");
}

// [SECTION] schema

TEST(StoreDbSchema, CreatesEachTableWithItsColumnsInOrder) {
  const SchemaSpec schema{{TableSpec{"issue", {{"id", "TEXT PRIMARY KEY"}, {"title", "TEXT"}}},
                           TableSpec{"comment", {{"id", "INTEGER PRIMARY KEY"}, {"body", ""}}}}};
  auto db = openOk(AdapterType::Memory, "", "s-1", schema, {}, {});
  ASSERT_TRUE(db);
  auto cols = db->query("SELECT name, type, pk FROM pragma_table_info('issue')");
  ASSERT_TRUE(cols.ok()) << cols.message();
  EXPECT_EQ(cols->rows, (std::vector<std::vector<std::string>>{{"id", "TEXT", "1"}, {"title", "TEXT", "0"}}));
  auto comment = db->query("SELECT name, type FROM pragma_table_info('comment')");
  ASSERT_TRUE(comment.ok()) << comment.message();
  EXPECT_EQ(comment->rows, (std::vector<std::vector<std::string>>{{"id", "INTEGER"}, {"body", ""}}));
}

TEST(StoreDbSchema, ExistingTablesAreKept) {
  const std::string dir = (freshDir() / "stores").string();
  openOk(AdapterType::File, dir, "s-1", issueSchema(), kIssueBoot, {{"issueId", "1"}});
  // A different declaration for an existing table changes nothing: CREATE TABLE IF NOT EXISTS.
  const SchemaSpec other{{TableSpec{"issue", {{"other", "INTEGER"}}}}};
  auto db = openOk(AdapterType::File, dir, "s-1", other, {}, {});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT group_concat(name, ',') FROM pragma_table_info('issue')"), "id,title");
}

TEST(StoreDbSchema, RefusesInvalidIdentifiers) {
  const SchemaSpec badTable{{TableSpec{"bad name", {{"id", "TEXT"}}}}};
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", badTable, {}, {})),
            "schema table \"bad name\": not a valid SQL identifier");
  const SchemaSpec badColumn{{TableSpec{"issue", {{"id\"); DROP TABLE x; --", "TEXT"}}}}};
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", badColumn, {}, {})),
            "schema table \"issue\": column \"id\"\"); DROP TABLE x; --\": not a valid SQL identifier");
  const SchemaSpec noColumns{{TableSpec{"issue", {}}}};
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", noColumns, {}, {})),
            "schema table \"issue\": no columns");
}

TEST(StoreDbSchema, ReportsSqliteErrorsForTheTable) {
  const SchemaSpec badType{{TableSpec{"issue", {{"id", "TEXT PRIMARY KEY PRIMARY KEY"}}}}};
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", badType, {}, {})),
            "schema table \"issue\": table \"issue\" has more than one primary key");
  const SchemaSpec smuggled{{TableSpec{"issue", {{"id", "TEXT); DROP TABLE other; --"}}}}};
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", smuggled, {}, {})),
            "schema table \"issue\": a column type may not end the statement");
}

// [SECTION] boot

TEST(StoreDbBoot, BindsParamValuesAsDataNeverAsSql) {
  const std::string evil = "1'); DROP TABLE issue; --";
  auto db = openOk(AdapterType::Memory, "", "s", issueSchema(), kIssueBoot, {{"issueId", evil}});
  ASSERT_TRUE(db);
  auto rows = db->query("SELECT id, title FROM issue");
  ASSERT_TRUE(rows.ok()) << rows.message();
  EXPECT_EQ(rows->rows, (std::vector<std::vector<std::string>>{{evil, "Issue " + evil}}));
  const auto tables = db->tables();
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].name, "issue");
  EXPECT_EQ(tables[0].rows, 1);
}

TEST(StoreDbBoot, AcceptsColonAtAndDollarParameterNames) {
  const SchemaSpec schema{{TableSpec{"t", {{"a", "TEXT"}, {"b", "TEXT"}, {"c", "TEXT"}}}}};
  auto db = openOk(AdapterType::Memory, "", "s", schema, {"INSERT INTO t VALUES (:storeId, @x, $x)"},
                   {{"storeId", "s"}, {"x", "v"}});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT a || b || c FROM t"), "svv");
}

TEST(StoreDbBoot, SkipsParamsTheStatementDoesNotUse) {
  auto db = openOk(AdapterType::Memory, "", "s", issueSchema(), kIssueBoot,
                   {{"storeId", "s"}, {"issueId", "9"}, {"unused", "x"}});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT title FROM issue"), "Issue 9");
}

TEST(StoreDbBoot, AMissingParameterIsAnErrorNamingIt) {
  EXPECT_EQ(
      errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(), kIssueBoot, {{"storeId", "s"}})),
      "boot statement 1: no value for parameter :issueId (given: :storeId)");
  EXPECT_EQ(
      errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(), {"SELECT 1", "SELECT $who"}, {})),
      "boot statement 2: no value for parameter $who (given: none)");
}

TEST(StoreDbBoot, PositionalParametersAreRefused) {
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(), {"SELECT ?"}, {{"a", "1"}})),
            "boot statement 1: positional parameters (?, ?NNN) are not supported; use a named one such as "
            ":storeId");
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(), {"SELECT ?2"}, {})),
            "boot statement 1: positional parameters (?, ?NNN) are not supported; use a named one such as "
            ":storeId");
}

TEST(StoreDbBoot, ReportsTheFailingStatementWithSqlitesMessage) {
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", {}, kIssueBoot, {{"issueId", "1"}})),
            "boot statement 1: no such table: issue");
  EXPECT_EQ(errorOf(StoreDb::open(
                AdapterType::Memory, "", "s", issueSchema(),
                {"INSERT INTO issue(id) VALUES ('a')", "INSERT INTO issue(id) VALUES ('a')"}, {})),
            "boot statement 2: UNIQUE constraint failed: issue.id");
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", {}, {"SELEC 1"}, {})),
            "boot statement 1: near \"SELEC\": syntax error");
}

TEST(StoreDbBoot, RefusesMoreThanOneStatementPerEntryAndEmptyEntries) {
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(),
                                  {"INSERT INTO issue(id) VALUES ('a'); DROP TABLE issue"}, {})),
            "boot statement 1: more than one statement; give each its own entry");
  EXPECT_EQ(errorOf(StoreDb::open(AdapterType::Memory, "", "s", issueSchema(), {"  -- nothing\n"}, {})),
            "boot statement 1: no SQL statement");
}

TEST(StoreDbBoot, TrailingSemicolonsAndCommentsAreNotAnotherStatement) {
  auto db = openOk(AdapterType::Memory, "", "s", issueSchema(),
                   {"INSERT INTO issue(id) VALUES ('a'); ; -- done\n /* really */ "}, {});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM issue"), "1");
}

TEST(StoreDbBoot, ASelectInBootIsRunAndItsRowsIgnored) {
  auto db = openOk(AdapterType::Memory, "", "s", issueSchema(),
                   {"SELECT * FROM issue", "SELECT 1 UNION SELECT 2"}, {});
  EXPECT_TRUE(db);
}

// [SECTION] tables and memory

TEST(StoreDbTables, ListsUserTablesByNameWithRowCounts) {
  const SchemaSpec schema{{TableSpec{"zeta", {{"n", "INTEGER"}}}, TableSpec{"alpha", {{"n", "INTEGER"}}},
                           TableSpec{"seq", {{"id", "INTEGER PRIMARY KEY AUTOINCREMENT"}}}}};
  auto db = openOk(AdapterType::Memory, "", "s", schema,
                   {"INSERT INTO zeta VALUES (1), (2), (3)", "INSERT INTO seq DEFAULT VALUES",
                    "CREATE VIEW v AS SELECT * FROM zeta", "CREATE TABLE \"we\"\"ird\"(x)",
                    "INSERT INTO \"we\"\"ird\" VALUES (1), (2)"},
                   {});
  ASSERT_TRUE(db);
  const auto tables = db->tables();
  ASSERT_EQ(tables.size(), 4u);  // no sqlite_sequence, no view
  EXPECT_EQ(tables[0].name, "alpha");
  EXPECT_EQ(tables[0].rows, 0);
  EXPECT_EQ(tables[1].name, "seq");
  EXPECT_EQ(tables[1].rows, 1);
  EXPECT_EQ(tables[2].name, "we\"ird");
  EXPECT_EQ(tables[2].rows, 2);
  EXPECT_EQ(tables[3].name, "zeta");
  EXPECT_EQ(tables[3].rows, 3);
}

TEST(StoreDbTables, AnEmptyDatabaseHasNoTables) {
  auto db = openOk(AdapterType::Memory, "", "s", {}, {}, {});
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->tables().empty());
}

TEST(StoreDbMemory, ReportsCacheAndSchemaBytesAfterLoad) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  const DbMemory m = db->memory();
  EXPECT_GT(m.cacheBytes, 0);
  EXPECT_GT(m.schemaBytes, 0);
  EXPECT_GE(m.statementBytes, 0);
  EXPECT_EQ(m.total(), m.cacheBytes + m.schemaBytes + m.statementBytes);
}

// [SECTION] query

TEST(StoreDbQuery, ReturnsColumnNamesAndRowsAsText) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  auto r = db->query("SELECT id, title AS t, NULL AS absent, 2.5 AS r, x'00FF1a' AS b, 42 AS n FROM issue");
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->columns, (std::vector<std::string>{"id", "t", "absent", "r", "b", "n"}));
  EXPECT_EQ(r->rows,
            (std::vector<std::vector<std::string>>{{"1", "Issue 1", "NULL", "2.5", "x'00FF1A'", "42"}}));
  EXPECT_FALSE(r->truncated);
}

TEST(StoreDbQuery, AllowsReadingPragmasAndExplain) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "0");
  EXPECT_EQ(scalar(*db, "PRAGMA foreign_keys"), "0");
  auto info = db->query("PRAGMA table_info(issue)");
  ASSERT_TRUE(info.ok()) << info.message();
  EXPECT_EQ(info->rows.size(), 2u);
  EXPECT_TRUE(db->query("EXPLAIN QUERY PLAN SELECT * FROM issue WHERE id = '1'").ok());
}

TEST(StoreDbQuery, TruncatesAtMaxRows) {
  auto db = openOk(AdapterType::Memory, "", "s", {}, {}, {});
  ASSERT_TRUE(db);
  const char* fiveRows =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c";
  auto cut = db->query(fiveRows, 3);
  ASSERT_TRUE(cut.ok()) << cut.message();
  EXPECT_EQ(cut->rows, (std::vector<std::vector<std::string>>{{"1"}, {"2"}, {"3"}}));
  EXPECT_TRUE(cut->truncated);
  auto exact = db->query(fiveRows, 5);
  ASSERT_TRUE(exact.ok()) << exact.message();
  EXPECT_EQ(exact->rows.size(), 5u);
  EXPECT_FALSE(exact->truncated);
  auto none = db->query(fiveRows, 0);
  ASSERT_TRUE(none.ok()) << none.message();
  EXPECT_TRUE(none->rows.empty());
  EXPECT_TRUE(none->truncated);
}

TEST(StoreDbQuery, RefusesWritesWithAReadOnlyPrefix) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"INSERT INTO issue(id) VALUES ('2')", "read-only: INSERT into \"issue\" is refused"},
      {"UPDATE issue SET title = 'x'", "read-only: UPDATE of \"issue\" is refused"},
      {"DELETE FROM issue", "read-only: DELETE from \"issue\" is refused"},
      {"CREATE TABLE t(x)", "read-only: CREATE TABLE \"t\" is refused"},
      {"CREATE TEMP TABLE t(x)", "read-only: CREATE TABLE \"t\" is refused"},
      {"DROP TABLE issue", "read-only: DROP TABLE \"issue\" is refused"},
      {"CREATE INDEX i ON issue(title)", "read-only: CREATE INDEX \"i\" is refused"},
      {"ALTER TABLE issue ADD COLUMN x", "read-only: ALTER TABLE \"issue\" is refused"},
      {"PRAGMA user_version = 5", "read-only: PRAGMA user_version with a value is refused"},
      {"PRAGMA query_only = OFF", "read-only: PRAGMA query_only with a value is refused"},
      {"PRAGMA journal_mode = DELETE", "read-only: PRAGMA journal_mode with a value is refused"},
      {"PRAGMA optimize", "read-only: PRAGMA optimize is refused"},
      {"ATTACH ':memory:' AS other", "read-only: ATTACH is refused"},
      {"BEGIN", "read-only: BEGIN is refused"},
      {"SAVEPOINT s", "read-only: SAVEPOINT is refused"},
      {"VACUUM", "read-only: the statement would write to the database"},
      {"VACUUM INTO 'elsewhere.sqlite'", "read-only: the statement would write to the database"},
      {"INSERT INTO sqlite_master VALUES ('table', 'x', 'x', 0, '')",
       "read-only: INSERT into \"sqlite_master\" is refused"},
      {"REINDEX", "read-only: REINDEX is refused"},
      {"ANALYZE", "read-only: CREATE TABLE \"sqlite_stat1\" is refused"},
      {"DETACH main", "read-only: DETACH is refused"},
      {"SELECT 1 FROM issue WHERE id IN (SELECT id FROM issue); DROP TABLE issue",
       "read-only: one statement at a time; more SQL follows the first"},
      {"SELECT 1; DELETE FROM issue", "read-only: one statement at a time; more SQL follows the first"},
      {"SELECT 1; SELECT 2", "read-only: one statement at a time; more SQL follows the first"},
      {"WITH d AS (SELECT 1) DELETE FROM issue", "read-only: DELETE from \"issue\" is refused"},
  };
  for (const auto& [sql, message] : cases) {
    EXPECT_EQ(errorOf(db->query(sql)), message) << sql;
  }
  // Nothing changed, and the connection is back to its writable setting.
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) || title FROM issue"), "1Issue 1");
  EXPECT_EQ(scalar(*db, "PRAGMA user_version"), "0");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM pragma_index_list('issue')"), "1");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM pragma_database_list"), "1");
  EXPECT_EQ(db->tables().size(), 1u);
}

TEST(StoreDbQuery, RunsUnderQueryOnly) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "PRAGMA query_only"), "1");
  EXPECT_EQ(scalar(*db, "SELECT query_only FROM pragma_query_only"), "1");
}

TEST(StoreDbQuery, ReportsSyntaxErrorsAndEmptyQueries) {
  auto db = memoryIssueDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(errorOf(db->query("SELEC 1")), "near \"SELEC\": syntax error");
  EXPECT_EQ(errorOf(db->query("SELECT * FROM nope")), "no such table: nope");
  EXPECT_EQ(errorOf(db->query("  -- just a comment")), "empty query: give one SELECT statement");
  EXPECT_EQ(errorOf(db->query("SELECT 1;  ")).substr(0, 4), "<ok>");
}

TEST(StoreDbQuery, StopsARunawayQuery) {
  auto db = openOk(AdapterType::Memory, "", "s", {}, {}, {});
  ASSERT_TRUE(db);
  EXPECT_EQ(errorOf(db->query(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c")),
            "query stopped after 100000000 steps; is it unbounded (a recursive CTE without a LIMIT)?");
  EXPECT_EQ(scalar(*db, "SELECT 7"), "7");
}

}  // namespace
}  // namespace si
