#include "comparison_panel.hpp"

#include <algorithm>
#include <cstdio>

#include "comparison_diff.hpp"
#include "widgets.hpp"

namespace si::gui {
void ComparisonPanel::Compute(const Session& live) {
  std::vector<json> steps;
  steps.reserve(live.commands().size());
  for (const Session::Command& c : live.commands()) steps.push_back(c.step());
  runs.clear();
  error.clear();
  std::vector<RunChoice> choices;
  if (byProfile) {
    for (Profile p : kAllProfiles) choices.emplace_back().profile = p;
  } else {
    for (Policy p : kAllPolicies) choices.emplace_back().policy = p;
  }
  for (const RunChoice& choice : choices) {
    Result<PolicyRun> run = runChoice(live.config(), choice, steps);
    if (!run) {
      error = run.message();
      runs.clear();
      break;
    }
    runs.push_back(std::move(*run));
  }
  stores = compareStoreOrder(runs);
  builtCommands = live.commands().size();
  rows.clear();
  for (uint32_t i = 0; i < stores.size(); ++i) {
    if (!onlyDifferent || Differs(stores[i])) rows.push_back(i);
  }
}

bool ComparisonPanel::Differs(const std::string& id) const { return storeDiffers(runs, id); }

// [SECTION] charts and table

void ComparisonPanel::DrawCharts(bool dark) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float colW = (w - 12) / static_cast<float>(runs.size());
  const float chartH = 90;
  Ms end = 1;
  for (const PolicyRun& r : runs) end = std::max(end, r.end);
  const size_t shown = std::min<size_t>(stores.size(), 30);
  const float laneH = std::max(1.0f, (chartH - 14) / static_cast<float>(shown));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  for (size_t p = 0; p < runs.size(); ++p) {
    const PolicyRun& r = runs[p];
    const float x0 = o.x + static_cast<float>(p) * (colW + 4), x1 = x0 + colW;
    char head[96];
    std::snprintf(head, sizeof head, "%s  %s s", r.label.c_str(), secondsText(r.totalHeldMs()).c_str());
    dl->AddText(ImVec2(x0, o.y), ImGui::GetColorU32(ImGuiCol_Text), head);
    dl->AddRect(ImVec2(x0, o.y + 14), ImVec2(x1, o.y + chartH), ImGui::GetColorU32(ImGuiCol_Border));
    for (size_t s = 0; s < shown; ++s) {
      auto it = r.stores.find(stores[s]);
      if (it == r.stores.end()) continue;
      const float y = o.y + 14 + static_cast<float>(s) * laneH;
      for (const CompareInstance& i : it->second) {
        const float xa = x0 + colW * static_cast<float>(i.created) / static_cast<float>(end);
        const float xb = x0 + colW * static_cast<float>(i.disposed.value_or(r.end)) / static_cast<float>(end);
        dl->AddRectFilled(ImVec2(xa, y), ImVec2(std::max(xb, xa + 1), y + std::max(1.0f, laneH - 1)),
                          stateColorU32(i.disposed ? State::Inactive : State::Active, dark));
      }
    }
  }
  ImGui::Dummy(ImVec2(w, chartH + 4));
  if (stores.size() > shown) ImGui::TextDisabled("charts show the first %zu of %zu stores", shown, stores.size());
}

std::string ComparisonPanel::DrawTable(const UiState& ui) {
  const ImU32 highlight = IM_COL32(255, 170, 40, 70);
  std::string clicked;
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("compare", 2 + static_cast<int>(runs.size()), flags)) return clicked;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("store");
  ImGui::TableSetupColumn("metric");
  for (const PolicyRun& r : runs) ImGui::TableSetupColumn(r.label.c_str());
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  // One clipper item per table row: three rows (metrics) per store.
  clipper.Begin(static_cast<int>(rows.size() * 3));
  while (clipper.Step()) {
    for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
      const std::string& id = stores[rows[static_cast<size_t>(k / 3)]];
      const int metric = k % 3;
      ImGui::PushID(k);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      if (metric == 0 && Selectable((id + "##cmp").c_str(), id == ui.selectedStore)) clicked = id;
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(kCompareMetricNames[metric]);
      std::string first;
      for (size_t p = 0; p < runs.size(); ++p) {
        const std::string cell = metricText(runs[p], id, static_cast<CompareMetric>(metric));
        if (p == 0) first = cell;
        ImGui::TableSetColumnIndex(2 + static_cast<int>(p));
        if (cell != first) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, highlight);
        ImGui::TextUnformatted(cell.c_str());
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
  return clicked;
}

// [SECTION] the panel

void ComparisonPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Session& live = host.liveSession();
  const size_t n = live.commands().size();
  const bool stale = builtSerial != host.liveSerial() || builtCommands != n;
  bool run = Button("Run");
  ImGui::SameLine();
  if (Checkbox("only stores that differ", &onlyDifferent)) run = true;
  ImGui::SameLine();
  if (Checkbox("by rule profile", &byProfile)) run = true;
  ImGui::SameLine();
  ImGui::TextDisabled("%zu commands under %s%s", n,
                      byProfile ? "spec / tanstack-query-5 / livestore-0.4" : "longest / first / last / shortest",
                      stale && n > kAutoCommands ? " (stale: Run)" : "");
  if (stale && n <= kAutoCommands) run = true;
  if (run) {
    Compute(live);
    builtSerial = host.liveSerial();
  }
  if (!error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "Cannot compare: %s", error.c_str());
    return;
  }
  if (runs.empty() || stores.empty()) {
    ImGui::TextDisabled("No store was created: attach or preload something first.");
    return;
  }
  DrawCharts(DarkStyle());
  const std::string clicked = DrawTable(ui);
  window.Close();
  if (!clicked.empty()) ui.select(clicked);
}

}  // namespace si::gui
