#include "command_log_panel.hpp"

#include <algorithm>

#include "widgets.hpp"

namespace si::gui {

Ms CommandLogPanel::timeAfter(const Session& s, size_t i) {
  const auto& log = s.commands();
  return i + 1 < log.size() ? log[i + 1].t : s.registry().now();
}

json CommandLogPanel::commandJson(const Host& host, size_t i) {
  const Session& s = host.liveSession();
  const Session::Command& c = s.commands().at(i);
  json j = {{"index", i}, {"t", c.t}, {"step", c.step()}};
  if (i < host.origins().size()) j["origin"] = kSourceKindNames[static_cast<size_t>(host.origins()[i].kind)];
  if (i < s.results().size()) {
    const StepResult& r = s.results()[i];
    j["ok"] = r.ok;
    if (!r.error.empty()) j["error"] = r.error;
    j["events"] = r.eventEnd - r.eventBegin;
  }
  return j;
}

void CommandLogPanel::DrawRow(const Host& host, size_t i, Clicks* c) {
  const Session& s = host.liveSession();
  const Session::Command& cmd = s.commands()[i];
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  char label[32];
  std::snprintf(label, sizeof label, "%zu", i);
  const bool on = selected == i || compared == i;
  if (Selectable(label, on, ImGuiSelectableFlags_SpanAllColumns)) {
    c->row = i;
    c->ctrl = ImGui::GetIO().KeyCtrl;
  }
  ImGui::TableSetColumnIndex(1);
  ImGui::Text("%lld", static_cast<long long>(cmd.t));
  ImGui::TableSetColumnIndex(2);
  const auto& origins = host.origins();
  if (i < origins.size()) {
    const Origin& o = origins[i];
    if (o.index >= 0) ImGui::Text("%s %ld", kSourceKindNames[static_cast<size_t>(o.kind)], o.index);
    else ImGui::TextUnformatted(kSourceKindNames[static_cast<size_t>(o.kind)]);
  }
  ImGui::TableSetColumnIndex(3);
  const std::string step = cmd.dump();
  ImGui::TextUnformatted(step.c_str());
  if (i >= s.results().size()) return;
  const StepResult& r = s.results()[i];
  ImGui::TableSetColumnIndex(4);
  ImGui::Text("%zu", r.eventEnd - r.eventBegin);
  ImGui::TableSetColumnIndex(5);
  if (r.ok) ImGui::TextDisabled("ok");
  else ImGui::TextColored(stateColor(State::Failed), "%s", r.error.empty() ? "failed" : r.error.c_str());
}

void CommandLogPanel::DrawTable(const Host& host, Clicks* c) {
  const size_t n = host.liveSession().commands().size();
  const ImVec2 size(0, compared ? ImGui::GetContentRegionAvail().y * 0.55f : 0);
  if (!ImGui::BeginTable("commands", 6, kDataTableFlags | ImGuiTableFlags_Resizable, size)) return;
  SetupTable({{"#"}, {"t"}, {"from"}, {"command", ImGuiTableColumnFlags_WidthStretch}, {"events"}, {"outcome"}});
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(n));
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) DrawRow(host, static_cast<size_t>(i), c);
  }
  if (followTail && n != followedCount) {
    followedCount = n;
    ImGui::SetScrollY(ImGui::GetScrollMaxY() + 1e6f);
  }
  ImGui::EndTable();
}

void CommandLogPanel::DrawDiff(const Session& s) {
  const auto& results = s.results();
  if (!selected || !compared || *selected >= results.size() || *compared >= results.size()) return;
  const size_t a = std::min(*selected, *compared), b = std::max(*selected, *compared);
  const RegistryDiff d = diffEvents(s.registry(), results[a].eventEnd, results[b].eventEnd);
  const std::string head = "After #" + std::to_string(a) + " -> after #" + std::to_string(b) + ": " +
                           std::to_string(d.events) + " events, " + std::to_string(d.stores.size()) + " stores changed";
  ImGui::TextUnformatted(head.c_str());
  NoteItem(head.c_str());
  if (d.stores.empty() || !ImGui::BeginTable("diff", 5, kDataTableFlags)) return;
  SetupTable({{"store", ImGuiTableColumnFlags_WidthStretch}, {"state"}, {"created"}, {"disposed"}, {"observers"}});
  for (const StoreChange& c : d.stores) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(c.storeId.c_str());
    ImGui::TableSetColumnIndex(1);
    if (c.before == c.after) ImGui::TextDisabled("%s", std::string(toString(c.after)).c_str());
    else ImGui::Text("%s -> %s", std::string(toString(c.before)).c_str(), std::string(toString(c.after)).c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::Text("%d", c.created);
    ImGui::TableSetColumnIndex(3);
    ImGui::Text("%d", c.disposed);
    ImGui::TableSetColumnIndex(4);
    ImGui::Text("+%d -%d", c.attached, c.detached);
  }
  ImGui::EndTable();
}

void CommandLogPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Session& s = host.liveSession();
  if (builtSerial != host.liveSerial()) {  // another session: the indices mean other commands
    builtSerial = host.liveSerial();
    selected.reset();
    compared.reset();
  }
  Clicks c;
  ImGui::Text("%zu commands", s.commands().size());
  ImGui::SameLine();
  ImGui::BeginDisabled(!selected);
  c.jump = Button("Jump to after it");
  ImGui::SameLine();
  c.copy = Button("Copy as JSON");
  ImGui::EndDisabled();
  ImGui::SameLine();
  Checkbox("follow", &followTail);
  ImGui::SameLine();
  ImGui::TextDisabled("Ctrl+click a second command to diff");
  DrawTable(host, &c);
  DrawDiff(s);
  const bool focused = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
  c.copy = c.copy || (focused && ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('C', false));
  window.Close();

  if (c.row) {
    if (c.ctrl && selected && *selected != *c.row) compared = c.row;
    else {
      selected = c.row;
      compared.reset();
    }
  }
  if (selected && *selected < s.commands().size()) {
    if (c.jump) host.setTimeCursor(timeAfter(s, *selected));
    if (c.copy) {
      ImGui::SetClipboardText(commandJson(host, *selected).dump(2).c_str());
      ui.notice = "copied command #" + std::to_string(*selected) + " as JSON";
    }
  }
}

}  // namespace si::gui
