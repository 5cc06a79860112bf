// The window's side of the application, over a Workbench (workbench/workbench.hpp) that holds
// everything else: the menu bar, dialogs (save, export, branch), shortcuts, theme, first-use
// layout, recent files and the flat list of panels. app/gui.cpp wraps it in a GLFW + OpenGL
// main loop; the panel tests and the frame benchmark drive it in a headless ImGui context.
//
// Panels read and change the time cursor, the clock and the file errors through Host (the
// Workbench); UiState carries only navigation and the typed requests the Shell runs after the
// frame (open a file, switch the theme).
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
#include "command_log_panel.hpp"
#include "comparison_panel.hpp"
#include "events_panel.hpp"
#include "file_browser_panel.hpp"
#include "file_errors_panel.hpp"
#include "live_panel.hpp"
#include "observers_panel.hpp"
#include "registry_panel.hpp"
#include "scenario_panel.hpp"
#include "settings_panel.hpp"
#include "store_detail_panel.hpp"
#include "timeline_panel.hpp"
#include "ui_state.hpp"
#include "window_layout.hpp"
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
  json describe() const;
  const std::string& notice() const { return notice_; }  // the status line's last confirmation  // the window's state for window tests (after a frame)
  void ApplyTheme();
  void resetLayout();  // View > Reset layout: the default tiles, fitted to the window now
  const WindowLayout& layout() const { return layout_; }
  bool darkTheme() const { return darkTheme_; }

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
  CommandLogPanel commandLog;
  LivePanel live;
  std::vector<std::string> recentFiles;  // most recent first

 private:
  void runRequest();  // ui.request, after the frame's widgets
  void listenForApps();
  void addRecent(const std::string& path);
  void loadRecent();
  void saveRecent() const;
  void handleShortcuts();
  void drawPanels();
  Rect layoutSpace() const;  // the display under the menu bar, in pixels
  void placePanel(const char* title);
  void observePanel(const char* title);
  void loadLayout();
  void saveLayout();
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
  uint64_t fileErrorSerial_ = 0;  // the Workbench's error list last seen (a new error opens the panel)
  bool darkTheme_ = true;
  WindowLayout layout_;
  std::string notice_;          // the status line's confirmation, until noticeUntil_ (ImGui time)
  double noticeUntil_ = 0;
  std::string focusPanel_;      // a panel to bring to the front next frame (Request::FocusPanel)
  bool placingNow_ = false;     // this frame places every panel from the layout
  bool themeDark_ = true;          // the theme last applied to ImGui's style
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
