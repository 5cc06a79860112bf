#include "session.hpp"

#include <algorithm>
#include <set>
#include <type_traits>
#include <variant>

#include "json_fast.hpp"
#include "store_id.hpp"

namespace si {
namespace {

const std::vector<std::string_view> kScenarioKeys = {"name", "description", "config", "policy",
                                                     "environment", "steps"};

bool contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

// [SECTION] Reading scenarios

bool looksLikeScenario(const json& j) { return j.is_object() && j.contains("steps"); }

Result<Scenario> parseScenario(const json& j, const std::string& path, const Overrides& o) {
  if (!j.is_object()) return expectedError("/", "a scenario object", j);
  for (const auto& [k, v] : j.items()) {
    if (!contains(kScenarioKeys, k)) return unknownKeyError("/" + childPath("", k), "key", k, kScenarioKeys);
  }
  Scenario sc;
  sc.path = path;
  if (j.contains("name")) {
    if (!j["name"].is_string()) return expectedError("/name", "a string", j["name"]);
    sc.name = j["name"].get<std::string>();
  }
  if (j.contains("description") && !j["description"].is_string())
    return expectedError("/description", "a string", j["description"]);
  if (!j.contains("config")) return Error{"/config: required (a config path or object)"};
  sc.configRef = j["config"];
  const std::string baseDir = path.empty() ? std::string(".") : dirName(path);
  if (sc.configRef.is_string()) {
    const std::string ref = sc.configRef.get<std::string>();
    const std::string full = (!ref.empty() && ref[0] == '/') ? ref : baseDir + "/" + ref;
    Result<json> cj = readJsonFile(full);
    if (!cj) {
      // A missing file is named as written; a syntax error keeps its file:line:column.
      const std::string& m = cj.message();
      const std::string prefix = full + ": ";
      if (m.rfind(prefix, 0) == 0) return Error{"/config: " + shortDump(ref) + ": " + m.substr(prefix.size())};
      return cj.error();
    }
    Result<Config> c = parseConfig(*cj, dirName(full));
    if (!c) return Error{"/config: " + shortDump(ref) + ": " + c.message()};
    sc.config = std::move(*c);
  } else if (sc.configRef.is_object()) {
    Result<Config> c = parseConfig(sc.configRef, baseDir);
    if (!c) return Error{"/config" + c.message()};
    sc.config = std::move(*c);
  } else {
    return expectedError("/config", "a config path or an inline config object", sc.configRef);
  }
  for (const char* k : {"policy", "environment"}) {
    if (!j.contains(k)) continue;
    const json& v = j[k];
    const std::string s = v.is_string() ? v.get<std::string>() : std::string();
    if (std::string(k) == "policy") {
      if (!v.is_string() || !parsePolicy(s, &sc.config.policy))
        return expectedError("/policy", "one of longest, first, last, shortest", v);
      sc.config.policyExplicit = true;  // over the profile's default (SPEC 11)
    } else if (!v.is_string() || !parseEnvironment(s, &sc.config.environment)) {
      return expectedError("/environment", "one of browser, ssr", v);
    }
  }
  if (o.policy) sc.config.policy = *o.policy, sc.config.policyExplicit = true;
  if (o.environment) sc.config.environment = *o.environment;
  // SPEC 8: the command line overrides every registry, created ones included.
  sc.config.policyOverride = o.policy;
  sc.config.environmentOverride = o.environment;
  if (!j.contains("steps") || !j["steps"].is_array())
    return expectedError("/steps", "an array of steps", j.value("steps", json()));
  const json& steps = j["steps"];
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step step = parseStep(steps[i], "/steps/" + std::to_string(i));
    if (const Error* bad = step.malformed()) return *bad;
    sc.steps.push_back(steps[i]);
  }
  return sc;
}

Result<Scenario> loadScenarioFile(const std::string& path, const Overrides& o) {
  Result<json> j = readJsonFile(path);
  if (!j) return j.error();
  Result<Scenario> sc = parseScenario(*j, path, o);
  if (!sc) {
    const std::string& m = sc.message();
    // Errors of a referenced config file already carry that file's own location.
    if (m.rfind("/", 0) == 0) return Error{path + ": " + m};
    return sc.error();
  }
  return sc;
}

// [SECTION] Running steps

Session::Session(Config config) : registry_(std::move(config)) {}

Session::Session(const Session& o, SnapshotTag)
    : registry_(o.registry_, SnapshotTag{}),
      autoName_(o.autoName_),
      resolved_(o.resolved_),
      live_(o.live_ ? o.live_->clone() : nullptr) {}

StepResult Session::execute(const json& step) { return execute(json(step)); }

StepResult Session::execute(const Step& step) {
  return returned(perform(step, json(step.source)), json(step.source));
}

StepResult Session::execute(json&& step) {
  Step st = parseStep(std::move(step), "step");
  StepResult& kept = perform(st, json(st.source));
  return returned(kept, std::move(st.source));
}

namespace {

// Sets a flag for the length of a call.
class FlagFor {
 public:
  FlagFor(bool& flag, bool value) : flag_(flag), was_(flag) { flag_ = value; }
  ~FlagFor() { flag_ = was_; }
  FlagFor(const FlagFor&) = delete;
  FlagFor& operator=(const FlagFor&) = delete;

 private:
  bool& flag_;
  bool was_;
};

}  // namespace

const StepResult& Session::run(json&& step) {
  FlagFor noNested(keepNested_, false);  // the log has the message
  Step st = parseStep(std::move(step), "step");
  return perform(st, std::move(st.source));
}

const StepResult& Session::runLive(uint64_t connection, std::string text, void* decoded, json overrides) {
  FlagFor noNested(keepNested_, false);
  Step st;
  Live& live = st.action.emplace<Live>();
  live.connection = connection;
  live.decoded = decoded;
  if (overrides.is_object()) live.overrides = overrides;
  StepResult& r = begin(Command(registry_.now(), connection, std::move(text), std::move(overrides)));
  settle(st, act(live, r), r);
  return r;
}

void Session::forgetBefore(size_t command, size_t event) {
  commands_.dropBefore(command);
  results_.dropBefore(command);
  registry_.forgetEventsBefore(event);
}

StepResult& Session::begin(Command&& command) {
  if (!keepHistory_) {  // the previous command's log entry, result and events go
    commands_.clear();
    results_.clear();
    registry_.forgetEvents();
  }
  StepResult& r = results_.emplace_back();  // executing a step adds no other result
  r.index = commands_.size();
  r.t = registry_.now();
  r.eventBegin = registry_.events().size();
  commands_.push_back(std::move(command));
  return r;
}

StepResult& Session::perform(const Step& step, json&& source) {
  StepResult& r = begin(Command(registry_.now(), std::move(source)));
  const Status status = std::visit([&](const auto& action) { return act(action, r); }, step.action);
  settle(step, status, r);
  return r;
}

json Session::Command::step() const {
  if (connection_ == 0) return step_;
  json body = json::object();
  body["connection"] = connection_;
  Result<json> message = parseJsonText(message_, "live message");
  body["message"] = message ? std::move(*message) : json(message_);  // it parsed when it came
  if (step_.is_object() && !step_.empty()) body["overrides"] = step_;
  json command = json::object();
  command["live"] = std::move(body);
  return command;
}

std::string Session::Command::dump() const {
  std::string out;
  dumpTo(out);
  return out;
}

void Session::Command::dumpTo(std::string& out) const {
  if (connection_ == 0 || (step_.is_object() && !step_.empty())) {
    out += step().dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  // The text was valid JSON in UTF-8 when it came (the decoder read it): no tree needed.
  out += "{\"live\":{\"connection\":";
  out += std::to_string(connection_);
  out += ",\"message\":";
  out += message_;
  out += "}}";
}

StepResult Session::returned(StepResult& kept, json&& step) {
  // The kept result leaves out the step (the log has it) and the nested steps (a live
  // message's advanceTo and rewritten step): a trace has a million of them.
  std::vector<json> nested = std::move(kept.nested);
  StepResult r = kept;
  r.step = std::move(step);
  r.nested = std::move(nested);
  return r;
}

Status Session::executeNested(const json& step, StepResult& r) { return executeNested(json(step), r); }

Status Session::executeNested(json&& step, StepResult& r) {
  Step st = parseStep(std::move(step), "step", keepNested_);
  return executeNested(st.action, std::move(st.source), r);
}

Status Session::executeNested(const Action& action, json&& source, StepResult& r) {
  const Status status = std::holds_alternative<Live>(action)
                            ? Status(Error{"live: a live command cannot run another"})
                            : std::visit([&](const auto& a) { return act(a, r); }, action);
  if (keepNested_) r.nested.push_back(std::move(source));
  return status;
}

Status Session::act(const Live& a, StepResult& r) {
  if (!live_) {
    const LiveHandlerFactory make = liveHandlerFactory();
    if (!make) return Error{"live: this program cannot decode live messages (no live attach)"};
    live_ = make();
  }
  return live_->apply(*this, a, r);
}

void Session::settle(const Step& step, const Status& status, StepResult& r) {
  if (!status) {
    r.error = status.message();
    registry_.recordStepFailed(r.error);
  }
  if (step.expectError) {
    const std::string& want = *step.expectError;
    if (status) {
      r.ok = false;
      r.error = "expected an error containing " + shortDump(want) + ", but the step succeeded";
    } else if (r.error.find(want) == std::string::npos) {
      r.ok = false;
      r.error = "expected an error containing " + shortDump(want) + ", got: " + r.error;
    }
  } else if (!status) {
    r.ok = false;
  }
  for (const ExpectCheck& c : r.checks) r.ok = r.ok && c.passed;
  r.eventEnd = registry_.events().size();
  for (const Event& e : registry_.eventsSince(r.eventBegin)) {
    if (e.kind == EventKind::PreloadErrorSwallowed) r.swallowed.push_back(e.text);
    if (e.kind == EventKind::InstanceCreated) {
      const std::vector<std::string>& lints = registry_.stores()[e.store].lints;
      r.lints.insert(r.lints.end(), lints.begin(), lints.end());
    }
  }
}

Status Session::act(const Malformed& a, StepResult&) { return a.error; }
Status Session::act(const Advance& a, StepResult&) { return registry_.advance(a.ms); }
Status Session::act(const AdvanceTo& a, StepResult&) { return registry_.advanceTo(a.t); }
Status Session::act(const Detach& a, StepResult&) { return registry_.detachNamed(a.observer); }

Result<RegistryIndex> Session::target(const std::string& name) const {
  return registry_.openRegistry(name.empty() ? std::string_view("default") : std::string_view(name));
}

Status Session::act(const Preload& a, StepResult&) {
  // SPEC 8: a preload naming an unknown or shut-down registry is swallowed like any preload
  // error (rule 0), recorded in that registry when it exists.
  Result<RegistryIndex> reg = target(a.registry);
  if (!reg) {
    const auto known = registry_.registryIndex(a.registry.empty() ? "default" : a.registry);
    registry_.preloadInvalid("registry: " + reg.message(), known.value_or(kDefaultRegistry));
    return success();
  }
  auto req = resolve(a.request, *reg);
  if (req)
    registry_.preload(*req);
  else
    registry_.preloadInvalid(req.message(), *reg);
  return success();
}

Status Session::act(const Drop& a, StepResult&) {
  Result<RegistryIndex> reg = target(a.registry);
  if (!reg) return Error{"registry: " + reg.message()};
  registry_.drop(a.storeId, *reg);  // no live instance: a no-op
  return success();
}

Status Session::act(const Clear& a, StepResult&) {
  Result<RegistryIndex> reg = target(a.registry);
  if (!reg) return Error{"registry: " + reg.message()};
  registry_.clear(*reg);
  return success();
}

Status Session::act(const CreateRegistry& a, StepResult&) {
  Result<RegistrySettings> settings =
      parseRegistryBlock(a.block, "createRegistry", registrySettings(registry_.config()), {"name"});
  if (!settings) return settings.error();
  Result<RegistryIndex> r = registry_.createRegistry(a.name, std::move(*settings));
  if (!r) return Error{"name: " + r.message()};
  return success();
}

Status Session::act(const ShutdownRegistry& a, StepResult&) {
  Result<RegistryIndex> reg = target(a.registry);
  if (!reg) return Error{"registry: " + reg.message()};
  return registry_.shutdown(ShutdownRequest{*reg, a.strategy, a.loading, a.deadline});
}

// loaded / loadFailed finish loads, they request nothing: a shutting-down (or, after a name
// was reused, the newest) registry of that name is a valid target (SPEC 8).
Status Session::act(const Loaded& a, StepResult&) {
  const std::string name = a.registry.empty() ? "default" : a.registry;
  const auto reg = registry_.registryIndex(name);
  if (!reg) return Error{"registry: unknown registry " + shortDump(name)};
  return registry_.finishExternalLoad(a.storeId, *reg, "");
}

Status Session::act(const LoadFailed& a, StepResult&) {
  const std::string name = a.registry.empty() ? "default" : a.registry;
  const auto reg = registry_.registryIndex(name);
  if (!reg) return Error{"registry: unknown registry " + shortDump(name)};
  return registry_.finishExternalLoad(a.storeId, *reg, a.error);
}

Status Session::act(const Expect& a, StepResult& r) {
  r.checks = evaluate(a);
  return success();
}

template <class Resolve>
Status Session::attachWith(const std::string& observer, const std::string& component, const std::string& tag,
                           const std::string& registry, const Resolve& resolveIn) {
  std::string name = observer;
  while (name.empty()) {
    name = "o" + std::to_string(++autoName_);
    if (!registry_.checkNameFree(name)) name.clear();
  }
  if (Status ok = registry_.claimName(name); !ok) return ok;  // the attach below takes this lookup
  Result<RegistryIndex> reg = target(registry);
  if (!reg) return Error{"registry: " + reg.message()};
  Result<RequestId> req = resolveIn(*reg);
  if (!req) return req.error();
  Result<ObserverId> id = registry_.attach(*req, ObserverInfo{name, component, tag});
  if (!id) return id.error();
  return success();
}

Status Session::act(const Attach& a, StepResult&) {
  return attachWith(a.observer, a.component, a.requestTag, a.registry,
                    [&](RegistryIndex reg) { return resolve(a.request, reg); });
}

Status Session::attachKeyed(const std::string& observer, const std::string& registry, std::string_view requestKey,
                            const std::function<json()>& request) {
  static const std::string kNone;
  return attachWith(observer, kNone, kNone, registry, [&](RegistryIndex reg) -> Result<RequestId> {
    startKey(reg);
    resolveKey_ += requestKey;
    if (const RequestId* known = resolved_.find(resolveKey_)) return *known;
    return resolveNew(request(), reg);
  });
}

void Session::startKey(RegistryIndex registry) {
  // Per registry, and per reuse of its name (a reused name may have other defaults).
  std::string& text = resolveKey_;
  text.clear();
  if (const auto epoch = registry_.registryAt(registry).epoch; registry != kDefaultRegistry || epoch != 0) {
    text += std::to_string(registry);
    text += '.';
    text += std::to_string(epoch);
    text += ' ';
  }
}

Result<RequestId> Session::resolve(const json& request, RegistryIndex registry) {
  startKey(registry);
  appendJsonKey(request, resolveKey_);  // one per attach and preload: not a dump, cheaper to write
  if (const RequestId* known = resolved_.find(resolveKey_)) return *known;
  return resolveNew(request, registry);
}

Result<RequestId> Session::resolveNew(const json& request, RegistryIndex registry) {
  Result<RequestId> id = registry_.resolve(request, registry);
  if (id) resolved_.insert(resolveKey_, *id);
  return id;
}

Status Session::act(const Unmount& a, StepResult&) {
  // The component itself and everything below it, by whole segments.
  const std::string& path = a.component;
  std::vector<std::pair<uint64_t, ObserverId>> victims;
  const auto& obs = registry_.observers();
  for (ObserverId id = 0; id < obs.size(); ++id) {
    const ObserverRecord& o = obs[id];
    if (!o.attached) continue;
    const bool under = o.component == path ||
                       (o.component.size() > path.size() && o.component.compare(0, path.size(), path) == 0 &&
                        (o.component[path.size()] == '/' || path.back() == '/'));
    if (under) victims.emplace_back(o.requestSeq, id);
  }
  std::sort(victims.begin(), victims.end());  // in the order they attached
  for (const auto& [seq, id] : victims) {
    if (Status ok = registry_.detach(id); !ok) return ok;
  }
  return success();
}

// [SECTION] Expectations

namespace {

ExpectCheck checked(const std::string& subject, const std::string& field, const json& want,
                    json actual, bool passed) {
  return ExpectCheck{subject, field, want, std::move(actual), passed};
}
ExpectCheck compared(const std::string& subject, const std::string& field, const json& want,
                     json actual) {
  const bool passed = sameJson(want, actual);
  return checked(subject, field, want, std::move(actual), passed);
}

// "options": each listed key's effective value must equal the given JSON exactly.
ExpectCheck storeOptions(const std::string& subject, const StoreRecord* s, const json& want) {
  json actual = json::object();
  bool passed = s && s->options;
  for (const auto& [key, value] : want.items()) {
    json got = nullptr;
    if (s && s->options) {
      if (key == "gcTime") {
        got = spanToJson(s->gcTime);
      } else if (auto k = parseOptionKey(key)) {
        if (const EffectiveOption* eo = s->options->get(*k)) got = eo->value;
      }
    }
    actual[key] = got;
    passed = passed && sameJson(got, value);
  }
  return checked(subject, "options", want, std::move(actual), passed);
}

// "lints": the exact set of codes, in any order.
ExpectCheck storeLints(const std::string& subject, const StoreRecord* s, const json& want) {
  json actual = json::array();
  if (s) {
    for (const auto& l : s->lints) actual.push_back(l);
  }
  std::multiset<std::string> a, b;
  for (const auto& x : actual) a.insert(x.get<std::string>());
  for (const auto& x : want) b.insert(x.get<std::string>());
  const bool passed = a == b;
  return checked(subject, "lints", want, std::move(actual), passed);
}

// A field compared as JSON: its actual value right now.
json storeField(const std::string& field, const StoreRecord* s, Ms now) {
  const bool created = s && s->state != State::Absent;
  if (field == "clientId") return created ? json(s->clientId) : json(nullptr);
  if (field == "sessionId") return created ? json(s->sessionId) : json(nullptr);
  if (field == "state") return std::string(toString(s ? s->state : State::Absent));
  if (field == "observers") return s ? s->observers : 0;
  if (field == "gcTime") return (s && s->state != State::Absent) ? spanToJson(s->gcTime) : json(nullptr);
  if (field == "gcDueIn") return (s && s->gcArmed) ? json(s->gcDueIn(now)) : json(nullptr);
  if (field == "generation") return s ? s->generation : 0;
  if (field == "loads") return s ? s->loads : 0;
  return nullptr;
}

}  // namespace

std::vector<ExpectCheck> Session::evaluate(const Expect& e) const {
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, StoreExpect>) return evaluateStore(x);
        else if constexpr (std::is_same_v<T, ObserverExpect>) return evaluateObserver(x);
        else return evaluateRegistry(x);
      },
      e);
}

std::vector<ExpectCheck> Session::evaluateStore(const StoreExpect& e) const {
  std::vector<ExpectCheck> checks;
  const auto reg = registry_.registryIndex(e.registry);
  const std::string subject =
      e.registry == "default" ? "store " + e.store : "store " + e.registry + "/" + e.store;
  if (!reg) {
    checks.push_back(checked(subject, "registry", e.registry, nullptr, false));
    return checks;
  }
  const StoreRecord* s = registry_.find(e.store, *reg);
  for (const auto& [field, want] : e.fields.items()) {
    if (field == "error") {
      const bool passed = s && s->state == State::Failed && want.is_string() &&
                          s->error.find(want.get<std::string>()) != std::string::npos;
      checks.push_back(checked(subject, field, want, s ? s->error : std::string(), passed));
    } else if (field == "options") {
      checks.push_back(storeOptions(subject, s, want));
    } else if (field == "lints") {
      checks.push_back(storeLints(subject, s, want));
    } else {
      checks.push_back(compared(subject, field, want, storeField(field, s, registry_.now())));
    }
  }
  return checks;
}

std::vector<ExpectCheck> Session::evaluateObserver(const ObserverExpect& e) const {
  std::vector<ExpectCheck> checks;
  const ObserverName* name = registry_.observerNames().find(e.observer);
  for (const auto& [field, want] : e.fields.items()) {
    const json actual = name ? json(std::string(toString(name->status))) : json(nullptr);
    checks.push_back(compared("observer " + e.observer, field, want, actual));
  }
  return checks;
}

std::vector<ExpectCheck> Session::evaluateRegistry(const RegistryExpect& e) const {
  std::vector<ExpectCheck> checks;
  const std::string subject = e.name == "default" ? "registry" : "registry " + e.name;
  const auto reg = registry_.registryIndex(e.name);
  if (!reg) {
    checks.push_back(checked(subject, "name", e.name, nullptr, false));
    return checks;
  }
  const NamedRegistry& named = registry_.registryAt(*reg);
  const RegistryCounts& c = registry_.countsOf(*reg);
  for (const auto& [field, want] : e.fields.items()) {
    json actual;
    if (field == "state") {
      actual = std::string(toString(named.state));
    } else if (field == "killed") {
      actual = named.killed;
    } else if (field == "live") {
      actual = c.live;
    } else if (field == "observers") {
      actual = c.attachedObservers;
    } else {  // byState: only the states asked for
      actual = json::object();
      for (const auto& [state, n] : want.items()) {
        State st;
        parseState(state, &st);
        actual[state] = c.byState[static_cast<size_t>(st)];
      }
    }
    checks.push_back(compared(subject, field, want, actual));
  }
  return checks;
}

std::vector<json> Session::snapshotExpectations() const {
  std::vector<json> out;
  const Ms now = registry_.now();
  for (const StoreRecord& s : registry_.stores()) {
    if (s.state == State::Absent) continue;
    json e = json::object();
    e["store"] = s.storeId;
    if (s.registry != kDefaultRegistry) e["registry"] = registry_.registryAt(s.registry).name;
    e["state"] = std::string(toString(s.state));
    e["observers"] = s.observers;
    e["gcTime"] = spanToJson(s.gcTime);
    e["gcDueIn"] = s.gcArmed ? json(s.gcDueIn(now)) : json(nullptr);
    e["generation"] = s.generation;
    out.push_back(json{{"expect", e}});
  }
  return out;
}

}  // namespace si
