// Settings panel (View > Settings): GC policy and environment (switching re-runs the session's
// command log under the new rule), panel visibility, theme, alert thresholds.
//
// Usage:
//   SettingsPanel settings;
//   if (ui.show.settings) settings.Draw("Settings", &ui.show.settings, host, ui);
#pragma once
#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct SettingsPanel {
  void Draw(const char* title, bool* open, Host& host, UiState& ui);
};

}  // namespace si::gui
