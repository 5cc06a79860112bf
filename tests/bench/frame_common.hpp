// What the frame benchmarks share: a headless ImGui context (no GL: building the frame is
// measured, not rasterising it) and the median / p99 of per-frame times.
#pragma once
#include <algorithm>
#include <vector>

#include <imgui.h>

namespace si::bench {

struct FrameStats {
  double median, p99, mean;
};

inline FrameStats frameStats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  return {v[v.size() / 2], v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * 0.99))],
          sum / static_cast<double>(v.size())};
}

// A 1920x1080 ImGui context at 60 fps with its font atlas built; the caller destroys it.
inline void createHeadlessContext() {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1920, 1080);
  io.DeltaTime = 1.0f / 60.0f;
  io.IniFilename = nullptr;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
}

}  // namespace si::bench
