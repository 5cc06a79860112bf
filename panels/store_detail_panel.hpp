// Store detail panel: everything about the selected store — its lifecycle diagram with the
// current state lit, the option layering table (which layer and which request each effective
// option came from), gcTime resolution under the active policy, its GC history (which rule of
// which profile explains each disposal, SPEC 11), storeId lints, and its SQLite tables with a
// read-only query box.
//
// Usage:
//   StoreDetailPanel detail;
//   if (ui.show.storeDetail) detail.Draw("Store", &ui.show.storeDetail, host, ui);
#pragma once
#include <optional>
#include <string>

#include "gc_history.hpp"
#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct StoreDetailPanel {
  std::string sql = "SELECT name, type FROM sqlite_master";  // the query box
  std::string queryStore;               // storeId the shown result was computed for
  uint32_t queryGeneration = 0;         // and its generation (a new instance hides it)
  std::optional<QueryResult> queryResult;
  std::string queryError;
  std::string actionError;              // error of the last Drop from this panel
  // GC history, rebuilt only when the store, the session or the events shown change.
  std::vector<GcHistoryEntry> history;
  StoreKey historyKey = kNoStore;
  uint64_t historySession = ~0ull;
  uint64_t historyUpTo = ~0ull;

  void Draw(const char* title, bool* open, Host& host, UiState& ui);

 private:
  // Sections, in drawing order; a bool result is a click, acted on after the window.
  bool DrawHeader(const StoreRecord& s, bool dark);  // Drop clicked
  void DrawLayering(const StoreRecord& s, const Registry& reg);
  void DrawGcResolution(const StoreRecord& s, const Registry& reg, Ms now);
  void DrawGcHistory(const Host& host, StoreKey key);
  void DrawLints(const StoreRecord& s);
  bool DrawDatabase(const StoreRecord& s, bool dark);  // Query clicked
  void DrawQueryResult(bool dark);
  void RunQuery(const StoreRecord& s);
};

// Draws the lifecycle diagram of one store (also used by the panel tests for a smoke check).
void DrawLifecycle(const StoreRecord& s, Ms now, bool dark);

}  // namespace si::gui
