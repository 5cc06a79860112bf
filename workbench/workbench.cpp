#include "workbench.hpp"

#include <algorithm>
#include <system_error>

#include "driver.hpp"
#include "ingest.hpp"

namespace si::gui {
namespace fs = std::filesystem;

namespace {
constexpr double kPollSeconds = 0.5;  // how often the watched files' times are read
}  // namespace

Workbench::Workbench() : session_(std::make_unique<Session>(Config{})) {
  live::installLiveHandler();  // traces, File > Listen and journals of live sessions (SPEC 11)
}

Workbench::~Workbench() = default;

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
  listener_.newSession();  // apps connected before this file keep talking to the previous one
  branchStep_.reset();
  scenarioNext_ = 0;
  scenarioPlayedMs_ = 0;
  scenarioPiece_.reset();
  scenarioResults_.assign(doc.scenario ? doc.scenario->steps.size() : 0, std::nullopt);
  clock_.reset();
  clock_.playing = false;  // a new document (or Restart) starts paused at t=0
  doc_ = std::move(doc);
  for (size_t i = 0; i < doc_.journalCommands.size(); ++i) {
    record(doc_.journalCommands[i], Origin{SourceKind::Journal, static_cast<long>(i)});
  }
  if (doc_.kind == DocumentKind::Trace) ingestTrace();
  snapshotWatched();
}

// A trace's messages, each a live command of the log (origin: live, the message's number);
// bad lines go to the file errors, as `ingest` prints them.
void Workbench::ingestTrace() {
  live::IngestOptions o;
  o.policy = overrides_.policy ? std::optional<std::string>(std::string(toString(*overrides_.policy))) : std::nullopt;
  long n = 0;
  o.logged = [&](const StepResult&) {
    origins_.resize(session_->commands().size(), Origin{SourceKind::Live, n++});
  };
  Result<live::IngestReport> rep = live::ingestTraces(*session_, {doc_.path}, o);
  refreshView();
  if (!rep) {
    reportError(rep.message());
    return;
  }
  for (const std::string& e : rep->errors) reportError(e);
  if (rep->badLines > rep->errors.size())
    reportError(doc_.path + ": " + std::to_string(rep->badLines - rep->errors.size()) + " more bad lines");
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
}

void Workbench::clearFileErrors() {
  fileErrors_.clear();
  ++fileErrorSerial_;
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
  if (scenarioNext_ < end) flushClock();  // time already played belongs to the step it was played in
  while (scenarioNext_ < end) runScenarioStep();
}

// Runs the next scenario step now (the rest of it when Play has run part of an advance).
void Workbench::runScenarioStep() {
  const size_t i = scenarioNext_;
  const json& step = doc_.scenario->steps[i];
  const Origin o{SourceKind::Scenario, static_cast<long>(i)};
  if (scenarioPlayedMs_ > 0) {
    finishScenarioStep(record(json{{"advance", step.at("advance").get<Ms>() - scenarioPlayedMs_}}, o));
  } else {
    finishScenarioStep(record(step, o));
  }
}

void Workbench::finishScenarioStep(StepResult r) {
  const size_t i = scenarioNext_++;
  r.step = doc_.scenario->steps[i];  // the step as written, whatever pieces Play ran it in
  if (scenarioPiece_) {              // and from where its first piece began
    r.t = scenarioPiece_->t;
    r.eventBegin = scenarioPiece_->eventBegin;
  }
  scenarioResults_[i] = std::move(r);
  scenarioPlayedMs_ = 0;
  scenarioPiece_.reset();
}

// How far the next scenario step advances the clock from now: its remaining ms for an advance
// (or an advanceTo not in the past), nullopt for a step that takes no time.
std::optional<Ms> Workbench::scenarioStepSpan() const {
  const json& step = doc_.scenario->steps[scenarioNext_];
  const Ms now = session_->registry().now();
  if (!step.is_object()) return std::nullopt;
  if (const auto a = step.find("advance"); a != step.end() && a->is_number_integer() && a->get<Ms>() >= 0)
    return a->get<Ms>() - scenarioPlayedMs_;
  if (const auto a = step.find("advanceTo"); a != step.end() && a->is_number_integer() && a->get<Ms>() >= now)
    return a->get<Ms>() - now;
  return std::nullopt;
}

// Records up to `ms` of played time as a piece of the next scenario step (an advance); what
// goes past its end goes back to the clock. Returns whether the step is done.
bool Workbench::playScenarioPiece(Ms ms, Ms span) {
  const Ms piece = std::min(ms, span);
  StepResult r = record(json{{"advance", piece}}, Origin{SourceKind::Scenario, static_cast<long>(scenarioNext_)});
  if (!scenarioPiece_) scenarioPiece_ = PieceStart{r.t, r.eventBegin};
  scenarioPlayedMs_ += piece;
  if (ms > piece) clock_.giveBack(ms - piece);
  if (piece < span) return false;
  finishScenarioStep(std::move(r));
  return true;
}

// Play with scenario steps left: each step runs at its own time. Steps that take no time run
// as soon as their turn comes; an advance is played out in real time, recorded in pieces (the
// PlayClock's rule) that all carry the step's origin. At the scenario's end the clock pauses:
// playing further is free time (freeTime()).
void Workbench::tickScenario(double realDtSeconds) {
  const size_t count = doc_.scenario->steps.size();
  while (scenarioNext_ < count) {
    const std::optional<Ms> span = scenarioStepSpan();
    if (!span) {
      runScenarioStep();
      continue;
    }
    const Registry& reg = session_->registry();
    const Ms target = reg.now() + *span;
    const std::optional<Ms> due = reg.nextTimerDue();
    const Ms ms = clock_.tick(realDtSeconds, reg.now(), due ? std::min(*due, target) : target);
    realDtSeconds = 0;  // the real time is in the clock now; the loop only spends what it holds
    if (ms <= 0 && *span > 0) break;
    if (!playScenarioPiece(ms, *span)) break;
  }
  if (scenarioNext_ >= count) {
    clock_.playing = false;  // the scenario ran to its end; Play again plays free time
    clock_.reset();
  }
}

void Workbench::rerunUnder(Policy policy, Environment environment) {
  setTimeCursor(std::nullopt);
  flushClock();
  overrides_.policy = policy;
  overrides_.environment = environment;
  Config cfg = session_->config();
  if (policy != cfg.policy) cfg.policyExplicit = true;  // chosen over the profile's default
  cfg.policy = policy;
  cfg.environment = environment;
  const Chunked<Session::Command> commands = session_->commands();
  const std::vector<Origin> origins = origins_;
  replace(std::make_unique<Session>(cfg));
  for (auto& r : scenarioResults_) r.reset();
  for (size_t i = 0; i < commands.size(); ++i) {
    const Origin o = i < origins.size() ? origins[i] : Origin{};
    StepResult r = record(commands[i].step(), o);
    const auto k = static_cast<size_t>(o.index);
    if (o.kind != SourceKind::Scenario || k >= scenarioNext_) continue;  // the step Play is in: not done
    auto& slot = scenarioResults_[k];
    if (slot) {  // a step Play ran in pieces: its result starts where its first piece did
      r.t = slot->t;
      r.eventBegin = slot->eventBegin;
    }
    r.step = doc_.scenario->steps[k];
    slot = std::move(r);
  }
  if (scenarioPiece_) {  // the step Play is in: where its first piece began in the new session
    for (size_t i = 0; i < origins_.size(); ++i) {
      if (origins_[i].kind != SourceKind::Scenario || static_cast<size_t>(origins_[i].index) != scenarioNext_) continue;
      scenarioPiece_ = PieceStart{session_->commands()[i].t, scenarioPiece_->eventBegin};
      break;
    }
  }
  if (policy != doc_.config.policy) doc_.config.policyExplicit = true;
  doc_.config.policy = policy;
  doc_.config.environment = environment;
}

// [SECTION] live apps

bool Workbench::startListening(const live::ServerOptions& options) {
  const Status ok = listener_.start(options);
  if (!ok) reportError(ok.message());
  return static_cast<bool>(ok);
}

bool Workbench::startListening(uint16_t port) {
  live::ServerOptions o;
  o.port = port;
  return startListening(o);
}

void Workbench::stopListening() {
  listener_.stop([this](uint64_t n, live::Message* m) { feedLive(n, m); });
}

void Workbench::feedLive(uint64_t connection, live::Message* message) {
  if (message == nullptr && !live::awaitsEnd(*session_, connection)) return;
  if (!viewingPast()) flushClock();
  if (message != nullptr)
    (void)live::runMessage(*session_, connection, std::move(*message));
  else
    (void)session_->run(live::liveEnd(connection));
  origins_.resize(session_->commands().size(), Origin{SourceKind::Live, static_cast<long>(liveFed_++)});
}

size_t Workbench::pumpLive() {
  const size_t n = listener_.pump([this](uint64_t c, live::Message* m) { feedLive(c, m); });
  if (n > 0) refreshView();  // once per batch, not per message
  return n;
}

// [SECTION] clock

void Workbench::setPlaying(bool p) {
  // In the past the clock cannot run (time moves only at now): stay paused, and the panels say
  // why (Clock panel, status line).
  clock_.playing = p && !viewingPast();
}

void Workbench::setSpeed(float s) {
  clock_.speed = s;
}

void Workbench::tick(double realDtSeconds) {
  pumpLive();
  if (listener_.following()) {  // while apps are connected they move the clock; Play stops
    clock_.playing = false;
    return;
  }
  if (viewingPast()) return;
  if (clock_.playing && !freeTime()) {
    tickScenario(realDtSeconds);
    return;
  }
  const Registry& reg = session_->registry();
  if (const Ms ms = clock_.tick(realDtSeconds, reg.now(), reg.nextTimerDue()); ms > 0) {
    record(json{{"advance", ms}}, Origin{SourceKind::Clock, -1});
  }
}

void Workbench::flushClock() {
  if (viewingPast()) return;
  if (!freeTime()) {  // following the scenario: the pending time is part of its next advance
    const std::optional<Ms> span = scenarioStepSpan();
    if (span && *span > 0) {
      if (const Ms ms = clock_.takePending(); ms > 0) playScenarioPiece(ms, *span);
    }
    return;
  }
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
  if (viewingPast()) setPlaying(false);  // looking back pauses; Back to now does not resume
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
  // The commands before the cut keep their origin; an advance cut short at t is manual unless
  // it was a scenario step's (then that step has run up to t: restoreScenarioProgress).
  for (size_t i = 0; i < steps.size(); ++i) {
    Origin o = i < origins.size() ? origins[i] : Origin{};
    if (i >= kept && o.kind != SourceKind::Scenario) o = Origin{};
    record(steps[i], o);
  }
  restoreScenarioProgress(origins, kept, t);
  clock_.reset();
  clock_.playing = false;  // a branch continues paused, like a freshly opened file
  if (branchStep_) {
    const json step = std::move(*branchStep_);
    branchStep_.reset();
    execute(step);
  }
}

// After a branch at `cut` keeping `whole` commands whole: a scenario step still counts as run when
// all its commands are among them (Play may have run an advance in several pieces); the first
// one that does not is the next step, and if it had begun (a piece, or an advance cut short),
// the time from its first command to the cut counts as played.
void Workbench::restoreScenarioProgress(const std::vector<Origin>& before, size_t whole, Ms cut) {
  const size_t n = scenarioResults_.size();
  std::vector<size_t> had(n, 0), kept(n, 0);
  for (const Origin& o : before)
    if (o.kind == SourceKind::Scenario && static_cast<size_t>(o.index) < n) ++had[static_cast<size_t>(o.index)];
  std::optional<Ms> firstKept;
  size_t next = 0;
  for (size_t i = 0; i < whole && i < origins_.size(); ++i) {  // commands wholly before the cut
    const Origin& o = origins_[i];
    if (o.kind == SourceKind::Scenario && static_cast<size_t>(o.index) < n) ++kept[static_cast<size_t>(o.index)];
  }
  while (next < n && scenarioResults_[next] && kept[next] == had[next]) ++next;
  scenarioNext_ = next;
  scenarioPlayedMs_ = 0;
  scenarioPiece_.reset();
  for (size_t i = 0; i < origins_.size() && next < n; ++i) {
    if (origins_[i].kind == SourceKind::Scenario && static_cast<size_t>(origins_[i].index) == next) {
      firstKept = session_->commands()[i].t;
      break;
    }
  }
  if (firstKept && *firstKept < cut && doc_.scenario->steps[next].contains("advance")) {
    scenarioPlayedMs_ = cut - *firstKept;
    scenarioPiece_ = PieceStart{*firstKept, 0};
  }
  for (size_t i = next; i < n; ++i) scenarioResults_[i].reset();
}

}  // namespace si::gui
