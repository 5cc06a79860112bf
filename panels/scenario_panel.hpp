// Scenario panel: the loaded scenario's steps with the next one highlighted; Step, Run to here,
// Run to end and Restart; each expectation marked passed or failed with expected and actual.
//
// Usage:
//   ScenarioPanel scenario;
//   if (ui.show.scenario) scenario.Draw("Scenario", &ui.show.scenario, host, ui);
#pragma once
#include <optional>
#include <vector>

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct ScenarioPanel {
  bool onlyFailures = false;       // list only steps that failed
  size_t scrolledToNext = ~size_t{0};  // next-step index last scrolled into view

  void Draw(const char* title, bool* open, Host& host, UiState& ui);

 private:
  void DrawSummary(const Scenario& sc, size_t next, const std::vector<std::optional<StepResult>>& results);
  bool DrawStepRow(const json& st, size_t i, size_t next, const std::optional<StepResult>& res, UiState& ui);
};

}  // namespace si::gui
