// The application without a window: one document, one session and its command log with each
// command's origin, the play clock, time travel and branching, the scenario's progress, file
// errors and file watching. No GUI toolkit, no GLFW: the unit tests drive it directly, and
// app/shell.cpp draws menus, dialogs and panels over it.
//
// Sources (a scenario, the play clock, a journal, later a live connection: SPEC 11) feed timed
// commands through feed(); the Workbench does not care which, it records each command's origin
// in ONE place (record) and keeps the view (live, or the past at the time cursor) up to date
// after every change, so every getter is pure.
//
// Usage (headless):
//   Workbench wb;
//   wb.open("assets/scenarios/issue-navigation.json");
//   wb.runScenarioUntil(5);  wb.setPlaying(true);  wb.tick(0.25);
//   wb.setTimeCursor(150);   // wb.session() is the past at t=150 until the cursor is cleared
#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "document.hpp"
#include "host.hpp"
#include "live_listener.hpp"
#include "play_clock.hpp"
#include "time_travel.hpp"

namespace si::gui {

struct TimedCommand {  // what a source feeds
  std::optional<Ms> at;  // {"advanceTo": at} first when later than now (SPEC 11)
  json step;
  Origin origin;
};

class Workbench final : public Host {
 public:
  static constexpr size_t kMaxFileErrors = 50;

  Workbench();  // an empty session, so a view always has something to show
  ~Workbench() override;
  Workbench(const Workbench&) = delete;
  Workbench& operator=(const Workbench&) = delete;

  // ---- document ----
  // Opens a file; on failure the error goes to fileErrors() (same text as the command line)
  // and the previous session stays loaded. A new file starts from its own policy/environment.
  bool open(const std::string& path);
  void open(const LoadedInput& input);  // already read by the command line: not read again
  bool openBundled();
  bool reload();  // re-read the file, keeping the policy/environment chosen in Settings
  // Checks the watched files' modification times (at most every 0.5 s of `realSeconds`) and
  // reloads when one changed.
  void pollFileChanges(double realSeconds);
  const Document& document() const { return doc_; }
  bool saveSession(const std::string& path);  // journal; errors go to fileErrors()

  // ---- sources ----
  // The one way a command enters the log: records the pending play first, then {"advanceTo"}
  // when c.at is later than now, then the step, each with c.origin. In the past (the cursor
  // before now) nothing runs: the step waits for branchAtCursor() (pendingBranchStep()).
  StepResult feed(const TimedCommand& c);
  // The play clock as a source: advances by realDt * speed while playing and live; records
  // per the PlayClock rule, otherwise the advance stays pending (displayNow()).
  void tick(double realDtSeconds);

  // ---- live apps (SPEC 11; File > Listen for apps) ----
  // Starts the listen server (a running one is replaced); the error also goes to fileErrors().
  bool startListening(const live::ServerOptions& options);
  void stopListening() override;  // ends every open connection in the log
  // Connection n's message (moved from; null: n's end) recorded as a live command at now,
  // whatever the time cursor shows (an app does not wait for the user to come back from the
  // past; the view of the past is unchanged). An end of a connection that said no hello, or
  // has ended, is not recorded (live::awaitsEnd).
  void feedLive(uint64_t connection, live::Message* message);
  // Feeds what the server heard since the last call (at most LiveListener::kMaxEventsPerPump).
  size_t pumpLive();

  // ---- time travel ----
  std::optional<Ms> timeCursor() const override { return cursor_; }
  void setTimeCursor(std::optional<Ms> t) override;  // recomputes the view now
  // Truncates the log at the cursor and continues from the replayed state ("Branch here");
  // then runs the step that asked (pendingBranchStep()), if any.
  void branchAtCursor();
  const std::optional<json>& pendingBranchStep() const { return branchStep_; }
  void cancelBranch() { branchStep_.reset(); }
  const std::vector<Origin>& origins() const override { return origins_; }  // one per command of the log
  Session& mutableSession() { return *session_; }                  // the frame benchmark only

  // ---- clock ----
  bool playing() const override { return clock_.playing; }
  void setPlaying(bool p) override;
  float speed() const override { return clock_.speed; }
  void setSpeed(float s) override;  // kept as set; the clock uses it clamped to 0.1 .. 100

  // ---- alerts ----
  const AlertThresholds& alertThresholds() const override { return thresholds_; }
  void setAlertThresholds(const AlertThresholds& t) override { thresholds_ = t; }
  Ms pendingMs() const { return clock_.pendingWholeMs(); }
  // Play follows the scenario while it has steps left (unless the user chose free time); after
  // its last step, or without a scenario, time is free: what it plays is not part of the file.
  bool freeTime() const { return !followScenario_ || !doc_.scenario || scenarioNext_ >= doc_.scenario->steps.size(); }
  void setFollowScenario(bool follow) override { followScenario_ = follow; }
  bool followScenario() const override { return followScenario_; }
  Ms scenarioPlayedMs() const { return scenarioPlayedMs_; }

  // ---- file errors (newest last, at most kMaxFileErrors) ----
  const std::vector<std::string>& fileErrors() const override { return fileErrors_; }
  void clearFileErrors() override;
  void reportError(const std::string& message);  // also used by the exports
  uint64_t fileErrorSerial() const { return fileErrorSerial_; }  // bumped on every change

  // ---- listeners ----
  std::function<void(const std::string&)> onOpened;  // open(path) succeeded (recent files)

  // ---- Host ----
  const Session& session() const override { return view_ != nullptr ? *view_ : *session_; }
  const Session& liveSession() const override { return *session_; }
  uint64_t liveSerial() const override { return liveSerial_; }
  bool viewingPast() const override { return cursor_ && *cursor_ < session_->registry().now(); }
  uint64_t sessionSerial() const override { return liveSerial_ + viewSerial_; }
  Ms displayNow() const override;
  const std::string& documentPath() const override { return doc_.path; }
  StepResult execute(const json& step) override { return feed({std::nullopt, step, Origin{}}); }
  void flushClock() override;
  const Scenario* scenario() const override { return doc_.scenario ? &*doc_.scenario : nullptr; }
  size_t scenarioNext() const override { return scenarioNext_; }
  const std::vector<std::optional<StepResult>>& scenarioResults() const override { return scenarioResults_; }
  void runScenarioUntil(size_t end) override;
  void restart() override { reload(); }
  void rerunUnder(Policy policy, Environment environment) override;
  const LiveListener& listener() const override { return listener_; }
  bool startListening(uint16_t port) override;
  bool followingApps() const override { return listener_.following(); }

 private:
  StepResult record(const json& step, Origin origin);  // execute + origins_: the ONE place
  void tickScenario(double realDtSeconds);
  std::optional<Ms> scenarioStepSpan() const;
  void runScenarioStep();
  void restoreScenarioProgress(const std::vector<Origin>& before, size_t whole, Ms cut);
  bool playScenarioPiece(Ms ms, Ms span);
  void finishScenarioStep(StepResult r);
  void adopt(Document doc);                            // a fresh session for doc (journal replayed)
  void ingestTrace();                                  // doc_ is a live trace: its messages
  void replace(std::unique_ptr<Session> s);            // serials, cursor, clock, view
  void refreshView();                                  // after every change of log or cursor
  void snapshotWatched();

  Document doc_;
  Overrides overrides_;  // policy / environment chosen in Settings (kept by reload)
  std::unique_ptr<Session> session_;
  std::vector<Origin> origins_;
  size_t scenarioNext_ = 0;
  bool followScenario_ = true;
  Ms scenarioPlayedMs_ = 0;  // ms of the next scenario step (an advance) Play has run already
  struct PieceStart {
    Ms t;
    size_t eventBegin;
  };
  std::optional<PieceStart> scenarioPiece_;  // where Play's first piece of that step began
  std::vector<std::optional<StepResult>> scenarioResults_;
  PlayClock clock_;
  AlertThresholds thresholds_;
  LiveListener listener_;
  uint64_t liveFed_ = 0;  // live commands recorded from the listener (their origin index)
  // time travel
  std::optional<Ms> cursor_;
  TimeTravel timeTravel_;
  const Session* view_ = nullptr;  // the past session shown, null when live
  std::optional<Ms> viewedAt_;     // the cursor view_ was computed for
  size_t viewedLog_ = 0;           // and the log length
  uint64_t liveSerial_ = 0;        // bumped when session_ is replaced
  uint64_t viewSerial_ = 0;        // bumped when the shown session changes otherwise
  std::optional<json> branchStep_;
  // files
  std::vector<std::string> fileErrors_;
  uint64_t fileErrorSerial_ = 0;
  std::vector<std::filesystem::file_time_type> watchedTimes_;
  double lastPoll_ = -1;
};

}  // namespace si::gui
