// What the Alerts panel lists, kept up to date as events arrive. The menu bar counts the alerts
// every frame; rebuilding them all each time (every lint of every live store as text) was half
// of a frame's drawing once a live trace had 10,000 stores. Lints are kept per store and only
// the stores that new events touch are looked at again; the event stream's alerts only grow;
// only the alerts that depend on the clock (ACTIVE too long, suspended too long) are found
// again, and they make text only when one is due.
//
// Usage:
//   AlertList list;
//   list.refresh(session.registry(), sessionSerial, suspendedMs, activeMs);  // each frame
//   list.size();  for (const Alert* a : list.all()) ...
#pragma once
#include <cstddef>
#include <cstdint>
#include <array>
#include <string>
#include <vector>

#include "registry.hpp"

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
  bool operator==(const Alert&) const = default;
};

class AlertList {
 public:
  // Brings the list to the registry's state (another sessionSerial: a new session or a branch,
  // started over). An observer suspended longer than suspendedMs, or a store ACTIVE longer than
  // activeMs, is an alert.
  void refresh(const Registry& reg, uint64_t sessionSerial, Ms suspendedMs, Ms activeMs);
  size_t size() const { return lintCount_ + timed_.size() + events_.size(); }
  // How many alerts of each kind (AlertKind as index).
  std::array<size_t, kAlertKindCount> counts() const;
  // Every alert: the live stores' lints by store, then the clock's, then the event stream's.
  std::vector<const Alert*> all() const;

 private:
  struct Lints {
    uint32_t generation = 0;
    Span gcTime;
    std::vector<std::string> codes;
    std::vector<Alert> alerts;
  };
  void startOver(const Registry& reg, uint64_t sessionSerial);
  void relint(const Registry& reg, StoreKey key);
  void addEventAlert(const Registry& reg, const Event& e);
  void readEvents(const Registry& reg);
  void findTimed(const Registry& reg, Ms suspendedMs, Ms activeMs);

  std::vector<Lints> lints_;  // by StoreKey: a live store's lint alerts (empty for most)
  std::array<size_t, kAlertKindCount> lintCounts_{};
  size_t lintCount_ = 0;
  std::array<size_t, kAlertKindCount> eventCounts_{};
  std::vector<Alert> timed_;
  std::vector<Alert> events_;
  size_t watermark_ = 0;  // events() read so far
  uint64_t session_ = ~0ull, builtEvents_ = ~0ull;
  Ms builtNow_ = -1;
  Ms builtSuspended_ = -1, builtActive_ = -1;
};

}  // namespace si::gui
