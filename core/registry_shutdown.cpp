// Several named registries on one clock (SPEC 8) and how one of them shuts down (SPEC 10).
// Registry members; the rest of the registry's rules are in registry.cpp.
#include <algorithm>
#include <cassert>

#include "registry.hpp"

namespace si {

// [SECTION] Named registries

std::optional<RegistryIndex> Registry::registryIndex(std::string_view name) const {
  for (RegistryIndex r = 0; r < registries_.size(); ++r) {
    if (registries_[r].name == name) return r;
  }
  return std::nullopt;
}

Result<RegistryIndex> Registry::openRegistry(std::string_view name) const {
  const auto r = registryIndex(name);
  if (!r) return Error{"unknown registry " + shortDump(std::string(name))};
  switch (registries_[*r].state) {
    case RegistryState::Open: return *r;
    case RegistryState::ShuttingDown:
      return Error{"registry " + shortDump(std::string(name)) + " is shutting down"};
    case RegistryState::Closed: break;
  }
  return Error{"registry " + shortDump(std::string(name)) + " is closed"};
}

Result<RegistryIndex> Registry::createRegistry(const std::string& name, RegistrySettings settings) {
  if (config_.profileOverride) {
    settings.profile = *config_.profileOverride;
    if (!settings.policyExplicit) settings.policy = defaultPolicy(settings.profile);
  }
  if (config_.policyOverride) settings.policy = *config_.policyOverride;
  if (config_.environmentOverride) settings.environment = *config_.environmentOverride;
  std::optional<RegistryIndex> r = registryIndex(name);
  if (r && registries_[*r].state != RegistryState::Closed) {
    return Error{"registry " + shortDump(name) + " already exists"};
  }
  if (!r) {
    r = static_cast<RegistryIndex>(registries_.size());
    registries_.emplace_back();
    registryCounts_.emplace_back();
  }
  // A reused name keeps its index, so its stores continue their generation and loads counts
  // (SPEC 8: storeId#generation never repeats within a name). Everything else starts afresh.
  NamedRegistry& n = registries_[*r];
  const uint32_t epoch = n.name.empty() ? 0 : n.epoch + 1;
  n = NamedRegistry{};
  n.name = name;
  n.epoch = epoch;
  n.settings = std::move(settings);
  n.createdAt = now_;
  for (StoreRecord& s : stores_) {
    if (s.registry == *r) s.policy = n.settings.policy, s.profile = n.settings.profile;
  }
  if (wantEvents()) {
    Event e = makeEvent(EventKind::RegistryCreated, kNoStore, nullptr, *r);
    e.clientId = std::string(toString(n.settings.environment));
    e.sessionId = std::string(toString(n.settings.policy));
    // Only a rule profile other than spec is shown, so spec sessions read as before.
    if (n.settings.profile != Profile::Spec) e.text = std::string(toString(n.settings.profile));
    publish(std::move(e));
  }
  return *r;
}

// [SECTION] Shutdown

std::vector<StoreKey> Registry::liveStoresOf(RegistryIndex r) const {
  std::vector<StoreKey> live;
  for (StoreKey k = 0; k < stores_.size(); ++k) {
    if (stores_[k].registry == r && stores_[k].live()) live.push_back(k);
  }
  std::sort(live.begin(), live.end(),
            [&](StoreKey a, StoreKey b) { return stores_[a].createdSeq < stores_[b].createdSeq; });
  return live;
}

Status Registry::shutdown(const ShutdownRequest& q) {
  assert(q.registry < registries_.size() && "a registry index this registry gave out");
  if (Result<RegistryIndex> ok = openRegistry(registries_[q.registry].name); !ok) return ok.error();
  NamedRegistry& r = registries_[q.registry];
  const std::vector<StoreKey> live = liveStoresOf(q.registry);
  r.state = RegistryState::ShuttingDown;
  r.shutdown = q;
  r.shutdownAt = now_;
  if (wantEvents()) {
    Event e = makeEvent(EventKind::ShutdownStarted, kNoStore, nullptr, q.registry);
    e.clientId = std::string(toString(q.strategy));
    e.sessionId = std::string(toString(q.loading));
    e.gcTime = q.deadline;
    e.due = static_cast<Ms>(live.size());
    publish(std::move(e));
  }
  orphanForShutdown(live);
  for (StoreKey k : live) cancelGc(stores_[k], k, true);
  if (q.loading == ShutdownLoading::Abort) {
    for (StoreKey k : live) {
      if (stores_[k].state == State::Loading) abortLoadForShutdown(k);
    }
  }
  if (!q.deadline.infinite) {
    bool overflow = q.deadline.ms > kMaxMs - now_;
    r.deadlineDue = overflow ? kMaxMs : now_ + q.deadline.ms;
    if (!overflow) {
      r.deadlineOrder = kDeadlineOrderBase + ++deadlineSeq_;
      timers_.push(r.deadlineDue, r.deadlineOrder, TimerKind::Deadline, q.registry);
    }
  }
  // Newest first, as clear() disposes: the chain's order, and the scheduling order of
  // parallel closes (which fire in that order when they fall due together).
  r.closeOrder.assign(live.rbegin(), live.rend());
  r.nextClose = 0;
  if (q.strategy == ShutdownStrategy::Parallel) {
    for (StoreKey k : r.closeOrder) {
      if (stores_[k].state == State::Loading)
        stores_[k].awaitingClose = true;
      else
        startClose(k);
    }
  } else {
    continueShutdown(q.registry);
  }
  closeRegistryIfEmpty(q.registry);
  return success();
}

// Observers still attached are orphaned at once, in the order they attached; an ACTIVE
// instance becomes INACTIVE (no GC is armed: the close takes over).
void Registry::orphanForShutdown(const std::vector<StoreKey>& live) {
  std::vector<ObserverId> orphans;
  for (StoreKey k : live) {
    const auto ids = storeObservers_[k].span();
    orphans.insert(orphans.end(), ids.begin(), ids.end());
  }
  std::sort(orphans.begin(), orphans.end(), [&](ObserverId a, ObserverId b) {
    return observers_[a].requestSeq < observers_[b].requestSeq;
  });
  for (ObserverId id : orphans) {
    const StoreKey key = observers_[id].store;
    StoreRecord& s = stores_[key];
    const State before = s.state;
    removeObserver(id, ObserverStatus::Orphaned);
    if (s.observers == 0 && s.state == State::Active) setState(s, State::Inactive);
    if (wantEvents()) {
      Event e = makeEvent(EventKind::ObserverOrphaned, key, &s);
      e.observer = observers_[id].name;
      e.from = before;
      publish(std::move(e));
    }
  }
}

// SPEC 10 `loading: "abort"`: the load stops within the step. The instance was never loaded,
// so it keeps the abort as its error (FAILED) and then closes like the others.
void Registry::abortLoadForShutdown(StoreKey key) {
  StoreRecord& s = stores_[key];
  s.loadTimer = 0;
  s.pendingPreloads = 0;
  s.error = "load aborted: registry " + registries_[s.registry].name + " is shutting down";
  setState(s, State::Failed);
  if (wantEvents()) {
    Event e = makeEvent(EventKind::LoadAborted, key, &s);
    e.from = State::Loading;
    publish(std::move(e));
  }
}

void Registry::startClose(StoreKey key) {
  StoreRecord& s = stores_[key];
  const Span closeMs = s.options ? s.options->adapter.closeMs : Span::finite(0);
  s.awaitingClose = false;
  s.closing = true;
  s.closeStartedAt = now_;
  bool overflow = closeMs.infinite || closeMs.ms > kMaxMs - now_;
  s.closeDue = overflow ? kMaxMs : now_ + closeMs.ms;
  s.closeTimer = 0;
  if (overflow) return;  // never closes by itself: only a deadline ends it
  s.closeTimer = timers_.nextOrder();
  timers_.push(s.closeDue, s.closeTimer, TimerKind::Close, key);
}

// Sequential: the next instance starts closing once the previous one is disposed; one still
// loading (loading "await") holds the chain until its load ends.
void Registry::continueShutdown(RegistryIndex r) {
  NamedRegistry& n = registries_[r];
  if (n.shutdown.strategy != ShutdownStrategy::Sequential) return;
  while (n.nextClose < n.closeOrder.size()) {
    const StoreKey k = n.closeOrder[n.nextClose];
    StoreRecord& s = stores_[k];
    if (!s.live()) {
      ++n.nextClose;
      continue;
    }
    if (s.closing) return;  // the current one
    if (s.state == State::Loading) {
      s.awaitingClose = true;
      return;
    }
    ++n.nextClose;
    startClose(k);
    return;
  }
}

void Registry::loadEndedDuringShutdown(StoreKey key) {
  StoreRecord& s = stores_[key];
  if (!s.awaitingClose) return;  // not its turn yet (sequential): the chain comes to it
  s.awaitingClose = false;
  const NamedRegistry& n = registries_[s.registry];
  if (n.shutdown.strategy == ShutdownStrategy::Parallel)
    startClose(key);
  else
    continueShutdown(s.registry);
}

void Registry::closeFinished(StoreKey key) {
  const RegistryIndex r = stores_[key].registry;
  registries_[r].closed++;
  dispose(key, DisposeReason::Shutdown);
  continueShutdown(r);
  closeRegistryIfEmpty(r);
}

// Instances not disposed by the deadline are killed (their close did not finish: lost work).
void Registry::deadlinePassed(RegistryIndex r) {
  NamedRegistry& n = registries_[r];
  n.deadlineOrder = 0;
  std::vector<StoreKey> live = liveStoresOf(r);
  std::reverse(live.begin(), live.end());  // newest first
  for (StoreKey k : live) {
    const StoreRecord& s = stores_[k];
    const std::string what = n.name + "/" + s.storeId + "#" + std::to_string(s.generation);
    const std::string doing = s.state == State::Loading ? "was still loading" : "had not finished closing";
    n.killed++;
    n.killedStores.push_back(s.storeId + "#" + std::to_string(s.generation));
    dispose(k, DisposeReason::Killed);
    publishAlert(k, "shutdown-deadline",
                 what + " " + doing + " at the " +
                     std::to_string(n.shutdown.deadline.ms) + " ms deadline and was killed");
  }
  closeRegistryIfEmpty(r);
}

void Registry::closeRegistryIfEmpty(RegistryIndex r) {
  NamedRegistry& n = registries_[r];
  if (n.state != RegistryState::ShuttingDown || registryCounts_[r].live != 0) return;
  n.state = RegistryState::Closed;
  n.closedAt = now_;
  n.deadlineOrder = 0;  // a queued deadline is dropped when it pops
  if (wantEvents()) {
    Event e = makeEvent(EventKind::RegistryClosed, kNoStore, nullptr, r);
    e.due = now_ - n.shutdownAt;
    e.keys = n.killedStores;
    publish(std::move(e));
  }
}

}  // namespace si
