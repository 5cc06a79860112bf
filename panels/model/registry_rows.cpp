#include "registry_rows.hpp"

#include <algorithm>
#include <iterator>

namespace si::gui {

Ms gcLeft(const StoreRecord& s, Ms now) {
  if (!s.gcArmed) return kMaxMs;
  return std::max<Ms>(0, s.gcDueIn(now));
}

int64_t memoryOf(const StoreRecord& s) { return s.db ? s.db->memory().total() : -1; }

bool RegistryRows::listed(const StoreRecord& s) const {
  if (registryFilter >= 0 && static_cast<long>(s.registry) != registryFilter) return false;
  if (stateFilter < 0 ? s.state == State::Absent : static_cast<int>(s.state) != stateFilter) return false;
  if (filter.empty()) return true;
  return s.storeId.find(filter) != std::string::npos || s.owner.find(filter) != std::string::npos;
}

namespace {

// -1, 0, 1 by the sort column alone (0: tie, broken by storeId).
int compareBy(int column, const StoreRecord& x, const StoreRecord& y, Ms now) {
  auto cmp = [](const auto& a, const auto& b) { return a < b ? -1 : b < a ? 1 : 0; };
  switch (column) {
    case kColTemplate: return cmp(x.owner, y.owner);
    case kColState: return cmp(x.state, y.state);
    case kColObservers: return cmp(x.observers, y.observers);
    case kColGcTime: return x.gcTime == y.gcTime ? 0 : x.gcTime < y.gcTime ? -1 : 1;
    case kColCountdown: return cmp(gcLeft(x, now), gcLeft(y, now));
    case kColGeneration: return cmp(x.generation, y.generation);
    case kColLoads: return cmp(x.loads, y.loads);
    case kColMemory: return cmp(memoryOf(x), memoryOf(y));
    default: return 0;
  }
}

}  // namespace

bool RegistryRows::before(const Registry& reg, Ms now, StoreKey a, StoreKey b) const {
  const StoreRecord& x = reg.stores()[a];
  const StoreRecord& y = reg.stores()[b];
  // Grouped by registry (SPEC 8: the same storeId in two registries is two stores), then the
  // sort column, then storeId: a strict total order.
  if (x.registry != y.registry) return x.registry < y.registry;
  int c = compareBy(sortColumn, x, y, now);
  if (c == 0) c = x.storeId < y.storeId ? -1 : y.storeId < x.storeId ? 1 : 0;
  return sortAscending ? c < 0 : c > 0;
}

void RegistryRows::rebuild(const Registry& reg, Ms now) {
  ++fullRebuilds;
  const auto& stores = reg.stores();
  rows.clear();
  rows.reserve(stores.size());
  for (StoreKey k = 0; k < stores.size(); ++k) {
    if (listed(stores[k])) rows.push_back(k);
  }
  std::sort(rows.begin(), rows.end(), [&](StoreKey a, StoreKey b) { return before(reg, now, a, b); });
}

bool RegistryRows::extend(const Registry& reg, Ms now) {
  const auto& events = reg.events();
  const auto& stores = reg.stores();
  if (sortColumn == kColMemory || events.size() != reg.eventCount() || watermark > events.size() ||
      builtStores > stores.size()) {
    return false;
  }
  std::vector<StoreKey> touched;
  for (size_t i = watermark; i < events.size(); ++i) {
    if (events[i].store != kNoStore) touched.push_back(events[i].store);
  }
  for (StoreKey k = static_cast<StoreKey>(builtStores); k < stores.size(); ++k) touched.push_back(k);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  if (touched.size() > 64 && touched.size() * 8 > rows.size()) return false;  // a clear, a big step
  if (touched.empty()) return true;
  std::vector<bool> isTouched(stores.size());
  for (StoreKey k : touched) isTouched[k] = true;
  std::erase_if(rows, [&](StoreKey k) { return isTouched[k]; });
  // The touched rows sorted, then merged in at once: inserting each where it goes moved the
  // rows after it every time (a live feed touches hundreds of 10,000 stores a frame).
  auto less = [&](StoreKey a, StoreKey b) { return before(reg, now, a, b); };
  std::erase_if(touched, [&](StoreKey k) { return !listed(stores[k]); });
  std::sort(touched.begin(), touched.end(), less);
  std::vector<StoreKey> merged;
  merged.reserve(rows.size() + touched.size());
  std::merge(rows.begin(), rows.end(), touched.begin(), touched.end(), std::back_inserter(merged), less);
  rows = std::move(merged);
  return true;
}

void RegistryRows::refresh(const Registry& reg, uint64_t sessionSerial, Ms now) {
  const bool timeSorted = sortColumn == kColCountdown;
  const bool sameBase = !dirty && builtSession == sessionSerial && (!timeSorted || builtNow == now);
  if (sameBase && builtEvents == reg.eventCount() && builtStores == reg.stores().size()) return;
  if (!sameBase || !extend(reg, now)) rebuild(reg, now);
  dirty = false;
  builtSession = sessionSerial;
  builtEvents = reg.eventCount();
  builtNow = now;
  watermark = reg.events().size();
  builtStores = reg.stores().size();
}

std::string RegistryRows::neighbour(const Registry& reg, const std::string& selected, int step) const {
  if (rows.empty()) return "";
  const auto& stores = reg.stores();
  long at = -1;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (stores[rows[i]].storeId == selected) at = static_cast<long>(i);
  }
  const long last = static_cast<long>(rows.size()) - 1;
  const long next = at < 0 ? 0 : std::clamp(at + step, 0L, last);
  return stores[rows[static_cast<size_t>(next)]].storeId;
}

const StoreRecord* findSelected(const Registry& reg, const std::string& storeId, long registryFilter) {
  if (storeId.empty()) return nullptr;
  if (registryFilter >= 0 && static_cast<size_t>(registryFilter) < reg.registries().size())
    return reg.find(storeId, static_cast<RegistryIndex>(registryFilter));
  for (RegistryIndex r = 0; r < reg.registries().size(); ++r) {
    if (const StoreRecord* s = reg.find(storeId, r)) return s;
  }
  return nullptr;
}

std::string registryLabel(const Registry& reg, RegistryIndex i) {
  const NamedRegistry& r = reg.registryAt(i);
  std::string out = r.name + " · ";
  switch (r.state) {
    case RegistryState::Open:
      return out + "open · " + std::to_string(reg.countsOf(i).live) + " live";
    case RegistryState::ShuttingDown:
      out += "shutting down since @" + std::to_string(r.shutdownAt);
      if (r.deadlineDue != kMaxMs) out += ", deadline @" + std::to_string(r.deadlineDue);
      return out;
    case RegistryState::Closed:
      out += "closed @" + std::to_string(r.closedAt);
      if (r.killed > 0) out += " (" + std::to_string(r.killed) + " killed)";
      return out;
  }
  return out;
}

json storeRowJson(const StoreRecord& s, Ms now) {
  json j = {{"storeId", s.storeId},
            {"template", s.owner.empty() ? json(nullptr) : json(s.owner)},
            {"state", std::string(toString(s.state))},
            {"observers", s.observers},
            {"gcTime", spanToJson(s.gcTime)},
            {"gcDueIn", s.gcArmed ? json(s.gcDueIn(now)) : json(nullptr)},
            {"generation", s.generation},
            {"loads", s.loads},
            {"lints", s.lints}};
  if (!s.clientId.empty()) j["clientId"] = s.clientId;
  if (!s.sessionId.empty()) j["sessionId"] = s.sessionId;
  if (!s.error.empty()) j["error"] = s.error;
  if (s.options != nullptr) j["options"] = s.options->toJson();
  return j;
}

}  // namespace si::gui
