// The one piece of UI state shared between panels (STYLE: cross-panel navigation goes through
// one small UiState). Panels never call each other: selecting a store in one panel sets
// `selectedStore`, and every panel reads it on its next Draw.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "types.hpp"

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
  bool fileErrors = false;   // opened by the app whenever a file fails to load
  bool shortcuts = false;
  bool imguiDemo = false;
};

struct UiState {
  std::string selectedStore;            // storeId selected everywhere ("" = none)
  uint64_t selectionSerial = 0;         // bumped on every selection: panels scroll it into view
  // The instant every panel shows (time travel), set by clicking an event or the timeline;
  // nullopt (or a time at or after now) shows the live session.
  std::optional<Ms> timeCursor;
  PanelVisibility show;
  bool darkTheme = true;
  // Alert thresholds (virtual ms), editable in Settings.
  Ms suspendedAlertMs = 5000;           // an observer suspended longer than this is an alert
  Ms activeAlertMs = 10 * 60 * 1000;    // a store ACTIVE longer than this is an alert
  // Virtual clock, driven from real time by the app while playing.
  bool playing = false;
  float speed = 1.0f;                   // virtual ms per real ms, 0.1x .. 100x
  int stepMs = 100;                     // "step by N ms"
  // File errors (same text as the command line), newest last; shown in the error panel.
  std::vector<std::string> fileErrors;
  // A file the user asked to open (file browser, recent files, drag and drop); the app opens it
  // after the frame's widgets are drawn.
  std::string openRequest;

  void select(const std::string& storeId) {
    selectedStore = storeId;
    ++selectionSerial;
  }
};

}  // namespace si::gui
