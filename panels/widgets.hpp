// Small drawing helpers shared by the panels: state colours and badges, time formatting, and
// thin wrappers over the interactive widgets that report each item's rectangle to an optional
// test hook (tests/panel drives real mouse input onto widgets found by their label).
#pragma once
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "types.hpp"

namespace si::gui {

// ---- colours ----
ImVec4 stateColor(State s, bool dark = true);
ImU32 stateColorU32(State s, bool dark = true);
void StateBadge(State s, bool dark = true);  // coloured rounded label, e.g. [ACTIVE]
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

}  // namespace si::gui
