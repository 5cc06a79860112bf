// time-travel-bench: time to move the time cursor to random instants of a 100,000-command
// session (TimeTravel::at from the nearest snapshot). Prints the snapshot build time, then the
// median, p99 and max per jump. A figure, not pass/fail.
//   time-travel-bench [--commands N] [--jumps J] [--every K]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "time_travel.hpp"

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  size_t commands = 100000, jumps = 500, every = 512;
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--commands")) commands = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--jumps")) jumps = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--every")) every = std::strtoull(argv[i + 1], nullptr, 10);
  }
  auto cfg = si::parseConfig(si::json::parse(R"({
    "registry": {"defaultOptions": {"gcTime": 2000}},
    "storeOptions": {"issue": {"storeId": "issue-{id}", "adapter": {"type": "none", "loadMs": 30}}}
  })"), ".");
  if (!cfg) { std::fprintf(stderr, "%s\n", cfg.message().c_str()); return 2; }
  si::Session live(*cfg);
  std::mt19937 rng(42);
  std::vector<std::string> attached;
  uint64_t next = 0;
  const auto b0 = Clock::now();
  for (size_t i = 0; i < commands; ++i) {
    const auto r = static_cast<uint32_t>(rng() % 100);
    if (r < 45 || attached.empty()) {
      const std::string name = "o" + std::to_string(++next);
      si::json a = {{"observer", name}, {"use", "issue"}, {"params", {{"id", std::to_string(rng() % 2000)}}}};
      if (rng() % 3 == 0) a["gcTime"] = std::vector<int>{100, 1000, 5000}[rng() % 3];
      live.execute(si::json{{"attach", a}});
      attached.push_back(name);
    } else if (r < 85) {
      const size_t k = rng() % attached.size();
      live.execute(si::json{{"detach", attached[k]}});
      attached[k] = attached.back();
      attached.pop_back();
    } else {
      live.execute(si::json{{"advance", rng() % 200}});
    }
  }
  const double buildLive = std::chrono::duration<double>(Clock::now() - b0).count();
  si::TimeTravel tt(every);
  const auto s0 = Clock::now();
  tt.extend(live, ~size_t{0});
  const double buildSnaps = std::chrono::duration<double>(Clock::now() - s0).count();
  const si::Ms end = live.registry().now();
  std::vector<double> ms;
  for (size_t j = 0; j < jumps; ++j) {
    const si::Ms t = static_cast<si::Ms>(rng() % static_cast<uint32_t>(end + 1));
    const auto t0 = Clock::now();
    const si::Session& past = tt.at(live, t);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (past.registry().now() != t) { std::fprintf(stderr, "wrong instant\n"); return 1; }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("session: %zu commands, %zu events, %zu stores, end t=%lld ms (built in %.2f s)\n", commands,
              live.registry().events().size(), live.registry().stores().size(), static_cast<long long>(end), buildLive);
  std::printf("snapshots: %zu (every %zu commands), built in %.2f s\n", tt.snapshots(), every, buildSnaps);
  std::printf("jump to a random instant (%zu jumps): median %.2f ms, p99 %.2f ms, max %.2f ms\n", jumps,
              ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], ms.back());
  return 0;
}
