// The Timeline panel's view over virtual time without ImGui: where t is on screen, zoom around
// the mouse, pan, fit, follow the present.
//
// Usage:
//   TimelineView v;  v.canvasX = 170;  v.canvasWidth = 800;
//   v.zoomAround(x, wheel);  double t = v.timeAtX(x);   // t stays under the mouse
#pragma once
#include "types.hpp"

namespace si::gui {

struct TimelineView {
  static constexpr float kMinFitWidth = 32;  // lanes narrower than this are not re-fitted
  double viewStart = 0;          // virtual ms at the left edge of the lanes
  double msPerPixel = 20;        // zoom
  bool follow = true;            // keep the present at the right edge
  Ms followedNow = 0;            // the present when keepNowInView last ran
  // Where the lanes were drawn last frame (screen x of t = viewStart, width in pixels).
  float canvasX = 0, canvasWidth = 1;

  double timeAtX(float x) const { return viewStart + static_cast<double>(x - canvasX) * msPerPixel; }
  float xAtTime(double t) const { return canvasX + static_cast<float>((t - viewStart) / msPerPixel); }
  // One wheel notch zooms 1.25x around screen x (the time under x stays there); stops following.
  void zoomAround(float x, float wheel);
  // Moves the view by a drag of dx pixels; stops following.
  void panBy(float dx);
  // The whole session [0, now] in the canvas.
  void fit(Ms now);
  // When following, the present at the right edge; after a jump wider than the view, fit.
  void keepNowInView(Ms now);
};

}  // namespace si::gui
