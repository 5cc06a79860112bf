#include "settings_panel.hpp"

#include <algorithm>

#include "widgets.hpp"

namespace si::gui {
namespace {

// ImGui 1.86 has no SeparatorText.
void Section(const char* name) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", name);
  ImGui::Separator();
}

}  // namespace

void SettingsPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  ImGui::SetNextWindowSize(ImVec2(420, 420), ImGuiCond_FirstUseEver);
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.session().registry();
  Policy policy = reg.policy();
  Environment env = reg.environment();
  bool rerun = false;

  Section("Registry");
  const bool comboOpen = ImGui::BeginCombo("GC policy", std::string(toString(policy)).c_str());
  if (!comboOpen) NoteItem("GC policy");  // while open, the last item is inside the popup
  if (comboOpen) {
    for (Policy p : kAllPolicies) {
      if (Selectable(std::string(toString(p)).c_str(), p == policy) && p != policy) {
        policy = p;
        rerun = true;
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  HelpMarker("longest: max of every request (RFC, TanStack Query)\nfirst: the creating request (LiveStore 0.4)\n"
             "last: the most recent request\nshortest: min of every request\n\n"
             "Switching replays this session's command log under the new policy.");
  for (Environment e : {Environment::Browser, Environment::Ssr}) {
    if (ImGui::RadioButton(std::string(toString(e)).c_str(), env == e) && env != e) {
      env = e;
      rerun = true;
    }
    ImGui::SameLine();
  }
  ImGui::TextDisabled("environment (default gcTime %s)", toString(environmentDefaultGcTime(env)).c_str());

  Section("Panels");
  PanelVisibility& v = ui.show;
  Checkbox("Registry", &v.registry);
  Checkbox("Store", &v.storeDetail);
  Checkbox("Observers", &v.observers);
  Checkbox("Scenario", &v.scenario);
  Checkbox("Events", &v.events);
  Checkbox("Alerts", &v.alerts);
  Checkbox("Clock", &v.clock);

  Section("Theme");
  if (ImGui::RadioButton("dark", ui.darkTheme)) ui.darkTheme = true;
  ImGui::SameLine();
  if (ImGui::RadioButton("light", !ui.darkTheme)) ui.darkTheme = false;

  Section("Alerts");
  int suspended = static_cast<int>(ui.suspendedAlertMs);
  if (ImGui::InputInt("suspended longer than (ms)", &suspended, 100, 1000)) ui.suspendedAlertMs = std::max(0, suspended);
  int active = static_cast<int>(std::min<Ms>(ui.activeAlertMs, 2000000000));
  if (ImGui::InputInt("ACTIVE longer than (ms)", &active, 1000, 60000)) ui.activeAlertMs = std::max(0, active);
  window.Close();

  if (rerun) host.rerunUnder(policy, env);
}

}  // namespace si::gui
