// Protocol v1 decoding (SPEC 11): size, JSON syntax, "v", then one of four shapes.
#include "protocol.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "quick_reader.hpp"
#include "config.hpp"  // parseJsonText: the one JSON reader (depth limit, positions)
#include "types.hpp"   // parsePolicy, parseEnvironment

namespace si::live {

namespace {

using Keys = std::vector<std::string_view>;

// The pointer of `key` in the object at `where` ("" is the message itself).
std::string pointerOf(const std::string& where, std::string_view key) {
  return where.empty() ? "/" + childPath("", key) : childPath(where, key);
}

const Keys kLibraries = {"tanstack-query", "livestore", "custom"};
const Keys kHelloKeys = {"app",         "library",        "libraryVersion", "policy",
                         "environment", "defaultOptions", "toleranceMs"};
const Keys kObservedKeys = {"kind", "storeId", "instance"};

bool isNonNegativeInteger(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>() <= uint64_t(kMaxTime);
  return v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= kMaxTime;
}

// A non-negative integer at `key` (`where` is the object's pointer).
Result<int64_t> readCount(const json& obj, std::string_view key, const std::string& where,
                          std::string_view what) {
  // The pointer is built for an error only: this runs for every field of every message.
  const auto it = obj.find(key);
  if (it == obj.end()) return invalid(Location::at(pointerOf(where, key)), "missing; expected " + std::string(what));
  if (!isNonNegativeInteger(*it)) return expected(Location::at(pointerOf(where, key)), what, *it);
  return it->get<int64_t>();
}

// Every key of `obj` is one of `known`.
Status onlyKeys(const json& obj, const Keys& known, const std::string& where) {
  for (const auto& [k, v] : obj.items()) {
    if (std::find(known.begin(), known.end(), k) == known.end())
      return unknownKey(Location::at(pointerOf(where, k)), "key", k, known);
  }
  return success();
}

// The message's own keys: those of its shape; a key of another shape is named as such.
Status onlyTopKeys(const json& msg, const Keys& allowed, std::string_view shape) {
  static const Keys kAll = {"v", "t", "hello", "step", "observed", "dropped"};
  for (const auto& [k, v] : msg.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    if (std::find(kAll.begin(), kAll.end(), k) == kAll.end())
      return unknownKey(Location::at(pointerOf("", k)), "key", k, kAll);
    return invalid(Location::at(pointerOf("", k)), "not allowed in " + std::string(shape));
  }
  return success();
}

Result<std::string> readString(const json& obj, std::string_view key, const std::string& where,
                               bool required) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return invalid(Location::at(pointerOf(where, key)), "missing; expected a non-empty string");
    return std::string();
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return expected(Location::at(pointerOf(where, key)), "a non-empty string", *it);
  return it->get<std::string>();
}

// policy / environment: optional names checked against the core's lists.
template <class Enum>
Result<std::optional<std::string>> readName(const json& obj, std::string_view key,
                                            const std::string& where,
                                            bool (*parse)(std::string_view, Enum*),
                                            const Keys& names) {
  if (!obj.contains(key)) return std::optional<std::string>();
  Result<std::string> s = readString(obj, key, where, true);
  if (!s) return s.error();
  Enum e{};
  if (!parse(*s, &e))
    return unknownName(Location::at(pointerOf(where, key)), std::string(key), *s, names);
  return std::optional<std::string>(*s);
}

Result<Library> readLibrary(const json& hello, const std::string& where) {
  Result<std::string> s = readString(hello, "library", where, true);
  if (!s) return s.error();
  const auto it = std::find(kLibraries.begin(), kLibraries.end(), *s);
  if (it == kLibraries.end())
    return unknownName(Location::at(pointerOf(where, "library")), "library", *s, kLibraries);
  return static_cast<Library>(it - kLibraries.begin());
}

Status readHelloOptions(const json& h, const std::string& at, Hello& out) {
  if (h.contains("defaultOptions")) {
    const json& d = h["defaultOptions"];
    if (!d.is_object()) return expected(Location::at(pointerOf(at, "defaultOptions")), "an object", d);
    out.defaultOptions = d;
  }
  if (h.contains("toleranceMs")) {
    Result<int64_t> tol = readCount(h, "toleranceMs", at, "a non-negative integer (ms)");
    if (!tol) return tol.error();
    out.toleranceMs = *tol;
  }
  return success();
}

Result<Body> readHello(const json& msg) {
  const std::string at = "/hello";
  const json& h = msg["hello"];
  if (!h.is_object()) return expected(Location::at(at), "an object", h);
  if (Status ok = onlyKeys(h, kHelloKeys, at); !ok) return ok.error();
  Hello out;
  Result<std::string> app = readString(h, "app", at, true);
  if (!app) return app.error();
  out.app = std::move(*app);
  Result<Library> lib = readLibrary(h, at);
  if (!lib) return lib.error();
  out.library = *lib;
  Result<std::string> version = readString(h, "libraryVersion", at, false);
  if (!version) return version.error();
  out.libraryVersion = std::move(*version);
  auto policy = readName<Policy>(h, "policy", at, parsePolicy, {"longest", "first", "last", "shortest"});
  if (!policy) return policy.error();
  out.policy = *policy;
  auto env = readName<Environment>(h, "environment", at, parseEnvironment, {"browser", "ssr"});
  if (!env) return env.error();
  out.environment = *env;
  if (Status ok = readHelloOptions(h, at, out); !ok) return ok.error();
  return Body{std::move(out)};
}

Result<Body> readObserved(const json& o, int64_t t) {
  const std::string at = "/observed";
  if (!o.is_object()) return expected(Location::at(at), "an object", o);
  if (Status ok = onlyKeys(o, kObservedKeys, at); !ok) return ok.error();
  Observed out;
  out.t = t;
  Result<std::string> kind = readString(o, "kind", at, true);
  if (!kind) return kind.error();
  if (*kind != "created" && *kind != "disposed")
    return unknownName(Location::at(at + "/kind"), "kind", *kind, {"created", "disposed"});
  out.kind = *kind == "created" ? FactKind::Created : FactKind::Disposed;
  Result<std::string> id = readString(o, "storeId", at, true);
  if (!id) return id.error();
  out.storeId = std::move(*id);
  if (o.contains("instance")) {
    Result<std::string> inst = readString(o, "instance", at, true);
    if (!inst) return inst.error();
    out.instance = std::move(*inst);
  }
  return Body{std::move(out)};
}

// A message with a t: a step, a fact or a heartbeat (which alone may carry "dropped"). With
// `owned` (msg itself, which the caller does not keep), a step is moved out of it.
Result<Body> readTimed(const json& msg, json* owned) {
  Result<int64_t> t = readCount(msg, "t", "", "a non-negative integer (ms since hello)");
  if (!t) return t.error();
  if (msg.contains("step")) {
    if (Status ok = onlyTopKeys(msg, {"v", "t", "step"}, "a step message"); !ok) return ok.error();
    const json& s = msg["step"];
    if (!s.is_object() || s.empty()) return expected(Location::at("/step"), "a step object", s);
    return Body{Step{*t, owned ? std::move((*owned)["step"]) : s, std::nullopt}};
  }
  if (msg.contains("observed")) {
    if (Status ok = onlyTopKeys(msg, {"v", "t", "observed"}, "an observed message"); !ok) return ok.error();
    return readObserved(msg["observed"], *t);
  }
  if (Status ok = onlyTopKeys(msg, {"v", "t", "dropped"}, "a heartbeat"); !ok) return ok.error();
  Heartbeat hb{*t, std::nullopt};
  if (msg.contains("dropped")) {
    Result<int64_t> n = readCount(msg, "dropped", "", "a non-negative integer (messages lost)");
    if (!n) return n.error();
    hb.dropped = *n;
  }
  return Body{hb};
}

Status checkVersion(const json& msg) {
  if (!msg.contains("v")) return invalid(Location::at("/v"), "missing; expected 1 (protocol version)");
  const json& v = msg["v"];
  if (!v.is_number_integer() || v.get<int64_t>() != 1)
    return expected(Location::at("/v"), "1 (the only protocol version this inspector reads)", v);
  return success();
}

// An error about the whole message (the root pointer is empty): the text alone.
Error rootError(ErrorId id, std::string text) {
  Error e(std::move(text));
  e.id = id;
  return e;
}

// At most one of hello, step, observed (none: a heartbeat).
Status checkOneShape(const json& msg) {
  std::string found;
  for (const char* k : {"hello", "step", "observed"}) {
    if (!msg.contains(k)) continue;
    if (!found.empty())
      return rootError(ErrorId::Invalid, "a message has one of \"hello\", \"step\", \"observed\" "
                                         "(or none: a heartbeat), found \"" + found + "\" and \"" + k + "\"");
    found = k;
  }
  return success();
}

// parseJsonText's "name:line:column: text" without a name.
Error syntaxError(const Error& e) {
  std::string text = e.message;
  const std::string prefix = e.where.str() + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  Location where = Location::inText("", e.where.line, e.where.column);
  Error out(ErrorId::Syntax, where, "invalid JSON: " + text);
  out.message = "line " + std::to_string(where.line) + ", column " +
                std::to_string(where.column) + ": invalid JSON: " + text;
  return out;
}

// The body of `msg`; with `owned` (msg itself, not kept by the caller) its step is moved out.
Result<Body> decodeInto(const json& msg, json* owned);

}  // namespace

std::string_view toString(Library l) { return kLibraries[static_cast<size_t>(l)]; }

std::string_view toString(FactKind k) { return k == FactKind::Created ? "created" : "disposed"; }

int64_t timeOf(const Body& body) {
  return std::visit(
      [](const auto& b) -> int64_t {
        if constexpr (std::is_same_v<std::decay_t<decltype(b)>, Hello>) return 0;
        else return b.t;
      },
      body);
}

Result<Message> decodeMessage(std::string_view text) {
  if (text.size() > kMaxMessageBytes) {
    return rootError(ErrorId::Invalid, "message of " + std::to_string(text.size()) +
                                           " bytes is over the limit of " +
                                           std::to_string(kMaxMessageBytes) + " bytes (1 MiB)");
  }
  // The shapes bridges send most are read without a JSON tree; the rest as JSON.
  if (std::optional<Body> quick = readQuick(text)) return Message{std::move(*quick), json(), std::string(text)};
  Result<json> parsed = parseJsonText(text, "");
  if (!parsed) return syntaxError(parsed.error());
  Result<Body> body = decodeInto(*parsed, &*parsed);
  if (!body) return body.error();
  // The text is kept to be written inside other JSON (a journal's command): without the
  // byte-order mark the reader allows in front of a document.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return Message{std::move(*body), json(), std::string(text)};
}

Result<Message> decodeParsed(json msg) {
  Result<Body> body = decodeBody(msg);
  if (!body) return body.error();
  return Message{std::move(*body), std::move(msg), std::string()};
}

Result<Body> decodeBody(const json& msg) { return decodeInto(msg, nullptr); }

namespace {

Result<Body> decodeInto(const json& msg, json* owned) {
  if (!msg.is_object())
    return rootError(ErrorId::Expected, "expected a JSON object (a v1 message), got " + shortDump(msg));
  if (Status ok = checkVersion(msg); !ok) return ok.error();
  if (Status ok = checkOneShape(msg); !ok) return ok.error();
  const bool hello = msg.contains("hello");
  if (hello) {
    if (Status ok = onlyTopKeys(msg, {"v", "hello"}, "a hello (it is t = 0)"); !ok) return ok.error();
  }
  return hello ? readHello(msg) : readTimed(msg, owned);
}

}  // namespace

std::string errorFrame(std::string_view message) {
  json frame = json::object();
  frame["v"] = 1;
  frame["error"] = std::string(message);
  return frame.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace si::live
