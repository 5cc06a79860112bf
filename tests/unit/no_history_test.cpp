// A session that keeps no history (Session::keepNoHistory, `ingest` without a journal) must
// do exactly what one that keeps it does: the same results, events, state and summary, with
// only the command being executed held.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "cli_live.hpp"
#include "driver.hpp"
#include "journal.hpp"
#include "journal_thread.hpp"
#include "scenario_files.hpp"
#include "session.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

std::string eventsText(const Registry& reg, Chunked<Event>::Range events) {
  std::string out;
  for (const Event& e : events) out += reg.eventJson(e).dump() + "\n";
  return out;
}

std::string stateText(const Session& s) {
  const Registry& reg = s.registry();
  json out = json::object();
  for (const StoreRecord& st : reg.stores())
    out["stores"].push_back(json::array({st.storeId, toString(st.state), st.generation, st.observers, st.gcDue}));
  for (const auto& [name, o] : s.observerNames()) out["observers"].push_back(name);
  out["now"] = reg.now();
  out["events"] = reg.eventCount();
  out["live"] = reg.counts().live;
  return out.dump();
}

TEST(NoHistory, EveryExampleRunsAsWithHistory) {
  for (const std::string& path : test::scenarioFiles()) {
    SCOPED_TRACE(path);
    auto sc = loadScenarioFile(path, {});
    ASSERT_TRUE(sc) << sc.message();
    Session kept(sc->config), none(sc->config);
    none.keepNoHistory();
    for (const json& step : sc->steps) {
      const StepResult a = kept.execute(step);
      const StepResult b = none.execute(step);
      EXPECT_EQ(a.ok, b.ok) << step;
      EXPECT_EQ(a.error, b.error) << step;
      EXPECT_EQ(a.checks.size(), b.checks.size()) << step;
      EXPECT_EQ(a.swallowed, b.swallowed) << step;
      EXPECT_EQ(a.lints, b.lints) << step;
      EXPECT_EQ(eventsText(kept.registry(), kept.registry().eventsSince(a.eventBegin)),
                eventsText(none.registry(), none.registry().eventsSince(b.eventBegin)))
          << step;
      EXPECT_EQ(none.commands().size(), 1u);
      EXPECT_EQ(none.results().size(), 1u);
      EXPECT_EQ(none.commands().back().dump(), kept.commands().back().dump());
    }
    EXPECT_EQ(stateText(kept), stateText(none));
    EXPECT_LT(none.registry().events().size(), kept.registry().events().size());
  }
}

TEST(NoHistory, AJournalIsRefusedForASessionWithoutHistory) {
  Session s(Config{});
  s.keepNoHistory();
  const std::string path = (test::freshTestDir("no-history") / "j.sqlite").string();
  auto w = JournalWriter::create(path, s);
  ASSERT_FALSE(w);
  EXPECT_NE(w.message().find("no longer has its whole history"), std::string::npos) << w.message();
}

json ingestJson(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"ingest", std::string(SI_ASSETS_DIR) + "/traces/livestore-double-boot.ndjson",
                                   "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  cli::run(args, nullptr, out, err);
  json j = json::parse(out.str(), nullptr, false);
  if (j.is_object()) j.erase("seconds");
  return j;
}

// `ingest` keeps the history only for a journal; the summary must not depend on it.
TEST(NoHistory, IngestSaysTheSameWithAndWithoutAJournal) {
  live::installLiveHandler();
  const std::string journal = (test::freshTestDir("no-history") / "i.sqlite").string();
  const json withHistory = ingestJson({"--journal", journal});
  const json without = ingestJson({});
  ASSERT_TRUE(without.is_object());
  ASSERT_FALSE(without["divergences"].empty());  // the double boot: there is something to say
  EXPECT_EQ(without, withHistory);
}

// Every row of a journal's table, one line each.
std::string tableText(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    const std::string sql = "SELECT * FROM " + table + " ORDER BY rowid";
    sqlite3_exec(db, sql.c_str(), [](void* text, int n, char** values, char**) {
      auto* o = static_cast<std::string*>(text);
      for (int i = 0; i < n; ++i) *o += std::string(values[i] ? values[i] : "NULL") + "|";
      *o += "\n";
      return 0;
    }, &out, nullptr);
  }
  sqlite3_close(db);
  return out;
}

// A churn of `n` attach / loaded / detach steps over 40 storeIds, as a bridge writes it.
std::string churnTrace(int n) {
  std::string out = R"({"v":1,"hello":{"app":"churn","library":"tanstack-query","defaultOptions":{"gcTime":50}}})" "\n";
  for (int i = 0; i < n; ++i) {
    const std::string id = "store-" + std::to_string(i % 40), t = std::to_string(i * 3);
    out += R"({"v":1,"t":)" + t + R"(,"step":{"attach":{"observer":"o)" + std::to_string(i) + R"(","storeId":")" + id +
           R"(","adapter":{"type":"external"}}}})" "\n";
    if (i % 40 == i) out += R"({"v":1,"t":)" + t + R"(,"step":{"loaded":")" + id + R"("}})" "\n";
    if (i >= 5) out += R"({"v":1,"t":)" + t + R"(,"step":{"detach":"o)" + std::to_string(i - 5) + R"("}})" "\n";
  }
  return out;
}

// `listen` and `ingest --journal` let the session forget what the journal has: memory stays
// bounded, and the journal is the same as one written from a session that forgot nothing.
TEST(NoHistory, AJournaledSessionForgetsWhatItsJournalHas) {
  live::installLiveHandler();
  const auto dir = test::freshTestDir("no-history");
  const std::string trace = (dir / "churn.ndjson").string();
  std::ofstream(trace) << churnTrace(9000);
  auto journalOf = [&](const std::string& path, bool forget) {
    Session s(Config{});
    auto w = JournalWriter::create(path, s);
    EXPECT_TRUE(w) << w.message();
    JournalThread j(std::move(*w));
    live::IngestOptions o;
    o.every = 1000;
    o.afterEach = [&](uint64_t) { EXPECT_TRUE((forget ? cli::journalAndForget(j, s) : j.append(s)).ok()); };
    auto rep = live::ingestTraces(s, {trace}, o);
    EXPECT_TRUE(rep) << rep.message();
    EXPECT_TRUE(j.finish().ok());
    return std::pair<size_t, size_t>{s.commands().first(), s.registry().events().first()};
  };
  const auto [keptCommands, keptEvents] = journalOf((dir / "kept.sqlite").string(), false);
  EXPECT_EQ(keptCommands, 0u);
  const auto [firstCommand, firstEvent] = journalOf((dir / "forgot.sqlite").string(), true);
  EXPECT_GT(firstCommand, 0u);  // whole chunks of commands, results and events were dropped
  EXPECT_GT(firstEvent, 0u);
  for (const char* table : {"commands", "events"}) {
    const std::string forgot = tableText((dir / "forgot.sqlite").string(), table);
    EXPECT_EQ(forgot, tableText((dir / "kept.sqlite").string(), table)) << table;
    EXPECT_GT(std::count(forgot.begin(), forgot.end(), '\n'), 15000) << table;
  }
  std::ostringstream out, err;
  EXPECT_EQ(cli::run({"check", (dir / "forgot.sqlite").string()}, nullptr, out, err), 0) << out.str() << err.str();
  EXPECT_NE(out.str().find("replay matches"), std::string::npos) << out.str();
}

// A journal `check` will not read back is said at the end of the run that wrote it.
TEST(NoHistory, AJournalOverTheReadLimitsIsSaidAtTheEnd) {
  live::installLiveHandler();
  const auto dir = test::freshTestDir("no-history");
  const std::string trace = (dir / "churn.ndjson").string(), path = (dir / "j.sqlite").string();
  std::ofstream(trace) << churnTrace(300);
  Session s(Config{});
  auto w = JournalWriter::create(path, s);
  ASSERT_TRUE(w) << w.message();
  JournalThread j(std::move(*w));
  live::IngestOptions o;
  o.afterEach = [&](uint64_t) { EXPECT_TRUE(cli::journalAndForget(j, s).ok()); };
  ASSERT_TRUE(live::ingestTraces(s, {trace}, o));
  ASSERT_TRUE(j.finish().ok());
  EXPECT_EQ(cli::journalOverLimits(j, path), "");  // the default limits: readable
  JournalLimits tight;
  tight.maxCommands = 100;
  tight.maxBytes = 1000;
  const std::string over = cli::journalOverLimits(j, path, tight);
  EXPECT_NE(over.find(" commands (at most 100) and "), std::string::npos) << over;
  EXPECT_NE(over.find(" bytes with its -wal file (at most 1000)"), std::string::npos) << over;
  EXPECT_EQ(over.find("events"), std::string::npos) << over;
  // What it says is what the reader does.
  EXPECT_FALSE(readJournal(path, tight)) << "the reader took a journal over its limits";
}

}  // namespace
}  // namespace si
