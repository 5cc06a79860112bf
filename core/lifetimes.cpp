#include "lifetimes.hpp"

#include <algorithm>

namespace si {

void Lifetimes::reset() {
  lanes_.clear();
  laneIndex_.clear();
  cursor_ = 0;
  last_ = 0;
}

void Lifetimes::update(const Registry& reg) {
  if (reg.events().size() < cursor_) reset();
  for (const Event& e : reg.eventsSince(cursor_)) apply(e);
  cursor_ = reg.events().size();
}

const Lane* Lifetimes::laneOf(StoreKey key) const {
  if (key >= laneIndex_.size() || laneIndex_[key] < 0) return nullptr;
  return &lanes_[static_cast<size_t>(laneIndex_[key])];
}

Lane& Lifetimes::laneFor(StoreKey key, Ms t) {
  if (key >= laneIndex_.size()) laneIndex_.resize(key + 1, -1);
  if (laneIndex_[key] < 0) {
    laneIndex_[key] = static_cast<int32_t>(lanes_.size());
    lanes_.emplace_back();
    lanes_.back().store = key;
    lanes_.back().firstCreated = t;
  }
  return lanes_[static_cast<size_t>(laneIndex_[key])];
}

// Closes the open segment at t and opens `next` (a zero-length open segment is replaced).
void Lifetimes::split(Lane& lane, Ms t, const LaneSegment& next) {
  if (!lane.segments.empty() && lane.segments.back().end == kMaxMs) {
    LaneSegment& open = lane.segments.back();
    if (open.begin == t) {
      open = next;
      open.begin = t;
      open.end = kMaxMs;
      return;
    }
    open.end = t;
  }
  lane.segments.push_back(next);
  lane.segments.back().begin = t;
  lane.segments.back().end = kMaxMs;
}

void Lifetimes::apply(const Event& e) {
  last_ = std::max(last_, e.t);
  if (e.store == kNoStore) return;
  Lane& lane = laneFor(e.store, e.t);
  LaneSegment* open = (!lane.segments.empty() && lane.segments.back().end == kMaxMs) ? &lane.segments.back() : nullptr;
  auto setObservers = [&](uint32_t n) {
    if (!lane.observers.empty() && lane.observers.back().count == n) return;
    if (!lane.observers.empty() && lane.observers.back().t == e.t) lane.observers.back().count = n;
    else lane.observers.push_back(ObserverStep{e.t, n});
    lane.maxObservers = std::max(lane.maxObservers, n);
  };
  const uint32_t observersNow = lane.observers.empty() ? 0 : lane.observers.back().count;
  auto mark = [&] { lane.markers.push_back(LaneMarker{e.t, e.kind, e.generation}); };

  switch (e.kind) {
    case EventKind::InstanceCreated: {
      LaneSegment s;
      s.state = e.to;
      s.generation = e.generation;
      s.gcTime = e.gcTime;
      split(lane, e.t, s);
      lane.generations = std::max(lane.generations, e.generation);
      break;
    }
    case EventKind::ObserverAttached:
      setObservers(observersNow + 1);
      mark();
      break;
    case EventKind::ObserverDetached:
    case EventKind::ObserverOrphaned:
      setObservers(observersNow > 0 ? observersNow - 1 : 0);
      mark();
      break;
    case EventKind::GcScheduled:
    case EventKind::GcRestarted:
      if (open) {
        LaneSegment s = *open;
        s.gcArmed = true;
        s.gcArmedAt = e.t;
        s.gcDue = e.due;
        s.gcTime = e.gcTime;
        s.state = e.to;
        split(lane, e.t, s);
      }
      mark();
      break;
    case EventKind::GcCancelled:
    case EventKind::GcDeferred:  // the timer fired and did nothing (SPEC 11): no longer armed
      if (open) {
        LaneSegment s = *open;
        s.gcArmed = false;
        s.state = e.to;
        split(lane, e.t, s);
      }
      mark();
      break;
    case EventKind::GcTimeChanged:
      if (open && !(open->gcTime == e.gcTime)) {
        LaneSegment s = *open;
        s.gcTime = e.gcTime;
        split(lane, e.t, s);
      }
      break;
    case EventKind::Disposed:
      if (open) open->end = e.t;
      setObservers(0);
      mark();
      break;
    case EventKind::Preload:
    case EventKind::LoadAborted:
    case EventKind::LoadFailed:
      mark();
      break;
    default: break;
  }
  // Any other transition this event reports (load completion, attach to INACTIVE, detach).
  open = (!lane.segments.empty() && lane.segments.back().end == kMaxMs) ? &lane.segments.back() : nullptr;
  if (open && e.to != State::Disposed && e.to != State::Absent && open->state != e.to) {
    LaneSegment s = *open;
    s.state = e.to;
    split(lane, e.t, s);
  }
}

size_t Lifetimes::segmentAt(const Lane& lane, Ms t) {
  auto it = std::upper_bound(lane.segments.begin(), lane.segments.end(), t,
                             [](Ms v, const LaneSegment& s) { return v < s.end; });
  return static_cast<size_t>(it - lane.segments.begin());
}

Lifetimes::Instant Lifetimes::at(const Lane& lane, Ms t) {
  Instant i;
  const size_t k = segmentAt(lane, t);
  if (k < lane.segments.size() && lane.segments[k].begin <= t) {
    const LaneSegment& s = lane.segments[k];
    i.state = s.state;
    i.generation = s.generation;
    i.gcArmed = s.gcArmed;
    i.gcTime = s.gcTime;
    i.gcDue = s.gcDue;
  } else if (k > 0) {
    i.state = State::Disposed;
    i.generation = lane.segments[k - 1].generation;
  }
  auto it = std::upper_bound(lane.observers.begin(), lane.observers.end(), t,
                             [](Ms v, const ObserverStep& o) { return v < o.t; });
  if (it != lane.observers.begin()) i.observers = std::prev(it)->count;
  if (i.state == State::Disposed || i.state == State::Absent) i.observers = 0;
  return i;
}

}  // namespace si
