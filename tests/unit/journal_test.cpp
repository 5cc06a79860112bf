// Journals (SPEC 6): the command log replays to exactly the recorded events.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "journal.hpp"
#include "cli_outcome.hpp"
#include "scenario_files.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;

namespace {

using si::test::scenarioFiles;

std::string tmpPath(const std::string& name) {
  return (si::test::testDir("journal") / name).string();
}

std::vector<si::json> eventsOf(const si::Session& s) {
  std::vector<si::json> out;
  for (const si::Event& e : s.registry().events()) out.push_back(s.registry().eventJson(e));
  return out;
}

// Runs a scenario with a journal, appending after every step as the CLI does.
std::unique_ptr<si::Session> runWithJournal(const std::string& scenario, const std::string& path,
                                            size_t maxSteps = SIZE_MAX) {
  auto sc = si::loadScenarioFile(scenario, {});
  EXPECT_TRUE(sc.ok()) << (sc ? "" : sc.message());
  if (!sc) return nullptr;
  auto s = std::make_unique<si::Session>(sc->config);
  auto w = si::JournalWriter::create(path, *s);
  EXPECT_TRUE(w.ok()) << (w ? "" : w.message());
  if (!w) return nullptr;
  for (size_t i = 0; i < sc->steps.size() && i < maxSteps; ++i) {
    s->execute(sc->steps[i]);
    EXPECT_TRUE((*w)->append(*s).ok());
  }
  return s;
}

using si::test::queryText;

}  // namespace

TEST(Journal, EveryExampleScenarioReplaysToExactlyTheRecordedEvents) {
  for (const std::string& scenario : scenarioFiles()) {
    SCOPED_TRACE(scenario);
    const std::string path = tmpPath(fs::path(scenario).stem().string() + ".sqlite");
    std::vector<si::json> live;
    size_t commands = 0;
    {
      auto s = runWithJournal(scenario, path);
      ASSERT_TRUE(s);
      live = eventsOf(*s);
      commands = s->commands().size();
    }
    auto j = si::readJournal(path);
    ASSERT_TRUE(j.ok()) << j.message();
    EXPECT_EQ(j->commands.size(), commands);
    ASSERT_EQ(j->events.size(), live.size());
    for (size_t i = 0; i < live.size(); ++i) EXPECT_EQ(j->events[i], live[i]) << "event " << i;

    auto replayed = si::replayJournal(*j);
    ASSERT_TRUE(replayed.ok()) << replayed.message();
    const std::vector<si::json> again = eventsOf(**replayed);
    ASSERT_EQ(again.size(), j->events.size());
    for (size_t i = 0; i < again.size(); ++i) EXPECT_EQ(again[i], j->events[i]) << "event " << i;
  }
}

TEST(Journal, HasExactlyTheThreeTablesAndTheSessionKeys) {
  const std::string scenario = std::string(SI_ASSETS_DIR) + "/scenarios/longest-wins-under-last.json";
  const std::string path = tmpPath("tables.sqlite");
  { ASSERT_TRUE(runWithJournal(scenario, path)); }
  EXPECT_EQ(queryText(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
            "commands|events|session");
  EXPECT_EQ(queryText(path, "SELECT key FROM session ORDER BY key"),
            "baseDir|config|environment|policy|version");
  EXPECT_EQ(queryText(path, "SELECT value FROM session WHERE key = 'policy'"), "last");
  EXPECT_EQ(queryText(path, "SELECT value FROM session WHERE key = 'environment'"), "browser");
  EXPECT_EQ(queryText(path, "SELECT value FROM session WHERE key = 'version'"), SI_VERSION);
  EXPECT_EQ(queryText(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(queryText(path, "SELECT command FROM commands WHERE seq = 4"), "{\"advance\":150}");
  EXPECT_EQ(queryText(path, "SELECT t_ms FROM commands WHERE seq = 5"), "150");
  // The first event: the list view's attach creates generation 1.
  EXPECT_EQ(queryText(path, "SELECT kind || ' ' || store_id || ' ' || generation || ' ' || "
                            "state_from || '->' || state_to || ' ' || detail FROM events WHERE seq = 1"),
            "instance_created issue-3 1 ABSENT->LOADING "
            "{\"gcTime\":30000,\"clientId\":\"default-client\",\"sessionId\":\"default-session\"}");
  EXPECT_EQ(queryText(path, "SELECT count(*) FROM events WHERE kind = 'disposed' AND "
                            "detail = '{\"reason\":\"gc\"}' AND t_ms = 6150"),
            "1");
}

TEST(Journal, RegistryWideEventsHaveNullStoreColumns) {
  const std::string scenario = std::string(SI_ASSETS_DIR) + "/scenarios/ownership-conflict.json";
  const std::string path = tmpPath("nulls.sqlite");
  { ASSERT_TRUE(runWithJournal(scenario, path)); }
  EXPECT_EQ(queryText(path, "SELECT count(*) FROM events WHERE kind = 'step_failed' AND store_id IS "
                            "NULL AND generation IS NULL AND state_from IS NULL"),
            "10");
  EXPECT_EQ(queryText(path, "SELECT detail FROM events WHERE kind = 'step_failed' ORDER BY seq LIMIT 1"),
            "{\"message\":\"storeId \\\"issue-5\\\" already belongs to \\\"issue\\\", not "
            "\\\"issueEditor\\\"\"}");
}

TEST(Journal, ReplacesAnExistingFile) {
  const std::string path = tmpPath("replace.sqlite");
  {
    std::ofstream f(path);
    f << "not a journal at all";
  }
  { ASSERT_TRUE(runWithJournal(std::string(SI_ASSETS_DIR) + "/scenarios/ssr-default.json", path)); }
  auto j = si::readJournal(path);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->environment, si::Environment::Ssr);
  EXPECT_FALSE(j->commands.empty());
}

TEST(Journal, AJournalCutOffMidRunIsReadableUpToItsLastCommittedStep) {
  const std::string scenario = std::string(SI_ASSETS_DIR) + "/scenarios/issue-navigation.json";
  const std::string path = tmpPath("cut.sqlite");
  const std::string copy = tmpPath("cut-copy.sqlite");
  fs::remove(copy);
  fs::remove(copy + "-wal");
  auto sc = si::loadScenarioFile(scenario, {});
  ASSERT_TRUE(sc.ok());
  si::Session s(sc->config);
  auto w = si::JournalWriter::create(path, s);
  ASSERT_TRUE(w.ok()) << w.message();
  for (size_t i = 0; i < 6; ++i) {
    s.execute(sc->steps[i]);
    ASSERT_TRUE((*w)->append(s).ok());
  }
  // The process "dies" here: the database and its write-ahead log as they are on disk.
  fs::copy_file(path, copy);
  ASSERT_TRUE(fs::exists(path + "-wal"));
  fs::copy_file(path + "-wal", copy + "-wal");
  auto j = si::readJournal(copy);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->commands.size(), 6u);
  EXPECT_EQ(j->events.size(), s.registry().events().size());
  auto replayed = si::replayJournal(*j);
  ASSERT_TRUE(replayed.ok()) << replayed.message();
  EXPECT_EQ(eventsOf(**replayed), j->events);
}

TEST(Journal, AFileThatIsNotAJournalGivesAClearError) {
  const std::string text = tmpPath("text.sqlite");
  {
    std::ofstream f(text);
    f << "hello, this is plain text and certainly not a SQLite database file at all.......\n"
      << std::string(200, 'x');
  }
  auto a = si::readJournal(text);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.message(), text + ": not a store-inspector journal (file is not a database)");

  const std::string other = tmpPath("other.sqlite");
  fs::remove(other);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto b = si::readJournal(other);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.message(), other + ": not a store-inspector journal (no session table)");

  auto c = si::readJournal(tmpPath("missing.sqlite"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.message(), tmpPath("missing.sqlite") + ": cannot read: no such file");
  EXPECT_FALSE(fs::exists(tmpPath("missing.sqlite")));  // reading never creates a file
}

TEST(Journal, CreatingInAMissingFolderFailsWithThePath) {
  const std::string path = tmpPath("no-such-folder/j.sqlite");
  si::Session s(si::Config{});
  auto w = si::JournalWriter::create(path, s);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.message().rfind(path + ": cannot create: ", 0), 0u) << w.message();
}

TEST(Journal, ReplayRejectsACommandLogWhoseTimesDisagree) {
  si::JournalData j;
  j.config = si::json::object();
  j.baseDir = ".";
  j.commands.push_back({0, si::json{{"advance", 100}}});
  j.commands.push_back({50, si::json{{"advance", 1}}});
  auto r = si::replayJournal(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "journal command 2: recorded at t=50 but the replay is at t=100");
}
