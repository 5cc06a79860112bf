#include "registry.hpp"

#include <algorithm>
#include <cassert>

#include "json_fast.hpp"
#include "steps.hpp"
#include "store_id.hpp"

namespace si {
namespace {

// now + span, saturated at kMaxMs; `overflow` tells whether it saturated.
Ms addSaturated(Ms now, Ms span, bool* overflow) {
  if (span > kMaxMs - now) {
    *overflow = true;
    return kMaxMs;
  }
  *overflow = false;
  return now + span;
}

// Copies a string only when it differs: most names on the hot path are empty on both sides,
// and even an empty assignment is an out-of-line call.
void setText(std::string& to, const std::string& from) {
  if (to.size() != from.size() || to != from) to = from;
}

}  // namespace

// [SECTION] StoreRecord

std::vector<const RequestRecord*> StoreRecord::requestHistory() const {
  std::vector<const RequestRecord*> out;
  if (requests.empty()) return out;
  out.push_back(&requests[0]);
  const size_t later = requests.size() - 1;
  if (later == 0) return out;
  // Later requests live in a ring over slots 1..kRequestHistory-1 once it is full.
  const size_t start = requestCount > kRequestHistory ? (requestCount - 1) % later : 0;
  for (size_t i = 0; i < later; ++i) out.push_back(&requests[1 + (start + i) % later]);
  return out;
}

// [SECTION] Construction and requests

Registry::Registry(Config config) : config_(std::move(config)) {
  NamedRegistry d;
  d.name = "default";
  d.settings = registrySettings(config_);
  registries_.push_back(std::move(d));
  registryCounts_.emplace_back();
}

Registry::Registry(const Registry& o, SnapshotTag)
    : config_(o.config_),
      now_(o.now_),
      registries_(o.registries_),
      registryCounts_(o.registryCounts_),
      deadlineSeq_(o.deadlineSeq_),
      stores_(o.stores_),
      keys_(o.keys_),
      otherOptionsIds_(o.otherOptionsIds_),
      requests_(o.requests_),
      requestHot_(o.requestHot_),
      observers_(o.observers_),
      freeObservers_(o.freeObservers_),
      storeObservers_(o.storeObservers_),
      observerPos_(o.observerPos_),
      names_(o.names_),
      timers_(o.timers_),
      eventSeq_(o.eventSeq_),
      requestSeq_(o.requestSeq_),
      createSeq_(o.createSeq_),
      counts_(o.counts_),
      retainEvents_(o.retainEvents_),
      retainRequests_(o.retainRequests_) {
  lastName_ = {};  // it points into the original's table
}
Registry::~Registry() = default;

StoreKey Registry::intern(const std::string& storeId, RegistryIndex r) {
  if (keys_.size() <= r) keys_.resize(r + 1);
  if (const StoreKey* known = keys_[r].find(storeId)) return *known;
  const auto key = static_cast<StoreKey>(stores_.size());
  keys_[r].insert(storeId, key);
  stores_.emplace_back();
  stores_.back().storeId = storeId;
  stores_.back().registry = r;
  stores_.back().policy = registries_[r].settings.policy;
  stores_.back().profile = registries_[r].settings.profile;
  storeObservers_.emplace_back();
  counts_.byState[static_cast<size_t>(State::Absent)]++;
  registryCounts_[r].byState[static_cast<size_t>(State::Absent)]++;
  return key;
}

std::optional<StoreKey> Registry::keyOf(std::string_view storeId, RegistryIndex r) const {
  if (r >= keys_.size()) return std::nullopt;
  const StoreKey* key = keys_[r].find(storeId);
  return key ? std::optional<StoreKey>(*key) : std::nullopt;
}

const StoreRecord* Registry::find(std::string_view storeId, RegistryIndex r) const {
  auto k = keyOf(storeId, r);
  return k ? &stores_[*k] : nullptr;
}

bool Registry::has(std::string_view storeId, RegistryIndex r) const {
  const StoreRecord* s = find(storeId, r);
  return s && s->live();
}

Result<const Registry::OptionsShape*> Registry::optionsShape(const RequestShape& shape, RegistryIndex r) {
  std::string key = std::to_string(r) + "." + std::to_string(registries_[r].epoch) + " ";
  appendJsonStringKey(shape.templateName, key);
  for (const auto& [k, v] : shape.callSite.items()) {  // an object: readRequest made it
    if (k == "storeId") continue;
    appendJsonStringKey(k, key);
    appendJsonKey(v, key);
  }
  if (auto it = optionShapes_.find(key); it != optionShapes_.end()) return &it->second;
  Result<OptionLayer> layer = parseOptionLayer(shape.callSite, Layer::CallSite, "");
  if (!layer) return layer.error();
  const RegistrySettings& settings = registries_[r].settings;
  EffectiveOptions merged = mergeOptions(settings.environment, &settings.defaults,
                                         shape.use ? &shape.use->options : nullptr, &*layer);
  merged.byKey[static_cast<size_t>(OptionKey::StoreId)].reset();  // each request sets its own
  json others = merged.toJson();
  others.erase("gcTime");
  others.erase("storeId");
  OptionsShape made{std::make_shared<const EffectiveOptions>(std::move(merged)), others.dump()};
  return &optionShapes_.emplace(std::move(key), std::move(made)).first->second;
}

Result<RequestId> Registry::resolve(const json& request, RegistryIndex r) {
  assert(r < registries_.size() && "a registry index this registry gave out");
  Result<RequestShape> shape = readRequest(request, config_.templates);
  if (!shape) return shape.error();
  if (Status ok = validateStoreId(shape->storeId); !ok) return ok.error();
  Result<const OptionsShape*> shared = optionsShape(*shape, r);
  if (!shared) return shared.error();
  auto req = std::make_shared<ResolvedRequest>();
  req->source = request;
  req->storeId = std::move(shape->storeId);
  req->templateName = std::move(shape->templateName);
  req->params = std::move(shape->params);
  auto options = std::make_shared<EffectiveOptions>(*(*shared)->options);
  options->byKey[static_cast<size_t>(OptionKey::StoreId)] =
      EffectiveOption{json(req->storeId), shape->use ? Layer::Template : Layer::CallSite, false};
  req->options = std::move(options);
  req->otherOptions = (*shared)->otherOptions;
  req->gcTime = req->options->gcTime;
  req->gcTimeFromCallSite = req->options->gcTimeLayer == Layer::CallSite;
  req->idLints = storeIdLints(req->storeId);
  if (shape->unsanitized) req->idLints.emplace_back("unsanitized-param");
  req->params.emplace_back("storeId", req->storeId);
  return keep(std::move(req), r);
}

Result<RequestId> Registry::keep(std::shared_ptr<ResolvedRequest> req, RegistryIndex r) {
  if (otherOptionsIds_.size() > RequestHot::kMaxOtherOptionsId &&
      !otherOptionsIds_.contains(req->otherOptions)) {
    return Error{"more than " + std::to_string(RequestHot::kMaxOtherOptionsId) +
                 " distinct option sets in one registry"};
  }
  req->otherOptionsId =
      otherOptionsIds_.try_emplace(req->otherOptions, uint32_t(otherOptionsIds_.size())).first->second;
  req->id = RequestId{static_cast<uint32_t>(requests_.size()), intern(req->storeId, r)};
  RequestHot hot;
  hot.gcMs = req->gcTime.ms;
  hot.otherOptionsId = req->otherOptionsId & RequestHot::kMaxOtherOptionsId;  // checked above
  hot.gcInfinite = req->gcTime.infinite;
  hot.callSite = req->gcTimeFromCallSite;
  hot.templated = !req->templateName.empty();
  requestHot_.push_back(hot);
  requests_.push_back(std::move(req));
  return requests_.back()->id;
}

Status Registry::checkOwnership(const StoreRecord& s, const ResolvedRequest& req) const {
  // Raw requests never conflict; instances created by raw options have no owner.
  if (req.templateName.empty() || s.owner.empty() || s.owner == req.templateName) return success();
  return Error{"storeId \"" + s.storeId + "\" already belongs to \"" + s.owner + "\", not \"" +
               req.templateName + "\""};
}

// [SECTION] Events

Event Registry::makeEvent(EventKind kind, StoreKey key, const StoreRecord* s, RegistryIndex r) const {
  Event e;
  e.t = now_;
  e.kind = kind;
  e.store = key;
  e.registry = s ? s->registry : r;
  if (s) {
    e.generation = s->generation;
    e.from = e.to = s->state;
  }
  return e;
}

void Registry::publish(Event e) {
  e.seq = ++eventSeq_;
  if (listener_) listener_(e);
  if (retainEvents_) events_.push_back(std::move(e));
}

// [SECTION] State changes

void Registry::setState(StoreRecord& s, State to) {
  if (s.state == to) return;
  RegistryCounts& own = registryCounts_[s.registry];
  counts_.byState[static_cast<size_t>(s.state)]--;
  counts_.byState[static_cast<size_t>(to)]++;
  own.byState[static_cast<size_t>(s.state)]--;
  own.byState[static_cast<size_t>(to)]++;
  const bool wasLive = s.live();
  s.state = to;
  s.stateSince = now_;
  if (wasLive != s.live()) {
    if (wasLive) {
      counts_.live--;
      own.live--;
    } else {
      counts_.live++;
      own.live++;
    }
  }
}

void Registry::refreshLints(StoreRecord& s) {
  s.lints.clear();
  if (!s.requests.empty()) s.lints = s.requests[0].request->idLints;
  if (!s.gcTime.infinite && s.gcTime.ms > 2147483647) s.lints.emplace_back("timer-overflow");
  if (s.options && s.options->adapter.type == AdapterType::File &&
      directoryLeavesConfigFolder(s.options->adapter.directory)) {
    s.lints.emplace_back("outside-directory");
  }
  std::sort(s.lints.begin(), s.lints.end());
}

void Registry::create(StoreRecord& s, RequestId rid, StoreKey key) {
  const ResolvedRequest* req = requests_[rid.index].get();
  const State previous = s.state;
  s.generation++;
  s.loads++;
  s.observers = 0;
  setText(s.owner, req->templateName);
  s.createdAt = now_;
  s.createdSeq = ++createSeq_;
  s.error.clear();
  s.options = req->options.get();
  s.otherOptionsId = req->otherOptionsId;
  s.requests.clear();
  s.requestCount = 0;
  s.pendingPreloads = 0;
  s.gcArmed = false;
  s.gcOrder = 0;
  s.gcRule = {};
  s.gcDeferred = s.leftWhileLoading = false;
  const Span g = req->gcTime;
  s.gcFirst = s.gcLast = s.gcMax = s.gcMin = g;
  s.gcTime = g;
  s.requestTags.clear();
  s.closing = s.awaitingClose = false;
  s.closeTimer = 0;
  assignIdentity(s);
  setState(s, State::Loading);
  // An external load ends only when a loaded / loadFailed step says so (SPEC 2.6).
  const bool external = req->options->adapter.type == AdapterType::External;
  const Span load = external ? Span::infinity() : req->options->adapter.loadMs;
  bool overflow = false;
  s.loadDue = load.infinite ? kMaxMs : addSaturated(now_, load.ms, &overflow);
  s.loadTimer = 0;
  if (!load.infinite && !overflow) {
    s.loadTimer = timers_.nextOrder();
    timers_.push(s.loadDue, s.loadTimer, TimerKind::Load, key);
  }
  if (wantEvents()) {
    Event e = makeEvent(EventKind::InstanceCreated, key, &s);
    e.from = previous;
    e.gcTime = g;
    e.clientId = s.clientId;
    e.sessionId = s.sessionId;
    publish(std::move(e));
  }
}

void Registry::noteRequest(StoreRecord& s, StoreKey key, RequestId rid, RequestKind kind,
                           const std::string& observer, uint64_t seq) {
  const RequestHot& h = requestHot_[rid.index];
  const bool creating = s.requestCount == 0;
  s.requestCount++;
  std::vector<std::string> ignoredHere;
  std::vector<std::string>* ignoredKeys = &ignoredHere;
  if (creating || retainRequests_) {
    // Written in place: the creating request in slot 0, later ones in a ring over the rest.
    RequestRecord* rec;
    if (s.requests.size() < kRequestHistory) {
      rec = &s.requests.emplace_back();
    } else {
      rec = &s.requests[1 + (s.requestCount - 2) % (kRequestHistory - 1)];
    }
    rec->seq = seq;
    rec->kind = kind;
    rec->t = now_;
    setText(rec->observer, observer);
    rec->request = requests_[rid.index].get();
    rec->ignoredKeys.clear();
    ignoredKeys = &rec->ignoredKeys;
  }
  if (!creating && h.otherOptionsId != s.otherOptionsId) {
    *ignoredKeys = differingKeys(*s.options, *requests_[rid.index]->options);
  }
  const std::vector<std::string>& ignored = *ignoredKeys;
  if (creating) {
    s.gcFirstSeq = s.gcLastSeq = s.gcMaxSeq = s.gcMinSeq = seq;
    s.gcTimeRequest = seq;
    refreshLints(s);
    return;
  }
  const Span g = h.gcTime();
  s.gcLast = g;
  s.gcLastSeq = seq;
  if (s.gcMax < g) s.gcMax = g, s.gcMaxSeq = seq;
  if (g < s.gcMin) s.gcMin = g, s.gcMinSeq = seq;
  updateEffectiveGcTime(s, key);
  if (!ignored.empty() && wantEvents()) {
    Event e = makeEvent(EventKind::OptionsIgnored, key, &s);
    e.observer = observer;
    e.keys = ignored;
    publish(std::move(e));
  }
}

void Registry::updateEffectiveGcTime(StoreRecord& s, StoreKey key) {
  Span g;
  uint64_t from = 0;
  switch (s.policy) {
    case Policy::Longest: g = s.gcMax, from = s.gcMaxSeq; break;
    case Policy::First: g = s.gcFirst, from = s.gcFirstSeq; break;
    case Policy::Last: g = s.gcLast, from = s.gcLastSeq; break;
    case Policy::Shortest: g = s.gcMin, from = s.gcMinSeq; break;
  }
  s.gcTimeRequest = from;
  if (g == s.gcTime) return;
  const Span previous = s.gcTime;
  s.gcTime = g;
  refreshLints(s);
  if (wantEvents()) {
    Event e = makeEvent(EventKind::GcTimeChanged, key, &s);
    e.previousGcTime = previous;
    e.gcTime = g;
    publish(std::move(e));
  }
}

void Registry::armGc(StoreRecord& s, StoreKey key, EventKind kind, std::string_view rule) {
  s.gcRule = rule;
  if (s.gcTime.infinite) {
    // Infinity is never collected: a timer still armed (a preload that raised gcTime to
    // Infinity restarts it) is cancelled instead of re-armed with 0 ms.
    cancelGc(s, key, true);
    return;
  }
  bool overflow = false;
  s.gcArmed = true;
  s.gcArmedAt = now_;
  s.gcDue = addSaturated(now_, s.gcTime.ms, &overflow);
  queueGc(s, key, overflow);
  if (wantEvents()) {
    Event e = makeEvent(kind, key, &s);
    e.gcTime = s.gcTime;
    e.due = s.gcDue;
    e.rule = rule;
    publish(std::move(e));
  }
}

void Registry::armAtLoadEnd(StoreRecord& s, StoreKey key) {
  switch (s.profile) {
    case Profile::Spec: break;
    case Profile::TanStackQuery5:
      // Re-armed from the load's end even when a timer is armed. Where SPEC 2 would do the
      // same (no timer armed, none deferred: the preload case) no rule is named.
      armGc(s, key, EventKind::GcScheduled, s.gcArmed || s.gcDeferred ? kRuleLoadEndRearms : "");
      return;
    case Profile::LiveStore04:
      // The load held a reference: the countdown the last detach would have started, starts now.
      if (!s.gcArmed) armGc(s, key, EventKind::GcScheduled, s.leftWhileLoading ? kRuleLoadHoldsReference : "");
      return;
  }
  if (!s.gcArmed) armGc(s, key);
}

void Registry::deferGc(StoreRecord& s, StoreKey key, Ms due) {
  s.gcArmed = false;
  s.gcDeferred = true;
  if (wantEvents()) {
    Event e = makeEvent(EventKind::GcDeferred, key, &s);
    e.gcTime = s.gcTime;
    e.due = due;
    e.rule = kRuleGcDuringLoadIgnored;
    publish(std::move(e));
  }
}

void Registry::queueGc(StoreRecord& s, StoreKey key, bool overflow) {
  // A due time beyond the end of virtual time can never be reached: armed, but not queued.
  s.gcOrder = overflow ? 0 : timers_.nextOrder();
  if (s.gcOrder == 0) return;
  if (s.gcQueuedOrder == 0 || s.gcQueuedDue > s.gcDue) {
    timers_.push(s.gcDue, s.gcOrder, TimerKind::Gc, key);
    s.gcQueuedOrder = s.gcOrder;
    s.gcQueuedDue = s.gcDue;
  }
}

void Registry::cancelGc(StoreRecord& s, StoreKey key, bool publishEvent) {
  if (!s.gcArmed) return;
  s.gcArmed = false;  // a queued entry stays; it is dropped or reused when it pops
  if (publishEvent && wantEvents()) publish(makeEvent(EventKind::GcCancelled, key, &s));
}

namespace {

// `to` = a + b + c, written only when it differs: a record reused by the next generation
// usually holds the same identity already, and W1 creates 75,000 instances.
void setJoined(std::string& to, std::string_view a, std::string_view b, std::string_view c = {}) {
  if (to.size() == a.size() + b.size() + c.size() && std::string_view(to).substr(0, a.size()) == a &&
      std::string_view(to).substr(a.size(), b.size()) == b && std::string_view(to).substr(a.size() + b.size()) == c)
    return;
  to.assign(a);
  to.append(b);
  to.append(c);
}

}  // namespace

void Registry::assignIdentity(StoreRecord& s) const {
  const NamedRegistry& r = registries_[s.registry];
  const RegistrySettings& st = r.settings;
  // The registry's own: the block's string, else "<registry name>-client" / "-session".
  const std::string_view client = st.clientId.empty() ? std::string_view(r.name) : std::string_view(st.clientId);
  const std::string_view clientTail = st.clientId.empty() ? "-client" : "";
  const std::string_view session = st.sessionId.empty() ? std::string_view(r.name) : std::string_view(st.sessionId);
  const std::string_view sessionTail = st.sessionId.empty() ? "-session" : "";
  if (st.clientIdMode == ClientIdMode::Store) {
    setJoined(s.clientId, std::string(client) + std::string(clientTail), "/", s.storeId);
  } else {
    setJoined(s.clientId, client, clientTail);
  }
  if (st.sessionIdMode == SessionIdMode::Instance) {
    setJoined(s.sessionId, std::string(session) + std::string(sessionTail) + "/", s.storeId,
              "#" + std::to_string(s.generation));
  } else {
    setJoined(s.sessionId, session, sessionTail);
  }
}

void Registry::addObserver(StoreRecord& s, StoreKey key, ObserverId id) {
  ObserverRecord& o = observers_[id];
  o.store = key;
  o.generation = s.generation;
  o.attached = true;
  o.status = s.state == State::Loading  ? ObserverStatus::Suspended
             : s.state == State::Failed ? ObserverStatus::Errored
                                        : ObserverStatus::Ready;
  o.attachedAt = now_;
  if (observerPos_.size() <= id) observerPos_.resize(id + 1);
  observerPos_[id] = static_cast<uint32_t>(storeObservers_[key].size());
  storeObservers_[key].push_back(id);
  s.observers++;
  counts_.attachedObservers++;
  registryCounts_[s.registry].attachedObservers++;
  if (!o.name.empty()) noteName(id);
}

void Registry::removeObserver(ObserverId id, ObserverStatus status) {
  ObserverRecord& o = observers_[id];
  auto& list = storeObservers_[o.store];
  const uint32_t pos = observerPos_[id];
  list[pos] = list.back();
  observerPos_[list[pos]] = pos;
  list.pop_back();
  o.attached = false;
  o.status = status;
  stores_[o.store].observers--;
  counts_.attachedObservers--;
  registryCounts_[stores_[o.store].registry].attachedObservers--;
  freeObservers_.push_back(id);
  if (!o.name.empty()) noteName(id);
}

void Registry::noteName(ObserverId id) {
  const ObserverRecord& o = observers_[id];
  ObserverNames::Entry* e = nameEntry(o.name);
  if (!e) {
    e = &names_.add(o.name);
    lastName_.valid = false;  // it said there was none
  }
  ObserverName& n = e->second;
  n.id = o.attached ? id : kNoObserver;
  n.status = o.status;
  setText(n.store, stores_[o.store].storeId);
  setText(n.component, o.component);
}

namespace {

Status nameFree(const std::string& name, const ObserverName& n) {
  if (n.id == kNoObserver) return success();
  return Error{"observer: " + shortDump(name) + " is already attached (to " + n.store + ")"};
}

}  // namespace

Status Registry::checkNameFree(const std::string& name) const {
  const ObserverName* n = names_.find(name);
  return n ? nameFree(name, *n) : success();
}

Status Registry::claimName(const std::string& name) {
  ObserverNames::Entry* e = nameEntry(name);
  rememberName(name, e);  // for the attach and its noteName
  return e ? nameFree(name, e->second) : success();
}

ObserverNames::Entry* Registry::nameEntry(const std::string& name) {
  if (lastName_.valid && lastName_.name == name) return lastName_.entry;
  return names_.entry(name);
}

void Registry::rememberName(const std::string& name, ObserverNames::Entry* entry) {
  lastName_.name = name;
  lastName_.entry = entry;
  lastName_.valid = true;
}

// [SECTION] Commands

Result<ObserverId> Registry::attach(RequestId rid, const ObserverInfo& info) {
  assert(ownsRequest(rid) && "a request must be resolved by the registry it is used on");
  const StoreKey key = rid.store;
  StoreRecord& s = stores_[key];
  const RequestHot& h = requestHot_[rid.index];
  if (h.templated && s.live()) {
    if (Status ok = checkOwnership(s, *requests_[rid.index]); !ok) return ok.error();
  }
  if (!info.name.empty()) {
    if (Status ok = claimName(info.name); !ok) return ok.error();
  }
  ObserverId id;
  if (!freeObservers_.empty()) {
    id = freeObservers_.back();
    freeObservers_.pop_back();
  } else {
    id = static_cast<ObserverId>(observers_.size());
    observers_.emplace_back();
  }
  ObserverRecord& o = observers_[id];
  setText(o.name, info.name);
  setText(o.component, info.component);
  o.hasCallSiteGcTime = h.callSite;
  o.callSiteGcTime = h.gcTime();
  const uint64_t seq = ++requestSeq_;
  o.requestSeq = seq;

  if (!s.live()) {
    create(s, rid, key);
    noteRequest(s, key, rid, RequestKind::Attach, info.name, seq);
    addObserver(s, key, id);
    if (wantEvents()) {
      Event e = makeEvent(EventKind::ObserverAttached, key, &s);
      e.observer = info.name;
      publish(std::move(e));
    }
    if (!info.request.empty()) noteRequestTag(s, key, info.request, info.name);
    return id;
  }
  const State before = s.state;
  addObserver(s, key, id);
  if (s.state == State::Inactive) setState(s, State::Active);
  if (wantEvents()) {
    Event e = makeEvent(EventKind::ObserverAttached, key, &s);
    e.observer = info.name;
    e.from = before;
    publish(std::move(e));
  }
  cancelGc(s, key, true);
  noteRequest(s, key, rid, RequestKind::Attach, info.name, seq);
  if (!info.request.empty()) noteRequestTag(s, key, info.request, info.name);
  return id;
}

// SPEC 8: one instance attached over its life by observers of two server requests is the
// module-scope mistake; each new request after the first raises one alert naming both.
void Registry::noteRequestTag(StoreRecord& s, StoreKey key, const std::string& tag,
                              const std::string& observer) {
  if (std::find(s.requestTags.begin(), s.requestTags.end(), tag) != s.requestTags.end()) return;
  s.requestTags.push_back(tag);
  if (s.requestTags.size() < 2) return;
  publishAlert(key, "cross-request",
               registries_[s.registry].name + "/" + s.storeId + "#" +
                   std::to_string(s.generation) + " is shared by requests " + shortDump(s.requestTags[0]) +
                   " and " + shortDump(tag) + " (observer " + shortDump(observer) + ")");
}

void Registry::publishAlert(StoreKey key, std::string_view code, const std::string& message) {
  if (!wantEvents()) return;
  Event e = makeEvent(EventKind::Alert, key, &stores_[key]);
  e.keys = {std::string(code)};
  e.text = message;
  publish(std::move(e));
}

void Registry::raiseAlert(RegistryIndex r, StoreKey key, std::string_view code, const std::string& message) {
  if (!wantEvents()) return;
  Event e = makeEvent(EventKind::Alert, key, key == kNoStore ? nullptr : &stores_[key], r);
  e.keys = {std::string(code)};
  e.text = message;
  publish(std::move(e));
}

Status Registry::detach(ObserverId id) {
  if (id >= observers_.size() || !observers_[id].attached) {
    if (id < observers_.size() && !observers_[id].name.empty()) {
      return Error{"observer \"" + observers_[id].name + "\" is not attached"};
    }
    return Error{"observer #" + std::to_string(id) + " is not attached"};
  }
  const StoreKey key = observers_[id].store;
  StoreRecord& s = stores_[key];
  const State before = s.state;
  removeObserver(id, ObserverStatus::Detached);
  if (s.observers == 0 && s.state == State::Active) setState(s, State::Inactive);
  if (wantEvents()) {
    Event e = makeEvent(EventKind::ObserverDetached, key, &s);
    e.observer = observers_[id].name;
    e.from = before;
    publish(std::move(e));
  }
  if (s.observers == 0) {
    // livestore-0.4: the load holds a reference, so no countdown starts before it ends.
    if (s.profile == Profile::LiveStore04 && s.state == State::Loading)
      s.leftWhileLoading = true;
    else
      armGc(s, key);
  }
  return success();
}

Status Registry::detachNamed(const std::string& name) {
  ObserverNames::Entry* e = names_.entry(name);
  if (!e) return Error{"observer " + shortDump(name) + " is not attached (unknown observer)"};
  rememberName(name, e);  // for the noteName of its detach
  if (e->second.id == kNoObserver) {
    return Error{"observer " + shortDump(name) + " is not attached (already " +
                 std::string(toString(e->second.status)) + ")"};
  }
  return detach(e->second.id);
}

void Registry::preloadInvalid(const std::string& message, RegistryIndex r) {
  if (!wantEvents()) return;
  Event e = makeEvent(EventKind::PreloadErrorSwallowed, kNoStore, nullptr, r);
  e.text = message;
  publish(std::move(e));
}

void Registry::preload(RequestId rid) {
  assert(ownsRequest(rid) && "a request must be resolved by the registry it is used on");
  const ResolvedRequest* req = requests_[rid.index].get();
  const StoreKey key = rid.store;
  StoreRecord& s = stores_[key];
  const uint64_t seq = ++requestSeq_;
  auto publishPreload = [&] {
    if (!wantEvents()) return;
    Event e = makeEvent(EventKind::Preload, key, &s);
    e.gcTime = req->gcTime;
    publish(std::move(e));
  };
  if (!s.live()) {
    create(s, rid, key);
    noteRequest(s, key, rid, RequestKind::Preload, "", seq);
    s.pendingPreloads++;
    publishPreload();
    return;
  }
  if (Status ok = checkOwnership(s, *req); !ok) {
    if (wantEvents()) {
      Event e = makeEvent(EventKind::PreloadErrorSwallowed, key, &s);
      e.text = ok.message();
      publish(std::move(e));
    }
    return;
  }
  publishPreload();
  noteRequest(s, key, rid, RequestKind::Preload, "", seq);
  if (s.state == State::Loading) s.pendingPreloads++;
  if (s.state == State::Failed && wantEvents()) {
    Event e = makeEvent(EventKind::PreloadErrorSwallowed, key, &s);
    e.text = s.error;
    publish(std::move(e));
  }
  if (s.gcArmed) {
    // A preload touches the instance as acquiring and releasing it would: restart from now.
    armGc(s, key, EventKind::GcRestarted);
  }
}

std::string Registry::adapterDirectory(const AdapterSpec& a, std::string_view storeId) const {
  std::string real = (!a.directory.empty() && a.directory[0] == '/')
                         ? a.directory
                         : config_.baseDir + "/" + a.directory;
  if (!config_.sandbox) return real;
  if (a.type == AdapterType::File) config_.sandbox->seed(real, encodeStoreFileName(storeId));
  return config_.sandbox->directoryFor(real);
}

void Registry::completeLoad(StoreKey key) {
  StoreRecord& s = stores_[key];
  s.loadTimer = 0;
  const EffectiveOptions& opt = *s.options;
  std::string failure;
  if (opt.adapter.fail.fails(s.generation)) {
    failure = opt.adapter.fail.message.empty() ? "load failed" : opt.adapter.fail.message;
  } else if (opt.adapter.type == AdapterType::Memory || opt.adapter.type == AdapterType::File) {
    auto db = StoreDb::open(opt.adapter.type, adapterDirectory(opt.adapter, s.storeId), s.storeId,
                            opt.schema, opt.bootSql, s.requests[0].request->params);
    if (db)
      s.db = std::move(*db);
    else
      failure = db.message();
  }
  finishLoad(key, failure);
}

Status Registry::finishExternalLoad(std::string_view storeId, RegistryIndex r, const std::string& error) {
  const auto key = keyOf(storeId, r);
  const StoreRecord* s = key ? &stores_[*key] : nullptr;
  if (!s || s->state != State::Loading || !s->options ||
      s->options->adapter.type != AdapterType::External) {
    return Error{shortDump(std::string(storeId)) + " is not loading with an external adapter"};
  }
  finishLoad(*key, error);
  return success();
}

void Registry::finishLoad(StoreKey key, const std::string& failure) {
  StoreRecord& s = stores_[key];
  s.loadTimer = 0;
  const State before = s.state;
  if (!failure.empty()) {
    s.error = failure;
    setState(s, State::Failed);
  } else {
    setState(s, s.observers > 0 ? State::Active : State::Inactive);
  }
  for (ObserverId id : storeObservers_[key]) {
    observers_[id].status = failure.empty() ? ObserverStatus::Ready : ObserverStatus::Errored;
    if (!observers_[id].name.empty()) noteName(id);
  }
  if (wantEvents()) {
    Event e = makeEvent(failure.empty() ? EventKind::LoadSucceeded : EventKind::LoadFailed, key, &s);
    e.from = before;
    e.text = failure;
    publish(std::move(e));
    if (!failure.empty() && s.pendingPreloads > 0) {
      Event p = makeEvent(EventKind::PreloadErrorSwallowed, key, &s);
      p.text = failure;
      publish(std::move(p));
    }
  }
  s.pendingPreloads = 0;
  if (registries_[s.registry].state == RegistryState::ShuttingDown) {
    s.gcDeferred = s.leftWhileLoading = false;
    loadEndedDuringShutdown(key);  // no GC during a shutdown: the close takes over
    return;
  }
  if (s.observers == 0) armAtLoadEnd(s, key);
  s.gcDeferred = s.leftWhileLoading = false;
}

void Registry::dispose(StoreKey key, DisposeReason reason) {
  StoreRecord& s = stores_[key];
  if (s.state == State::Loading && wantEvents()) {
    publish(makeEvent(EventKind::LoadAborted, key, &s));
  }
  s.loadTimer = 0;
  s.gcArmed = false;
  s.closing = s.awaitingClose = false;
  s.closeTimer = 0;
  // Orphaned in the order they attached (the per-store list is reordered by swap-removes).
  const std::span<const ObserverId> attached = storeObservers_[key].span();
  std::vector<ObserverId> orphans(attached.begin(), attached.end());
  std::sort(orphans.begin(), orphans.end(), [&](ObserverId a, ObserverId b) {
    return observers_[a].requestSeq < observers_[b].requestSeq;
  });
  for (const ObserverId id : orphans) {
    removeObserver(id, ObserverStatus::Orphaned);
    if (wantEvents()) {
      Event e = makeEvent(EventKind::ObserverOrphaned, key, &s);
      e.observer = observers_[id].name;
      publish(std::move(e));
    }
  }
  s.db.reset();  // shuts the instance down: closes its SQLite connection
  const State before = s.state;
  setState(s, State::Disposed);
  s.pendingPreloads = 0;
  if (wantEvents()) {
    Event e = makeEvent(EventKind::Disposed, key, &s);
    e.from = before;
    e.reason = reason;
    if (reason == DisposeReason::Gc) e.rule = std::string(s.gcRule);
    publish(std::move(e));
  }
}

bool Registry::drop(std::string_view storeId, RegistryIndex r) {
  auto key = keyOf(storeId, r);
  if (!key || !stores_[*key].live()) return false;
  dispose(*key, DisposeReason::Drop);
  return true;
}

void Registry::clear(RegistryIndex r) {
  std::vector<StoreKey> live;
  for (StoreKey k = 0; k < stores_.size(); ++k) {
    if (stores_[k].live() && stores_[k].registry == r) live.push_back(k);
  }
  std::sort(live.begin(), live.end(),
            [&](StoreKey a, StoreKey b) { return stores_[a].createdSeq > stores_[b].createdSeq; });
  for (StoreKey k : live) dispose(k, DisposeReason::Clear);
}

// [SECTION] Clock

void Registry::fireDue(Ms until) {
  while (!timers_.empty() && timers_.top().due <= until) {
    const Timer t = timers_.pop();
    if (t.kind == TimerKind::Deadline) {
      if (registries_[t.store].deadlineOrder == t.order) {
        now_ = t.due;
        deadlinePassed(t.store);
      }
      continue;
    }
    StoreRecord& s = stores_[t.store];
    if (t.kind == TimerKind::Close) {
      if (s.closeTimer == t.order) {
        now_ = t.due;
        closeFinished(t.store);
      }
      continue;
    }
    if (t.kind == TimerKind::Load) {
      if (s.loadTimer == t.order) {
        now_ = t.due;
        completeLoad(t.store);
      }
      continue;
    }
    if (s.gcQueuedOrder != t.order) continue;  // superseded by an earlier-due entry
    s.gcQueuedOrder = 0;
    if (!s.gcArmed || s.gcOrder == 0) continue;  // cancelled, or never reachable
    if (s.gcDue == t.due && s.gcOrder == t.order) {
      now_ = t.due;
      if (s.profile == Profile::TanStackQuery5 && s.state == State::Loading)
        deferGc(s, t.store, t.due);  // the load's end re-arms it
      else
        dispose(t.store, DisposeReason::Gc);
    } else {
      // Queued by an earlier arm: wait for the current one, keeping its scheduling order.
      timers_.push(s.gcDue, s.gcOrder, TimerKind::Gc, t.store);
      s.gcQueuedOrder = s.gcOrder;
      s.gcQueuedDue = s.gcDue;
    }
  }
}

Status Registry::advance(Ms n) {
  if (n < 0) return Error{"advance: expected a non-negative number of ms, got " + std::to_string(n)};
  if (n > kMaxMs - now_) {
    return Error{"advance: " + std::to_string(n) + " ms from " + std::to_string(now_) +
                 " goes past the end of virtual time"};
  }
  const Ms until = now_ + n;
  fireDue(until);
  now_ = until;
  return success();
}

Status Registry::advanceTo(Ms t) {
  if (t < now_) {
    return Error{"advanceTo: " + std::to_string(t) + " is in the past (now " +
                 std::to_string(now_) + ")"};
  }
  return advance(t - now_);
}

void Registry::recordStepFailed(const std::string& message, RegistryIndex r) {
  if (!wantEvents()) return;
  Event e = makeEvent(EventKind::StepFailed, kNoStore, nullptr, r);
  e.text = message;
  publish(std::move(e));
}

std::optional<Ms> Registry::nextTimerDue() const {
  std::optional<Ms> next;
  for (const StoreRecord& s : stores_) {
    if (s.state == State::Loading && s.loadTimer != 0 && (!next || s.loadDue < *next)) {
      next = s.loadDue;
    }
    if (s.gcArmed && s.gcOrder != 0 && (!next || s.gcDue < *next)) next = s.gcDue;
    if (s.closeTimer != 0 && (!next || s.closeDue < *next)) next = s.closeDue;
  }
  for (const NamedRegistry& r : registries_) {
    if (r.deadlineOrder != 0 && (!next || r.deadlineDue < *next)) next = r.deadlineDue;
  }
  return next;
}

// [SECTION] JSON views

json Registry::detailJson(const Event& e) const {
  json d = json::object();
  switch (e.kind) {
    case EventKind::InstanceCreated:
      d["gcTime"] = spanToJson(e.gcTime);
      d["clientId"] = e.clientId;
      d["sessionId"] = e.sessionId;
      break;
    case EventKind::Preload: d["gcTime"] = spanToJson(e.gcTime); break;
    case EventKind::RegistryCreated:
      d["environment"] = e.clientId;
      d["policy"] = e.sessionId;
      if (!e.text.empty()) d["profile"] = e.text;  // SPEC 11, when not spec
      break;
    case EventKind::ShutdownStarted:
      d["strategy"] = e.clientId;
      d["loading"] = e.sessionId;
      d["deadlineMs"] = spanToJson(e.gcTime);
      d["live"] = e.due;
      break;
    case EventKind::RegistryClosed:
      d["totalMs"] = e.due;
      d["killed"] = e.keys.size();
      if (!e.keys.empty()) d["killedStores"] = e.keys;
      break;
    case EventKind::Alert:
      d["code"] = e.keys.empty() ? std::string() : e.keys[0];
      d["message"] = e.text;
      break;
    case EventKind::GcScheduled:
    case EventKind::GcRestarted:
    case EventKind::GcDeferred:
      d["gcTime"] = spanToJson(e.gcTime);
      d["due"] = e.due;
      break;
    case EventKind::GcTimeChanged:
      d["previous"] = spanToJson(e.previousGcTime);
      d["gcTime"] = spanToJson(e.gcTime);
      break;
    case EventKind::Disposed: d["reason"] = std::string(toString(e.reason)); break;
    case EventKind::LoadFailed: d["error"] = e.text; break;
    case EventKind::OptionsIgnored: d["keys"] = e.keys; break;
    case EventKind::StepFailed:
    case EventKind::PreloadErrorSwallowed: d["message"] = e.text; break;
    default: break;
  }
  if (!e.rule.empty()) d["rule"] = e.rule;  // SPEC 11: the profile rule behind it
  return d;
}

json Registry::eventJson(const Event& e) const {
  json j = json::object();
  j["seq"] = e.seq;
  j["t"] = e.t;
  j["kind"] = std::string(toString(e.kind));
  j["storeId"] = e.store == kNoStore ? json(nullptr) : json(stores_[e.store].storeId);
  j["generation"] = e.store == kNoStore ? json(nullptr) : json(e.generation);
  j["observer"] = e.observer.empty() ? json(nullptr) : json(e.observer);
  j["from"] = e.store == kNoStore ? json(nullptr) : json(std::string(toString(e.from)));
  j["to"] = e.store == kNoStore ? json(nullptr) : json(std::string(toString(e.to)));
  j["detail"] = detailJson(e);
  j["registry"] = registries_[e.registry].name;  // SPEC 8; last, as the journal's column
  return j;
}

}  // namespace si
