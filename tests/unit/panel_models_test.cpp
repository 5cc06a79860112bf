// The panels' rules without a window (panels/model/): the Registry panel's rows under every
// filter and sort, kept exact as events arrive; which layer wins in the Store panel's option
// table; the lint texts; the timeline's view math; the comparison's cells; the attach form.
#include <gtest/gtest.h>

#include "alert_list.hpp"
#include "comparison_diff.hpp"
#include "lint_text.hpp"
#include "observer_tree.hpp"
#include "option_provenance.hpp"
#include "registry_diff.hpp"
#include "registry_rows.hpp"
#include "scenario_files.hpp"
#include "session.hpp"
#include "timeline_view.hpp"

namespace si::gui {
namespace {

const char* kConfig = R"({
  "registry": {"defaultOptions": {"gcTime": 60000, "batchUpdates": "react-dom"}},
  "storeOptions": {
    "issue": {"storeId": "issue-{issueId}", "gcTime": 20000, "adapter": {"loadMs": 150}},
    "user": {"storeId": "user-{u}", "adapter": {"loadMs": 10}},
    "quick": {"storeId": "quick-{n}", "gcTime": 50, "adapter": {"loadMs": 100}}
  }
})";

Config testConfig() {
  Result<Config> c = parseConfig(json::parse(kConfig), ".");
  if (!c) ADD_FAILURE() << c.message();
  return c ? *c : Config{};
}

struct Models : ::testing::Test {
  Session s{testConfig()};
  void ok(const std::string& text) {
    StepResult r = s.execute(json::parse(text));
    ASSERT_TRUE(r.ok) << text << " -> " << r.error;
  }
  const Registry& reg() const { return s.registry(); }
  std::vector<std::string> ids(const RegistryRows& r) const {
    std::vector<std::string> out;
    for (StoreKey k : r.rows) out.push_back(reg().storeIdOf(k));
    return out;
  }
  // The rows a fresh model builds from scratch: the oracle for the watermark extension.
  std::vector<StoreKey> fresh(const RegistryRows& like) const {
    RegistryRows r;
    r.filter = like.filter;
    r.stateFilter = like.stateFilter;
    r.sortColumn = like.sortColumn;
    r.sortAscending = like.sortAscending;
    r.refresh(reg(), 1, reg().now());
    return r.rows;
  }
  using Strings = std::vector<std::string>;
};

// [SECTION] registry rows

TEST_F(Models, RowsListEveryCreatedStoreByStoreIdAndHideResolvedOnes) {
  ok(R"({"attach": {"observer": "a", "use": "user", "params": {"u": "b"}}})");
  ok(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "2"}}})");
  ok(R"({"preload": {"use": "issue", "params": {"issueId": "1"}}})");
  RegistryRows r;
  r.refresh(reg(), 1, reg().now());
  EXPECT_EQ(ids(r), (Strings{"issue-1", "issue-2", "user-b"}));
  r.sortAscending = false;
  r.invalidate();
  r.refresh(reg(), 1, reg().now());
  EXPECT_EQ(ids(r), (Strings{"user-b", "issue-2", "issue-1"}));
}

TEST_F(Models, RowsFilterByStateAndBySubstringOfStoreIdOrTemplate) {
  ok(R"({"attach": {"observer": "a", "use": "user", "params": {"u": "x"}}})");
  ok(R"({"preload": {"use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"advance": 200})");
  RegistryRows r;
  r.stateFilter = static_cast<int>(State::Inactive);
  r.refresh(reg(), 1, reg().now());
  EXPECT_EQ(ids(r), (Strings{"issue-1"}));
  r.stateFilter = -1;
  r.filter = "user";  // the template name, not in the storeId
  r.invalidate();
  r.refresh(reg(), 1, reg().now());
  EXPECT_EQ(ids(r), (Strings{"user-x"}));
}

TEST_F(Models, RowsSortByObserversThenStoreIdAndFollowAttachesWithoutFullRebuild) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "2"}}})");
  ok(R"({"attach": {"observer": "c", "use": "issue", "params": {"issueId": "2"}}})");
  RegistryRows r;
  r.sortColumn = kColObservers;
  r.sortAscending = false;
  r.refresh(reg(), 1, reg().now());
  EXPECT_EQ(ids(r), (Strings{"issue-2", "issue-1"}));
  const uint64_t rebuilds = r.fullRebuilds;
  ok(R"({"attach": {"observer": "d", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "e", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "f", "use": "user", "params": {"u": "z"}}})");
  r.refresh(reg(), 1, reg().now());
  EXPECT_EQ(ids(r), (Strings{"issue-1", "issue-2", "user-z"}));
  EXPECT_EQ(r.fullRebuilds, rebuilds);  // extended past the watermark
  r.refresh(reg(), 2, reg().now());     // another session: rebuilt
  EXPECT_EQ(r.fullRebuilds, rebuilds + 1);
}

TEST_F(Models, RowsExtendedStepByStepEqualRowsBuiltFromScratchUnderEverySortAndFilter) {
  std::vector<RegistryRows> models;
  for (int col = 0; col < kColumnCount; ++col) {
    for (bool asc : {true, false}) {
      RegistryRows r;
      r.sortColumn = col;
      r.sortAscending = asc;
      models.push_back(r);
    }
  }
  for (int st : {static_cast<int>(State::Active), static_cast<int>(State::Inactive), static_cast<int>(State::Disposed)}) {
    RegistryRows r;
    r.stateFilter = st;
    models.push_back(r);
  }
  RegistryRows byText;
  byText.filter = "issue-1";
  models.push_back(byText);
  const std::vector<std::string> steps = {
      R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})",
      R"({"attach": {"observer": "b", "use": "quick", "params": {"n": "1"}}})",
      R"({"preload": {"use": "issue", "params": {"issueId": "10"}}})",
      R"({"advance": 160})",
      R"({"attach": {"observer": "c", "use": "issue", "params": {"issueId": "10"}, "gcTime": 90000}})",
      R"({"detach": "b"})",
      R"({"advance": 60})",
      R"({"attach": {"observer": "d", "use": "quick", "params": {"n": "1"}}})",
      R"({"attach": {"observer": "e", "use": "user", "params": {"u": "q"}}})",
      R"({"detach": "a"})",
      R"({"drop": "issue-10"})",
      R"({"advance": 500})",
      R"({"clear": true})",
      R"({"attach": {"observer": "f", "use": "issue", "params": {"issueId": "1"}}})",
      R"({"advance": 30000})"};
  for (const std::string& step : steps) {
    (void)s.execute(json::parse(step));
    for (RegistryRows& m : models) {
      m.refresh(reg(), 1, reg().now());
      ASSERT_EQ(m.rows, fresh(m)) << "after " << step << ", sort " << m.sortColumn << (m.sortAscending ? " asc" : " desc")
                                  << ", state " << m.stateFilter << ", filter '" << m.filter << "'";
    }
  }
}

// [SECTION] alerts

std::vector<Alert> alertsOf(const AlertList& list) {
  std::vector<Alert> out;
  for (const Alert* a : list.all()) out.push_back(*a);
  return out;
}

// The list kept step by step says what one built from scratch says, after every step of every
// example, with limits low enough that the clock's alerts appear too.
TEST(PanelModels, AlertsKeptStepByStepEqualAlertsBuiltFromScratch) {
  size_t seen[kAlertKindCount] = {};
  for (const std::string& path : test::scenarioFiles()) {
    SCOPED_TRACE(path);
    auto sc = loadScenarioFile(path, {});
    ASSERT_TRUE(sc) << sc.message();
    Session s(sc->config);
    AlertList kept;
    for (const json& step : sc->steps) {
      (void)s.execute(step);
      kept.refresh(s.registry(), 1, 50, 100);
      AlertList fresh;
      fresh.refresh(s.registry(), 1, 50, 100);
      ASSERT_EQ(alertsOf(kept), alertsOf(fresh)) << "after " << step;
      ASSERT_EQ(kept.size(), fresh.size());
      std::array<size_t, kAlertKindCount> counted{};
      for (const Alert* a : fresh.all()) counted[static_cast<size_t>(a->kind)]++;
      ASSERT_EQ(kept.counts(), counted) << "after " << step;
      for (size_t k = 0; k < kAlertKindCount; ++k) seen[k] += counted[k];
    }
  }
  // The examples exercise the kinds the list keeps by store, by clock and by event.
  for (AlertKind k : {AlertKind::Lint, AlertKind::ActiveTooLong, AlertKind::LoadFailed, AlertKind::OptionsIgnored})
    EXPECT_GT(seen[static_cast<size_t>(k)], 0u) << kAlertKindNames[static_cast<size_t>(k)];
}

TEST(PanelModels, ATimerOverflowAlertFollowsItsStoresGcTime) {
  Session s(Config{});
  AlertList list;
  for (const char* gcTime : {"3000000000", "4000000000"}) {  // the longest call-site gcTime wins
    const std::string step = std::string(R"({"attach": {"storeId": "big", "gcTime": )") + gcTime + "}}";
    ASSERT_TRUE(s.execute(json::parse(step)).ok);
    list.refresh(s.registry(), 1, 5000, 600000);
    std::vector<Alert> overflows;
    for (const Alert& a : alertsOf(list))
      if (a.kind == AlertKind::TimerOverflow) overflows.push_back(a);
    ASSERT_EQ(overflows.size(), 1u);
    EXPECT_NE(overflows[0].text.find(gcTime), std::string::npos) << overflows[0].text;
  }
}

TEST(PanelModels, AnotherSessionStartsTheAlertsOver) {
  Session a(Config{}), b(Config{});
  ASSERT_TRUE(a.execute(json::parse(R"({"attach": {"observer": "o", "storeId": "user:1", "gcTime": 10}})")).ok);
  AlertList list;
  list.refresh(a.registry(), 1, 5000, 600000);
  ASSERT_FALSE(alertsOf(list).empty());  // the storeId's lints
  for (const Alert& x : alertsOf(list)) EXPECT_EQ(x.kind, AlertKind::Lint) << x.text;
  list.refresh(b.registry(), 2, 5000, 600000);
  EXPECT_EQ(list.size(), 0u);
}

// [SECTION] option provenance

TEST_F(Models, GcTimeWinsFromTheCallSiteTheTemplateOrTheRegistry) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}, "gcTime": 5}})");
  ok(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "2"}}})");
  ok(R"({"attach": {"observer": "c", "use": "user", "params": {"u": "x"}}})");
  auto winner = [&](const char* id, OptionKey k) {
    const StoreRecord& st = *reg().find(id);
    return winningColumn(st, provenanceColumns(st), k);
  };
  EXPECT_EQ(winner("issue-1", OptionKey::GcTime), kLayerColCreating);
  EXPECT_EQ(winner("issue-2", OptionKey::GcTime), kLayerColTemplate);
  EXPECT_EQ(winner("user-x", OptionKey::GcTime), kLayerColRegistry);
  EXPECT_EQ(winner("issue-2", OptionKey::Adapter), kLayerColTemplate);
  EXPECT_EQ(winner("issue-2", OptionKey::BatchUpdates), kLayerColRegistry);
  EXPECT_EQ(winner("issue-2", OptionKey::Debug), -1);
}

TEST_F(Models, ALaterRequestThatSetsGcTimeWinsItsOwnColumn) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "1"}, "gcTime": 90000}})");
  const StoreRecord& st = *reg().find("issue-1");
  const ProvenanceColumns c = provenanceColumns(st);
  ASSERT_EQ(c.later.size(), 1u);
  EXPECT_FALSE(c.truncated);
  EXPECT_EQ(c.count(), 7);
  EXPECT_EQ(winningColumn(st, c, OptionKey::GcTime), kLayerColFirstLater);  // policy longest
  EXPECT_EQ(winningColumn(st, c, OptionKey::Adapter), kLayerColTemplate);   // fixed at creation
}

TEST_F(Models, TheTableShowsTheCreatingRequestAndTheLatestSix) {
  for (int i = 0; i < 9; ++i) ok(R"({"attach": {"use": "issue", "params": {"issueId": "1"}}})");
  const StoreRecord& st = *reg().find("issue-1");
  const ProvenanceColumns c = provenanceColumns(st);
  EXPECT_EQ(c.later.size(), kMaxLaterColumns);
  EXPECT_TRUE(c.truncated);
  EXPECT_EQ(c.creating->seq, st.requestHistory().front()->seq);
  EXPECT_EQ(c.later.back()->seq, st.requestHistory().back()->seq);
}

TEST(PanelModels, CellTextCutsLongValuesAt45BytesPlusAnEllipsis) {
  const json longText = std::string(60, 'x');
  EXPECT_EQ(cellText(&longText), std::string(45, 'x') + "...");
  const json n = 5;
  EXPECT_EQ(cellText(&n), "5");
  EXPECT_EQ(cellText(nullptr), "");
}

// [SECTION] lint texts

TEST(PanelModels, LintTextsForTheAlertsAndTheStorePanel) {
  EXPECT_EQ(lintAlertText("timer-overflow", Span::finite(3000000000)),
            "gcTime 3000000000 ms is above 2147483647: a browser's setTimeout fires at once");
  EXPECT_EQ(lintAlertText("namespace", Span::finite(1)), "storeId lint: namespace");
  EXPECT_EQ(lintExplanationText("timer-overflow"),
            "gcTime above 2147483647 ms: browsers' setTimeout fires such a timer at once, so the "
            "store would be collected immediately.");
  EXPECT_EQ(lintExplanationText("no-such-lint"), "");
}

// [SECTION] timeline view

TEST(PanelModels, WheelZoomKeepsTheTimeUnderTheMouseAndStopsFollowing) {
  TimelineView v;
  v.canvasX = 100;
  v.canvasWidth = 500;
  v.viewStart = 1000;
  const double before = v.timeAtX(300);
  v.zoomAround(300, 1);
  EXPECT_DOUBLE_EQ(v.msPerPixel, 16);
  EXPECT_NEAR(v.timeAtX(300), before, 1e-9);
  EXPECT_NEAR(v.xAtTime(before), 300, 1e-4);
  EXPECT_FALSE(v.follow);
  v.panBy(10);
  EXPECT_NEAR(v.timeAtX(310), before, 1e-9);
}

TEST(PanelModels, FitShowsZeroToNowAndFollowKeepsNowAtTheRightEdge) {
  TimelineView v;
  v.canvasWidth = 400;
  v.fit(8000);
  EXPECT_DOUBLE_EQ(v.msPerPixel, 20);
  EXPECT_DOUBLE_EQ(v.viewStart, 0);
  v.keepNowInView(12000);
  EXPECT_DOUBLE_EQ(v.viewStart, 4000);
  v.follow = false;
  v.keepNowInView(20000);
  EXPECT_DOUBLE_EQ(v.viewStart, 4000);
}

// Issue 11: after Run to end the timeline followed "now" at 20 ms/px, the history off screen.
TEST(PanelModels, FollowingAJumpWiderThanTheViewShowsTheWholeHistory) {
  TimelineView v;
  v.canvasWidth = 400;  // 20 ms/px: 8000 ms visible
  v.keepNowInView(1000);
  EXPECT_DOUBLE_EQ(v.msPerPixel, 20);
  v.keepNowInView(50000);  // Run to end
  EXPECT_DOUBLE_EQ(v.viewStart, 0);
  EXPECT_DOUBLE_EQ(v.msPerPixel, 125);  // [0, 50000] in 400 px
  EXPECT_TRUE(v.follow);
  v.keepNowInView(51000);  // small steps scroll as before
  EXPECT_DOUBLE_EQ(v.viewStart, 1000);
}

// The window shrunk to a sliver while an app moved the clock, then grown back: the lanes came
// back at 3,000 ms/px (fitted to a 1-pixel canvas), every lifetime a sliver at the left.
TEST(PanelModels, ASliverOfACanvasKeepsTheZoomForWhenItGrowsBack) {
  TimelineView v;
  v.canvasWidth = 400;
  v.keepNowInView(1000);
  v.canvasWidth = 1;  // shrunk
  for (Ms t = 1100; t <= 6000; t += 100) v.keepNowInView(t);
  EXPECT_DOUBLE_EQ(v.msPerPixel, 20);
  v.canvasWidth = 1200;  // grown back
  v.keepNowInView(6100);
  EXPECT_DOUBLE_EQ(v.msPerPixel, 20);
  EXPECT_DOUBLE_EQ(v.viewStart, 6100 - 1200 * 20.0 < 0 ? 0 : 6100 - 1200 * 20.0);
  EXPECT_TRUE(v.follow);
}

// [SECTION] comparison cells

TEST(PanelModels, AStoreDiffersWhenDisposalsLoadsOrHeldTimeDiffer) {
  PolicyRun a, b;
  a.end = b.end = 1000;
  a.stores["x"] = {CompareInstance{1, 0, 500}};
  b.stores["x"] = {CompareInstance{1, 0, 500}};
  a.stores["y"] = {CompareInstance{1, 100, std::nullopt}};
  b.stores["y"] = {CompareInstance{1, 100, 700}};
  const std::vector<PolicyRun> runs = {a, b};
  EXPECT_FALSE(storeDiffers(runs, "x"));
  EXPECT_TRUE(storeDiffers(runs, "y"));
  EXPECT_EQ(metricText(a, "y", CompareMetric::Disposed), "-");
  EXPECT_EQ(metricText(b, "y", CompareMetric::Disposed), "700");
  EXPECT_EQ(metricText(a, "y", CompareMetric::StoreSeconds), "0.900");
  EXPECT_EQ(metricText(a, "z", CompareMetric::StoreSeconds), "-");
  EXPECT_EQ(metricText(a, "x", CompareMetric::Loads), "1");
}

// [SECTION] observers: tree and attach form

TEST_F(Models, ObserverIndexFoldsComponentPathsIntoATree) {
  ok(R"({"attach": {"observer": "a", "use": "user", "params": {"u": "1"}, "component": "App/Page"}})");
  ok(R"({"attach": {"observer": "b", "use": "user", "params": {"u": "2"}, "component": "App"}})");
  ok(R"({"attach": {"observer": "c", "use": "user", "params": {"u": "3"}, "component": "App/Page"}})");
  std::vector<ObserverId> rows;
  ComponentNode tree;
  buildObserverIndex(reg(), &rows, &tree);
  EXPECT_EQ(rows.size(), 3u);
  ASSERT_EQ(tree.children.count("App"), 1u);
  const ComponentNode& app = *tree.children.at("App");
  EXPECT_EQ(app.path, "App");
  EXPECT_EQ(app.observers.size(), 1u);
  ASSERT_EQ(app.children.count("Page"), 1u);
  EXPECT_EQ(app.children.at("Page")->path, "App/Page");
  EXPECT_EQ(app.children.at("Page")->observers.size(), 2u);
}

TEST_F(Models, AttachFormBuildsTheRequestOrSaysWhyNot) {
  AttachForm f;
  f.keepTemplateValid(reg().config());
  EXPECT_EQ(f.templateName, "issue");  // the first template
  f.params["issueId"] = "7";
  f.gcTime = "Infinity";
  f.overrides = R"({"debug": {"x": 1}})";
  std::string error;
  EXPECT_EQ(f.BuildRequest(reg().config(), &error),
            json::parse(R"({"use": "issue", "params": {"issueId": "7"}, "gcTime": "Infinity", "debug": {"x": 1}})"));
  EXPECT_EQ(error, "");
  f.gcTime = "12";
  f.overrides = "[1]";
  (void)f.BuildRequest(reg().config(), &error);
  EXPECT_EQ(error, "overrides: expected a JSON object");
  f.templateName = AttachForm::kRawOptions;
  f.rawOptions = R"({"storeId": "s"})";
  EXPECT_EQ(f.BuildRequest(reg().config(), &error), json::parse(R"({"storeId": "s"})"));
  EXPECT_EQ(gcTimeValue("12"), json(12));
  EXPECT_EQ(gcTimeValue("12x"), json("12x"));
}

// The command log's diff between two commands: folded from the events between them.
TEST_F(Models, TheDiffBetweenTwoCommandsNamesWhatChangedInTheRegistry) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})");  // 0
  ok(R"({"attach": {"observer": "b", "use": "quick", "params": {"n": "1"}}})");        // 1
  ok(R"({"advance": 150})");                                                          // 2
  ok(R"({"detach": "b"})");                                                           // 3
  ok(R"({"advance": 50})");                                                           // 4: quick-1 GC'd
  const auto& r = s.results();
  const RegistryDiff d = diffEvents(reg(), r[1].eventEnd, r[4].eventEnd);
  ASSERT_EQ(d.stores.size(), 2u);
  EXPECT_EQ(d.stores[0].storeId, "issue-1");
  EXPECT_EQ(d.stores[0].before, State::Loading);
  EXPECT_EQ(d.stores[0].after, State::Active);
  EXPECT_EQ(d.stores[0].created + d.stores[0].disposed + d.stores[0].attached + d.stores[0].detached, 0);
  EXPECT_EQ(d.stores[1].storeId, "quick-1");
  EXPECT_EQ(d.stores[1].before, State::Loading);
  EXPECT_EQ(d.stores[1].after, State::Disposed);
  EXPECT_EQ(d.stores[1].disposed, 1);
  EXPECT_EQ(d.stores[1].detached, 1);
  EXPECT_EQ(d.events, r[4].eventEnd - r[1].eventEnd);
  // Either order; an empty range changes nothing.
  EXPECT_EQ(diffEvents(reg(), r[4].eventEnd, r[1].eventEnd).stores.size(), 2u);
  EXPECT_TRUE(diffEvents(reg(), r[2].eventEnd, r[2].eventEnd).stores.empty());
  const RegistryDiff fromStart = diffEvents(reg(), 0, r[0].eventEnd);
  ASSERT_EQ(fromStart.stores.size(), 1u);
  EXPECT_EQ(fromStart.stores[0].before, State::Absent);
  EXPECT_EQ(fromStart.stores[0].created, 1);
  EXPECT_EQ(fromStart.stores[0].attached, 1);
}

TEST_F(Models, RegistryKeyboardNavigationAndCopyAsJson) {
  ok(R"({"attach": {"observer": "a", "use": "issue", "params": {"issueId": "1"}}})");
  ok(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "2"}}})");
  ok(R"({"detach": "b"})");
  RegistryRows rows;
  rows.refresh(reg(), 1, reg().now());
  ASSERT_EQ(ids(rows), (std::vector<std::string>{"issue-1", "issue-2"}));
  EXPECT_EQ(rows.neighbour(reg(), "", 1), "issue-1") << "nothing selected: the first row";
  EXPECT_EQ(rows.neighbour(reg(), "issue-1", 1), "issue-2");
  EXPECT_EQ(rows.neighbour(reg(), "issue-2", 1), "issue-2") << "clamped at the last row";
  EXPECT_EQ(rows.neighbour(reg(), "issue-2", -10), "issue-1");
  const json row = storeRowJson(reg().stores()[*reg().keyOf("issue-2")], reg().now());
  EXPECT_EQ(row["storeId"], "issue-2");
  EXPECT_EQ(row["state"], "LOADING");
  EXPECT_EQ(row["template"], "issue");
  EXPECT_EQ(row["observers"], 0);
  EXPECT_EQ(row["options"]["gcTime"], 20000);
  EXPECT_EQ(row["gcDueIn"], 20000);  // no observer left: GC armed even while loading
  EXPECT_EQ(storeRowJson(reg().stores()[*reg().keyOf("issue-1")], reg().now())["gcDueIn"], nullptr);
}

TEST_F(Models, RegistryLabelsAndTheSelectedStoreAcrossRegistries) {
  ok(R"({"createRegistry": {"name": "req-1"}})");
  ok(R"({"attach": {"observer": "b", "use": "issue", "params": {"issueId": "1"}, "registry": "req-1"}})");
  const RegistryIndex r1 = *reg().registryIndex("req-1");
  EXPECT_EQ(registryLabel(reg(), 0), "default · open · 0 live");
  EXPECT_EQ(registryLabel(reg(), r1), "req-1 · open · 1 live");
  EXPECT_EQ(findSelected(reg(), "issue-1", -1), reg().find("issue-1", r1)) << "default has none: the first that does";
  EXPECT_EQ(findSelected(reg(), "issue-1", 0), nullptr);
  ok(R"({"shutdownRegistry": {"registry": "req-1", "deadlineMs": 100}})");
  EXPECT_EQ(registryLabel(reg(), r1).rfind("req-1 · shutting down since @0", 0), 0u) << registryLabel(reg(), r1);
  RegistryRows rows;
  rows.registryFilter = static_cast<long>(r1);
  rows.refresh(reg(), 1, reg().now());
  for (StoreKey k : rows.rows) EXPECT_EQ(reg().stores()[k].registry, r1);
}

// Issue 11, defect 5: the form clamped 99999999999999999999 to 2^63-1; a file refuses it.
TEST_F(Models, AFormGcTimeIsCheckedExactlyAsAFileIs) {
  AttachForm f;
  f.keepTemplateValid(reg().config());
  f.params["issueId"] = "7";
  f.gcTime = "99999999999999999999";
  std::string error;
  const json fromForm = f.BuildRequest(reg().config(), &error);
  ASSERT_EQ(error, "");
  EXPECT_NE(fromForm["gcTime"], json(9223372036854775807LL)) << "never clamped";
  const json fromFile = json::parse(R"({"use": "issue", "params": {"issueId": "7"}, "gcTime": 99999999999999999999})");
  Session a{testConfig()}, b{testConfig()};
  const StepResult formResult = a.execute(json{{"attach", fromForm}});
  const StepResult fileResult = b.execute(json{{"attach", fromFile}});
  EXPECT_FALSE(formResult.ok);
  EXPECT_FALSE(formResult.error.empty());
  EXPECT_EQ(formResult.error, fileResult.error);
  for (const char* typed : {"-5", "1.5", "1e3", "abc"}) {
    f.gcTime = typed;
    const json req = f.BuildRequest(reg().config(), &error);
    const json written = json::parse(std::string(R"({"use": "issue", "params": {"issueId": "7"}, "gcTime": )") +
                                     (json::accept(typed) ? typed : "\"" + std::string(typed) + "\"") + "}");
    Session c{testConfig()}, d{testConfig()};
    EXPECT_EQ(c.execute(json{{"attach", req}}).error, d.execute(json{{"attach", written}}).error) << typed;
  }
}

}  // namespace
}  // namespace si::gui
