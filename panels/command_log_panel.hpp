// Command log panel (what Redux DevTools users look for): every command the session executed,
// in order — scenario steps, buttons, the play clock, a journal's commands, live messages —
// with its time, where it came from, the events it caused and its outcome. Click a command to
// select it; "Jump" travels in time to just after it; select a second one (Ctrl+click) to see
// what changed in the registry between the two; Ctrl+C copies the selected command as JSON.
//
// Usage:
//   CommandLogPanel log;
//   if (ui.show.commandLog) log.Draw("Command log", &ui.show.commandLog, host, ui);
#pragma once
#include <optional>
#include <string>

#include "host.hpp"
#include "registry_diff.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct CommandLogPanel {
  std::optional<size_t> selected;  // the command clicked (index into the live log)
  std::optional<size_t> compared;  // a second one (Ctrl+click): the diff is between the two
  bool followTail = true;          // keep the newest command in view
  uint64_t builtSerial = ~0ull;    // Host::liveSerial() the selection belongs to
  size_t followedCount = 0;        // log length last scrolled to

  void Draw(const char* title, bool* open, Host& host, UiState& ui);

  // The time "just after" command i: when the next command began, or now after the last one.
  static Ms timeAfter(const Session& s, size_t i);
  // Command i as JSON: its index, time, origin, step and outcome (Copy as JSON).
  static json commandJson(const Host& host, size_t i);

 private:
  struct Clicks {
    std::optional<size_t> row;
    bool ctrl = false;
    bool jump = false, copy = false;
  };
  void DrawTable(const Host& host, Clicks* c);
  void DrawRow(const Host& host, size_t i, Clicks* c);
  void DrawDiff(const Session& s);
};

}  // namespace si::gui
