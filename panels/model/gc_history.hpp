// The Store panel's "GC history" (SPEC 11): for one store, every GC disposal and deferral with
// the rule that explains it — SPEC 2's, or a rule profile's ("disposed at 2500 ms:
// tanstack-query-5/load-end-rearms — the load ended at 1500 ms with no observers, so GC
// re-armed for 1000 ms"). Read from the event stream alone, so it needs no ImGui.
//
// Usage:
//   for (const GcHistoryEntry& h : gcHistory(reg, key, reg.eventCount())) draw(h.text);
#pragma once
#include <string>
#include <vector>

#include "registry.hpp"

namespace si::gui {

struct GcHistoryEntry {
  Ms t = 0;
  uint32_t generation = 0;
  EventKind kind = EventKind::Disposed;  // disposed or gc_deferred
  std::string rule;                      // the profile rule, "" for SPEC 2
  std::string text;                      // the sentence the panel shows
};

// The store's disposals (every reason; GC ones explained) and GC deferrals among the events
// of `reg` with seq <= uptoSeq, oldest first.
std::vector<GcHistoryEntry> gcHistory(const Registry& reg, StoreKey key, uint64_t uptoSeq);

}  // namespace si::gui
