// Live panel (SPEC 11): listening for apps (the URL with its token, a copy button, the snippet
// to paste into an app) and one row per connected app: app, library, registry, messages,
// errors, skew, dropped messages, divergences and when it was last heard from. Clicking a row
// shows that app's registry in the Registry table and the timeline.
//
// Usage:
//   LivePanel live;
//   if (ui.show.live) live.Draw("Live", &ui.show.live, host, ui);
#pragma once
#include <string>

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct LivePanel {
  int port = 7071;            // the port Listen binds (0: any free port)
  int snippetLibrary = 0;     // 0: TanStack Query, 1: LiveStore

  void Draw(const char* title, bool* open, Host& host, UiState& ui);

 private:
  void DrawListen(Host& host, UiState& ui);
  void DrawConnections(Host& host, UiState& ui);
  void DrawSnippet(Host& host, UiState& ui);
};

}  // namespace si::gui
