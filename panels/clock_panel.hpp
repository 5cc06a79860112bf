// Clock panel: the virtual time (always visible), Play/Pause, speed, step to the next timer,
// step by N ms, and reset. Advancing is a step ({"advance": n}) in the command log.
//
// Usage:
//   ClockPanel clock;
//   if (ui.show.clock) clock.Draw("Clock", &ui.show.clock, host, ui);
#pragma once
#include <string>

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct ClockPanel {
  std::string lastError;  // error of the last step issued here

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
};

// Executes {"advance": due - now} for the next timer; returns the step's error ("" if none,
// "no timer pending" when nothing is scheduled). Shared by the Right-arrow shortcut.
std::string StepToNextTimer(Host& host);

}  // namespace si::gui
