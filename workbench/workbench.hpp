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
#include "play_clock.hpp"
#include "time_travel.hpp"

namespace si::gui {

enum class SourceKind : uint8_t { Manual, Clock, Scenario, Journal, Live };
constexpr const char* kSourceKindNames[] = {"manual", "clock", "scenario", "journal", "live"};
static_assert(sizeof(kSourceKindNames) / sizeof(kSourceKindNames[0]) == static_cast<size_t>(SourceKind::Live) + 1,
              "one name per SourceKind");

struct Origin {  // where one command of the log came from
  SourceKind kind = SourceKind::Manual;
  long index = -1;  // scenario step / journal command / live message; -1: none
  bool operator==(const Origin&) const = default;
};

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

  // ---- time travel ----
  std::optional<Ms> timeCursor() const { return cursor_; }
  void setTimeCursor(std::optional<Ms> t);  // nullopt or >= now: live; recomputes the view now
  // Truncates the log at the cursor and continues from the replayed state ("Branch here");
  // then runs the step that asked (pendingBranchStep()), if any.
  void branchAtCursor();
  const std::optional<json>& pendingBranchStep() const { return branchStep_; }
  void cancelBranch() { branchStep_.reset(); }
  const std::vector<Origin>& origins() const { return origins_; }  // one per command of the log
  Session& mutableSession() { return *session_; }                  // the frame benchmark only

  // ---- clock ----
  bool playing() const { return clock_.playing; }
  void setPlaying(bool p);
  float speed() const { return clock_.speed; }
  void setSpeed(float s);  // kept as set; the clock uses it clamped to 0.1 .. 100
  Ms pendingMs() const { return clock_.pendingWholeMs(); }

  // ---- file errors (newest last, at most kMaxFileErrors) ----
  const std::vector<std::string>& fileErrors() const { return fileErrors_; }
  void clearFileErrors();
  void reportError(const std::string& message);  // also used by the exports
  uint64_t fileErrorSerial() const { return fileErrorSerial_; }  // bumped on every change

  // ---- listeners (the Shell mirrors cursor, clock and errors into the panels' UiState) ----
  std::function<void()> onChange;                         // cursor, clock or file errors changed
  std::function<void(const std::string&)> onOpened;       // open(path) succeeded (recent files)

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

 private:
  StepResult record(const json& step, Origin origin);  // execute + origins_: the ONE place
  void adopt(Document doc);                            // a fresh session for doc (journal replayed)
  void replace(std::unique_ptr<Session> s);            // serials, cursor, clock, view
  void refreshView();                                  // after every change of log or cursor
  void snapshotWatched();
  void changed();  // tells onChange

  Document doc_;
  Overrides overrides_;  // policy / environment chosen in Settings (kept by reload)
  std::unique_ptr<Session> session_;
  std::vector<Origin> origins_;
  size_t scenarioNext_ = 0;
  std::vector<std::optional<StepResult>> scenarioResults_;
  PlayClock clock_;
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
