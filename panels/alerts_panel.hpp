// Alerts panel: what a developer should look at — storeId lints, timer-overflow, ignored options,
// failed loads, swallowed preload errors, observers suspended too long, observers orphaned by a
// drop, stores ACTIVE too long. Each alert links to its store. The app shows Count() in the
// menu bar.
//
// Usage:
//   AlertsPanel alerts;
//   if (ui.show.alerts) alerts.Draw("Alerts", &ui.show.alerts, host, ui);
//   menu bar: alerts.Count(host)
#pragma once
#include <array>
#include <string>
#include <vector>

#include "alert_list.hpp"
#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct AlertsPanel {
  AlertList list;                              // kept as events arrive (panels/model/alert_list)
  std::array<bool, kAlertKindCount> hidden{};  // kinds the user filtered out

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  size_t Count(const Host& host);
  void Refresh(const Host& host);
};

}  // namespace si::gui
