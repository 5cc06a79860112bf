// Store lifetimes folded from the event stream (SPEC 2.7): per store, a lane of segments over
// virtual time (state, generation, armed GC and its due time), the observer count as a step
// function, and markers for the events worth pointing at (attach, detach, preload, GC
// scheduled / cancelled / restarted, disposal). The timeline panel draws it; it holds no UI.
//
// Usage:
//   Lifetimes life;
//   life.update(session.registry());      // reads only the events published since last time
//   for (const Lane& lane : life.lanes()) ...
//   Lifetimes::Instant i = life.at(lane, t);
//
// Built incrementally through a cursor into registry().events(); reset() when the registry is
// replaced. A lane's last segment is open (end == kMaxMs) while the store is live.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "registry.hpp"

namespace si {

struct LaneSegment {
  Ms begin = 0;
  Ms end = kMaxMs;            // exclusive; kMaxMs while open
  State state = State::Loading;
  uint32_t generation = 0;
  bool gcArmed = false;
  Ms gcArmedAt = 0;           // when the GC countdown of this segment started
  Ms gcDue = 0;               // when it fires (saturated at kMaxMs)
  Span gcTime;                // effective gcTime during the segment
};

struct ObserverStep {
  Ms t = 0;
  uint32_t count = 0;  // attached observers from t on
};

struct LaneMarker {
  Ms t = 0;
  EventKind kind = EventKind::ObserverAttached;
  uint32_t generation = 0;
};

struct Lane {
  StoreKey store = 0;
  std::vector<LaneSegment> segments;   // ordered by begin; DISPOSED gaps are not segments
  std::vector<ObserverStep> observers; // ordered by t; starts with the first creation
  std::vector<LaneMarker> markers;     // ordered by t
  uint32_t maxObservers = 0;
  uint32_t generations = 0;
  Ms firstCreated = 0;
};

class Lifetimes {
 public:
  // Folds the events published since the last call. Resets itself when the registry has fewer
  // events than already read (a different registry).
  void update(const Registry& reg);
  void reset();

  const std::vector<Lane>& lanes() const { return lanes_; }  // in order of first creation
  const Lane* laneOf(StoreKey key) const;
  size_t cursor() const { return cursor_; }

  // What one store was at instant t (DISPOSED after its last instance, ABSENT before its first).
  struct Instant {
    State state = State::Absent;
    uint32_t generation = 0;
    uint32_t observers = 0;
    bool gcArmed = false;
    Span gcTime;
    Ms gcDue = 0;
  };
  static Instant at(const Lane& lane, Ms t);
  // Index of the first segment whose end is after t (segments.size() when none).
  static size_t segmentAt(const Lane& lane, Ms t);

  // The latest event time seen.
  Ms lastTime() const { return last_; }

 private:
  void apply(const Event& e);
  Lane& laneFor(StoreKey key, Ms t);
  void split(Lane& lane, Ms t, const LaneSegment& next);

  std::vector<Lane> lanes_;
  std::vector<int32_t> laneIndex_;  // StoreKey -> index into lanes_, -1 when none
  size_t cursor_ = 0;
  Ms last_ = 0;
};

}  // namespace si
