// The Workbench without a window: the play clock's coalescing rule on its own, then the whole
// application driven headless — open a scenario, run steps, play real time, look at the past,
// act there (branch), feed a timed command, re-run under another policy — asserting each
// command's origin, the scenario's progress, the command log and the serials exactly.
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "workbench.hpp"

namespace si::gui {

std::string originText(const Origin& o) {
  std::string s = kSourceKindNames[static_cast<size_t>(o.kind)];
  return o.index >= 0 ? s + " " + std::to_string(o.index) : s;
}
void PrintTo(const Origin& o, std::ostream* os) { *os << originText(o); }  // readable failures

namespace {

const std::string kScenario = std::string(SI_ASSETS_DIR) + "/scenarios/issue-navigation.json";
constexpr double kTick = 1.0 / 32;  // 31.25 ms: exact in binary, so the sums below are too

// [SECTION] PlayClock: the coalescing rule alone

TEST(PlayClock, PausedOrNonPositiveRealTimeAddsNothing) {
  PlayClock c;
  EXPECT_EQ(c.tick(1.0, 0, std::nullopt), 0);
  EXPECT_EQ(c.pendingWholeMs(), 0);
  c.playing = true;
  EXPECT_EQ(c.tick(0.0, 0, std::nullopt), 0);
  EXPECT_EQ(c.tick(-1.0, 0, std::nullopt), 0);
  EXPECT_EQ(c.pendingWholeMs(), 0);
}

TEST(PlayClock, ATimerFallingDueRecordsAtOnceWithTheWholeMsPlayed) {
  PlayClock c;
  c.playing = true;
  EXPECT_EQ(c.tick(1.0 / 64, 0, 40), 0);  // 15.625 ms: the timer at 40 is not due
  EXPECT_EQ(c.tick(1.0 / 64, 0, 40), 0);  // 31.25
  EXPECT_EQ(c.pendingWholeMs(), 31);
  EXPECT_EQ(c.tick(1.0 / 64, 0, 40), 46);  // 46.875: due within it -> 46 recorded, 0.875 kept
  EXPECT_EQ(c.pendingWholeMs(), 0);
  EXPECT_EQ(c.tick(1.0 / 64, 46, std::nullopt), 0);  // 0.875 + 15.625 = 16.5
  EXPECT_EQ(c.pendingWholeMs(), 16);
}

TEST(PlayClock, IdleAdvancesNeedBoth100VirtualMsAnd100RealMs) {
  PlayClock c;
  c.playing = true;
  c.speed = 10;  // 156.25 virtual ms per tick: enough virtual time, not enough real time
  for (int i = 1; i <= 6; ++i) EXPECT_EQ(c.tick(1.0 / 64, 0, std::nullopt), 0) << i;
  EXPECT_EQ(c.pendingWholeMs(), 937);
  EXPECT_EQ(c.tick(1.0 / 64, 0, std::nullopt), 1093);  // real 0.109375 s >= 0.1
  c.reset();
  c.speed = 0.1f;  // 12.5 virtual ms per 0.125 s tick: enough real time, not enough virtual
  for (int i = 1; i <= 7; ++i) EXPECT_EQ(c.tick(0.125, 0, std::nullopt), 0) << i;
  EXPECT_EQ(c.pendingWholeMs(), 87);
  EXPECT_EQ(c.tick(0.125, 0, std::nullopt), 100);
}

TEST(PlayClock, SpeedIsUsedClampedAndANeverDueTimerIsNoTimer) {
  PlayClock c;
  c.playing = true;
  c.speed = 1000;  // used as 100x
  EXPECT_EQ(c.tick(1.0 / 64, 0, kMaxMs), 0);
  EXPECT_EQ(c.pendingWholeMs(), 1562);
  EXPECT_EQ(c.takePending(), 1562);
  EXPECT_EQ(c.takePending(), 0);  // the 0.5 ms fraction stays pending
  c.speed = 0.001f;  // used as 0.1x
  EXPECT_EQ(c.tick(10.0, 0, std::nullopt), 1000);  // 1000.5 ms, 10 s: recorded
}

// [SECTION] Workbench: the closing-note demo

// The command log as the demo prints it: one line per command with its origin.
std::string logText(const Workbench& wb) {
  std::ostringstream out;
  const auto& log = wb.liveSession().commands();
  for (size_t i = 0; i < log.size(); ++i) {
    out << "  #" << i << " t=" << log[i].t << "  " << originText(wb.origins()[i]) << "  " << log[i].dump() << "\n";
  }
  return out.str();
}

std::vector<Origin> scenarioOrigins(long n) {
  std::vector<Origin> v;
  for (long i = 0; i < n; ++i) v.push_back({SourceKind::Scenario, i});
  return v;
}

// The closing-note demo, one stage per test; each stage's actions are the fixture's helpers.
struct WorkbenchDemo : ::testing::Test {
  Workbench wb;
  const json attach = json::parse(R"({"attach": {"observer": "p9", "use": "issue", "params": {"issueId": "9"}}})");

  void openAndRunFive() {
    ASSERT_TRUE(wb.open(kScenario)) << wb.fileErrors().back();
    wb.runScenarioUntil(5);  // two attaches, advance 150, two expectations
  }
  // 0.25 s of real time at 4x in 8 frames of 1/32 s (125 virtual ms each); displayNow per frame.
  std::vector<Ms> playQuarterSecond() {
    wb.setFollowScenario(false);  // free time: the clock alone, not the scenario's steps
    wb.setSpeed(4);
    wb.setPlaying(true);
    std::vector<Ms> shown;
    for (int f = 0; f < 8; ++f) {
      wb.tick(kTick);
      shown.push_back(wb.displayNow());
    }
    wb.setPlaying(false);
    return shown;
  }
  StepResult actAt200() {
    wb.setTimeCursor(200);
    return wb.execute(attach);
  }
  std::vector<Origin> originsAfterBranch() const {
    std::vector<Origin> v = scenarioOrigins(5);
    v.push_back({SourceKind::Manual, -1});  // {"advanceTo": 200}: the 250 ms advance cut at 200
    v.push_back({SourceKind::Manual, -1});  // the attach that asked
    return v;
  }
};

TEST_F(WorkbenchDemo, OpeningAndRunningFiveScenarioStepsRecordsTheirOrigins) {
  EXPECT_EQ(wb.sessionSerial(), 0u);
  openAndRunFive();
  EXPECT_EQ(wb.document().kind, DocumentKind::Scenario);
  ASSERT_EQ(wb.scenario()->steps.size(), 27u);
  EXPECT_EQ(wb.liveSerial(), 1u);
  EXPECT_EQ(wb.sessionSerial(), 1u);
  EXPECT_EQ(wb.scenarioNext(), 5u);
  EXPECT_EQ(wb.origins(), scenarioOrigins(5));
  EXPECT_EQ(wb.liveSession().registry().now(), 150);
  for (size_t i = 0; i < 5; ++i) EXPECT_TRUE(wb.scenarioResults()[i]->ok) << i;
}

TEST_F(WorkbenchDemo, PlayingRecordsAnAdvanceWhenATimerFallsDueOrEnoughTimePassed) {
  openAndRunFive();
  EXPECT_EQ(playQuarterSecond(), (std::vector<Ms>{275, 400, 525, 650, 775, 900, 1025, 1150}));
  // Frame 2: the workspace's load (due at 400) falls due -> recorded after 0.0625 real s.
  // Frame 6: no timer; 500 virtual ms and 0.125 real s -> recorded. Frames 7-8 stay pending.
  const auto& log = wb.liveSession().commands();
  ASSERT_EQ(log.size(), 7u);
  EXPECT_EQ(log[5].step(), json::parse(R"({"advance": 250})"));
  EXPECT_EQ(log[5].t, 150);
  EXPECT_EQ(log[6].step(), json::parse(R"({"advance": 500})"));
  EXPECT_EQ(log[6].t, 400);
  EXPECT_EQ(wb.origins()[5], (Origin{SourceKind::Clock, -1}));
  EXPECT_EQ(wb.origins()[6], (Origin{SourceKind::Clock, -1}));
  EXPECT_EQ(wb.liveSession().registry().now(), 900);
  EXPECT_EQ(wb.pendingMs(), 250);
  EXPECT_EQ(wb.liveSession().registry().find("workspace-root")->state, State::Active);
}

TEST_F(WorkbenchDemo, TheTimeCursorShowsThePastAndTheClockDoesNotPlayThere) {
  openAndRunFive();
  playQuarterSecond();
  wb.setTimeCursor(200);
  EXPECT_TRUE(wb.viewingPast());
  EXPECT_EQ(wb.session().registry().now(), 200);
  EXPECT_EQ(wb.displayNow(), 200);
  EXPECT_EQ(wb.session().registry().find("workspace-root")->state, State::Loading);
  EXPECT_EQ(wb.liveSerial(), 1u);
  EXPECT_EQ(wb.sessionSerial(), 2u);  // the shown session is another object now
  wb.setPlaying(true);
  wb.tick(1.0);
  EXPECT_EQ(wb.liveSession().commands().size(), 7u);
  EXPECT_EQ(wb.pendingMs(), 250);
  wb.setTimeCursor(std::nullopt);
  EXPECT_EQ(wb.sessionSerial(), 3u);  // live again
  EXPECT_EQ(wb.displayNow(), 1150);
}

TEST_F(WorkbenchDemo, ActingInThePastWaitsForABranchThatCutsTheLogThere) {
  openAndRunFive();
  playQuarterSecond();
  const StepResult asked = actAt200();
  EXPECT_FALSE(asked.ok);
  EXPECT_EQ(asked.error, "viewing the past (t=200): branch the session here to act");
  EXPECT_EQ(wb.pendingBranchStep(), attach);
  EXPECT_EQ(wb.liveSession().commands().size(), 7u);
  wb.branchAtCursor();
  EXPECT_FALSE(wb.pendingBranchStep().has_value());
  EXPECT_FALSE(wb.timeCursor().has_value());
  EXPECT_EQ(wb.liveSerial(), 2u);
  EXPECT_EQ(wb.sessionSerial(), 3u);
  EXPECT_EQ(wb.scenarioNext(), 5u);  // scenario steps 0-4 are before the cut
  EXPECT_EQ(wb.origins(), originsAfterBranch());
  EXPECT_EQ(wb.liveSession().commands()[5].step(), json::parse(R"({"advanceTo": 200})"));
  EXPECT_EQ(wb.liveSession().commands()[6].step(), attach);
  EXPECT_EQ(wb.liveSession().registry().now(), 200);
  EXPECT_EQ(wb.pendingMs(), 0);  // the played time after the cut is gone with it
}

TEST_F(WorkbenchDemo, AnySourceFeedsTimedCommandsAndARerunKeepsEveryOrigin) {
  openAndRunFive();
  playQuarterSecond();
  actAt200();
  wb.branchAtCursor();
  // A timed command from another source: advanceTo first, both with its origin.
  const StepResult fed = wb.feed({250, json::parse(R"({"detach": "p9"})"), Origin{SourceKind::Live, 0}});
  EXPECT_TRUE(fed.ok) << fed.error;
  EXPECT_EQ(fed.t, 250);
  std::vector<Origin> expected = originsAfterBranch();
  expected.push_back({SourceKind::Live, 0});
  expected.push_back({SourceKind::Live, 0});
  EXPECT_EQ(wb.origins(), expected);
  // Another policy replays the same log with the same origins; the scenario continues.
  wb.rerunUnder(Policy::First, Environment::Browser);
  EXPECT_EQ(wb.liveSerial(), 3u);
  EXPECT_EQ(wb.origins(), expected);
  EXPECT_EQ(wb.liveSession().registry().policy(), Policy::First);
  wb.runScenarioUntil(7);
  EXPECT_EQ(wb.scenarioNext(), 7u);
  EXPECT_EQ(wb.origins().back(), (Origin{SourceKind::Scenario, 6}));
  EXPECT_EQ(wb.liveSession().commands().size(), 11u);
  std::cout << "workbench demo, command log with origins:\n" << logText(wb);
}

TEST(Workbench, AFileThatFailsKeepsTheSessionAndReportsOnce) {
  Workbench wb;
  ASSERT_TRUE(wb.open(kScenario));
  const uint64_t errorSerial = wb.fileErrorSerial();
  const uint64_t serial = wb.sessionSerial();
  EXPECT_FALSE(wb.open(kScenario + ".missing"));
  ASSERT_EQ(wb.fileErrors().size(), 1u);
  EXPECT_EQ(wb.fileErrors()[0].rfind(kScenario + ".missing", 0), 0u) << wb.fileErrors()[0];
  EXPECT_EQ(wb.sessionSerial(), serial);
  EXPECT_EQ(wb.documentPath(), kScenario);
  EXPECT_EQ(wb.fileErrorSerial(), errorSerial + 1);  // one report
  wb.clearFileErrors();
  EXPECT_TRUE(wb.fileErrors().empty());
}

// [SECTION] Play and the scenario (issue 11, defect 2)

// Plays the open document at `speed` in frames of 1/32 s until the scenario has run or `frames`.
void playFrames(Workbench& wb, float speed, int frames) {
  wb.setSpeed(speed);
  wb.setPlaying(true);
  for (int f = 0; f < frames && wb.playing(); ++f) wb.tick(kTick);
}

size_t passed(const Workbench& wb) {
  size_t n = 0;
  for (const auto& r : wb.scenarioResults()) n += r && r->ok ? 1 : 0;
  return n;
}

TEST(WorkbenchPlay, OpeningAFileWhilePlayingStartsPausedAtZeroAndTheScenarioPasses) {
  Workbench wb;
  ASSERT_TRUE(wb.openBundled());
  playFrames(wb, 100, 200);  // free play: the clock is far from 0
  ASSERT_GT(wb.displayNow(), 6000);
  ASSERT_TRUE(wb.open(kScenario));
  EXPECT_FALSE(wb.playing());
  EXPECT_EQ(wb.displayNow(), 0);
  for (int f = 0; f < 10; ++f) wb.tick(kTick);  // paused: nothing moves
  EXPECT_EQ(wb.displayNow(), 0);
  wb.runScenarioUntil(27);
  EXPECT_EQ(passed(wb), 27u);  // what `store-inspector run` reports for this file
  EXPECT_EQ(wb.scenarioResults()[0]->t, 0);
}

TEST(WorkbenchPlay, RestartPausesAtZero) {
  Workbench wb;
  ASSERT_TRUE(wb.open(kScenario));
  wb.runScenarioUntil(3);
  playFrames(wb, 1, 3);
  ASSERT_TRUE(wb.playing());
  wb.restart();
  EXPECT_FALSE(wb.playing());
  EXPECT_EQ(wb.displayNow(), 0);
  EXPECT_EQ(wb.scenarioNext(), 0u);
}

TEST(WorkbenchPlay, PlayRunsEachScenarioStepAtItsOwnTimeAndPausesAtTheEnd) {
  Workbench stepped;
  ASSERT_TRUE(stepped.open(kScenario));
  stepped.runScenarioUntil(27);
  Workbench played;
  ASSERT_TRUE(played.open(kScenario));
  playFrames(played, 100, 100000);
  EXPECT_FALSE(played.playing()) << "the clock pauses when the scenario has run";
  ASSERT_EQ(played.scenarioNext(), 27u);
  EXPECT_EQ(passed(played), 27u);
  for (size_t i = 0; i < 27; ++i) {
    EXPECT_EQ(played.scenarioResults()[i]->t, stepped.scenarioResults()[i]->t) << "step " << i;
    EXPECT_EQ(played.scenarioResults()[i]->step, stepped.scenarioResults()[i]->step) << "step " << i;
  }
  EXPECT_EQ(played.liveSession().registry().now(), stepped.liveSession().registry().now());
  for (const Origin& o : played.origins()) EXPECT_EQ(o.kind, SourceKind::Scenario);
  EXPECT_TRUE(played.freeTime());
}

TEST(WorkbenchPlay, AnAdvanceIsPlayedOutInRealTimeAndRunToEndFinishesIt) {
  Workbench wb;
  ASSERT_TRUE(wb.open(kScenario));
  wb.setSpeed(1);
  wb.setPlaying(true);
  wb.tick(kTick);  // steps 0-1 take no time; step 2 is {"advance": 150}: 31 ms of it played
  EXPECT_EQ(wb.scenarioNext(), 2u);
  EXPECT_EQ(wb.displayNow(), 31);
  EXPECT_EQ(wb.liveSession().registry().now(), 0);  // pending: no timer due, under 100 ms
  for (int f = 0; f < 4; ++f) wb.tick(kTick);      // 156 ms played: the advance (150) is done
  // ... and steps 3-7 after it, which take no time; step 8 is the next advance (250 ms).
  EXPECT_EQ(wb.scenarioNext(), 8u);
  EXPECT_EQ(wb.liveSession().registry().now(), 150);
  EXPECT_EQ(wb.displayNow(), 156);  // the 6 ms played past step 2 count towards step 8
  EXPECT_TRUE(wb.scenarioResults()[3]->ok) << wb.scenarioResults()[3]->error;
  wb.setPlaying(false);
  wb.runScenarioUntil(27);
  EXPECT_EQ(passed(wb), 27u);
}

TEST(WorkbenchPlay, FreeTimeIsAChoiceAndIsNotRecordedAsTheScenario) {
  Workbench wb;
  ASSERT_TRUE(wb.open(kScenario));
  wb.setFollowScenario(false);
  EXPECT_TRUE(wb.freeTime());
  playFrames(wb, 4, 8);  // 1000 virtual ms of free time
  EXPECT_EQ(wb.scenarioNext(), 0u);
  for (const Origin& o : wb.origins()) EXPECT_EQ(o.kind, SourceKind::Clock);
  EXPECT_GT(wb.displayNow(), 900);
}

TEST(WorkbenchPlay, TheClockDoesNotPlayInThePastAndABranchContinuesPaused) {
  Workbench wb;
  ASSERT_TRUE(wb.open(kScenario));
  wb.runScenarioUntil(9);  // t = 400
  wb.setTimeCursor(200);
  wb.setPlaying(true);
  EXPECT_FALSE(wb.playing()) << "Space in the past must not say playing";
  wb.setTimeCursor(std::nullopt);
  wb.setPlaying(true);
  ASSERT_TRUE(wb.playing());
  wb.setTimeCursor(100);  // looking back pauses
  EXPECT_FALSE(wb.playing());
  wb.execute(json::parse(R"({"detach": "ws"})"));
  wb.branchAtCursor();
  EXPECT_FALSE(wb.playing()) << "a branch must not start the clock by itself";
  EXPECT_EQ(wb.liveSession().registry().now(), 100);
}

}  // namespace
}  // namespace si::gui
