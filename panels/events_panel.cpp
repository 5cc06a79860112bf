#include "events_panel.hpp"

#include "describe.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace {

ImVec4 kindColor(EventKind k) {
  switch (k) {
    case EventKind::LoadFailed:
    case EventKind::PreloadErrorSwallowed:
    case EventKind::StepFailed:
    case EventKind::ObserverOrphaned: return ImVec4(1.0f, 0.4f, 0.4f, 1);
    case EventKind::OptionsIgnored:
    case EventKind::GcDeferred:
    case EventKind::LoadAborted: return ImVec4(1.0f, 0.7f, 0.2f, 1);
    case EventKind::Disposed: return ImVec4(0.6f, 0.6f, 0.6f, 1);
    case EventKind::InstanceCreated:
    case EventKind::LoadSucceeded: return ImVec4(0.4f, 0.9f, 0.5f, 1);
    default: break;
  }
  return ImGui::GetStyleColorVec4(ImGuiCol_Text);
}

}  // namespace

void EventsPanel::Refresh(const Host& host, const UiState& ui) {
  const Registry& reg = host.liveSession().registry();
  const auto& events = reg.events();
  const std::string& selected = onlySelected ? ui.selectedStore : std::string();
  if (dirty || builtSession != host.liveSerial() || builtSelected != selected || watermark > events.size()) {
    rows.clear();
    watermark = 0;
    dirty = false;
    builtSession = host.liveSerial();
    builtSelected = selected;
  }
  std::optional<StoreKey> selKey;
  if (onlySelected) selKey = reg.keyOf(ui.selectedStore);
  for (size_t i = watermark; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!kinds[static_cast<size_t>(e.kind)]) continue;
    if (onlySelected && (!selKey || e.store != *selKey)) continue;
    if (!storeFilter.empty()) {
      if (e.store == kNoStore || reg.storeIdOf(e.store).find(storeFilter) == std::string::npos) continue;
    }
    rows.push_back(static_cast<uint32_t>(i));
  }
  watermark = events.size();
}

void EventsPanel::DrawFilters() {
  if (ImGui::Button("Kinds...")) ImGui::OpenPopup("kinds");
  if (ImGui::BeginPopup("kinds")) {
    if (ImGui::SmallButton("all")) { kinds.fill(true); dirty = true; }
    ImGui::SameLine();
    if (ImGui::SmallButton("none")) { kinds.fill(false); dirty = true; }
    for (int k = 0; k < kEventKindCount; ++k) {
      const std::string name(toString(static_cast<EventKind>(k)));
      if (ImGui::Checkbox(name.c_str(), &kinds[static_cast<size_t>(k)])) dirty = true;
    }
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(200);
  if (ImGui::InputTextWithHint("##store", "storeId filter", &storeFilter)) dirty = true;
  const float box = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
  SameLineIfFits(box + ImGui::CalcTextSize("selected store only").x);
  if (ImGui::Checkbox("selected store only", &onlySelected)) dirty = true;
  SameLineIfFits(box + ImGui::CalcTextSize("newest first").x);
  ImGui::Checkbox("newest first", &newestFirst);
  SameLineIfFits(box + ImGui::CalcTextSize("follow").x);
  ImGui::Checkbox("follow", &followTail);
}

void EventsPanel::DrawRow(const Registry& reg, const Event& e, const UiState& ui, Click* click) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  char seq[32];
  std::snprintf(seq, sizeof seq, "%llu", static_cast<unsigned long long>(e.seq));
  const bool isSel = e.store != kNoStore && reg.storeIdOf(e.store) == ui.selectedStore;
  if (ImGui::Selectable(seq, isSel, ImGuiSelectableFlags_SpanAllColumns)) {
    if (e.store != kNoStore) click->store = reg.storeIdOf(e.store);
    click->time = e.t;
  }
  ImGui::TableSetColumnIndex(1);
  ImGui::Text("%lld", static_cast<long long>(e.t));
  ImGui::TableSetColumnIndex(2);
  const std::string kind(toString(e.kind));
  ImGui::TextColored(kindColor(e.kind), "%s", kind.c_str());
  ImGui::TableSetColumnIndex(3);
  if (e.store != kNoStore) ImGui::Text("%s g%u", reg.storeIdOf(e.store).c_str(), e.generation);
  ImGui::TableSetColumnIndex(4);
  ImGui::TextUnformatted(e.observer.c_str());
  ImGui::TableSetColumnIndex(5);
  std::string detail;
  if (e.from != e.to) detail = std::string(toString(e.from)) + " -> " + std::string(toString(e.to)) + "  ";
  const json d = reg.detailJson(e);
  if (d.is_object() && !d.empty()) detail += d.dump();
  ImGui::TextUnformatted(detail.c_str());
}

void EventsPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.liveSession().registry();
  DrawFilters();
  Refresh(host, ui);
  ImGui::TextDisabled("%zu of %zu events", rows.size(), reg.events().size());
  if (rows.empty()) {
    ImGui::TextDisabled("No event matches.");
    return;
  }
  Click click;
  if (ImGui::BeginTable("events", 6, kDataTableFlags)) {
    SetupTable({{"seq"}, {"t (ms)"}, {"kind"}, {"store"}, {"observer"}, {"detail"}});
    const auto& events = reg.events();
    const size_t n = rows.size();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(n));
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
        const size_t idx = newestFirst ? n - 1 - static_cast<size_t>(r) : static_cast<size_t>(r);
        ImGui::PushID(static_cast<int>(rows[idx]));
        DrawRow(reg, events[rows[idx]], ui, &click);
        ImGui::PopID();
      }
    }
    // Follow the tail only when new rows arrived, so the user can scroll freely in between.
    if (followTail && followedCount != n) {
      followedCount = n;
      ImGui::SetScrollY(newestFirst ? 0.0f : ImGui::GetScrollMaxY() + 1e6f);
    }
    ImGui::EndTable();
  }
  window.Close();
  if (click.time) host.setTimeCursor(click.time);
  if (!click.store.empty()) ui.select(click.store);
}

}  // namespace si::gui
