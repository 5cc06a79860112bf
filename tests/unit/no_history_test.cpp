// A session that keeps no history (Session::keepNoHistory, `ingest` without a journal) must
// do exactly what one that keeps it does: the same results, events, state and summary, with
// only the command being executed held.
#include <gtest/gtest.h>

#include <sstream>

#include "cli.hpp"
#include "driver.hpp"
#include "journal.hpp"
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
  EXPECT_NE(w.message().find("keeps no history"), std::string::npos) << w.message();
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

}  // namespace
}  // namespace si
