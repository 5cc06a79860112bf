#include "steps.hpp"

#include <algorithm>

#include "config.hpp"
#include "store_id.hpp"

namespace si {
namespace {

bool isNonNegativeInt(const json& v) {
  return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
}
bool isCount(const json& v) { return isNonNegativeInt(v); }
bool fitsMs(const json& v) {
  return v.is_number_integer() && (!v.is_number_unsigned() || v.get<uint64_t>() <= uint64_t(kMaxMs));
}

bool contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string joinNames(const std::vector<std::string_view>& names, std::string_view skip) {
  std::string out;
  for (std::string_view n : names) {
    if (n != skip) out += (out.empty() ? "" : ", ") + std::string(n);
  }
  return out;
}

// The action keys, in kActionNames order (Malformed has no key).
const std::vector<std::string_view> kActions(std::begin(kActionNames) + 1, std::end(kActionNames));
const std::vector<std::string_view> kStoreFields = {"store",     "state",    "observers", "gcTime",
                                                    "gcDueIn",   "generation", "loads",   "error",
                                                    "options",   "lints",    "registry",  "clientId",
                                                    "sessionId"};
const std::vector<std::string_view> kObserverFields = {"observer", "status"};
const std::vector<std::string_view> kRegistryFields = {"registry", "live", "observers", "byState", "state",
                                                       "killed"};
const std::vector<std::string_view> kRegistryObjectFields = {"name", "state", "live", "observers", "byState",
                                                             "killed"};

}  // namespace

// [SECTION] Requests

namespace {

// `use` + `params` + call-site options. Checked in this order, so the first problem is named:
// the template, a storeId beside it, the params' types, then the params against the pattern.
Status readUse(const json& request, const std::map<std::string, StoreTemplate>& templates,
               RequestShape& out) {
  const json& use = request["use"];
  if (!use.is_string()) return expectedError("use", "a store options name", use);
  const std::string& name = use.get_ref<const std::string&>();
  auto it = templates.find(name);
  if (it == templates.end()) {
    std::vector<std::string_view> names;
    for (const auto& [n, t] : templates) names.push_back(n);
    std::string msg = "use: unknown store options " + shortDump(name);
    const std::string near = nearest(name, names);
    if (!near.empty()) msg += "; did you mean \"" + near + "\"?";
    return Error{msg};
  }
  if (request.contains("storeId")) {
    return Error{"storeId: a \"use\" request may not give storeId (store options " + shortDump(name) +
                 " define it)"};
  }
  const json params = request.contains("params") ? request["params"] : json::object();
  if (!params.is_object()) return expectedError("params", "an object", params);
  for (const auto& [k, v] : params.items()) {
    if (!v.is_string()) return expectedError(childPath("params", k), "a string", v);
    out.params.emplace_back(k, v.get<std::string>());
    if (!isPlainIdText(out.params.back().second)) out.unsanitized = true;
  }
  // A template read from a config always has its storeId pattern (parseConfig requires it).
  Result<std::string> id = it->second.storeId->fill(out.params);
  if (!id) return id.error();
  out.storeId = std::move(*id);
  out.use = &it->second;
  out.templateName = name;
  for (const auto& [k, v] : request.items()) {
    if (k != "use" && k != "params") out.callSite[k] = v;
  }
  return success();
}

// Raw options: they carry their own storeId and take no params.
Status readRaw(const json& request, RequestShape& out) {
  if (request.contains("params")) {
    return Error{"params: only a \"use\" request takes params (raw options carry storeId)"};
  }
  if (!request.contains("storeId")) {
    return Error{"storeId: required (give storeId, or \"use\" a store options template)"};
  }
  if (!request["storeId"].is_string()) return expectedError("storeId", "a string", request["storeId"]);
  out.storeId = request["storeId"].get<std::string>();
  out.callSite = request;
  return success();
}

}  // namespace

Result<RequestShape> readRequest(const json& request,
                                 const std::map<std::string, StoreTemplate>& templates) {
  if (!request.is_object()) {
    return Error{"request: expected an object, got " +
                 request.dump(-1, ' ', false, json::error_handler_t::replace)};
  }
  // Built in code, a request may hold bytes that are not UTF-8; refuse them before any dump().
  if (Status ok = checkUtf8(request, ""); !ok) return ok.error();
  RequestShape shape;
  Status ok = request.contains("use") ? readUse(request, templates, shape) : readRaw(request, shape);
  if (!ok) return ok.error();
  return shape;
}

// [SECTION] Expectations

namespace {

// The value of one checked field of an expectation; `at` is the field's own pointer.
Status checkExpectField(std::string_view k, const json& v, const std::string& at,
                        std::string_view subject) {
  static const std::string kStates = "one of ABSENT, LOADING, ACTIVE, INACTIVE, FAILED, DISPOSED";
  State state;
  ObserverStatus status;
  RegistryState registryState;
  if (subject == "registry" && k == "state") {
    if (!(v.is_string() && parseRegistryState(v.get_ref<const std::string&>(), &registryState)))
      return expectedError(at, "one of open, shutting_down, closed", v);
    return success();
  }
  if (k == "state" && !(v.is_string() && parseState(v.get_ref<const std::string&>(), &state)))
    return expectedError(at, kStates, v);
  if ((k == "registry" || k == "name") && !(v.is_string() && isRegistryName(v.get_ref<const std::string&>())))
    return expectedError(at, "a registry name ([A-Za-z0-9_.:-], 1 to 64 characters)", v);
  if ((k == "clientId" || k == "sessionId") && !v.is_string() && !v.is_null())
    return expectedError(at, "a string (or null: no instance yet)", v);
  if (k == "status" && !(v.is_string() && parseObserverStatus(v.get_ref<const std::string&>(), &status)))
    return expectedError(at, "one of suspended, ready, errored, orphaned, detached", v);
  if ((k == "observers" || k == "generation" || k == "loads" || k == "live" || k == "killed") &&
      !isCount(v))
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
Result<size_t> checkExpectFields(const json& fields, const std::string& where, std::string_view subject,
                                 const std::vector<std::string_view>& known, std::string_view kind) {
  size_t count = 0;
  for (const auto& [k, v] : fields.items()) {
    if (!subject.empty() && k == subject) continue;
    if (!contains(known, k)) return unknownKeyError(childPath(where, k), "expect field", k, known);
    if (Status ok = checkExpectField(k, v, childPath(where, k), kind); !ok) return ok.error();
    // Where a store lives and which registry is meant are not checks of their own.
    if (!(kind == "store" && k == "registry") && k != "name") ++count;
  }
  return count;
}

// The subject's own value: a storeId, an observer id, or for the registry `true` or an object
// holding the registry's fields ({"registry": {"live": 2}}).
Status checkExpectSubject(const json& e, const std::string& where, std::string_view subject) {
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

std::string_view subjectOf(const json& e) {
  return e.contains("store") ? "store" : e.contains("observer") ? "observer" : "registry";
}

Status checkExpect(const json& e, const std::string& where) {
  if (!e.is_object()) return expectedError(where, "an object", e);
  // Beside "store", "registry" names where the store lives (SPEC 8), not a subject.
  const int subjects = int(e.contains("store")) + int(e.contains("observer")) +
                       int(e.contains("registry") && !e.contains("store"));
  if (subjects != 1) {
    return Error{where + ": expected exactly one of \"store\", \"observer\" or \"registry\""};
  }
  const std::string_view subject = subjectOf(e);
  const std::vector<std::string_view>& fields = subject == "store"      ? kStoreFields
                                                : subject == "observer" ? kObserverFields
                                                                        : kRegistryFields;
  Result<size_t> checked = checkExpectFields(e, where, subject, fields, subject);
  if (!checked) return checked.error();
  if (Status ok = checkExpectSubject(e, where, subject); !ok) return ok;
  const json& value = e[std::string(subject)];
  if (subject == "registry" && value.is_object()) {
    const std::string inner = childPath(where, "registry");
    Result<size_t> more = checkExpectFields(value, inner, "", kRegistryObjectFields, "registry");
    if (!more) return more.error();
    for (const auto& [k, v] : value.items()) {
      if (e.contains(k)) return inputError(childPath(inner, k), "also given beside \"registry\"");
    }
    *checked += *more;
  }
  if (*checked == 0) {
    std::vector<std::string_view> checks = fields;
    if (subject == "store") checks.erase(std::find(checks.begin(), checks.end(), "registry"));
    return inputError(where, "checks nothing; give at least one of " + joinNames(checks, subject));
  }
  return success();
}

}  // namespace

Expect expectFrom(const json& e) {
  const std::string_view subject = subjectOf(e);
  json fields = e;
  fields.erase(std::string(subject));
  const json& value = e[std::string(subject)];
  if (subject == "store") {
    StoreExpect se{value.get<std::string>(), std::move(fields)};
    if (auto it = se.fields.find("registry"); it != se.fields.end() && it->is_string()) {
      se.registry = it->get<std::string>();
      se.fields.erase(it);
    }
    return se;
  }
  if (subject == "observer") return ObserverExpect{value.get<std::string>(), std::move(fields)};
  RegistryExpect re;
  if (value.is_object()) {
    for (const auto& [field, want] : value.items()) {
      if (field == "name" && want.is_string())
        re.name = want.get<std::string>();
      else
        fields[field] = want;
    }
  }
  re.fields = std::move(fields);
  return re;
}

// [SECTION] Steps

namespace {

Result<std::string> readRegistryName(const json& v, const std::string& at) {
  if (!v.is_string() || !isRegistryName(v.get_ref<const std::string&>()))
    return expectedError(at, "a registry name ([A-Za-z0-9_.:-], 1 to 64 characters)", v);
  return v.get<std::string>();
}

// An observer id or a component path: a non-empty string without control characters (they
// are printed in transcripts, where an escape sequence or a newline would reach the terminal).
Result<std::string> readName(const json& v, const std::string& at, std::string_view expected) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return expectedError(at, expected, v);
  if (Status ok = checkNoControlCharacters(v.get_ref<const std::string&>(), at); !ok) return ok.error();
  return v.get<std::string>();
}

// A request's optional `registry` (SPEC 8): a well-formed name, taken out of the request.
Result<std::string> takeRegistry(json& request, const std::string& at) {
  if (!request.contains("registry")) return std::string();
  Result<std::string> name = readRegistryName(request["registry"], childPath(at, "registry"));
  if (!name) return name.error();
  request.erase("registry");
  return name;
}

// `owned` is `v` itself when the caller gives it up (the request is moved, not copied).
Result<Action> readAttach(const json& v, const std::string& at, json* owned) {
  if (!v.is_object()) return expectedError(at, "a request object", v);
  Attach a;
  a.request = owned ? std::move(*owned) : v;
  const json& request = a.request;
  for (const char* k : {"observer", "component", "request"}) {
    if (!request.contains(k)) continue;
    Result<std::string> name = readName(request[k], childPath(at, k), "a non-empty string");
    if (!name) return name.error();
    const std::string_view key = k;
    (key == "observer" ? a.observer : key == "component" ? a.component : a.requestTag) = std::move(*name);
    a.request.erase(k);
  }
  Result<std::string> reg = takeRegistry(a.request, at);
  if (!reg) return reg.error();
  a.registry = std::move(*reg);
  return Action{std::move(a)};
}

Result<Action> readDetach(const json& v, const std::string& at) {
  const std::string_view expected = "an observer id or {\"observer\": id}";
  const bool object = v.is_object() && v.size() == 1 && v.contains("observer");
  Result<std::string> name =
      object ? readName(v["observer"], childPath(at, "observer"), expected) : readName(v, at, expected);
  if (!name) return name.error();
  return Action{Detach{std::move(*name)}};
}

Status checkObjectKeys(const json& v, const std::string& at, const std::vector<std::string_view>& known) {
  for (const auto& [k, value] : v.items()) {
    if (!contains(known, k)) return unknownKeyError(childPath(at, k), "key", k, known);
  }
  return success();
}

// {"drop": "x"} (in default) or {"drop": {"storeId": "x", "registry": "req-1"}}.
Result<Action> readDrop(const json& v, const std::string& at) {
  if (v.is_string()) return Action{Drop{v.get<std::string>(), ""}};
  if (!v.is_object()) return expectedError(at, "a storeId", v);  // the object form is the rarer one
  if (Status ok = checkObjectKeys(v, at, {"storeId", "registry"}); !ok) return ok.error();
  if (!v.contains("storeId") || !v["storeId"].is_string())
    return expectedError(childPath(at, "storeId"), "a storeId", v.value("storeId", json()));
  Drop d{v["storeId"].get<std::string>(), ""};
  json rest = v;
  Result<std::string> reg = takeRegistry(rest, at);
  if (!reg) return reg.error();
  d.registry = std::move(*reg);
  return Action{std::move(d)};
}

Result<Action> readCreateRegistry(const json& v, const std::string& at) {
  if (!v.is_object()) return expectedError(at, "an object with \"name\" and registry keys", v);
  if (!v.contains("name")) return inputError(childPath(at, "name"), "required (the registry's name)");
  Result<std::string> name = readRegistryName(v["name"], childPath(at, "name"));
  if (!name) return name.error();
  // Checked now against neutral settings, so every bad key is a file error with its path.
  Result<RegistrySettings> settings = parseRegistryBlock(v, at, RegistrySettings{}, {"name"});
  if (!settings) return settings.error();
  json block = v;
  block.erase("name");
  return Action{CreateRegistry{std::move(*name), std::move(block)}};
}

Result<Action> readShutdown(const json& v, const std::string& at) {
  if (!v.is_object()) return expectedError(at, "an object such as {\"registry\": \"default\"}", v);
  if (Status ok = checkObjectKeys(v, at, {"registry", "strategy", "loading", "deadlineMs"}); !ok)
    return ok.error();
  ShutdownRegistry sd;
  if (v.contains("registry")) {
    Result<std::string> reg = readRegistryName(v["registry"], childPath(at, "registry"));
    if (!reg) return reg.error();
    sd.registry = std::move(*reg);
  }
  if (v.contains("strategy")) {
    const json& x = v["strategy"];
    const std::string sat = childPath(at, "strategy");
    if (!x.is_string()) return expectedError(sat, "one of parallel, sequential", x);
    if (!parseShutdownStrategy(x.get_ref<const std::string&>(), &sd.strategy))
      return unknownNameError(sat, "strategy", x.get_ref<const std::string&>(), {"parallel", "sequential"});
  }
  if (v.contains("loading")) {
    const json& x = v["loading"];
    const std::string lat = childPath(at, "loading");
    if (!x.is_string()) return expectedError(lat, "one of abort, await", x);
    if (!parseShutdownLoading(x.get_ref<const std::string&>(), &sd.loading))
      return unknownNameError(lat, "loading choice", x.get_ref<const std::string&>(), {"abort", "await"});
  }
  if (v.contains("deadlineMs")) {
    Result<Span> d = parseSpan(v["deadlineMs"], childPath(at, "deadlineMs"));
    if (!d) return d.error();
    sd.deadline = *d;
  }
  return Action{std::move(sd)};
}

// {"loaded": "x"} or {"loaded": {"storeId": "x", "registry": "r"}}; loadFailed takes an object
// with storeId and an optional error message.
Result<Action> readLoadEnd(std::string_view action, const json& v, const std::string& at) {
  const bool failed = action == "loadFailed";
  if (!failed && v.is_string()) return Action{Loaded{v.get<std::string>(), ""}};
  if (!v.is_object()) {
    return expectedError(at, failed ? "an object {\"storeId\": id, \"error\": message}"
                                    : "a storeId or {\"storeId\": id, \"registry\": name}", v);
  }
  const std::vector<std::string_view> keys = failed ? std::vector<std::string_view>{"storeId", "registry", "error"}
                                                    : std::vector<std::string_view>{"storeId", "registry"};
  if (Status ok = checkObjectKeys(v, at, keys); !ok) return ok.error();
  if (!v.contains("storeId") || !v["storeId"].is_string())
    return expectedError(childPath(at, "storeId"), "a storeId", v.value("storeId", json()));
  json rest = v;
  Result<std::string> reg = takeRegistry(rest, at);
  if (!reg) return reg.error();
  if (!failed) return Action{Loaded{v["storeId"].get<std::string>(), std::move(*reg)}};
  LoadFailed f{v["storeId"].get<std::string>(), std::move(*reg)};
  if (v.contains("error")) {
    if (!v["error"].is_string() || v["error"].get_ref<const std::string&>().empty())
      return expectedError(childPath(at, "error"), "a non-empty message", v["error"]);
    f.error = v["error"].get<std::string>();
  }
  return Action{std::move(f)};
}

Result<Action> readLive(const json& v, const std::string& at) {
  if (!v.is_object()) return expectedError(at, "an object {\"connection\": n, \"message\": {...}}", v);
  if (Status ok = checkObjectKeys(v, at, {"connection", "message", "end", "overrides"}); !ok)
    return ok.error();
  const json c = v.value("connection", json());
  if (!c.is_number_unsigned() || c.get<uint64_t>() == 0)
    return expectedError(childPath(at, "connection"), "a positive integer", c);
  Live l;
  l.connection = c.get<uint64_t>();
  if (v.contains("message") == v.contains("end"))
    return Error{at + ": expected exactly one of \"message\" and \"end\""};
  if (v.contains("end") && v["end"] != json(true))
    return expectedError(childPath(at, "end"), "true", v["end"]);
  l.ended = v.contains("end");
  if (v.contains("message")) {
    if (!v["message"].is_object()) return expectedError(childPath(at, "message"), "a message object", v["message"]);
    l.message = v["message"];
  }
  if (v.contains("overrides")) {
    if (!v["overrides"].is_object()) return expectedError(childPath(at, "overrides"), "an object", v["overrides"]);
    l.overrides = v["overrides"];
  }
  return Action{std::move(l)};
}

// The value of a step's action; `where` is the step's pointer.
// `owned` is `v` itself when the caller gives it up: a request is then moved into its action.
Result<Action> readAction(std::string_view action, const json& v, const std::string& where, json* owned) {
  const std::string at = childPath(where, action);
  if (action == "advance" || action == "advanceTo") {
    if (!isNonNegativeInt(v) || !fitsMs(v)) return expectedError(at, "a non-negative integer (ms)", v);
    return action == "advance" ? Action{Advance{v.get<Ms>()}} : Action{AdvanceTo{v.get<Ms>()}};
  }
  if (action == "attach") return readAttach(v, at, owned);
  if (action == "preload") {
    if (!v.is_object()) return expectedError(at, "a request object", v);
    Preload p{owned ? std::move(*owned) : v, ""};
    Result<std::string> reg = takeRegistry(p.request, at);
    if (!reg) return reg.error();
    p.registry = std::move(*reg);
    return Action{std::move(p)};
  }
  if (action == "createRegistry") return readCreateRegistry(v, at);
  if (action == "live") return readLive(v, at);
  if (action == "shutdownRegistry") return readShutdown(v, at);
  if (action == "loaded" || action == "loadFailed") return readLoadEnd(action, v, at);
  if (action == "detach") return readDetach(v, at);
  if (action == "unmount") {
    Result<std::string> path = readName(v, at, "a component path");
    if (!path) return path.error();
    return Action{Unmount{std::move(*path)}};
  }
  if (action == "drop") return readDrop(v, at);
  if (action == "clear") {
    if (v == json(true)) return Action{Clear{}};
    if (!v.is_object()) return expectedError(at, "true", v);  // the object form is the rarer one
    if (Status ok = checkObjectKeys(v, at, {"registry"}); !ok) return ok.error();
    Result<std::string> reg = readRegistryName(v.value("registry", json()), childPath(at, "registry"));
    if (!reg) return reg.error();
    return Action{Clear{std::move(*reg)}};
  }
  if (Status ok = checkExpect(v, at); !ok) return ok.error();
  return Action{expectFrom(v)};
}

// The one action key among note and expectError, each of the right type.
Result<std::string> actionKey(const json& step, const std::string& where) {
  std::string action;
  for (const auto& [k, v] : step.items()) {
    if (k == "note") {
      if (!v.is_string()) return expectedError(childPath(where, k), "a string", v);
    } else if (k == "expectError") {
      if (!v.is_string()) return expectedError(childPath(where, k), "a string (a substring of the error)", v);
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
    std::string list = joinNames(kActions, kActions.back());
    return Error{where + ": a step needs one action (" + list + " or " + std::string(kActions.back()) + ")"};
  }
  return action;
}

Result<Action> readStep(const json& step, const std::string& where, json* owned) {
  if (!step.is_object()) return expectedError(where, "a step object", step);
  Result<std::string> action = actionKey(step, where);
  if (!action) return action.error();
  return readAction(*action, step[*action], where, owned ? &(*owned)[*action] : nullptr);
}

}  // namespace

Step parseStep(const json& step, const std::string& where) { return parseStep(json(step), where); }

Step parseStep(json&& step, const std::string& where, bool keepSource) {
  Step out;
  if (step.is_object()) {
    if (auto it = step.find("note"); it != step.end() && it->is_string()) out.note = it->get<std::string>();
    if (auto it = step.find("expectError"); it != step.end() && it->is_string())
      out.expectError = it->get<std::string>();
  }
  // Steps built in code (GUI, tests) may hold bytes that are not UTF-8: refuse them before
  // any dump(), and keep the step in the log with those bytes replaced (U+FFFD).
  if (Status utf8 = checkUtf8(step, where); !utf8) {
    out.action = Malformed{utf8.error()};
    out.source = json::parse(step.dump(-1, ' ', false, json::error_handler_t::replace));
    return out;
  }
  Result<Action> action = readStep(step, where, keepSource ? nullptr : &step);
  out.action = action ? std::move(*action) : Action{Malformed{action.error()}};
  if (keepSource) out.source = std::move(step);
  return out;
}

}  // namespace si
