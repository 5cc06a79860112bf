// Time travel: the session as it was at any instant of its command log, reached by replaying
// from the nearest periodic snapshot instead of from the start.
//
// Usage:
//   TimeTravel tt;                       // a snapshot every 512 commands
//   const Session& past = tt.at(live, t);  // valid until the next call or reset()
//   tt.extend(live, 2000);               // optional: build snapshots a little per frame
//
// The state at instant t is: every command that started at or before t, except that a command
// whose clock advance crosses t (starts before or at t, ends after it) is replaced by
// {"advanceTo": t}. stepsUntil() gives exactly those steps, so a fresh Session executing them
// is the reference (and what branching from the past keeps). Snapshots (Session's SnapshotTag
// copies: no SQLite connections, no past events) are built lazily as far as a request needs
// and extended incrementally as the log grows. reset() when the live session is replaced.
#pragma once
#include <memory>
#include <vector>

#include "session.hpp"

namespace si {

class TimeTravel {
 public:
  explicit TimeTravel(size_t every = 512) : every_(every == 0 ? 1 : every) {}

  void reset();
  // Builds snapshots for at most `maxCommands` more commands of the live log. Returns true when
  // every complete block of the log has its snapshot.
  bool extend(const Session& live, size_t maxCommands);
  // The session at instant t, clamped to [0, live now].
  const Session& at(const Session& live, Ms t);

  // Where instant t falls in the log: the first `commands` commands run whole, then
  // {"advanceTo": t} when `crossing`.
  struct Cut {
    size_t commands = 0;
    bool crossing = false;
    Ms t = 0;
  };
  static Cut cutAt(const Session& live, Ms t);
  static std::vector<json> stepsUntil(const Session& live, Ms t);

  size_t snapshots() const { return snaps_.size(); }
  size_t every() const { return every_; }

 private:
  void ensureStarted(const Session& live);

  size_t every_;
  std::vector<std::unique_ptr<Session>> snaps_;  // snaps_[i]: state before command i * every_
  std::unique_ptr<Session> builder_;             // state before command builtUpTo_
  size_t builtUpTo_ = 0;
  const Session* liveSeen_ = nullptr;
  std::unique_ptr<Session> past_;   // the last answer of at()
  size_t pastCommands_ = 0;         // commands of the log past_ has run whole
  bool pastCrossed_ = false;        // past_ ran an advanceTo after them
  Ms pastT_ = -1;
};

}  // namespace si
