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

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

enum class AlertKind : uint8_t {
  Lint,
  TimerOverflow,
  OptionsIgnored,
  LoadFailed,
  PreloadErrorSwallowed,
  SuspendedTooLong,
  Orphaned,
  ActiveTooLong,
  Divergence,     // a live app's library and the model disagree (SPEC 11)
  RegistryAlert,  // the registry's own alerts: cross-request, shutdown-deadline (SPEC 8)
};
constexpr const char* kAlertKindNames[] = {"storeId lint",  "timer-overflow", "ignored options",
                                           "failed load",   "swallowed preload error", "suspended too long",
                                           "orphaned observer", "active too long", "divergence", "registry alert"};
constexpr size_t kAlertKindCount = static_cast<size_t>(AlertKind::RegistryAlert) + 1;
static_assert(sizeof(kAlertKindNames) / sizeof(kAlertKindNames[0]) == kAlertKindCount, "one name per AlertKind");

struct Alert {
  AlertKind kind;
  std::string storeId;  // the store it links to ("" when none)
  Ms t = 0;             // when it happened (or since when)
  std::string text;
};

struct AlertsPanel {
  std::vector<Alert> alerts;                  // cached; rebuilt when the session changes
  std::vector<Alert> eventAlerts;             // from the event stream, extended past a watermark
  size_t eventWatermark = 0;
  uint64_t eventSession = ~0ull;
  uint64_t builtSession = ~0ull, builtEvents = ~0ull;
  Ms builtNow = -1;
  Ms builtSuspended = -1, builtActive = -1;
  std::array<bool, kAlertKindCount> hidden{};               // kinds the user filtered out

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  size_t Count(const Host& host);
  void Refresh(const Host& host);
};

}  // namespace si::gui
