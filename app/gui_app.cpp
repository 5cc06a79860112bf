#include "gui_app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "widgets.hpp"

namespace si::gui {
namespace fs = std::filesystem;

namespace {

// io.KeysDown[] is indexed by the backend's native key codes; GLFW's codes for letters are
// their ASCII capitals, F5 is GLFW_KEY_F5.
constexpr int kKeyO = 'O', kKeyR = 'R', kKeyS = 'S', kKeyQ = 'Q';
constexpr int kKeyF5 = 294;
constexpr size_t kMaxRecent = 10;
constexpr double kMinRecordedAdvanceMs = 100.0;  // coalescing: virtual ms per idle advance
constexpr double kMinRecordRealSeconds = 0.1;    // and real time between idle advances

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

// [SECTION] documents

App::App(AppOptions options) : options_(std::move(options)) {
  // A valid (empty) session from the start, so the view always has something to show.
  session_ = std::make_unique<Session>(Config{});
  loadRecent();
}

App::~App() = default;

void App::addError(const std::string& message) {
  ui.fileErrors.push_back(message);
  if (ui.fileErrors.size() > 50) ui.fileErrors.erase(ui.fileErrors.begin());
  ui.show.fileErrors = true;
}

void App::adopt(Document doc) {
  auto fresh = std::make_unique<Session>(doc.config);
  session_ = std::move(fresh);
  ++sessionSerial_;
  ui.timeCursor.reset();
  branchStep_.reset();
  commandOrigin_.clear();
  scenarioNext_ = 0;
  scenarioResults_.assign(doc.scenario ? doc.scenario->steps.size() : 0, std::nullopt);
  pendingMs_ = 0;
  realSinceFlush_ = 0;
  doc_ = std::move(doc);
  for (const json& step : doc_.journalCommands) {
    session_->execute(step);
    commandOrigin_.resize(session_->commands().size(), -1);
  }
  snapshotWatched();
}

bool App::open(const std::string& path) {
  // A new file starts from its own policy and environment.
  Overrides none;
  auto doc = loadDocument(path, none);
  if (!doc) {
    addError(doc.message());
    return false;
  }
  overrides_ = none;
  adopt(std::move(*doc));
  addRecent(path);
  return true;
}

bool App::openBundled() {
  Overrides none;
  auto doc = loadBundledDocument(none);
  if (!doc) {
    addError(doc.message());
    return false;
  }
  overrides_ = none;
  adopt(std::move(*doc));
  return true;
}

bool App::reload() {
  auto doc = doc_.kind == DocumentKind::Bundled ? loadBundledDocument(overrides_)
                                                : loadDocument(doc_.path, overrides_);
  if (!doc) {
    addError(doc.message());
    snapshotWatched();  // do not retry the same broken file every poll
    return false;
  }
  adopt(std::move(*doc));
  return true;
}

void App::snapshotWatched() {
  watchedTimes_.clear();
  for (const std::string& p : doc_.watched) {
    std::error_code ec;
    watchedTimes_.push_back(fs::last_write_time(p, ec));
  }
}

void App::pollFileChanges(double realSeconds) {
  if (lastPoll_ >= 0 && realSeconds - lastPoll_ < 0.5) return;
  lastPoll_ = realSeconds;
  for (size_t i = 0; i < doc_.watched.size() && i < watchedTimes_.size(); ++i) {
    std::error_code ec;
    const auto t = fs::last_write_time(doc_.watched[i], ec);
    if (!ec && t != watchedTimes_[i]) {
      reload();
      return;
    }
  }
}

bool App::saveSession(const std::string& path) {
  flushClock();
  const Status s = saveJournal(*session_, path);
  if (!s) {
    addError(s.message());
    saveMessage_ = s.message();
    return false;
  }
  saveMessage_ = "saved " + path;
  return true;
}

void App::addRecent(const std::string& path) {
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  const std::string p = ec ? path : abs.lexically_normal().string();
  recentFiles.erase(std::remove(recentFiles.begin(), recentFiles.end(), p), recentFiles.end());
  recentFiles.insert(recentFiles.begin(), p);
  if (recentFiles.size() > kMaxRecent) recentFiles.resize(kMaxRecent);
  saveRecent();
}

void App::loadRecent() {
  if (options_.configDir.empty()) return;
  std::ifstream in(options_.configDir + "/recent.txt");
  std::string line;
  while (std::getline(in, line) && recentFiles.size() < kMaxRecent) {
    if (!line.empty()) recentFiles.push_back(line);
  }
}

void App::saveRecent() const {
  if (options_.configDir.empty()) return;
  std::error_code ec;
  fs::create_directories(options_.configDir, ec);
  std::ofstream out(options_.configDir + "/recent.txt", std::ios::trunc);
  for (const std::string& p : recentFiles) out << p << '\n';
}

// [SECTION] commands and clock

StepResult App::execute(const json& step) {
  if (viewingPast()) {
    // Acting in the past: ask first (Branch here / Cancel); the step runs after a branch.
    branchStep_ = step;
    openBranch_ = true;
    StepResult r;
    r.step = step;
    r.ok = false;
    r.t = *ui.timeCursor;
    r.error = "viewing the past (t=" + std::to_string(*ui.timeCursor) + "): branch the session here to act";
    return r;
  }
  flushClock();
  StepResult r = session_->execute(step);
  commandOrigin_.resize(session_->commands().size(), -1);
  return r;
}

void App::flushClock() {
  if (viewingPast()) return;
  const double whole = std::floor(pendingMs_);
  if (whole < 1.0) return;
  pendingMs_ -= whole;
  realSinceFlush_ = 0;
  session_->execute(json{{"advance", static_cast<Ms>(whole)}});
  commandOrigin_.resize(session_->commands().size(), -1);
}

Ms App::displayNow() const {
  if (viewingPast()) return viewSession().registry().now();
  return session_->registry().now() + static_cast<Ms>(std::floor(pendingMs_));
}

// [SECTION] time travel

bool App::viewingPast() const { return ui.timeCursor && *ui.timeCursor < session_->registry().now(); }

const Session& App::viewSession() const {
  if (travelSerial_ != sessionSerial_) {
    timeTravel_.reset();
    travelSerial_ = sessionSerial_;
    view_ = nullptr;
    viewedAt_.reset();
    ++viewSerial_;
  }
  if (!viewingPast()) {
    if (view_ != nullptr) {
      view_ = nullptr;
      viewedAt_.reset();
      ++viewSerial_;
    }
    return *session_;
  }
  if (view_ == nullptr || viewedAt_ != ui.timeCursor || viewedLog_ != session_->commands().size()) {
    view_ = &timeTravel_.at(*session_, *ui.timeCursor);
    viewedAt_ = ui.timeCursor;
    viewedLog_ = session_->commands().size();
    ++viewSerial_;
  }
  return *view_;
}

uint64_t App::sessionSerial() const {
  viewSession();  // brings viewSerial_ up to date
  return sessionSerial_ + viewSerial_;
}

void App::branchAtCursor() {
  if (!ui.timeCursor) return;
  const Ms t = *ui.timeCursor;
  const TimeTravel::Cut cut = TimeTravel::cutAt(*session_, t);
  const std::vector<json> steps = TimeTravel::stepsUntil(*session_, t);
  std::vector<long> origin(commandOrigin_.begin(), commandOrigin_.begin() + static_cast<long>(std::min(cut.commands, commandOrigin_.size())));
  auto fresh = std::make_unique<Session>(session_->config());
  for (const json& step : steps) fresh->execute(step);
  session_ = std::move(fresh);
  ++sessionSerial_;
  origin.resize(session_->commands().size(), -1);
  commandOrigin_ = std::move(origin);
  // Scenario steps after the cut are not run any more.
  long lastScenario = -1;
  for (long o : commandOrigin_) lastScenario = std::max(lastScenario, o);
  scenarioNext_ = static_cast<size_t>(lastScenario + 1);
  for (size_t i = scenarioNext_; i < scenarioResults_.size(); ++i) scenarioResults_[i].reset();
  pendingMs_ = 0;
  realSinceFlush_ = 0;
  ui.timeCursor.reset();
  if (branchStep_) {
    const json step = std::move(*branchStep_);
    branchStep_.reset();
    execute(step);
  }
}

void App::Tick(double realDtSeconds) {
  if (!ui.playing || realDtSeconds <= 0 || viewingPast()) return;
  const double speed = std::clamp(static_cast<double>(ui.speed), 0.1, 100.0);
  pendingMs_ += realDtSeconds * 1000.0 * speed;
  realSinceFlush_ += realDtSeconds;
  const double whole = std::floor(pendingMs_);
  if (whole < 1.0) return;
  const Registry& reg = session_->registry();
  const std::optional<Ms> due = reg.nextTimerDue();
  const bool timerDue = due && *due != kMaxMs && *due <= reg.now() + static_cast<Ms>(whole);
  if (timerDue || (whole >= kMinRecordedAdvanceMs && realSinceFlush_ >= kMinRecordRealSeconds)) flushClock();
}

void App::runScenarioUntil(size_t end) {
  if (!doc_.scenario) return;
  ui.timeCursor.reset();
  end = std::min(end, doc_.scenario->steps.size());
  flushClock();
  while (scenarioNext_ < end) {
    const size_t i = scenarioNext_++;
    StepResult r = session_->execute(doc_.scenario->steps[i]);
    commandOrigin_.resize(session_->commands().size(), static_cast<long>(i));
    scenarioResults_[i] = std::move(r);
  }
}

void App::rerunUnder(Policy policy, Environment environment) {
  ui.timeCursor.reset();
  flushClock();
  overrides_.policy = policy;
  overrides_.environment = environment;
  Config cfg = session_->config();
  cfg.policy = policy;
  cfg.environment = environment;
  const std::vector<Session::Command> commands = session_->commands();
  const std::vector<long> origin = commandOrigin_;
  session_ = std::make_unique<Session>(cfg);
  ++sessionSerial_;
  commandOrigin_.clear();
  for (auto& r : scenarioResults_) r.reset();
  for (size_t i = 0; i < commands.size(); ++i) {
    StepResult r = session_->execute(commands[i].step);
    const long o = i < origin.size() ? origin[i] : -1;
    commandOrigin_.resize(session_->commands().size(), o);
    if (o >= 0 && static_cast<size_t>(o) < scenarioResults_.size()) scenarioResults_[static_cast<size_t>(o)] = std::move(r);
  }
  doc_.config.policy = policy;
  doc_.config.environment = environment;
}

// [SECTION] view

void App::ApplyTheme() {
  if (themeApplied_ && themeDark_ == ui.darkTheme) return;
  themeApplied_ = true;
  themeDark_ = ui.darkTheme;
  if (ui.darkTheme) ImGui::StyleColorsDark();
  else ImGui::StyleColorsLight();
}

void App::handleShortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  auto pressed = [](int key) { return key >= 0 && key < 512 && ImGui::IsKeyPressed(key, false); };
  if (io.KeyCtrl) {
    if (pressed(kKeyO)) ui.show.fileBrowser = true;
    if (pressed(kKeyR)) reload();
    if (pressed(kKeyS)) openSaveDialog_ = true;
    if (pressed(kKeyQ)) quit_ = true;
  }
  if (pressed(kKeyF5)) reload();
  if (!io.WantTextInput && pressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) && !branchDialogPending()) ui.timeCursor.reset();
  if (!io.WantTextInput && !io.KeyCtrl) {
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space))) ui.playing = !ui.playing;
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) clock.lastError = StepToNextTimer(*this);
  }
}

void App::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
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
    if (ImGui::MenuItem("Reload", "F5")) reload();
    if (ImGui::MenuItem("Reset session", "Ctrl+R")) reload();
    if (ImGui::MenuItem("Save session...", "Ctrl+S", false, journalSupported())) openSaveDialog_ = true;
    if (ImGui::MenuItem("Export events CSV...")) { exportKind_ = ExportKind::EventsCsv; openExport_ = true; }
    if (ImGui::MenuItem("Export timeline PNG...")) { exportKind_ = ExportKind::TimelinePng; openExport_ = true; }
    if (ImGui::MenuItem("Export as scenario...")) { exportKind_ = ExportKind::Scenario; openExport_ = true; }
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
    ImGui::EndMenu();
  }
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
  // Always visible: the virtual time, the clock state, the alert count and the document.
  const Ms now = displayNow();
  ImGui::Separator();
  if (viewingPast()) {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1), "viewing t = %lld ms (now %lld)", static_cast<long long>(now),
                       static_cast<long long>(session_->registry().now()));
    if (ImGui::MenuItem("Back to now")) ui.timeCursor.reset();
  } else {
    ImGui::Text("t = %lld ms", static_cast<long long>(now));
  }
  ImGui::TextDisabled("%s %.1fx", ui.playing ? "playing" : "paused", static_cast<double>(ui.speed));
  ImGui::Separator();
  const size_t alertCount = alerts.Count(*this, ui);
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
  const std::string docName = doc_.kind == DocumentKind::Bundled ? std::string("bundled example") : baseName(doc_.path);
  ImGui::TextDisabled("%s: %s · policy %s · %s", kDocumentKindNames[static_cast<size_t>(doc_.kind)], docName.c_str(),
                      std::string(toString(session_->registry().policy())).c_str(),
                      std::string(toString(session_->registry().environment())).c_str());
  ImGui::EndMainMenuBar();
}

void App::drawShortcuts() {
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

void App::drawSaveDialog() {
  if (openSaveDialog_) {
    openSaveDialog_ = false;
    if (savePath_.empty()) {
      const std::string stem = doc_.path.empty() ? std::string("session") : fs::path(doc_.path).stem().string();
      const std::string dir = doc_.path.empty() ? std::string(".") : dirName(doc_.path);
      savePath_ = dir + "/" + stem + "-session.sqlite";
    }
    saveMessage_.clear();
    ImGui::OpenPopup("Save session");
  }
  if (ImGui::BeginPopupModal("Save session", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Write the command log, the events and the config to a SQLite journal:");
    ImGui::SetNextItemWidth(480);
    const bool enter = ImGui::InputText("##savePath", &savePath_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (!saveMessage_.empty()) ImGui::TextUnformatted(saveMessage_.c_str());
    if (Button("Save") || enter) {
      if (saveSession(savePath_)) ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

void App::drawBranchDialog() {
  if (openBranch_) {
    openBranch_ = false;
    ImGui::OpenPopup("Branch from the past?");
  }
  if (ImGui::BeginPopupModal("Branch from the past?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    const Ms t = ui.timeCursor.value_or(0);
    ImGui::Text("You are viewing t = %lld ms. Acting here branches the session:", static_cast<long long>(t));
    ImGui::TextUnformatted("the command log is cut at this instant (later commands are dropped)\nand the action runs on the replayed state.");
    if (branchStep_) ImGui::TextDisabled("action: %s", branchStep_->dump().c_str());
    const bool branch = Button("Branch here");
    ImGui::SameLine();
    const bool cancel = Button("Cancel");
    if (branch || cancel) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    if (branch) branchAtCursor();
    if (cancel) branchStep_.reset();
  }
}

void App::drawExportDialog() {
  static constexpr const char* kTitles[] = {"Export events CSV", "Export timeline PNG", "Export as scenario"};
  static constexpr const char* kSuffix[] = {"-events.csv", "-timeline.png", "-scenario.json"};
  if (openExport_ && exportKind_) {
    openExport_ = false;
    const size_t k = static_cast<size_t>(*exportKind_);
    const std::string stem = doc_.path.empty() ? std::string("session") : fs::path(doc_.path).stem().string();
    const std::string dir = doc_.path.empty() ? std::string(".") : dirName(doc_.path);
    exportPath_ = dir + "/" + stem + kSuffix[k];
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
      bool ok = false;
      switch (exportKind_.value_or(ExportKind::EventsCsv)) {
        case ExportKind::EventsCsv: ok = exportEventsCsv(exportPath_); break;
        case ExportKind::TimelinePng: ok = exportTimelinePng(exportPath_); break;
        case ExportKind::Scenario: ok = exportScenario(exportPath_); break;
      }
      if (ok) ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (Button("Cancel##export")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

void App::Draw() {
  ApplyTheme();
  handleShortcuts();
  drawMenuBar();

  // First-use layout as fractions of the display (positions persist in imgui.ini after that).
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  auto place = [&](float x, float y, float w, float h) {
    const float H = d.y - top;
    ImGui::SetNextWindowPos(ImVec2(d.x * x, top + H * y), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(d.x * w, H * h), ImGuiCond_FirstUseEver);
  };

  // The flat list of panels (STYLE: one list in the view decides what is drawn).
  // Tiled without overlap: clock on top; registry, timeline and the lower row on the left;
  // store detail and scenario on the right.
  if (ui.show.clock) { place(0.00f, 0.00f, 1.00f, 0.08f); clock.Draw("Clock", &ui.show.clock, *this, ui); }
  if (ui.show.registry) { place(0.00f, 0.08f, 0.60f, 0.32f); registry.Draw("Registry", &ui.show.registry, *this, ui); }
  if (ui.show.storeDetail) { place(0.60f, 0.08f, 0.40f, 0.54f); storeDetail.Draw("Store", &ui.show.storeDetail, *this, ui); }
  if (ui.show.timeline) { place(0.00f, 0.40f, 0.60f, 0.24f); timeline.Draw("Timeline", &ui.show.timeline, *this, ui); }
  if (ui.show.observers) { place(0.00f, 0.64f, 0.30f, 0.36f); observers.Draw("Observers", &ui.show.observers, *this, ui); }
  if (ui.show.events) { place(0.30f, 0.64f, 0.30f, 0.20f); events.Draw("Events", &ui.show.events, *this, ui); }
  if (ui.show.alerts) { place(0.30f, 0.84f, 0.30f, 0.16f); alerts.Draw("Alerts", &ui.show.alerts, *this, ui); }
  if (ui.show.scenario) { place(0.60f, 0.62f, 0.40f, 0.38f); scenarioPanel.Draw("Scenario", &ui.show.scenario, *this, ui); }
  if (ui.show.comparison) { place(0.10f, 0.10f, 0.80f, 0.70f); comparison.Draw("Policy comparison", &ui.show.comparison, *this, ui); }
  if (ui.show.settings) settings.Draw("Settings", &ui.show.settings, *this, ui);
  if (ui.show.fileBrowser) fileBrowser.Draw("Open file", &ui.show.fileBrowser, ui);
  if (ui.show.fileErrors) fileErrors.Draw("File errors", &ui.show.fileErrors, ui);
  if (ui.show.shortcuts) drawShortcuts();
  if (ui.show.imguiDemo) ImGui::ShowDemoWindow(&ui.show.imguiDemo);
  drawSaveDialog();
  drawBranchDialog();
  drawExportDialog();

  // Deferred application commands.
  if (!ui.openRequest.empty()) {
    const std::string path = std::move(ui.openRequest);
    ui.openRequest.clear();
    if (path == "\x01bundled") openBundled();
    else open(path);
  }
}

}  // namespace si::gui
