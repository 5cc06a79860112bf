#include "alert_list.hpp"

#include <algorithm>
#include <optional>

#include "lint_text.hpp"

namespace si::gui {
namespace {

std::string joinKeys(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& k : keys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

// The alert an event stands for, if any.
std::optional<Alert> eventAlert(const Registry& reg, const Event& e) {
  const std::string sid = e.store != kNoStore ? reg.storeIdOf(e.store) : std::string();
  switch (e.kind) {
    case EventKind::OptionsIgnored:
      return Alert{AlertKind::OptionsIgnored, sid, e.t,
                   "options ignored (fixed at creation): " + joinKeys(e.keys) + (e.observer.empty() ? "" : " by " + e.observer)};
    case EventKind::LoadFailed:
      return Alert{AlertKind::LoadFailed, sid, e.t, "load failed (g" + std::to_string(e.generation) + "): " + e.text};
    case EventKind::PreloadErrorSwallowed:
      return Alert{AlertKind::PreloadErrorSwallowed, sid, e.t, "preload error swallowed: " + e.text};
    case EventKind::ObserverOrphaned:
      return Alert{AlertKind::Orphaned, sid, e.t, "observer " + e.observer + " orphaned by a drop"};
    case EventKind::Alert: {
      const bool divergence = !e.keys.empty() && e.keys[0] == "divergence";
      const std::string code = divergence || e.keys.empty() ? std::string() : e.keys[0] + ": ";
      return Alert{divergence ? AlertKind::Divergence : AlertKind::RegistryAlert, sid, e.t,
                   reg.registryNameOf(e) + ": " + code + e.text};
    }
    default: return std::nullopt;
  }
}

}  // namespace

void AlertList::refresh(const Registry& reg, uint64_t sessionSerial, Ms suspendedMs, Ms activeMs) {
  // Time-based alerts depend on the clock: this does work at most once per recorded step.
  if (session_ == sessionSerial && builtEvents_ == reg.eventCount() && builtNow_ == reg.now() &&
      builtSuspended_ == suspendedMs && builtActive_ == activeMs) {
    return;
  }
  // Another session, a branch (the history is shorter), or a registry keeping no history.
  if (session_ != sessionSerial || watermark_ > reg.events().size() || reg.events().size() != reg.eventCount()) {
    startOver(reg, sessionSerial);
  } else {
    readEvents(reg);
  }
  findTimed(reg, suspendedMs, activeMs);
  builtEvents_ = reg.eventCount();
  builtNow_ = reg.now();
  builtSuspended_ = suspendedMs;
  builtActive_ = activeMs;
}

void AlertList::startOver(const Registry& reg, uint64_t sessionSerial) {
  session_ = sessionSerial;
  lints_.clear();
  lintCounts_ = {};
  lintCount_ = 0;
  events_.clear();
  eventCounts_ = {};
  for (StoreKey k = 0; k < reg.stores().size(); ++k) relint(reg, k);
  for (const Event& e : reg.events()) addEventAlert(reg, e);
  watermark_ = reg.events().size();
}

void AlertList::addEventAlert(const Registry& reg, const Event& e) {
  std::optional<Alert> a = eventAlert(reg, e);
  if (!a) return;
  eventCounts_[static_cast<size_t>(a->kind)]++;
  events_.push_back(std::move(*a));
}

// A store's lint alerts as they are now: a live instance's lints, with its current gcTime.
void AlertList::relint(const Registry& reg, StoreKey key) {
  const StoreRecord& s = reg.stores()[key];
  if (lints_.size() <= key) lints_.resize(reg.stores().size());
  Lints& l = lints_[key];
  const bool linted = s.live() && !s.lints.empty();
  if (linted && !l.alerts.empty() && l.generation == s.generation && l.gcTime == s.gcTime && l.codes == s.lints)
    return;  // unchanged: no text to make again
  for (const Alert& a : l.alerts) lintCounts_[static_cast<size_t>(a.kind)]--;
  lintCount_ -= l.alerts.size();
  l = Lints{};
  if (!linted) return;
  l = Lints{s.generation, s.gcTime, s.lints, {}};
  for (const std::string& code : s.lints) {
    const AlertKind kind = code == kTimerOverflow ? AlertKind::TimerOverflow : AlertKind::Lint;
    l.alerts.push_back({kind, s.storeId, s.createdAt, lintAlertText(code, s.gcTime)});
    lintCounts_[static_cast<size_t>(kind)]++;
  }
  lintCount_ += l.alerts.size();
}

// The events since the last look: their alerts, and the stores they touched, looked at again.
void AlertList::readEvents(const Registry& reg) {
  const auto& events = reg.events();
  std::vector<StoreKey> touched;
  for (size_t i = watermark_; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.store != kNoStore) touched.push_back(e.store);
    addEventAlert(reg, e);
  }
  watermark_ = events.size();
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (StoreKey k : touched) relint(reg, k);
}

void AlertList::findTimed(const Registry& reg, Ms suspendedMs, Ms activeMs) {
  timed_.clear();
  const Ms now = reg.now();
  for (const StoreRecord& s : reg.stores()) {
    if (s.state == State::Active && now - s.stateSince > activeMs) {
      timed_.push_back({AlertKind::ActiveTooLong, s.storeId, s.stateSince,
                        "ACTIVE for " + std::to_string(now - s.stateSince) + " ms"});
    }
  }
  for (const ObserverRecord& o : reg.observers()) {
    if (!o.attached || o.status != ObserverStatus::Suspended) continue;
    if (now - o.attachedAt > suspendedMs) {
      timed_.push_back({AlertKind::SuspendedTooLong, reg.storeIdOf(o.store), o.attachedAt,
                        "observer " + o.name + " suspended for " + std::to_string(now - o.attachedAt) + " ms"});
    }
  }
}

std::array<size_t, kAlertKindCount> AlertList::counts() const {
  std::array<size_t, kAlertKindCount> out{};
  for (size_t k = 0; k < kAlertKindCount; ++k) out[k] = lintCounts_[k] + eventCounts_[k];
  for (const Alert& a : timed_) out[static_cast<size_t>(a.kind)]++;
  return out;
}

std::vector<const Alert*> AlertList::all() const {
  std::vector<const Alert*> out;
  out.reserve(size());
  for (const Lints& l : lints_)
    for (const Alert& a : l.alerts) out.push_back(&a);
  for (const Alert& a : timed_) out.push_back(&a);
  for (const Alert& a : events_) out.push_back(&a);
  return out;
}

}  // namespace si::gui
