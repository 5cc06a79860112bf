#include "harness.hpp"

#include <stdexcept>

namespace si::gui::test {

Harness* Harness::current_ = nullptr;

Harness::Harness() {
  ctx_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(ctx_);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1600, 1000);
  io.DeltaTime = 1.0f / 60.0f;
  io.IniFilename = nullptr;  // tests never read or write a layout
  io.KeyMap[ImGuiKey_Space] = kKeySpace;
  io.KeyMap[ImGuiKey_RightArrow] = kKeyRight;
  io.KeyMap[ImGuiKey_A] = kKeyA;
  io.KeyMap[ImGuiKey_Backspace] = 259;
  io.KeyMap[ImGuiKey_Enter] = 257;
  io.KeyMap[ImGuiKey_Escape] = 256;
  io.KeyMap[ImGuiKey_DownArrow] = kKeyDown;
  io.KeyMap[ImGuiKey_UpArrow] = kKeyUp;
  io.KeyMap[ImGuiKey_PageDown] = 267;
  io.KeyMap[ImGuiKey_PageUp] = 266;
  io.KeyMap[ImGuiKey_KeyPadEnter] = 335;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas: NewFrame needs it
  wb_ = std::make_unique<Workbench>();
  shell_ = std::make_unique<Shell>(*wb_, ShellOptions{""});
  current_ = this;
  g_itemHook = &Harness::hook;
}

Harness::~Harness() {
  g_itemHook = nullptr;
  current_ = nullptr;
  shell_.reset();
  wb_.reset();
  ImGui::DestroyContext(ctx_);
}

void Harness::hook(const char* window, const char* label, ImVec2 min, ImVec2 max) {
  if (current_ == nullptr) return;
  const ItemRect r{min, max, ImGui::IsItemVisible()};
  current_->items_[std::string(window) + '\x1f' + label] = r;
  current_->anyWindow_[label] = r;
}

void Harness::frame(int count) {
  for (int i = 0; i < count; ++i) {
    items_.clear();
    anyWindow_.clear();
    ImGui::NewFrame();
    for (const Placement& p : pending_) {
      if (p.place) {
        ImGui::SetWindowPos(p.window.c_str(), p.pos);
        ImGui::SetWindowSize(p.window.c_str(), p.size);
      }
      ImGui::SetWindowFocus(p.window.c_str());
    }
    pending_.clear();
    shell_->Draw();
    ImGui::Render();
    ImGui::GetIO().ClearInputCharacters();
  }
}

bool Harness::has(const std::string& window, const std::string& label) const {
  return window.empty() ? anyWindow_.count(label) > 0 : items_.count(window + '\x1f' + label) > 0;
}

ItemRect Harness::rect(const std::string& window, const std::string& label) const {
  const auto& m = window.empty() ? anyWindow_ : items_;
  auto it = m.find(window.empty() ? label : window + '\x1f' + label);
  if (it == m.end()) throw std::runtime_error("no widget \"" + label + "\" in window \"" + window + "\"");
  return it->second;
}

void Harness::show(const std::string& window, ImVec2 pos, ImVec2 size) {
  pending_.push_back({window, pos, size, true});
  frame(2);
}

void Harness::click(const std::string& window, const std::string& label) {
  if (!window.empty()) {
    pending_.push_back({window, ImVec2(), ImVec2(), false});  // bring it to the front
    frame();
  }
  if (!has(window, label)) frame();
  const ItemRect r = rect(window, label);
  if (!r.visible) {
    throw std::runtime_error("widget \"" + label + "\" in \"" + window + "\" is clipped (at " +
                             std::to_string(r.min.x) + "," + std::to_string(r.min.y) + ")");
  }
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2((r.min.x + r.max.x) * 0.5f, (r.min.y + r.max.y) * 0.5f);
  frame();  // hover
  io.MouseDown[0] = true;
  frame();  // press
  io.MouseDown[0] = false;
  frame();  // release: the click fires
  frame();  // the panel acted after its widgets; draw the result once
}

void Harness::type(const std::string& window, const std::string& label, const std::string& text) {
  click(window, label);
  ImGuiIO& io = ImGui::GetIO();
  io.KeyCtrl = true;
  io.KeysDown[kKeyA] = true;
  frame();
  io.KeysDown[kKeyA] = false;
  io.KeyCtrl = false;
  frame();
  if (text.empty()) {
    io.KeysDown[259] = true;  // Backspace deletes the selection
    frame();
    io.KeysDown[259] = false;
  } else {
    io.AddInputCharactersUTF8(text.c_str());
  }
  frame(2);
}

void Harness::press(int key, bool ctrl) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyCtrl = ctrl;
  io.KeysDown[key] = true;
  frame();
  io.KeysDown[key] = false;
  io.KeyCtrl = false;
  frame();
}

}  // namespace si::gui::test
