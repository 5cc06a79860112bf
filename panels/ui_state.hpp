// The one piece of UI state shared between panels (STYLE: cross-panel navigation goes through
// one small UiState). Panels never call each other: selecting a store in one panel sets
// `selectedStore`, and every panel reads it on its next Draw.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

namespace si::gui {

// Which panels the view draws (the flat list in app/shell.cpp reads these).
struct PanelVisibility {
  bool registry = true;
  bool storeDetail = true;
  bool observers = true;
  bool scenario = true;
  bool events = true;
  bool alerts = true;
  bool clock = true;
  bool settings = false;
  bool fileBrowser = false;
  bool timeline = true;
  bool comparison = false;
  bool commandLog = false;
  bool live = false;         // File > Listen for apps opens it
  bool fileErrors = false;   // opened by the app whenever a file fails to load
  bool shortcuts = false;
  bool imguiDemo = false;
};

// What a panel or the menu asks the Shell to do after the frame's widgets are drawn (opening a
// file replaces the session the panels are iterating; a theme switch restyles every window).
struct Request {
  enum class Kind : uint8_t { None, OpenPath, OpenBundled, UseDarkTheme, UseLightTheme, FocusPanel };
  Kind kind = Kind::None;
  std::string path;  // OpenPath: the file; FocusPanel: the panel's title
  static Request open(std::string p) { return {Kind::OpenPath, std::move(p)}; }
  static Request of(Kind k) { return {k, {}}; }
  static Request focus(std::string title) { return {Kind::FocusPanel, std::move(title)}; }
};

// Navigation only: what is selected and which panels are shown. The time cursor, the clock, the
// alert thresholds and the file errors belong to the application (Host); the theme to the Shell.
struct UiState {
  std::string selectedStore;            // storeId selected everywhere ("" = none)
  uint64_t selectionSerial = 0;         // bumped on every selection: panels scroll it into view
  PanelVisibility show;
  long registryFilter = -1;             // the registry the Registry table and timeline show; -1 = all
  Request request;                      // at most one per frame; the latest wins
  std::string notice;                   // a confirmation for the status line ("copied ...", "saved ...")

  void select(const std::string& storeId) {
    selectedStore = storeId;
    ++selectionSerial;
  }
};

}  // namespace si::gui
