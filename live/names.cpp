// SPEC 11 "Names": a connection's registry name and the rewrite of its steps.
#include "names.hpp"

#include "config.hpp"
#include "json_fast.hpp"
#include "options.hpp"
#include "profiles.hpp"
#include "store_id.hpp"

namespace si::live {

namespace {

bool allowedInName(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '-';
}

// `app` with each character outside the SPEC 8 pattern replaced by `_`, at most `limit` long.
std::string sanitize(std::string_view app, size_t limit) {
  std::string out;
  for (size_t i = 0; i < app.size() && out.size() < limit; ++i) {
    const auto c = static_cast<unsigned char>(app[i]);
    if (allowedInName(c)) {
      out += static_cast<char>(c);
      continue;
    }
    out += '_';
    // A UTF-8 character is one `_`: skip its continuation bytes.
    if (c >= 0xC0) {
      while (i + 1 < app.size() && (static_cast<unsigned char>(app[i + 1]) & 0xC0) == 0x80) ++i;
    }
  }
  return out;
}

// The registry a step names, for this connection (missing: the connection's own).
json resolveRegistry(const json& obj, std::string_view connection) {
  if (!obj.contains("registry")) return std::string(connection);
  const json& r = obj["registry"];
  if (!r.is_string()) return r;
  return scopedRegistry(connection, r.get_ref<const std::string&>());
}

void scopeObserverKey(json& obj, const char* key, std::string_view connection) {
  if (obj.contains(key) && obj[key].is_string())
    obj[key] = scopedObserver(connection, obj[key].get_ref<const std::string&>());
}

// A request's adapter made external, in its place (or last when it has none).
void makeAdapterExternal(json& request) {
  static const json kNone;
  const auto adapter = request.find("adapter");
  json external = externalAdapter(adapter != request.end() ? *adapter : kNone);  // both lvalues: no copy
  if (adapter != request.end()) {
    *adapter = std::move(external);
  } else {
    request["adapter"] = std::move(external);
  }
}

// attach / preload: a request object.
json rewriteRequest(json request, std::string_view connection) {
  if (!request.is_object()) return request;
  request["registry"] = resolveRegistry(request, connection);
  makeAdapterExternal(request);
  scopeObserverKey(request, "observer", connection);
  scopeObserverKey(request, "component", connection);
  return request;
}

// drop "x" / loaded "x": a bare storeId becomes {"storeId": x, "registry": connection}.
json rewriteStoreTarget(json v, std::string_view connection) {
  if (v.is_string()) {
    json out = json::object();
    out["storeId"] = std::move(v);
    out["registry"] = std::string(connection);
    return out;
  }
  if (v.is_object()) v["registry"] = resolveRegistry(v, connection);
  return v;
}

json rewriteDetach(json v, std::string_view connection) {
  if (v.is_string()) return scopedObserver(connection, v.get_ref<const std::string&>());
  if (v.is_object()) scopeObserverKey(v, "observer", connection);
  return v;
}

json rewriteCreate(json v, std::string_view connection, const Hello* hello) {
  if (!v.is_object()) return v;
  if (v.contains("name") && v["name"].is_string())
    v["name"] = scopedRegistry(connection, v["name"].get_ref<const std::string&>());
  if (hello) {
    if (!v.contains("profile")) v["profile"] = std::string(profileOf(hello->library));
    if (hello->policy && !v.contains("policy")) v["policy"] = *hello->policy;
    if (hello->environment && !v.contains("environment")) v["environment"] = *hello->environment;
    if (hello->defaultOptions && !v.contains("defaultOptions")) v["defaultOptions"] = *hello->defaultOptions;
  }
  if (v.contains("defaultOptions") && v["defaultOptions"].is_object() &&
      v["defaultOptions"].contains("adapter")) {
    v["defaultOptions"]["adapter"] = externalAdapter(v["defaultOptions"]["adapter"]);
  }
  return v;
}

// expect: store expectations name a registry beside "store"; registry expectations name it
// inside ({"registry": {"name": ...}}; `true` means the connection's, its fields moved in).
json rewriteExpect(json v, std::string_view connection) {
  if (!v.is_object()) return v;
  if (v.contains("store")) {
    v["registry"] = resolveRegistry(v, connection);
  } else if (v.contains("observer")) {
    scopeObserverKey(v, "observer", connection);
  } else if (v.contains("registry") && v["registry"] == json(true)) {
    json inner = json::object();
    inner["name"] = std::string(connection);
    for (const char* k : {"live", "observers", "byState"}) {
      if (v.contains(k)) inner[k] = v[k];
      v.erase(k);
    }
    v["registry"] = std::move(inner);
  } else if (v.contains("registry") && v["registry"].is_object()) {
    json& r = v["registry"];
    r["name"] = r.contains("name") && r["name"].is_string()
                    ? json(scopedRegistry(connection, r["name"].get_ref<const std::string&>()))
                    : (r.contains("name") ? r["name"] : json(std::string(connection)));
  }
  return v;
}

json rewriteAction(std::string_view action, json v, std::string_view connection, const Hello* hello) {
  if (action == "attach" || action == "preload") return rewriteRequest(std::move(v), connection);
  if (action == "detach") return rewriteDetach(std::move(v), connection);
  if (action == "unmount")
    return v.is_string() ? json(scopedObserver(connection, v.get_ref<const std::string&>())) : v;
  if (action == "drop" || action == "loaded" || action == "loadFailed")
    return rewriteStoreTarget(std::move(v), connection);
  if (action == "clear" || action == "shutdownRegistry") {
    if (v == json(true)) v = json::object();
    if (v.is_object()) v["registry"] = resolveRegistry(v, connection);
    return v;
  }
  if (action == "createRegistry") return rewriteCreate(std::move(v), connection, hello);
  if (action == "expect") return rewriteExpect(std::move(v), connection);
  return v;
}

}  // namespace

std::string registryNameFor(std::string_view app, const std::function<bool(std::string_view)>& inUse) {
  std::string base = sanitize(app, kMaxAppNameLength);
  if (base.empty()) base = "_";
  if (!inUse(base)) return base;
  for (size_t n = 2;; ++n) {
    std::string candidate = base + "-" + std::to_string(n);
    if (!inUse(candidate)) return candidate;
  }
}

std::string scopedRegistry(std::string_view connection, std::string_view name) {
  return std::string(connection) + "." + std::string(name);
}

std::string scopedObserver(std::string_view connection, std::string_view id) {
  return std::string(connection) + ":" + std::string(id);
}

json externalAdapter(const json& adapter) {
  json out = json::object();
  out["type"] = "external";
  if (adapter.is_object() && adapter.contains("closeMs")) out["closeMs"] = adapter["closeMs"];
  return out;
}

std::string_view profileOf(Library library) {
  switch (library) {
    case Library::TanstackQuery: return toString(Profile::TanStackQuery5);
    case Library::Livestore: return toString(Profile::LiveStore04);
    case Library::Custom: break;
  }
  return toString(Profile::Spec);
}

json helloRegistryStep(const Hello& hello, std::string_view connection) {
  json create = json::object();
  create["name"] = std::string(connection);
  create["profile"] = std::string(profileOf(hello.library));
  if (hello.policy) create["policy"] = *hello.policy;
  if (hello.environment) create["environment"] = *hello.environment;
  if (hello.defaultOptions) {
    json d = *hello.defaultOptions;
    if (d.contains("adapter")) d["adapter"] = externalAdapter(d["adapter"]);
    create["defaultOptions"] = std::move(d);
  }
  json step = json::object();
  step["createRegistry"] = std::move(create);
  return step;
}

json rewriteStep(const json& step, std::string_view connection, const Hello* hello) {
  return rewriteStep(json(step), connection, hello);
}

json rewriteStep(json&& step, std::string_view connection, const Hello* hello) {
  if (!step.is_object()) return std::move(step);
  for (auto& [k, v] : step.items()) {
    if (k != "note" && k != "expectError") v = rewriteAction(k, std::move(v), connection, hello);
  }
  return std::move(step);
}

namespace {

const std::string kNoPlace;  // the checks below only decide; the general path words errors

// A name readName (steps.cpp) takes: a non-empty string without control characters.
bool isPlainName(const json& v) {
  return v.is_string() && !v.get_ref<const std::string&>().empty() &&
         checkNoControlCharacters(v.get_ref<const std::string&>(), kNoPlace).ok();
}

// attach: rewriteRequest, then readAttach, for a request that names no registry of its own.
std::optional<Action> readCommonAttach(json& request, std::string_view connection) {
  if (!request.is_object() || request.contains("registry") || !checkUtf8(request, kNoPlace).ok()) return std::nullopt;
  for (const char* k : {"observer", "component", "request"}) {
    if (request.contains(k) && !isPlainName(request[k])) return std::nullopt;
  }
  Attach a;
  a.request = std::move(request);
  json& req = a.request;
  if (auto it = req.find("observer"); it != req.end()) a.observer = scopedObserver(connection, it->get_ref<const std::string&>());
  if (auto it = req.find("component"); it != req.end()) a.component = scopedObserver(connection, it->get_ref<const std::string&>());
  if (auto it = req.find("request"); it != req.end()) a.requestTag = it->get<std::string>();
  for (const char* k : {"observer", "component", "request"}) req.erase(k);
  makeAdapterExternal(req);
  a.registry = std::string(connection);
  return Action{std::move(a)};
}

}  // namespace

std::optional<Action> readCommonStep(json& step, std::string_view connection) {
  if (!step.is_object() || step.size() != 1 || !isRegistryName(connection)) return std::nullopt;
  const auto it = step.begin();
  const std::string& key = it.key();
  json& v = it.value();
  if (key == "attach") return readCommonAttach(v, connection);
  if (key == "detach" && isPlainName(v) && checkUtf8(v, kNoPlace).ok())
    return Action{Detach{scopedObserver(connection, v.get_ref<const std::string&>())}};
  if (key == "loaded" && v.is_string() && checkUtf8(v, kNoPlace).ok())
    return Action{Loaded{v.get<std::string>(), std::string(connection)}};
  return std::nullopt;
}

json quickRequest(const QuickStep& attach) {
  using Key = QuickStep::Key;
  json request = json::object();
  for (uint8_t i = 0; i < attach.keyCount; ++i) {
    switch (attach.keys[i]) {
      case Key::Observer: break;
      case Key::StoreId: request["storeId"] = attach.storeId; break;
      case Key::GcTime: request["gcTime"] = attach.gcTime; break;
      case Key::Adapter: request["adapter"] = externalAdapter(json()); break;
    }
  }
  if (!attach.has(Key::Adapter)) request["adapter"] = externalAdapter(json());
  return request;
}

void appendQuickRequestKey(const QuickStep& attach, std::string& out) {
  using Key = QuickStep::Key;
  const auto adapter = [&] {
    appendJsonStringKey("adapter", out);
    out += '{';
    appendJsonStringKey("type", out);
    appendJsonStringKey("external", out);
    out += '}';
  };
  out += '{';
  for (uint8_t i = 0; i < attach.keyCount; ++i) {
    switch (attach.keys[i]) {
      case Key::Observer: break;
      case Key::StoreId:
        appendJsonStringKey("storeId", out);
        appendJsonStringKey(attach.storeId, out);
        break;
      case Key::GcTime:
        appendJsonStringKey("gcTime", out);
        appendJsonIntegerKey(attach.gcTime, out);
        break;
      case Key::Adapter: adapter(); break;
    }
  }
  if (!attach.has(Key::Adapter)) adapter();
  out += '}';
}

}  // namespace si::live
