// A headless ImGui context driving the real Workbench and Shell (no window, no GL): io.DisplaySize set, the font
// atlas built with GetTexDataAsRGBA32, and input given the 1.86 way (io.MousePos, io.MouseDown[],
// io.KeysDown[], io.AddInputCharactersUTF8) over several frames.
//
// Widgets are found by label: the panels' tracked widgets (panels/widgets.hpp) report each
// item's rectangle to si::gui::g_itemHook; the harness records them per frame, keyed by the
// root window's name and the full label ("Observers" / "Detach##p1").
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "shell.hpp"
#include "widgets.hpp"

namespace si::gui::test {

struct ItemRect {
  ImVec2 min, max;
  bool visible = true;  // not clipped when drawn
};

class Harness {
 public:
  Harness();
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  Workbench& wb() { return *wb_; }
  Shell& shell() { return *shell_; }
  // Draws one frame (NewFrame, Shell::Draw, Render) and records the items it drew.
  void frame(int count = 1);
  // Whether a tracked widget with this label was drawn in the last frame ("" window = any).
  bool has(const std::string& window, const std::string& label) const;
  ItemRect rect(const std::string& window, const std::string& label) const;
  // Moves the mouse onto the widget, presses and releases the left button (3 frames + 1).
  void click(const std::string& window, const std::string& label);
  // Clicks a text field, selects its content (Ctrl+A) and types `text`.
  void type(const std::string& window, const std::string& label, const std::string& text);
  // Places a window (by name) and brings it to the front in the next frame, so widgets low in a
  // panel are on screen and no other window covers them.
  void show(const std::string& window, ImVec2 pos, ImVec2 size);
  // Presses a key (io.KeysDown index) for one frame, with optional Ctrl.
  void press(int key, bool ctrl = false);

  static constexpr int kKeySpace = 32, kKeyRight = 262, kKeyA = 'A', kKeyDown = 264, kKeyUp = 265, kKeyEnter = 257;

 private:
  static void hook(const char* window, const char* label, ImVec2 min, ImVec2 max);
  ImGuiContext* ctx_ = nullptr;
  std::unique_ptr<Workbench> wb_;
  std::unique_ptr<Shell> shell_;  // over *wb_, destroyed first
  struct Placement {
    std::string window;
    ImVec2 pos, size;
    bool place = false;
  };
  std::vector<Placement> pending_;             // applied after the next NewFrame
  std::map<std::string, ItemRect> items_;      // "window\x1flabel" -> rect, this frame
  std::map<std::string, ItemRect> anyWindow_;  // label -> rect (last drawn)
  static Harness* current_;
};

}  // namespace si::gui::test
