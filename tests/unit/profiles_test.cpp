// SPEC 11 rule profiles: names and default policies, the `profile` key of configs and
// createRegistry, and each profile rule of the registry with exact times and events.
#include <gtest/gtest.h>

#include <memory>

#include "session.hpp"

using namespace si;

namespace {

// One slow store: loadMs 1500 (or as given), gcTime 1000, no database.
Config slowConfig(const std::string& profile, Ms loadMs = 1500, const std::string& fail = "false") {
  std::string registry = R"("defaultOptions": {"gcTime": 1000})";
  if (!profile.empty()) registry += R"(, "profile": ")" + profile + "\"";
  Result<Config> c = parseConfig(json::parse(R"({"registry": {)" + registry + R"(},
    "storeOptions": {"report": {"storeId": "report-1", "adapter": {"type": "none", "loadMs": )" +
                                             std::to_string(loadMs) + R"(, "fail": )" + fail + "}}}}"),
                                 ".");
  EXPECT_TRUE(c) << c.message();
  return c ? *c : Config{};
}

void run(Session& s, const std::string& step) {
  const StepResult r = s.execute(json::parse(step));
  EXPECT_TRUE(r.ok) << step << ": " << r.error;
}

// "t kind rule" of every event of these kinds, in order.
std::vector<std::string> gcEvents(const Session& s) {
  std::vector<std::string> out;
  for (const Event& e : s.registry().events()) {
    switch (e.kind) {
      case EventKind::GcScheduled:
      case EventKind::GcRestarted:
      case EventKind::GcDeferred:
      case EventKind::LoadAborted:
      case EventKind::Disposed:
        out.push_back(std::to_string(e.t) + " " + std::string(toString(e.kind)) + (e.rule.empty() ? "" : " " + e.rule));
        break;
      default: break;
    }
  }
  return out;
}

// attach at 0, detach at `detachAt` (during the load), then advance to `until`.
std::unique_ptr<Session> detachDuringLoad(const Config& c, Ms detachAt, Ms until) {
  auto owned = std::make_unique<Session>(c);
  Session& s = *owned;
  run(s, R"({"attach": {"observer": "p", "use": "report"}})");
  run(s, R"({"advance": )" + std::to_string(detachAt) + "}");
  run(s, R"({"detach": "p"})");
  run(s, R"({"advance": )" + std::to_string(until - detachAt) + "}");
  return owned;
}

const StoreRecord& report(const Session& s) { return *s.registry().find("report-1"); }

}  // namespace

// [SECTION] names, policies, config

TEST(Profiles, NamesRoundTripAndUnknownNamesListTheValidOnes) {
  for (Profile p : kAllProfiles) {
    Result<Profile> back = parseProfile(toString(p));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, p);
  }
  EXPECT_EQ(toString(Profile::TanStackQuery5), "tanstack-query-5");
  EXPECT_EQ(toString(Profile::LiveStore04), "livestore-0.4");
  EXPECT_EQ(parseProfile("tanstack").message(),
            "unknown profile \"tanstack\"; expected one of spec, tanstack-query-5, livestore-0.4");
  EXPECT_EQ(parseProfile("livestore-0.5").message(),
            "unknown profile \"livestore-0.5\"; expected one of spec, tanstack-query-5, livestore-0.4; "
            "did you mean \"livestore-0.4\"?");
}

TEST(Profiles, EachProfileHasItsDefaultPolicyAndRulesHaveStableIds) {
  EXPECT_EQ(defaultPolicy(Profile::Spec), Policy::Longest);
  EXPECT_EQ(defaultPolicy(Profile::TanStackQuery5), Policy::Longest);
  EXPECT_EQ(defaultPolicy(Profile::LiveStore04), Policy::First);
  EXPECT_EQ(ruleIds(), (std::vector<std::string_view>{"tanstack-query-5/load-end-rearms",
                                                       "tanstack-query-5/gc-during-load-ignored",
                                                       "livestore-0.4/load-holds-reference"}));
  for (std::string_view id : ruleIds()) EXPECT_FALSE(ruleSummary(id).empty()) << id;
}

TEST(Profiles, TheConfigProfileSetsThePolicyUnlessOneIsGiven) {
  Result<Config> ls = parseConfig(json::parse(R"({"registry": {"profile": "livestore-0.4"}})"), ".");
  ASSERT_TRUE(ls) << ls.message();
  EXPECT_EQ(ls->profile, Profile::LiveStore04);
  EXPECT_EQ(ls->policy, Policy::First);
  EXPECT_FALSE(ls->policyExplicit);
  // An explicit policy wins, in either key order.
  for (const char* text : {R"({"registry": {"profile": "livestore-0.4", "policy": "last"}})",
                           R"({"registry": {"policy": "last", "profile": "livestore-0.4"}})"}) {
    Result<Config> c = parseConfig(json::parse(text), ".");
    ASSERT_TRUE(c) << c.message();
    EXPECT_EQ(c->policy, Policy::Last) << text;
    EXPECT_TRUE(c->policyExplicit);
  }
  Result<Config> none = parseConfig(json::parse(R"({})"), ".");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->profile, Profile::Spec);
  EXPECT_EQ(none->policy, Policy::Longest);
}

TEST(Profiles, ConfigErrorsNameThePathAndWhatWasExpected) {
  EXPECT_EQ(parseConfig(json::parse(R"({"registry": {"profile": "tanstack-query-4"}})"), ".").message(),
            "/registry/profile: unknown profile \"tanstack-query-4\"; expected one of spec, tanstack-query-5, "
            "livestore-0.4; did you mean \"tanstack-query-5\"?");
  EXPECT_EQ(parseConfig(json::parse(R"({"registry": {"profile": 5}})"), ".").message(),
            "/registry/profile: expected one of spec, tanstack-query-5, livestore-0.4, got 5");
  Result<Scenario> sc = parseScenario(json::parse(R"({"config": {}, "steps": [
      {"createRegistry": {"name": "r", "profile": "livestore-04"}}]})"), "", {});
  EXPECT_EQ(sc.message(),
            "/steps/0/createRegistry/profile: unknown profile \"livestore-04\"; expected one of spec, "
            "tanstack-query-5, livestore-0.4; did you mean \"livestore-0.4\"?");
}

TEST(Profiles, CreateRegistryTakesAProfileAndItsPolicyUnlessOneIsExplicit) {
  Session s(slowConfig("tanstack-query-5"));
  run(s, R"({"createRegistry": {"name": "ls", "profile": "livestore-0.4"}})");
  run(s, R"({"createRegistry": {"name": "ls-last", "profile": "livestore-0.4", "policy": "last"}})");
  run(s, R"({"createRegistry": {"name": "inherits"}})");
  const Registry& reg = s.registry();
  const NamedRegistry& ls = reg.registryAt(*reg.registryIndex("ls"));
  EXPECT_EQ(ls.settings.profile, Profile::LiveStore04);
  EXPECT_EQ(ls.settings.policy, Policy::First);
  EXPECT_EQ(reg.registryAt(*reg.registryIndex("ls-last")).settings.policy, Policy::Last);
  const NamedRegistry& inherits = reg.registryAt(*reg.registryIndex("inherits"));
  EXPECT_EQ(inherits.settings.profile, Profile::TanStackQuery5);
  EXPECT_EQ(inherits.settings.policy, Policy::Longest);
  // registry_created says the profile (and says nothing of spec, so spec sessions read as before).
  std::vector<json> created;
  for (const Event& e : reg.events()) {
    if (e.kind == EventKind::RegistryCreated) created.push_back(reg.detailJson(e));
  }
  ASSERT_EQ(created.size(), 3u);
  EXPECT_EQ(created[0], json::parse(R"({"environment": "browser", "policy": "first", "profile": "livestore-0.4"})"));
}

TEST(Profiles, AnExplicitScenarioPolicyWinsOverTheProfileAndTheCommandLineOverEverything) {
  const json scenario = json::parse(R"({"config": {"registry": {"profile": "livestore-0.4"}}, "policy": "longest",
      "steps": [{"createRegistry": {"name": "r", "profile": "livestore-0.4"}}]})");
  Result<Scenario> sc = parseScenario(scenario, "", {});
  ASSERT_TRUE(sc) << sc.message();
  {
    Session s(sc->config);
    s.execute(sc->steps[0]);
    EXPECT_EQ(s.registry().registryAt(1).settings.policy, Policy::Longest) << "the scenario's policy is inherited";
  }
  Result<Scenario> overridden = parseScenario(scenario, "", Overrides{Policy::Shortest, std::nullopt});
  ASSERT_TRUE(overridden);
  Session s(overridden->config);
  s.execute(overridden->steps[0]);
  EXPECT_EQ(s.registry().registryAt(0).settings.policy, Policy::Shortest);
  EXPECT_EQ(s.registry().registryAt(1).settings.policy, Policy::Shortest);
}

// [SECTION] tanstack-query-5

TEST(ProfileRules, SpecDisposesALoadingStoreAtTheLastDetachPlusGcTime) {
  auto sOwned = detachDuringLoad(slowConfig(""), 100, 2500);
  Session& s = *sOwned;
  EXPECT_EQ(gcEvents(s), (std::vector<std::string>{"100 gc_scheduled", "1100 load_aborted", "1100 disposed"}));
}

TEST(ProfileRules, TanstackIgnoresAGcTimerThatFiresDuringTheLoadAndReArmsAtItsEnd) {
  // gcTime 1000, attach at 0, detach at 100 during the load, load ends at 1500: disposed at
  // 2500, not 1100.
  auto sOwned = detachDuringLoad(slowConfig("tanstack-query-5"), 100, 1499);
  Session& s = *sOwned;
  EXPECT_EQ(report(s).state, State::Loading);
  EXPECT_FALSE(report(s).gcArmed);
  run(s, R"({"advance": 1})");
  EXPECT_EQ(report(s).state, State::Inactive);
  EXPECT_EQ(report(s).gcDueIn(s.registry().now()), 1000);
  run(s, R"({"advance": 999})");
  EXPECT_EQ(report(s).state, State::Inactive);
  run(s, R"({"advance": 1})");
  EXPECT_EQ(report(s).state, State::Disposed);
  EXPECT_EQ(gcEvents(s), (std::vector<std::string>{
                             "100 gc_scheduled", "1100 gc_deferred tanstack-query-5/gc-during-load-ignored",
                             "1500 gc_scheduled tanstack-query-5/load-end-rearms",
                             "2500 disposed tanstack-query-5/load-end-rearms"}));
  // The deferral's detail: the gcTime and when it fired, with the rule.
  for (const Event& e : s.registry().events()) {
    if (e.kind != EventKind::GcDeferred) continue;
    EXPECT_EQ(s.registry().eventJson(e)["detail"],
              json::parse(R"({"gcTime": 1000, "due": 1100, "rule": "tanstack-query-5/gc-during-load-ignored"})"));
  }
}

TEST(ProfileRules, TanstackReArmsFromTheLoadsEndEvenWhenATimerIsStillArmed) {
  // loadMs 500: the timer armed at the detach (due 1100) is still pending when the load ends.
  auto specOwned = detachDuringLoad(slowConfig("", 500), 100, 3000);
  Session& spec = *specOwned;
  EXPECT_EQ(gcEvents(spec), (std::vector<std::string>{"100 gc_scheduled", "1100 disposed"}));
  auto tqOwned = detachDuringLoad(slowConfig("tanstack-query-5", 500), 100, 3000);
  Session& tq = *tqOwned;
  EXPECT_EQ(gcEvents(tq), (std::vector<std::string>{"100 gc_scheduled",
                                                     "500 gc_scheduled tanstack-query-5/load-end-rearms",
                                                     "1500 disposed tanstack-query-5/load-end-rearms"}));
}

TEST(ProfileRules, TanstackReArmsAfterAFailedLoadToo) {
  auto sOwned = detachDuringLoad(slowConfig("tanstack-query-5", 1500, "true"), 100, 2499);
  Session& s = *sOwned;
  EXPECT_EQ(report(s).state, State::Failed);
  run(s, R"({"advance": 1})");
  EXPECT_EQ(report(s).state, State::Disposed);
  EXPECT_EQ(gcEvents(s).back(), "2500 disposed tanstack-query-5/load-end-rearms");
}

TEST(ProfileRules, TanstackNamesNoRuleWhereItAgreesWithSpec) {
  // A preload arms nothing during its load; the load's end arms GC, as SPEC 2.3 rule 4.
  Session s(slowConfig("tanstack-query-5", 800));
  run(s, R"({"preload": {"use": "report"}})");
  run(s, R"({"advance": 2000})");
  EXPECT_EQ(gcEvents(s), (std::vector<std::string>{"800 gc_scheduled", "1800 disposed"}));
}

// [SECTION] livestore-0.4

TEST(ProfileRules, LivestoreAPreloadedStoreIsCollectedGcTimeAfterItsLoadEnds) {
  // preload at 0, load ends at 800, gcTime 1000: disposed at 1800.
  Session s(slowConfig("livestore-0.4", 800));
  run(s, R"({"preload": {"use": "report"}})");
  run(s, R"({"advance": 1799})");
  EXPECT_EQ(report(s).state, State::Inactive);
  run(s, R"({"advance": 1})");
  EXPECT_EQ(report(s).state, State::Disposed);
  EXPECT_EQ(gcEvents(s), (std::vector<std::string>{"800 gc_scheduled", "1800 disposed"}));
}

TEST(ProfileRules, LivestoreStartsTheCountdownOfADetachDuringTheLoadAtTheLoadsEnd) {
  // detach at 100, load ends at 800: disposed at 1800 (spec: 1100, the load aborted).
  auto sOwned = detachDuringLoad(slowConfig("livestore-0.4", 800), 100, 799);
  Session& s = *sOwned;
  EXPECT_EQ(report(s).state, State::Loading);
  EXPECT_FALSE(report(s).gcArmed) << "the load holds a reference";
  run(s, R"({"advance": 1001})");
  EXPECT_EQ(report(s).state, State::Disposed);
  EXPECT_EQ(gcEvents(s), (std::vector<std::string>{"800 gc_scheduled livestore-0.4/load-holds-reference",
                                                    "1800 disposed livestore-0.4/load-holds-reference"}));
}

TEST(ProfileRules, LivestoreAfterTheLoadBehavesAsSpec) {
  Session s(slowConfig("livestore-0.4", 0));
  run(s, R"({"attach": {"observer": "p", "use": "report"}})");
  run(s, R"({"advance": 100})");
  run(s, R"({"detach": "p"})");
  run(s, R"({"advance": 1000})");
  EXPECT_EQ(gcEvents(s), (std::vector<std::string>{"100 gc_scheduled", "1100 disposed"}));
}

TEST(ProfileRules, AnObserverWhoReturnsDuringTheLoadKeepsTheStore) {
  for (const char* profile : {"tanstack-query-5", "livestore-0.4"}) {
    SCOPED_TRACE(profile);
    Session s(slowConfig(profile));
    run(s, R"({"attach": {"observer": "p", "use": "report"}})");
    run(s, R"({"advance": 100})");
    run(s, R"({"detach": "p"})");
    run(s, R"({"advance": 1100})");
    run(s, R"({"attach": {"observer": "q", "use": "report"}})");
    run(s, R"({"advance": 5000})");
    EXPECT_EQ(report(s).state, State::Active);
    EXPECT_FALSE(report(s).gcArmed);
  }
}
