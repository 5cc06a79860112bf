// What changed in a registry between two points of its event stream: the command log's
// "diff between two commands" (Redux DevTools' state diff, for a store registry). Stores
// created or disposed, state changes and observer changes, folded from the events alone.
//
// Usage:
//   RegistryDiff d = diffEvents(reg, resultA.eventEnd, resultB.eventEnd);
//   for (const StoreChange& c : d.stores) ...  // in storeId order
#pragma once
#include <string>
#include <vector>

#include "registry.hpp"

namespace si::gui {

struct StoreChange {
  std::string storeId;
  State before = State::Absent;  // the state at the first point (Absent: not created yet)
  State after = State::Absent;   // and at the second
  int created = 0, disposed = 0;  // instances created / disposed between them
  int attached = 0, detached = 0;  // observer attaches / detaches and orphanings
};

struct RegistryDiff {
  std::vector<StoreChange> stores;  // only stores some event touched, in storeId order
  size_t events = 0;                // events between the two points
};

// The events [from, to) of reg.events(), folded per store (from > to is swapped).
RegistryDiff diffEvents(const Registry& reg, size_t from, size_t to);

}  // namespace si::gui
