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
  Checkbox("Timeline", &v.timeline);
  Checkbox("Alerts", &v.alerts);
  Checkbox("Clock", &v.clock);

  Section("Theme");
  const bool dark = DarkStyle();
  if (ImGui::RadioButton("dark", dark) && !dark) ui.request = Request::of(Request::Kind::UseDarkTheme);
  ImGui::SameLine();
  if (ImGui::RadioButton("light", !dark) && dark) ui.request = Request::of(Request::Kind::UseLightTheme);

  Section("Alerts");
  AlertThresholds thresholds = host.alertThresholds();
  int suspended = static_cast<int>(std::min<Ms>(thresholds.suspendedMs, 2000000000));
  // Narrow number fields, so the labels beside them are never cut off.
  ImGui::PushItemWidth(std::min(160.0f, ImGui::GetContentRegionAvail().x * 0.4f));
  if (ImGui::InputInt("suspended longer than (ms)", &suspended, 100, 1000)) thresholds.suspendedMs = std::max(0, suspended);
  int active = static_cast<int>(std::min<Ms>(thresholds.activeMs, 2000000000));
  if (ImGui::InputInt("ACTIVE longer than (ms)", &active, 1000, 60000)) thresholds.activeMs = std::max(0, active);
  ImGui::PopItemWidth();
  window.Close();

  if (thresholds != host.alertThresholds()) host.setAlertThresholds(thresholds);
  if (rerun) host.rerunUnder(policy, env);
}

}  // namespace si::gui
