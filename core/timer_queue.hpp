// One timer queue for every timed effect (SPEC 2.1): a binary heap ordered by
// (due time, scheduling order) with lazy deletion. Cancelling is O(1): the owner forgets the
// token, and a popped entry whose token is no longer current is skipped.
#pragma once
#include <cstdint>
#include <algorithm>
#include <vector>

#include "types.hpp"

namespace si {

enum class TimerKind : uint8_t { Load, Gc };

struct Timer {
  Ms due = 0;
  uint64_t token = 0;  // scheduling order; unique, never 0
  TimerKind kind = TimerKind::Gc;
  uint32_t store = 0;
};

class TimerQueue {
 public:
  uint64_t schedule(Ms due, TimerKind kind, uint32_t store) {
    const uint64_t token = ++lastToken_;
    heap_.push_back(Timer{due, token, kind, store});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
    return token;
  }
  bool empty() const { return heap_.empty(); }
  const Timer& top() const { return heap_.front(); }
  Timer pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Timer t = heap_.back();
    heap_.pop_back();
    return t;
  }
  size_t size() const { return heap_.size(); }  // includes cancelled entries not yet popped
  // Drops every entry (used when the registry is reset).
  void reset() { heap_.clear(); }
  const std::vector<Timer>& entries() const { return heap_; }

 private:
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due != b.due ? a.due > b.due : a.token > b.token;
    }
  };
  std::vector<Timer> heap_;
  uint64_t lastToken_ = 0;
};

}  // namespace si
