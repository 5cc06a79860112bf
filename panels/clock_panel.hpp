// Clock panel: the virtual time (always visible), Play/Pause, speed, step to the next timer,
// step by N ms, and reset. Advancing is a step ({"advance": n}) in the command log.
//
// Usage:
//   ClockPanel clock;
//   if (ui.show.clock) clock.Draw("Clock", &ui.show.clock, host);
#pragma once
#include <string>

#include "host.hpp"

namespace si::gui {

struct ClockPanel {
  std::string lastError;  // error of the last step issued here
  uint64_t errorSerial = 0;  // Host::liveSerial() when lastError was set
  int stepMs = 100;       // "Step ms" advances by this much

  void Draw(const char* title, bool* open, Host& host);
};

// Executes {"advance": due - now} for the next timer; returns the step's error ("" if none,
// "no timer pending" when nothing is scheduled). Shared by the Right-arrow shortcut.
std::string StepToNextTimer(Host& host);

// What Play does now: follow the scenario's steps, free time after them, or nothing in the past.
std::string PlayModeText(const Host& host);

}  // namespace si::gui
