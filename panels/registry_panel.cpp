#include "registry_panel.hpp"

#include <algorithm>

#include "describe.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace {

void DrawCountdown(const StoreRecord& s, Ms now) {
  if (s.gcArmed && !s.gcTime.infinite) {
    const Ms left = gcLeft(s, now);
    const float frac = s.gcTime.ms > 0
                           ? static_cast<float>(static_cast<double>(left) / static_cast<double>(s.gcTime.ms))
                           : 0.0f;
    char text[48];
    std::snprintf(text, sizeof text, "%lld ms", static_cast<long long>(left));
    ImGui::ProgressBar(std::clamp(frac, 0.0f, 1.0f), ImVec2(-1, 0), text);
  } else if (s.live() && s.gcTime.infinite && s.observers == 0) {
    ImGui::TextDisabled("never (Infinity)");
  } else {
    ImGui::TextDisabled("-");
  }
}

void SetupColumns() {
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("storeId", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthFixed,
                          ImGui::GetFontSize() * 11, kColStoreId);
  ImGui::TableSetupColumn("template", 0, 0, kColTemplate);
  // Wide enough for the widest badge from the start: fixed-fit columns only fit their content on
  // first use, so a table that began with LOADING rows clipped DISPOSED badges later.
  ImGui::TableSetupColumn("state", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("DISPOSED").x + 12, kColState);
  ImGui::TableSetupColumn("observers", 0, 0, kColObservers);
  ImGui::TableSetupColumn("gcTime", 0, 0, kColGcTime);
  ImGui::TableSetupColumn("gcTime source", ImGuiTableColumnFlags_NoSort, 0, kColGcSource);
  ImGui::TableSetupColumn("GC in", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8, kColCountdown);
  ImGui::TableSetupColumn("gen", 0, 0, kColGeneration);
  ImGui::TableSetupColumn("loads", 0, 0, kColLoads);
  ImGui::TableSetupColumn("SQLite memory", 0, 0, kColMemory);
  ImGui::TableHeadersRow();
}

}  // namespace

// SPEC 8: with several registries, pick one (or all) and see each one's state.
void RegistryPanel::DrawRegistries(const Registry& reg, UiState& ui) {
  const auto& all = reg.registries();
  if (all.size() < 2) {
    ui.registryFilter = -1;
  } else {
    const bool picked = ui.registryFilter >= 0 && static_cast<size_t>(ui.registryFilter) < all.size();
    const std::string preview = picked ? registryLabel(reg, static_cast<RegistryIndex>(ui.registryFilter))
                                       : "all " + std::to_string(all.size()) + " registries";
    ImGui::SetNextItemWidth(std::min(360.0f, ImGui::GetContentRegionAvail().x));
    if (ImGui::BeginCombo("##registry", preview.c_str())) {
      if (ImGui::Selectable("all registries", !picked)) ui.registryFilter = -1;
      for (size_t i = 0; i < all.size(); ++i) {
        const std::string label = registryLabel(reg, static_cast<RegistryIndex>(i)) + "##reg" + std::to_string(i);
        if (ImGui::Selectable(label.c_str(), picked && static_cast<size_t>(ui.registryFilter) == i))
          ui.registryFilter = static_cast<long>(i);
      }
      ImGui::EndCombo();
    }
  }
  if (registryFilter != ui.registryFilter) {
    registryFilter = ui.registryFilter;
    invalidate();
  }
}

void RegistryPanel::DrawCounts(const Registry& reg, bool dark) {
  const RegistryCounts& counts = reg.counts();
  int clickedState = -2;  // -2 none, -1 "all"
  char label[64];
  std::snprintf(label, sizeof label, "all (%u live)##all", counts.live);
  if (SmallButton(label)) clickedState = -1;
  for (int i = 0; i < kStateCount; ++i) {
    const State st = static_cast<State>(i);
    if (st == State::Absent && counts.byState[i] == 0) continue;
    ImGui::SameLine();
    const bool on = stateFilter == i;
    ImGui::PushStyleColor(ImGuiCol_Button, stateColor(st, dark));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 255));
    if (on) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
    std::snprintf(label, sizeof label, "%s %u##state%d", std::string(toString(st)).c_str(), counts.byState[i], i);
    if (SmallButton(label)) clickedState = i;
    if (on) ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("| %u observer%s", counts.attachedObservers, counts.attachedObservers == 1 ? "" : "s");
  ImGui::SetNextItemWidth(260);
  const bool filterChanged = ImGui::InputTextWithHint("##filter", "filter storeId or template", &filter);
  if (clickedState != -2) {
    stateFilter = (clickedState == stateFilter) ? -1 : clickedState;
    invalidate();
  }
  if (filterChanged) invalidate();
}

void RegistryPanel::DrawRow(const Registry& reg, const StoreRecord& s, Ms now, const UiState& ui,
                            std::string* clickedStore) {
  const bool multiRegistry = reg.registries().size() > 1;
  ImGui::TableNextRow(0, ImGui::GetFrameHeight());
  ImGui::TableSetColumnIndex(0);
  // With several registries the storeId alone is ambiguous: the registry's name goes first.
  const std::string label =
      (multiRegistry ? reg.registryAt(s.registry).name + " · " : std::string()) + s.storeId + "##row";
  if (Selectable(label.c_str(), s.storeId == ui.selectedStore,
                 ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
    *clickedStore = s.storeId;
  }
  if (ImGui::IsItemHovered() && !s.lints.empty()) {
    std::string tip = "lints:";
    for (const auto& l : s.lints) tip += " " + l;
    ImGui::SetTooltip("%s", tip.c_str());
  }
  if (ImGui::TableSetColumnIndex(1)) ImGui::TextUnformatted(s.owner.empty() ? "(raw)" : s.owner.c_str());
  if (ImGui::TableSetColumnIndex(2)) StateBadge(s.state);
  if (ImGui::TableSetColumnIndex(3)) ImGui::Text("%u", s.observers);
  if (ImGui::TableSetColumnIndex(4)) {
    if (s.state == State::Absent) ImGui::TextDisabled("-");
    else ImGui::TextUnformatted(formatSpan(s.gcTime).c_str());
  }
  if (ImGui::TableSetColumnIndex(5)) {
    if (s.state == State::Absent || s.gcTimeRequest == 0) ImGui::TextDisabled("-");
    else ImGui::TextUnformatted(describeGcSource(s).c_str());
  }
  if (ImGui::TableSetColumnIndex(6)) DrawCountdown(s, now);
  if (ImGui::TableSetColumnIndex(7)) ImGui::Text("%u", s.generation);
  if (ImGui::TableSetColumnIndex(8)) ImGui::Text("%u", s.loads);
  if (ImGui::TableSetColumnIndex(9)) {
    const int64_t mem = memoryOf(s);
    if (mem < 0) ImGui::TextDisabled("-");
    else ImGui::TextUnformatted(formatBytes(mem).c_str());
  }
}

std::string RegistryPanel::DrawTable(const Registry& reg, Ms now, const UiState& ui) {
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_Reorderable | ImGuiTableFlags_Hideable |
                                ImGuiTableFlags_SizingFixedFit;
  std::string clickedStore;
  if (!ImGui::BeginTable("stores", kColumnCount, flags)) return clickedStore;
  SetupColumns();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
    if (specs->SpecsDirty && specs->SpecsCount > 0) {
      sortColumn = static_cast<int>(specs->Specs[0].ColumnUserID);
      sortAscending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
      specs->SpecsDirty = false;
      invalidate();
    }
  }
  const auto& stores = reg.stores();
  // Scroll a newly selected store into view (selected from another panel).
  if (ui.selectionSerial != scrolledToSerial) {
    scrolledToSerial = ui.selectionSerial;
    int scrollTo = -1;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (stores[rows[i]].storeId == ui.selectedStore) scrollTo = static_cast<int>(i);
    }
    if (scrollTo >= 0) {
      ImGui::SetScrollY(static_cast<float>(scrollTo) * ImGui::GetFrameHeightWithSpacing() -
                        ImGui::GetWindowHeight() * 0.5f);
    }
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const StoreKey key = rows[static_cast<size_t>(i)];
      ImGui::PushID(static_cast<int>(key));
      DrawRow(reg, stores[key], now, ui, &clickedStore);
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
  return clickedStore;
}

void RegistryPanel::Refresh(const Host& host) {
  refresh(host.session().registry(), host.sessionSerial(), host.displayNow());
}

void RegistryPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.session().registry();
  DrawRegistries(reg, ui);
  DrawCounts(reg, DarkStyle());
  Refresh(host);
  if (rows.empty()) {
    ImGui::TextDisabled(reg.stores().empty() ? "No stores yet: attach an observer or preload a store."
                                             : "No store matches the filter.");
    return;
  }
  const std::string clickedStore = DrawTable(reg, host.displayNow(), ui);
  const KeyAction key = ReadKeys();
  window.Close();
  if (!clickedStore.empty()) {
    ui.select(clickedStore);
    scrolledToSerial = ui.selectionSerial;  // already in view: selected here
  }
  Act(key, reg, host.displayNow(), ui);
}

// Up/Down move the selection, Enter opens the Store panel, Ctrl+C copies the row as JSON; only
// while this panel has focus and no text field does.
RegistryPanel::KeyAction RegistryPanel::ReadKeys() const {
  const ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) || io.WantTextInput) return {};
  auto pressed = [](ImGuiKey k, bool repeat) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); };
  KeyAction a;
  if (pressed(ImGuiKey_DownArrow, true)) a.step = 1;
  if (pressed(ImGuiKey_UpArrow, true)) a.step = -1;
  if (pressed(ImGuiKey_PageDown, true)) a.step = 10;
  if (pressed(ImGuiKey_PageUp, true)) a.step = -10;
  a.open = pressed(ImGuiKey_Enter, false) || pressed(ImGuiKey_KeyPadEnter, false);
  a.copy = io.KeyCtrl && ImGui::IsKeyPressed('C', false);
  return a;
}

void RegistryPanel::Act(const KeyAction& a, const Registry& reg, Ms now, UiState& ui) {
  if (a.step != 0) {
    if (const std::string next = neighbour(reg, ui.selectedStore, a.step); !next.empty()) ui.select(next);
  }
  if (a.open && !ui.selectedStore.empty()) {
    ui.show.storeDetail = true;
    ui.request = Request::focus("Store");
  }
  if (a.copy) {
    if (const auto key = reg.keyOf(ui.selectedStore)) {
      ImGui::SetClipboardText(storeRowJson(reg.stores()[*key], now).dump(2).c_str());
      copied = ui.selectedStore;
      ui.notice = "copied " + copied + " as JSON";
    }
  }
}

}  // namespace si::gui
