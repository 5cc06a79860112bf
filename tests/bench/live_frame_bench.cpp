// live-frame-bench: CPU time per frame of the whole view (every panel open, the Live panel
// included) while a live trace streams in at a given rate (SPEC 11; issue: "the window stays
// under 4 ms median per frame while ingesting 50,000 messages/s"). Each frame feeds the
// messages due in 1/60 s through Workbench::feedLive, as the listener does, then draws.
// Reports the median and p99 of feeding + drawing, and of drawing alone. A figure, not pass/fail.
//   live-frame-bench TRACE.ndjson [--rate 50000] [--frames 600]
// (a W1 trace: `node bridge/bench/w1.mjs --keep /tmp/w1.ndjson`)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <imgui.h>

#include "driver.hpp"
#include "frame_common.hpp"
#include "shell.hpp"
#include "trace_reader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: live-frame-bench TRACE.ndjson [--rate N] [--frames N]\n");
    return 2;
  }
  double rate = 50000;
  int frames = 600;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--rate") == 0) rate = std::max(1.0, std::atof(argv[i + 1]));
    if (std::strcmp(argv[i], "--frames") == 0) frames = std::max(10, std::atoi(argv[i + 1]));
  }
  si::Result<si::live::Trace> trace = si::live::readTrace(argv[1]);
  if (!trace) {
    std::fprintf(stderr, "%s\n", trace.message().c_str());
    return 2;
  }
  si::bench::createHeadlessContext();
  si::gui::Workbench wb;
  si::gui::Shell shell(wb, si::gui::ShellOptions{""});
  si::gui::PanelVisibility& show = shell.ui.show;
  show.settings = show.shortcuts = show.fileErrors = show.live = show.commandLog = true;

  auto& messages = trace->messages;  // each moved into its command, as the listener does
  const double perFrame = rate / 60.0;
  double owed = 0;
  size_t next = 0;
  std::vector<double> total, draw;
  for (int f = 0; f < frames && next < messages.size(); ++f) {
    const auto t0 = Clock::now();
    owed += perFrame;
    for (; owed >= 1 && next < messages.size(); owed -= 1, ++next)
      wb.feedLive(1, &messages[next].message);
    const auto t1 = Clock::now();
    ImGui::NewFrame();
    shell.Draw();
    ImGui::Render();
    const auto t2 = Clock::now();
    total.push_back(ms(t0, t2));
    draw.push_back(ms(t1, t2));
  }
  const si::bench::FrameStats a = si::bench::frameStats(total), d = si::bench::frameStats(draw);
  std::printf("live-frame-bench: %zu of %zu messages at %.0f messages/s (%.0f per frame at 60 fps), %zu frames\n",
              next, messages.size(), rate, perFrame, total.size());
  std::printf("  feed + draw: median %.3f ms, p99 %.3f ms CPU per frame\n", a.median, a.p99);
  std::printf("  draw alone : median %.3f ms, p99 %.3f ms\n", d.median, d.p99);
  std::printf("  at the end: %zu events, %zu stores\n", wb.liveSession().registry().events().size(),
              wb.liveSession().registry().stores().size());
  ImGui::DestroyContext();
  return 0;
}
