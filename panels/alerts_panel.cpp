#include "alerts_panel.hpp"

#include <algorithm>

#include "widgets.hpp"

namespace si::gui {

void AlertsPanel::Refresh(const Host& host) {
  list.refresh(host.session().registry(), host.sessionSerial(), host.alertThresholds().suspendedMs,
               host.alertThresholds().activeMs);
}

size_t AlertsPanel::Count(const Host& host) {
  Refresh(host);
  return list.size();
}

void AlertsPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  Refresh(host);
  const std::array<size_t, kAlertKindCount> perKind = list.counts();
  for (size_t k = 0; k < perKind.size(); ++k) {
    if (perKind[k] == 0) continue;
    bool shown = !hidden[k];
    char label[96];
    std::snprintf(label, sizeof label, "%s (%zu)", kAlertKindNames[k], perKind[k]);
    if (ImGui::Checkbox(label, &shown)) hidden[k] = !shown;
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (list.size() == 0) {
    ImGui::TextDisabled("No alerts.");
    return;
  }
  std::string clicked;
  if (ImGui::BeginTable("alerts", 4, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                         ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingFixedFit)) {
    SetupTable({{"kind"}, {"store"}, {"t (ms)"}, {"what", ImGuiTableColumnFlags_WidthStretch}});
    std::vector<const Alert*> visible = list.all();
    if (std::find(hidden.begin(), hidden.end(), true) != hidden.end())
      std::erase_if(visible, [&](const Alert* a) { return hidden[static_cast<size_t>(a->kind)]; });
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(visible.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const Alert& a = *visible[static_cast<size_t>(i)];
        ImGui::PushID(i);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "%s", kAlertKindNames[static_cast<size_t>(a.kind)]);
        ImGui::TableSetColumnIndex(1);
        if (!a.storeId.empty() && ImGui::Selectable(a.storeId.c_str(), a.storeId == ui.selectedStore)) clicked = a.storeId;
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%lld", static_cast<long long>(a.t));
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(a.text.c_str());
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  window.Close();
  if (!clicked.empty()) ui.select(clicked);
}

}  // namespace si::gui
