// A session: one registry driven by steps (SPEC 4). Scenario files, the GUI's buttons and
// journal replays all become steps executed here, so every reader sees one command log and
// one event stream.
//
// Usage:
//   auto sc = loadScenarioFile("assets/scenarios/navigate.json", {});
//   Session s(sc->config);
//   for (auto& step : sc->steps) { StepResult r = s.execute(step); ... }
#pragma once
#include <map>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "config.hpp"
#include "registry.hpp"

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

// Checks the whole shape of a scenario (each step: exactly one known action with a value of
// the right type; optional note / expectError). Errors read "/steps/3/advance: message".
Status validateStep(const json& step, const std::string& where);
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
};

struct ObserverName {
  ObserverId id = kNoObserver;  // while attached
  ObserverStatus status = ObserverStatus::Detached;
  std::string store;
  std::string component;
};

class Session {
 public:
  explicit Session(Config config);
  // A snapshot for time travel (see Registry's snapshot constructor): the registry state,
  // observer names and resolved requests, so executing the following commands continues
  // exactly as the original did. The command log, results and event history are not copied.
  Session(const Session& other, SnapshotTag);

  // Executes one step (validated first). Never throws for bad input.
  StepResult execute(const json& step);

  Registry& registry() { return registry_; }
  const Registry& registry() const { return registry_; }
  const Config& config() const { return registry_.config(); }
  // The command log: every executed step with the time it started (the journal's commands).
  struct Command {
    Ms t;
    json step;
  };
  const std::vector<Command>& commands() const { return commands_; }
  const std::vector<StepResult>& results() const { return results_; }
  // Observer names ever used, with their latest status.
  const std::map<std::string, ObserverName>& observerNames() const { return names_; }
  // Evaluates an expect object against the current state (also used by "export as scenario").
  std::vector<ExpectCheck> evaluate(const json& expect) const;
  // An expect step per store capturing state, gcTime, gcDueIn and generation right now.
  std::vector<json> snapshotExpectations() const;

 private:
  Status run(const json& step, StepResult& r);
  Status attach(const json& a);
  Status detach(const std::string& name);
  Status unmount(const std::string& path);
  void syncObserverStatus();

  Registry registry_;
  std::vector<Command> commands_;
  std::vector<StepResult> results_;
  std::map<std::string, ObserverName> names_;
  uint64_t autoName_ = 0;
  // One resolved request per distinct request JSON: the registry keeps every resolved request.
  Result<RequestId> resolve(const json& request);
  std::unordered_map<std::string, RequestId> resolved_;
  size_t eventCursor_ = 0;
};

}  // namespace si
