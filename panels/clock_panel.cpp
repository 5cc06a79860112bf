#include "clock_panel.hpp"

#include <algorithm>

#include "widgets.hpp"

namespace si::gui {

std::string StepToNextTimer(Host& host) {
  // Record any pending real-time advance first so "now" is what the user sees.
  host.flushClock();
  const Registry& reg = host.session().registry();
  const std::optional<Ms> due = reg.nextTimerDue();
  if (!due) return "no timer pending";
  if (*due == kMaxMs) return "the next timer never fires (Infinity)";
  const Ms n = std::max<Ms>(0, *due - reg.now());
  return host.execute(json{{"advance", n}}).error;
}

void ClockPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.session().registry();
  const Ms now = host.displayNow();
  ImGui::Text("t = %lld ms", static_cast<long long>(now));
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", formatClock(now).c_str());
  ImGui::SameLine();
  const bool toggle = Button(ui.playing ? "Pause" : "Play");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("speed", &ui.speed, 0.1f, 100.0f, "%.1fx", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  const std::optional<Ms> due = reg.nextTimerDue();
  ImGui::BeginDisabled(!due || *due == kMaxMs);
  const bool next = Button("Next timer");
  ImGui::EndDisabled();
  if (due && *due != kMaxMs && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("advance to @%lld", static_cast<long long>(*due));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputInt("##stepMs", &ui.stepMs, 100, 1000);
  ui.stepMs = std::max(ui.stepMs, 0);
  ImGui::SameLine();
  const bool stepBy = Button("Step ms");
  ImGui::SameLine();
  const bool reset = Button("Reset");
  if (ui.timeCursor) {
    ImGui::SameLine();
    ImGui::TextDisabled("cursor @%lld", static_cast<long long>(*ui.timeCursor));
  }
  if (!lastError.empty()) ImGui::TextColored(stateColor(State::Failed, ui.darkTheme), "%s", lastError.c_str());
  window.Close();

  if (toggle) ui.playing = !ui.playing;
  if (next) lastError = StepToNextTimer(host);
  if (stepBy) lastError = host.execute(json{{"advance", ui.stepMs}}).error;
  if (reset) {
    lastError.clear();
    host.restart();
  }
}

}  // namespace si::gui
