// Checks a window screenshot: not blank, and the state badge colours of panels/widgets.cpp
// are present (the registry rows and the lifecycle diagram draw them as filled rectangles).
//   si_screenshot_check PNG   -> exit 0 when it looks like a working window, 1 otherwise
#include <cstdio>
#include <cstdlib>
#include <map>

#include <stb_image.h>

#include "widgets.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: si_screenshot_check PNG\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (px == nullptr) {
    std::fprintf(stderr, "%s: cannot read the PNG (%s)\n", argv[1], stbi_failure_reason());
    return 1;
  }
  std::map<unsigned, size_t> histogram;
  for (size_t i = 0; i < static_cast<size_t>(w) * static_cast<size_t>(h); ++i) {
    const unsigned c = (unsigned(px[3 * i]) << 16) | (unsigned(px[3 * i + 1]) << 8) | px[3 * i + 2];
    histogram[c]++;
  }
  size_t top = 0;
  for (const auto& [c, count] : histogram) top = std::max(top, count);
  const size_t total = static_cast<size_t>(w) * static_cast<size_t>(h);
  const double otherShare = 1.0 - static_cast<double>(top) / static_cast<double>(total);
  std::printf("%s: %dx%d, %zu colours, %.1f%% not the background\n", argv[1], w, h, histogram.size(),
              otherShare * 100.0);
  bool ok = w >= 640 && h >= 400 && histogram.size() >= 32 && otherShare >= 0.05;

  // Badge colours (dark theme), within 2 per channel.
  auto near = [](unsigned c, ImU32 want) {
    const int r = int((want >> IM_COL32_R_SHIFT) & 0xFF), g = int((want >> IM_COL32_G_SHIFT) & 0xFF),
              b = int((want >> IM_COL32_B_SHIFT) & 0xFF);
    return std::abs(int((c >> 16) & 0xFF) - r) <= 2 && std::abs(int((c >> 8) & 0xFF) - g) <= 2 &&
           std::abs(int(c & 0xFF) - b) <= 2;
  };
  const si::State states[] = {si::State::Loading, si::State::Active, si::State::Inactive, si::State::Failed,
                              si::State::Disposed};
  int badgeStates = 0;
  size_t activePixels = 0;
  for (si::State s : states) {
    const ImU32 want = si::gui::stateColorU32(s, true);
    size_t count = 0;
    for (const auto& [c, k] : histogram)
      if (near(c, want)) count += k;
    std::printf("  %-8s badge colour: %zu pixels\n", std::string(si::toString(s)).c_str(), count);
    if (count >= 100) ++badgeStates;
    if (s == si::State::Active) activePixels = count;
  }
  ok = ok && activePixels >= 100 && badgeStates >= 2;
  stbi_image_free(px);
  std::printf("%s\n", ok ? "ok" : "FAILED: blank or no state badges");
  return ok ? 0 : 1;
}
