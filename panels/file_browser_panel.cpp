#include "file_browser_panel.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "widgets.hpp"

namespace si::gui {
namespace fs = std::filesystem;

void FileBrowserPanel::List(double now) {
  // The selection survives a re-listing of the same folder (by name).
  const std::string keep = listedDir == directory && selected >= 0 && static_cast<size_t>(selected) < entries.size()
                               ? entries[static_cast<size_t>(selected)].name
                               : std::string();
  entries.clear();
  listError.clear();
  selected = -1;
  listedDir = directory;
  listedAt = now;
  std::error_code ec;
  for (fs::directory_iterator it(directory, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') continue;
    std::error_code ec2;
    const bool dir = it->is_directory(ec2);
    if (!dir && !showAll) {
      const std::string ext = p.extension().string();
      if (ext != ".json" && ext != ".sqlite") continue;
    }
    entries.push_back({name, dir});
  }
  if (ec) listError = directory + ": " + ec.message();
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.isDir != b.isDir ? a.isDir : a.name < b.name;
  });
  for (size_t i = 0; i < entries.size() && !keep.empty(); ++i) {
    if (entries[i].name == keep) selected = static_cast<int>(i);
  }
}

void FileBrowserPanel::Draw(const char* title, bool* open, UiState& ui) {
  if (directory.empty()) {
    std::error_code ec;
    directory = fs::current_path(ec).string();
  }
  PanelWindow window(title, open);
  if (!window) return;
  // Files saved meanwhile appear: the folder is read again every kRelistSeconds while shown.
  const double now = ImGui::GetTime();
  if (listedDir != directory || now - listedAt >= kRelistSeconds || now < listedAt) List(now);
  std::string go;  // directory to change to
  std::string openFile;
  if (Button("Up")) go = fs::path(directory).parent_path().string();
  ImGui::SameLine();
  ImGui::TextUnformatted(directory.c_str());
  if (ImGui::Checkbox("all files", &showAll)) listedDir.clear();
  if (!listError.empty()) ImGui::TextColored(stateColor(State::Failed), "%s", listError.c_str());

  if (ImGui::BeginChild("entries", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 1.3f), true)) {
    for (int i = 0; i < static_cast<int>(entries.size()); ++i) {
      const Entry& e = entries[static_cast<size_t>(i)];
      const std::string label = e.isDir ? "[dir] " + e.name : e.name;
      if (Selectable(label.c_str(), selected == i, ImGuiSelectableFlags_AllowDoubleClick)) {
        selected = i;
        pathInput = (fs::path(directory) / e.name).string();
        if (ImGui::IsMouseDoubleClicked(0)) {
          if (e.isDir) go = pathInput;
          else openFile = pathInput;
        }
      }
    }
  }
  ImGui::EndChild();
  ImGui::SetNextItemWidth(-70);
  const bool enter = ImGui::InputText("##path", &pathInput, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if (Button("Open") || enter) {
    std::error_code ec;
    if (fs::is_directory(pathInput, ec)) go = pathInput;
    else if (!pathInput.empty()) openFile = pathInput;
  }
  window.Close();

  if (!go.empty()) {
    directory = go;
    pathInput.clear();
  }
  if (!openFile.empty()) {
    ui.request = Request::open(openFile);
    *open = false;
  }
}

}  // namespace si::gui
