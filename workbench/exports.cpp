#include "exports.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <stb_image_write.h>

#include "export.hpp"
#include "lifetimes.hpp"

namespace si::gui {
namespace {

struct Rgba {
  uint8_t r, g, b, a;
};

// The dark theme's state badge colours (panels/widgets.cpp stateColor), as 0..1 components:
// the exported image looks like the window's timeline without linking any drawing library.
Rgba stateRgba(State s) {
  using Rgb = std::array<float, 3>;
  Rgb c{0.35f, 0.35f, 0.35f};
  switch (s) {
    case State::Loading: c = {0.95f, 0.75f, 0.10f}; break;
    case State::Active: c = {0.20f, 0.75f, 0.30f}; break;
    case State::Inactive: c = {0.30f, 0.55f, 0.95f}; break;
    case State::Failed: c = {0.90f, 0.20f, 0.20f}; break;
    case State::Disposed: c = {0.50f, 0.50f, 0.50f}; break;
    case State::Absent: break;
  }
  return Rgba{static_cast<uint8_t>(c[0] * 255), static_cast<uint8_t>(c[1] * 255), static_cast<uint8_t>(c[2] * 255), 255};
}

// A tiny rasteriser: filled rectangles into an RGBA buffer.
struct Image {
  int w, h;
  std::vector<uint8_t> px;
  Image(int width, int height, Rgba bg) : w(width), h(height), px(static_cast<size_t>(width * height * 4)) {
    for (size_t i = 0; i < px.size(); i += 4) {
      px[i] = bg.r;
      px[i + 1] = bg.g;
      px[i + 2] = bg.b;
      px[i + 3] = bg.a;
    }
  }
  void fill(int x0, int y0, int x1, int y1, Rgba c) {
    x0 = std::max(x0, 0), y0 = std::max(y0, 0), x1 = std::min(x1, w), y1 = std::min(y1, h);
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) {
        uint8_t* p = &px[static_cast<size_t>((y * w + x) * 4)];
        p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = c.a;
      }
    }
  }
};

Status reported(Workbench& wb, Status s) {
  if (!s) wb.reportError(s.message());
  return s;
}

// One lane: its state segments, GC marks, and the observer count as a white step line.
void drawLane(Image& img, const Lane& lane, int i, int laneHeight, Ms now) {
  const int width = img.w;
  auto xOf = [&](Ms t) { return static_cast<int>(static_cast<double>(std::min(t, now)) * width / static_cast<double>(now)); };
  const int y0 = i * laneHeight + 1, y1 = (i + 1) * laneHeight - 1;
  for (const LaneSegment& s : lane.segments) {
    const int xa = xOf(s.begin), xb = std::max(xOf(s.end == kMaxMs ? now : s.end), xa + 1);
    img.fill(xa, y0, xb, y1, stateRgba(s.state));
    if (s.gcArmed && s.gcDue != kMaxMs && (s.end == kMaxMs || s.end == s.gcDue) && s.gcDue <= now) {
      const int xd = xOf(s.gcDue);
      img.fill(xd, y0 - 1, xd + 1, y1 + 1, Rgba{255, 80, 80, 255});
    }
  }
  if (lane.maxObservers == 0) return;
  for (size_t k = 0; k < lane.observers.size(); ++k) {
    const ObserverStep& o = lane.observers[k];
    if (o.count == 0) continue;
    const Ms next = k + 1 < lane.observers.size() ? lane.observers[k + 1].t : now;
    const int y = y1 - 1 - static_cast<int>((y1 - y0 - 2) * static_cast<int64_t>(o.count) / lane.maxObservers);
    img.fill(xOf(o.t), y, std::max(xOf(next), xOf(o.t) + 1), y + 1, Rgba{255, 255, 255, 255});
  }
}

}  // namespace

Status exportEventsCsv(Workbench& wb, const std::string& path) {
  return reported(wb, writeTextFile(path, eventsCsv(wb.liveSession().registry())));
}

Status exportTimelinePng(Workbench& wb, const std::string& path) {
  const Registry& reg = wb.liveSession().registry();
  Lifetimes life;
  life.update(reg);
  const auto& lanes = life.lanes();
  constexpr int kWidth = 1200, kLane = 12, kMaxLanes = 2000;
  const int n = static_cast<int>(std::min<size_t>(lanes.size(), kMaxLanes));
  const Ms now = std::max<Ms>(reg.now(), 1);
  Image img(kWidth, std::max(1, n) * kLane, Rgba{30, 30, 34, 255});
  for (int i = 0; i < n; ++i) drawLane(img, lanes[static_cast<size_t>(i)], i, kLane, now);
  if (stbi_write_png(path.c_str(), img.w, img.h, 4, img.px.data(), img.w * 4) != 0) return success();
  return reported(wb, Error{path + ": cannot write the PNG"});
}

Status exportScenario(Workbench& wb, const std::string& path) {
  wb.flushClock();
  const Session& live = wb.liveSession();
  // At the cursor when viewing the past: the log up to that instant and its state.
  std::vector<json> steps;
  if (wb.viewingPast()) {
    steps = TimeTravel::stepsUntil(live, *wb.timeCursor());
  } else {
    for (const Session::Command& c : live.commands()) steps.push_back(c.step());
  }
  const std::string& doc = wb.documentPath();
  const std::string name = "exported from " + (doc.empty() ? std::string("the bundled example") : doc);
  const json sc = scenarioJson(name, live.config(), steps, wb.session());
  return reported(wb, writeTextFile(path, sc.dump(2, ' ', false, json::error_handler_t::replace) + "\n"));
}

}  // namespace si::gui
