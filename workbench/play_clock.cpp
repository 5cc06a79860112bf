#include "play_clock.hpp"

#include <algorithm>
#include <cmath>

namespace si::gui {

Ms PlayClock::tick(double realDtSeconds, Ms now, std::optional<Ms> nextTimerDue) {
  if (!playing || realDtSeconds <= 0) return 0;
  const double s = std::clamp(static_cast<double>(speed), static_cast<double>(kMinSpeed),
                              static_cast<double>(kMaxSpeed));
  pendingMs_ += realDtSeconds * 1000.0 * s;
  realSinceTake_ += realDtSeconds;
  const Ms whole = pendingWholeMs();
  if (whole < 1) return 0;
  const bool timerDue = nextTimerDue && *nextTimerDue != kMaxMs && *nextTimerDue <= now + whole;
  const bool idleEnough = static_cast<double>(whole) >= kMinRecordedMs && realSinceTake_ >= kMinRecordedSeconds;
  return timerDue || idleEnough ? takePending() : 0;
}

Ms PlayClock::takePending() {
  const Ms whole = pendingWholeMs();
  if (whole < 1) return 0;
  pendingMs_ -= static_cast<double>(whole);
  realSinceTake_ = 0;
  return whole;
}

Ms PlayClock::pendingWholeMs() const { return static_cast<Ms>(std::floor(pendingMs_)); }

void PlayClock::reset() {
  pendingMs_ = 0;
  realSinceTake_ = 0;
}

}  // namespace si::gui
