// Policy comparison panel: the live session's command log run under all four GC policies (or,
// "by rule profile", under each of the three SPEC 11 profiles)
// (core/compare, the same numbers as `store-inspector compare`): one small timeline per policy
// (each store's instances from creation to disposal), then a table per store of disposal
// times, loads and store-seconds held, with cells that differ between policies highlighted.
//
// Usage:
//   ComparisonPanel comparison;
//   if (ui.show.comparison) comparison.Draw("Policy comparison", &ui.show.comparison, host, ui);
// The runs are recomputed when the log grows (automatically up to kAutoCommands commands,
// otherwise on "Run"), never while the panel is hidden. Cells and differences: comparison_diff.
#pragma once
#include <string>
#include <vector>

#include "compare.hpp"
#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct ComparisonPanel {
  static constexpr size_t kAutoCommands = 20000;
  std::vector<PolicyRun> runs;        // one per policy, in kAllPolicies order
  std::string error;                  // why the runs could not be made (no scratch folder)
  std::vector<std::string> stores;    // rows: in order of first creation across the runs
  uint64_t builtSerial = ~0ull;       // Host::liveSerial() of the runs
  size_t builtCommands = ~size_t{0};  // log length of the runs
  bool onlyDifferent = false;         // hide stores whose numbers agree under every policy
  bool byProfile = false;             // one run per rule profile (SPEC 11) instead of per policy
  std::vector<uint32_t> rows;         // indices into stores, after the filter

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  // Re-runs the log under every policy now.
  void Compute(const Session& live);
  // Whether any of the store's numbers differ between the policies.
  bool Differs(const std::string& storeId) const;

 private:
  void DrawCharts(bool dark);
  std::string DrawTable(const UiState& ui);  // the store clicked, or ""
};

}  // namespace si::gui
