// Real time to virtual time for the window's Play button (README "While playing ..."): the
// advance played is kept pending and recorded as one {"advance": n} step only when a timer falls
// due within it, or when at least 100 virtual ms and 100 real ms have accumulated since the last
// recorded advance. Pure: no session, no wall clock; the Workbench feeds it and records.
//
// Usage:
//   PlayClock c;  c.playing = true;
//   if (Ms ms = c.tick(dt, reg.now(), reg.nextTimerDue())) record({"advance": ms});
//   before any other command:  if (Ms ms = c.takePending()) record({"advance": ms});
#pragma once
#include <optional>

#include "types.hpp"

namespace si::gui {

class PlayClock {
 public:
  static constexpr double kMinRecordedMs = 100.0;      // virtual ms per idle advance
  static constexpr double kMinRecordedSeconds = 0.1;   // real time between idle advances
  static constexpr float kMinSpeed = 0.1f, kMaxSpeed = 100.0f;

  bool playing = false;
  float speed = 1.0f;  // virtual ms per real ms, used clamped to kMinSpeed .. kMaxSpeed

  // Adds realDt seconds of play (nothing when paused or realDt <= 0). Returns the whole ms to
  // record now (taken from the pending advance), or 0 to keep it pending.
  Ms tick(double realDtSeconds, Ms now, std::optional<Ms> nextTimerDue);
  // The whole ms pending, taken (the fraction stays); 0 when less than 1 ms is pending.
  Ms takePending();
  Ms pendingWholeMs() const;
  void reset();  // a new session: nothing pending
  // Returns ms a caller took from tick() but did not record (a scenario step ended within them).
  void giveBack(Ms ms) { pendingMs_ += static_cast<double>(ms); }

 private:
  double pendingMs_ = 0;       // virtual ms played but not recorded yet
  double realSinceTake_ = 0;   // real seconds since the last recorded advance
};

}  // namespace si::gui
