// frame-bench: CPU time per frame of the whole view (menu bar + every panel open) over a large
// session — 10,000 stores, 50,000 attached observers, at least 100,000 events — in a headless
// ImGui context (no GL: this measures building the frame, not rasterising it).
// Prints the median and p99 per frame, for idle frames (nothing changed) and for frames where
// one attach/detach happens (caches rebuilt). A figure, not pass/fail.
//   frame-bench [--frames N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <imgui.h>

#include "frame_common.hpp"
#include "shell.hpp"

namespace {

using Clock = std::chrono::steady_clock;
const char* kConfig = R"({
  "registry": {"defaultOptions": {"gcTime": 60000}},
  "storeOptions": {"store": {"storeId": "store-{k}", "adapter": {"type": "none", "loadMs": 0}}}
})";


double frameMs(si::gui::Shell& shell) {
  const auto t0 = Clock::now();
  ImGui::NewFrame();
  shell.Draw();
  ImGui::Render();
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 300;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--frames") == 0) frames = std::max(10, std::atoi(argv[i + 1]));

  si::bench::createHeadlessContext();
  const ImGuiIO& io = ImGui::GetIO();

  si::gui::Workbench wb;
  si::gui::Shell shell(wb, si::gui::ShellOptions{""});
  // Build the session through the command log, as the panels would.
  const auto b0 = Clock::now();
  const std::string path = "frame-bench.json";
  {
    // The Workbench opens files; write the config next to the working directory.
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(kConfig, f);
    std::fclose(f);
  }
  if (!wb.open(path)) {
    std::fprintf(stderr, "%s\n", wb.fileErrors().back().c_str());
    return 2;
  }
  std::remove(path.c_str());
  // The registry is filled through its own API (resolve once per store, attach many), which
  // builds 50,000 observers faster than 50,000 session steps would; the panels read the same
  // Registry views either way.
  constexpr int kStores = 10000, kObservers = 50000;
  si::Registry& reg0 = wb.mutableSession().registry();
  std::vector<si::RequestId> requests;
  for (int k = 0; k < kStores; ++k) {
    auto r = reg0.resolve(si::json{{"use", "store"}, {"params", {{"k", std::to_string(k)}}}});
    if (!r) {
      std::fprintf(stderr, "resolve: %s\n", r.message().c_str());
      return 2;
    }
    requests.push_back(*r);
  }
  int next = 0;
  std::vector<si::ObserverId> attached;
  auto attachTo = [&](int k) {
    const std::string name = "o" + std::to_string(next++);
    auto id = reg0.attach(requests[static_cast<size_t>(k)], si::ObserverInfo{name, "App/Page" + std::to_string(k % 50), ""});
    return id ? *id : si::kNoObserver;
  };
  for (int k = 0; k < kStores; ++k) attached.push_back(attachTo(k));
  (void)reg0.advance(0);
  while (static_cast<int>(attached.size()) < kObservers) attached.push_back(attachTo(static_cast<int>(attached.size() * 7919 % kStores)));
  // Churn observers until the stream holds 100,000 events, keeping 50,000 attached.
  size_t i = 0;
  while (reg0.events().size() < 100000) {
    (void)reg0.detach(attached[i % attached.size()]);
    attached[i % attached.size()] = attachTo(static_cast<int>((i * 104729) % kStores));
    ++i;
  }
  (void)reg0.advance(1000);
  const double buildMs = std::chrono::duration<double, std::milli>(Clock::now() - b0).count();

  const si::Registry& reg = wb.session().registry();
  si::gui::PanelVisibility& show = shell.ui.show;
  show = si::gui::PanelVisibility{};
  show.settings = show.shortcuts = show.fileErrors = true;
  shell.ui.select("store-1");

  for (int f = 0; f < 10; ++f) frameMs(shell);  // warm up: first-use layout, caches
  std::vector<double> idle, churn;
  for (int f = 0; f < frames; ++f) idle.push_back(frameMs(shell));
  for (int f = 0; f < frames; ++f) {
    // One command per frame: every cache keyed on the event count is rebuilt.
    (void)reg0.detach(attached[static_cast<size_t>(f)]);
    attached[static_cast<size_t>(f)] = attachTo(f);
    churn.push_back(frameMs(shell));
  }
  const si::bench::FrameStats a = si::bench::frameStats(idle), c = si::bench::frameStats(churn);
  std::printf("frame-bench: %zu stores, %u observers attached, %zu events, built in %.0f ms\n",
              reg.stores().size(), reg.counts().attachedObservers, reg.events().size(),
              buildMs);
  std::printf("  all panels open, display %.0fx%.0f, %d frames each\n", static_cast<double>(io.DisplaySize.x),
              static_cast<double>(io.DisplaySize.y), frames);
  std::printf("  idle frames : median %.3f ms, p99 %.3f ms, mean %.3f ms CPU per frame\n", a.median, a.p99, a.mean);
  std::printf("  churn frames: median %.3f ms, p99 %.3f ms, mean %.3f ms CPU per frame (1 detach + 1 attach per frame)\n",
              c.median, c.p99, c.mean);
  ImGui::DestroyContext();
  return 0;
}
