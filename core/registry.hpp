// The store registry (SPEC 2): cached store instances by storeId, ref-counted by observers,
// garbage-collected gcTime ms after the last observer leaves, on a virtual clock.
//
// Usage:
//   Registry reg(config);
//   auto req = reg.resolve(json{{"use", "issue"}, {"params", {{"issueId", "1"}}}});
//   auto obs = reg.attach(*req, {.name = "p1"});    // Result<ObserverId>
//   reg.advance(500);                                // fires due timers in order
//   reg.detach(*obs);
//   for (const Event& e : reg.eventsSince(cursor)) ...
//
// Commands never throw for bad input: they return a Result whose message names the field.
// Readers (panels, CLI, journal) see const views: stores(), observers(), events().
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "chunked.hpp"
#include "config.hpp"
#include "events.hpp"
#include "flat_string_map.hpp"
#include "observer_names.hpp"
#include "small_ids.hpp"
#include "store_db.hpp"
#include "timer_queue.hpp"

namespace si {

struct RequestShape;  // steps.hpp

using StoreKey = uint32_t;    // interned (registry, storeId): index into stores()
using RegistryIndex = uint32_t;  // index into registries(); 0 is "default"
constexpr RegistryIndex kDefaultRegistry = 0;
// A request resolved by (and owned by) the registry: its index there, and the store it names.
// The store rides along in the handle so attach can fetch the store record and the request
// record at once, rather than the first to learn where the second is (W1 is bound by those
// two cache misses).
struct RequestId {
  uint32_t index = 0;
  StoreKey store = 0;
  friend bool operator==(const RequestId&, const RequestId&) = default;
};

// A request resolved against the config: which storeId, the options it would create the
// instance with, its gcTime and its lints. Resolving allocates; attaching a resolved request
// does not, so hot loops resolve once and attach many times. The registry owns every
// resolved request for its lifetime (Session reuses one per distinct request JSON).
struct ResolvedRequest {
  RequestId id;                 // id.store: the interned storeId
  uint32_t otherOptionsId = 0;  // interned otherOptions: equal ids, equal options
  Span gcTime;                  // this request's resolved gcTime (SPEC 2.4)
  bool gcTimeFromCallSite = false;
  std::string templateName;     // "" for raw options (no owner)
  std::string storeId;
  std::shared_ptr<const EffectiveOptions> options;
  // Every effective option but gcTime and storeId as one JSON text.
  std::string otherOptions;
  BootParams params;            // template params, then storeId
  std::vector<std::string> idLints;  // storeId lints incl. unsanitized-param
  json source;                  // the request JSON as given
};

// One request that touched an instance (the creating one and later ones).
struct RequestRecord {
  uint64_t seq = 0;  // registry-wide request number, 1-based
  RequestKind kind = RequestKind::Attach;
  Ms t = 0;
  std::string observer;  // observer name for attaches, "" for preloads
  const ResolvedRequest* request = nullptr;  // owned by the registry
  std::vector<std::string> ignoredKeys;  // options that differed from the creating request
};

// Everything known about one storeId: its live instance, or the last one.
constexpr size_t kRequestHistory = 16;

// Owns a live instance's SQLite connection. A copy (a registry snapshot for time travel) is
// empty: a past instant has no live database, and a snapshot must never keep one open.
class DbHandle {
 public:
  DbHandle() = default;
  DbHandle(const DbHandle&) {}
  DbHandle& operator=(const DbHandle&) {
    db_.reset();
    return *this;
  }
  DbHandle(DbHandle&&) = default;
  DbHandle& operator=(DbHandle&&) = default;
  DbHandle& operator=(std::unique_ptr<StoreDb> db) {
    db_ = std::move(db);
    return *this;
  }
  explicit operator bool() const { return db_ != nullptr; }
  StoreDb* operator->() const { return db_.get(); }
  StoreDb* get() const { return db_.get(); }
  void reset() { db_.reset(); }
  friend bool operator==(const DbHandle& h, std::nullptr_t) { return h.db_ == nullptr; }

 private:
  std::unique_ptr<StoreDb> db_;
};

struct alignas(64) StoreRecord {
  // ---- hot: what attach, detach and the timer queue touch, in the first cache lines ----
  State state = State::Absent;  // Absent until first created; Disposed after disposal
  bool gcArmed = false;
  uint32_t observers = 0;       // attached observers (0 unless live)
  uint32_t generation = 0;      // of the live or last instance
  uint32_t otherOptionsId = 0;  // of the creating request (see ResolvedRequest)
  RegistryIndex registry = 0;   // the named registry holding it (SPEC 8)
  Policy policy = Policy::Longest;  // its registry's, fixed when the record is interned
  Profile profile = Profile::Spec;  // its registry's rule profile (SPEC 11), likewise
  // Profile bookkeeping of the current load: a GC timer fired during it and was deferred
  // (tanstack-query-5), the last observer left during it (livestore-0.4).
  bool gcDeferred = false;
  bool leftWhileLoading = false;
  Span gcTime;                  // effective under the policy
  Ms gcArmedAt = 0;
  Ms gcDue = 0;                 // saturated at kMaxMs
  std::string_view gcRule;      // the profile rule that armed the current timer ("" for SPEC 2)
  // Timer queue bookkeeping (0 = none): the scheduling order of the pending load, of the
  // current GC arm, and of this store's one queued GC entry. The queued entry may be due
  // earlier than gcDue (an earlier arm that was cancelled); it is re-queued when it pops, so
  // attach/detach churn never grows the queue.
  uint64_t loadTimer = 0;
  uint64_t gcOrder = 0;
  uint64_t gcQueuedOrder = 0;
  Ms gcQueuedDue = 0;
  // policy accumulators over requests since creation, and the request that set each
  Span gcFirst, gcLast, gcMax, gcMin;
  uint64_t gcFirstSeq = 0, gcLastSeq = 0, gcMaxSeq = 0, gcMinSeq = 0;
  uint64_t gcTimeRequest = 0;   // seq of the request that set the effective gcTime
  uint64_t requestCount = 0;    // requests since creation
  uint32_t loads = 0;           // instances ever created
  uint32_t pendingPreloads = 0;  // preloads waiting on the current load (their errors are swallowed)
  // ---- cold ----
  std::string storeId;
  std::string owner;            // template of the creating request, "" for raw
  Ms createdAt = 0;
  Ms stateSince = 0;            // when the current state began
  Ms loadDue = 0;               // while LOADING (kMaxMs when loadMs is Infinity)
  uint64_t createdSeq = 0;      // creation order, for clear()
  std::string error;            // cached load error while FAILED
  std::vector<std::string> lints;  // storeId lints + timer-overflow, sorted
  const EffectiveOptions* options = nullptr;  // fixed at creation (the creating request's)
  // The creating request first, then the most recent later ones (at most kRequestHistory in
  // all; older later requests are forgotten but counted in requestCount).
  std::vector<RequestRecord> requests;
  DbHandle db;  // empty unless loaded with a memory/file adapter (and in snapshots)
  // SPEC 9: fixed at creation from the registry's identity choice.
  std::string clientId;
  std::string sessionId;
  // SPEC 8: the distinct `request` tags of the attaches over this instance's life, in order.
  std::vector<std::string> requestTags;
  // SPEC 10, while its registry shuts down: closing since closeStartedAt, due at closeDue
  // (kMaxMs for a closeMs of Infinity); awaitingClose: waits for its load to end first.
  bool closing = false;
  bool awaitingClose = false;
  uint64_t closeTimer = 0;
  Ms closeStartedAt = 0;
  Ms closeDue = 0;

  bool live() const {
    return state == State::Loading || state == State::Active || state == State::Inactive ||
           state == State::Failed;
  }
  // The creating request, then the remembered later ones, oldest first.
  std::vector<const RequestRecord*> requestHistory() const;
  // ms until the armed GC fires (exact even when the due time saturates)
  Ms gcDueIn(Ms now) const { return gcTime.ms - (now - gcArmedAt); }
};

struct ObserverRecord {
  std::string name;        // "" when the caller gave none
  std::string component;   // "App/Workspace", "" when none
  StoreKey store = 0;
  uint32_t generation = 0;
  ObserverStatus status = ObserverStatus::Detached;
  bool attached = false;   // slot in use
  bool hasCallSiteGcTime = false;
  Span callSiteGcTime;
  Ms attachedAt = 0;
  uint64_t requestSeq = 0;
};

struct ObserverInfo {
  std::string name;
  std::string component;
  std::string request;  // the server request it renders for (SPEC 8), "" when none
};

struct RegistryCounts {
  std::array<uint32_t, kStateCount> byState{};  // storeIds per state (Absent: resolved, never created)
  uint32_t live = 0;
  uint32_t attachedObservers = 0;
};

// How one registry is being shut down (SPEC 10).
struct ShutdownRequest {
  RegistryIndex registry = kDefaultRegistry;
  ShutdownStrategy strategy = ShutdownStrategy::Parallel;
  ShutdownLoading loading = ShutdownLoading::Abort;
  Span deadline = Span::infinity();
};

// One named registry of the session (SPEC 8): its settings and life (its counts are
// Registry::countsOf, kept densely: W3's churn updates them on every attach). A name reused
// after its registry closed keeps its index (and so its stores' generation and loads counts).
struct NamedRegistry {
  std::string name;
  RegistryState state = RegistryState::Open;
  RegistrySettings settings;  // with the command line's overrides applied
  uint32_t epoch = 0;         // how many times the name was reused (resolved requests are per epoch)
  Ms createdAt = 0;
  // ---- shutdown ----
  ShutdownRequest shutdown;
  Ms shutdownAt = 0;
  Ms deadlineDue = kMaxMs;    // kMaxMs: no deadline
  uint64_t deadlineOrder = 0;  // queued deadline timer, 0 = none
  std::vector<StoreKey> closeOrder;  // sequential: newest instance first
  size_t nextClose = 0;        // sequential: the next in closeOrder to start closing
  Ms closedAt = 0;
  uint32_t killed = 0;         // instances disposed with reason killed
  uint32_t closed = 0;         // instances disposed with reason shutdown
  std::vector<std::string> killedStores;  // "storeId#generation" of each killed instance
};

struct SnapshotTag {};

class Registry {
 public:
  explicit Registry(Config config);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  // A copy of the whole state for time travel: stores, observers, timers, requests (shared,
  // they are immutable), the clock and the event count, but no SQLite connections and no
  // event history (events are append-only: the original's first eventCount() are the copy's
  // past). The copy publishes to no listener and keeps events published after the copy.
  Registry(const Registry& other, SnapshotTag);

  // ---- configuration ----
  const Config& config() const { return config_; }
  Policy policy() const { return config_.policy; }
  Environment environment() const { return config_.environment; }
  // Keep events in events() (default true). Listeners are called either way.
  void setRetainEvents(bool retain) { retainEvents_ = retain; }
  bool retainsEvents() const { return retainEvents_; }
  // Drops the events kept so far (events() is then empty; eventCount() goes on counting and
  // later events are kept as before). A session that keeps no history does this at each
  // command: its events are read during the command, by the live driver and settle().
  void forgetEvents() { events_.clear(); }
  // Drops the events before position n (whole chunks of them); later positions keep their
  // meaning (Session::forgetBefore).
  void forgetEventsBefore(size_t n) { events_.dropBefore(n); }
  // Keep each instance's later requests in StoreRecord::requests (default true). Off, only
  // the creating request is kept (later ones are still counted and still count for the GC
  // policy): pure bookkeeping, as the benchmarks measure it.
  void setRetainRequestHistory(bool retain) { retainRequests_ = retain; }
  using Listener = std::function<void(const Event&)>;
  void setListener(Listener l) { listener_ = std::move(l); }

  // ---- requests ----
  // Validates a request object (SPEC 4: `use` + `params` + call-site options, or raw options
  // with storeId; its shape is read by steps.hpp's readRequest). The error names the
  // offending field. Changes nothing.
  // `registry` gives the defaults and environment the request resolves against (SPEC 8).
  Result<RequestId> resolve(const json& request, RegistryIndex registry = kDefaultRegistry);
  const ResolvedRequest& request(RequestId id) const { return *requests_[id.index]; }

  // ---- commands (SPEC 2.3); a failed command changes nothing but publishes step_failed ----
  // A named observer's name must not be attached already (checkNameFree's error).
  Result<ObserverId> attach(RequestId request, const ObserverInfo& info);
  Status detach(ObserverId id);
  // Detaches the attached observer of that name; the error says whether the name is unknown
  // or already detached / orphaned.
  Status detachNamed(const std::string& name);
  // "observer: "p1" is already attached (to issue-1)" when that name is attached now.
  Status checkNameFree(const std::string& name) const;
  // checkNameFree for the attach that follows: that attach (and its bookkeeping) take this
  // lookup instead of making their own, when nothing was named in between.
  Status claimName(const std::string& name);
  // Never fails its caller; errors become preload_error_swallowed events.
  void preload(RequestId request);
  // a preload whose request did not resolve, or whose registry is unknown or shutting down
  void preloadInvalid(const std::string& message, RegistryIndex registry = kDefaultRegistry);
  bool drop(std::string_view storeId, RegistryIndex registry = kDefaultRegistry);
  void clear(RegistryIndex registry = kDefaultRegistry);
  bool has(std::string_view storeId, RegistryIndex registry = kDefaultRegistry) const;

  // ---- several registries (SPEC 8) ----
  // Creates (or reuses the closed registry of) `name`; "registry "x" already exists" while a
  // registry of that name is open or shutting down. Settings get the command line's overrides.
  Result<RegistryIndex> createRegistry(const std::string& name, RegistrySettings settings);
  // The newest registry of that name, whatever its state.
  std::optional<RegistryIndex> registryIndex(std::string_view name) const;
  // A registry a request, drop or clear may name: it exists and is open; the error is
  // `unknown registry "x"`, `registry "x" is shutting down` or `registry "x" is closed`.
  Result<RegistryIndex> openRegistry(std::string_view name) const;
  const std::vector<NamedRegistry>& registries() const { return registries_; }
  const NamedRegistry& registryAt(RegistryIndex r) const { return registries_[r]; }
  const RegistryCounts& countsOf(RegistryIndex r) const { return registryCounts_[r]; }
  // SPEC 10. Fails on a registry that is not open.
  Status shutdown(const ShutdownRequest& request);
  // SPEC 2.6 / 4: ends the load of a LOADING instance whose adapter is external; `error`
  // empty means success. Else fails with `"x" is not loading with an external adapter`.
  Status finishExternalLoad(std::string_view storeId, RegistryIndex registry, const std::string& error);
  Status advance(Ms n);
  Status advanceTo(Ms t);
  // Records a failed step of a higher layer (scenario runner) in the event stream.
  void recordStepFailed(const std::string& message, RegistryIndex registry = kDefaultRegistry);
  // Publishes an alert a higher layer judged (SPEC 11 `divergence`): on one store of
  // `registry`, or on the registry itself when `key` is kNoStore.
  void raiseAlert(RegistryIndex registry, StoreKey key, std::string_view code, const std::string& message);

  // ---- read-only views ----
  Ms now() const { return now_; }
  const std::vector<StoreRecord>& stores() const { return stores_; }
  const StoreRecord* find(std::string_view storeId, RegistryIndex registry = kDefaultRegistry) const;
  std::optional<StoreKey> keyOf(std::string_view storeId, RegistryIndex registry = kDefaultRegistry) const;
  const std::vector<ObserverRecord>& observers() const { return observers_; }
  // Every name an observer was ever attached under, with its latest status (first use first).
  const ObserverNames& observerNames() const { return names_; }
  // Observers attached to one store, in no particular order.
  std::span<const ObserverId> observersOf(StoreKey key) const { return storeObservers_[key].span(); }
  const RegistryCounts& counts() const { return counts_; }
  const Chunked<Event>& events() const { return events_; }
  Chunked<Event>::Range eventsSince(size_t cursor) const {
    return events_.since(cursor);
  }
  // The due time of the next timer that will fire, if any (for "step to next timer").
  std::optional<Ms> nextTimerDue() const;
  // Events ever published, including those before a snapshot was taken.
  uint64_t eventCount() const { return eventSeq_; }
  // JSON view of one event {seq,t,kind,storeId,generation,observer,from,to,detail}.
  json eventJson(const Event& e) const;
  json detailJson(const Event& e) const;
  const std::string& storeIdOf(StoreKey k) const { return stores_[k].storeId; }
  const std::string& registryNameOf(const Event& e) const { return registries_[e.registry].name; }

 private:
  StoreKey intern(const std::string& storeId, RegistryIndex registry);
  // Interns a resolved request's storeId and options and keeps it: its handle.
  Result<RequestId> keep(std::shared_ptr<ResolvedRequest> req, RegistryIndex registry);
  void assignIdentity(StoreRecord& s) const;
  void publish(Event e);
  void create(StoreRecord& s, RequestId req, StoreKey key);
  void noteRequest(StoreRecord& s, StoreKey key, RequestId req, RequestKind kind,
                   const std::string& observer, uint64_t seq);
  void updateEffectiveGcTime(StoreRecord& s, StoreKey key);
  // Arms (or, for a preload, restarts) the GC timer from now with the effective gcTime.
  // `rule`: the profile rule that armed it (Event::rule of the gc_scheduled and the disposal).
  void armGc(StoreRecord& s, StoreKey key, EventKind kind = EventKind::GcScheduled,
             std::string_view rule = {});
  // A load ended with 0 observers: SPEC 2.3 rule 4, or the profile's rule (SPEC 11).
  void armAtLoadEnd(StoreRecord& s, StoreKey key);
  // tanstack-query-5: the GC timer fired on a LOADING instance; it does nothing.
  void deferGc(StoreRecord& s, StoreKey key, Ms due);
  void cancelGc(StoreRecord& s, StoreKey key, bool publishEvent);
  void queueGc(StoreRecord& s, StoreKey key, bool overflow);
  void setState(StoreRecord& s, State to);
  void completeLoad(StoreKey key);
  void finishLoad(StoreKey key, const std::string& failure);
  void dispose(StoreKey key, DisposeReason reason);
  void noteRequestTag(StoreRecord& s, StoreKey key, const std::string& tag, const std::string& observer);
  void publishAlert(StoreKey key, std::string_view code, const std::string& message);
  // [SECTION] shutdown (registry_shutdown.cpp)
  std::vector<StoreKey> liveStoresOf(RegistryIndex r) const;  // oldest first
  void orphanForShutdown(const std::vector<StoreKey>& live);
  void abortLoadForShutdown(StoreKey key);
  void startClose(StoreKey key);
  void continueShutdown(RegistryIndex r);  // sequential: start the next close, if its turn
  void loadEndedDuringShutdown(StoreKey key);
  void closeFinished(StoreKey key);
  void deadlinePassed(RegistryIndex r);
  void closeRegistryIfEmpty(RegistryIndex r);
  void refreshLints(StoreRecord& s);
  // A handle this registry gave out: in range, and naming the store it was resolved for.
  bool ownsRequest(RequestId rid) const {
    return rid.index < requests_.size() && requests_[rid.index]->id == rid;
  }
  Status checkOwnership(const StoreRecord& s, const ResolvedRequest& req) const;
  void fireDue(Ms until);
  void addObserver(StoreRecord& s, StoreKey key, ObserverId id);
  void removeObserver(ObserverId id, ObserverStatus status);
  void noteName(ObserverId id);  // a named observer's slot or status changed
  // The entry of `name` (null: none), from the last lookup when it was of that name.
  ObserverNames::Entry* nameEntry(const std::string& name);
  void rememberName(const std::string& name, ObserverNames::Entry* entry);
  // The folder a file adapter opens: the configured one, or its stand-in in the sandbox
  // (seeded with the real store file when the sandbox asks for it).
  std::string adapterDirectory(const AdapterSpec& a, std::string_view storeId) const;
  bool wantEvents() const { return retainEvents_ || listener_ != nullptr; }
  Event makeEvent(EventKind kind, StoreKey key, const StoreRecord* s,
                  RegistryIndex registry = kDefaultRegistry) const;

  Config config_;
  Ms now_ = 0;
  std::vector<NamedRegistry> registries_;
  std::vector<RegistryCounts> registryCounts_;  // per registry, 32 bytes each
  uint64_t deadlineSeq_ = 0;
  std::vector<StoreRecord> stores_;
  std::vector<FlatStringMap<StoreKey>> keys_;  // per registry index: storeId -> its key
  std::unordered_map<std::string, uint32_t> otherOptionsIds_;
  // What requests that differ only in their storeId (query keys) share: their merged options
  // without the storeId, and the text of those but gcTime. Keyed by registry, epoch, template
  // and the call-site keys but storeId (appendJsonKey). A handful in a trace of a million.
  struct OptionsShape {
    std::shared_ptr<const EffectiveOptions> options;
    std::string otherOptions;
  };
  std::unordered_map<std::string, OptionsShape> optionShapes_;
  Result<const OptionsShape*> optionsShape(const RequestShape& shape, RegistryIndex r);
  // Resolved requests, and the few fields of each that every attach reads, packed densely.
  // 16 bytes, so four share a cache line: attach reads one at random among every resolved
  // request, and in W1 that read is a cache miss more often than not. (The store is in the
  // RequestId itself.)
  struct RequestHot {
    static constexpr uint32_t kMaxOtherOptionsId = (1u << 29) - 1;
    Ms gcMs = 0;
    uint32_t otherOptionsId : 29 = 0;
    uint32_t gcInfinite : 1 = 0;
    uint32_t callSite : 1 = 0;
    uint32_t templated : 1 = 0;
    Span gcTime() const { return Span{gcMs, gcInfinite != 0}; }
  };
  static_assert(sizeof(RequestHot) == 16);
  std::vector<std::shared_ptr<const ResolvedRequest>> requests_;
  std::vector<RequestHot> requestHot_;
  std::vector<ObserverRecord> observers_;
  std::vector<ObserverId> freeObservers_;
  std::vector<SmallIds> storeObservers_;  // attached observer ids per store
  std::vector<uint32_t> observerPos_;                    // index in storeObservers_[store]
  ObserverNames names_;  // named observers only
  // The name last looked up (claimName, detachNamed) and its entry, or null when it had
  // none: the attach or detach that follows takes it instead of looking it up again. Forgotten
  // when a name is added, and in a snapshot copy.
  struct NameLookup {
    std::string name;
    ObserverNames::Entry* entry = nullptr;
    bool valid = false;
  };
  NameLookup lastName_;
  TimerQueue timers_;
  Chunked<Event> events_;
  uint64_t eventSeq_ = 0;
  uint64_t requestSeq_ = 0;
  uint64_t createSeq_ = 0;
  RegistryCounts counts_;
  bool retainEvents_ = true;
  bool retainRequests_ = true;
  Listener listener_;
};

}  // namespace si
