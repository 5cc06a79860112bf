// Every name an observer was ever attached under, with its latest status: in the order each
// name was first used, found by name through a flat hash index. A trace attaches a new name
// about every other message (W1: 500,000 of them); an ordered map walked twenty string
// comparisons for each attach and detach, this looks at one slot.
//
// Usage:
//   ObserverNames names;
//   ObserverNames::Entry& e = names.add("p1");          // a name not in the table
//   if (const ObserverName* n = names.find("p1")) ...;
//   for (const auto& [name, info] : names) ...;          // first use first
#pragma once
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "flat_string_map.hpp"
#include "types.hpp"

namespace si {

using ObserverId = uint32_t;  // index into Registry::observers()
constexpr ObserverId kNoObserver = 0xffffffffu;

// A named observer's identity: its slot while attached, and its latest status, store and
// component (kept after it leaves: slots are reused, so observers() cannot say it later).
// Anonymous observers (the benchmarks') have none, so attaching them never touches the table.
struct ObserverName {
  ObserverId id = kNoObserver;  // while attached
  ObserverStatus status = ObserverStatus::Detached;
  std::string store;
  std::string component;
};

class ObserverNames {
 public:
  using Entry = std::pair<std::string, ObserverName>;
  using const_iterator = std::deque<Entry>::const_iterator;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  const Entry* entry(std::string_view name) const {
    const uint32_t* at = index_.find(name);
    return at ? &entries_[*at] : nullptr;
  }
  Entry* entry(std::string_view name) {
    const uint32_t* at = index_.find(name);
    return at ? &entries_[*at] : nullptr;
  }
  const ObserverName* find(std::string_view name) const {
    const Entry* e = entry(name);
    return e ? &e->second : nullptr;
  }
  size_t count(std::string_view name) const { return index_.find(name) ? 1 : 0; }
  const ObserverName& at(std::string_view name) const {
    const ObserverName* n = find(name);
    if (!n) throw std::out_of_range("no observer named " + std::string(name));
    return *n;
  }
  // Adds a name that is not in the table. Entries never move (a deque grows at its end).
  Entry& add(std::string_view name) {
    index_.insert(name, static_cast<uint32_t>(entries_.size()));
    return entries_.emplace_back(std::string(name), ObserverName{});
  }

 private:
  std::deque<Entry> entries_;
  FlatStringMap<uint32_t> index_;
};

}  // namespace si
