#include "shell.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <system_error>

#include <imgui_internal.h>  // FindWindowByName: a panel's actual rectangle
#include <iterator>

#include "exports.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace fs = std::filesystem;

namespace {

// io.KeysDown[] is indexed by the backend's native key codes; GLFW's codes for letters are
// their ASCII capitals, F5 is GLFW_KEY_F5.
constexpr int kKeyO = 'O', kKeyR = 'R', kKeyS = 'S', kKeyQ = 'Q', kKeyL = 'L';
constexpr int kKeyF5 = 294;
constexpr size_t kMaxRecent = 10;
constexpr double kNoticeSeconds = 4.0;  // how long a confirmation stays in the status line

struct Shortcut {
  const char* keys;
  const char* what;
};
constexpr Shortcut kShortcuts[] = {
    {"Space", "Play / pause the virtual clock"},
    {"Right", "Step to the next timer (load completion or GC)"},
    {"Ctrl+O", "Open a config, scenario or journal"},
    {"Ctrl+R", "Reset: re-create the session from the file"},
    {"F5", "Reload the file (also automatic when it changes on disk)"},
    {"Ctrl+S", "Save the session as a journal (SQLite)"},
    {"Ctrl+L", "Listen for apps (live attach): show the URL to give the bridge"},
    {"Escape", "Back to now (clear the time cursor)"},
    {"Wheel / drag", "Timeline: zoom around the mouse / pan; click sets the time cursor"},
    {"Ctrl+Q", "Quit"},
};

std::string baseName(const std::string& path) { return fs::path(path).filename().string(); }

// A dialog's path field. It has the keyboard as the dialog opens, its suggestion selected: type
// a path (or keep it) and press Enter, without reaching for the mouse.
bool pathField(const char* id, std::string* path) {
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(480);
  return InputText(id, path, ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
}

// Panel titles and the flag that shows each (remembered with the layout).
struct PanelFlag {
  const char* title;
  bool PanelVisibility::*shown;
};
constexpr PanelFlag kPanelFlags[] = {
    {"Clock", &PanelVisibility::clock},         {"Registry", &PanelVisibility::registry},
    {"Store", &PanelVisibility::storeDetail},   {"Timeline", &PanelVisibility::timeline},
    {"Observers", &PanelVisibility::observers}, {"Events", &PanelVisibility::events},
    {"Alerts", &PanelVisibility::alerts},       {"Scenario", &PanelVisibility::scenario},
    {"Policy comparison", &PanelVisibility::comparison}, {"Settings", &PanelVisibility::settings},
    {"Command log", &PanelVisibility::commandLog}, {"Live", &PanelVisibility::live},
};

}  // namespace

std::string defaultConfigDir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/store-inspector";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.config/store-inspector";
  }
  return "";
}

// [SECTION] construction

Shell::Shell(Workbench& wb, ShellOptions options)
    : wb_(wb), options_(std::move(options)), layout_(WindowLayout::defaults()) {
  wb_.onOpened = [this](const std::string& path) { addRecent(path); };
  loadRecent();
  loadLayout();
  fileErrorSerial_ = wb_.fileErrorSerial();
}

Shell::~Shell() {
  wb_.onOpened = nullptr;
  saveLayout();  // fractions (never a wreck: see WindowLayout) and the open panels
}

// [SECTION] recent files

void Shell::addRecent(const std::string& path) {
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  const std::string p = ec ? path : abs.lexically_normal().string();
  recentFiles.erase(std::remove(recentFiles.begin(), recentFiles.end(), p), recentFiles.end());
  recentFiles.insert(recentFiles.begin(), p);
  if (recentFiles.size() > kMaxRecent) recentFiles.resize(kMaxRecent);
  saveRecent();
}

void Shell::loadRecent() {
  if (options_.configDir.empty()) return;
  std::ifstream in(options_.configDir + "/recent.txt");
  std::string line;
  while (std::getline(in, line) && recentFiles.size() < kMaxRecent) {
    if (!line.empty()) recentFiles.push_back(line);
  }
}

void Shell::saveRecent() const {
  if (options_.configDir.empty()) return;
  std::error_code ec;
  fs::create_directories(options_.configDir, ec);
  std::ofstream out(options_.configDir + "/recent.txt", std::ios::trunc);
  for (const std::string& p : recentFiles) out << p << '\n';
}

// [SECTION] view

void Shell::ApplyTheme() {
  if (themeApplied_ && themeDark_ == darkTheme_) return;
  themeApplied_ = true;
  themeDark_ = darkTheme_;
  if (darkTheme_) ImGui::StyleColorsDark();
  else ImGui::StyleColorsLight();
  // Opaque: a panel or pop-up over another must not show the other's text through its own.
  ImGuiStyle& style = ImGui::GetStyle();
  for (const ImGuiCol c : {ImGuiCol_WindowBg, ImGuiCol_PopupBg, ImGuiCol_MenuBarBg}) style.Colors[c].w = 1.0f;
}

void Shell::handleShortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  auto pressed = [](int key) { return key >= 0 && key < 512 && ImGui::IsKeyPressed(key, false); };
  if (io.KeyCtrl) {
    if (pressed(kKeyO)) ui.show.fileBrowser = true;
    if (pressed(kKeyR)) wb_.reload();
    if (pressed(kKeyS)) openSaveDialog_ = true;
    if (pressed(kKeyQ)) quit_ = true;
    if (pressed(kKeyL)) listenForApps();
  }
  if (pressed(kKeyF5)) wb_.reload();
  if (!io.WantTextInput && pressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) && !wb_.pendingBranchStep()) wb_.setTimeCursor(std::nullopt);
  if (!io.WantTextInput && !io.KeyCtrl) {
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space))) wb_.setPlaying(!wb_.playing());
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) clock.lastError = StepToNextTimer(wb_);
  }
}

void Shell::drawFileMenu() {
  if (!ImGui::BeginMenu("File")) return;
  if (ImGui::MenuItem("Open...", "Ctrl+O")) ui.show.fileBrowser = true;
  if (ImGui::BeginMenu("Open recent", !recentFiles.empty())) {
    for (const std::string& p : recentFiles) {
      if (ImGui::MenuItem(p.c_str())) ui.request = Request::open(p);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Clear list")) {
      recentFiles.clear();
      saveRecent();
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Open bundled example")) ui.request = Request::of(Request::Kind::OpenBundled);
  if (ImGui::MenuItem("Reload", "F5")) wb_.reload();
  if (ImGui::MenuItem("Reset session", "Ctrl+R")) wb_.reload();
  if (ImGui::MenuItem("Save session...", "Ctrl+S", false, journalSupported())) openSaveDialog_ = true;
  if (ImGui::MenuItem("Export events CSV...")) { exportKind_ = ExportKind::EventsCsv; openExport_ = true; }
  if (ImGui::MenuItem("Export timeline PNG...")) { exportKind_ = ExportKind::TimelinePng; openExport_ = true; }
  if (ImGui::MenuItem("Export as scenario...")) { exportKind_ = ExportKind::Scenario; openExport_ = true; }
  ImGui::Separator();
  if (ImGui::MenuItem("Listen for apps...", "Ctrl+L")) listenForApps();
  if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
  ImGui::EndMenu();
}

// File > Listen for apps (Ctrl+L): listen on the Live panel's port unless already listening,
// and show the panel with the URL to copy.
void Shell::listenForApps() {
  ui.show.live = true;
  focusPanel_ = "Live";
  if (!wb_.listener().listening() && wb_.startListening(static_cast<uint16_t>(live.port))) {
    ui.notice = "listening on " + wb_.listener().url();
    std::cout << ui.notice << std::endl;  // as `listen` prints it, for scripts that start the window
  }
}

void Shell::drawViewMenu() {
  if (ImGui::BeginMenu("View")) {
    PanelVisibility& v = ui.show;
    ImGui::MenuItem("Clock", nullptr, &v.clock);
    ImGui::MenuItem("Registry", nullptr, &v.registry);
    ImGui::MenuItem("Store", nullptr, &v.storeDetail);
    ImGui::MenuItem("Observers", nullptr, &v.observers);
    ImGui::MenuItem("Scenario", nullptr, &v.scenario);
    ImGui::MenuItem("Events", nullptr, &v.events);
    ImGui::MenuItem("Timeline", nullptr, &v.timeline);
    ImGui::MenuItem("Policy comparison", nullptr, &v.comparison);
    ImGui::MenuItem("Command log", nullptr, &v.commandLog);
    ImGui::MenuItem("Live", nullptr, &v.live);
    ImGui::MenuItem("Alerts", nullptr, &v.alerts);
    ImGui::MenuItem("File errors", nullptr, &v.fileErrors);
    ImGui::Separator();
    ImGui::MenuItem("Settings", nullptr, &v.settings);
    if (ImGui::MenuItem("Reset layout")) resetLayout();
    if (ImGui::MenuItem("Dark theme", nullptr, darkTheme_)) darkTheme_ = !darkTheme_;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Keyboard shortcuts", nullptr, &ui.show.shortcuts);
    ImGui::MenuItem("ImGui demo", nullptr, &ui.show.imguiDemo);
    ImGui::EndMenu();
  }
}

// Always visible: the virtual time, the clock state, the alert count and the document.
void Shell::drawStatus() {
  const Ms now = wb_.displayNow();
  const Registry& liveReg = wb_.liveSession().registry();
  ImGui::Separator();
  if (wb_.viewingPast()) {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1), "viewing t = %lld ms (now %lld)", static_cast<long long>(now),
                       static_cast<long long>(liveReg.now()));
    if (ImGui::MenuItem("Back to now")) wb_.setTimeCursor(std::nullopt);
  } else {
    ImGui::Text("t = %lld ms", static_cast<long long>(now));
  }
  const char* mode = wb_.viewingPast()       ? "paused (past)"
                     : wb_.followingApps() ? "following apps"
                     : !wb_.playing()      ? "paused"
                     : wb_.freeTime()      ? "playing"
                                           : "playing scenario";
  ImGui::TextDisabled("%s %.1fx", mode, static_cast<double>(wb_.speed()));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", PlayModeText(wb_).c_str());
  ImGui::Separator();
  const size_t alertCount = alerts.Count(wb_);
  if (alertCount > 0) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.7f, 0.2f, 1));
  char label[48];
  std::snprintf(label, sizeof label, "Alerts (%zu)", alertCount);
  if (ImGui::MenuItem(label)) ui.show.alerts = true;
  if (alertCount > 0) ImGui::PopStyleColor();
  if (!wb_.fileErrors().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, stateColor(State::Failed, darkTheme_));
    std::snprintf(label, sizeof label, "File errors (%zu)", wb_.fileErrors().size());
    if (ImGui::MenuItem(label)) ui.show.fileErrors = true;
    ImGui::PopStyleColor();
  }
  if (!ui.notice.empty()) {  // a new confirmation: shown for a few seconds
    notice_ = std::exchange(ui.notice, std::string());
    noticeUntil_ = ImGui::GetTime() + kNoticeSeconds;
  }
  if (!notice_.empty() && ImGui::GetTime() < noticeUntil_) {
    ImGui::Separator();
    ImGui::TextColored(ImVec4(0.4f, 0.85f, 0.4f, 1), "%s", notice_.c_str());
  }
  ImGui::Separator();
  const Document& doc = wb_.document();
  const std::string docName = doc.kind == DocumentKind::Bundled
                                  ? std::string(kDocumentKindNames[static_cast<size_t>(doc.kind)])
                                  : std::string(kDocumentKindNames[static_cast<size_t>(doc.kind)]) + ": " + baseName(doc.path);
  ImGui::TextDisabled("%s · policy %s · %s", docName.c_str(),
                      std::string(toString(liveReg.policy())).c_str(), std::string(toString(liveReg.environment())).c_str());
}

void Shell::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  drawFileMenu();
  drawViewMenu();
  drawStatus();
  ImGui::EndMainMenuBar();
}

void Shell::drawShortcuts() {
  if (!ImGui::Begin("Keyboard shortcuts", &ui.show.shortcuts)) {
    ImGui::End();
    return;
  }
  if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    for (const Shortcut& s : kShortcuts) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(s.keys);
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(s.what);
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("Space and Right are ignored while a text field has focus.");
  ImGui::End();
}

std::string Shell::defaultExportPath(const char* suffix) const {
  // Beside the document, but never into the installed assets (the bundled example's folder,
  // possibly read-only): the working directory then.
  const bool bundled = wb_.document().kind == DocumentKind::Bundled;
  const std::string& doc = wb_.documentPath();
  const std::string stem = doc.empty() ? std::string("session") : fs::path(doc).stem().string();
  const std::string dir = doc.empty() || bundled ? std::string(".") : dirName(doc);
  return dir + "/" + stem + suffix;
}

void Shell::drawSaveDialog() {
  if (openSaveDialog_) {
    openSaveDialog_ = false;
    if (savePath_.empty()) savePath_ = defaultExportPath("-session.sqlite");
    saveMessage_.clear();
    ImGui::OpenPopup("Save session");
  }
  if (ImGui::BeginPopupModal("Save session", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Write the command log, the events and the config to a SQLite journal:");
    const bool enter = pathField("##savePath", &savePath_);
    if (!saveMessage_.empty()) ImGui::TextUnformatted(saveMessage_.c_str());
    if (Button("Save") || enter) {
      const bool saved = wb_.saveSession(savePath_);
      saveMessage_ = saved ? "saved " + savePath_ : wb_.fileErrors().back();
      if (saved) {
        ui.notice = "saved the session to " + savePath_;
        ImGui::CloseCurrentPopup();
      }
    }
    ImGui::SameLine();
    if (Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

// Shown while a command waits for a branch (Workbench::feed in the past).
void Shell::drawBranchDialog() {
  constexpr const char* kTitle = "Branch from the past?";
  if (wb_.pendingBranchStep() && !ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  if (ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    const Ms t = wb_.timeCursor().value_or(0);
    ImGui::Text("You are viewing t = %lld ms. Acting here branches the session:", static_cast<long long>(t));
    ImGui::TextUnformatted("the command log is cut at this instant (later commands are dropped)\nand the action runs on the replayed state.");
    if (const auto& step = wb_.pendingBranchStep()) ImGui::TextDisabled("action: %s", step->dump().c_str());
    const bool branch = Button("Branch here");
    ImGui::SameLine();
    const bool cancel = Button("Cancel");
    if (branch || cancel) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    if (branch) wb_.branchAtCursor();
    if (cancel) wb_.cancelBranch();
  }
}

void Shell::drawExportDialog() {
  static constexpr const char* kTitles[] = {"Export events CSV", "Export timeline PNG", "Export as scenario"};
  static constexpr const char* kSuffix[] = {"-events.csv", "-timeline.png", "-scenario.json"};
  static constexpr Status (*kExport[])(Workbench&, const std::string&) = {exportEventsCsv, exportTimelinePng,
                                                                          exportScenario};
  if (openExport_ && exportKind_) {
    openExport_ = false;
    exportPath_ = defaultExportPath(kSuffix[static_cast<size_t>(*exportKind_)]);
    exportMessage_.clear();
    ImGui::OpenPopup("Export");
  }
  if (ImGui::BeginPopupModal("Export", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    const size_t k = static_cast<size_t>(exportKind_.value_or(ExportKind::EventsCsv));
    ImGui::TextUnformatted(kTitles[k]);
    const bool enter = pathField("##exportPath", &exportPath_);
    if (!exportMessage_.empty()) ImGui::TextUnformatted(exportMessage_.c_str());
    if (Button("Export##do") || enter) {
      const Status s = kExport[k](wb_, exportPath_);
      exportMessage_ = s ? "wrote " + exportPath_ : s.message();
      if (s) {
        ui.notice = "wrote " + exportPath_;
        ImGui::CloseCurrentPopup();
      }
    }
    ImGui::SameLine();
    if (Button("Cancel##export")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

// [SECTION] layout (panels/model/window_layout.hpp: fractions of the space under the menu bar)

Rect Shell::layoutSpace() const {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  return Rect{0, top, std::max(0.0f, d.x), std::max(0.0f, d.y - top)};
}

// Before a panel's Begin: its rectangle, when the layout places panels this frame.
void Shell::placePanel(const char* title) {
  // Every panel this frame places, or one drawn for the first time (its default tile).
  if (!placingNow_ && ImGui::FindWindowByName(title) != nullptr) return;
  const Rect space = layoutSpace();
  if (const std::optional<Rect> r = layout_.place(title, Rect{0, 0, space.w, space.h})) {
    ImGui::SetNextWindowPos(ImVec2(space.x + r->x, space.y + r->y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::max(r->w, 1.0f), std::max(r->h, 1.0f)), ImGuiCond_Always);
  }
}

// After a panel's End: learn a move or resize by the user.
void Shell::observePanel(const char* title) {
  const ImGuiWindow* w = ImGui::FindWindowByName(title);
  if (w == nullptr || placingNow_) return;
  const Rect space = layoutSpace();
  const Rect actual{w->Pos.x - space.x, w->Pos.y - space.y, w->SizeFull.x, w->SizeFull.y};
  layout_.observe(title, actual, Rect{0, 0, space.w, space.h});
}

void Shell::loadLayout() {
  if (options_.configDir.empty()) return;
  std::ifstream in(options_.configDir + "/layout.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (auto l = WindowLayout::fromJson(text)) layout_ = std::move(*l);
  for (const PanelFlag& f : kPanelFlags) {
    if (const auto it = layout_.shown.find(f.title); it != layout_.shown.end()) ui.show.*f.shown = it->second;
  }
}

void Shell::saveLayout() {
  if (options_.configDir.empty()) return;
  for (const PanelFlag& f : kPanelFlags) layout_.shown[f.title] = ui.show.*f.shown;
  std::error_code ec;
  fs::create_directories(options_.configDir, ec);
  std::ofstream(options_.configDir + "/layout.json", std::ios::trunc) << layout_.toJson() << '\n';
}

void Shell::resetLayout() {
  layout_ = WindowLayout::defaults();
}

// The flat list of panels (STYLE: one list in the view decides what is drawn), each placed by
// the layout before and observed after; a cursor a panel sets is what the next panel shows.
void Shell::drawPanels() {
  const Rect space = layoutSpace();
  placingNow_ = layout_.needsPlacing(Rect{0, 0, space.w, space.h});
  Workbench& h = wb_;
  PanelVisibility& v = ui.show;
  auto panel = [&](bool shown, const char* title, auto&& draw) {
    if (!shown) return;
    placePanel(title);
    if (focusPanel_ == title) {
      ImGui::SetNextWindowFocus();
      focusPanel_.clear();
    }
    draw();
    observePanel(title);
  };
  panel(v.clock, "Clock", [&] { clock.Draw("Clock", &v.clock, h); });
  panel(v.registry, "Registry", [&] { registry.Draw("Registry", &v.registry, h, ui); });
  panel(v.storeDetail, "Store", [&] { storeDetail.Draw("Store", &v.storeDetail, h, ui); });
  panel(v.timeline, "Timeline", [&] { timeline.Draw("Timeline", &v.timeline, h, ui); });
  panel(v.observers, "Observers", [&] { observers.Draw("Observers", &v.observers, h, ui); });
  panel(v.events, "Events", [&] { events.Draw("Events", &v.events, h, ui); });
  panel(v.alerts, "Alerts", [&] { alerts.Draw("Alerts", &v.alerts, h, ui); });
  panel(v.scenario, "Scenario", [&] { scenarioPanel.Draw("Scenario", &v.scenario, h, ui); });
  panel(v.comparison, "Policy comparison", [&] { comparison.Draw("Policy comparison", &v.comparison, h, ui); });
  panel(v.commandLog, "Command log", [&] { commandLog.Draw("Command log", &v.commandLog, h, ui); });
  panel(v.live, "Live", [&] { live.Draw("Live", &v.live, h, ui); });
  panel(v.settings, "Settings", [&] { settings.Draw("Settings", &v.settings, h, ui); });
  panel(v.fileBrowser, "Open file", [&] { fileBrowser.Draw("Open file", &v.fileBrowser, ui); });
  panel(v.fileErrors, "File errors", [&] { fileErrors.Draw("File errors", &v.fileErrors, h); });
  panel(v.shortcuts, "Keyboard shortcuts", [&] { drawShortcuts(); });
  if (v.imguiDemo) ImGui::ShowDemoWindow(&v.imguiDemo);
  if (placingNow_) layout_.placed(Rect{0, 0, space.w, space.h});
}

// What a window test reads (SI_WINDOW_STATE, app/gui.cpp): the clock, the selection, the
// scenario's totals and each open panel's rectangle, as the user sees them.
json Shell::describe() const {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  json panels = json::object();
  for (const PanelFlag& f : kPanelFlags) {
    const ImGuiWindow* w = ui.show.*f.shown ? ImGui::FindWindowByName(f.title) : nullptr;
    if (w != nullptr && w->WasActive) panels[f.title] = {w->Pos.x, w->Pos.y, w->Size.x, w->Size.y};
  }
  size_t passed = 0, failed = 0;
  for (const auto& r : wb_.scenarioResults()) {
    if (r) ++(r->ok ? passed : failed);
  }
  return json{{"display", {d.x, d.y}},
              {"menuBarHeight", ImGui::GetFrameHeight()},
              {"now", wb_.displayNow()},
              {"playing", wb_.playing()},
              {"viewingPast", wb_.viewingPast()},
              {"document", wb_.documentPath()},
              {"selected", ui.selectedStore},
              {"scenario", {{"next", wb_.scenarioNext()}, {"passed", passed}, {"failed", failed}}},
              {"live", {{"listening", wb_.listener().listening()}, {"url", wb_.listener().url()},
                        {"following", wb_.followingApps()}}},
              {"panels", panels}};
}

void Shell::Draw() {
  if (wb_.fileErrorSerial() != fileErrorSerial_) {  // a file just failed (or the list was cleared)
    fileErrorSerial_ = wb_.fileErrorSerial();
    if (!wb_.fileErrors().empty()) ui.show.fileErrors = true;
  }
  ApplyTheme();
  handleShortcuts();
  drawMenuBar();
  drawPanels();
  drawSaveDialog();
  drawBranchDialog();
  drawExportDialog();
  runRequest();
}

void Shell::runRequest() {
  const Request r = std::exchange(ui.request, Request{});
  switch (r.kind) {
    case Request::Kind::None: break;
    case Request::Kind::OpenPath: wb_.open(r.path); break;
    case Request::Kind::OpenBundled: wb_.openBundled(); break;
    case Request::Kind::UseDarkTheme: darkTheme_ = true; break;
    case Request::Kind::UseLightTheme: darkTheme_ = false; break;
    case Request::Kind::FocusPanel: focusPanel_ = r.path; break;
  }
}

}  // namespace si::gui
