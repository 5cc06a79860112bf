// Registry panel: one row per storeId with its lifecycle state, observers, effective gcTime and
// where it came from, the GC countdown, generation, loads and SQLite memory.
//
// Usage:
//   RegistryPanel registry;                                  // one per view
//   if (ui.show.registry) registry.Draw("Registry", &ui.show.registry, host, ui);
// Clicking a state count filters by that state; clicking a row selects the store everywhere.
#pragma once
#include <string>
#include <vector>

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct RegistryPanel {
  std::string filter;               // substring of storeId or template name
  int stateFilter = -1;             // a State as int, -1 = every state but ABSENT
  std::vector<StoreKey> rows;       // cached filtered + sorted store keys (what the table lists)
  // Cache keys: rows are rebuilt when any of these change.
  uint64_t builtSession = ~0ull, builtEvents = ~0ull;
  Ms builtNow = -1;
  bool dirty = true;                // filter or sort changed
  int sortColumn = 0;               // column user id
  bool sortAscending = true;
  uint64_t scrolledToSerial = 0;    // last UiState::selectionSerial scrolled into view

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  // Rebuilds `rows` now if needed (Draw calls it; tests and the benchmark may too).
  void Refresh(const Host& host);
};

}  // namespace si::gui
