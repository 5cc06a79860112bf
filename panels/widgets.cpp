#include "widgets.hpp"

#include <cinttypes>
#include <cstdio>

#include <imgui_internal.h>  // GetCurrentWindowRead: the root window name for the test hook

namespace si::gui {

ItemHook g_itemHook = nullptr;

// [SECTION] colours

void SameLineIfFits(float width) {
  const float lineEnd = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (lineEnd <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

float ButtonWidth(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

bool DarkStyle() {
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  return 0.299f * bg.x + 0.587f * bg.y + 0.114f * bg.z < 0.5f;
}

ImVec4 stateColor(State s, bool dark) {
  const float k = dark ? 1.0f : 0.75f;  // darker badges on the light theme keep the text legible
  switch (s) {
    case State::Loading: return ImVec4(0.95f * k, 0.75f * k, 0.10f * k, 1.0f);   // amber
    case State::Active: return ImVec4(0.20f * k, 0.75f * k, 0.30f * k, 1.0f);    // green
    case State::Inactive: return ImVec4(0.30f * k, 0.55f * k, 0.95f * k, 1.0f);  // blue
    case State::Failed: return ImVec4(0.90f * k, 0.20f * k, 0.20f * k, 1.0f);    // red
    case State::Disposed: return ImVec4(0.50f, 0.50f, 0.50f, 1.0f);              // grey
    case State::Absent: break;
  }
  return ImVec4(0.35f, 0.35f, 0.35f, 1.0f);
}

ImU32 stateColorU32(State s, bool dark) { return ImGui::ColorConvertFloat4ToU32(stateColor(s, dark)); }

void StateBadge(State s, bool dark) {
  const std::string_view name = toString(s);
  const ImVec2 pad(4, 1);
  const ImVec2 text = ImGui::CalcTextSize(name.data(), name.data() + name.size());
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 size(text.x + pad.x * 2, text.y + pad.y * 2);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), stateColorU32(s, dark), 3.0f);
  dl->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), IM_COL32(0, 0, 0, 255), name.data(),
              name.data() + name.size());
  ImGui::Dummy(size);
}

void HelpMarker(const char* text) {
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// [SECTION] text

std::string formatMs(Ms ms) { return std::to_string(ms) + " ms"; }

std::string formatSpan(Span s) { return toString(s); }

std::string formatClock(Ms ms) {
  const bool neg = ms < 0;
  uint64_t v = neg ? static_cast<uint64_t>(-(ms + 1)) + 1 : static_cast<uint64_t>(ms);
  const uint64_t msPart = v % 1000;
  v /= 1000;
  const uint64_t s = v % 60;
  v /= 60;
  const uint64_t m = v % 60;
  const uint64_t h = v / 60;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64,
                neg ? "-" : "", h, m, s, msPart);
  return buf;
}

std::string formatBytes(int64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%" PRId64 " B", bytes);
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  return buf;
}

// [SECTION] tracked widgets

void NoteItem(const char* label) {
  if (g_itemHook == nullptr) return;
  const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  g_itemHook(w != nullptr ? w->RootWindow->Name : "", label, ImGui::GetItemRectMin(),
             ImGui::GetItemRectMax());
}

bool Button(const char* label, ImVec2 size) {
  const bool r = ImGui::Button(label, size);
  NoteItem(label);
  return r;
}

bool SmallButton(const char* label) {
  const bool r = ImGui::SmallButton(label);
  NoteItem(label);
  return r;
}

bool Selectable(const char* label, bool selected, ImGuiSelectableFlags flags, ImVec2 size) {
  const bool r = ImGui::Selectable(label, selected, flags, size);
  NoteItem(label);
  return r;
}

bool InputText(const char* label, std::string* text, ImGuiInputTextFlags flags) {
  const bool r = ImGui::InputText(label, text, flags);
  NoteItem(label);
  return r;
}

bool Checkbox(const char* label, bool* v) {
  const bool r = ImGui::Checkbox(label, v);
  NoteItem(label);
  return r;
}

// [SECTION] windows and tables

PanelWindow::PanelWindow(const char* title, bool* open, ImGuiWindowFlags flags)
    : visible_(ImGui::Begin(title, open, flags)) {}

void PanelWindow::Close() {
  if (ended_) return;
  ended_ = true;
  visible_ = false;
  ImGui::End();
}

void SetupTable(std::initializer_list<TableColumn> columns, bool freezeHeader) {
  if (freezeHeader) ImGui::TableSetupScrollFreeze(0, 1);
  for (const TableColumn& c : columns) ImGui::TableSetupColumn(c.label, c.flags);
  ImGui::TableHeadersRow();
}

}  // namespace si::gui
