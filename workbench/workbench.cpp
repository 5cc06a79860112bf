#include "workbench.hpp"

#include <algorithm>
#include <system_error>

namespace si::gui {
namespace fs = std::filesystem;

namespace {
constexpr double kPollSeconds = 0.5;  // how often the watched files' times are read
}  // namespace

Workbench::Workbench() : session_(std::make_unique<Session>(Config{})) {}

Workbench::~Workbench() = default;

void Workbench::changed() {
  if (onChange) onChange();
}

// [SECTION] document

bool Workbench::open(const std::string& path) {
  const Overrides none;  // a new file starts from its own policy and environment
  auto doc = loadDocument(path, none);
  if (!doc) {
    reportError(doc.message());
    return false;
  }
  overrides_ = none;
  adopt(std::move(*doc));
  if (onOpened) onOpened(path);
  return true;
}

void Workbench::open(const LoadedInput& input) {
  overrides_ = Overrides{};
  adopt(documentFrom(input));
  if (onOpened) onOpened(input.path);
}

bool Workbench::openBundled() {
  const Overrides none;
  auto doc = loadBundledDocument(none);
  if (!doc) {
    reportError(doc.message());
    return false;
  }
  overrides_ = none;
  adopt(std::move(*doc));
  return true;
}

bool Workbench::reload() {
  auto doc = doc_.kind == DocumentKind::Bundled ? loadBundledDocument(overrides_)
                                                : loadDocument(doc_.path, overrides_);
  if (!doc) {
    reportError(doc.message());
    snapshotWatched();  // do not retry the same broken file every poll
    return false;
  }
  adopt(std::move(*doc));
  return true;
}

void Workbench::adopt(Document doc) {
  replace(std::make_unique<Session>(doc.config));
  branchStep_.reset();
  scenarioNext_ = 0;
  scenarioResults_.assign(doc.scenario ? doc.scenario->steps.size() : 0, std::nullopt);
  clock_.reset();
  doc_ = std::move(doc);
  for (size_t i = 0; i < doc_.journalCommands.size(); ++i) {
    record(doc_.journalCommands[i], Origin{SourceKind::Journal, static_cast<long>(i)});
  }
  snapshotWatched();
  changed();
}

void Workbench::snapshotWatched() {
  watchedTimes_.clear();
  for (const std::string& p : doc_.watched) {
    std::error_code ec;
    watchedTimes_.push_back(fs::last_write_time(p, ec));
  }
}

void Workbench::pollFileChanges(double realSeconds) {
  if (lastPoll_ >= 0 && realSeconds - lastPoll_ < kPollSeconds) return;
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

bool Workbench::saveSession(const std::string& path) {
  flushClock();
  const Status s = saveJournal(*session_, path);
  if (!s) reportError(s.message());
  return static_cast<bool>(s);
}

void Workbench::reportError(const std::string& message) {
  fileErrors_.push_back(message);
  if (fileErrors_.size() > kMaxFileErrors) fileErrors_.erase(fileErrors_.begin());
  ++fileErrorSerial_;
  changed();
}

void Workbench::clearFileErrors() {
  fileErrors_.clear();
  ++fileErrorSerial_;
  changed();
}

// [SECTION] the command log

StepResult Workbench::record(const json& step, Origin origin) {
  StepResult r = session_->execute(step);
  origins_.resize(session_->commands().size(), origin);
  refreshView();
  return r;
}

void Workbench::replace(std::unique_ptr<Session> s) {
  session_ = std::move(s);
  ++liveSerial_;
  origins_.clear();
  cursor_.reset();
  timeTravel_.reset();
  view_ = nullptr;
  viewedAt_.reset();
}

StepResult Workbench::feed(const TimedCommand& c) {
  if (viewingPast()) {
    // Acting in the past: ask first (Branch here / Cancel); the step runs after a branch.
    branchStep_ = c.step;
    StepResult r;
    r.step = c.step;
    r.ok = false;
    r.t = *cursor_;
    r.error = "viewing the past (t=" + std::to_string(*cursor_) + "): branch the session here to act";
    return r;
  }
  flushClock();
  if (c.at && *c.at > session_->registry().now()) record(json{{"advanceTo", *c.at}}, c.origin);
  return record(c.step, c.origin);
}

void Workbench::runScenarioUntil(size_t end) {
  if (!doc_.scenario) return;
  setTimeCursor(std::nullopt);
  end = std::min(end, doc_.scenario->steps.size());
  while (scenarioNext_ < end) {
    const size_t i = scenarioNext_++;
    scenarioResults_[i] = feed({std::nullopt, doc_.scenario->steps[i], Origin{SourceKind::Scenario, static_cast<long>(i)}});
  }
}

void Workbench::rerunUnder(Policy policy, Environment environment) {
  setTimeCursor(std::nullopt);
  flushClock();
  overrides_.policy = policy;
  overrides_.environment = environment;
  Config cfg = session_->config();
  cfg.policy = policy;
  cfg.environment = environment;
  const std::vector<Session::Command> commands = session_->commands();
  const std::vector<Origin> origins = origins_;
  replace(std::make_unique<Session>(cfg));
  for (auto& r : scenarioResults_) r.reset();
  for (size_t i = 0; i < commands.size(); ++i) {
    const Origin o = i < origins.size() ? origins[i] : Origin{};
    StepResult r = record(commands[i].step, o);
    const auto k = static_cast<size_t>(o.index);
    if (o.kind == SourceKind::Scenario && k < scenarioResults_.size()) scenarioResults_[k] = std::move(r);
  }
  doc_.config.policy = policy;
  doc_.config.environment = environment;
}

// [SECTION] clock

void Workbench::setPlaying(bool p) {
  clock_.playing = p;
  changed();
}

void Workbench::setSpeed(float s) {
  clock_.speed = s;
  changed();
}

void Workbench::tick(double realDtSeconds) {
  if (viewingPast()) return;
  const Registry& reg = session_->registry();
  if (const Ms ms = clock_.tick(realDtSeconds, reg.now(), reg.nextTimerDue()); ms > 0) {
    record(json{{"advance", ms}}, Origin{SourceKind::Clock, -1});
  }
}

void Workbench::flushClock() {
  if (viewingPast()) return;
  if (const Ms ms = clock_.takePending(); ms > 0) record(json{{"advance", ms}}, Origin{SourceKind::Clock, -1});
}

Ms Workbench::displayNow() const {
  if (viewingPast()) return session().registry().now();
  return session_->registry().now() + clock_.pendingWholeMs();
}

// [SECTION] time travel

void Workbench::setTimeCursor(std::optional<Ms> t) {
  if (t == cursor_) return;
  cursor_ = t;
  refreshView();
  changed();
}

void Workbench::refreshView() {
  if (!viewingPast()) {
    if (view_ != nullptr) {
      view_ = nullptr;
      viewedAt_.reset();
      ++viewSerial_;
    }
    return;
  }
  const size_t log = session_->commands().size();
  if (view_ != nullptr && viewedAt_ == cursor_ && viewedLog_ == log) return;
  view_ = &timeTravel_.at(*session_, *cursor_);
  viewedAt_ = cursor_;
  viewedLog_ = log;
  ++viewSerial_;
}

void Workbench::branchAtCursor() {
  if (!cursor_) {  // back to now meanwhile: nothing to branch from, nothing waits any more
    branchStep_.reset();
    return;
  }
  const Ms t = *cursor_;
  const size_t kept = TimeTravel::cutAt(*session_, t).commands;
  const std::vector<json> steps = TimeTravel::stepsUntil(*session_, t);
  const std::vector<Origin> origins = origins_;
  replace(std::make_unique<Session>(session_->config()));
  // The commands before the cut keep their origin; an advance cut short at t is manual.
  for (size_t i = 0; i < steps.size(); ++i) record(steps[i], i < kept && i < origins.size() ? origins[i] : Origin{});
  // Scenario steps after the cut are not run any more.
  long lastScenario = -1;
  for (const Origin& o : origins_) {
    if (o.kind == SourceKind::Scenario) lastScenario = std::max(lastScenario, o.index);
  }
  scenarioNext_ = static_cast<size_t>(lastScenario + 1);
  for (size_t i = scenarioNext_; i < scenarioResults_.size(); ++i) scenarioResults_[i].reset();
  clock_.reset();
  changed();
  if (branchStep_) {
    const json step = std::move(*branchStep_);
    branchStep_.reset();
    execute(step);
  }
}

}  // namespace si::gui
