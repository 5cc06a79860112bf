#include "scenario_panel.hpp"

#include "widgets.hpp"

namespace si::gui {
namespace {

const ImVec4 kPass(0.35f, 0.85f, 0.45f, 1);
const ImVec4 kFail(1.0f, 0.35f, 0.35f, 1);

std::string oneLine(const json& step) {
  std::string s = step.dump();
  if (s.size() > 140) {
    s.resize(137);
    s += "...";
  }
  return s;
}

}  // namespace

// Step n (0-based) of the scenario's table; returns whether its "Run to here" was clicked.
bool ScenarioPanel::DrawStepRow(const json& st, size_t i, size_t next, const std::optional<StepResult>& res,
                                UiState& ui) {
  bool runHere = false;
  ImGui::TableNextRow();
  if (i == next) {
    ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(70, 110, 200, 110));
    if (scrolledToNext != next) {
      scrolledToNext = next;
      ImGui::SetScrollHereY(0.3f);
    }
  }
  ImGui::TableSetColumnIndex(0);
  ImGui::Text("%zu%s", i, i == next ? " >" : "");
  ImGui::TableSetColumnIndex(1);
  if (i >= next && SmallButton(("Run to here##" + std::to_string(i)).c_str())) runHere = true;
  ImGui::TableSetColumnIndex(2);
  if (st.contains("note")) ImGui::TextDisabled("%s", st["note"].get<std::string>().c_str());
  ImGui::TextUnformatted(oneLine(st).c_str());
  if (res) {
    if (!res->error.empty()) ImGui::TextColored(res->ok ? kPass : kFail, "error: %s", res->error.c_str());
    for (const ExpectCheck& c : res->checks) {
      ImGui::TextColored(c.passed ? kPass : kFail, "%s %s.%s expected %s, actual %s", c.passed ? "ok  " : "FAIL",
                         c.subject.c_str(), c.field.c_str(), c.expected.dump().c_str(), c.actual.dump().c_str());
    }
  }
  ImGui::TableSetColumnIndex(3);
  if (!res) ImGui::TextDisabled(i == next ? "next" : "-");
  else ImGui::TextColored(res->ok ? kPass : kFail, "%s @%lld", res->ok ? "passed" : "FAILED", static_cast<long long>(res->t));
  // Clicking a step whose object names a store selects it.
  if (st.contains("expect") && st["expect"].contains("store") && st["expect"]["store"].is_string()) {
    ImGui::SameLine();
    if (ImGui::SmallButton("show")) ui.select(st["expect"]["store"].get<std::string>());
  }
  return runHere;
}

// The scenario's name and pass/fail counts.
void ScenarioPanel::DrawSummary(const Scenario& sc, size_t next, const std::vector<std::optional<StepResult>>& results) {
  size_t passed = 0, failed = 0;
  for (const auto& r : results) {
    if (r) (r->ok ? passed : failed)++;
  }
  ImGui::Text("%s", sc.name.empty() ? "(unnamed scenario)" : sc.name.c_str());
  // The totals wrap to their own line rather than be cut off in a narrow panel.
  char totals[96];
  std::snprintf(totals, sizeof totals, "%zu steps · next %zu · ", sc.steps.size(), next);
  SameLineIfFits(ImGui::CalcTextSize(totals).x + ImGui::CalcTextSize("000 passed 000 failed").x);
  ImGui::TextDisabled("%s", totals);
  ImGui::SameLine(0, 0);
  ImGui::TextColored(kPass, "%zu passed", passed);
  ImGui::SameLine();
  ImGui::TextColored(failed ? kFail : kPass, "%zu failed", failed);
}

void ScenarioPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Scenario* sc = host.scenario();
  if (sc == nullptr) {
    ImGui::TextDisabled("No scenario loaded: open a scenario file (a JSON file with \"steps\").");
    return;
  }
  const size_t next = host.scenarioNext();
  const size_t count = sc->steps.size();
  const auto& results = host.scenarioResults();
  DrawSummary(*sc, next, results);
  ImGui::BeginDisabled(next >= count);
  const bool step = Button("Step");
  ImGui::SameLine();
  const bool runEnd = Button("Run to end");
  ImGui::EndDisabled();
  ImGui::SameLine();
  const bool restart = Button("Restart");
  ImGui::SameLine();
  ImGui::Checkbox("failures only", &onlyFailures);

  std::optional<size_t> runTo;
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("steps", 4, flags)) {
    SetupTable({{"#"}, {""}, {"step", ImGuiTableColumnFlags_WidthStretch}, {"result"}});
    for (size_t i = 0; i < count; ++i) {
      const auto& res = i < results.size() ? results[i] : std::optional<StepResult>{};
      if (onlyFailures && (!res || res->ok)) continue;
      ImGui::PushID(static_cast<int>(i));
      if (DrawStepRow(sc->steps[i], i, next, res, ui)) runTo = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  window.Close();

  if (restart) host.restart();
  else if (step) host.runScenarioUntil(next + 1);
  else if (runEnd) host.runScenarioUntil(count);
  else if (runTo) host.runScenarioUntil(*runTo + 1);
}

}  // namespace si::gui
