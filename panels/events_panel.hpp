// Events panel: the registry's event stream (SPEC 2.7), filterable by kind and storeId,
// newest or oldest first. Clicking an event selects its store and sets the time cursor.
//
// Usage:
//   EventsPanel events;
//   if (ui.show.events) events.Draw("Events", &ui.show.events, host, ui);
// The index list of matching events is extended past a watermark as the stream grows and
// rebuilt only when a filter changes or the session is replaced.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct EventsPanel {
  std::array<bool, kEventKindCount> kinds;  // which kinds are listed
  std::string storeFilter;                  // substring of the storeId ("" = all)
  bool onlySelected = false;                // only events of the selected store
  bool newestFirst = true;
  bool followTail = true;                   // keep the newest event in view
  size_t followedCount = 0;                 // row count when the view last followed the tail
  std::vector<uint32_t> rows;               // cached indices into registry().events()
  size_t watermark = 0;                     // events scanned so far
  uint64_t builtSession = ~0ull;
  std::string builtSelected;
  bool dirty = true;

  EventsPanel() { kinds.fill(true); }
  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  void Refresh(const Host& host, const UiState& ui);

 private:
  struct Click {               // captured while drawing, acted on after the window
    std::string store;
    std::optional<Ms> time;
  };
  void DrawFilters();
  void DrawRow(const Registry& reg, const Event& e, const UiState& ui, Click* click);
};

}  // namespace si::gui
