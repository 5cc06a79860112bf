// Journals are read, never trusted (SPEC 2.6, 6): replays write only into private scratch
// folders, a journal must be three plain tables within size limits, `--journal PATH` replaces
// only a regular file no one else is writing, and journal integers are compared at full width.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "journal.hpp"
#include "cli_outcome.hpp"
#include "test_dir.hpp"
#include "time_travel.hpp"

namespace fs = std::filesystem;
using si::json;

namespace {

fs::path dirOf() { return si::test::testDir("journal-hardening"); }

std::string write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

using si::test::cli;
using si::test::Outcome;

using si::test::queryText;

// Every file under `dir` with its size: what a replay must leave exactly as it was.
std::string listing(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return "<absent>";
  std::vector<std::string> lines;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string line = e.path().lexically_relative(dir).string();
    if (e.is_regular_file() && !e.is_symlink()) line += " " + std::to_string(e.file_size());
    lines.push_back(line + "\n");
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l;
  return out;
}

// A config whose file store boots one more row on every load (plain INSERT), so a replay
// against the real folder would show as new rows.
json growingConfig(const std::string& directory) {
  return json::parse(R"json({
    "storeOptions": {
      "issue": {
        "storeId": "issue-{issueId}",
        "gcTime": 1000,
        "adapter": { "type": "file", "directory": ")json" + directory + R"json(", "loadMs": 10 },
        "schema": { "tables": { "boot_log": { "n": "INTEGER" } } },
        "boot": { "sql": ["INSERT INTO boot_log(n) VALUES (1)"] }
      }
    }
  })json");
}

const std::vector<json> kGrowingSteps = {
    json::parse(R"({ "attach": { "observer": "a", "use": "issue", "params": { "issueId": "7" } } })"),
    json::parse(R"({ "advance": 10 })"),
    json::parse(R"({ "detach": "a" })"),
    json::parse(R"({ "advance": 2000 })"),
    json::parse(R"({ "attach": { "observer": "b", "use": "issue", "params": { "issueId": "7" } } })"),
    json::parse(R"({ "advance": 10 })"),
};

// A journal recorded from a sandboxed session, so recording it never touches `victim`: its
// config names `victim` (absolute) as the file adapter's directory and `baseDir` as its folder.
std::string craftedJournal(const std::string& path, const fs::path& victim) {
  auto cfg = si::parseConfig(growingConfig(victim.string()), dirOf().string());
  EXPECT_TRUE(cfg.ok()) << (cfg ? "" : cfg.message());
  auto sandbox = si::FileSandbox::create("test", false);
  EXPECT_TRUE(sandbox.ok());
  cfg->sandbox = *sandbox;
  si::Session s(*cfg);
  for (const json& step : kGrowingSteps) s.execute(step);
  auto w = si::JournalWriter::create(path, s);
  EXPECT_TRUE(w.ok()) << (w ? "" : w.message());
  return path;
}

}  // namespace

// [SECTION] Every replay runs file adapters inside a private scratch folder (issue 9, item 2)

TEST(JournalReplay, ReplayingACraftedJournalNeverWritesIntoTheFoldersItNames) {
  const fs::path victim = dirOf() / "victim";
  fs::remove_all(victim);
  const std::string path = craftedJournal((dirOf() / "crafted.sqlite").string(), victim);
  ASSERT_EQ(listing(victim), "<absent>");

  auto j = si::readJournal(path);
  ASSERT_TRUE(j.ok()) << j.message();
  auto replayed = si::replayJournal(*j);
  ASSERT_TRUE(replayed.ok()) << replayed.message();
  EXPECT_EQ((*replayed)->registry().events().size(), j->events.size());
  EXPECT_EQ(listing(victim), "<absent>");

  Outcome check = cli({"check", path});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out, path + ": ok (journal, 6 commands, " + std::to_string(j->events.size()) +
                           " events, replay matches)\n");
  EXPECT_EQ(listing(victim), "<absent>");
}

TEST(JournalReplay, CheckingAGenuineJournalAddsNoRowsToTheRealStores) {
  const fs::path dir = si::test::freshTestDir("journal-hardening");
  json steps = json::array();
  for (const json& s : kGrowingSteps) steps.push_back(s);
  const std::string scenario = write(dir / "grow.json", json{{"config", growingConfig("stores")},
                                                             {"steps", steps}}.dump());
  const std::string journal = (dir / "grow.sqlite").string();
  Outcome run = cli({"run", scenario, "--journal", journal});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string store = (dir / "stores" / "issue-7.sqlite").string();
  ASSERT_EQ(queryText(store, "SELECT count(*) FROM boot_log"), "2");
  const std::string before = listing(dir / "stores");

  Outcome check = cli({"check", journal});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(queryText(store, "SELECT count(*) FROM boot_log"), "2");
  EXPECT_EQ(listing(dir / "stores"), before);
}

TEST(JournalReplay, TheWindowsJournalSessionsAndTimeTravelStayInTheScratchFolder) {
  const fs::path victim = dirOf() / "victim-window";
  fs::remove_all(victim);
  const std::string path = craftedJournal((dirOf() / "window.sqlite").string(), victim);
  auto j = si::readJournal(path);
  ASSERT_TRUE(j.ok()) << j.message();
  // What the window builds its live session from (app/gui_journal.cpp).
  auto cfg = si::journalConfig(*j);
  ASSERT_TRUE(cfg.ok()) << cfg.message();
  ASSERT_TRUE(cfg->sandbox);
  const std::string scratch = cfg->sandbox->path();
  {
    si::Session live(std::move(*cfg));  // only the session (and its copies) hold the sandbox
    for (const si::Session::Command& c : j->commands) live.execute(c.step());
    si::TimeTravel tt(2);
    const si::Session& past = tt.at(live, 5);
    EXPECT_EQ(past.registry().now(), 5);
    EXPECT_EQ(listing(victim), "<absent>");
    EXPECT_TRUE(fs::exists(scratch));
  }
  EXPECT_FALSE(fs::exists(scratch));  // removed when the last session let go
}

// [SECTION] A journal is three plain tables within limits, read on a step budget (item 4)

namespace {

// Runs SQL against a database file (the test's own tampering); fails the test on error.
void sql(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* msg = nullptr;
  const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &msg);
  const std::string m = msg ? msg : "";
  sqlite3_free(msg);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << m;
}

// A genuine journal of a short session with memory stores (nothing on disk but the journal).
std::string plainJournal(const std::string& name) {
  const std::string path = (dirOf() / name).string();
  auto cfg = si::parseConfig(json::parse(R"({ "registry": { "defaultOptions": { "gcTime": 100 } } })"), ".");
  EXPECT_TRUE(cfg.ok());
  si::Session s(*cfg);
  s.execute(json::parse(R"({ "attach": { "observer": "a", "storeId": "s-1" } })"));
  s.execute(json::parse(R"({ "advance": 50 })"));
  s.execute(json::parse(R"({ "detach": "a" })"));
  s.execute(json::parse(R"({ "advance": 500 })"));
  auto w = si::JournalWriter::create(path, s);
  EXPECT_TRUE(w.ok()) << (w ? "" : w.message());
  return path;
}

}  // namespace

TEST(JournalRead, ATableReplacedByAnEndlessViewIsRefusedWithoutRunningIt) {
  const std::string endless =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) ";
  const std::vector<std::pair<std::string, std::string>> views = {
      {"session", "CREATE VIEW session(key, value) AS " + endless + "SELECT x, x FROM c ORDER BY x DESC"},
      {"commands", "CREATE VIEW commands(seq, t_ms, command) AS " + endless +
                       "SELECT x, 0, '{}' FROM c ORDER BY x DESC"},
      {"events", "CREATE VIEW events(seq, t_ms, kind, store_id, generation, observer, state_from,"
                 " state_to, detail) AS " + endless +
                     "SELECT x, 0, 'k', NULL, NULL, NULL, NULL, NULL, NULL FROM c ORDER BY x DESC"},
  };
  for (const auto& [table, view] : views) {
    SCOPED_TRACE(table);
    const std::string path = plainJournal("view-" + table + ".sqlite");
    sql(path, "DROP TABLE " + table + "; " + view);
    auto j = si::readJournal(path);
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(j.message(), path + ": not a store-inspector journal (" + table +
                               " is a view, not a table)");
    Outcome check = cli({"check", path});
    EXPECT_EQ(check.code, 2);
    EXPECT_EQ(check.err, path + ": not a store-inspector journal (" + table +
                             " is a view, not a table)\n");
  }
}

TEST(JournalRead, TablesMustHaveExactlyTheJournalColumns) {
  const std::string renamed = plainJournal("renamed.sqlite");
  sql(renamed, "ALTER TABLE commands RENAME COLUMN command TO cmd");
  auto a = si::readJournal(renamed);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.message(), renamed + ": not a store-inspector journal (commands has columns"
                                   " (seq, t_ms, cmd), expected (seq, t_ms, command))");

  // seq that is not the INTEGER PRIMARY KEY would make ORDER BY seq sort the whole table.
  const std::string unkeyed = plainJournal("unkeyed.sqlite");
  sql(unkeyed, "DROP TABLE events; CREATE TABLE events(seq, t_ms, kind, store_id, generation,"
               " observer, state_from, state_to, detail)");
  auto b = si::readJournal(unkeyed);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.message(), unkeyed + ": not a store-inspector journal (events.seq is not its"
                                   " INTEGER PRIMARY KEY)");

  const std::string missing = plainJournal("no-events.sqlite");
  sql(missing, "DROP TABLE events");
  auto c = si::readJournal(missing);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.message(), missing + ": not a store-inspector journal (no events table)");
}

TEST(JournalRead, AVirtualTableIsNotAJournalTable) {
  const std::string path = plainJournal("virtual.sqlite");
  sql(path, "DROP TABLE commands; CREATE VIRTUAL TABLE commands USING fts5(seq, t_ms, command)");
  auto j = si::readJournal(path);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.message(), path + ": not a store-inspector journal (commands is a virtual table)");
}

TEST(JournalRead, SizeAndRowCountsAreCheckedBeforeAnythingIsLoaded) {
  const std::string path = plainJournal("limits.sqlite");
  const uintmax_t bytes = fs::file_size(path) +
                          (fs::exists(path + "-wal") ? fs::file_size(path + "-wal") : 0);
  si::JournalLimits small;
  small.maxBytes = 1000;
  auto a = si::readJournal(path, small);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.message(), path + ": too large to read as a journal (" + std::to_string(bytes) +
                             " bytes with its -wal file; the limit is 1000)");

  si::JournalLimits fewCommands;
  fewCommands.maxCommands = 3;
  auto b = si::readJournal(path, fewCommands);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.message(), path + ": commands has 4 rows, more than the limit of 3");

  si::JournalLimits fewEvents;
  fewEvents.maxEvents = 1;
  auto c = si::readJournal(path, fewEvents);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.message().rfind(path + ": events has ", 0), 0u) << c.message();
  EXPECT_NE(c.message().find(" rows, more than the limit of 1"), std::string::npos) << c.message();

  si::JournalLimits fewKeys;
  fewKeys.maxSessionRows = 2;
  auto d = si::readJournal(path, fewKeys);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.message(), path + ": session has 5 rows, more than the limit of 2");
}

TEST(JournalRead, EveryReadStopsAfterItsStepBudget) {
  const std::string path = (dirOf() / "budget.sqlite").string();
  {
    si::Session s(si::Config{});
    for (int i = 0; i < 300; ++i) s.execute(json{{"advance", 1}});
    ASSERT_TRUE(si::JournalWriter::create(path, s).ok());
  }
  si::JournalLimits tight;
  tight.stepsPerStatement = 1;
  tight.stepsPerRow = 0;
  auto j = si::readJournal(path, tight);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.message().rfind(path + ": reading the journal took more than ", 0), 0u)
      << j.message();
  EXPECT_NE(j.message().find(" steps; stopped"), std::string::npos) << j.message();
  EXPECT_TRUE(si::readJournal(path).ok());
}

TEST(JournalRead, ASymlinkOrAFifoIsNotOpened) {
  const std::string target = plainJournal("target.sqlite");
  const std::string link = (dirOf() / "link.sqlite").string();
  fs::remove(link);
  fs::create_symlink(target, link);
  auto a = si::readJournal(link);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.message(), link + ": cannot read: is a symbolic link");

  const std::string fifo = (dirOf() / "fifo.sqlite").string();
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(si::looksLikeSqlite(fifo));  // does not block waiting for a writer
  auto b = si::readJournal(fifo);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.message(), fifo + ": cannot read: is a FIFO, not a regular file");
}

TEST(JournalRead, ATriggerInAJournalNeverRuns) {
  const std::string path = plainJournal("trigger.sqlite");
  sql(path, "CREATE TABLE hits(n); CREATE TRIGGER t AFTER INSERT ON commands BEGIN"
            " INSERT INTO hits VALUES (1); END");
  auto j = si::readJournal(path);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->commands.size(), 4u);
  EXPECT_EQ(queryText(path, "SELECT count(*) FROM hits"), "0");
}

TEST(JournalRead, OldJournalsOfThisToolStillReadAndReplay) {
  const std::string path = plainJournal("old.sqlite");
  Outcome check = cli({"check", path});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out.rfind(path + ": ok (journal, 4 commands, ", 0), 0u) << check.out;
}

// [SECTION] Journal integers are read and compared at full width (item 15)

TEST(JournalRead, AGenerationTamperedBeyond32BitsIsADifference) {
  const std::string path = plainJournal("wide.sqlite");
  sql(path, "UPDATE events SET generation = 4294967297 WHERE seq = 1");
  auto j = si::readJournal(path);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->events[0]["generation"], json(int64_t{4294967297}));
  Outcome check = cli({"check", path});
  EXPECT_EQ(check.code, 2);
  EXPECT_EQ(check.err.rfind(path + ": replay differs at event 1: recorded ", 0), 0u) << check.err;
  EXPECT_NE(check.err.find("\"generation\":4294967297"), std::string::npos) << check.err;
}

TEST(JournalRead, AJournalIntegerThatIsNotAnIntegerIsRefused) {
  const std::string path = plainJournal("real.sqlite");
  sql(path, "UPDATE events SET generation = 1.5 WHERE seq = 1");
  auto a = si::readJournal(path);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.message(), path + ": event 1: generation is not an integer");

  const std::string t = plainJournal("real-t.sqlite");
  sql(t, "UPDATE commands SET t_ms = 'soon' WHERE seq = 2");
  auto b = si::readJournal(t);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.message(), t + ": command 2: t_ms is not an integer");
}

// [SECTION] --journal replaces only a regular file that is not an input of the run (item 5)

namespace {

std::string fileType(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "absent";
  if (S_ISLNK(st.st_mode)) return "symlink";
  if (S_ISFIFO(st.st_mode)) return "fifo";
  if (S_ISREG(st.st_mode)) return "file";
  return "other";
}


std::string simpleScenario(const fs::path& dir, const std::string& name) {
  return write(dir / name, R"({ "config": {}, "steps": [ { "advance": 5 } ] })");
}

}  // namespace

TEST(RunJournal, AFifoOrASymlinkIsRefusedAndLeftAlone) {
  const fs::path dir = si::test::freshTestDir("journal-hardening");
  const std::string scenario = simpleScenario(dir, "s.json");
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Outcome a = cli({"run", scenario, "--journal", fifo});
  EXPECT_EQ(a.code, 2);
  EXPECT_EQ(a.err, "run: --journal " + fifo + ": is a FIFO, not a regular file; nothing was replaced\n");
  EXPECT_EQ(a.out, "");
  EXPECT_EQ(fileType(fifo), "fifo");

  const std::string kept = write(dir / "kept.txt", "keep me");
  const std::string link = (dir / "link.sqlite").string();
  fs::create_symlink(kept, link);
  Outcome c = cli({"run", scenario, "--journal", link});
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.err, "run: --journal " + link + ": is a symbolic link, not a regular file;"
                   " nothing was replaced\n");
  EXPECT_EQ(fileType(link), "symlink");
  EXPECT_EQ(listing(dir), "fifo\nkept.txt 7\nlink.sqlite\ns.json 47\n");
}

// Checked without running (a regression must never get to replace /dev/null).
TEST(RunJournal, ADeviceNodeIsNotAJournalTarget) {
  auto s = si::checkJournalTarget("/dev/null");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "/dev/null: is a character device, not a regular file; nothing was replaced");
  EXPECT_EQ(fileType("/dev/null"), "other");
}

TEST(RunJournal, TheScenarioOrItsConfigIsNeverReplacedWhateverItsName) {
  const fs::path dir = si::test::freshTestDir("journal-hardening");
  const std::string scenario = simpleScenario(dir, "s.json");
  const std::string other = (dir / "sub" / ".." / "s.json").string();
  fs::create_directories(dir / "sub");
  Outcome a = cli({"run", scenario, "--journal", other});
  EXPECT_EQ(a.code, 2);
  EXPECT_EQ(a.err, "run: --journal " + other + ": is the scenario being run (" + scenario +
                       "); nothing was replaced\n");

  const std::string hard = (dir / "hard.sqlite").string();
  fs::create_hard_link(scenario, hard);
  Outcome b = cli({"run", scenario, "--journal", hard});
  EXPECT_EQ(b.code, 2);
  EXPECT_EQ(b.err, "run: --journal " + hard + ": is the scenario being run (" + scenario +
                       "); nothing was replaced\n");
  EXPECT_TRUE(fs::exists(hard));

  const std::string config = write(dir / "cfg.json", "{}");
  const std::string withRef = write(dir / "ref.json", R"({ "config": "cfg.json", "steps": [] })");
  Outcome c = cli({"run", withRef, "--journal", config});
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.err, "run: --journal " + config + ": is the config of the scenario being run (" +
                       (dir / "cfg.json").string() + "); nothing was replaced\n");
  EXPECT_EQ(listing(dir), "cfg.json 2\nhard.sqlite 47\nref.json 37\ns.json 47\nsub\n");
}

TEST(RunJournal, ARegularFileNoOneIsWritingIsStillReplaced) {
  const fs::path dir = si::test::freshTestDir("journal-hardening");
  const std::string scenario = simpleScenario(dir, "s.json");
  const std::string journal = write(dir / "j.sqlite", "an old file");
  Outcome o = cli({"run", scenario, "--journal", journal});
  EXPECT_EQ(o.code, 0) << o.err;
  auto j = si::readJournal(journal);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->commands.size(), 1u);
  EXPECT_FALSE(fs::exists(journal + ".lock"));  // the lock goes with the writer
}

// [SECTION] One writer per journal (item 12)

TEST(RunJournal, ASecondWriterIsRefusedAndTheFirstJournalSurvives) {
  const fs::path dir = si::test::freshTestDir("journal-hardening");
  const std::string journal = (dir / "shared.sqlite").string();
  auto cfg = si::parseConfig(json::object(), ".");
  ASSERT_TRUE(cfg.ok());
  si::Session first(*cfg);
  auto w = si::JournalWriter::create(journal, first);
  ASSERT_TRUE(w.ok()) << w.message();
  first.execute(json::parse(R"({ "advance": 7 })"));
  ASSERT_TRUE((*w)->append(first).ok());

  si::Session second(*cfg);
  auto w2 = si::JournalWriter::create(journal, second);
  ASSERT_FALSE(w2.ok());
  EXPECT_EQ(w2.message(), journal + ": another run is writing this journal (" + journal +
                              ".lock is locked); nothing was replaced");

  const std::string scenario = simpleScenario(dir, "s.json");
  Outcome o = cli({"run", scenario, "--journal", journal});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "run: --journal " + journal + ": another run is writing this journal (" +
                       journal + ".lock is locked); nothing was replaced\n");

  // A reader (check) still opens it while it is being written, and the first run goes on.
  Outcome check = cli({"check", journal});
  EXPECT_EQ(check.code, 0) << check.err;
  first.execute(json::parse(R"({ "advance": 3 })"));
  ASSERT_TRUE((*w)->append(first).ok());
  w->reset();
  auto j = si::readJournal(journal);
  ASSERT_TRUE(j.ok()) << j.message();
  ASSERT_EQ(j->commands.size(), 2u);
  EXPECT_EQ(j->commands[1].t, 7);

  // Once the first writer is gone the path can be replaced again.
  Outcome again = cli({"run", scenario, "--journal", journal});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_FALSE(fs::exists(journal + ".lock"));
}
