// File browser (File > Open): lists a folder with std::filesystem, shows configs, scenarios
// (.json) and journals (.sqlite); double-click or Open asks the app to open the file
// (UiState::openRequest). No dependency beyond the standard library.
//
// Usage:
//   FileBrowserPanel browser;
//   if (ui.show.fileBrowser) browser.Draw("Open file", &ui.show.fileBrowser, ui);
#pragma once
#include <string>
#include <vector>

#include "ui_state.hpp"

namespace si::gui {

struct FileBrowserPanel {
  std::string directory;     // folder listed ("" = the current directory on first draw)
  std::string pathInput;     // editable path box
  bool showAll = false;      // list every file, not only .json / .sqlite
  struct Entry {
    std::string name;
    bool isDir = false;
  };
  std::vector<Entry> entries;  // cached listing of `directory`
  std::string listedDir;       // directory `entries` belongs to
  double listedAt = 0;         // ImGui time of that listing
  static constexpr double kRelistSeconds = 1.0;
  std::string listError;
  int selected = -1;

  void Draw(const char* title, bool* open, UiState& ui);
  void List(double now);
};

}  // namespace si::gui
