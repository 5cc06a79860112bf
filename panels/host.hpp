// What a panel may ask of the application: const views of the session, and commands.
// Every command a panel issues becomes a step JSON executed through the session's command log
// (SPEC 4), so the log stays the single source of truth; the remaining calls (restart, re-run
// under another policy, scenario stepping) are application commands that rebuild the session
// from that log or from the file.
//
// Panels act after drawing their widgets (clicks are captured as bools first), so a command
// never invalidates a view a panel is still iterating.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "session.hpp"

namespace si::gui {

class LiveListener;  // workbench/live_listener.hpp

enum class SourceKind : uint8_t { Manual, Clock, Scenario, Journal, Live };
constexpr const char* kSourceKindNames[] = {"manual", "clock", "scenario", "journal", "live"};
static_assert(sizeof(kSourceKindNames) / sizeof(kSourceKindNames[0]) == static_cast<size_t>(SourceKind::Live) + 1,
              "one name per SourceKind");

struct Origin {  // where one command of the log came from
  SourceKind kind = SourceKind::Manual;
  long index = -1;  // scenario step / journal command / live message; -1: none
  bool operator==(const Origin&) const = default;
};

struct AlertThresholds {
  Ms suspendedMs = 5000;           // an observer suspended longer than this is an alert
  Ms activeMs = 10 * 60 * 1000;    // a store ACTIVE longer than this is an alert
  bool operator==(const AlertThresholds&) const = default;
};

class Host {
 public:
  virtual ~Host() = default;

  // ---- views ----
  // The session the panels show: the live one, or while the time cursor is in the past, the
  // session as it was at that instant (a replay; its events() hold only the replayed tail).
  virtual const Session& session() const = 0;
  // The live session whatever the cursor (its full event stream: events, timeline).
  virtual const Session& liveSession() const = 0;
  virtual uint64_t liveSerial() const = 0;  // bumped when the live session object is replaced
  virtual bool viewingPast() const = 0;
  // Bumped whenever the session object shown is replaced (open, reload, reset, policy switch,
  // a move of the time cursor), so panels drop caches built from the previous one.
  virtual uint64_t sessionSerial() const = 0;
  // The virtual time shown to the user: the registry's clock plus the real-time advance not yet
  // recorded as a step (see PlayClock, workbench/play_clock.hpp, for the coalescing rule).
  virtual Ms displayNow() const = 0;
  virtual const std::string& documentPath() const = 0;  // "" for the bundled example

  // ---- navigation in time and the play clock ----
  virtual std::optional<Ms> timeCursor() const = 0;
  // nullopt or a time at or after now: live. Every panel shows this instant from the next draw.
  virtual void setTimeCursor(std::optional<Ms> t) = 0;
  virtual bool playing() const = 0;
  virtual void setPlaying(bool p) = 0;
  virtual float speed() const = 0;  // virtual ms per real ms, as set (used clamped to 0.1 .. 100)
  virtual void setSpeed(float s) = 0;
  // With a scenario loaded, Play runs its steps each at its own time (true, the default) or
  // plays free time that is not part of the scenario (false).
  virtual bool followScenario() const = 0;
  virtual void setFollowScenario(bool follow) = 0;

  // ---- alerts (thresholds in virtual ms, editable in Settings) ----
  virtual const AlertThresholds& alertThresholds() const = 0;
  virtual void setAlertThresholds(const AlertThresholds& t) = 0;

  // ---- file errors: same text as the command line, newest last ----
  virtual const std::vector<std::string>& fileErrors() const = 0;
  virtual void clearFileErrors() = 0;

  // Where each command of the live session's log came from (same length as its commands()).
  virtual const std::vector<Origin>& origins() const = 0;

  // ---- commands through the command log ----
  // Records any pending real-time advance first, then executes the step.
  virtual StepResult execute(const json& step) = 0;
  // Records the pending real-time advance now (if any), so registry().now() == displayNow().
  virtual void flushClock() = 0;

  // ---- scenario (null when the document is not a scenario) ----
  virtual const Scenario* scenario() const = 0;
  virtual size_t scenarioNext() const = 0;  // index of the next scenario step to run
  // Result of each scenario step run so far (index = scenario step).
  virtual const std::vector<std::optional<StepResult>>& scenarioResults() const = 0;
  // Runs scenario steps until `end` (exclusive, clamped to the step count).
  virtual void runScenarioUntil(size_t end) = 0;

  // ---- application commands ----
  virtual void restart() = 0;  // re-create the session from the file (Ctrl+R)
  // New session under another policy / environment, replaying the current command log.
  virtual void rerunUnder(Policy policy, Environment environment) = 0;

  // ---- live apps (SPEC 11) ----
  virtual const LiveListener& listener() const = 0;
  // Listens on 127.0.0.1:port (0: any free port) with a new random token; false (and a file
  // error saying why) when it cannot.
  virtual bool startListening(uint16_t port) = 0;
  virtual void stopListening() = 0;
  // An app is connected: the clock follows the apps' messages and Play does not run.
  virtual bool followingApps() const = 0;
};

}  // namespace si::gui
