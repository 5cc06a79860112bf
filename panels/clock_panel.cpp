#include "clock_panel.hpp"

#include <algorithm>

#include "widgets.hpp"

namespace si::gui {

std::string PlayModeText(const Host& host) {
  if (host.viewingPast()) return "viewing the past: time moves only at now (Escape: back to now)";
  if (host.followingApps()) return "following the connected apps: their messages move the clock, Play is off until they have gone";
  const Scenario* sc = host.scenario();
  if (sc != nullptr && host.scenarioNext() < sc->steps.size() && !host.followScenario())
    return "free time: the scenario's results no longer describe what you play (untick \"free time\" to follow it)";
  if (sc != nullptr && host.scenarioNext() < sc->steps.size())
    return "Play runs the scenario's steps, each at its own time (step " + std::to_string(host.scenarioNext()) + " of " +
           std::to_string(sc->steps.size()) + " next)";
  if (sc != nullptr) return "free time: the scenario has ended, time played now is not part of it";
  return "Play advances the virtual clock with real time";
}

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

void ClockPanel::Draw(const char* title, bool* open, Host& host) {
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.session().registry();
  const Ms now = host.displayNow();
  ImGui::Text("t = %lld ms", static_cast<long long>(now));
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", formatClock(now).c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(host.viewingPast() && !host.playing());
  const bool toggle = Button(host.playing() ? "Pause" : "Play");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", PlayModeText(host).c_str());
  bool freeTime = !host.followScenario();
  bool freeTimeEdited = false;
  if (host.scenario() != nullptr) {
    ImGui::SameLine();
    freeTimeEdited = Checkbox("free time", &freeTime);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", PlayModeText(host).c_str());
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  float speed = host.speed();
  const bool speedEdited = ImGui::SliderFloat("speed", &speed, 0.1f, 100.0f, "%.1fx", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  const std::optional<Ms> due = reg.nextTimerDue();
  ImGui::BeginDisabled(!due || *due == kMaxMs);
  const bool next = Button("Next timer");
  ImGui::EndDisabled();
  if (due && *due != kMaxMs && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("advance to @%lld", static_cast<long long>(*due));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputInt("##stepMs", &stepMs, 100, 1000);
  stepMs = std::max(stepMs, 0);
  ImGui::SameLine();
  const bool stepBy = Button("Step ms");
  ImGui::SameLine();
  const bool reset = Button("Reset");
  if (const std::optional<Ms> cursor = host.timeCursor()) {
    ImGui::SameLine();
    ImGui::TextDisabled("cursor @%lld", static_cast<long long>(*cursor));
  }
  if (errorSerial != host.liveSerial()) lastError.clear();  // another file, Restart or a branch
  if (!lastError.empty()) ImGui::TextColored(stateColor(State::Failed), "%s", lastError.c_str());
  window.Close();

  if (toggle) host.setPlaying(!host.playing());
  if (speedEdited) host.setSpeed(speed);
  if (freeTimeEdited) host.setFollowScenario(!freeTime);
  errorSerial = host.liveSerial();
  if (next) lastError = StepToNextTimer(host);
  if (stepBy) lastError = host.execute(json{{"advance", stepMs}}).error;
  if (reset) {
    lastError.clear();
    host.restart();
  }
}

}  // namespace si::gui
