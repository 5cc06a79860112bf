#include "time_travel.hpp"

#include <algorithm>

namespace si {

void TimeTravel::reset() {
  snaps_.clear();
  builder_.reset();
  builtUpTo_ = 0;
  liveSeen_ = nullptr;
  past_.reset();
  pastCommands_ = 0;
  pastCrossed_ = false;
  pastT_ = -1;
}

void TimeTravel::ensureStarted(const Session& live) {
  // A different session, or a log shorter than what was built from (it was replaced).
  if (liveSeen_ != &live || builtUpTo_ > live.commands().size() ||
      (!snaps_.empty() && !(snaps_.front()->config().policy == live.config().policy))) {
    reset();
  }
  liveSeen_ = &live;
  if (snaps_.empty()) {
    snaps_.push_back(std::make_unique<Session>(live.config()));
    builder_ = std::make_unique<Session>(*snaps_.back(), SnapshotTag{});
    builtUpTo_ = 0;
  }
}

bool TimeTravel::extend(const Session& live, size_t maxCommands) {
  ensureStarted(live);
  const auto& cmds = live.commands();
  size_t budget = maxCommands;
  while (builtUpTo_ + every_ <= cmds.size()) {
    if (budget == 0) return false;
    const size_t stop = (builtUpTo_ / every_ + 1) * every_;
    while (builtUpTo_ < stop && budget > 0) {
      builder_->execute(cmds[builtUpTo_].step());
      ++builtUpTo_;
      --budget;
    }
    if (builtUpTo_ == stop) {
      snaps_.push_back(std::make_unique<Session>(*builder_, SnapshotTag{}));
      // Start the next block from the snapshot, so the builder never accumulates events.
      builder_ = std::make_unique<Session>(*snaps_.back(), SnapshotTag{});
    }
  }
  return true;
}

TimeTravel::Cut TimeTravel::cutAt(const Session& live, Ms t) {
  const auto& cmds = live.commands();
  const Ms now = live.registry().now();
  Cut c;
  c.t = std::clamp<Ms>(t, 0, now);
  auto it = std::upper_bound(cmds.begin(), cmds.end(), c.t,
                             [](Ms v, const Session::Command& k) { return v < k.t; });
  const size_t n = static_cast<size_t>(it - cmds.begin());
  c.commands = n;
  if (n > 0) {
    const Ms end = n < cmds.size() ? cmds[n].t : now;
    if (end > c.t) {
      c.commands = n - 1;
      c.crossing = true;
    }
  }
  return c;
}

std::vector<json> TimeTravel::stepsUntil(const Session& live, Ms t) {
  const Cut c = cutAt(live, t);
  std::vector<json> steps;
  steps.reserve(c.commands + 1);
  for (size_t i = 0; i < c.commands; ++i) steps.push_back(live.commands()[i].step());
  if (c.crossing) steps.push_back(json{{"advanceTo", c.t}});
  return steps;
}

const Session& TimeTravel::at(const Session& live, Ms t) {
  ensureStarted(live);
  const Cut c = cutAt(live, t);
  const auto& cmds = live.commands();
  // Snapshots as far as this instant needs (lazily; later blocks are built on later requests).
  while (builtUpTo_ + every_ <= c.commands) extend(live, every_);
  const size_t snap = std::min(c.commands / every_, snaps_.size() - 1);
  const size_t from = snap * every_;
  const bool canContinue = past_ && !pastCrossed_ && pastCommands_ <= c.commands && pastCommands_ >= from;
  if (past_ && pastT_ == c.t && pastCommands_ == c.commands && pastCrossed_ == c.crossing) return *past_;
  if (!canContinue) {
    past_ = std::make_unique<Session>(*snaps_[snap], SnapshotTag{});
    pastCommands_ = from;
  }
  for (size_t i = pastCommands_; i < c.commands; ++i) past_->execute(cmds[i].step());
  pastCommands_ = c.commands;
  pastCrossed_ = c.crossing;
  pastT_ = c.t;
  if (c.crossing) past_->execute(json{{"advanceTo", c.t}});
  return *past_;
}

}  // namespace si
