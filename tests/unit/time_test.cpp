// Time in the core: time travel (snapshots + replay) against a fresh replay, lifetimes folded
// from events against the registry's own state, core/compare against `compare`, and an
// exported scenario that `store-inspector run` passes.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <sstream>

#include "cli.hpp"
#include "compare.hpp"
#include "export.hpp"
#include "lifetimes.hpp"
#include "time_travel.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

const char* kConfig = R"json({
  "registry": {"defaultOptions": {"gcTime": 300}},
  "storeOptions": {
    "issue": {"storeId": "issue-{id}", "adapter": {"type": "none", "loadMs": 20}},
    "slow": {"storeId": "slow-{id}", "gcTime": 50, "adapter": {"type": "none", "loadMs": 200}},
    "bad": {"storeId": "bad-{id}", "adapter": {"type": "none", "loadMs": 5, "fail": {"generations": [1], "message": "boom"}}}
  }})json";

Config config(Policy p = Policy::Longest) {
  auto c = parseConfig(json::parse(kConfig), ".");
  EXPECT_TRUE(c) << c.message();
  c->policy = p;
  return *c;
}

// A long random session: attaches (with call-site gcTimes), detaches, preloads, drops, advances.
std::vector<json> randomSteps(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<json> steps;
  std::vector<std::string> attached;
  uint64_t next = 0;
  const char* kinds[] = {"issue", "slow", "bad"};
  for (size_t i = 0; i < n; ++i) {
    const auto r = static_cast<uint32_t>(rng() % 100);
    const std::string use = kinds[rng() % 3];
    json params = {{"id", std::to_string(rng() % 12)}};
    if (r < 35) {
      const std::string name = "o" + std::to_string(++next);
      json a = {{"observer", name}, {"use", use}, {"params", params}};
      if (rng() % 2) a["gcTime"] = std::vector<int>{0, 40, 100, 1000}[rng() % 4];
      steps.push_back(json{{"attach", a}});
      attached.push_back(name);
    } else if (r < 60 && !attached.empty()) {
      const size_t k = rng() % attached.size();
      steps.push_back(json{{"detach", attached[k]}});
      attached.erase(attached.begin() + static_cast<long>(k));
    } else if (r < 67) {
      steps.push_back(json{{"preload", {{"use", use}, {"params", params}}}});
    } else if (r < 69) {
      steps.push_back(json{{"drop", use + "-" + params["id"].get<std::string>()}});
    } else {
      steps.push_back(json{{"advance", rng() % 80}});
    }
  }
  return steps;
}

void expectSameState(const Session& a, const Session& b, Ms t) {
  const Registry& ra = a.registry();
  const Registry& rb = b.registry();
  ASSERT_EQ(ra.now(), rb.now()) << "t=" << t;
  for (const StoreRecord& s : rb.stores()) {
    const StoreRecord* o = ra.find(s.storeId);
    const State sa = o ? o->state : State::Absent;
    ASSERT_EQ(sa, s.state) << s.storeId << " t=" << t;
    if (!o) continue;
    ASSERT_EQ(o->observers, s.observers) << s.storeId << " t=" << t;
    ASSERT_EQ(o->generation, s.generation) << s.storeId << " t=" << t;
    ASSERT_EQ(o->gcArmed, s.gcArmed) << s.storeId << " t=" << t;
    if (s.gcArmed) {
      ASSERT_EQ(o->gcDueIn(ra.now()), s.gcDueIn(rb.now())) << s.storeId << " t=" << t;
    }
    ASSERT_TRUE(o->gcTime == s.gcTime) << s.storeId << " t=" << t;
  }
  ASSERT_EQ(ra.counts().live, rb.counts().live) << "t=" << t;
  ASSERT_EQ(ra.counts().attachedObservers, rb.counts().attachedObservers) << "t=" << t;
}

TEST(TimeTravel, ReachesExactlyTheStateAFreshReplayGivesAtRandomInstants) {
  Session live(config());
  for (const json& s : randomSteps(6000, 7)) live.execute(s);
  TimeTravel tt(128);
  std::mt19937 rng(99);
  const Ms end = live.registry().now();
  ASSERT_GT(end, 1000);
  std::vector<Ms> instants = {0, end, end - 1, live.commands()[128].t, live.commands()[129].t};
  for (int i = 0; i < 60; ++i) instants.push_back(static_cast<Ms>(rng() % static_cast<uint32_t>(end + 1)));
  for (Ms t : instants) {
    const Session& past = tt.at(live, t);
    Session fresh(config());
    for (const json& s : TimeTravel::stepsUntil(live, t)) fresh.execute(s);
    ASSERT_EQ(fresh.registry().now(), t);
    expectSameState(past, fresh, t);
  }
}

TEST(TimeTravel, ACommandWhoseAdvanceCrossesTheCursorIsReplacedByAdvanceTo) {
  Session live(config());
  live.execute(json::parse(R"({"attach": {"observer": "a", "use": "issue", "params": {"id": "1"}}})"));
  live.execute(json::parse(R"({"advance": 1000})"));
  live.execute(json::parse(R"({"detach": "a"})"));
  const auto steps = TimeTravel::stepsUntil(live, 10);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1], json::parse(R"({"advanceTo": 10})"));
  TimeTravel tt;
  EXPECT_EQ(tt.at(live, 10).registry().find("issue-1")->state, State::Loading);
  EXPECT_EQ(tt.at(live, 20).registry().find("issue-1")->state, State::Active);
  EXPECT_EQ(tt.at(live, 1000).registry().find("issue-1")->state, State::Inactive);
  EXPECT_EQ(tt.at(live, 1000).registry().find("issue-1")->gcDueIn(1000), 300);
}

TEST(TimeTravel, SnapshotsFollowTheLogAsItGrows) {
  Session live(config());
  TimeTravel tt(64);
  const auto steps = randomSteps(1000, 3);
  for (size_t i = 0; i < steps.size(); ++i) {
    live.execute(steps[i]);
    if (i % 250 == 0) {
      const Ms t = live.registry().now() / 2;
      Session fresh(config());
      for (const json& s : TimeTravel::stepsUntil(live, t)) fresh.execute(s);
      expectSameState(tt.at(live, t), fresh, t);
    }
  }
  EXPECT_TRUE(tt.extend(live, ~size_t{0}));
  EXPECT_EQ(tt.snapshots(), 1000 / 64 + 1);
}

TEST(Lifetimes, FoldedLanesAgreeWithTheRegistryAtEveryInstantOfARandomSession) {
  Session live(config());
  for (const json& s : randomSteps(3000, 11)) live.execute(s);
  Lifetimes life;
  life.update(live.registry());
  TimeTravel tt(128);
  std::mt19937 rng(5);
  const Ms end = live.registry().now();
  for (int i = 0; i < 40; ++i) {
    const Ms t = static_cast<Ms>(rng() % static_cast<uint32_t>(end + 1));
    const Registry& past = tt.at(live, t).registry();
    for (const Lane& lane : life.lanes()) {
      const std::string& id = live.registry().storeIdOf(lane.store);
      const StoreRecord* s = past.find(id);
      const Lifetimes::Instant a = Lifetimes::at(lane, t);
      const State expected = s ? s->state : State::Absent;
      ASSERT_EQ(a.state, expected) << id << " t=" << t;
      if (!s || !s->live()) continue;
      ASSERT_EQ(a.observers, s->observers) << id << " t=" << t;
      ASSERT_EQ(a.generation, s->generation) << id << " t=" << t;
      ASSERT_EQ(a.gcArmed, s->gcArmed) << id << " t=" << t;
      if (s->gcArmed) {
        ASSERT_EQ(a.gcDue, s->gcDue) << id << " t=" << t;
      }
    }
  }
}

TEST(Lifetimes, ReadsOnlyNewEventsThroughItsCursor) {
  Session live(config());
  live.execute(json::parse(R"({"attach": {"observer": "a", "use": "issue", "params": {"id": "1"}}})"));
  Lifetimes life;
  life.update(live.registry());
  const size_t c = life.cursor();
  EXPECT_EQ(c, live.registry().events().size());
  live.execute(json::parse(R"({"advance": 100})"));
  live.execute(json::parse(R"({"detach": "a"})"));
  live.execute(json::parse(R"({"advance": 300})"));
  life.update(live.registry());
  ASSERT_EQ(life.lanes().size(), 1u);
  const Lane& lane = life.lanes()[0];
  // LOADING [0,20), ACTIVE [20,100), INACTIVE with GC due at 400 [100,400), then DISPOSED.
  ASSERT_EQ(lane.segments.size(), 3u);
  EXPECT_EQ(lane.segments[0].state, State::Loading);
  EXPECT_EQ(lane.segments[1].state, State::Active);
  EXPECT_EQ(lane.segments[2].state, State::Inactive);
  EXPECT_TRUE(lane.segments[2].gcArmed);
  EXPECT_EQ(lane.segments[2].gcDue, 400);
  EXPECT_EQ(lane.segments[2].end, 400);
  EXPECT_EQ(Lifetimes::at(lane, 400).state, State::Disposed);
  EXPECT_EQ(Lifetimes::at(lane, 50).observers, 1u);
}

TEST(Compare, CoreRunsGiveTheNumbersTheCompareCommandPrints) {
  const std::string path = std::string(SI_ASSETS_DIR) + "/scenarios/longest-wins.json";
  std::ostringstream out, err;
  ASSERT_EQ(si::cli::run({"compare", path}, nullptr, out, err), 0) << err.str();
  auto sc = loadScenarioFile(path, {});
  ASSERT_TRUE(sc) << sc.message();
  std::vector<PolicyRun> runs;
  for (Policy p : kAllPolicies) runs.push_back(runUnderPolicy(sc->config, p, sc->steps).value());
  // The "all stores" line carries every policy's total, in the CLI's order.
  std::string expected = "all stores  store-seconds";
  std::istringstream lines(out.str());
  std::string line, total;
  while (std::getline(lines, line))
    if (line.rfind("all stores", 0) == 0) total = line;
  ASSERT_FALSE(total.empty()) << out.str();
  std::istringstream fields(total.substr(std::string("all stores").size()));
  std::string metric, value;
  fields >> metric;
  for (const PolicyRun& r : runs) {
    fields >> value;
    const Ms ms = r.totalHeldMs();
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000), static_cast<long long>(ms % 1000));
    EXPECT_EQ(value, buf) << toString(r.policy);
  }
  // And every store row names the same disposal times.
  for (const std::string& id : compareStoreOrder(runs)) EXPECT_NE(out.str().find(id), std::string::npos) << id;
}

TEST(Export, AnExportedScenarioPassesWhenRun) {
  Session live(config());
  for (const json& s : randomSteps(400, 21)) live.execute(s);
  const std::string dir = si::test::testDir("time-export").string();
  for (Ms t : {live.registry().now(), live.registry().now() / 2}) {
    TimeTravel tt;
    const json sc = scenarioJson("export", live.config(), TimeTravel::stepsUntil(live, t), tt.at(live, t));
    const std::string path = dir + "/exported-" + std::to_string(t) + ".json";
    ASSERT_TRUE(writeTextFile(path, sc.dump(2)));
    std::ostringstream out, err;
    EXPECT_EQ(si::cli::run({"run", path}, nullptr, out, err), 0) << out.str() << err.str();
  }
}

TEST(Export, EventsCsvHasAHeaderAndOneLinePerEvent) {
  Session live(config());
  for (const json& s : randomSteps(200, 4)) live.execute(s);
  const std::string csv = eventsCsv(live.registry());
  EXPECT_EQ(csv.rfind("seq,t,kind,storeId,generation,observer,from,to,detail\n", 0), 0u);
  EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')), live.registry().events().size() + 1);
}

}  // namespace
}  // namespace si
