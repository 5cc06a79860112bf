#include "registry_diff.hpp"

#include <algorithm>
#include <map>

namespace si::gui {

RegistryDiff diffEvents(const Registry& reg, size_t from, size_t to) {
  const auto& events = reg.events();
  if (from > to) std::swap(from, to);
  to = std::min(to, events.size());
  from = std::min(from, to);
  std::map<std::string, StoreChange> byStore;
  for (size_t i = from; i < to; ++i) {
    const Event& e = events[i];
    if (e.store == kNoStore) continue;
    const std::string& id = reg.storeIdOf(e.store);
    // Every event carries the store's state before (from) and after (to) it.
    auto [it, first] = byStore.try_emplace(id);
    StoreChange& c = it->second;
    if (first) {
      c.storeId = id;
      c.before = e.from;
    }
    c.after = e.to;
    switch (e.kind) {
      case EventKind::InstanceCreated: ++c.created; break;
      case EventKind::Disposed: ++c.disposed; break;
      case EventKind::ObserverAttached: ++c.attached; break;
      case EventKind::ObserverDetached:
      case EventKind::ObserverOrphaned: ++c.detached; break;
      default: break;
    }
  }
  RegistryDiff d;
  d.events = to - from;
  for (auto& [id, c] : byStore) d.stores.push_back(std::move(c));
  return d;
}

}  // namespace si::gui
