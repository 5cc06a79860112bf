// Small drawing helpers shared by the panels: state colours and badges, time formatting, and
// thin wrappers over the interactive widgets that report each item's rectangle to an optional
// test hook (tests/panel drives real mouse input onto widgets found by their label).
#pragma once
#include <initializer_list>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "types.hpp"

namespace si::gui {

// ---- colours ----
// Whether the current ImGui style is a dark one (its window background is dark): the theme is the
// Shell's, panels only need to know which colours stay legible on it.
bool DarkStyle();
// SameLine() when an item `width` pixels wide still fits on the current line, else a new line:
// rows of buttons and labels wrap instead of being clipped in a narrow panel.
void SameLineIfFits(float width);
// The width of a button with this label (text plus frame padding).
float ButtonWidth(const char* label);
ImVec4 stateColor(State s, bool dark = DarkStyle());
ImU32 stateColorU32(State s, bool dark = DarkStyle());
void StateBadge(State s, bool dark = DarkStyle());  // coloured rounded label, e.g. [ACTIVE]
void HelpMarker(const char* text);           // "(?)" with a tooltip

// ---- text ----
std::string formatMs(Ms ms);          // "12 345 ms" style with thin grouping: "12345 ms"
std::string formatSpan(Span s);       // "5000" or "Infinity"
std::string formatClock(Ms ms);       // "00:01:02.345"
std::string formatBytes(int64_t bytes);

// ---- test hook ----
// Called after each tracked widget with the current window's name, the widget's full label
// (including any "##id" suffix) and its screen rectangle. Null outside tests.
using ItemHook = void (*)(const char* window, const char* label, ImVec2 min, ImVec2 max);
extern ItemHook g_itemHook;
void NoteItem(const char* label);

// Tracked widgets (same behaviour as the ImGui functions of the same name).
bool Button(const char* label, ImVec2 size = ImVec2(0, 0));
bool SmallButton(const char* label);
bool Selectable(const char* label, bool selected, ImGuiSelectableFlags flags = 0,
                ImVec2 size = ImVec2(0, 0));
bool InputText(const char* label, std::string* text, ImGuiInputTextFlags flags = 0);
bool Checkbox(const char* label, bool* v);

// ---- windows and tables ----
// Owns Begin/End of one panel window (ImHex's idea: panels draw only their content):
//   PanelWindow w(title, open);
//   if (!w) return;           // collapsed or clipped: End() still runs in the destructor
// Commands captured while drawing run after the window closed: call Close() (or leave the
// scope) before executing them.
class PanelWindow {
 public:
  PanelWindow(const char* title, bool* open, ImGuiWindowFlags flags = 0);
  ~PanelWindow() { Close(); }
  PanelWindow(const PanelWindow&) = delete;
  PanelWindow& operator=(const PanelWindow&) = delete;
  explicit operator bool() const { return visible_; }
  void Close();  // End() now (once); the destructor then does nothing

 private:
  bool visible_ = false;
  bool ended_ = false;
};

// The columns of SetupTable: a header label and ImGui column flags.
struct TableColumn {
  const char* label;
  ImGuiTableColumnFlags flags = 0;
};
// Declares the columns, freezes the header row when asked, and draws the header.
void SetupTable(std::initializer_list<TableColumn> columns, bool freezeHeader = true);
// The flags of the scrolling, resizable data tables (events, observers).
constexpr ImGuiTableFlags kDataTableFlags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                            ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                            ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                            ImGuiTableFlags_SizingFixedFit;

}  // namespace si::gui
