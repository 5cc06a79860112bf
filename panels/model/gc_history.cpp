#include "gc_history.hpp"

namespace si::gui {
namespace {

std::string ms(Ms t) { return std::to_string(t) + " ms"; }

// What armed the GC timer a disposal fired, as far as the store's own events tell.
struct Arm {
  enum class Cause { LastDetach, LoadEnd, Preload, Other } cause = Cause::Other;
  Ms t = 0;
  Span gcTime;
  std::string rule;
};

// Follows one store's events, remembering what explains the next GC disposal.
struct Tracker {
  Arm arm;
  Ms loadEnd = 0;
  Ms lastDetach = 0;
  EventKind previous = EventKind::InstanceCreated;

  std::string explainGc(const Event& e) const {
    const std::string g = toString(arm.gcTime) + " ms";
    std::string head = "disposed at " + ms(e.t) + ": ";
    if (!arm.rule.empty()) head += arm.rule + " — ";
    else head += "spec — ";
    if (arm.rule == kRuleLoadEndRearms)
      return head + "the load ended at " + ms(arm.t) + " with no observers, so GC re-armed for " + g;
    if (arm.rule == kRuleLoadHoldsReference)
      return head + "the last observer left at " + ms(lastDetach) + " during the load, which held a reference until " +
             ms(arm.t) + "; GC armed then for " + g;
    switch (arm.cause) {
      case Arm::Cause::LastDetach: return head + "the last observer left at " + ms(arm.t) + ", so GC armed for " + g;
      case Arm::Cause::LoadEnd:
        return head + "the load ended at " + ms(arm.t) + " with no observers, so GC armed for " + g;
      case Arm::Cause::Preload: return head + "a preload at " + ms(arm.t) + " restarted GC for " + g;
      case Arm::Cause::Other: break;
    }
    return head + "GC armed at " + ms(arm.t) + " for " + g;
  }

  void noteArm(const Event& e) {
    arm.t = e.t;
    arm.gcTime = e.gcTime;
    arm.rule = e.rule;
    if (e.kind == EventKind::GcRestarted) arm.cause = Arm::Cause::Preload;
    else if (loadEnd == e.t && (previous == EventKind::LoadSucceeded || previous == EventKind::LoadFailed ||
                                previous == EventKind::PreloadErrorSwallowed))
      arm.cause = Arm::Cause::LoadEnd;
    else if (previous == EventKind::ObserverDetached) arm.cause = Arm::Cause::LastDetach;
    else arm.cause = Arm::Cause::Other;
  }
};

}  // namespace

std::vector<GcHistoryEntry> gcHistory(const Registry& reg, StoreKey key, uint64_t uptoSeq) {
  std::vector<GcHistoryEntry> out;
  Tracker tr;
  for (const Event& e : reg.events()) {
    if (e.seq > uptoSeq) break;
    if (e.store != key) continue;
    switch (e.kind) {
      case EventKind::LoadSucceeded:
      case EventKind::LoadFailed: tr.loadEnd = e.t; break;
      case EventKind::ObserverDetached: tr.lastDetach = e.t; break;
      case EventKind::GcScheduled:
      case EventKind::GcRestarted: tr.noteArm(e); break;
      case EventKind::GcDeferred:
        out.push_back({e.t, e.generation, e.kind, e.rule,
                       "GC timer fired at " + ms(e.t) + " during the load: " + e.rule +
                           " — it did nothing; the load's end re-arms it"});
        break;
      case EventKind::Disposed:
        out.push_back({e.t, e.generation, e.kind, e.reason == DisposeReason::Gc ? e.rule : std::string(),
                       e.reason == DisposeReason::Gc
                           ? tr.explainGc(e)
                           : "disposed at " + ms(e.t) + ": " + std::string(toString(e.reason))});
        break;
      default: break;
    }
    tr.previous = e.kind;
  }
  return out;
}

}  // namespace si::gui
