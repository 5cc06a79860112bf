// One timer queue for every timed effect (SPEC 2.1): a binary heap ordered by
// (due time, scheduling order) with lazy deletion. Cancelling is O(1): the owner forgets the
// entry, and a popped entry that is no longer its owner's current one is skipped. The owner
// gives the scheduling order, so an entry re-queued later keeps its place among equal dues.
#pragma once
#include <cstdint>
#include <algorithm>
#include <vector>

#include "types.hpp"

namespace si {

// Close: one instance's close during a shutdown (store = its StoreKey); Deadline: a shutdown's
// deadline (store = the registry's index), queued with an order above every other timer's so
// that closes due at the same instant complete first (SPEC 10).
enum class TimerKind : uint8_t { Load, Gc, Close, Deadline };
constexpr uint64_t kDeadlineOrderBase = uint64_t{1} << 62;

struct Timer {
  Ms due = 0;
  uint64_t order = 0;  // scheduling order; unique, never 0
  TimerKind kind = TimerKind::Gc;
  uint32_t store = 0;
};

class TimerQueue {
 public:
  // The next scheduling order number.
  uint64_t nextOrder() { return ++lastOrder_; }
  void push(Ms due, uint64_t order, TimerKind kind, uint32_t store) {
    heap_.push_back(Timer{due, order, kind, store});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
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
      return a.due != b.due ? a.due > b.due : a.order > b.order;
    }
  };
  std::vector<Timer> heap_;
  uint64_t lastOrder_ = 0;
};

}  // namespace si
