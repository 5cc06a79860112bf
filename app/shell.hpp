// The window's side of the application, over a Workbench (workbench/workbench.hpp) that holds
// everything else: the menu bar, dialogs (save, export, branch), shortcuts, theme, first-use
// layout, recent files and the flat list of panels. app/gui.cpp wraps it in a GLFW + OpenGL
// main loop; the panel tests and the frame benchmark drive it in a headless ImGui context.
//
// The panels keep reading and writing the time cursor, the clock and the file errors in
// UiState; the Shell mirrors them: what a panel or shortcut changed goes to the Workbench after
// each panel (syncUi), and every change the Workbench makes comes back through wb.onChange.
//
// Usage:
//   Workbench wb;  Shell shell(wb, ShellOptions{.configDir = ""});  // "" = keep nothing on disk
//   wb.openBundled();  or  wb.open(path);
//   per frame: wb.tick(dt); ImGui::NewFrame(); shell.Draw(); ImGui::Render();
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "alerts_panel.hpp"
#include "clock_panel.hpp"
#include "comparison_panel.hpp"
#include "events_panel.hpp"
#include "file_browser_panel.hpp"
#include "file_errors_panel.hpp"
#include "observers_panel.hpp"
#include "registry_panel.hpp"
#include "scenario_panel.hpp"
#include "settings_panel.hpp"
#include "store_detail_panel.hpp"
#include "timeline_panel.hpp"
#include "ui_state.hpp"
#include "workbench.hpp"

namespace si::gui {

struct ShellOptions {
  std::string configDir;  // where recent files live ("" = keep nothing on disk)
};

// $XDG_CONFIG_HOME/store-inspector, else ~/.config/store-inspector ("" when neither is known).
std::string defaultConfigDir();

class Shell {
 public:
  explicit Shell(Workbench& wb, ShellOptions options = {});
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  void Draw();  // between ImGui::NewFrame() and ImGui::Render()
  bool quitRequested() const { return quit_; }
  void ApplyTheme();

  UiState ui;
  // The panels, in the order the view draws them.
  ClockPanel clock;
  RegistryPanel registry;
  StoreDetailPanel storeDetail;
  ObserversPanel observers;
  ScenarioPanel scenarioPanel;
  EventsPanel events;
  AlertsPanel alerts;
  SettingsPanel settings;
  FileBrowserPanel fileBrowser;
  FileErrorsPanel fileErrors;
  TimelinePanel timeline;
  ComparisonPanel comparison;
  std::vector<std::string> recentFiles;  // most recent first

 private:
  void syncUi();      // UiState edits (panels, shortcuts) -> Workbench, then pullUi()
  void pullUi();      // Workbench -> UiState (also on wb.onChange)
  void addRecent(const std::string& path);
  void loadRecent();
  void saveRecent() const;
  void handleShortcuts();
  void drawPanels();
  void drawMenuBar();
  void drawFileMenu();
  void drawViewMenu();
  void drawStatus();
  void drawShortcuts();
  void drawSaveDialog();
  void drawBranchDialog();
  void drawExportDialog();
  std::string defaultExportPath(const char* suffix) const;

  Workbench& wb_;
  ShellOptions options_;
  uint64_t fileErrorSerial_ = 0;  // the Workbench's list last copied into ui.fileErrors
  bool themeDark_ = true;
  bool themeApplied_ = false;
  bool quit_ = false;
  bool openSaveDialog_ = false;
  std::string savePath_;
  std::string saveMessage_;
  enum class ExportKind : uint8_t { EventsCsv, TimelinePng, Scenario };
  std::optional<ExportKind> exportKind_;
  bool openExport_ = false;
  std::string exportPath_;
  std::string exportMessage_;
};

}  // namespace si::gui
