#include "shell.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "exports.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace fs = std::filesystem;

namespace {

// io.KeysDown[] is indexed by the backend's native key codes; GLFW's codes for letters are
// their ASCII capitals, F5 is GLFW_KEY_F5.
constexpr int kKeyO = 'O', kKeyR = 'R', kKeyS = 'S', kKeyQ = 'Q';
constexpr int kKeyF5 = 294;
constexpr size_t kMaxRecent = 10;

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
    {"Escape", "Back to now (clear the time cursor)"},
    {"Wheel / drag", "Timeline: zoom around the mouse / pan; click sets the time cursor"},
    {"Ctrl+Q", "Quit"},
};

std::string baseName(const std::string& path) { return fs::path(path).filename().string(); }

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

// [SECTION] the Workbench mirrored into UiState

Shell::Shell(Workbench& wb, ShellOptions options) : wb_(wb), options_(std::move(options)) {
  wb_.onChange = [this] { pullUi(); };
  wb_.onOpened = [this](const std::string& path) { addRecent(path); };
  loadRecent();
  pullUi();
}

Shell::~Shell() {
  wb_.onChange = nullptr;
  wb_.onOpened = nullptr;
}

void Shell::syncUi() {
  if (ui.timeCursor != wb_.timeCursor()) wb_.setTimeCursor(ui.timeCursor);
  if (ui.playing != wb_.playing()) wb_.setPlaying(ui.playing);
  if (ui.speed != wb_.speed()) wb_.setSpeed(ui.speed);
  if (ui.fileErrors.empty() && !wb_.fileErrors().empty()) wb_.clearFileErrors();  // "Clear errors"
  pullUi();
}

void Shell::pullUi() {
  ui.timeCursor = wb_.timeCursor();
  ui.playing = wb_.playing();
  ui.speed = wb_.speed();
  if (wb_.fileErrorSerial() != fileErrorSerial_) {
    fileErrorSerial_ = wb_.fileErrorSerial();
    ui.fileErrors = wb_.fileErrors();
    if (!ui.fileErrors.empty()) ui.show.fileErrors = true;  // a file just failed: show why
  }
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
  if (themeApplied_ && themeDark_ == ui.darkTheme) return;
  themeApplied_ = true;
  themeDark_ = ui.darkTheme;
  if (ui.darkTheme) ImGui::StyleColorsDark();
  else ImGui::StyleColorsLight();
}

void Shell::handleShortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  auto pressed = [](int key) { return key >= 0 && key < 512 && ImGui::IsKeyPressed(key, false); };
  if (io.KeyCtrl) {
    if (pressed(kKeyO)) ui.show.fileBrowser = true;
    if (pressed(kKeyR)) wb_.reload();
    if (pressed(kKeyS)) openSaveDialog_ = true;
    if (pressed(kKeyQ)) quit_ = true;
  }
  if (pressed(kKeyF5)) wb_.reload();
  if (!io.WantTextInput && pressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) && !wb_.pendingBranchStep()) ui.timeCursor.reset();
  if (!io.WantTextInput && !io.KeyCtrl) {
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space))) ui.playing = !ui.playing;
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) clock.lastError = StepToNextTimer(wb_);
  }
}

void Shell::drawFileMenu() {
  if (!ImGui::BeginMenu("File")) return;
  if (ImGui::MenuItem("Open...", "Ctrl+O")) ui.show.fileBrowser = true;
  if (ImGui::BeginMenu("Open recent", !recentFiles.empty())) {
    for (const std::string& p : recentFiles) {
      if (ImGui::MenuItem(p.c_str())) ui.openRequest = p;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Clear list")) {
      recentFiles.clear();
      saveRecent();
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Open bundled example")) ui.openRequest = "\x01bundled";
  if (ImGui::MenuItem("Reload", "F5")) wb_.reload();
  if (ImGui::MenuItem("Reset session", "Ctrl+R")) wb_.reload();
  if (ImGui::MenuItem("Save session...", "Ctrl+S", false, journalSupported())) openSaveDialog_ = true;
  if (ImGui::MenuItem("Export events CSV...")) { exportKind_ = ExportKind::EventsCsv; openExport_ = true; }
  if (ImGui::MenuItem("Export timeline PNG...")) { exportKind_ = ExportKind::TimelinePng; openExport_ = true; }
  if (ImGui::MenuItem("Export as scenario...")) { exportKind_ = ExportKind::Scenario; openExport_ = true; }
  ImGui::Separator();
  if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
  ImGui::EndMenu();
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
    ImGui::MenuItem("Alerts", nullptr, &v.alerts);
    ImGui::MenuItem("File errors", nullptr, &v.fileErrors);
    ImGui::Separator();
    ImGui::MenuItem("Settings", nullptr, &v.settings);
    if (ImGui::MenuItem("Dark theme", nullptr, ui.darkTheme)) ui.darkTheme = !ui.darkTheme;
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
  const Registry& live = wb_.liveSession().registry();
  ImGui::Separator();
  if (wb_.viewingPast()) {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1), "viewing t = %lld ms (now %lld)", static_cast<long long>(now),
                       static_cast<long long>(live.now()));
    if (ImGui::MenuItem("Back to now")) ui.timeCursor.reset();
  } else {
    ImGui::Text("t = %lld ms", static_cast<long long>(now));
  }
  ImGui::TextDisabled("%s %.1fx", ui.playing ? "playing" : "paused", static_cast<double>(ui.speed));
  ImGui::Separator();
  const size_t alertCount = alerts.Count(wb_, ui);
  if (alertCount > 0) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.7f, 0.2f, 1));
  char label[48];
  std::snprintf(label, sizeof label, "Alerts (%zu)", alertCount);
  if (ImGui::MenuItem(label)) ui.show.alerts = true;
  if (alertCount > 0) ImGui::PopStyleColor();
  if (!ui.fileErrors.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, stateColor(State::Failed, ui.darkTheme));
    std::snprintf(label, sizeof label, "File errors (%zu)", ui.fileErrors.size());
    if (ImGui::MenuItem(label)) ui.show.fileErrors = true;
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
  const Document& doc = wb_.document();
  const std::string docName = doc.kind == DocumentKind::Bundled ? std::string("bundled example") : baseName(doc.path);
  ImGui::TextDisabled("%s: %s · policy %s · %s", kDocumentKindNames[static_cast<size_t>(doc.kind)], docName.c_str(),
                      std::string(toString(live.policy())).c_str(), std::string(toString(live.environment())).c_str());
}

void Shell::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  drawFileMenu();
  drawViewMenu();
  drawStatus();
  ImGui::EndMainMenuBar();
}

void Shell::drawShortcuts() {
  ImGui::SetNextWindowSize(ImVec2(460, 240), ImGuiCond_FirstUseEver);
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
  const std::string& doc = wb_.documentPath();
  const std::string stem = doc.empty() ? std::string("session") : fs::path(doc).stem().string();
  const std::string dir = doc.empty() ? std::string(".") : dirName(doc);
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
    ImGui::SetNextItemWidth(480);
    const bool enter = ImGui::InputText("##savePath", &savePath_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (!saveMessage_.empty()) ImGui::TextUnformatted(saveMessage_.c_str());
    if (Button("Save") || enter) {
      const bool saved = wb_.saveSession(savePath_);
      saveMessage_ = saved ? "saved " + savePath_ : wb_.fileErrors().back();
      if (saved) ImGui::CloseCurrentPopup();
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
    ImGui::SetNextItemWidth(480);
    const bool enter = ImGui::InputText("##exportPath", &exportPath_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (!exportMessage_.empty()) ImGui::TextUnformatted(exportMessage_.c_str());
    if (Button("Export##do") || enter) {
      const Status s = kExport[k](wb_, exportPath_);
      exportMessage_ = s ? "wrote " + exportPath_ : s.message();
      if (s) ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (Button("Cancel##export")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

// The flat list of panels (STYLE: one list in the view decides what is drawn), each followed by
// syncUi() so a cursor a panel set is what the next panel's session() shows.
void Shell::drawPanels() {
  // First-use layout as fractions of the display (positions persist in imgui.ini after that).
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  auto place = [&](float x, float y, float w, float h) {
    const float H = d.y - top;
    ImGui::SetNextWindowPos(ImVec2(d.x * x, top + H * y), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(d.x * w, H * h), ImGuiCond_FirstUseEver);
  };
  Workbench& h = wb_;
  PanelVisibility& v = ui.show;
  // Tiled without overlap: clock on top; registry, timeline and the lower row on the left;
  // store detail and scenario on the right.
  if (v.clock) { place(0.00f, 0.00f, 1.00f, 0.08f); clock.Draw("Clock", &v.clock, h, ui); syncUi(); }
  if (v.registry) { place(0.00f, 0.08f, 0.60f, 0.32f); registry.Draw("Registry", &v.registry, h, ui); syncUi(); }
  if (v.storeDetail) { place(0.60f, 0.08f, 0.40f, 0.54f); storeDetail.Draw("Store", &v.storeDetail, h, ui); syncUi(); }
  if (v.timeline) { place(0.00f, 0.40f, 0.60f, 0.24f); timeline.Draw("Timeline", &v.timeline, h, ui); syncUi(); }
  if (v.observers) { place(0.00f, 0.64f, 0.30f, 0.36f); observers.Draw("Observers", &v.observers, h, ui); syncUi(); }
  if (v.events) { place(0.30f, 0.64f, 0.30f, 0.20f); events.Draw("Events", &v.events, h, ui); syncUi(); }
  if (v.alerts) { place(0.30f, 0.84f, 0.30f, 0.16f); alerts.Draw("Alerts", &v.alerts, h, ui); syncUi(); }
  if (v.scenario) { place(0.60f, 0.62f, 0.40f, 0.38f); scenarioPanel.Draw("Scenario", &v.scenario, h, ui); syncUi(); }
  if (v.comparison) { place(0.10f, 0.10f, 0.80f, 0.70f); comparison.Draw("Policy comparison", &v.comparison, h, ui); syncUi(); }
  if (v.settings) { settings.Draw("Settings", &v.settings, h, ui); syncUi(); }
  if (v.fileBrowser) fileBrowser.Draw("Open file", &v.fileBrowser, ui);
  if (v.fileErrors) { fileErrors.Draw("File errors", &v.fileErrors, ui); syncUi(); }
  if (v.shortcuts) drawShortcuts();
  if (v.imguiDemo) ImGui::ShowDemoWindow(&v.imguiDemo);
}

void Shell::Draw() {
  syncUi();  // edits made between frames (tests, the drop callback)
  ApplyTheme();
  handleShortcuts();
  drawMenuBar();
  syncUi();
  drawPanels();
  drawSaveDialog();
  drawBranchDialog();
  drawExportDialog();
  syncUi();

  // Deferred application commands.
  if (!ui.openRequest.empty()) {
    const std::string path = std::move(ui.openRequest);
    ui.openRequest.clear();
    if (path == "\x01bundled") wb_.openBundled();
    else wb_.open(path);
  }
}

}  // namespace si::gui
