// The application behind the window, without the window: the open document, the session and
// its command log, the virtual clock driven from real time, files (recent list, reload on
// change), and the view — the menu bar plus a flat list of panels. app/gui.cpp wraps it in a
// GLFW + OpenGL main loop; the panel tests and the frame benchmark drive it in a headless
// ImGui context.
//
// Usage:
//   App app(AppOptions{.configDir = ""});     // "" = no persistence (tests)
//   app.openBundled();  or  app.open(path);
//   per frame: app.Tick(dt); ImGui::NewFrame(); app.Draw(); ImGui::Render();
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts_panel.hpp"
#include "clock_panel.hpp"
#include "comparison_panel.hpp"
#include "events_panel.hpp"
#include "file_browser_panel.hpp"
#include "file_errors_panel.hpp"
#include "gui_document.hpp"
#include "host.hpp"
#include "observers_panel.hpp"
#include "registry_panel.hpp"
#include "scenario_panel.hpp"
#include "settings_panel.hpp"
#include "store_detail_panel.hpp"
#include "time_travel.hpp"
#include "timeline_panel.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct AppOptions {
  std::string configDir;  // where recent files live ("" = keep nothing on disk)
};

// $XDG_CONFIG_HOME/store-inspector, else ~/.config/store-inspector ("" when neither is known).
std::string defaultConfigDir();

class App final : public Host {
 public:
  explicit App(AppOptions options = {});
  ~App() override;

  // ---- documents ----
  // Opens a file; on failure the error goes to the error panel (same text as the command
  // line) and the previous session stays loaded. Returns whether it opened.
  bool open(const std::string& path);
  bool openBundled();
  bool reload();  // F5 / Ctrl+R: re-read the file and re-create the session from it
  // Checks the watched files' modification times (at most every 0.5 s of `realSeconds`) and
  // reloads when one changed.
  void pollFileChanges(double realSeconds);
  const Document& document() const { return doc_; }
  bool saveSession(const std::string& path);  // File > Save session (journal)

  // ---- clock ----
  // Advances the virtual clock by realDt * speed while playing. The advance is recorded as an
  // {"advance": n} step only when a timer falls due within it, or when at least 100 virtual ms
  // and 100 real ms have accumulated since the last recorded advance; otherwise it stays
  // pending (shown through displayNow()). Any other command records it first.
  void Tick(double realDtSeconds);

  // ---- view ----
  void Draw();  // between ImGui::NewFrame() and ImGui::Render()
  bool quitRequested() const { return quit_; }
  void ApplyTheme();

  UiState ui;
  // The panels, in the order the view draws them.
  ClockPanel clock;
  RegistryPanel registry;
  StoreDetailPanel storeDetail;
  ObserversPanel observers;
  ScenarioPanel scenarioPanel;
  EventsPanel events;
  AlertsPanel alerts;
  SettingsPanel settings;
  FileBrowserPanel fileBrowser;
  FileErrorsPanel fileErrors;
  TimelinePanel timeline;
  ComparisonPanel comparison;
  std::vector<std::string> recentFiles;  // most recent first

  // ---- Host ----
  const Session& session() const override { return viewSession(); }
  const Session& liveSession() const override { return *session_; }
  uint64_t liveSerial() const override { return sessionSerial_; }
  bool viewingPast() const override;
  Session& mutableSession() { return *session_; }
  uint64_t sessionSerial() const override;
  Ms displayNow() const override;
  const std::string& documentPath() const override { return doc_.path; }
  StepResult execute(const json& step) override;
  void flushClock() override;
  const Scenario* scenario() const override { return doc_.scenario ? &*doc_.scenario : nullptr; }
  size_t scenarioNext() const override { return scenarioNext_; }
  const std::vector<std::optional<StepResult>>& scenarioResults() const override { return scenarioResults_; }
  void runScenarioUntil(size_t end) override;
  void restart() override { reload(); }
  void rerunUnder(Policy policy, Environment environment) override;

  // ---- time travel ----
  // The session the panels see: the live one, or the replayed past at ui.timeCursor.
  const Session& viewSession() const;
  // Truncates the log at the cursor and continues from the replayed state (the "Branch here"
  // of the dialog shown when acting in the past); then runs the step that asked, if any.
  void branchAtCursor();
  bool branchDialogPending() const { return branchStep_.has_value() || openBranch_; }

  // ---- exports (File menu) ----
  bool exportEventsCsv(const std::string& path);
  bool exportTimelinePng(const std::string& path);
  bool exportScenario(const std::string& path);

 private:
  void adopt(Document doc);              // replace the session with a fresh one for doc
  void addError(const std::string& message);
  void addRecent(const std::string& path);
  void loadRecent();
  void saveRecent() const;
  void snapshotWatched();
  void handleShortcuts();
  void drawMenuBar();
  void drawShortcuts();
  void drawSaveDialog();
  void drawBranchDialog();
  void drawExportDialog();

  AppOptions options_;
  Document doc_;
  Overrides overrides_;                   // policy / environment chosen in Settings
  std::unique_ptr<Session> session_;
  uint64_t sessionSerial_ = 0;
  // Which scenario step each command of the log came from (-1: a manual command).
  std::vector<long> commandOrigin_;
  size_t scenarioNext_ = 0;
  std::vector<std::optional<StepResult>> scenarioResults_;
  // clock
  double pendingMs_ = 0;                  // virtual ms played but not recorded yet
  double realSinceFlush_ = 0;             // real seconds since the last recorded advance
  // files
  std::vector<std::filesystem::file_time_type> watchedTimes_;
  double lastPoll_ = -1;
  bool themeDark_ = true;
  bool themeApplied_ = false;
  bool quit_ = false;
  bool openSaveDialog_ = false;
  std::string savePath_;
  std::string saveMessage_;
  // time travel
  mutable TimeTravel timeTravel_;
  mutable uint64_t travelSerial_ = ~0ull;   // sessionSerial_ timeTravel_ was built for
  mutable const Session* view_ = nullptr;   // the past session shown, null when live
  mutable std::optional<Ms> viewedAt_;      // the cursor view_ was computed for
  mutable size_t viewedLog_ = 0;            // and the log length
  mutable uint64_t viewSerial_ = 0;         // bumped when the shown session changes
  std::optional<json> branchStep_;          // the step that asked to branch
  bool openBranch_ = false;
  // exports
  enum class ExportKind : uint8_t { EventsCsv, TimelinePng, Scenario };
  std::optional<ExportKind> exportKind_;
  bool openExport_ = false;
  std::string exportPath_;
  std::string exportMessage_;
};

}  // namespace si::gui
