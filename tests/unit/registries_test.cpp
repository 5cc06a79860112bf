// SPEC 8-10: several registries on one clock, identities, shutdown, and the external adapter.
// The rule scenarios in tests/scenarios/registries/ are written from the SPEC text; the tests
// here check what a scenario cannot express (events, alerts, files, the transcript).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_outcome.hpp"
#include "journal.hpp"
#include "session.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;
using namespace si;

namespace {

std::vector<std::string> ruleScenarios() {
  std::vector<std::string> out;
  const fs::path dir = fs::path(SI_ASSETS_DIR) / ".." / "tests" / "scenarios" / "registries";
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every failed step of a scenario file, described ("" when all pass).
std::string failuresOf(const std::string& path) {
  auto sc = loadScenarioFile(path, {});
  if (!sc) return "cannot load: " + sc.message();
  Session s(sc->config);
  std::string failures;
  for (const auto& step : sc->steps) {
    StepResult r = s.execute(step);
    if (r.ok) continue;
    failures += "step " + std::to_string(r.index) + " " + step.dump() + ": " + r.error + "\n";
    for (const auto& c : r.checks) {
      if (!c.passed)
        failures += "  " + c.subject + " " + c.field + ": expected " + c.expected.dump() + ", actual " +
                    c.actual.dump() + "\n";
    }
  }
  return failures;
}

Config configOf(const std::string& text) {
  Result<Config> c = parseConfig(json::parse(text), ".");
  EXPECT_TRUE(c) << c.message();
  return c ? *c : Config{};
}

const char* kConfig = R"({
  "registry": {"defaultOptions": {"gcTime": 1000}},
  "storeOptions": {
    "user": {"storeId": "user-{id}", "adapter": {"type": "none", "closeMs": 30}},
    "ext": {"storeId": "ext", "adapter": {"type": "external"}}
  }})";

// Events of a session as journal-shaped JSON, filtered by kind.
std::vector<json> eventsOf(const Session& s, std::string_view kind) {
  std::vector<json> out;
  for (const Event& e : s.registry().events()) {
    if (toString(e.kind) == kind) out.push_back(s.registry().eventJson(e));
  }
  return out;
}

StepResult run(Session& s, const std::string& step) { return s.execute(json::parse(step)); }

std::string scenarioError(const std::string& steps) {
  Result<Scenario> sc = parseScenario(json::parse(R"({"config": {}, "steps": )" + steps + "}"), "", {});
  return sc ? std::string("(valid)") : sc.message();
}

}  // namespace

TEST(RuleScenarios, EveryScenarioWrittenFromSpec8To10Passes) {
  const auto all = ruleScenarios();
  ASSERT_GE(all.size(), 9u);
  for (const auto& path : all) EXPECT_EQ(failuresOf(path), "") << path;
}

TEST(Registries, EventsNameTheirRegistryAndTheJournalRowsToo) {
  Session s(configOf(kConfig));
  run(s, R"({"createRegistry": {"name": "req-1", "environment": "ssr"}})");
  run(s, R"({"attach": {"observer": "a", "use": "user", "params": {"id": "1"}, "registry": "req-1"}})");
  const auto created = eventsOf(s, "registry_created");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0]["registry"], "req-1");
  EXPECT_EQ(created[0]["detail"], json::parse(R"({"environment": "ssr", "policy": "longest"})"));
  const auto inst = eventsOf(s, "instance_created");
  ASSERT_EQ(inst.size(), 1u);
  EXPECT_EQ(inst[0]["registry"], "req-1");
  EXPECT_EQ(inst[0]["detail"]["clientId"], "req-1-client");
  EXPECT_EQ(inst[0]["detail"]["sessionId"], "req-1-session");
}

TEST(Registries, AnAttachFromASecondRequestRaisesCrossRequestNamingBoth) {
  Session s(configOf(kConfig));
  run(s, R"({"attach": {"observer": "a", "use": "user", "params": {"id": "1"}, "request": "r1"}})");
  run(s, R"({"attach": {"observer": "b", "use": "user", "params": {"id": "1"}, "request": "r1"}})");
  EXPECT_TRUE(eventsOf(s, "alert").empty());
  run(s, R"({"attach": {"observer": "c", "use": "user", "params": {"id": "1"}, "request": "r2"}})");
  run(s, R"({"attach": {"observer": "d", "use": "user", "params": {"id": "1"}}})");
  const auto alerts = eventsOf(s, "alert");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["storeId"], "user-1");
  EXPECT_EQ(alerts[0]["detail"]["code"], "cross-request");
  EXPECT_EQ(alerts[0]["detail"]["message"],
            "default/user-1#1 is shared by requests \"r1\" and \"r2\" (observer \"c\")");
}

TEST(Registries, RequestTagsCountOverOneInstanceLifeOnly) {
  Session s(configOf(kConfig));
  run(s, R"({"attach": {"observer": "a", "use": "user", "params": {"id": "1"}, "request": "r1"}})");
  run(s, R"({"drop": "user-1"})");
  run(s, R"({"attach": {"observer": "b", "use": "user", "params": {"id": "1"}, "request": "r2"}})");
  EXPECT_TRUE(eventsOf(s, "alert").empty()) << "a new generation is a new instance";
}

TEST(Registries, OneRegistryPerRequestSharesNothingAcrossRequests) {
  Session s(configOf(kConfig));
  for (const char* r : {"r1", "r2"}) {
    run(s, std::string(R"({"createRegistry": {"name": ")") + r + R"("}})");
    run(s, std::string(R"({"attach": {"use": "user", "params": {"id": "1"}, "registry": ")") + r +
               R"(", "request": ")" + r + R"("}})");
  }
  EXPECT_TRUE(eventsOf(s, "alert").empty());
  EXPECT_EQ(s.registry().registries().size(), 3u);
}

TEST(Shutdown, RegistryClosedCarriesTheTotalTimeAndTheKilledInstances) {
  Session s(configOf(kConfig));
  run(s, R"({"attach": {"observer": "a", "use": "user", "params": {"id": "1"}}})");
  run(s, R"({"attach": {"observer": "b", "use": "user", "params": {"id": "2"}}})");
  run(s, R"({"advance": 1})");
  run(s, R"({"shutdownRegistry": {"strategy": "sequential", "deadlineMs": 45}})");
  run(s, R"({"advance": 100})");
  const auto closed = eventsOf(s, "registry_closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0]["t"], 46);
  EXPECT_EQ(closed[0]["detail"], json::parse(R"({"totalMs": 45, "killed": 1, "killedStores": ["user-1#1"]})"));
  const auto disposed = eventsOf(s, "disposed");
  ASSERT_EQ(disposed.size(), 2u);
  EXPECT_EQ(disposed[0]["storeId"], "user-2");
  EXPECT_EQ(disposed[0]["detail"]["reason"], "shutdown");
  EXPECT_EQ(disposed[0]["t"], 31);
  EXPECT_EQ(disposed[1]["storeId"], "user-1");
  EXPECT_EQ(disposed[1]["detail"]["reason"], "killed");
  const auto alerts = eventsOf(s, "alert");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["detail"]["code"], "shutdown-deadline");
  EXPECT_EQ(alerts[0]["detail"]["message"],
            "default/user-1#1 had not finished closing at the 45 ms deadline and was killed");
}

TEST(Shutdown, TheStepOrphansCancelsAndAbortsInOrder) {
  Session s(configOf(kConfig));
  run(s, R"({"attach": {"observer": "a", "use": "user", "params": {"id": "1"}}})");
  run(s, R"({"preload": {"use": "user", "params": {"id": "2"}}})");
  run(s, R"({"attach": {"observer": "x", "use": "ext"}})");
  run(s, R"({"advance": 0})");
  const StepResult r = run(s, R"({"shutdownRegistry": {}})");
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<std::string> kinds;
  for (size_t i = r.eventBegin; i < r.eventEnd; ++i)
    kinds.emplace_back(toString(s.registry().events()[i].kind));
  EXPECT_EQ(kinds, (std::vector<std::string>{"shutdown_started", "observer_orphaned", "observer_orphaned",
                                             "gc_cancelled", "load_aborted"}));
  EXPECT_EQ(s.registry().eventJson(s.registry().events()[r.eventBegin])["detail"],
            json::parse(R"({"strategy": "parallel", "loading": "abort", "deadlineMs": "Infinity", "live": 3})"));
}

TEST(Shutdown, ReusingANameContinuesGenerationsSoStoreIdAndGenerationNeverRepeat) {
  Session s(configOf(kConfig));
  std::set<std::string> seen;
  for (int round = 0; round < 3; ++round) {
    run(s, R"({"createRegistry": {"name": "req"}})");
    run(s, R"({"attach": {"use": "user", "params": {"id": "1"}, "registry": "req"}})");
    run(s, R"({"shutdownRegistry": {"registry": "req"}})");
    run(s, R"({"advance": 30})");
  }
  for (const json& e : eventsOf(s, "instance_created")) {
    EXPECT_TRUE(seen.insert(e["storeId"].get<std::string>() + "#" + e["generation"].dump()).second);
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(s.registry().registries().size(), 2u) << "the reused name keeps its slot";
}

TEST(Shutdown, TheCommandLinePolicyOverridesCreatedRegistriesToo) {
  const fs::path dir = si::test::freshTestDir("registries");
  std::ofstream(dir / "s.json") << R"({"config": {"registry": {"policy": "first"},
    "storeOptions": {"d": {"storeId": "d", "gcTime": 10}}},
    "steps": [{"createRegistry": {"name": "r", "policy": "first"}},
              {"attach": {"observer": "a", "use": "d", "registry": "r"}},
              {"attach": {"observer": "b", "use": "d", "registry": "r", "gcTime": 500}},
              {"expect": {"store": "d", "registry": "r", "gcTime": 500}}]})";
  EXPECT_EQ(si::test::cli({"run", (dir / "s.json").string()}).code, 1);
  EXPECT_EQ(si::test::cli({"run", (dir / "s.json").string(), "--policy", "longest"}).code, 0);
}

TEST(Transcript, NamesTheRegistryOnceThereIsMoreThanOne) {
  const fs::path dir = si::test::freshTestDir("registries");
  std::ofstream(dir / "s.json") << R"({"config": {"storeOptions": {"d": {"storeId": "d"}}},
    "steps": [{"attach": {"observer": "a", "use": "d"}},
              {"createRegistry": {"name": "req-1"}},
              {"attach": {"observer": "b", "use": "d", "registry": "req-1"}}]})";
  const auto o = si::test::cli({"run", (dir / "s.json").string()});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("t=0 observer_attached d#1 a LOADING->LOADING"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("t=0 registry_created registry=req-1 environment=browser policy=longest"),
            std::string::npos) << o.out;
  EXPECT_NE(o.out.find("t=0 observer_attached req-1/d#1 b LOADING->LOADING"), std::string::npos) << o.out;
}

TEST(Journal, EventRowsNameTheRegistryAndReplayMatches) {
  const fs::path dir = si::test::freshTestDir("registries");
  std::ofstream(dir / "s.json") << R"({"config": {"storeOptions": {"d": {"storeId": "d",
      "adapter": {"type": "none", "closeMs": 5}}}},
    "steps": [{"createRegistry": {"name": "req-1", "identity": {"sessionId": "instance"}}},
              {"attach": {"observer": "b", "use": "d", "registry": "req-1"}},
              {"shutdownRegistry": {"registry": "req-1", "deadlineMs": 1}},
              {"advance": 10}]})";
  const std::string journal = (dir / "j.sqlite").string();
  ASSERT_EQ(si::test::cli({"run", (dir / "s.json").string(), "--journal", journal}).code, 0);
  EXPECT_EQ(si::test::queryText(journal, "SELECT DISTINCT registry FROM events ORDER BY registry"),
            "req-1");
  const auto check = si::test::cli({"check", journal});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_NE(check.out.find("replay matches"), std::string::npos);
}

TEST(Journal, AJournalWithoutTheRegistryColumnStillOpensAndReplays) {
  const fs::path dir = si::test::freshTestDir("registries");
  std::ofstream(dir / "s.json") << R"({"config": {"storeOptions": {"d": {"storeId": "d"}}},
    "steps": [{"attach": {"observer": "a", "use": "d"}}, {"advance": 5}, {"detach": "a"}]})";
  const std::string journal = (dir / "old.sqlite").string();
  ASSERT_EQ(si::test::cli({"run", (dir / "s.json").string(), "--journal", journal}).code, 0);
  // Make it a journal of the old format: no registry column, no identities in details.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(journal.c_str(), &db), SQLITE_OK);
  const char* sql =
      "ALTER TABLE events DROP COLUMN registry;"
      "UPDATE events SET detail = json_remove(detail, '$.clientId', '$.sessionId')"
      " WHERE kind = 'instance_created';";
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  Result<JournalData> j = readJournal(journal);
  ASSERT_TRUE(j) << j.message();
  EXPECT_FALSE(j->hasRegistryColumn);
  EXPECT_EQ(j->events.front()["registry"], "default");
  const auto check = si::test::cli({"check", journal});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_NE(check.out.find("replay matches"), std::string::npos) << check.out;
}

// SPEC 4 and 8-10: every new key's bad input is a located file error; unknown keys suggest.
TEST(BadInput, EveryNewKeyGetsALocatedErrorWithDidYouMean) {
  struct Case {
    const char* steps;
    const char* error;
  };
  const Case cases[] = {
      {R"([{"createRegistry": {}}])", "/steps/0/createRegistry/name: required (the registry's name)"},
      {R"([{"createRegistry": {"name": "a b"}}])",
       "/steps/0/createRegistry/name: expected a registry name ([A-Za-z0-9_.:-], 1 to 64 characters), got \"a b\""},
      {R"([{"createRegistry": {"name": "r", "polcy": "first"}}])",
       "/steps/0/createRegistry/polcy: unknown key; did you mean \"policy\"?"},
      {R"([{"createRegistry": {"name": "r", "gcTime": 5}}])",
       "/steps/0/createRegistry/gcTime: unknown key; options go in \"defaultOptions\""},
      {R"([{"createRegistry": {"name": "r", "environment": "ssrr"}}])",
       "/steps/0/createRegistry/environment: unknown environment \"ssrr\"; expected one of browser, ssr; did you mean \"ssr\"?"},
      {R"([{"createRegistry": {"name": "r", "identity": {"sessionid": "instance"}}}])",
       "/steps/0/createRegistry/identity/sessionid: unknown identity key; did you mean \"sessionId\"?"},
      {R"([{"createRegistry": {"name": "r", "identity": {"sessionId": "instanse"}}}])",
       "/steps/0/createRegistry/identity/sessionId: unknown sessionId choice \"instanse\"; expected one of registry, "
       "instance; did you mean \"instance\"?"},
      {R"([{"createRegistry": {"name": "r", "clientId": 3}}])",
       "/steps/0/createRegistry/clientId: expected a non-empty string, got 3"},
      {R"([{"shutdownRegistry": {"strategy": "paralel"}}])",
       "/steps/0/shutdownRegistry/strategy: unknown strategy \"paralel\"; expected one of parallel, sequential; did you "
       "mean \"parallel\"?"},
      {R"([{"shutdownRegistry": {"loading": "wait"}}])",
       "/steps/0/shutdownRegistry/loading: unknown loading choice \"wait\"; expected one of abort, await; did you mean "
       "\"await\"?"},
      {R"([{"shutdownRegistry": {"deadline": 100}}])",
       "/steps/0/shutdownRegistry/deadline: unknown key; did you mean \"deadlineMs\"?"},
      {R"([{"shutdownRegistry": {"deadlineMs": -1}}])",
       "/steps/0/shutdownRegistry/deadlineMs: expected a non-negative integer or \"Infinity\", got -1"},
      {R"([{"shutdownRegistry": {"registry": ""}}])",
       "/steps/0/shutdownRegistry/registry: expected a registry name ([A-Za-z0-9_.:-], 1 to 64 characters), got \"\""},
      {R"([{"attach": {"use": "x", "registry": 5}}])",
       "/steps/0/attach/registry: expected a registry name ([A-Za-z0-9_.:-], 1 to 64 characters), got 5"},
      {R"([{"attach": {"use": "x", "request": ""}}])", "/steps/0/attach/request: expected a non-empty string, got \"\""},
      {R"([{"preload": {"use": "x", "registry": "a/b"}}])",
       "/steps/0/preload/registry: expected a registry name ([A-Za-z0-9_.:-], 1 to 64 characters), got \"a/b\""},
      {R"([{"drop": {"storeId": "x", "registri": "r"}}])",
       "/steps/0/drop/registri: unknown key; did you mean \"registry\"?"},
      {R"([{"drop": {"registry": "r"}}])", "/steps/0/drop/storeId: expected a storeId, got null"},
      {R"([{"clear": {"registy": "r"}}])", "/steps/0/clear/registy: unknown key; did you mean \"registry\"?"},
      {R"([{"loaded": {"storeid": "x"}}])", "/steps/0/loaded/storeid: unknown key; did you mean \"storeId\"?"},
      {R"([{"loaded": 5}])", "/steps/0/loaded: expected a storeId or {\"storeId\": id, \"registry\": name}, got 5"},
      {R"([{"loadFailed": "x"}])",
       "/steps/0/loadFailed: expected an object {\"storeId\": id, \"error\": message}, got \"x\""},
      {R"([{"loadFailed": {"storeId": "x", "eror": "m"}}])",
       "/steps/0/loadFailed/eror: unknown key; did you mean \"error\"?"},
      {R"([{"loadFailed": {"storeId": "x", "error": 1}}])",
       "/steps/0/loadFailed/error: expected a non-empty message, got 1"},
      {R"([{"expect": {"store": "x", "registry": "a b"}}])",
       "/steps/0/expect/registry: expected a registry name ([A-Za-z0-9_.:-], 1 to 64 characters), got \"a b\""},
      {R"([{"expect": {"store": "x", "sesionId": "s"}}])",
       "/steps/0/expect/sesionId: unknown expect field; did you mean \"sessionId\"?"},
      {R"([{"expect": {"store": "x", "clientId": 1}}])", "/steps/0/expect/clientId: expected a string (or null: no instance yet), got 1"},
      {R"([{"expect": {"registry": {"name": "r", "state": "OPEN"}}}])",
       "/steps/0/expect/registry/state: expected one of open, shutting_down, closed, got \"OPEN\""},
      {R"([{"expect": {"registry": {"nme": "r", "live": 1}}}])",
       "/steps/0/expect/registry/nme: unknown expect field; did you mean \"name\"?"},
      {R"([{"expect": {"registry": {"name": "r"}}}])",
       "/steps/0/expect: checks nothing; give at least one of live, observers, byState, state, killed"},
  };
  for (const Case& c : cases) EXPECT_EQ(scenarioError(c.steps), c.error) << c.steps;
}

TEST(BadInput, AnExternalAdapterWithLoadMsOrFailIsAnInputError) {
  for (const char* key : {"loadMs", "fail"}) {
    const std::string cfg = std::string(R"({"storeOptions": {"e": {"storeId": "e", "adapter": {"type": "external", ")") +
                            key + R"(": 1}}}})";
    Result<Config> c = parseConfig(json::parse(cfg), ".");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.message(), std::string("/storeOptions/e/adapter/") + key +
                               ": does not apply to an \"external\" adapter (its load ends with a loaded "
                               "or loadFailed step)");
  }
  Result<Config> c = parseConfig(json::parse(R"({"storeOptions": {"e": {"storeId": "e",
      "adapter": {"type": "none", "closeMS": 1}}}})"), ".");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.message(), "/storeOptions/e/adapter/closeMS: unknown key; did you mean \"closeMs\"?");
  Result<Config> r = parseConfig(json::parse(R"({"registry": {"identity": {"clientId": "device"}}})"), ".");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.message(), "/registry/identity/clientId: unknown clientId choice \"device\"; expected one of registry, store");
}

TEST(BadInput, RequestOptionsOfACallSiteAdapterAreCheckedWhenTheStepRuns) {
  Session s(configOf(kConfig));
  const StepResult r =
      run(s, R"({"attach": {"storeId": "raw", "adapter": {"type": "external", "loadMs": 5}}})");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "adapter/loadMs: does not apply to an \"external\" adapter (its load ends with a loaded or "
                     "loadFailed step)");
}

TEST(Shutdown, TheCommandLineEnvironmentOverridesCreatedRegistriesToo) {
  const fs::path dir = si::test::freshTestDir("registries");
  std::ofstream(dir / "s.json") << R"({"config": {"storeOptions": {"d": {"storeId": "d"}}},
    "steps": [{"createRegistry": {"name": "r", "environment": "browser"}},
              {"attach": {"observer": "a", "use": "d", "registry": "r"}},
              {"expect": {"store": "d", "registry": "r", "gcTime": "Infinity"}}]})";
  EXPECT_EQ(si::test::cli({"run", (dir / "s.json").string()}).code, 1);
  EXPECT_EQ(si::test::cli({"run", (dir / "s.json").string(), "--environment", "ssr"}).code, 0);
}

TEST(Shutdown, ExpectSeesTheNewestRegistryOfAReusedName) {
  Session s(configOf(kConfig));
  run(s, R"({"createRegistry": {"name": "r"}})");
  run(s, R"({"shutdownRegistry": {"registry": "r"}})");
  EXPECT_TRUE(run(s, R"({"expect": {"registry": {"name": "r", "state": "closed"}}})").ok);
  run(s, R"({"createRegistry": {"name": "r"}})");
  EXPECT_TRUE(run(s, R"({"expect": {"registry": {"name": "r", "state": "open"}}})").ok);
  const StepResult unknown = run(s, R"({"expect": {"registry": {"name": "nope", "live": 0}}})");
  EXPECT_FALSE(unknown.ok);
  ASSERT_EQ(unknown.checks.size(), 1u);
  EXPECT_EQ(unknown.checks[0].field, "name");
}

TEST(Check, APreloadNamingAShutDownRegistryIsAWarningLikeAnOwnershipConflict) {
  const fs::path dir = si::test::freshTestDir("registries");
  std::ofstream(dir / "s.json") << R"({"config": {"storeOptions": {"d": {"storeId": "d-1"}}},
    "steps": [{"createRegistry": {"name": "r"}}, {"shutdownRegistry": {"registry": "r"}},
              {"preload": {"use": "d", "registry": "r"}}, {"preload": {"use": "nope"}}]})";
  const auto o = si::test::cli({"check", (dir / "s.json").string()});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.out.find("/steps/2/preload: warning: the preload's error is swallowed: registry: registry \"r\" is closed"),
            std::string::npos) << o.out;
  EXPECT_NE(o.err.find("/steps/3/preload/use: unknown store options \"nope\""), std::string::npos) << o.err;
}
