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

struct Outcome {
  int code;
  std::string out, err;
};

Outcome cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = si::cli::run(args, nullptr, out, err);
  return {code, out.str(), err.str()};
}

std::string queryText(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  std::string out = "<error>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, text.c_str(), -1, &st, nullptr) == SQLITE_OK) {
      out.clear();
      while (sqlite3_step(st) == SQLITE_ROW) {
        if (!out.empty()) out += "|";
        const unsigned char* t = sqlite3_column_text(st, 0);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

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
    for (const si::Session::Command& c : j->commands) live.execute(c.step);
    si::TimeTravel tt(2);
    const si::Session& past = tt.at(live, 5);
    EXPECT_EQ(past.registry().now(), 5);
    EXPECT_EQ(listing(victim), "<absent>");
    EXPECT_TRUE(fs::exists(scratch));
  }
  EXPECT_FALSE(fs::exists(scratch));  // removed when the last session let go
}
