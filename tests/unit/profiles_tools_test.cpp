// SPEC 11 rule profiles through the tools: journals keep a registry's profile, `compare
// --profiles` runs a log under each, and the Store panel's GC history names the rule behind a
// disposal.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_outcome.hpp"
#include "gc_history.hpp"
#include "journal.hpp"
#include "session.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;
using namespace si;

namespace {

std::string writeFile(const std::string& name, const std::string& text) {
  const std::string path = (test::testDir("profiles") / name).string();
  std::ofstream(path) << text;
  return path;
}

// attach at 0, detach at 100 while a 1500 ms load runs, gcTime 1000.
const char* kSlowSteps = R"([
    {"attach": {"observer": "p", "use": "report"}},
    {"advance": 100},
    {"detach": "p"},
    {"advance": 4000}])";

std::string slowScenario(const std::string& registryBlock, const std::string& extra = "") {
  return R"({"name": "slow", "config": {"registry": )" + registryBlock + R"(,
    "storeOptions": {"report": {"storeId": "report-1", "gcTime": 1000,
                                "adapter": {"type": "none", "loadMs": 1500}}}})" + extra +
         R"(, "steps": )" + kSlowSteps + "}";
}

std::vector<json> eventsOf(const Session& s) {
  std::vector<json> out;
  for (const Event& e : s.registry().events()) out.push_back(s.registry().eventJson(e));
  return out;
}

// Runs a scenario file with a journal, then replays the journal: both event lists.
std::pair<std::vector<json>, std::vector<json>> recordAndReplay(const std::string& scenario, const std::string& path) {
  auto sc = loadScenarioFile(scenario, {});
  EXPECT_TRUE(sc) << sc.message();
  if (!sc) return {};
  std::vector<json> live;
  {
    Session s(sc->config);
    auto w = JournalWriter::create(path, s);
    EXPECT_TRUE(w) << w.message();
    if (!w) return {};
    for (const json& step : sc->steps) {
      EXPECT_TRUE(s.execute(step).ok) << step.dump();
      EXPECT_TRUE((*w)->append(s).ok());
    }
    live = eventsOf(s);
  }
  auto j = readJournal(path);
  EXPECT_TRUE(j) << j.message();
  if (!j) return {};
  auto replayed = replayJournal(*j);
  EXPECT_TRUE(replayed) << replayed.message();
  if (!replayed) return {};
  return {live, eventsOf(**replayed)};
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The whitespace-separated cells of the first output line starting with `start`.
std::vector<std::string> rowStarting(const std::string& text, const std::string& start) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(start, 0) == 0) return words(line);
  }
  return {};
}

}  // namespace

// [SECTION] journals

TEST(ProfileJournal, ConfigAndCreateRegistryProfilesReplayToTheRecordedEvents) {
  const std::string scenario = writeFile("journal.json", R"({"config": {"registry": {"profile": "tanstack-query-5"},
    "storeOptions": {"report": {"storeId": "report-1", "gcTime": 1000, "adapter": {"type": "none", "loadMs": 1500}}}},
    "steps": [
      {"createRegistry": {"name": "ls", "profile": "livestore-0.4"}},
      {"attach": {"observer": "a", "use": "report"}},
      {"attach": {"observer": "b", "use": "report", "registry": "ls"}},
      {"advance": 100}, {"detach": "a"}, {"detach": "b"},
      {"advance": 4000},
      {"expect": {"store": "report-1", "state": "DISPOSED"}}]})");
  const auto [live, replayed] = recordAndReplay(scenario, (test::testDir("profiles") / "j.sqlite").string());
  ASSERT_FALSE(live.empty());
  EXPECT_EQ(replayed, live);
  size_t ruled = 0;
  for (const json& e : live) ruled += e["detail"].contains("rule") ? 1 : 0;
  EXPECT_EQ(ruled, 5u) << "deferred, re-armed and disposed (tanstack); armed and disposed (livestore)";
}

TEST(ProfileJournal, AnExplicitScenarioPolicyEqualToTheProfilesDefaultStaysExplicitOnReplay) {
  // The scenario says longest (spec's default too); a created livestore registry inherits it.
  const std::string scenario = writeFile("explicit.json", R"({"config": {}, "policy": "longest",
    "steps": [{"createRegistry": {"name": "ls", "profile": "livestore-0.4"}}]})");
  const std::string path = (test::testDir("profiles") / "explicit.sqlite").string();
  const auto [live, replayed] = recordAndReplay(scenario, path);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0]["detail"]["policy"], "longest");
  EXPECT_EQ(replayed, live);
  EXPECT_EQ(test::queryText(path, "SELECT value FROM session WHERE key = 'policyExplicit'"), "true");
}

// [SECTION] compare --profiles

TEST(ProfileCompare, RunsTheScenarioUnderEachProfile) {
  const std::string path = writeFile("compare.json", slowScenario(R"({})"));
  const test::Outcome o = test::cli({"compare", path, "--profiles"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(rowStarting(o.out, "store"),
            (std::vector<std::string>{"store", "metric", "spec", "tanstack-query-5", "livestore-0.4"}));
  EXPECT_EQ(rowStarting(o.out, "report-1"),
            (std::vector<std::string>{"report-1", "disposed", "at", "1100", "2500", "2500"}));
  EXPECT_EQ(rowStarting(o.out, "tanstack-query-5/gc-during-load-ignored"),
            (std::vector<std::string>{"tanstack-query-5/gc-during-load-ignored", "events", "0", "1", "0"}));
  EXPECT_EQ(rowStarting(o.out, "livestore-0.4/load-holds-reference"),
            (std::vector<std::string>{"livestore-0.4/load-holds-reference", "events", "0", "0", "2"}));
  EXPECT_NE(o.out.find("\npolicy: spec longest, tanstack-query-5 longest, livestore-0.4 first\n"), std::string::npos)
      << o.out;
}

TEST(ProfileCompare, JsonHasTheSameNumbersAndAnExplicitPolicyIsKept) {
  const std::string path = writeFile("compare.json", slowScenario(R"({"policy": "last"})"));
  const test::Outcome o = test::cli({"compare", path, "--profiles", "--format", "json"});
  ASSERT_EQ(o.code, 0) << o.err;
  const json j = json::parse(o.out);
  ASSERT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(j["runs"][0]["label"], "spec");
  EXPECT_EQ(j["runs"][2]["label"], "livestore-0.4");
  EXPECT_EQ(j["runs"][2]["policy"], "last");
  EXPECT_EQ(j["runs"][0]["stores"]["report-1"]["disposed"], json::parse("[1100]"));
  EXPECT_EQ(j["runs"][1]["stores"]["report-1"]["disposed"], json::parse("[2500]"));
  EXPECT_EQ(j["runs"][1]["stores"]["report-1"]["storeMs"], 2500);
  EXPECT_EQ(j["runs"][1]["rules"], json::parse(R"({"tanstack-query-5/gc-during-load-ignored": 1,
                                                   "tanstack-query-5/load-end-rearms": 2})"));
  EXPECT_EQ(j["runs"][0]["rules"], json::object());
}

TEST(ProfileCompare, ProfilesIsOneModeAmongTheOthers) {
  const std::string path = writeFile("compare.json", slowScenario(R"({})"));
  const test::Outcome both = test::cli({"compare", path, "--profiles", "--policies", "first"});
  EXPECT_EQ(both.code, 2);
  EXPECT_EQ(both.err, "compare: give one of --policies, --shutdown, --identity or --profiles\n");
  const test::Outcome format = test::cli({"compare", path, "--format", "yaml"});
  EXPECT_EQ(format.code, 2);
  EXPECT_EQ(format.err.rfind("compare: --format: unknown format \"yaml\"", 0), 0u) << format.err;
  const test::Outcome help = test::cli({"compare", "--help"});
  EXPECT_NE(help.out.find("--profiles"), std::string::npos);
}

// [SECTION] the Store panel's GC history

namespace {

std::vector<std::string> historyOf(const std::string& registryBlock, Ms loadMs, const std::string& steps) {
  Result<Config> c = parseConfig(json::parse(R"({"registry": )" + registryBlock + R"(,
    "storeOptions": {"report": {"storeId": "report-1", "gcTime": 1000,
                                "adapter": {"type": "none", "loadMs": )" + std::to_string(loadMs) + "}}}}"),
                                 ".");
  EXPECT_TRUE(c) << c.message();
  Session s(*c);
  for (const json& st : json::parse(steps)) EXPECT_TRUE(s.execute(st).ok) << st.dump();
  std::vector<std::string> out;
  const Registry& reg = s.registry();
  for (const gui::GcHistoryEntry& h : gui::gcHistory(reg, *reg.keyOf("report-1"), reg.eventCount()))
    out.push_back(h.text);
  return out;
}

}  // namespace

TEST(GcHistory, SaysWhichRuleOfWhichProfileExplainsEachDisposal) {
  EXPECT_EQ(historyOf(R"({})", 1500, kSlowSteps),
            (std::vector<std::string>{"disposed at 1100 ms: spec — the last observer left at 100 ms, so GC armed "
                                      "for 1000 ms"}));
  EXPECT_EQ(historyOf(R"({"profile": "tanstack-query-5"})", 1500, kSlowSteps),
            (std::vector<std::string>{
                "GC timer fired at 1100 ms during the load: tanstack-query-5/gc-during-load-ignored — it did "
                "nothing; the load's end re-arms it",
                "disposed at 2500 ms: tanstack-query-5/load-end-rearms — the load ended at 1500 ms with no "
                "observers, so GC re-armed for 1000 ms"}));
  EXPECT_EQ(historyOf(R"({"profile": "livestore-0.4"})", 800, kSlowSteps),
            (std::vector<std::string>{"disposed at 1800 ms: livestore-0.4/load-holds-reference — the last observer "
                                      "left at 100 ms during the load, which held a reference until 800 ms; GC "
                                      "armed then for 1000 ms"}));
}

TEST(GcHistory, ExplainsPreloadsAndOtherReasonsAndStopsAtTheInstantShown) {
  const std::string steps = R"([
      {"preload": {"use": "report"}}, {"advance": 2000},
      {"attach": {"observer": "p", "use": "report"}}, {"advance": 10}, {"detach": "p"},
      {"advance": 500}, {"preload": {"use": "report"}}, {"advance": 1000},
      {"attach": {"observer": "q", "use": "report"}}, {"drop": "report-1"}])";
  EXPECT_EQ(historyOf(R"({})", 0, steps),
            (std::vector<std::string>{
                "disposed at 1000 ms: spec — the load ended at 0 ms with no observers, so GC armed for 1000 ms",
                "disposed at 3510 ms: spec — a preload at 2510 ms restarted GC for 1000 ms",
                "disposed at 3510 ms: drop"}));
  // Up to an earlier event only (time travel shows the past).
  Result<Config> c = parseConfig(json::parse(R"({"storeOptions": {"report": {"storeId": "report-1", "gcTime": 1000}}})"), ".");
  ASSERT_TRUE(c);
  Session s(*c);
  s.execute(json::parse(R"({"preload": {"use": "report"}})"));
  const uint64_t before = s.registry().eventCount();
  s.execute(json::parse(R"({"advance": 5000})"));
  EXPECT_TRUE(gui::gcHistory(s.registry(), *s.registry().keyOf("report-1"), before).empty());
  EXPECT_EQ(gui::gcHistory(s.registry(), *s.registry().keyOf("report-1"), s.registry().eventCount()).size(), 1u);
}
