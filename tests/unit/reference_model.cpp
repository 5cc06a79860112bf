// The reference model of SPEC section 2. Written from the SPEC, not from core/: plain maps,
// linear scans, no caches. Slow on purpose; see reference_model.hpp.
#include "reference_model.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace si::ref {
namespace {

const std::vector<std::string> kOptions = {"gcTime", "batchUpdates", "syncPayload", "otelOptions",
                                           "disableDevtools", "confirmUnsavedChanges", "debug",
                                           "boot", "schema", "adapter", "signal", "storeId"};
const std::vector<std::string> kActions = {"advance", "advanceTo", "attach", "detach", "unmount",
                                           "preload", "drop", "clear", "expect", "createRegistry",
                                           "shutdownRegistry", "loaded", "loadFailed"};

// SPEC 8: [A-Za-z0-9_.:-]{1,64}.
bool validRegistryName(const json& v) {
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != ':' && c != '-') return false;
  }
  return true;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// SPEC 2.1: a non-negative JSON integer up to 2^63-1, or "Infinity".
bool parseTime(const json& v, Time* out) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > uint64_t(kEnd)) return false;
    *out = Time{false, int64_t(v.get<uint64_t>())};
    return true;
  }
  if (v.is_number_integer()) {
    if (v.get<int64_t>() < 0) return false;
    *out = Time{false, v.get<int64_t>()};
    return true;
  }
  if (v.is_string() && v.get<std::string>() == "Infinity") {
    *out = Time{true, 0};
    return true;
  }
  return false;
}

// SPEC 2.5: not empty, valid UTF-8, no control character (C0, DEL, C1).
bool validStoreId(const std::string& s) {
  if (s.empty()) return false;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c, n = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, n = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07, n = 4;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    const uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
    i += n;
  }
  return true;
}

// The adapter subset the model knows; false for anything invalid.
bool parseAdapter(const json& a, Request* r) {
  if (!a.is_object()) return false;
  r->adapterType = "none";
  r->loadMs = Time{false, 0};
  r->closeMs = Time{false, 0};
  r->failAll = false;
  r->failGenerations.clear();
  r->failMessage.clear();
  for (const auto& [k, v] : a.items()) {
    if (k == "type") {
      if (!v.is_string()) return false;
      const std::string t = v.get<std::string>();
      if (t != "none" && t != "memory" && t != "file" && t != "external") return false;
      r->adapterType = t;
    } else if (k == "directory") {
      if (!v.is_string() || v.get<std::string>().empty()) return false;
    } else if (k == "loadMs") {
      if (!parseTime(v, &r->loadMs)) return false;
    } else if (k == "closeMs") {
      if (!parseTime(v, &r->closeMs)) return false;
    } else if (k == "fail") {
      if (v.is_boolean()) {
        r->failAll = v.get<bool>();
      } else if (v.is_string()) {
        r->failAll = true;
        r->failMessage = v.get<std::string>();
      } else if (v.is_object()) {
        if (!v.contains("generations") || !v["generations"].is_array()) return false;
        for (const auto& [fk, fv] : v.items()) {
          if (fk != "generations" && fk != "message") return false;
          if (fk == "message" && !fv.is_string()) return false;
        }
        for (const json& g : v["generations"]) {
          if (!g.is_number_integer() || g.get<int64_t>() < 1 || g.get<int64_t>() > 0xffffffffLL)
            return false;
          r->failGenerations.push_back(g.get<int64_t>());
        }
        if (v.contains("message")) r->failMessage = v["message"].get<std::string>();
      } else {
        return false;
      }
    } else {
      return false;
    }
  }
  // SPEC 10: an external adapter given loadMs or fail is an input error.
  if (r->adapterType == "external" && (a.contains("loadMs") || a.contains("fail"))) return false;
  return true;
}

}  // namespace

Time longer(Time a, Time b) {
  if (a.inf || b.inf) return Time{true, 0};
  return Time{false, std::max(a.ms, b.ms)};
}
Time shorter(Time a, Time b) {
  if (a.inf) return b;
  if (b.inf) return a;
  return Time{false, std::min(a.ms, b.ms)};
}
std::string str(Time t) { return t.inf ? "Infinity" : std::to_string(t.ms); }

namespace {

// SPEC 11: without an explicit policy a registry takes its profile's.
std::string profileDefaultPolicy(const std::string& profile) {
  return profile == "livestore-0.4" ? "first" : "longest";
}

}  // namespace

Model::Model(const json& config, const std::string& policy, const std::string& environment)
    : config_(config), policy_(policy), environment_(environment) {
  Reg d;
  d.environment = environment;
  const json block = config.value("registry", json::object());
  d.profile = block.value("profile", "spec");
  d.policyExplicit = !policy.empty() || block.contains("policy");
  d.policy = !policy.empty() ? policy : block.value("policy", profileDefaultPolicy(d.profile));
  policy_ = d.policy;
  d.defaults = block.value("defaultOptions", json::object());
  const json identity = block.value("identity", json::object());
  d.clientIdMode = identity.value("clientId", "registry");
  d.sessionIdMode = identity.value("sessionId", "registry");
  d.clientId = block.value("clientId", "");
  d.sessionId = block.value("sessionId", "");
  regs_["default"] = d;
  base_ = d;
}

// [SECTION] Requests (SPEC 2.2)

Request Model::resolve(const json& q, const std::string& registry) const {
  const Reg& reg = regs_.at(registry);
  Request r;
  if (!q.is_object()) return r.error = "request: not an object", r;
  json callSite = json::object();
  json tmpl = json::object();
  if (q.contains("use")) {
    if (!q["use"].is_string()) return r.error = "use: not a string", r;
    const std::string name = q["use"].get<std::string>();
    const json templates = config_.value("storeOptions", json::object());
    if (!templates.contains(name)) return r.error = "use: unknown store options", r;
    if (q.contains("storeId")) return r.error = "storeId: not with use", r;
    tmpl = templates[name];
    const json params = q.value("params", json::object());
    if (!params.is_object()) return r.error = "params: not an object", r;
    for (const auto& [k, v] : params.items()) {
      if (!v.is_string()) return r.error = "params/" + k + ": not a string", r;
    }
    // Fill {name} placeholders; every one needs a param, every param needs a placeholder.
    const std::string pattern = tmpl["storeId"].get<std::string>();
    std::vector<std::string> used;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] != '{') {
        r.storeId += pattern[i];
        continue;
      }
      const size_t close = pattern.find('}', i);
      const std::string p = pattern.substr(i + 1, close - i - 1);
      if (!params.contains(p)) return r.error = "params: missing " + p, r;
      r.storeId += params[p].get<std::string>();
      used.push_back(p);
      i = close;
    }
    for (const auto& [k, v] : params.items()) {
      if (!has(used, k)) return r.error = "params: " + k + " is not used", r;
    }
    r.owner = name;
    for (const auto& [k, v] : q.items()) {
      if (k != "use" && k != "params") callSite[k] = v;
    }
  } else {
    if (q.contains("params")) return r.error = "params: only with use", r;
    if (!q.contains("storeId") || !q["storeId"].is_string()) return r.error = "storeId: required", r;
    r.storeId = q["storeId"].get<std::string>();
    callSite = q;
  }
  if (!validStoreId(r.storeId)) return r.error = "storeId: invalid", r;
  for (const auto& [k, v] : callSite.items()) {
    if (!has(kOptions, k)) return r.error = k + ": unknown option", r;
    if (k == "batchUpdates") return r.error = k + ": registry only", r;
    Time t;
    if (k == "gcTime" && !parseTime(v, &t)) return r.error = "gcTime: invalid", r;
    if ((k == "signal" || k == "storeId") && (!v.is_string() || v.get<std::string>().empty()))
      return r.error = k + ": invalid", r;
    Request scratch;
    if (k == "adapter" && !parseAdapter(v, &scratch)) return r.error = "adapter: invalid", r;
  }
  // gcTime: call-site over template over registry over environment.
  r.gcTime = reg.environment == "ssr" ? Time{true, 0} : Time{false, 60000};
  const json defaults = reg.defaults;
  for (const json* layer : std::vector<const json*>{&defaults, &tmpl, &callSite}) {
    if (layer->contains("gcTime")) parseTime((*layer)["gcTime"], &r.gcTime);
  }
  // adapter: the highest request layer's object, whole.
  if (callSite.contains("adapter"))
    parseAdapter(callSite["adapter"], &r);
  else if (tmpl.contains("adapter"))
    parseAdapter(tmpl["adapter"], &r);
  return r;
}

// [SECTION] Steps (SPEC 4)

Outcome Model::step(const json& st) {
  if (!st.is_object()) return {false, "step: not an object"};
  std::string action;
  for (const auto& [k, v] : st.items()) {
    if (k == "note" || k == "expectError") continue;
    if (!has(kActions, k) || !action.empty()) return {false, "step: bad keys"};
    action = k;
  }
  if (action.empty()) return {false, "step: no action"};
  const json& v = st[action];
  auto time = [&](int64_t* out) {
    Time t;
    if (!v.is_number_integer() || !parseTime(v, &t)) return false;
    *out = t.ms;
    return true;
  };
  if (action == "advance") {
    int64_t n;
    if (!time(&n)) return {false, "advance: invalid"};
    return advance(n);
  }
  if (action == "advanceTo") {
    int64_t t;
    if (!time(&t)) return {false, "advanceTo: invalid"};
    if (t < now_) return {false, "advanceTo: in the past"};
    return advance(t - now_);
  }
  if (action == "attach") {
    if (!v.is_object()) return {false, "attach: not an object"};
    if (v.contains("registry") && !validRegistryName(v["registry"])) return {false, "attach: bad registry"};
    for (const char* k : {"observer", "component", "request"}) {
      if (v.contains(k) && (!v[k].is_string() || v[k].get<std::string>().empty()))
        return {false, "attach: bad " + std::string(k)};
    }
    return attach(v);
  }
  if (action == "preload") {
    if (!v.is_object()) return {false, "preload: not an object"};
    if (v.contains("registry") && !validRegistryName(v["registry"])) return {false, "preload: bad registry"};
    preload(v);
    return {};
  }
  if (action == "detach") {
    if (v.is_string() && !v.get<std::string>().empty()) return detach(v.get<std::string>());
    if (v.is_object() && v.size() == 1 && v.contains("observer") && v["observer"].is_string())
      return detach(v["observer"].get<std::string>());
    return {false, "detach: invalid"};
  }
  if (action == "unmount") {
    if (!v.is_string() || v.get<std::string>().empty()) return {false, "unmount: invalid"};
    unmount(v.get<std::string>());
    return {};
  }
  if (action == "drop") {
    std::string id, reg = "default";
    if (v.is_string()) {
      id = v.get<std::string>();
    } else {
      if (!v.is_object() || !v.contains("storeId") || !v["storeId"].is_string()) return {false, "drop: invalid"};
      for (const auto& [k, x] : v.items()) {
        if (k != "storeId" && k != "registry") return {false, "drop: invalid"};
      }
      if (v.contains("registry") && !validRegistryName(v["registry"])) return {false, "drop: invalid"};
      id = v["storeId"].get<std::string>();
      reg = v.value("registry", "default");
    }
    if (const std::string e = openReg(reg); !e.empty()) return {false, e};
    const std::string key = reg + "/" + id;
    if (stores_.count(key) && stores_[key].live()) dispose(key);
    return {};
  }
  if (action == "clear") {
    std::string reg = "default";
    if (v.is_object() && v.size() == 1 && v.contains("registry") && validRegistryName(v["registry"]))
      reg = v["registry"].get<std::string>();
    else if (v != json(true))
      return {false, "clear: invalid"};
    if (const std::string e = openReg(reg); !e.empty()) return {false, e};
    // Newest instance first (the order does not change the resulting state).
    std::vector<std::pair<uint64_t, std::string>> live;
    for (auto& [id, s] : stores_) {
      if (s.live() && s.registry == reg) live.emplace_back(createdAt_[id], id);
    }
    std::sort(live.rbegin(), live.rend());
    for (auto& [order, id] : live) dispose(id);
    return {};
  }
  if (action == "createRegistry") return createRegistry(v);
  if (action == "shutdownRegistry") return shutdown(v);
  if (action == "loaded" || action == "loadFailed") return loadEnd(v, action == "loadFailed");
  return {};  // expect: not used by the generator; checks nothing here
}

std::string Model::openReg(const std::string& name) const {
  auto it = regs_.find(name);
  if (it == regs_.end()) return "unknown registry \"" + name + "\"";
  if (it->second.state == "shutting_down") return "registry \"" + name + "\" is shutting down";
  if (it->second.state == "closed") return "registry \"" + name + "\" is closed";
  return "";
}

int64_t Model::liveIn(const std::string& registry) const {
  int64_t n = 0;
  for (const auto& [key, s] : stores_) n += s.live() && s.registry == registry ? 1 : 0;
  return n;
}

Outcome Model::attach(const json& a) {
  std::string name;
  if (a.contains("observer")) {
    name = a["observer"].get<std::string>();
  } else {
    do {
      name = "o" + std::to_string(++autoName_);
    } while (observers_.count(name) && observers_[name].attached);
  }
  if (observers_.count(name) && observers_[name].attached) return {false, "observer: already attached"};
  json q = a;
  q.erase("observer");
  const std::string component = a.value("component", std::string());
  q.erase("component");
  q.erase("request");
  const std::string reg = a.value("registry", "default");
  q.erase("registry");
  if (const std::string e = openReg(reg); !e.empty()) return {false, e};
  const Request r = resolve(q, reg);
  if (!r.error.empty()) return {false, r.error};
  const std::string key = reg + "/" + r.storeId;
  Store& s = stores_[key];
  s.registry = reg;
  s.storeId = r.storeId;
  // SPEC 2.3 rule 10: a template request for a live instance owned by another template.
  if (s.live() && !r.owner.empty() && !s.owner.empty() && s.owner != r.owner) {
    return {false, "storeId \"" + r.storeId + "\" already belongs to \"" + s.owner + "\", not \"" +
                       r.owner + "\""};
  }
  Observer& o = observers_[name];
  o.store = key;
  o.component = component;
  o.attached = true;
  o.attachOrder = ++attachOrder_;
  if (!s.live()) {
    create(s, r);
    createdAt_[key] = ++createOrder_;
    s.observers = 1;
    o.status = "suspended";
    return {};
  }
  s.observers++;
  o.status = s.state == "LOADING" ? "suspended" : s.state == "FAILED" ? "errored" : "ready";
  if (s.state == "INACTIVE") s.state = "ACTIVE";
  cancelGc(key, s);
  note(s, r);
  return {};
}

Outcome Model::detach(const std::string& name) {
  auto it = observers_.find(name);
  if (it == observers_.end()) return {false, "observer \"" + name + "\" is not attached (unknown)"};
  if (!it->second.attached) return {false, "observer \"" + name + "\" is not attached"};
  detachOne(name);
  return {};
}

void Model::detachOne(const std::string& name) {
  Observer& o = observers_[name];
  o.attached = false;
  o.status = "detached";
  Store& s = stores_[o.store];
  s.observers--;
  if (s.observers == 0) {
    if (s.state == "ACTIVE") s.state = "INACTIVE";
    // livestore-0.4: the load holds a reference; the countdown starts when it ends.
    if (regs_[s.registry].profile == "livestore-0.4" && s.state == "LOADING")
      s.leftInLoad = true;
    else
      armGc(s, o.store);
  }
}

void Model::unmount(const std::string& path) {
  std::vector<std::pair<uint64_t, std::string>> victims;
  for (const auto& [name, o] : observers_) {
    if (!o.attached) continue;
    const std::string& c = o.component;
    // The path itself, or a leading run of whole segments.
    if (c == path || (c.size() > path.size() && c.compare(0, path.size(), path) == 0 &&
                      (c[path.size()] == '/' || path.back() == '/')))
      victims.emplace_back(o.attachOrder, name);
  }
  std::sort(victims.begin(), victims.end());
  for (const auto& [order, name] : victims) detachOne(name);
}

void Model::preload(const json& request) {
  json q = request;
  const std::string reg = q.value("registry", "default");
  q.erase("registry");
  if (!openReg(reg).empty()) return;  // swallowed (rule 0, SPEC 8)
  const Request r = resolve(q, reg);
  if (!r.error.empty()) return;  // swallowed; creates nothing
  const std::string key = reg + "/" + r.storeId;
  Store& s = stores_[key];
  s.registry = reg;
  s.storeId = r.storeId;
  if (!s.live()) {
    create(s, r);
    createdAt_[key] = ++createOrder_;
    return;
  }
  if (!r.owner.empty() && !s.owner.empty() && s.owner != r.owner) return;  // swallowed
  note(s, r);
  if (s.gcArmed) {
    // Rule 6: restart from now with the effective gcTime; Infinity is never collected.
    cancelGc(key, s);
    armGc(s, key);
  }
}

// [SECTION] Instances (SPEC 2.3, 2.4)

void Model::create(Store& s, const Request& r) {
  s.generation++;
  s.loads++;
  s.state = "LOADING";
  s.observers = 0;
  s.owner = r.owner;
  s.error.clear();
  s.created = r;
  s.gcTime = s.gcFirst = s.gcLast = s.gcMax = s.gcMin = r.gcTime;
  s.gcArmed = false;
  s.closing = s.awaiting = false;
  s.gcRule.clear();
  s.deferredInLoad = s.leftInLoad = false;
  const Reg& reg = regs_[s.registry];
  const std::string client = reg.clientId.empty() ? s.registry + "-client" : reg.clientId;
  const std::string session = reg.sessionId.empty() ? s.registry + "-session" : reg.sessionId;
  s.clientId = reg.clientIdMode == "store" ? client + "/" + s.storeId : client;
  s.sessionId = reg.sessionIdMode == "instance" ? session + "/" + s.storeId + "#" + std::to_string(s.generation)
                                                : session;
  if (r.adapterType != "external" && !r.loadMs.inf && r.loadMs.ms <= kEnd - now_) {
    timers_.push_back(Timer{now_ + r.loadMs.ms, ++order_, "load", s.registry + "/" + s.storeId});
  }
}

void Model::note(Store& s, const Request& r) {
  s.gcLast = r.gcTime;
  s.gcMax = longer(s.gcMax, r.gcTime);
  s.gcMin = shorter(s.gcMin, r.gcTime);
  const std::string& policy = regs_[s.registry].policy;
  if (policy == "longest") s.gcTime = s.gcMax;
  if (policy == "first") s.gcTime = s.gcFirst;
  if (policy == "last") s.gcTime = s.gcLast;
  if (policy == "shortest") s.gcTime = s.gcMin;
}

void Model::armGc(Store& s, const std::string& id) {
  s.gcRule.clear();  // a caller that arms by a profile rule names it afterwards
  if (s.gcTime.inf) return;
  s.gcArmed = true;
  s.gcArmedAt = now_;
  s.gcArmedWith = s.gcTime;
  // A due time past the end of virtual time is armed but can never fire.
  if (s.gcTime.ms <= kEnd - now_) timers_.push_back(Timer{now_ + s.gcTime.ms, ++order_, "gc", id});
}

void Model::cancelGc(const std::string& id, Store& s) {
  s.gcArmed = false;
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                               [&](const Timer& t) { return t.kind == "gc" && t.store == id; }),
                timers_.end());
}

void Model::dispose(const std::string& id) {
  Store& s = stores_[id];
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                               [&](const Timer& t) { return t.kind != "deadline" && t.store == id; }),
                timers_.end());
  s.gcArmed = false;
  s.closing = s.awaiting = false;
  for (auto& [name, o] : observers_) {
    if (o.attached && o.store == id) {
      o.attached = false;
      o.status = "orphaned";
    }
  }
  s.observers = 0;
  s.state = "DISPOSED";
}

void Model::completeLoad(const std::string& id, bool fails, const std::string& message) {
  Store& s = stores_[id];
  if (fails) {
    s.state = "FAILED";
    s.error = message;
  } else {
    s.state = s.observers > 0 ? "ACTIVE" : "INACTIVE";
  }
  for (auto& [name, o] : observers_) {
    if (o.attached && o.store == id) o.status = fails ? "errored" : "ready";
  }
  const Reg& reg = regs_[s.registry];
  const bool deferred = s.deferredInLoad, left = s.leftInLoad;
  s.deferredInLoad = s.leftInLoad = false;
  if (reg.state == "shutting_down") {
    // No GC during a shutdown; an instance waiting for its load starts closing now.
    if (!s.awaiting) return;
    s.awaiting = false;
    if (reg.strategy == "parallel")
      startClose(s, id);
    else
      nextInChain(s.registry);
    return;
  }
  if (s.observers > 0) return;
  if (reg.profile == "tanstack-query-5") {
    // Re-armed from the load's end whatever was armed; a rule only where SPEC 2 differs.
    const bool differs = s.gcArmed || deferred;
    cancelGc(id, s);
    armGc(s, id);
    if (differs) s.gcRule = "tanstack-query-5/load-end-rearms";
  } else if (!s.gcArmed) {
    armGc(s, id);
    if (reg.profile == "livestore-0.4" && left) s.gcRule = "livestore-0.4/load-holds-reference";
  }
}

void Model::gcFired(const std::string& id) {
  Store& s = stores_[id];
  if (regs_[s.registry].profile == "tanstack-query-5" && s.state == "LOADING") {
    // The timer is spent and did nothing; the load's end re-arms it.
    s.gcArmed = false;
    s.deferredInLoad = true;
    logGc("gc_deferred", s, "tanstack-query-5/gc-during-load-ignored");
    return;
  }
  logGc("disposed", s, s.gcRule);
  dispose(id);
}

void Model::logGc(const char* what, const Store& s, const std::string& rule) {
  gcLog_.push_back(std::to_string(now_) + " " + what + " " + s.registry + "/" + s.storeId + "#" +
                   std::to_string(s.generation) + " " + rule);
}

// [SECTION] Clock (SPEC 2.1)

Outcome Model::advance(int64_t n) {
  if (n > kEnd - now_) return {false, "advance: past the end of virtual time"};
  const int64_t until = now_ + n;
  for (;;) {
    // The earliest (due, order) timer due by `until`, by linear scan.
    size_t best = timers_.size();
    for (size_t i = 0; i < timers_.size(); ++i) {
      const Timer& t = timers_[i];
      if (t.due > until) continue;
      // A deadline comes after every other timer due at the same instant (SPEC 10).
      auto rank = [](const Timer& x) { return std::make_tuple(x.due, x.kind == "deadline", x.order); };
      if (best == timers_.size() || rank(t) < rank(timers_[best])) best = i;
    }
    if (best == timers_.size()) break;
    const Timer t = timers_[best];
    timers_.erase(timers_.begin() + static_cast<std::ptrdiff_t>(best));
    now_ = t.due;
    if (t.kind == "load") {
      const Request& r = stores_[t.store].created;
      const bool fails = r.failAll || std::find(r.failGenerations.begin(), r.failGenerations.end(),
                                                stores_[t.store].generation) != r.failGenerations.end();
      completeLoad(t.store, fails, r.failMessage.empty() ? "load failed" : r.failMessage);
    } else if (t.kind == "gc") {
      gcFired(t.store);
    } else if (t.kind == "close") {
      const std::string reg = stores_[t.store].registry;
      dispose(t.store);
      nextInChain(reg);
      closeIfEmpty(reg);
    } else {
      kill(t.store);
    }
  }
  now_ = until;
  return {};
}

// [SECTION] Registries and shutdown (SPEC 8, 10)

Outcome Model::createRegistry(const json& v) {
  if (!v.is_object() || !v.contains("name") || !validRegistryName(v["name"])) return {false, "createRegistry: invalid"};
  // Keys replace the config block's values whole; the rest is inherited from the block.
  Reg r;
  const json block = config_.value("registry", json::object());
  r.policy = policy_;
  r.policyExplicit = base_.policyExplicit;
  r.profile = base_.profile;
  r.environment = environment_;
  r.defaults = block.value("defaultOptions", json::object());
  const json identity = block.value("identity", json::object());
  r.clientIdMode = identity.value("clientId", "registry");
  r.sessionIdMode = identity.value("sessionId", "registry");
  r.clientId = block.value("clientId", "");
  r.sessionId = block.value("sessionId", "");
  for (const auto& [k, x] : v.items()) {
    if (k == "name") continue;
    if (k == "policy" && x.is_string() && has({"longest", "first", "last", "shortest"}, x.get<std::string>())) {
      r.policy = x.get<std::string>();
      r.policyExplicit = true;
    } else if (k == "profile" && x.is_string() &&
               has({"spec", "tanstack-query-5", "livestore-0.4"}, x.get<std::string>())) {
      r.profile = x.get<std::string>();
    } else if (k == "environment" && x.is_string() && has({"browser", "ssr"}, x.get<std::string>())) {
      r.environment = x.get<std::string>();
    } else if (k == "defaultOptions" && x.is_object() && (x.empty() || (x.size() == 1 && x.contains("gcTime")))) {
      Time t;
      if (x.contains("gcTime") && !parseTime(x["gcTime"], &t)) return {false, "createRegistry: invalid"};
      r.defaults = x;
    } else if (k == "identity" && x.is_object()) {
      r.clientIdMode = r.sessionIdMode = "registry";
      for (const auto& [ik, iv] : x.items()) {
        if (ik == "clientId" && (iv == "registry" || iv == "store")) r.clientIdMode = iv.get<std::string>();
        else if (ik == "sessionId" && (iv == "registry" || iv == "instance")) r.sessionIdMode = iv.get<std::string>();
        else return {false, "createRegistry: invalid"};
      }
    } else if ((k == "clientId" || k == "sessionId") && x.is_string() && !x.get<std::string>().empty()) {
      (k == "clientId" ? r.clientId : r.sessionId) = x.get<std::string>();
    } else {
      return {false, "createRegistry: invalid"};
    }
  }
  if (!r.policyExplicit) r.policy = profileDefaultPolicy(r.profile);
  const std::string name = v["name"].get<std::string>();
  if (regs_.count(name) && regs_[name].state != "closed") return {false, "registry \"" + name + "\" already exists"};
  regs_[name] = r;  // a reused name keeps its stores: generations continue
  return {};
}

Outcome Model::shutdown(const json& v) {
  if (!v.is_object()) return {false, "shutdownRegistry: invalid"};
  std::string name = "default", strategy = "parallel", loading = "abort";
  Time deadline{true, 0};
  for (const auto& [k, x] : v.items()) {
    if (k == "registry" && validRegistryName(x)) name = x.get<std::string>();
    else if (k == "strategy" && (x == "parallel" || x == "sequential")) strategy = x.get<std::string>();
    else if (k == "loading" && (x == "abort" || x == "await")) loading = x.get<std::string>();
    else if (k == "deadlineMs" && parseTime(x, &deadline)) continue;
    else return {false, "shutdownRegistry: invalid"};
  }
  if (const std::string e = openReg(name); !e.empty()) return {false, e};
  Reg& reg = regs_[name];
  reg.state = "shutting_down";
  reg.strategy = strategy;
  reg.loading = loading;
  std::vector<std::pair<uint64_t, std::string>> live;  // (creation order, key)
  for (auto& [key, s] : stores_) {
    if (s.live() && s.registry == name) live.emplace_back(createdAt_[key], key);
  }
  std::sort(live.rbegin(), live.rend());  // newest first
  for (auto& [name2, o] : observers_) {
    if (!o.attached || stores_[o.store].registry != name) continue;
    Store& s = stores_[o.store];
    o.attached = false;
    o.status = "orphaned";
    if (--s.observers == 0 && s.state == "ACTIVE") s.state = "INACTIVE";
  }
  for (auto& [order, liveKey] : live) {
    const auto key = liveKey;  // clang 14 cannot capture a structured binding in the lambda below
    Store& s = stores_[key];
    cancelGc(key, s);
    if (loading == "abort" && s.state == "LOADING") {
      timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                                   [&](const Timer& t) { return t.kind == "load" && t.store == key; }),
                    timers_.end());
      s.state = "FAILED";
      s.error = "load aborted: registry " + name + " is shutting down";
    }
  }
  if (!deadline.inf && deadline.ms <= kEnd - now_)
    timers_.push_back(Timer{now_ + deadline.ms, ++order_, "deadline", name});
  if (strategy == "parallel") {
    for (auto& [order, key] : live) {
      Store& s = stores_[key];
      if (s.state == "LOADING")
        s.awaiting = true;
      else
        startClose(s, key);
    }
  } else {
    reg.chain.clear();
    for (auto& [order, key] : live) reg.chain.push_back(key);
    nextInChain(name);
  }
  closeIfEmpty(name);
  return {};
}

void Model::startClose(Store& s, const std::string& key) {
  s.awaiting = false;
  s.closing = true;
  const Time c = s.created.closeMs;
  if (!c.inf && c.ms <= kEnd - now_) timers_.push_back(Timer{now_ + c.ms, ++order_, "close", key});
}

void Model::nextInChain(const std::string& name) {
  Reg& reg = regs_[name];
  if (reg.state != "shutting_down" || reg.strategy != "sequential") return;
  while (!reg.chain.empty()) {
    const std::string key = reg.chain.front();
    Store& s = stores_[key];
    if (!s.live()) {
      reg.chain.erase(reg.chain.begin());
      continue;
    }
    if (s.closing) return;
    if (s.state == "LOADING") {
      s.awaiting = true;
      return;
    }
    reg.chain.erase(reg.chain.begin());
    startClose(s, key);
    return;
  }
}

void Model::kill(const std::string& name) {
  for (auto& [key, s] : stores_) {
    if (s.live() && s.registry == name) {
      dispose(key);
      regs_[name].killed++;
    }
  }
  closeIfEmpty(name);
}

void Model::closeIfEmpty(const std::string& name) {
  Reg& reg = regs_[name];
  if (reg.state != "shutting_down" || liveIn(name) != 0) return;
  reg.state = "closed";
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                               [&](const Timer& t) { return t.kind == "deadline" && t.store == name; }),
                timers_.end());
}

Outcome Model::loadEnd(const json& v, bool failed) {
  std::string id, name = "default", message = "load failed";
  if (!failed && v.is_string()) {
    id = v.get<std::string>();
  } else {
    if (!v.is_object() || !v.contains("storeId") || !v["storeId"].is_string()) return {false, "load end: invalid"};
    for (const auto& [k, x] : v.items()) {
      if (k == "storeId") continue;
      if (k == "registry" && validRegistryName(x)) name = x.get<std::string>();
      else if (failed && k == "error" && x.is_string() && !x.get<std::string>().empty()) message = x.get<std::string>();
      else return {false, "load end: invalid"};
    }
    id = v["storeId"].get<std::string>();
  }
  if (!regs_.count(name)) return {false, "unknown registry \"" + name + "\""};
  const std::string key = name + "/" + id;
  auto it = stores_.find(key);
  if (it == stores_.end() || it->second.state != "LOADING" || it->second.created.adapterType != "external")
    return {false, "\"" + id + "\" is not loading with an external adapter"};
  completeLoad(key, failed, message);
  return {};
}

// [SECTION] Views

int64_t Model::live() const {
  int64_t n = 0;
  for (const auto& [id, s] : stores_) n += s.live() ? 1 : 0;
  return n;
}

int64_t Model::attached() const {
  int64_t n = 0;
  for (const auto& [name, o] : observers_) n += o.attached ? 1 : 0;
  return n;
}

bool Model::gcDueIn(const Store& s, int64_t* out) const {
  if (!s.gcArmed) return false;
  *out = s.gcArmedWith.ms - (now_ - s.gcArmedAt);
  return true;
}

}  // namespace si::ref
