// File > Export: events as CSV, the timeline as a PNG (rasterised here from the lanes, no GL
// read-back, so it works headless), and the session as a scenario file.
#include <algorithm>
#include <cstdint>
#include <vector>

#include <stb_image_write.h>

#include "export.hpp"
#include "gui_app.hpp"
#include "lifetimes.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace {

struct Rgba {
  uint8_t r, g, b, a;
};

Rgba stateRgba(State s) {
  const ImVec4 c = stateColor(s, true);
  return Rgba{static_cast<uint8_t>(c.x * 255), static_cast<uint8_t>(c.y * 255), static_cast<uint8_t>(c.z * 255), 255};
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

}  // namespace

bool App::exportEventsCsv(const std::string& path) {
  const Status s = writeTextFile(path, eventsCsv(session_->registry()));
  exportMessage_ = s ? "wrote " + path : s.message();
  if (!s) addError(s.message());
  return static_cast<bool>(s);
}

bool App::exportTimelinePng(const std::string& path) {
  Lifetimes life;
  life.update(session_->registry());
  const auto& lanes = life.lanes();
  constexpr int kWidth = 1200, kLane = 12, kMaxLanes = 2000;
  const int n = static_cast<int>(std::min<size_t>(lanes.size(), kMaxLanes));
  const Ms now = std::max<Ms>(session_->registry().now(), 1);
  Image img(kWidth, std::max(1, n) * kLane, Rgba{30, 30, 34, 255});
  auto xOf = [&](Ms t) { return static_cast<int>(static_cast<double>(std::min(t, now)) * kWidth / static_cast<double>(now)); };
  for (int i = 0; i < n; ++i) {
    const Lane& lane = lanes[static_cast<size_t>(i)];
    const int y0 = i * kLane + 1, y1 = (i + 1) * kLane - 1;
    for (const LaneSegment& s : lane.segments) {
      const int xa = xOf(s.begin), xb = std::max(xOf(s.end == kMaxMs ? now : s.end), xa + 1);
      img.fill(xa, y0, xb, y1, stateRgba(s.state));
      if (s.gcArmed && s.gcDue != kMaxMs && (s.end == kMaxMs || s.end == s.gcDue) && s.gcDue <= now) {
        const int xd = xOf(s.gcDue);
        img.fill(xd, y0 - 1, xd + 1, y1 + 1, Rgba{255, 80, 80, 255});
      }
    }
    // Observer count as a white step line in the lane's upper part.
    if (lane.maxObservers > 0) {
      for (size_t k = 0; k < lane.observers.size(); ++k) {
        const ObserverStep& o = lane.observers[k];
        if (o.count == 0) continue;
        const Ms next = k + 1 < lane.observers.size() ? lane.observers[k + 1].t : now;
        const int y = y1 - 1 - static_cast<int>((y1 - y0 - 2) * static_cast<int64_t>(o.count) / lane.maxObservers);
        img.fill(xOf(o.t), y, std::max(xOf(next), xOf(o.t) + 1), y + 1, Rgba{255, 255, 255, 255});
      }
    }
  }
  const bool ok = stbi_write_png(path.c_str(), img.w, img.h, 4, img.px.data(), img.w * 4) != 0;
  exportMessage_ = ok ? "wrote " + path : path + ": cannot write the PNG";
  if (!ok) addError(exportMessage_);
  return ok;
}

bool App::exportScenario(const std::string& path) {
  flushClock();
  // At the cursor when viewing the past: the log up to that instant and its state.
  std::vector<json> steps;
  if (viewingPast()) {
    steps = TimeTravel::stepsUntil(*session_, *ui.timeCursor);
  } else {
    for (const Session::Command& c : session_->commands()) steps.push_back(c.step);
  }
  const std::string name = "exported from " + (doc_.path.empty() ? std::string("the bundled example") : doc_.path);
  const json sc = scenarioJson(name, session_->config(), steps, viewSession());
  const Status s = writeTextFile(path, sc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  exportMessage_ = s ? "wrote " + path : s.message();
  if (!s) addError(s.message());
  return static_cast<bool>(s);
}

}  // namespace si::gui
