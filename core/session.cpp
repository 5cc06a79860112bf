#include "session.hpp"

#include <algorithm>
#include <set>

#include "store_id.hpp"

namespace si {
namespace {

json spanJson(Span s) { return s.infinite ? json("Infinity") : json(s.ms); }

// Every key and value a message quotes goes through options.hpp's builder (childPath,
// expectedError, unknownKeyError), which cuts it to 80 bytes.
Error fieldError(const std::string& where, std::string_view key, std::string_view expected,
                 const json& got) {
  return expectedError(childPath(where, key), expected, got);
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

const std::vector<std::string_view> kRegistryObjectFields = {"live", "observers", "byState"};

std::string joinNames(const std::vector<std::string_view>& names, std::string_view skip) {
  std::string out;
  for (std::string_view n : names) {
    if (n != skip) out += (out.empty() ? "" : ", ") + std::string(n);
  }
  return out;
}

// The value of one checked field of an expectation; `at` is the field's own pointer.
Status validateExpectField(std::string_view k, const json& v, const std::string& at) {
  static const std::string kStates = "one of ABSENT, LOADING, ACTIVE, INACTIVE, FAILED, DISPOSED";
  State state;
  ObserverStatus status;
  if (k == "state" && !(v.is_string() && parseState(v.get_ref<const std::string&>(), &state)))
    return expectedError(at, kStates, v);
  if (k == "status" && !(v.is_string() && parseObserverStatus(v.get_ref<const std::string&>(), &status)))
    return expectedError(at, "one of suspended, ready, errored, orphaned, detached", v);
  if ((k == "observers" || k == "generation" || k == "loads" || k == "live") && !isCount(v))
    return expectedError(at, "a non-negative integer", v);
  if (k == "gcTime" && !(isNonNegativeInt(v) || v == "Infinity"))
    return expectedError(at, "a non-negative integer or \"Infinity\"", v);
  if (k == "gcDueIn" && !(v.is_null() || v.is_number_integer()))
    return expectedError(at, "an integer or null", v);
  if (k == "error" && !v.is_string()) return expectedError(at, "a string", v);
  if (k == "options" && !v.is_object()) return expectedError(at, "an object", v);
  if (k == "lints" &&
      !(v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); })))
    return expectedError(at, "an array of lint codes", v);
  if (k == "byState") {
    if (!v.is_object()) return expectedError(at, "an object", v);
    for (const auto& [name, n] : v.items()) {
      if (!parseState(name, &state)) return inputError(childPath(at, name), "unknown state; expected " + kStates);
      if (!isCount(n)) return expectedError(childPath(at, name), "a non-negative integer", n);
    }
  }
  return success();
}

// The fields of `fields` other than `subject`: each known and well-typed. Returns how many.
Result<size_t> validateExpectFields(const json& fields, const std::string& where, std::string_view subject,
                                    const std::vector<std::string_view>& known) {
  size_t count = 0;
  for (const auto& [k, v] : fields.items()) {
    if (!subject.empty() && k == subject) continue;
    if (!contains(known, k)) return unknownKeyError(childPath(where, k), "expect field", k, known);
    if (Status ok = validateExpectField(k, v, childPath(where, k)); !ok) return ok.error();
    ++count;
  }
  return count;
}

// The subject's own value: a storeId, an observer id, or for the registry `true` or an object
// holding the registry's fields ({"registry": {"live": 2}}).
Status validateExpectSubject(const json& e, const std::string& where, std::string_view subject) {
  const std::string at = childPath(where, subject);
  const json& v = e[std::string(subject)];
  if (subject == "store" && !v.is_string()) return expectedError(at, "a storeId string", v);
  if (subject == "observer") {
    if (!v.is_string()) return expectedError(at, "an observer id string", v);
    return checkNoControlCharacters(v.get_ref<const std::string&>(), at);
  }
  if (subject == "registry" && !(v.is_boolean() || v.is_object())) return expectedError(at, "true", v);
  return success();
}

Status validateExpect(const json& e, const std::string& where) {
  if (!e.is_object()) return expectedError(where, "an object", e);
  const int subjects = int(e.contains("store")) + int(e.contains("observer")) +
                       int(e.contains("registry"));
  if (subjects != 1) {
    return Error{where + ": expected exactly one of \"store\", \"observer\" or \"registry\""};
  }
  const std::string_view subject = e.contains("store") ? "store" : e.contains("observer") ? "observer" : "registry";
  const std::vector<std::string_view>& fields = subject == "store"      ? kStoreFields
                                                : subject == "observer" ? kObserverFields
                                                                        : kRegistryFields;
  Result<size_t> checked = validateExpectFields(e, where, subject, fields);
  if (!checked) return checked.error();
  if (Status ok = validateExpectSubject(e, where, subject); !ok) return ok;
  const json& value = e[std::string(subject)];
  if (subject == "registry" && value.is_object()) {
    const std::string inner = childPath(where, "registry");
    Result<size_t> more = validateExpectFields(value, inner, "", kRegistryObjectFields);
    if (!more) return more.error();
    for (const auto& [k, v] : value.items()) {
      if (e.contains(k)) return inputError(childPath(inner, k), "also given beside \"registry\"");
    }
    *checked += *more;
  }
  if (*checked == 0) {
    return inputError(where, "checks nothing; give at least one of " + joinNames(fields, subject));
  }
  return success();
}

}  // namespace

// [SECTION] Reading scenarios

namespace {

// An observer id or a component path: a non-empty string without control characters (they
// are printed in transcripts, where an escape sequence or a newline would reach the terminal).
Status validateName(const json& v, const std::string& at, std::string_view expected) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return expectedError(at, expected, v);
  return checkNoControlCharacters(v.get_ref<const std::string&>(), at);
}

// The value of a step's action; `where` is the step's pointer.
Status validateAction(const std::string& action, const json& v, const std::string& where) {
  const std::string at = childPath(where, action);
  if (action == "advance" || action == "advanceTo") {
    if (!isNonNegativeInt(v) || !fitsMs(v)) return expectedError(at, "a non-negative integer (ms)", v);
  } else if (action == "attach" || action == "preload") {
    if (!v.is_object()) return expectedError(at, "a request object", v);
    if (action == "attach") {
      for (const char* k : {"observer", "component"}) {
        if (!v.contains(k)) continue;
        if (Status ok = validateName(v[k], childPath(at, k), "a non-empty string"); !ok) return ok;
      }
    }
  } else if (action == "detach") {
    const std::string_view expected = "an observer id or {\"observer\": id}";
    if (v.is_object() && v.size() == 1 && v.contains("observer"))
      return validateName(v["observer"], childPath(at, "observer"), expected);
    return validateName(v, at, expected);
  } else if (action == "unmount") {
    return validateName(v, at, "a component path");
  } else if (action == "drop") {
    if (!v.is_string()) return expectedError(at, "a storeId", v);
  } else if (action == "clear") {
    if (v != json(true)) return expectedError(at, "true", v);
  } else if (action == "expect") {
    return validateExpect(v, at);
  }
  return success();
}

}  // namespace

Status validateStep(const json& step, const std::string& where) {
  // Steps built in code (GUI, tests) may hold bytes that are not UTF-8: refuse before any dump().
  if (Status ok = checkUtf8(step, where); !ok) return ok;
  if (!step.is_object()) return expectedError(where, "a step object", step);
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
      return unknownKeyError(childPath(where, k), "step key", k, known);
    }
  }
  if (action.empty()) {
    return Error{where + ": a step needs one action (advance, advanceTo, attach, detach, "
                 "unmount, preload, drop, clear or expect)"};
  }
  return validateAction(action, step[action], where);
}

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
    } else if (!v.is_string() || !parseEnvironment(s, &sc.config.environment)) {
      return expectedError("/environment", "one of browser, ssr", v);
    }
  }
  if (o.policy) sc.config.policy = *o.policy;
  if (o.environment) sc.config.environment = *o.environment;
  if (!j.contains("steps") || !j["steps"].is_array())
    return expectedError("/steps", "an array of steps", j.value("steps", json()));
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
    return Error{"observer: " + shortDump(name) + " is already attached (to " + it->second.store + ")"};
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
  if (it == names_.end()) return Error{"observer " + shortDump(name) + " is not attached (unknown observer)"};
  if (it->second.id == kNoObserver) {
    return Error{"observer " + shortDump(name) + " is not attached (already " +
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
    // The fields beside "registry" and, in the object form, those inside it.
    json fields = e;
    fields.erase("registry");
    if (e["registry"].is_object()) {
      for (const auto& [field, want] : e["registry"].items()) fields[field] = want;
    }
    for (const auto& [field, want] : fields.items()) {
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
