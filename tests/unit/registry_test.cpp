// Behaviour of the registry core (SPEC 2.1-2.5, 2.7), driven through Session steps so each test
// reads like a scenario, with exact states, times and error texts.
#include <gtest/gtest.h>

#include "session.hpp"
#include "store_id.hpp"

namespace si {
namespace {

Config configFrom(const char* text) {
  Result<Config> c = parseConfig(json::parse(text), ".");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.message());
  return c.ok() ? *c : Config{};
}

const char* kConfig = R"({
  "registry": {"defaultOptions": {"gcTime": 60000}},
  "storeOptions": {
    "workspace": {"storeId": "workspace-root", "gcTime": "Infinity", "adapter": {"loadMs": 400}},
    "issue": {"storeId": "issue-{issueId}", "gcTime": 20000, "adapter": {"loadMs": 150}},
    "other": {"storeId": "issue-{issueId}"},
    "flaky": {"storeId": "flaky-{n}", "adapter": {"loadMs": 10, "fail": {"generations": [1], "message": "network down"}}},
    "quick": {"storeId": "quick-{n}", "gcTime": 50, "adapter": {"loadMs": 100}}
  }
})";

struct Fixture : ::testing::Test {
  Session s{configFrom(kConfig)};
  StepResult step(const char* text) { return s.execute(json::parse(text)); }
  void ok(const char* text) {
    StepResult r = step(text);
    ASSERT_TRUE(r.ok) << text << " -> " << r.error;
  }
  const StoreRecord& store(const char* id) {
    const StoreRecord* r = s.registry().find(id);
    EXPECT_NE(r, nullptr) << id;
    static StoreRecord none;
    return r ? *r : none;
  }
  std::string status(const char* name) {
    auto checks = s.evaluate(json{{"observer", name}, {"status", "x"}});
    return checks.at(0).actual.is_string() ? checks[0].actual.get<std::string>() : "null";
  }
  std::vector<std::string> kinds(size_t from = 0) {
    std::vector<std::string> out;
    for (const Event& e : s.registry().eventsSince(from)) out.emplace_back(toString(e.kind));
    return out;
  }
  using Strings = std::vector<std::string>;
};

// [SECTION] Transitions

TEST_F(Fixture, AttachCreatesALoadingInstanceWhoseObserverIsSuspended) {
  ok(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})");
  EXPECT_EQ(store("issue-1").state, State::Loading);
  EXPECT_EQ(store("issue-1").generation, 1u);
  EXPECT_EQ(store("issue-1").observers, 1u);
  EXPECT_EQ(status("p1"), "suspended");
  EXPECT_EQ(kinds(), (Strings{"instance_created", "observer_attached"}));
}

TEST_F(Fixture, LoadCompletesExactlyLoadMsLaterAndMakesObserversReady) {
  ok(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"advance": 149})");
  EXPECT_EQ(store("issue-1").state, State::Loading);
  ok(R"({"advance": 1})");
  EXPECT_EQ(store("issue-1").state, State::Active);
  EXPECT_EQ(status("p1"), "ready");
  EXPECT_EQ(s.registry().events().back().t, 150);
}

TEST_F(Fixture, NothingFiresInsideAttachEvenWithZeroLoadTime) {
  ok(R"({"attach": {"observer": "a", "storeId": "raw-1"}})");
  EXPECT_EQ(store("raw-1").state, State::Loading);
  ok(R"({"advance": 0})");
  EXPECT_EQ(store("raw-1").state, State::Active);
}

TEST_F(Fixture, DisposesExactlyGcTimeAfterTheLastDetach) {
  ok(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}, "gcTime": 5000}})");
  ok(R"({"advance": 500})");
  ok(R"({"detach": "p1"})");
  EXPECT_EQ(store("issue-1").state, State::Inactive);
  EXPECT_EQ(store("issue-1").gcDueIn(s.registry().now()), 5000);
  ok(R"({"advance": 4999})");
  EXPECT_EQ(store("issue-1").state, State::Inactive);
  EXPECT_EQ(store("issue-1").gcDueIn(s.registry().now()), 1);
  ok(R"({"advance": 1})");
  EXPECT_EQ(store("issue-1").state, State::Disposed);
  EXPECT_EQ(s.registry().events().back().t, 5500);
  EXPECT_EQ(s.registry().detailJson(s.registry().events().back()), json({{"reason", "gc"}}));
  EXPECT_FALSE(s.registry().has("issue-1"));
}

TEST_F(Fixture, AttachingToAnInactiveStoreCancelsItsGcAndActivatesIt) {
  ok(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"advance": 200})");
  ok(R"({"detach": "p1"})");
  ok(R"({"advance": 19000})");
  const size_t mark = s.registry().events().size();
  ok(R"({"attach": {"observer": "p2", "use": "issue", "params": {"issueId": "1"}}})");
  EXPECT_EQ(store("issue-1").state, State::Active);
  EXPECT_FALSE(store("issue-1").gcArmed);
  EXPECT_EQ(kinds(mark), (Strings{"observer_attached", "gc_cancelled"}));
  ok(R"({"advance": 100000})");
  EXPECT_EQ(store("issue-1").state, State::Active);
  EXPECT_EQ(store("issue-1").generation, 1u);
}

TEST_F(Fixture, DetachingDuringLoadArmsGcAndKeepsLoading) {
  ok(R"({"attach": {"observer": "p1", "use": "quick", "params": {"n": "1"}}})");
  ok(R"({"advance": 10})");
  ok(R"({"detach": "p1"})");
  EXPECT_EQ(store("quick-1").state, State::Loading);
  EXPECT_TRUE(store("quick-1").gcArmed);
  EXPECT_EQ(store("quick-1").gcDue, 60);
  const size_t mark = s.registry().events().size();
  ok(R"({"advance": 50})");
  EXPECT_EQ(kinds(mark), (Strings{"load_aborted", "disposed"}));
  EXPECT_EQ(store("quick-1").state, State::Disposed);
  EXPECT_EQ(s.registry().events().back().t, 60);
}

TEST_F(Fixture, ATimerScheduledWhileAdvancingFiresInTheSameAdvance) {
  // A preload loads at 100 with no observer, which arms GC for 50 ms: disposal at 150.
  ok(R"({"preload": {"use": "quick", "params": {"n": "1"}}})");
  EXPECT_FALSE(store("quick-1").gcArmed);
  ok(R"({"advance": 1000})");
  EXPECT_EQ(store("quick-1").state, State::Disposed);
  std::vector<std::pair<std::string, Ms>> seen;
  for (const Event& e : s.registry().events()) seen.emplace_back(toString(e.kind), e.t);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, Ms>>{{"instance_created", 0},
                                                           {"preload", 0},
                                                           {"load_succeeded", 100},
                                                           {"gc_scheduled", 100},
                                                           {"disposed", 150}}));
  EXPECT_EQ(s.registry().now(), 1000);
}

TEST_F(Fixture, TimersDueAtTheSameTimeFireInSchedulingOrder) {
  ok(R"({"attach": {"observer": "b", "storeId": "raw-b", "gcTime": 10}})");
  ok(R"({"attach": {"observer": "a", "storeId": "raw-a", "gcTime": 10}})");
  ok(R"({"advance": 0})");
  ok(R"({"detach": "b"})");
  ok(R"({"detach": "a"})");
  ok(R"({"advance": 10})");
  std::vector<std::string> disposed;
  for (const Event& e : s.registry().events())
    if (e.kind == EventKind::Disposed) disposed.push_back(s.registry().storeIdOf(e.store));
  EXPECT_EQ(disposed, (Strings{"raw-b", "raw-a"}));
}

TEST_F(Fixture, AFailedLoadIsCachedAndGivenToEveryObserver) {
  ok(R"({"attach": {"observer": "a", "use": "flaky", "params": {"n": "1"}}})");
  ok(R"({"advance": 10})");
  EXPECT_EQ(store("flaky-1").state, State::Failed);
  EXPECT_EQ(store("flaky-1").error, "network down");
  EXPECT_EQ(status("a"), "errored");
  ok(R"({"attach": {"observer": "b", "use": "flaky", "params": {"n": "1"}}})");
  EXPECT_EQ(status("b"), "errored");
  ok(R"({"detach": "a"})");
  ok(R"({"detach": "b"})");
  EXPECT_EQ(store("flaky-1").state, State::Failed);
  ok(R"({"advance": 60000})");
  EXPECT_EQ(store("flaky-1").state, State::Disposed);
  // Generation 2 is not in the failing list: the reload succeeds.
  ok(R"({"attach": {"observer": "c", "use": "flaky", "params": {"n": "1"}}})");
  ok(R"({"advance": 10})");
  EXPECT_EQ(store("flaky-1").state, State::Active);
  EXPECT_EQ(store("flaky-1").generation, 2u);
  EXPECT_EQ(store("flaky-1").loads, 2u);
  EXPECT_EQ(store("flaky-1").error, "");
}

TEST_F(Fixture, AFailedLoadWithNoObserverArmsGcLikeInactive) {
  ok(R"({"preload": {"use": "flaky", "params": {"n": "1"}}})");
  ok(R"({"advance": 10})");
  EXPECT_EQ(store("flaky-1").state, State::Failed);
  EXPECT_TRUE(store("flaky-1").gcArmed);
  EXPECT_EQ(store("flaky-1").gcDue, 60010);
  EXPECT_EQ(kinds().back(), "gc_scheduled");
  EXPECT_NE(std::find(kinds().begin(), kinds().end(), "preload_error_swallowed"), kinds().end());
}

TEST_F(Fixture, PreloadOfALiveStoreRestartsItsArmedGcFromNow) {
  ok(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"advance": 150})");
  ok(R"({"detach": "p1"})");
  ok(R"({"advance": 15000})");
  const size_t mark = s.registry().events().size();
  ok(R"({"preload": {"use": "issue", "params": {"issueId": "1"}, "gcTime": 5000}})");
  EXPECT_EQ(kinds(mark), (Strings{"preload", "gc_restarted"}));
  // longest: the effective gcTime stays 20000, restarted from t = 15150.
  EXPECT_EQ(store("issue-1").gcDue, 35150);
  EXPECT_EQ(store("issue-1").gcTime, Span::finite(20000));
}

TEST_F(Fixture, PreloadNeverFailsItsCaller) {
  StepResult r = step(R"({"preload": {"use": "nope"}})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(kinds(), (Strings{"preload_error_swallowed"}));
  EXPECT_EQ(s.registry().detailJson(s.registry().events()[0])["message"],
            "use: unknown store options \"nope\"");
  EXPECT_EQ(s.registry().counts().live, 0u);
}

TEST_F(Fixture, DropDisposesAtOnceAndOrphansObservers) {
  ok(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "p2", "use": "issue", "params": {"issueId": "1"}}})");
  const size_t mark = s.registry().events().size();
  ok(R"({"drop": "issue-1"})");
  EXPECT_EQ(kinds(mark), (Strings{"load_aborted", "observer_orphaned", "observer_orphaned", "disposed"}));
  EXPECT_EQ(store("issue-1").state, State::Disposed);
  EXPECT_EQ(status("p1"), "orphaned");
  EXPECT_EQ(status("p2"), "orphaned");
  EXPECT_EQ(s.registry().counts().attachedObservers, 0u);
  EXPECT_FALSE(s.registry().drop("issue-1"));
  EXPECT_FALSE(s.registry().drop("never-seen"));
  // An orphaned observer is not attached any more.
  StepResult r = step(R"({"detach": "p1"})");
  EXPECT_EQ(r.error, "observer \"p1\" is not attached (already orphaned)");
}

TEST_F(Fixture, ClearDropsNewestInstanceFirst) {
  ok(R"({"attach": {"observer": "a", "storeId": "first-1"}})");
  ok(R"({"attach": {"observer": "b", "storeId": "second-1"}})");
  ok(R"({"preload": {"storeId": "third-1"}})");
  ok(R"({"clear": true})");
  std::vector<std::string> disposed;
  for (const Event& e : s.registry().events())
    if (e.kind == EventKind::Disposed) {
      disposed.push_back(s.registry().storeIdOf(e.store));
      EXPECT_EQ(s.registry().detailJson(e)["reason"], "clear");
    }
  EXPECT_EQ(disposed, (Strings{"third-1", "second-1", "first-1"}));
  EXPECT_EQ(s.registry().counts().live, 0u);
}

TEST_F(Fixture, AReloadAfterDisposalIsTheNextGeneration) {
  ok(R"({"attach": {"observer": "a", "storeId": "x-1", "gcTime": 0}})");
  ok(R"({"advance": 0})");
  ok(R"({"detach": "a"})");
  ok(R"({"advance": 0})");
  EXPECT_EQ(store("x-1").state, State::Disposed);
  ok(R"({"attach": {"observer": "a", "storeId": "x-1"}})");
  EXPECT_EQ(store("x-1").generation, 2u);
  EXPECT_EQ(store("x-1").loads, 2u);
  EXPECT_EQ(s.registry().events().back().generation, 2u);
}

// [SECTION] GC policies (SPEC 2.4)

struct PolicyCase {
  Policy policy;
  Span expected;
  Ms disposedAt;
};

class PolicyTest : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(PolicyTest, EffectiveGcTimeFollowsThePolicy) {
  Config c = configFrom(kConfig);
  c.policy = GetParam().policy;
  Session s(c);
  auto run = [&](const char* t) { ASSERT_TRUE(s.execute(json::parse(t)).ok) << t; };
  run(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}, "gcTime": 30000}})");
  run(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "1"}, "gcTime": 120000}})");
  run(R"({"attach": {"observer": "c", "use": "issue", "params": {"issueId": "1"}, "gcTime": 45000}})");
  run(R"({"advance": 1000})");
  run(R"({"detach": "a"})");
  run(R"({"detach": "b"})");
  run(R"({"detach": "c"})");
  const StoreRecord& r = *s.registry().find("issue-1");
  EXPECT_EQ(r.gcTime, GetParam().expected);
  run(R"({"advance": 200000})");
  Ms disposedAt = -1;
  for (const Event& e : s.registry().events())
    if (e.kind == EventKind::Disposed) disposedAt = e.t;
  EXPECT_EQ(disposedAt, GetParam().disposedAt);
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, PolicyTest,
                         ::testing::Values(PolicyCase{Policy::Longest, Span::finite(120000), 121000},
                                           PolicyCase{Policy::First, Span::finite(30000), 31000},
                                           PolicyCase{Policy::Last, Span::finite(45000), 46000},
                                           PolicyCase{Policy::Shortest, Span::finite(30000), 31000}),
                         [](const ::testing::TestParamInfo<PolicyCase>& p) {
                           return std::string(toString(p.param.policy));
                         });

TEST_F(Fixture, InfinityDominatesTheLongestPolicyAndNeverDisposes) {
  ok(R"({"attach": {"observer": "a", "storeId": "ws-1", "gcTime": 100}})");
  ok(R"({"attach": {"observer": "b", "storeId": "ws-1", "gcTime": "Infinity"}})");
  ok(R"({"detach": "a"})");
  ok(R"({"detach": "b"})");
  EXPECT_FALSE(store("ws-1").gcArmed);
  ok(R"({"advance": 100000000})");
  EXPECT_EQ(store("ws-1").state, State::Inactive);
  EXPECT_EQ(store("ws-1").gcTime, Span::infinity());
}

TEST_F(Fixture, GcTimeChangesArePublishedWithTheRequestThatSetThem) {
  ok(R"({"attach": {"observer": "a", "storeId": "x-1", "gcTime": 100}})");
  ok(R"({"attach": {"observer": "b", "storeId": "x-1", "gcTime": 300}})");
  const Event& e = s.registry().events().back();
  EXPECT_EQ(toString(e.kind), "gc_time_changed");
  EXPECT_EQ(s.registry().detailJson(e), json({{"previous", 100}, {"gcTime", 300}}));
  EXPECT_EQ(store("x-1").gcTimeRequest, 2u);
}

TEST(Environment, SsrDefaultGcTimeIsInfinity) {
  Config c = configFrom(R"({"registry": {"environment": "ssr"}})");
  Session s(c);
  ASSERT_TRUE(s.execute(json::parse(R"({"attach": {"observer": "a", "storeId": "page-1"}})")).ok);
  EXPECT_EQ(s.registry().find("page-1")->gcTime, Span::infinity());
  EXPECT_EQ(s.registry().find("page-1")->options->gcTimeLayer, Layer::Environment);
}

TEST(Environment, BrowserDefaultGcTimeIs60Seconds) {
  Session s(configFrom("{}"));
  ASSERT_TRUE(s.execute(json::parse(R"({"attach": {"observer": "a", "storeId": "page-1"}})")).ok);
  EXPECT_EQ(s.registry().find("page-1")->gcTime, Span::finite(60000));
}

TEST_F(Fixture, AHugeGcTimeIsExactAndNeverOverflows) {
  ok(R"({"attach": {"observer": "a", "storeId": "big-1", "gcTime": 9223372036854775807}})");
  ok(R"({"advance": 5})");
  ok(R"({"detach": "a"})");
  EXPECT_EQ(store("big-1").gcDueIn(s.registry().now()), 9223372036854775807);
  ok(R"({"advance": 1000})");
  EXPECT_EQ(store("big-1").gcDueIn(s.registry().now()), 9223372036854774807);
  EXPECT_EQ(store("big-1").state, State::Inactive);
  EXPECT_EQ(store("big-1").lints, (Strings{"timer-overflow"}));
}

// [SECTION] Ownership, failures leave the registry unchanged

TEST_F(Fixture, ATemplateOwnsTheStoreIdItCreated) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})");
  const size_t events = s.registry().events().size();
  StepResult r = step(R"({"attach": {"observer": "b", "use": "other", "params": {"issueId": "1"}}})");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "storeId \"issue-1\" already belongs to \"issue\", not \"other\"");
  EXPECT_EQ(store("issue-1").observers, 1u);
  EXPECT_EQ(kinds(events), (Strings{"step_failed"}));
  // Raw options never conflict and do not take ownership.
  ok(R"({"attach": {"observer": "c", "storeId": "issue-1"}})");
  EXPECT_EQ(store("issue-1").owner, "issue");
}

TEST_F(Fixture, AnInstanceCreatedByRawOptionsHasNoOwner) {
  ok(R"({"attach": {"observer": "a", "storeId": "issue-1"}})");
  ok(R"({"attach": {"observer": "b", "use": "other", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "c", "use": "issue", "params": {"issueId": "1"}}})");
  EXPECT_EQ(store("issue-1").owner, "");
}

TEST_F(Fixture, DetachingAnUnknownObserverFailsAndNamesIt) {
  StepResult r = step(R"({"detach": "ghost"})");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "observer \"ghost\" is not attached (unknown observer)");
  ok(R"({"attach": {"observer": "a", "storeId": "x-1"}})");
  ok(R"({"detach": {"observer": "a"}})");
  EXPECT_EQ(step(R"({"detach": "a"})").error, "observer \"a\" is not attached (already detached)");
}

TEST_F(Fixture, RequestErrorsNameTheFieldAndChangeNothing) {
  struct Case {
    const char* step;
    const char* error;
  };
  const Case cases[] = {
      {R"({"attach": {"use": "isue", "params": {"issueId": "1"}}})",
       "use: unknown store options \"isue\"; did you mean \"issue\"?"},
      {R"({"attach": {"use": "issue"}})", "params: missing \"issueId\" for storeId \"issue-{issueId}\""},
      {R"({"attach": {"use": "issue", "params": {"issueId": "1", "x": "2"}}})",
       "params: \"x\" is not used by storeId \"issue-{issueId}\""},
      {R"({"attach": {"use": "issue", "params": {"issueId": 1}}})", "params/issueId: expected a string, got 1"},
      {R"({"attach": {"use": "issue", "params": {"issueId": "1"}, "storeId": "x"}})",
       "storeId: a \"use\" request may not give storeId (store options \"issue\" define it)"},
      {R"({"attach": {"gcTime": 5}})", "storeId: required (give storeId, or \"use\" a store options template)"},
      {R"({"attach": {"storeId": ""}})", "storeId: empty"},
      {R"({"attach": {"storeId": "a\nb"}})", "storeId: contains a control character (0x0A at byte 1)"},
      {R"({"attach": {"storeId": "ok-1", "gcTime": -5}})",
       "gcTime: expected a non-negative integer or \"Infinity\", got -5"},
  };
  for (const Case& c : cases) {
    StepResult r = step(c.step);
    EXPECT_FALSE(r.ok) << c.step;
    EXPECT_EQ(r.error, c.error) << c.step;
  }
  EXPECT_EQ(s.registry().counts().live, 0u);
  EXPECT_EQ(s.registry().counts().attachedObservers, 0u);
}

TEST(StoreIdRules, InvalidUtf8IsAnError) {
  EXPECT_EQ(validateStoreId("issue-\xff").message(), "storeId: not valid UTF-8 (byte 6 is 0xFF)");
  EXPECT_EQ(validateStoreId("issue-\xc0\xaf").message(), "storeId: not valid UTF-8 (byte 6 is 0xC0)");
  EXPECT_TRUE(validateStoreId("issue-\xc3\xa9").ok());
  EXPECT_EQ(validateStoreId("a\x7f").message(), "storeId: contains a control character (0x7F at byte 1)");
}

TEST(StoreIdRules, EachLintHasItsCode) {
  using S = std::vector<std::string>;
  EXPECT_EQ(storeIdLints("issue-42"), S{});
  EXPECT_EQ(storeIdLints("42"), S{"namespace"});
  EXPECT_EQ(storeIdLints("-42"), S{"namespace"});
  EXPECT_EQ(storeIdLints("user_1"), S{});
  EXPECT_EQ(storeIdLints("user-email-a@b.c"), S{"escaping"});
  EXPECT_EQ(storeIdLints("draft-1700000000000"), S{"nondeterministic"});
  EXPECT_EQ(storeIdLints("draft-170000000000"), S{});
  EXPECT_EQ(storeIdLints("rand-0.8413"), S{"nondeterministic"});
  EXPECT_EQ(storeIdLints("v-1.25"), S{});
  EXPECT_EQ(storeIdLints("x-" + std::string(119, 'a')), S{"long"});
  EXPECT_EQ(storeIdLints("x-" + std::string(118, 'a')), S{});
}

TEST_F(Fixture, AnUnsanitizedParamIsLintedOnTheInstance) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "a b"}}})");
  EXPECT_EQ(store("issue-a b").lints, (Strings{"escaping", "unsanitized-param"}));
}

TEST_F(Fixture, OtherOptionsAreFixedAtCreationAndLaterDifferencesAreIgnored) {
  ok(R"({"attach": {"observer": "a", "storeId": "x-1", "syncPayload": {"t": 1}}})");
  ok(R"({"attach": {"observer": "b", "storeId": "x-1", "syncPayload": {"t": 2}, "signal": "abort"}})");
  const Event& e = s.registry().events().back();
  EXPECT_EQ(toString(e.kind), "options_ignored");
  EXPECT_EQ(s.registry().detailJson(e), json({{"keys", {"syncPayload", "signal"}}}));
  auto checks = s.evaluate(json::parse(R"({"store": "x-1", "options": {"syncPayload": {"t": 1}}})"));
  EXPECT_TRUE(checks.at(0).passed);
}

// [SECTION] Session steps

TEST_F(Fixture, UnmountDetachesAComponentSubtreeByWholeSegments) {
  ok(R"({"attach": {"observer": "ws", "storeId": "ws-1", "component": "App/Workspace"}})");
  ok(R"({"attach": {"observer": "i1", "storeId": "issue-1", "component": "App/Workspace/Issue"}})");
  ok(R"({"attach": {"observer": "sb", "storeId": "side-1", "component": "App/WorkspaceSidebar"}})");
  ok(R"({"unmount": "App/Workspace"})");
  EXPECT_EQ(status("ws"), "detached");
  EXPECT_EQ(status("i1"), "detached");
  EXPECT_EQ(status("sb"), "suspended");
}

TEST_F(Fixture, ObserversWithoutIdGetSequentialNames) {
  ok(R"({"attach": {"storeId": "x-1"}})");
  ok(R"({"attach": {"storeId": "x-1"}})");
  EXPECT_EQ(status("o1"), "suspended");
  EXPECT_EQ(status("o2"), "suspended");
  EXPECT_EQ(step(R"({"attach": {"observer": "o1", "storeId": "x-1"}})").error,
            "observer: \"o1\" is already attached (to x-1)");
}

TEST_F(Fixture, ExpectErrorPassesOnlyWhenTheStepFailsThatWay) {
  EXPECT_TRUE(step(R"({"detach": "ghost", "expectError": "not attached"})").ok);
  StepResult wrong = step(R"({"detach": "ghost", "expectError": "belongs to"})");
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.error,
            "expected an error containing \"belongs to\", got: observer \"ghost\" is not attached (unknown observer)");
  StepResult none = step(R"({"advance": 1, "expectError": "x"})");
  EXPECT_FALSE(none.ok);
  EXPECT_EQ(none.error, "expected an error containing \"x\", but the step succeeded");
}

TEST_F(Fixture, ExpectReportsExpectedAndActual) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})");
  StepResult r = step(R"({"expect": {"store": "issue-1", "state": "ACTIVE", "observers": 1, "gcDueIn": null}})");
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.checks.size(), 3u);
  EXPECT_EQ(r.checks[0].field, "state");
  EXPECT_EQ(r.checks[0].expected, "ACTIVE");
  EXPECT_EQ(r.checks[0].actual, "LOADING");
  EXPECT_FALSE(r.checks[0].passed);
  EXPECT_TRUE(r.checks[1].passed);
  EXPECT_TRUE(r.checks[2].passed);
  StepResult reg = step(R"({"expect": {"registry": true, "live": 1, "observers": 1, "byState": {"LOADING": 1, "ACTIVE": 0}}})");
  EXPECT_TRUE(reg.ok);
  StepResult absent = step(R"({"expect": {"store": "nope-1", "state": "ABSENT", "generation": 0}})");
  EXPECT_TRUE(absent.ok);
}

TEST_F(Fixture, AdvanceToThePastIsAnErrorOfItsStep) {
  ok(R"({"advance": 500})");
  EXPECT_EQ(step(R"({"advanceTo": 100})").error, "advanceTo: 100 is in the past (now 500)");
  ok(R"({"advanceTo": 700})");
  EXPECT_EQ(s.registry().now(), 700);
}

TEST(ScenarioShape, MalformedStepsAreRejectedWithTheirPointer) {
  struct Case {
    const char* steps;
    const char* error;
  };
  const Case cases[] = {
      {R"([{"advance": -1}])", "/steps/0/advance: expected a non-negative integer (ms), got -1"},
      {R"([{"advance": 1.5}])", "/steps/0/advance: expected a non-negative integer (ms), got 1.5"},
      {R"([{"advance": 1, "drop": "x"}])", "/steps/0: a step has exactly one action, found \"advance\" and \"drop\""},
      {R"([{"advanse": 1}])", "/steps/0/advanse: unknown step key; did you mean \"advance\"?"},
      {R"([{"note": "x"}])", "/steps/0: a step needs one action (advance, advanceTo, attach, detach, unmount, preload, drop, clear, expect, createRegistry, shutdownRegistry, loaded, loadFailed or live)"},
      {R"([{"clear": false}])", "/steps/0/clear: expected true, got false"},
      {R"([{"expect": {"store": "a", "stat": "ACTIVE"}}])", "/steps/0/expect/stat: unknown expect field; did you mean \"state\"?"},
      {R"([{"expect": {"store": "a", "state": "GONE"}}])",
       "/steps/0/expect/state: expected one of ABSENT, LOADING, ACTIVE, INACTIVE, FAILED, DISPOSED, got \"GONE\""},
      {R"([{"detach": 3}])", "/steps/0/detach: expected an observer id or {\"observer\": id}, got 3"},
  };
  for (const Case& c : cases) {
    json j = json::parse(std::string(R"({"config": {}, "steps": )") + c.steps + "}");
    Result<Scenario> sc = parseScenario(j, "", {});
    ASSERT_FALSE(sc.ok()) << c.steps;
    EXPECT_EQ(sc.message(), c.error);
  }
}

TEST(ScenarioShape, PolicyOverridesApplyInOrderConfigScenarioCaller) {
  json j = json::parse(R"({"config": {"registry": {"policy": "first"}}, "policy": "last", "steps": []})");
  EXPECT_EQ(parseScenario(j, "", {})->config.policy, Policy::Last);
  EXPECT_EQ(parseScenario(j, "", Overrides{Policy::Shortest, std::nullopt})->config.policy, Policy::Shortest);
  json bad = json::parse(R"({"config": {}, "policy": "newest", "steps": []})");
  EXPECT_EQ(parseScenario(bad, "", {}).message(),
            "/policy: expected one of longest, first, last, shortest, got \"newest\"");
}

TEST(EventsJson, EveryEventHasTheSpecFields) {
  Session s(configFrom(kConfig));
  ASSERT_TRUE(s.execute(json::parse(R"({"attach": {"observer": "p1", "storeId": "x-1", "gcTime": 10}})")).ok);
  json e = s.registry().eventJson(s.registry().events()[0]);
  EXPECT_EQ(e.dump(),
            R"({"seq":1,"t":0,"kind":"instance_created","storeId":"x-1","generation":1,"observer":null,"from":"ABSENT","to":"LOADING","detail":{"gcTime":10,"clientId":"default-client","sessionId":"default-session"},"registry":"default"})");
  json a = s.registry().eventJson(s.registry().events()[1]);
  EXPECT_EQ(a["observer"], "p1");
}

}  // namespace
}  // namespace si

namespace si {
namespace {

TEST(Snapshot, ASnapshotContinuesExactlyAsTheOriginalWithoutDatabasesOrPastEvents) {
  Session original(configFrom(kConfig));
  const char* before[] = {
      R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})",
      R"({"preload": {"use": "quick", "params": {"n": "1"}}})",
      R"({"advance": 120})",
      R"({"detach": "p1"})",
      R"({"attach": {"storeId": "db-1", "adapter": {"type": "memory"}}})",
      R"({"advance": 5})",
  };
  const char* after[] = {
      R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}}})",
      R"({"attach": {"storeId": "raw-2", "gcTime": 10}})",
      R"({"advance": 30000})",
      R"({"unmount": "App"})",
      R"({"detach": "o1"})",
      R"({"advance": 100000})",
  };
  for (const char* t : before) ASSERT_TRUE(original.execute(json::parse(t)).ok) << t;
  ASSERT_TRUE(original.registry().find("db-1")->db);
  Session copy(original, SnapshotTag{});
  EXPECT_FALSE(copy.registry().find("db-1")->db);  // never shares or reopens a connection
  EXPECT_TRUE(copy.registry().events().empty());
  EXPECT_EQ(copy.registry().eventCount(), original.registry().eventCount());
  const size_t mark = original.registry().events().size();
  for (const char* t : after) {
    EXPECT_EQ(original.execute(json::parse(t)).ok, copy.execute(json::parse(t)).ok) << t;
  }
  ASSERT_EQ(copy.registry().events().size(), original.registry().events().size() - mark);
  for (size_t i = 0; i < copy.registry().events().size(); ++i) {
    EXPECT_EQ(copy.registry().eventJson(copy.registry().events()[i]),
              original.registry().eventJson(original.registry().events()[mark + i]));
  }
  for (const StoreRecord& s : original.registry().stores()) {
    const StoreRecord* c = copy.registry().find(s.storeId);
    ASSERT_NE(c, nullptr) << s.storeId;
    EXPECT_EQ(c->state, s.state) << s.storeId;
    EXPECT_EQ(c->generation, s.generation) << s.storeId;
    EXPECT_EQ(c->gcDue, s.gcDue) << s.storeId;
  }
}

// Requests that differ only in their storeId share their merged options (Registry keeps one
// shape per registry, name reuse, template and call-site keys): each still has its own storeId.
TEST_F(Fixture, RequestsDifferingOnlyInStoreIdEachKeepTheirOwnOptions) {
  ok(R"({"attach": {"observer": "o1", "storeId": "x", "gcTime": 5}})");
  ok(R"({"attach": {"observer": "o2", "storeId": "y", "gcTime": 5}})");
  ok(R"({"attach": {"observer": "o3", "storeId": "z", "gcTime": 6}})");
  ok(R"({"attach": {"observer": "o4", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "o5", "use": "other", "params": {"issueId": "2"}}})");
  EXPECT_EQ(store("x").options->toJson()["storeId"], "x");
  EXPECT_EQ(store("y").options->toJson()["storeId"], "y");
  EXPECT_EQ(store("y").gcTime, Span::finite(5));
  EXPECT_EQ(store("z").gcTime, Span::finite(6));
  EXPECT_EQ(store("x").otherOptionsId, store("y").otherOptionsId);
  EXPECT_EQ(store("issue-1").gcTime, Span::finite(20000));  // the template's
  EXPECT_EQ(store("issue-2").gcTime, Span::finite(60000));  // the registry default: another template
  EXPECT_EQ(store("issue-2").options->toJson()["storeId"], "issue-2");
}

TEST_F(Fixture, AReusedRegistryNameResolvesAgainstItsNewDefaults) {
  ok(R"({"createRegistry": {"name": "r", "defaultOptions": {"gcTime": 1000}}})");
  ok(R"({"attach": {"observer": "o1", "storeId": "a", "registry": "r"}})");
  ok(R"({"attach": {"observer": "o0", "storeId": "c"}})");  // default registry, same shape
  EXPECT_EQ(s.registry().find("c")->gcTime, Span::finite(60000));
  ok(R"({"shutdownRegistry": {"registry": "r"}})");
  ok(R"({"advance": 10})");
  ok(R"({"createRegistry": {"name": "r", "defaultOptions": {"gcTime": 2000}}})");
  ok(R"({"attach": {"observer": "o2", "storeId": "b", "registry": "r"}})");
  ok(R"({"attach": {"observer": "o3", "storeId": "b"}})");  // default registry
  const auto r = s.registry().registryIndex("r");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(s.registry().find("b", *r)->gcTime, Span::finite(2000));
  EXPECT_EQ(s.registry().find("b")->gcTime, Span::finite(60000));
}

}  // namespace
}  // namespace si
