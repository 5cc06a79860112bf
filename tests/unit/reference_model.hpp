// A deliberately simple second implementation of SPEC section 2, for differential testing
// (tests/unit/differential_test.cpp). It shares no code with core/ beyond the JSON type:
// stores and observers live in std::maps keyed by name, timers in a plain list scanned for the
// minimum (due, order), and requests are resolved by reading the config JSON directly.
//
// It understands the subset of requests the differential generator produces: `use` + `params`
// or raw `storeId`, with call-site gcTime, adapter {type none|memory|external, loadMs, fail,
// closeMs}, syncPayload, and a few invalid forms (unknown / misplaced options, bad values, bad
// storeIds). SPEC 8-10: named registries (createRegistry, `registry` on requests, drop and
// clear), identities, shutdownRegistry, and loaded / loadFailed of external loads. Stores are
// keyed "<registry>/<storeId>". SPEC 11 rule profiles (`profile` in the config block and in
// createRegistry): the model keeps a log of its GC disposals and deferrals, each with the rule
// that caused it, to compare with the core's events.
//
// Usage:
//   ref::Model m(configJson, "longest", "browser");   // "" policy: the config's, else the profile's
//   ref::Outcome o = m.step(json{{"advance", 500}});   // o.ok, o.error
//   for (const auto& [id, s] : m.stores()) ...
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace si::ref {

using json = nlohmann::ordered_json;
constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();  // the end of virtual time

// gcTime / loadMs: a finite count of ms, or Infinity.
struct Time {
  bool inf = false;
  int64_t ms = 0;
  bool operator==(const Time& o) const { return inf == o.inf && (inf || ms == o.ms); }
};
Time longer(Time a, Time b);   // Infinity dominates
Time shorter(Time a, Time b);
std::string str(Time t);       // "5000" / "Infinity"

struct Request {
  std::string error;           // "" when valid
  std::string storeId;
  std::string owner;           // template name, "" for raw options
  Time gcTime;                 // resolved: call-site, template, registry, environment
  std::string adapterType = "none";
  Time loadMs;
  Time closeMs;
  bool failAll = false;
  std::vector<int64_t> failGenerations;
  std::string failMessage;
};

struct Store {
  std::string state = "ABSENT";
  int64_t generation = 0;
  int64_t loads = 0;
  int64_t observers = 0;
  Time gcTime;                  // effective under the policy
  Time gcFirst, gcLast, gcMax, gcMin;
  bool gcArmed = false;
  int64_t gcArmedAt = 0;
  Time gcArmedWith;             // the gcTime the armed timer was started with
  std::string error;            // while FAILED
  std::string owner;
  Request created;              // the creating request (its options are fixed)
  std::string registry;         // SPEC 8
  std::string storeId;
  std::string clientId, sessionId;  // SPEC 9
  bool closing = false;         // SPEC 10: a close timer is running
  bool awaiting = false;        //          its close waits for its load
  std::string gcRule;           // SPEC 11: the profile rule that armed the GC timer, "" for SPEC 2
  bool deferredInLoad = false;  // tanstack-query-5: a GC timer fired during this load
  bool leftInLoad = false;      // livestore-0.4: the last observer left during this load
  bool live() const {
    return state == "LOADING" || state == "ACTIVE" || state == "INACTIVE" || state == "FAILED";
  }
};

struct Observer {
  std::string status;           // suspended, ready, errored, orphaned, detached
  std::string store;
  std::string component;
  bool attached = false;
  uint64_t attachOrder = 0;
};

// One registry (SPEC 8, 10), by name.
struct Reg {
  std::string state = "open";  // open, shutting_down, closed
  std::string policy, environment;
  std::string profile = "spec";  // SPEC 11
  bool policyExplicit = false;   // else the policy is the profile's default
  json defaults = json::object();
  std::string clientIdMode = "registry", sessionIdMode = "registry";
  std::string clientId, sessionId;  // "" = "<name>-client" / "<name>-session"
  std::string strategy, loading;
  std::vector<std::string> chain;   // sequential: store keys, newest first, still to close
  int64_t killed = 0;
};

struct Timer {
  int64_t due = 0;
  uint64_t order = 0;
  std::string kind;             // load, gc, close, deadline (fires after the others due with it)
  std::string store;            // store key, or the registry name for a deadline
};

struct Outcome {
  bool ok = true;
  std::string error;
};

class Model {
 public:
  Model(const json& config, const std::string& policy, const std::string& environment);

  Outcome step(const json& step);
  Request resolve(const json& request, const std::string& registry = "default") const;

  int64_t now() const { return now_; }
  const std::map<std::string, Store>& stores() const { return stores_; }
  const std::map<std::string, Observer>& observers() const { return observers_; }
  const std::map<std::string, Reg>& registries() const { return regs_; }
  int64_t liveIn(const std::string& registry) const;
  int64_t live() const;
  int64_t attached() const;
  // gcDueIn of a store, or nullopt-like: returns false when none is armed.
  bool gcDueIn(const Store& s, int64_t* out) const;
  // Every GC disposal and (tanstack-query-5) deferral so far, one line each:
  // "<t> disposed|gc_deferred <registry>/<storeId>#<generation> <rule>".
  const std::vector<std::string>& gcLog() const { return gcLog_; }

 private:
  Outcome attach(const json& a);
  Outcome detach(const std::string& name);
  void unmount(const std::string& path);
  void preload(const json& request);
  Outcome advance(int64_t n);
  void create(Store& s, const Request& r);
  void note(Store& s, const Request& r);
  void armGc(Store& s, const std::string& id);
  void cancelGc(const std::string& id, Store& s);
  void dispose(const std::string& id);
  void completeLoad(const std::string& id, bool fails, const std::string& message);
  void armAtLoadEnd(Store& s, const std::string& id);
  void gcFired(const std::string& id);
  void logGc(const char* what, const Store& s, const std::string& rule);
  void detachOne(const std::string& name);
  std::string openReg(const std::string& name) const;  // "" when open, else the error
  Outcome createRegistry(const json& v);
  Outcome shutdown(const json& v);
  Outcome loadEnd(const json& v, bool failed);
  void startClose(Store& s, const std::string& key);
  void nextInChain(const std::string& reg);
  void closeIfEmpty(const std::string& reg);
  void kill(const std::string& reg);

  json config_;
  std::string policy_;
  std::string environment_;
  int64_t now_ = 0;
  std::map<std::string, Store> stores_;
  std::map<std::string, Observer> observers_;
  std::vector<Timer> timers_;
  uint64_t order_ = 0;
  uint64_t attachOrder_ = 0;
  uint64_t autoName_ = 0;
  uint64_t createOrder_ = 0;
  std::map<std::string, uint64_t> createdAt_;  // store key -> creation order (for clear)
  std::map<std::string, Reg> regs_;
  Reg base_;  // the config's registry block: what createRegistry inherits
  std::vector<std::string> gcLog_;
};

}  // namespace si::ref
