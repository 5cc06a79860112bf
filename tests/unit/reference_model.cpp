// The reference model of SPEC section 2. Written from the SPEC, not from core/: plain maps,
// linear scans, no caches. Slow on purpose; see reference_model.hpp.
#include "reference_model.hpp"

#include <algorithm>

namespace si::ref {
namespace {

const std::vector<std::string> kOptions = {"gcTime", "batchUpdates", "syncPayload", "otelOptions",
                                           "disableDevtools", "confirmUnsavedChanges", "debug",
                                           "boot", "schema", "adapter", "signal", "storeId"};
const std::vector<std::string> kActions = {"advance", "advanceTo", "attach", "detach", "unmount",
                                           "preload", "drop", "clear", "expect"};

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
  r->failAll = false;
  r->failGenerations.clear();
  r->failMessage.clear();
  for (const auto& [k, v] : a.items()) {
    if (k == "type") {
      if (!v.is_string()) return false;
      const std::string t = v.get<std::string>();
      if (t != "none" && t != "memory" && t != "file") return false;
      r->adapterType = t;
    } else if (k == "directory") {
      if (!v.is_string() || v.get<std::string>().empty()) return false;
    } else if (k == "loadMs") {
      if (!parseTime(v, &r->loadMs)) return false;
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

Model::Model(const json& config, const std::string& policy, const std::string& environment)
    : config_(config), policy_(policy), environment_(environment) {}

// [SECTION] Requests (SPEC 2.2)

Request Model::resolve(const json& q) const {
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
  r.gcTime = environment_ == "ssr" ? Time{true, 0} : Time{false, 60000};
  const json defaults = config_.value("registry", json::object()).value("defaultOptions", json::object());
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
    for (const char* k : {"observer", "component"}) {
      if (v.contains(k) && (!v[k].is_string() || v[k].get<std::string>().empty()))
        return {false, "attach: bad " + std::string(k)};
    }
    return attach(v);
  }
  if (action == "preload") {
    if (!v.is_object()) return {false, "preload: not an object"};
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
    if (!v.is_string()) return {false, "drop: invalid"};
    if (stores_.count(v.get<std::string>()) && stores_[v.get<std::string>()].live())
      dispose(v.get<std::string>());
    return {};
  }
  if (action == "clear") {
    if (v != json(true)) return {false, "clear: invalid"};
    // Newest instance first (the order does not change the resulting state).
    std::vector<std::pair<uint64_t, std::string>> live;
    for (auto& [id, s] : stores_) {
      if (s.live()) live.emplace_back(createdAt_[id], id);
    }
    std::sort(live.rbegin(), live.rend());
    for (auto& [order, id] : live) dispose(id);
    return {};
  }
  return {};  // expect: not used by the generator; checks nothing here
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
  const Request r = resolve(q);
  if (!r.error.empty()) return {false, r.error};
  Store& s = stores_[r.storeId];
  // SPEC 2.3 rule 10: a template request for a live instance owned by another template.
  if (s.live() && !r.owner.empty() && !s.owner.empty() && s.owner != r.owner) {
    return {false, "storeId \"" + r.storeId + "\" already belongs to \"" + s.owner + "\", not \"" +
                       r.owner + "\""};
  }
  Observer& o = observers_[name];
  o.store = r.storeId;
  o.component = component;
  o.attached = true;
  o.attachOrder = ++attachOrder_;
  if (!s.live()) {
    create(s, r);
    createdAt_[r.storeId] = ++createOrder_;
    s.observers = 1;
    o.status = "suspended";
    return {};
  }
  s.observers++;
  o.status = s.state == "LOADING" ? "suspended" : s.state == "FAILED" ? "errored" : "ready";
  if (s.state == "INACTIVE") s.state = "ACTIVE";
  cancelGc(r.storeId, s);
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

void Model::preload(const json& q) {
  const Request r = resolve(q);
  if (!r.error.empty()) return;  // swallowed; creates nothing
  Store& s = stores_[r.storeId];
  if (!s.live()) {
    create(s, r);
    createdAt_[r.storeId] = ++createOrder_;
    return;
  }
  if (!r.owner.empty() && !s.owner.empty() && s.owner != r.owner) return;  // swallowed
  note(s, r);
  if (s.gcArmed) {
    // Rule 6: restart from now with the effective gcTime; Infinity is never collected.
    cancelGc(r.storeId, s);
    armGc(s, r.storeId);
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
  if (!r.loadMs.inf && r.loadMs.ms <= kEnd - now_) {
    timers_.push_back(Timer{now_ + r.loadMs.ms, ++order_, true, r.storeId});
  }
}

void Model::note(Store& s, const Request& r) {
  s.gcLast = r.gcTime;
  s.gcMax = longer(s.gcMax, r.gcTime);
  s.gcMin = shorter(s.gcMin, r.gcTime);
  if (policy_ == "longest") s.gcTime = s.gcMax;
  if (policy_ == "first") s.gcTime = s.gcFirst;
  if (policy_ == "last") s.gcTime = s.gcLast;
  if (policy_ == "shortest") s.gcTime = s.gcMin;
}

void Model::armGc(Store& s, const std::string& id) {
  if (s.gcTime.inf) return;
  s.gcArmed = true;
  s.gcArmedAt = now_;
  s.gcArmedWith = s.gcTime;
  // A due time past the end of virtual time is armed but can never fire.
  if (s.gcTime.ms <= kEnd - now_) timers_.push_back(Timer{now_ + s.gcTime.ms, ++order_, false, id});
}

void Model::cancelGc(const std::string& id, Store& s) {
  s.gcArmed = false;
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                               [&](const Timer& t) { return !t.load && t.store == id; }),
                timers_.end());
}

void Model::dispose(const std::string& id) {
  Store& s = stores_[id];
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                               [&](const Timer& t) { return t.store == id; }),
                timers_.end());
  s.gcArmed = false;
  for (auto& [name, o] : observers_) {
    if (o.attached && o.store == id) {
      o.attached = false;
      o.status = "orphaned";
    }
  }
  s.observers = 0;
  s.state = "DISPOSED";
}

void Model::completeLoad(const std::string& id) {
  Store& s = stores_[id];
  const Request& r = s.created;
  const bool fails = r.failAll || std::find(r.failGenerations.begin(), r.failGenerations.end(),
                                            s.generation) != r.failGenerations.end();
  if (fails) {
    s.state = "FAILED";
    s.error = r.failMessage.empty() ? "load failed" : r.failMessage;
  } else {
    s.state = s.observers > 0 ? "ACTIVE" : "INACTIVE";
  }
  for (auto& [name, o] : observers_) {
    if (o.attached && o.store == id) o.status = fails ? "errored" : "ready";
  }
  if (s.observers == 0 && !s.gcArmed) armGc(s, id);
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
      if (best == timers_.size() || t.due < timers_[best].due ||
          (t.due == timers_[best].due && t.order < timers_[best].order))
        best = i;
    }
    if (best == timers_.size()) break;
    const Timer t = timers_[best];
    timers_.erase(timers_.begin() + static_cast<std::ptrdiff_t>(best));
    now_ = t.due;
    if (t.load) {
      completeLoad(t.store);
    } else {
      dispose(t.store);
    }
  }
  now_ = until;
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
