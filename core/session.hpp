// A session: one registry driven by steps (SPEC 4). Scenario files, the GUI's buttons and
// journal replays all become steps executed here, so every reader sees one command log and
// one event stream.
//
// Usage:
//   auto sc = loadScenarioFile("assets/scenarios/navigate.json", {});
//   Session s(sc->config);
//   for (auto& step : sc->steps) { StepResult r = s.execute(step); ... }
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chunked.hpp"
#include "config.hpp"
#include "flat_string_map.hpp"
#include "live_hook.hpp"
#include "registry.hpp"
#include "steps.hpp"

namespace si {

struct Overrides {
  std::optional<Policy> policy;
  std::optional<Environment> environment;
};

struct Scenario {
  std::string name;
  std::string path;           // "" for an in-memory scenario
  json configRef;             // the "config" value as written (path string or inline object)
  Config config;              // with the scenario's and the caller's overrides applied
  std::vector<json> steps;
};

// Checks the whole shape of a scenario (each step: parseStep, see steps.hpp). Errors read
// "/steps/3/advance: message".
Result<Scenario> parseScenario(const json& j, const std::string& path, const Overrides& o);
// readJsonFile + parseScenario; errors are prefixed "path: " (syntax: "path:line:col: ...").
Result<Scenario> loadScenarioFile(const std::string& path, const Overrides& o);
bool looksLikeScenario(const json& j);  // has "steps"

struct ExpectCheck {
  std::string subject;  // "store issue-1", "observer p1", "registry"
  std::string field;    // "state", "gcDueIn", ...
  json expected;
  json actual;
  bool passed = false;
};

struct StepResult {
  size_t index = 0;  // 0-based position in the session's command log
  json step;
  Ms t = 0;           // virtual time when the step started
  bool ok = true;     // false: unexpected error, expectError not met, or failed expectation
  std::string error;  // the step's error ("" if none)
  std::vector<ExpectCheck> checks;
  size_t eventBegin = 0, eventEnd = 0;  // [begin, end) into registry().events()
  // Preload errors this step swallowed (rule 0): an invalid request, an ownership conflict,
  // a cached or a completed load failure. Empty when the registry keeps no events.
  std::vector<std::string> swallowed;
  // Lint codes of the instances this step created, sorted (as StoreRecord::lints).
  std::vector<std::string> lints;
  // A live command: the steps it ran (createRegistry, advanceTo, the rewritten step), which
  // is what "export as scenario" keeps of it.
  std::vector<json> nested;
};

class Session {
 public:
  explicit Session(Config config);
  // A snapshot for time travel (see Registry's snapshot constructor): the registry state,
  // observer names and resolved requests, so executing the following commands continues
  // exactly as the original did. The command log, results and event history are not copied.
  Session(const Session& other, SnapshotTag);

  // Executes one step. A step that did not parse (a Malformed action) fails with its error,
  // and is logged as written like any other. Never throws for bad input.
  StepResult execute(const Step& step);
  // parseStep(step, "step"), then the above.
  StepResult execute(const json& step);
  StepResult execute(json&& step);  // the step moved into the log
  // The same without a result for the caller: the step is moved into the log and the kept
  // result (results().back()) is returned. The live hot path (a trace, a listener) runs so.
  const StepResult& run(json&& step);
  // The live hot path: the command {"live": {"connection", "message", "overrides"?}} whose
  // message arrives as its JSON text, already decoded by the live library (Live::decoded).
  // The log keeps the text; nested steps are not built.
  // `decoded` is read (and may be consumed) during this call only.
  const StepResult& runLive(uint64_t connection, std::string text, void* decoded, json overrides = json());
  // Runs a step inside the command being executed (a live message's advanceTo and step): it
  // is not logged as a command of its own, its events belong to the current command and it
  // is appended to `r.nested`. A failure is returned, not recorded. A live step is refused.
  Status executeNested(const json& step, StepResult& r);
  Status executeNested(json&& step, StepResult& r);
  // The same for an action already built; `source` is what r.nested records, and is only
  // wanted when keepsNested() (the hot path drops nested steps: it need not build them).
  Status executeNested(const Action& action, json&& source, StepResult& r);
  bool keepsNested() const { return keepNested_; }
  // The live hot path's attach (a live::QuickStep, where nested steps are not kept): as an
  // Attach of `observer` on `registry` whose request's cache key is `requestKey` (what
  // appendJsonKey writes for the request that Attach would hold); `request` makes that request
  // only when the key is new to the cache.
  Status attachKeyed(const std::string& observer, const std::string& registry, std::string_view requestKey,
                     const std::function<json()>& request);
  // A session that keeps no history: its command log, its results and its event history
  // hold only the command being executed (or the last one). For a headless run that reads
  // the end state, the counts and the live driver, not the past (`ingest` without a
  // journal): a trace of a million messages then needs the memory of its stores, not of
  // every message. A result's index is then 0. Journals (JournalWriter::create refuses such
  // a session), time travel and export need the history; set this before the first command.
  void keepNoHistory() { keepHistory_ = false; }
  // Drops the history before command `command` and event `event`, in whole chunks: positions
  // keep their meaning, what is before them is gone. For a headless run whose journal already
  // has it (`listen`, `ingest --journal`), so that its memory follows the journal's queue and
  // the model, not the length of the run.
  void forgetBefore(size_t command, size_t event);
  // Whether the whole history from the first command is still here (a journal starts from it).
  bool hasWholeHistory() const {
    return keepHistory_ && commands_.first() == 0 && registry_.events().first() == 0;
  }
  // The live handler (SPEC 11), made at the first live command; nullptr before.
  LiveHandler* liveHandler() { return live_.get(); }
  const LiveHandler* liveHandler() const { return live_.get(); }

  Registry& registry() { return registry_; }
  const Registry& registry() const { return registry_; }
  const Config& config() const { return registry_.config(); }
  // The command log: every executed step with the time it started (the journal's commands).
  // A live message from the hot path (runLive) is kept as its text, not as a JSON tree: a
  // trace has a million of them. step() gives every command as JSON either way.
  class Command {
   public:
    Command(Ms at, json step) : t(at), step_(std::move(step)) {}
    Command(Ms at, uint64_t connection, std::string message, json overrides)
        : t(at), step_(std::move(overrides)), message_(std::move(message)), connection_(connection) {}
    Ms t = 0;
    json step() const;        // {"live": {"connection", "message", "overrides"?}} for a kept text
    std::string dump() const; // step() as compact JSON (bytes that are not UTF-8 replaced)
    void dumpTo(std::string& out) const;  // appends dump() to out

   private:
    json step_;            // the step; for a kept text, its overrides (null: none)
    std::string message_;  // a live message's text ("" for any other command)
    uint64_t connection_ = 0;
  };
  const Chunked<Command>& commands() const { return commands_; }
  // The result of each command, as execute returned it but without its step (that is
  // commands()[i].step(), kept once) and nested steps: a trace has a million of them.
  const Chunked<StepResult>& results() const { return results_; }
  // Observer names ever used, with their latest status (first use first).
  const ObserverNames& observerNames() const { return registry_.observerNames(); }
  // Evaluates an expectation against the current state; the JSON form is not checked first
  // (tests and "export as scenario" build their own).
  std::vector<ExpectCheck> evaluate(const Expect& expect) const;
  std::vector<ExpectCheck> evaluate(const json& expect) const { return evaluate(expectFrom(expect)); }
  // An expect step per store capturing state, gcTime, gcDueIn and generation right now.
  std::vector<json> snapshotExpectations() const;

 private:
  // One per action (std::visit picks by the action's type).
  Status act(const Malformed& a, StepResult& r);
  Status act(const Advance& a, StepResult& r);
  Status act(const AdvanceTo& a, StepResult& r);
  Status act(const Attach& a, StepResult& r);
  Status act(const Detach& a, StepResult& r);
  Status act(const Unmount& a, StepResult& r);
  Status act(const Preload& a, StepResult& r);
  Status act(const Drop& a, StepResult& r);
  Status act(const Clear& a, StepResult& r);
  Status act(const Expect& a, StepResult& r);
  Status act(const CreateRegistry& a, StepResult& r);
  Status act(const ShutdownRegistry& a, StepResult& r);
  Status act(const Loaded& a, StepResult& r);
  Status act(const LoadFailed& a, StepResult& r);
  Status act(const Live& a, StepResult& r);
  // Logs the step (`source`, its JSON) and executes it into a new results_.back(), which it
  // returns with its nested steps (the caller drops them: they are not kept).
  StepResult& perform(const Step& step, json&& source);
  // The new results_.back() for `command`, logged; settle() finishes it.
  StepResult& begin(Command&& command);
  // What execute returns: `kept` with `step` and its nested steps, which `kept` gives up.
  static StepResult returned(StepResult& kept, json&& step);
  // The open registry a request, drop or clear names ("" = default), or the step's error.
  Result<RegistryIndex> target(const std::string& name) const;
  // The step's outcome against its expectError, and what it swallowed and created.
  void settle(const Step& step, const Status& status, StepResult& r);
  std::vector<ExpectCheck> evaluateStore(const StoreExpect& e) const;
  std::vector<ExpectCheck> evaluateObserver(const ObserverExpect& e) const;
  std::vector<ExpectCheck> evaluateRegistry(const RegistryExpect& e) const;
  // The name checked (or the next automatic one), the registry opened, then the request
  // resolved by `resolveIn(registry)` and attached.
  template <class Resolve>
  Status attachWith(const std::string& observer, const std::string& component, const std::string& tag,
                    const std::string& registry, const Resolve& resolveIn);
  // One resolved request per distinct request JSON: the registry keeps every resolved request.
  Result<RequestId> resolve(const json& request, RegistryIndex registry);
  // The cache key's start for `registry` in resolveKey_ (the request's key follows it).
  void startKey(RegistryIndex registry);
  // A request whose key (resolveKey_) is new: resolved by the registry, then cached.
  Result<RequestId> resolveNew(const json& request, RegistryIndex registry);

  Registry registry_;
  Chunked<Command> commands_;  // chunks: a trace's million entries are never moved
  Chunked<StepResult> results_;
  uint64_t autoName_ = 0;
  FlatStringMap<RequestId> resolved_;
  std::string resolveKey_;  // the key being looked up, its storage reused
  std::unique_ptr<LiveHandler> live_;
  bool keepNested_ = true;  // false while run() or runLive() execute (they drop nested steps)
  bool keepHistory_ = true;
};

}  // namespace si
