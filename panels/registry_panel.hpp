// Registry panel: one row per storeId with its lifecycle state, observers, effective gcTime and
// where it came from, the GC countdown, generation, loads and SQLite memory.
//
// Usage:
//   RegistryPanel registry;                                  // one per view
//   if (ui.show.registry) registry.Draw("Registry", &ui.show.registry, host, ui);
// Clicking a state count filters by that state; clicking a row selects the store everywhere.
// The rows (filter, sort, extension past an event watermark) are the model RegistryRows.
#pragma once
#include <string>
#include <vector>

#include "host.hpp"
#include "registry_rows.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct RegistryPanel : RegistryRows {
  uint64_t scrolledToSerial = 0;    // last UiState::selectionSerial scrolled into view
  std::string copied;               // storeId last copied as JSON (Ctrl+C)

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  // Brings `rows` up to date now if needed (Draw calls it; tests and the benchmark may too).
  void Refresh(const Host& host);

 private:
  void DrawCounts(const Registry& reg, bool dark);
  std::string DrawTable(const Registry& reg, Ms now, const UiState& ui);
  void DrawRow(const Registry& reg, const StoreRecord& s, Ms now, const UiState& ui, std::string* clickedStore);
  void DrawRegistries(const Registry& reg, UiState& ui);
  struct KeyAction {
    int step = 0;       // rows to move the selection by
    bool open = false;  // Enter: the Store panel
    bool copy = false;  // Ctrl+C: the selected row as JSON
  };
  KeyAction ReadKeys() const;
  void Act(const KeyAction& a, const Registry& reg, Ms now, UiState& ui);
};

}  // namespace si::gui
