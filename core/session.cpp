#include "session.hpp"

#include <algorithm>
#include <set>

namespace si {
namespace {

json spanJson(Span s) { return s.infinite ? json("Infinity") : json(s.ms); }

std::string at(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "/" + key;
}

Error fieldError(const std::string& where, const std::string& key, const std::string& expected,
                 const json& got) {
  return Error{at(where, key) + ": expected " + expected + ", got " + got.dump()};
}

Error unknownKey(const std::string& where, const std::string& key,
                 const std::vector<std::string_view>& known, const std::string& what) {
  std::string msg = at(where, key) + ": unknown " + what;
  const std::string near = nearest(key, known);
  if (!near.empty()) msg += "; did you mean \"" + near + "\"?";
  return Error{msg};
}

bool isNonNegativeInt(const json& v) {
  return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
}
bool isCount(const json& v) { return isNonNegativeInt(v); }
bool fitsMs(const json& v) {
  return v.is_number_integer() && (!v.is_number_unsigned() || v.get<uint64_t>() <= uint64_t(kMaxMs));
}

const std::vector<std::string_view> kActions = {"advance", "advanceTo", "attach",  "detach", "unmount",
                                                "preload", "drop",      "clear", "expect"};
const std::vector<std::string_view> kStoreFields = {"store",      "state",  "observers", "gcTime",
                                                    "gcDueIn",    "generation", "loads", "error",
                                                    "options",    "lints"};
const std::vector<std::string_view> kObserverFields = {"observer", "status"};
const std::vector<std::string_view> kRegistryFields = {"registry", "live", "observers", "byState"};
const std::vector<std::string_view> kScenarioKeys = {"name", "description", "config", "policy",
                                                     "environment", "steps"};

bool contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

Status validateExpect(const json& e, const std::string& where) {
  if (!e.is_object()) return Error{where + ": expected an object, got " + e.dump()};
  const int subjects = int(e.contains("store")) + int(e.contains("observer")) +
                       int(e.contains("registry"));
  if (subjects != 1) {
    return Error{where + ": expected exactly one of \"store\", \"observer\" or \"registry\""};
  }
  const std::vector<std::string_view>& fields = e.contains("store")      ? kStoreFields
                                                : e.contains("observer") ? kObserverFields
                                                                         : kRegistryFields;
  for (const auto& [k, v] : e.items()) {
    if (!contains(fields, k)) return unknownKey(where, k, fields, "expect field");
  }
  if (e.contains("store") && !e["store"].is_string())
    return fieldError(where, "store", "a storeId string", e["store"]);
  if (e.contains("observer") && !e["observer"].is_string())
    return fieldError(where, "observer", "an observer id string", e["observer"]);
  if (e.contains("registry") && !(e["registry"].is_boolean() || e["registry"].is_object()))
    return fieldError(where, "registry", "true", e["registry"]);
  if (e.contains("state")) {
    State st;
    if (!e["state"].is_string() || !parseState(e["state"].get<std::string>(), &st))
      return fieldError(where, "state",
                        "one of ABSENT, LOADING, ACTIVE, INACTIVE, FAILED, DISPOSED", e["state"]);
  }
  if (e.contains("status")) {
    ObserverStatus st;
    if (!e["status"].is_string() || !parseObserverStatus(e["status"].get<std::string>(), &st))
      return fieldError(where, "status", "one of suspended, ready, errored, orphaned, detached",
                        e["status"]);
  }
  for (const char* k : {"observers", "generation", "loads", "live"}) {
    if (e.contains(k) && !isCount(e[k])) return fieldError(where, k, "a non-negative integer", e[k]);
  }
  if (e.contains("gcTime") && !(isNonNegativeInt(e["gcTime"]) || e["gcTime"] == "Infinity"))
    return fieldError(where, "gcTime", "a non-negative integer or \"Infinity\"", e["gcTime"]);
  if (e.contains("gcDueIn") && !(e["gcDueIn"].is_null() || e["gcDueIn"].is_number_integer()))
    return fieldError(where, "gcDueIn", "an integer or null", e["gcDueIn"]);
  if (e.contains("error") && !e["error"].is_string())
    return fieldError(where, "error", "a string", e["error"]);
  if (e.contains("options") && !e["options"].is_object())
    return fieldError(where, "options", "an object", e["options"]);
  if (e.contains("lints")) {
    const json& l = e["lints"];
    if (!l.is_array() || !std::all_of(l.begin(), l.end(), [](const json& x) { return x.is_string(); }))
      return fieldError(where, "lints", "an array of lint codes", l);
  }
  if (e.contains("byState")) {
    const json& b = e["byState"];
    if (!b.is_object()) return fieldError(where, "byState", "an object", b);
    for (const auto& [k, v] : b.items()) {
      State st;
      if (!parseState(k, &st))
        return Error{at(where, "byState/" + k) +
                     ": unknown state; expected one of ABSENT, LOADING, ACTIVE, INACTIVE, FAILED, "
                     "DISPOSED"};
      if (!isCount(v)) return fieldError(where, "byState/" + k, "a non-negative integer", v);
    }
  }
  return success();
}

}  // namespace

// [SECTION] Reading scenarios

Status validateStep(const json& step, const std::string& where) {
  // Steps built in code (GUI, tests) may hold bytes that are not UTF-8: refuse before any dump().
  if (Status ok = checkUtf8(step, where); !ok) return ok;
  if (!step.is_object()) return Error{where + ": expected a step object, got " + step.dump()};
  std::string action;
  for (const auto& [k, v] : step.items()) {
    if (k == "note") {
      if (!v.is_string()) return fieldError(where, k, "a string", v);
    } else if (k == "expectError") {
      if (!v.is_string()) return fieldError(where, k, "a string (a substring of the error)", v);
    } else if (contains(kActions, k)) {
      if (!action.empty()) {
        return Error{where + ": a step has exactly one action, found \"" + action + "\" and \"" +
                     k + "\""};
      }
      action = k;
    } else {
      std::vector<std::string_view> known = kActions;
      known.push_back("note");
      known.push_back("expectError");
      return unknownKey(where, k, known, "step key");
    }
  }
  if (action.empty()) {
    return Error{where + ": a step needs one action (advance, advanceTo, attach, detach, "
                 "unmount, preload, drop, clear or expect)"};
  }
  const json& v = step[action];
  if (action == "advance" || action == "advanceTo") {
    if (!isNonNegativeInt(v) || !fitsMs(v))
      return fieldError(where, action, "a non-negative integer (ms)", v);
  } else if (action == "attach" || action == "preload") {
    if (!v.is_object()) return fieldError(where, action, "a request object", v);
    if (action == "attach") {
      for (const char* k : {"observer", "component"}) {
        if (v.contains(k) && (!v[k].is_string() || v[k].get<std::string>().empty()))
          return fieldError(at(where, action), k, "a non-empty string", v[k]);
      }
    }
  } else if (action == "detach") {
    const bool ok = (v.is_string() && !v.get<std::string>().empty()) ||
                    (v.is_object() && v.size() == 1 && v.contains("observer") &&
                     v["observer"].is_string());
    if (!ok) return fieldError(where, action, "an observer id or {\"observer\": id}", v);
  } else if (action == "unmount") {
    if (!v.is_string() || v.get<std::string>().empty())
      return fieldError(where, action, "a component path", v);
  } else if (action == "drop") {
    if (!v.is_string()) return fieldError(where, action, "a storeId", v);
  } else if (action == "clear") {
    if (v != json(true)) return fieldError(where, action, "true", v);
  } else if (action == "expect") {
    return validateExpect(v, at(where, action));
  }
  return success();
}

bool looksLikeScenario(const json& j) { return j.is_object() && j.contains("steps"); }

Result<Scenario> parseScenario(const json& j, const std::string& path, const Overrides& o) {
  if (!j.is_object()) return Error{"/: expected a scenario object, got " + j.dump().substr(0, 40)};
  for (const auto& [k, v] : j.items()) {
    if (!contains(kScenarioKeys, k)) return unknownKey("", "/" + k, kScenarioKeys, "key");
  }
  Scenario sc;
  sc.path = path;
  if (j.contains("name")) {
    if (!j["name"].is_string()) return fieldError("", "/name", "a string", j["name"]);
    sc.name = j["name"].get<std::string>();
  }
  if (j.contains("description") && !j["description"].is_string())
    return fieldError("", "/description", "a string", j["description"]);
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
      if (m.rfind(prefix, 0) == 0) return Error{"/config: \"" + ref + "\": " + m.substr(prefix.size())};
      return cj.error();
    }
    Result<Config> c = parseConfig(*cj, dirName(full));
    if (!c) return Error{"/config: \"" + ref + "\": " + c.message()};
    sc.config = std::move(*c);
  } else if (sc.configRef.is_object()) {
    Result<Config> c = parseConfig(sc.configRef, baseDir);
    if (!c) return Error{"/config" + c.message()};
    sc.config = std::move(*c);
  } else {
    return fieldError("", "/config", "a config path or an inline config object", sc.configRef);
  }
  for (const char* k : {"policy", "environment"}) {
    if (!j.contains(k)) continue;
    const json& v = j[k];
    const std::string s = v.is_string() ? v.get<std::string>() : std::string();
    if (std::string(k) == "policy") {
      if (!v.is_string() || !parsePolicy(s, &sc.config.policy))
        return fieldError("", "/policy", "one of longest, first, last, shortest", v);
    } else if (!v.is_string() || !parseEnvironment(s, &sc.config.environment)) {
      return fieldError("", "/environment", "one of browser, ssr", v);
    }
  }
  if (o.policy) sc.config.policy = *o.policy;
  if (o.environment) sc.config.environment = *o.environment;
  if (!j.contains("steps") || !j["steps"].is_array())
    return fieldError("", "/steps", "an array of steps", j.value("steps", json()));
  const json& steps = j["steps"];
  for (size_t i = 0; i < steps.size(); ++i) {
    if (Status ok = validateStep(steps[i], "/steps/" + std::to_string(i)); !ok) return ok.error();
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
      names_(o.names_),
      autoName_(o.autoName_),
      resolved_(o.resolved_) {}

StepResult Session::execute(const json& step) {
  StepResult r;
  r.index = commands_.size();
  // A step that is not valid UTF-8 fails validation; its log entry and result carry it with the
  // bad bytes replaced (U+FFFD), so journals and transcripts can still write it out.
  Status status = validateStep(step, "step");
  r.step = checkUtf8(step, "") ? step
                               : json::parse(step.dump(-1, ' ', false, json::error_handler_t::replace));
  r.t = registry_.now();
  r.eventBegin = registry_.events().size();
  commands_.push_back(Command{registry_.now(), r.step});

  if (status) status = run(step, r);
  syncObserverStatus();
  if (!status) {
    r.error = status.message();
    registry_.recordStepFailed(r.error);
  }
  if (step.is_object() && step.contains("expectError") && step["expectError"].is_string()) {
    const std::string want = step["expectError"].get<std::string>();
    if (status) {
      r.ok = false;
      r.error = "expected an error containing \"" + want + "\", but the step succeeded";
    } else if (r.error.find(want) == std::string::npos) {
      r.ok = false;
      r.error = "expected an error containing \"" + want + "\", got: " + r.error;
    }
  } else if (!status) {
    r.ok = false;
  }
  for (const ExpectCheck& c : r.checks) r.ok = r.ok && c.passed;
  r.eventEnd = registry_.events().size();
  results_.push_back(r);
  return r;
}

Status Session::run(const json& step, StepResult& r) {
  for (const auto& [action, v] : step.items()) {
    if (action == "note" || action == "expectError") continue;
    if (action == "advance") return registry_.advance(v.get<Ms>());
    if (action == "advanceTo") return registry_.advanceTo(v.get<Ms>());
    if (action == "attach") return attach(v);
    if (action == "detach") return detach(v.is_string() ? v.get<std::string>() : v["observer"].get<std::string>());
    if (action == "unmount") return unmount(v.get<std::string>());
    if (action == "preload") {
      auto req = resolve(v);
      if (req)
        registry_.preload(*req);
      else
        registry_.preloadInvalid(req.message());
      return success();
    }
    if (action == "drop") {
      registry_.drop(v.get<std::string>());  // no live instance: a no-op
      return success();
    }
    if (action == "clear") {
      registry_.clear();
      return success();
    }
    if (action == "expect") {
      r.checks = evaluate(v);
      return success();
    }
  }
  return Error{"step: no action"};
}

Status Session::attach(const json& a) {
  std::string name;
  if (a.contains("observer")) {
    name = a["observer"].get<std::string>();
  } else {
    do {
      name = "o" + std::to_string(++autoName_);
    } while (names_.count(name) && names_[name].id != kNoObserver);
  }
  auto it = names_.find(name);
  if (it != names_.end() && it->second.id != kNoObserver) {
    return Error{"observer: \"" + name + "\" is already attached (to " + it->second.store + ")"};
  }
  const std::string component = a.value("component", std::string());
  json request = a;
  request.erase("observer");
  request.erase("component");
  auto req = resolve(request);
  if (!req) return req.error();
  Result<ObserverId> id = registry_.attach(*req, ObserverInfo{name, component});
  if (!id) return id.error();
  ObserverName& n = names_[name];
  n.id = *id;
  n.store = registry_.request(*req).storeId;
  n.component = component;
  n.status = registry_.observers()[*id].status;
  return success();
}

Result<RequestId> Session::resolve(const json& request) {
  const std::string text = request.dump();
  if (auto it = resolved_.find(text); it != resolved_.end()) return it->second;
  Result<RequestId> id = registry_.resolve(request);
  if (id) resolved_.emplace(text, *id);
  return id;
}

Status Session::detach(const std::string& name) {
  auto it = names_.find(name);
  if (it == names_.end()) return Error{"observer \"" + name + "\" is not attached (unknown observer)"};
  if (it->second.id == kNoObserver) {
    return Error{"observer \"" + name + "\" is not attached (already " +
                 std::string(toString(it->second.status)) + ")"};
  }
  return registry_.detach(it->second.id);
}

Status Session::unmount(const std::string& path) {
  // The component itself and everything below it, by whole segments.
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

void Session::syncObserverStatus() {
  // Only what this step's events touched: an observer event names its observer, and a load
  // completion changes the status of every observer attached to that store.
  const auto& obs = registry_.observers();
  auto sync = [&](ObserverName& n) {
    if (n.id == kNoObserver) return;
    const ObserverRecord& o = obs[n.id];
    n.status = o.status;
    if (!o.attached) n.id = kNoObserver;
  };
  auto update = [&](const std::string& name) {
    if (auto it = names_.find(name); it != names_.end()) sync(it->second);
  };
  if (!registry_.retainsEvents()) {  // nothing to read: look at every attached name
    for (auto& [name, n] : names_) sync(n);
    return;
  }
  for (const Event& e : registry_.eventsSince(eventCursor_)) {
    if (!e.observer.empty()) {
      update(e.observer);
    } else if ((e.kind == EventKind::LoadSucceeded || e.kind == EventKind::LoadFailed) &&
               e.store != kNoStore) {
      for (ObserverId id : registry_.observersOf(e.store)) update(obs[id].name);
    }
  }
  eventCursor_ = registry_.events().size();
}

// [SECTION] Expectations

std::vector<ExpectCheck> Session::evaluate(const json& e) const {
  std::vector<ExpectCheck> checks;
  auto check = [&](const std::string& subject, const std::string& field, const json& expected,
                   const json& actual, bool passed) {
    checks.push_back(ExpectCheck{subject, field, expected, actual, passed});
  };
  if (e.contains("store")) {
    const std::string id = e["store"].get<std::string>();
    const StoreRecord* s = registry_.find(id);
    const std::string subject = "store " + id;
    for (const auto& [field, want] : e.items()) {
      if (field == "store") continue;
      json actual;
      bool passed;
      if (field == "state") {
        actual = std::string(toString(s ? s->state : State::Absent));
      } else if (field == "observers") {
        actual = s ? s->observers : 0;
      } else if (field == "gcTime") {
        actual = (s && s->state != State::Absent) ? spanJson(s->gcTime) : json(nullptr);
      } else if (field == "gcDueIn") {
        actual = (s && s->gcArmed) ? json(s->gcDueIn(registry_.now())) : json(nullptr);
      } else if (field == "generation") {
        actual = s ? s->generation : 0;
      } else if (field == "loads") {
        actual = s ? s->loads : 0;
      } else if (field == "error") {
        actual = s ? s->error : std::string();
        check(subject, field, want, actual,
              s && s->state == State::Failed && s->error.find(want.get<std::string>()) != std::string::npos);
        continue;
      } else if (field == "options") {
        actual = json::object();
        passed = s && s->options;
        for (const auto& [key, value] : want.items()) {
          json got = nullptr;
          if (s && s->options) {
            if (key == "gcTime") {
              got = spanJson(s->gcTime);
            } else if (auto k = parseOptionKey(key)) {
              if (const EffectiveOption* eo = s->options->get(*k)) got = eo->value;
            }
          }
          actual[key] = got;
          passed = passed && sameJson(got, value);
        }
        check(subject, field, want, actual, passed);
        continue;
      } else if (field == "lints") {
        actual = json::array();
        if (s) {
          for (const auto& l : s->lints) actual.push_back(l);
        }
        std::multiset<std::string> a, b;
        for (const auto& x : actual) a.insert(x.get<std::string>());
        for (const auto& x : want) b.insert(x.get<std::string>());
        check(subject, field, want, actual, a == b);
        continue;
      }
      check(subject, field, want, actual, sameJson(want, actual));
    }
  } else if (e.contains("observer")) {
    const std::string name = e["observer"].get<std::string>();
    auto it = names_.find(name);
    for (const auto& [field, want] : e.items()) {
      if (field == "observer") continue;
      json actual = nullptr;
      if (it != names_.end()) {
        const ObserverName& n = it->second;
        actual = std::string(toString(n.id != kNoObserver ? registry_.observers()[n.id].status : n.status));
      }
      check("observer " + name, field, want, actual, sameJson(want, actual));
    }
  } else {
    const RegistryCounts& c = registry_.counts();
    for (const auto& [field, want] : e.items()) {
      if (field == "registry") continue;
      json actual;
      if (field == "live") {
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
      check("registry", field, want, actual, sameJson(want, actual));
    }
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
    e["state"] = std::string(toString(s.state));
    e["observers"] = s.observers;
    e["gcTime"] = spanJson(s.gcTime);
    e["gcDueIn"] = s.gcArmed ? json(s.gcDueIn(now)) : json(nullptr);
    e["generation"] = s.generation;
    out.push_back(json{{"expect", e}});
  }
  return out;
}

}  // namespace si
