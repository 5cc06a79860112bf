// Store detail panel: everything about the selected store — its lifecycle diagram with the
// current state lit, the option layering table (which layer and which request each effective
// option came from), gcTime resolution under the active policy, storeId lints, and its SQLite
// tables with a read-only query box.
//
// Usage:
//   StoreDetailPanel detail;
//   if (ui.show.storeDetail) detail.Draw("Store", &ui.show.storeDetail, host, ui);
#pragma once
#include <optional>
#include <string>

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

  void Draw(const char* title, bool* open, Host& host, UiState& ui);

 private:
  // Sections, in drawing order; a bool result is a click, acted on after the window.
  bool DrawHeader(const StoreRecord& s, bool dark);  // Drop clicked
  void DrawLayering(const StoreRecord& s, const Registry& reg);
  void DrawGcResolution(const StoreRecord& s, const Registry& reg, Ms now);
  void DrawLints(const StoreRecord& s);
  bool DrawDatabase(const StoreRecord& s, bool dark);  // Query clicked
  void DrawQueryResult(bool dark);
  void RunQuery(const StoreRecord& s);
};

// Draws the lifecycle diagram of one store (also used by the panel tests for a smoke check).
void DrawLifecycle(const StoreRecord& s, Ms now, bool dark);

}  // namespace si::gui
