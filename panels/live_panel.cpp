#include "live_panel.hpp"

#include <algorithm>

#include "live_listener.hpp"
#include "live_rows.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace {

// Dimmed text that wraps at the panel's edge instead of running past it.
void DisabledWrapped(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

std::string ago(const std::optional<double>& seconds) {
  if (!seconds) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f s ago", *seconds);
  return b;
}

}  // namespace

void LivePanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  DrawListen(host, ui);
  DrawConnections(host, ui);
  DrawSnippet(host, ui);
}

void LivePanel::DrawListen(Host& host, UiState& ui) {
  const LiveListener& l = host.listener();
  if (!l.listening()) {
    ImGui::TextUnformatted("Not listening. Apps with the bridge connect to this window once it listens.");
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("port", &port, 0);
    port = std::clamp(port, 0, 65535);
    ImGui::SameLine();
    if (Button("Listen")) host.startListening(static_cast<uint16_t>(port));
    return;
  }
  std::string url = l.url();
  ImGui::TextUnformatted("Listening on");
  ImGui::SetNextItemWidth(std::max(200.0f, ImGui::GetContentRegionAvail().x - ButtonWidth("Copy URL") - ButtonWidth("Stop") - 16));
  InputText("##liveUrl", &url, ImGuiInputTextFlags_ReadOnly);
  ImGui::SameLine();
  if (Button("Copy URL")) {
    ImGui::SetClipboardText(url.c_str());
    ui.notice = "copied the listen URL (with its token)";
  }
  ImGui::SameLine();
  if (Button("Stop")) {
    host.stopListening();
    ui.notice = "stopped listening: connected apps were ended";
  }
  const live::ServerCounters& c = l.server()->counters();
  DisabledWrapped(std::to_string(c.accepted) + " accepted · refused: " + std::to_string(c.refused401) +
                  " wrong token, " + std::to_string(c.refused403) + " other Origin, " +
                  std::to_string(c.refusedOther) + " other · " + std::to_string(l.invalidMessages()) +
                  " bad messages");
  if (!l.lastInvalid().empty()) DisabledWrapped("last bad message: " + l.lastInvalid());
  if (host.followingApps()) ImGui::TextColored(ImVec4(0.4f, 0.85f, 0.4f, 1), "the clock follows the connected apps");
}

// How to connect an app: open until the first app has connected (ImGui then keeps the user's choice).
void LivePanel::DrawSnippet(Host& host, UiState& ui) {
  const LiveListener& l = host.listener();
  if (!l.listening()) return;
  const bool none = l.server()->counters().accepted == 0;
  if (!ImGui::CollapsingHeader("Connect an app", none ? ImGuiTreeNodeFlags_DefaultOpen : 0)) return;
  ImGui::RadioButton("TanStack Query", &snippetLibrary, 0);
  ImGui::SameLine();
  ImGui::RadioButton("LiveStore", &snippetLibrary, 1);
  ImGui::SameLine();
  const std::string snippet = bridgeSnippet(snippetLibrary == 1 ? "livestore" : "tanstack-query", l.url());
  if (Button("Copy snippet")) {
    ImGui::SetClipboardText(snippet.c_str());
    ui.notice = "copied the bridge snippet";
  }
  DisabledWrapped(snippet);
}

void LivePanel::DrawConnections(Host& host, UiState& ui) {
  const LiveListener& l = host.listener();
  const std::vector<LiveRow> rows =
      buildLiveRows(live::driverOf(host.liveSession()), l.server(), l.base(), std::chrono::steady_clock::now());
  ImGui::TextUnformatted(liveSummary(rows).c_str());
  if (l.ignoredMessages() > 0)
    DisabledWrapped(std::to_string(l.ignoredMessages()) +
                    " messages from apps connected before this file was opened were ignored");
  const float tableHeight = ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(std::min<size_t>(rows.size(), 6) + 2);
  if (rows.empty() || !ImGui::BeginTable("live", 11, kDataTableFlags, ImVec2(0, tableHeight))) return;
  SetupTable({{"#"}, {"app"}, {"library"}, {"registry"}, {"messages"}, {"errors"}, {"skew"}, {"dropped"},
              {"divergences"}, {"last message"}, {"state"}});
  std::optional<RegistryIndex> show;
  for (const LiveRow& r : rows) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    const std::string label = std::to_string(r.connection) + "##live" + std::to_string(r.connection);
    if (Selectable(label.c_str(), ui.registryFilter == static_cast<long>(r.registryIndex),
                   ImGuiSelectableFlags_SpanAllColumns))
      show = r.registryIndex;
    const std::string lib = r.libraryVersion.empty() ? r.library : r.library + " " + r.libraryVersion;
    const std::string cells[] = {r.app, lib, r.registry, std::to_string(r.messages), std::to_string(r.errors),
                                 std::to_string(r.skew), std::to_string(r.dropped), std::to_string(r.divergences),
                                 "t=" + std::to_string(r.lastT) + " (" + ago(r.secondsSinceLast) + ")",
                                 kLiveStateNames[static_cast<size_t>(r.state)]};
    for (size_t i = 0; i < std::size(cells); ++i) {
      ImGui::TableSetColumnIndex(static_cast<int>(i + 1));
      if (i == 7 && r.divergences > 0) ImGui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "%s", cells[i].c_str());
      else ImGui::TextUnformatted(cells[i].c_str());
    }
  }
  ImGui::EndTable();
  if (show) ui.registryFilter = static_cast<long>(*show);
}

}  // namespace si::gui
