#include "steps.hpp"

#include <algorithm>

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
const std::vector<std::string_view> kStoreFields = {"store",      "state",  "observers", "gcTime",
                                                    "gcDueIn",    "generation", "loads", "error",
                                                    "options",    "lints"};
const std::vector<std::string_view> kObserverFields = {"observer", "status"};
const std::vector<std::string_view> kRegistryFields = {"registry", "live", "observers", "byState"};
const std::vector<std::string_view> kRegistryObjectFields = {"live", "observers", "byState"};

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
Status checkExpectField(std::string_view k, const json& v, const std::string& at) {
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
Result<size_t> checkExpectFields(const json& fields, const std::string& where, std::string_view subject,
                                 const std::vector<std::string_view>& known) {
  size_t count = 0;
  for (const auto& [k, v] : fields.items()) {
    if (!subject.empty() && k == subject) continue;
    if (!contains(known, k)) return unknownKeyError(childPath(where, k), "expect field", k, known);
    if (Status ok = checkExpectField(k, v, childPath(where, k)); !ok) return ok.error();
    ++count;
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
  const int subjects = int(e.contains("store")) + int(e.contains("observer")) +
                       int(e.contains("registry"));
  if (subjects != 1) {
    return Error{where + ": expected exactly one of \"store\", \"observer\" or \"registry\""};
  }
  const std::string_view subject = subjectOf(e);
  const std::vector<std::string_view>& fields = subject == "store"      ? kStoreFields
                                                : subject == "observer" ? kObserverFields
                                                                        : kRegistryFields;
  Result<size_t> checked = checkExpectFields(e, where, subject, fields);
  if (!checked) return checked.error();
  if (Status ok = checkExpectSubject(e, where, subject); !ok) return ok;
  const json& value = e[std::string(subject)];
  if (subject == "registry" && value.is_object()) {
    const std::string inner = childPath(where, "registry");
    Result<size_t> more = checkExpectFields(value, inner, "", kRegistryObjectFields);
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

Expect expectFrom(const json& e) {
  const std::string_view subject = subjectOf(e);
  json fields = e;
  fields.erase(std::string(subject));
  const json& value = e[std::string(subject)];
  if (subject == "store") return StoreExpect{value.get<std::string>(), std::move(fields)};
  if (subject == "observer") return ObserverExpect{value.get<std::string>(), std::move(fields)};
  if (value.is_object()) {
    for (const auto& [field, want] : value.items()) fields[field] = want;
  }
  return RegistryExpect{std::move(fields)};
}

// [SECTION] Steps

namespace {

// An observer id or a component path: a non-empty string without control characters (they
// are printed in transcripts, where an escape sequence or a newline would reach the terminal).
Result<std::string> readName(const json& v, const std::string& at, std::string_view expected) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return expectedError(at, expected, v);
  if (Status ok = checkNoControlCharacters(v.get_ref<const std::string&>(), at); !ok) return ok.error();
  return v.get<std::string>();
}

Result<Action> readAttach(const json& v, const std::string& at) {
  if (!v.is_object()) return expectedError(at, "a request object", v);
  Attach a;
  a.request = v;
  for (const char* k : {"observer", "component"}) {
    if (!v.contains(k)) continue;
    Result<std::string> name = readName(v[k], childPath(at, k), "a non-empty string");
    if (!name) return name.error();
    (std::string_view(k) == "observer" ? a.observer : a.component) = std::move(*name);
    a.request.erase(k);
  }
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

// The value of a step's action; `where` is the step's pointer.
Result<Action> readAction(std::string_view action, const json& v, const std::string& where) {
  const std::string at = childPath(where, action);
  if (action == "advance" || action == "advanceTo") {
    if (!isNonNegativeInt(v) || !fitsMs(v)) return expectedError(at, "a non-negative integer (ms)", v);
    return action == "advance" ? Action{Advance{v.get<Ms>()}} : Action{AdvanceTo{v.get<Ms>()}};
  }
  if (action == "attach") return readAttach(v, at);
  if (action == "preload") {
    if (!v.is_object()) return expectedError(at, "a request object", v);
    return Action{Preload{v}};
  }
  if (action == "detach") return readDetach(v, at);
  if (action == "unmount") {
    Result<std::string> path = readName(v, at, "a component path");
    if (!path) return path.error();
    return Action{Unmount{std::move(*path)}};
  }
  if (action == "drop") {
    if (!v.is_string()) return expectedError(at, "a storeId", v);
    return Action{Drop{v.get<std::string>()}};
  }
  if (action == "clear") {
    if (v != json(true)) return expectedError(at, "true", v);
    return Action{Clear{}};
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
    return Error{where + ": a step needs one action (advance, advanceTo, attach, detach, "
                 "unmount, preload, drop, clear or expect)"};
  }
  return action;
}

Result<Action> readStep(const json& step, const std::string& where) {
  if (!step.is_object()) return expectedError(where, "a step object", step);
  Result<std::string> action = actionKey(step, where);
  if (!action) return action.error();
  return readAction(*action, step[*action], where);
}

}  // namespace

Step parseStep(const json& step, const std::string& where) {
  Step out;
  // Steps built in code (GUI, tests) may hold bytes that are not UTF-8: refuse them before
  // any dump(), and keep the step in the log with those bytes replaced (U+FFFD).
  const Status utf8 = checkUtf8(step, where);
  out.source = utf8 ? step : json::parse(step.dump(-1, ' ', false, json::error_handler_t::replace));
  if (step.is_object()) {
    if (auto it = step.find("note"); it != step.end() && it->is_string()) out.note = it->get<std::string>();
    if (auto it = step.find("expectError"); it != step.end() && it->is_string())
      out.expectError = it->get<std::string>();
  }
  if (!utf8) {
    out.action = Malformed{utf8.error()};
    return out;
  }
  Result<Action> action = readStep(step, where);
  out.action = action ? std::move(*action) : Action{Malformed{action.error()}};
  return out;
}

}  // namespace si
