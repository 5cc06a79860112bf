// The Registry panel's rows without ImGui: which stores are listed (state and text filters)
// and in which order (one sort column, ascending or descending, ties by storeId).
//
// Usage:
//   RegistryRows r;                  // the panel derives from it
//   r.sortColumn = RegistryColumn::Observers;  r.invalidate();
//   r.refresh(reg, sessionSerial, now);        // r.rows: keys into reg.stores()
//
// Like the Events panel, rows are extended past an event watermark: only the stores the new
// events name (and storeIds interned since) are taken out and put back at their sorted place.
// That is exact because the order is total (storeIds are unique) and a listed column changes
// only through an event naming its store. Full rebuilds: a filter or the sort changed, another
// session, the GC countdown column when the clock moved, the SQLite memory column (it changes
// without events), a registry that does not keep its whole event history (a time-travel view),
// or more touched stores than an incremental pass is worth.
#pragma once
#include <string>
#include <vector>

#include "registry.hpp"

namespace si::gui {

// Column user ids of the Registry table (also the sort keys).
enum RegistryColumn : int {
  kColStoreId,
  kColTemplate,
  kColState,
  kColObservers,
  kColGcTime,
  kColGcSource,
  kColCountdown,
  kColGeneration,
  kColLoads,
  kColMemory,
  kColumnCount
};

// Time left before GC, or kMaxMs when no timer is armed (sorts last).
Ms gcLeft(const StoreRecord& s, Ms now);
// SQLite memory of the live instance, -1 without a database.
int64_t memoryOf(const StoreRecord& s);

struct RegistryRows {
  std::string filter;               // substring of storeId or template name
  int stateFilter = -1;             // a State as int, -1 = every state but ABSENT
  long registryFilter = -1;         // a RegistryIndex, -1 = every registry (SPEC 8)
  int sortColumn = kColStoreId;     // a RegistryColumn
  bool sortAscending = true;
  std::vector<StoreKey> rows;       // filtered + sorted store keys (what the table lists)
  // What the rows were built from; any change of the first three is a full rebuild.
  uint64_t builtSession = ~0ull, builtEvents = ~0ull;
  Ms builtNow = -1;
  size_t watermark = 0;             // events() folded into rows
  size_t builtStores = 0;           // stores() folded into rows
  bool dirty = true;                // filter or sort changed
  uint64_t fullRebuilds = 0;        // how often refresh() rebuilt everything (tests, bench)

  void invalidate() { dirty = true; }
  // Brings rows up to date with the registry; cheap when nothing changed.
  void refresh(const Registry& reg, uint64_t sessionSerial, Ms now);
  // Whether a store passes the state and text filters.
  bool listed(const StoreRecord& s) const;
  // The table order: a strict total order on store keys.
  bool before(const Registry& reg, Ms now, StoreKey a, StoreKey b) const;
  // Keyboard navigation: the storeId `step` rows from `selected` in the table's order (the
  // first row when nothing listed is selected), clamped to the first and last rows; "" when no
  // row is listed.
  std::string neighbour(const Registry& reg, const std::string& selected, int step) const;

 private:
  void rebuild(const Registry& reg, Ms now);
  bool extend(const Registry& reg, Ms now);  // false: do a full rebuild instead
};

// One named registry as the Registry panel's picker and the timeline name it (SPEC 8, 10):
// "req-1 · open · 2 live", "req-1 · shutting down since @40, deadline @140",
// "req-1 · closed @90 (2 killed)".
std::string registryLabel(const Registry& reg, RegistryIndex i);
// The selected store: in the registry picked (registryFilter >= 0), else in `default`, else in
// the first registry that has that storeId. Null when none has it.
const StoreRecord* findSelected(const Registry& reg, const std::string& storeId, long registryFilter);

// A store's row as JSON (Copy as JSON): what the table shows, plus its effective options.
json storeRowJson(const StoreRecord& s, Ms now);

}  // namespace si::gui
