#include "timeline_view.hpp"

#include <algorithm>
#include <cmath>

namespace si::gui {

void TimelineView::zoomAround(float x, float wheel) {
  const double anchor = timeAtX(x);
  msPerPixel = std::clamp(msPerPixel * std::pow(1.25, -static_cast<double>(wheel)), 0.01, 1e8);
  viewStart = anchor - static_cast<double>(x - canvasX) * msPerPixel;
  follow = false;
}

void TimelineView::panBy(float dx) {
  viewStart -= static_cast<double>(dx) * msPerPixel;
  follow = false;
}

void TimelineView::fit(Ms now) {
  msPerPixel = std::max(0.01, static_cast<double>(std::max<Ms>(now, 1)) / canvasWidth);
  viewStart = 0;
  followedNow = now;
}

void TimelineView::keepNowInView(Ms now) {
  if (!follow) return;
  // A jump wider than the view (Run to end, a journal opened) would leave the history off
  // screen: show all of it instead. A canvas too narrow to show anything (the window shrunk
  // to a sliver) keeps its zoom: fitting there gave seconds per pixel, kept when it grew back.
  if (canvasWidth >= kMinFitWidth &&
      static_cast<double>(now - followedNow) > static_cast<double>(canvasWidth) * msPerPixel)
    fit(now);
  followedNow = now;
  viewStart = std::max(0.0, static_cast<double>(now) - canvasWidth * msPerPixel);
}

}  // namespace si::gui
