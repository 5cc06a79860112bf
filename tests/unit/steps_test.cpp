// Steps parsed once into typed actions (core/steps.hpp): one test per action shape, one per
// error text, and the request reader every attach and preload goes through.
#include <gtest/gtest.h>

#include "config.hpp"
#include "session.hpp"
#include "steps.hpp"

namespace si {
namespace {

Step parse(const char* text) { return parseStep(json::parse(text), "/steps/0"); }

template <class T>
const T& actionOf(const Step& s) {
  EXPECT_EQ(s.malformed(), nullptr) << s.malformed()->message;
  return std::get<T>(s.action);
}

// [SECTION] Action shapes

TEST(Steps, AdvanceAndAdvanceToCarryTheirMilliseconds) {
  EXPECT_EQ(actionOf<Advance>(parse(R"({"advance": 500})")).ms, 500);
  EXPECT_EQ(actionOf<AdvanceTo>(parse(R"({"advanceTo": 9223372036854775807})")).t, kMaxMs);
}

TEST(Steps, AttachSplitsObserverAndComponentFromTheRequest) {
  const Step s = parse(R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"},
                                      "component": "App/Issue", "gcTime": 5}})");
  const Attach& a = actionOf<Attach>(s);
  EXPECT_EQ(a.observer, "p1");
  EXPECT_EQ(a.component, "App/Issue");
  EXPECT_EQ(a.request, json::parse(R"({"use": "issue", "params": {"issueId": "1"}, "gcTime": 5})"));
}

TEST(Steps, WithoutItsSourceAStepMovesItsRequestAndReadsTheSame) {
  for (const char* text : {R"({"attach": {"observer": "p1", "component": "App", "storeId": "a", "registry": "r",
                                           "gcTime": 5}})",
                           R"({"preload": {"storeId": "b", "registry": "r", "gcTime": 7}})"}) {
    SCOPED_TRACE(text);
    const Step kept = parseStep(json::parse(text), "step");
    const Step moved = parseStep(json::parse(text), "step", false);
    ASSERT_EQ(kept.malformed(), nullptr);
    ASSERT_EQ(moved.malformed(), nullptr);
    EXPECT_EQ(kept.source, json::parse(text));
    EXPECT_TRUE(moved.source.is_null());
    if (const auto* a = std::get_if<Attach>(&kept.action)) {
      const Attach& b = std::get<Attach>(moved.action);
      EXPECT_EQ(b.request, a->request);
      EXPECT_EQ(b.request, json::parse(R"({"storeId": "a", "gcTime": 5})"));
      EXPECT_EQ(b.observer, "p1");
      EXPECT_EQ(b.component, "App");
      EXPECT_EQ(b.registry, "r");
    } else {
      const Preload& b = std::get<Preload>(moved.action);
      EXPECT_EQ(b.request, std::get<Preload>(kept.action).request);
      EXPECT_EQ(b.request, json::parse(R"({"storeId": "b", "gcTime": 7})"));
      EXPECT_EQ(b.registry, "r");
    }
  }
  // Errors read the same either way.
  const char* bad = R"({"attach": {"observer": 5, "storeId": "a"}})";
  EXPECT_EQ(parseStep(json::parse(bad), "step", false).malformed()->message,
            parseStep(json::parse(bad), "step").malformed()->message);
}

TEST(Steps, AttachWithoutObserverLeavesTheNameToTheSession) {
  const Step s = parse(R"({"attach": {"storeId": "x-1"}})");
  const Attach& a = actionOf<Attach>(s);
  EXPECT_EQ(a.observer, "");
  EXPECT_EQ(a.component, "");
  EXPECT_EQ(a.request, json::parse(R"({"storeId": "x-1"})"));
}

TEST(Steps, DetachTakesAnIdOrAnObserverObject) {
  EXPECT_EQ(actionOf<Detach>(parse(R"({"detach": "p1"})")).observer, "p1");
  EXPECT_EQ(actionOf<Detach>(parse(R"({"detach": {"observer": "p2"}})")).observer, "p2");
}

TEST(Steps, UnmountPreloadDropAndClear) {
  EXPECT_EQ(actionOf<Unmount>(parse(R"({"unmount": "App/Workspace"})")).component, "App/Workspace");
  EXPECT_EQ(actionOf<Preload>(parse(R"({"preload": {"storeId": "x-1"}})")).request, json::parse(R"({"storeId": "x-1"})"));
  EXPECT_EQ(actionOf<Drop>(parse(R"({"drop": "x-1"})")).storeId, "x-1");
  (void)actionOf<Clear>(parse(R"({"clear": true})"));
}

TEST(Steps, ExpectNamesItsSubjectAndKeepsTheFieldsInOrder) {
  const Step s1 = parse(R"({"expect": {"state": "ACTIVE", "store": "a-1", "observers": 1}})");
  const Expect& store = actionOf<Expect>(s1);
  EXPECT_EQ(std::get<StoreExpect>(store).store, "a-1");
  EXPECT_EQ(std::get<StoreExpect>(store).fields.dump(), R"({"state":"ACTIVE","observers":1})");
  const Step s2 = parse(R"({"expect": {"observer": "p1", "status": "ready"}})");
  const Expect& obs = actionOf<Expect>(s2);
  EXPECT_EQ(std::get<ObserverExpect>(obs).observer, "p1");
  EXPECT_EQ(std::get<ObserverExpect>(obs).fields, json::parse(R"({"status": "ready"})"));
}

TEST(Steps, RegistryExpectMergesTheFieldsBesideAndInsideRegistry) {
  const Step s1 = parse(R"({"expect": {"registry": {"live": 2}, "observers": 1}})");
  const Expect& e = actionOf<Expect>(s1);
  EXPECT_EQ(std::get<RegistryExpect>(e).fields, json::parse(R"({"observers": 1, "live": 2})"));
  const Step s2 = parse(R"({"expect": {"registry": true, "live": 0}})");
  const Expect& t = actionOf<Expect>(s2);
  EXPECT_EQ(std::get<RegistryExpect>(t).fields, json::parse(R"({"live": 0})"));
}

TEST(Steps, NoteExpectErrorAndTheSourceAreKept) {
  const Step s = parse(R"({"note": "why", "drop": "x-1", "expectError": "nope"})");
  EXPECT_EQ(s.note, "why");
  EXPECT_EQ(s.expectError, "nope");
  EXPECT_EQ(s.source.dump(), R"({"note":"why","drop":"x-1","expectError":"nope"})");
  EXPECT_EQ(actionName(s.action), "drop");
}

TEST(Steps, AMalformedStepKeepsItsExpectErrorAndItsSource) {
  const Step s = parse(R"({"advance": -1, "expectError": "advance"})");
  ASSERT_NE(s.malformed(), nullptr);
  EXPECT_EQ(s.expectError, "advance");
  EXPECT_EQ(s.source, json::parse(R"({"advance": -1, "expectError": "advance"})"));
  EXPECT_EQ(actionName(s.action), "");
}

TEST(Steps, BytesThatAreNotUtf8FailTheStepAndAreReplacedInTheSource) {
  json bad = json::object();
  bad["drop"] = std::string("x\xff");
  const Step s = parseStep(bad, "step");
  ASSERT_NE(s.malformed(), nullptr);
  EXPECT_EQ(s.malformed()->message, "step/drop: not valid UTF-8 (byte 1 is 0xFF)");
  EXPECT_EQ(s.source["drop"], "x\xEF\xBF\xBD");
}

TEST(Steps, EveryActionHasItsName) {
  const char* steps[] = {R"({"advance": 1})", R"({"advanceTo": 1})", R"({"attach": {}})",
                         R"({"detach": "a"})", R"({"unmount": "A"})", R"({"preload": {}})",
                         R"({"drop": "a"})", R"({"clear": true})",
                         R"({"expect": {"registry": true, "live": 0}})"};
  for (const char* text : steps) {
    const Step s = parse(text);
    EXPECT_TRUE(json::parse(text).contains(std::string(actionName(s.action)))) << text;
  }
}

// [SECTION] Error texts (the step's own pointer, then what was expected and what was found)

struct ErrorCase {
  const char* step;
  const char* error;
};
class StepErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(StepErrors, NameTheFieldWithWhatWasExpected) {
  const Step s = parse(GetParam().step);
  ASSERT_NE(s.malformed(), nullptr) << GetParam().step;
  EXPECT_EQ(s.malformed()->message, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Steps, StepErrors,
    ::testing::Values(
        ErrorCase{R"([1])", "/steps/0: expected a step object, got [1]"},
        ErrorCase{R"({"note": 1, "advance": 1})", "/steps/0/note: expected a string, got 1"},
        ErrorCase{R"({"expectError": true, "advance": 1})",
                  "/steps/0/expectError: expected a string (a substring of the error), got true"},
        ErrorCase{R"({"advance": 1, "drop": "x"})",
                  "/steps/0: a step has exactly one action, found \"advance\" and \"drop\""},
        ErrorCase{R"({"advanse": 1})", "/steps/0/advanse: unknown step key; did you mean \"advance\"?"},
        ErrorCase{R"({"note": "x"})",
                  "/steps/0: a step needs one action (advance, advanceTo, attach, detach, unmount, "
                  "preload, drop, clear, expect, createRegistry, shutdownRegistry, loaded, "
                  "loadFailed or live)"},
        ErrorCase{R"({"advance": -1})", "/steps/0/advance: expected a non-negative integer (ms), got -1"},
        ErrorCase{R"({"advanceTo": 9223372036854775808})",
                  "/steps/0/advanceTo: expected a non-negative integer (ms), got 9223372036854775808"},
        ErrorCase{R"({"attach": "p1"})", "/steps/0/attach: expected a request object, got \"p1\""},
        ErrorCase{R"({"attach": {"observer": ""}})", "/steps/0/attach/observer: expected a non-empty string, got \"\""},
        ErrorCase{R"({"attach": {"component": "A\u001b"}})",
                  "/steps/0/attach/component: contains a control character (0x1B at byte 1)"},
        ErrorCase{R"({"preload": []})", "/steps/0/preload: expected a request object, got []"},
        ErrorCase{R"({"detach": 3})", "/steps/0/detach: expected an observer id or {\"observer\": id}, got 3"},
        ErrorCase{R"({"detach": {"observer": 3}})",
                  "/steps/0/detach/observer: expected an observer id or {\"observer\": id}, got 3"},
        ErrorCase{R"({"unmount": ""})", "/steps/0/unmount: expected a component path, got \"\""},
        ErrorCase{R"({"drop": 1})", "/steps/0/drop: expected a storeId, got 1"},
        ErrorCase{R"({"clear": false})", "/steps/0/clear: expected true, got false"},
        ErrorCase{R"({"expect": 1})", "/steps/0/expect: expected an object, got 1"},
        ErrorCase{R"({"expect": {"store": "a", "observer": "b"}})",
                  "/steps/0/expect: expected exactly one of \"store\", \"observer\" or \"registry\""},
        ErrorCase{R"({"expect": {"store": "a", "stat": "ACTIVE"}})",
                  "/steps/0/expect/stat: unknown expect field; did you mean \"state\"?"},
        ErrorCase{R"({"expect": {"store": 1, "state": "ACTIVE"}})",
                  "/steps/0/expect/store: expected a storeId string, got 1"},
        ErrorCase{R"({"expect": {"observer": 1, "status": "ready"}})",
                  "/steps/0/expect/observer: expected an observer id string, got 1"},
        ErrorCase{R"({"expect": {"registry": 1, "live": 1}})", "/steps/0/expect/registry: expected true, got 1"},
        ErrorCase{R"({"expect": {"store": "a", "state": "GONE"}})",
                  "/steps/0/expect/state: expected one of ABSENT, LOADING, ACTIVE, INACTIVE, FAILED, "
                  "DISPOSED, got \"GONE\""},
        ErrorCase{R"({"expect": {"observer": "a", "status": "gone"}})",
                  "/steps/0/expect/status: expected one of suspended, ready, errored, orphaned, detached, got \"gone\""},
        ErrorCase{R"({"expect": {"store": "a", "loads": -1}})",
                  "/steps/0/expect/loads: expected a non-negative integer, got -1"},
        ErrorCase{R"({"expect": {"store": "a", "gcTime": "forever"}})",
                  "/steps/0/expect/gcTime: expected a non-negative integer or \"Infinity\", got \"forever\""},
        ErrorCase{R"({"expect": {"store": "a", "gcDueIn": 1.5}})",
                  "/steps/0/expect/gcDueIn: expected an integer or null, got 1.5"},
        ErrorCase{R"({"expect": {"store": "a", "error": 1}})", "/steps/0/expect/error: expected a string, got 1"},
        ErrorCase{R"({"expect": {"store": "a", "options": 1}})", "/steps/0/expect/options: expected an object, got 1"},
        ErrorCase{R"({"expect": {"store": "a", "lints": [1]}})",
                  "/steps/0/expect/lints: expected an array of lint codes, got [1]"},
        ErrorCase{R"({"expect": {"registry": true, "byState": {"GONE": 1}}})",
                  "/steps/0/expect/byState/GONE: unknown state; expected one of ABSENT, LOADING, ACTIVE, "
                  "INACTIVE, FAILED, DISPOSED"},
        ErrorCase{R"({"expect": {"registry": {"live": 1}, "live": 2}})",
                  "/steps/0/expect/registry/live: also given beside \"registry\""},
        ErrorCase{R"({"expect": {"observer": "a"}})", "/steps/0/expect: checks nothing; give at least one of status"}));

// [SECTION] Requests (read when the step runs, rule 0)

const char* kConfig = R"({"storeOptions": {
  "issue": {"storeId": "issue-{issueId}"},
  "workspace": {"storeId": "workspace-root"}}})";

Config config() { return parseConfig(json::parse(kConfig), ".").value(); }

std::string requestError(const char* request) {
  const Config c = config();
  Result<RequestShape> r = readRequest(json::parse(request), c.templates);
  return r ? std::string("ok") : r.message();
}

TEST(Requests, AUseRequestFillsTheTemplatesPlaceholdersAndKeepsTheRestAsCallSite) {
  const Config c = config();
  Result<RequestShape> r =
      readRequest(json::parse(R"({"use": "issue", "params": {"issueId": "a b"}, "gcTime": 5})"), c.templates);
  ASSERT_TRUE(r) << r.message();
  EXPECT_EQ(r->templateName, "issue");
  EXPECT_EQ(r->use, &c.templates.at("issue"));
  EXPECT_EQ(r->storeId, "issue-a b");
  EXPECT_TRUE(r->unsanitized);
  EXPECT_EQ(r->callSite, json::parse(R"({"gcTime": 5})"));
}

TEST(Requests, RawOptionsCarryTheirOwnStoreId) {
  const Config c = config();
  Result<RequestShape> r = readRequest(json::parse(R"({"storeId": "x-1", "gcTime": 5})"), c.templates);
  ASSERT_TRUE(r) << r.message();
  EXPECT_EQ(r->use, nullptr);
  EXPECT_EQ(r->storeId, "x-1");
  EXPECT_EQ(r->callSite, json::parse(R"({"storeId": "x-1", "gcTime": 5})"));
}

TEST(Requests, ErrorsNameTheField) {
  EXPECT_EQ(requestError("[]"), "request: expected an object, got []");
  EXPECT_EQ(requestError(R"({"use": 1})"), "use: expected a store options name, got 1");
  EXPECT_EQ(requestError(R"({"use": "isue"})"), "use: unknown store options \"isue\"; did you mean \"issue\"?");
  EXPECT_EQ(requestError(R"({"use": "workspace", "storeId": "x"})"),
            "storeId: a \"use\" request may not give storeId (store options \"workspace\" define it)");
  EXPECT_EQ(requestError(R"({"use": "issue", "params": []})"), "params: expected an object, got []");
  EXPECT_EQ(requestError(R"({"use": "issue", "params": {"issueId": 1}})"), "params/issueId: expected a string, got 1");
  EXPECT_EQ(requestError(R"({"use": "issue"})"), "params: missing \"issueId\" for storeId \"issue-{issueId}\"");
  EXPECT_EQ(requestError(R"({"use": "issue", "params": {"issueId": "1", "x": "2"}})"),
            "params: \"x\" is not used by storeId \"issue-{issueId}\"");
  EXPECT_EQ(requestError(R"({"params": {}})"), "params: only a \"use\" request takes params (raw options carry storeId)");
  EXPECT_EQ(requestError(R"({"gcTime": 1})"), "storeId: required (give storeId, or \"use\" a store options template)");
  EXPECT_EQ(requestError(R"({"storeId": 1})"), "storeId: expected a string, got 1");
}

TEST(Requests, AStoreIdPatternFillsItsOwnPlaceholders) {
  StoreIdPattern p = StoreIdPattern::parse("{org}/issue-{id}-{org}", "storeId").value();
  EXPECT_EQ(p.fill({{"id", "7"}, {"org", "acme"}}).value(), "acme/issue-7-acme");
  EXPECT_EQ(p.fill({{"id", "7"}}).message(), "params: missing \"org\" for storeId \"{org}/issue-{id}-{org}\"");
}

// [SECTION] StepResult: what a caller needs without reading the events

TEST(StepResults, APreloadReportsTheErrorItSwallowed) {
  Session s(config());
  StepResult r = s.execute(json::parse(R"({"preload": {"use": "nope"}})"));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.swallowed, (std::vector<std::string>{"use: unknown store options \"nope\""}));
}

TEST(StepResults, AStepReportsTheLintsOfTheInstancesItCreated) {
  Session s(config());
  EXPECT_EQ(s.execute(json::parse(R"({"attach": {"storeId": "42"}})")).lints, (std::vector<std::string>{"namespace"}));
  EXPECT_TRUE(s.execute(json::parse(R"({"attach": {"storeId": "42"}})")).lints.empty());
}

TEST(StepResults, ExecutingAParsedStepLogsItAsWritten) {
  Session s(config());
  const Step st = parseStep(json::parse(R"({"attach": {"observer": "p1", "storeId": "x-1"}, "note": "n"})"), "step");
  EXPECT_TRUE(s.execute(st).ok);
  EXPECT_EQ(s.commands().back().step(), st.source);
  EXPECT_EQ(s.observerNames().at("p1").status, ObserverStatus::Suspended);
}

}  // namespace
}  // namespace si
