#include "file_errors_panel.hpp"

#include "widgets.hpp"

namespace si::gui {

void FileErrorsPanel::Draw(const char* title, bool* open, UiState& ui) {
  ImGui::SetNextWindowSize(ImVec2(640, 160), ImGuiCond_FirstUseEver);
  PanelWindow window(title, open);
  if (!window) return;
  if (ui.fileErrors.empty()) ImGui::TextDisabled("No file errors.");
  ImGui::PushTextWrapPos(0);
  for (auto it = ui.fileErrors.rbegin(); it != ui.fileErrors.rend(); ++it) {
    ImGui::TextColored(stateColor(State::Failed, ui.darkTheme), "%s", it->c_str());
  }
  ImGui::PopTextWrapPos();
  const bool clear = !ui.fileErrors.empty() && Button("Clear errors");
  window.Close();
  if (clear) ui.fileErrors.clear();
}

}  // namespace si::gui
