#include "file_errors_panel.hpp"

#include "widgets.hpp"

namespace si::gui {

void FileErrorsPanel::Draw(const char* title, bool* open, Host& host) {
  PanelWindow window(title, open);
  if (!window) return;
  const std::vector<std::string>& errors = host.fileErrors();
  if (errors.empty()) ImGui::TextDisabled("No file errors.");
  ImGui::PushTextWrapPos(0);
  for (auto it = errors.rbegin(); it != errors.rend(); ++it) {
    ImGui::TextColored(stateColor(State::Failed), "%s", it->c_str());
  }
  ImGui::PopTextWrapPos();
  const bool clear = !errors.empty() && Button("Clear errors");
  window.Close();
  if (clear) host.clearFileErrors();
}

}  // namespace si::gui
