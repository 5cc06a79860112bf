// store-bench w3 and shutdown: several registries on one clock (SPEC 8, 10). Prints figures;
// never passes or fails on time.
//
// w3: 1,000 registries x 100 storeIds = 100,000 live instances. In each registry 90 are
//     resident (preloaded, gcTime Infinity) and 10 take W1's churn (SPEC 7): W1's 10,000
//     storeIds, store k in registry k % 1,000, so the churn spreads over every registry while
//     its work per operation is W1's. Compare its ops/s with w1's.
// w3-all: the churn drawn over all 100,000 (registry, storeId) pairs instead: with ten times
//     the storeIds most attaches find no live instance, so it creates (and later disposes)
//     about six times as many instances as W1 per operation: a different workload, shown to
//     say what a sparse spread costs.
// shutdown: one registry of 10,000 live instances (beside 9 others of 1,000), shut down in
//     parallel; the CPU time of the step plus the advance that fires the closes.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "registry.hpp"

namespace si::bench {
namespace {

double cpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

int runsFromEnv() {
  const char* env = std::getenv("SI_BENCH_RUNS");
  return env ? std::max(1, std::atoi(env)) : 3;
}

// Creates `count` registries r0, r1, ... and resolves every (store, gcTime) request in each.
Result<std::vector<RequestId>> resolveSpread(Registry& reg, uint32_t registries, uint32_t storesEach,
                                             const std::vector<int64_t>& gcTimes) {
  std::vector<RequestId> requests;
  requests.reserve(size_t(registries) * storesEach * gcTimes.size());
  for (uint32_t r = 0; r < registries; ++r) {
    Result<RegistryIndex> idx = reg.createRegistry("r" + std::to_string(r), registrySettings(reg.config()));
    if (!idx) return idx.error();
    for (uint32_t k = 0; k < storesEach; ++k) {
      for (int64_t g : gcTimes) {
        Result<RequestId> q = reg.resolve(json{{"storeId", "store-" + std::to_string(k)}, {"gcTime", g}}, *idx);
        if (!q) return q.error();
        requests.push_back(*q);
      }
    }
  }
  return requests;
}

struct W3Figures {
  uint64_t opsPerSec = 0;
  uint64_t loads = 0;
  uint32_t live = 0;
};

// The churn's requests in w3: W1's storeIds store-<k>, k < 10,000, each in registry k % 1,000;
// and 90 resident instances per registry, preloaded with gcTime Infinity.
Result<std::vector<RequestId>> residentAndChurn(Registry& reg, const std::vector<int64_t>& gcTimes) {
  std::vector<RegistryIndex> regs;
  for (uint32_t r = 0; r < 1000; ++r) {
    Result<RegistryIndex> idx = reg.createRegistry("r" + std::to_string(r), registrySettings(reg.config()));
    if (!idx) return idx.error();
    regs.push_back(*idx);
    for (uint32_t k = 0; k < 90; ++k) {
      Result<RequestId> q = reg.resolve(json{{"storeId", "resident-" + std::to_string(k)}, {"gcTime", "Infinity"}}, *idx);
      if (!q) return q.error();
      reg.preload(*q);
    }
  }
  std::vector<RequestId> requests;
  for (uint32_t k = 0; k < 10000; ++k) {
    for (int64_t g : gcTimes) {
      Result<RequestId> q = reg.resolve(json{{"storeId", "store-" + std::to_string(k)}, {"gcTime", g}}, regs[k % 1000]);
      if (!q) return q.error();
      requests.push_back(*q);
    }
  }
  return requests;
}

int w3Once(bool all, W3Figures* out) {
  constexpr uint64_t kOps = 1000000;
  const std::vector<int64_t> gcTimes = {1000, 5000, 20000, 60000};
  Registry reg(churnConfig());
  reg.setRetainEvents(false);
  reg.setRetainRequestHistory(false);
  auto resolved = all ? resolveSpread(reg, 1000, 100, gcTimes) : residentAndChurn(reg, gcTimes);
  if (!resolved) {
    std::fprintf(stderr, "store-bench w3: %s\n", resolved.message().c_str());
    return 2;
  }
  (void)reg.advance(0);
  const std::vector<RequestId>& requests = *resolved;
  const uint32_t total = uint32_t(requests.size() / gcTimes.size());
  const uint32_t residents = reg.counts().live;
  Mulberry32 rng{42};
  std::vector<ObserverId> attached;
  attached.reserve(kOps);
  const ObserverInfo anonymous;
  const double start = cpuNow();
  for (uint64_t i = 0; i < kOps; ++i) {
    const uint32_t r = rng();
    if (attached.empty() || r % 2 == 0) {
      const uint32_t store = rng() % total;
      const uint32_t g = rng() % uint32_t(gcTimes.size());
      attached.push_back(*reg.attach(requests[size_t(store) * gcTimes.size() + g], anonymous));
    } else {
      const size_t idx = rng() % attached.size();
      (void)reg.detach(attached[idx]);
      attached[idx] = attached.back();
      attached.pop_back();
    }
    if ((i + 1) % 1000 == 0) (void)reg.advance(1000);
  }
  const double cpu = cpuNow() - start;
  uint64_t loads = 0;
  for (const StoreRecord& s : reg.stores()) loads += s.loads;
  *out = W3Figures{uint64_t(double(kOps) / cpu), loads - residents, reg.counts().live};
  std::printf("%s: %llu operations over %u churned storeIds in 1,000 registries (%u resident "
              "instances) in %.3f s CPU\n",
              all ? "W3-all" : "W3", (unsigned long long)kOps, total, residents, cpu);
  return 0;
}

}  // namespace

int runW3(bool spreadOverAll) {
  const char* name = spreadOverAll ? "W3-all" : "W3";
  const int runs = runsFromEnv();
  std::vector<W3Figures> all;
  for (int i = 0; i < runs; ++i) {
    W3Figures f;
    if (int rc = w3Once(spreadOverAll, &f); rc != 0) return rc;
    all.push_back(f);
  }
  std::sort(all.begin(), all.end(), [](const W3Figures& a, const W3Figures& b) { return a.opsPerSec > b.opsPerSec; });
  std::printf("%s: best of %d runs %llu ops/s CPU, median %llu ops/s\n", name, runs,
              (unsigned long long)all.front().opsPerSec, (unsigned long long)all[all.size() / 2].opsPerSec);
  std::printf("%s ops_per_sec=%llu churn_loads=%llu live=%u\n", name, (unsigned long long)all.front().opsPerSec,
              (unsigned long long)all.front().loads, all.front().live);
  return 0;
}

int runShutdown() {
  constexpr uint32_t kBig = 10000;
  std::vector<double> times;
  uint32_t disposedLast = 0;
  for (int run = 0; run < runsFromEnv(); ++run) {
    Registry reg(churnConfig());
    reg.setRetainEvents(false);
    reg.setRetainRequestHistory(false);
    // Nine neighbours of 1,000 instances each share the clock and the timer queue.
    if (!resolveSpread(reg, 9, 1000, {60000})) return 2;
    Result<RegistryIndex> big = reg.createRegistry("big", registrySettings(reg.config()));
    if (!big) return 2;
    std::vector<RequestId> requests;
    for (uint32_t k = 0; k < kBig; ++k) {
      requests.push_back(*reg.resolve(json{{"storeId", "store-" + std::to_string(k)}}, *big));
    }
    const ObserverInfo anonymous;
    for (uint32_t k = 0; k < kBig; ++k) (void)reg.attach(requests[k], anonymous);
    (void)reg.advance(0);
    const double start = cpuNow();
    (void)reg.shutdown(ShutdownRequest{*big, ShutdownStrategy::Parallel, ShutdownLoading::Abort, Span::infinity()});
    (void)reg.advance(0);
    times.push_back((cpuNow() - start) * 1000.0);
    disposedLast = reg.registryAt(*big).closed;
    if (reg.registryAt(*big).state != RegistryState::Closed) {
      std::fprintf(stderr, "store-bench shutdown: the registry did not close\n");
      return 1;
    }
  }
  std::sort(times.begin(), times.end());
  std::printf("SHUTDOWN: parallel shutdown of %u instances (with their %u observers orphaned): "
              "best %.2f ms CPU, median %.2f ms\n",
              disposedLast, kBig, times.front(), times[times.size() / 2]);
  std::printf("SHUTDOWN instances=%u best_ms=%.3f median_ms=%.3f\n", disposedLast, times.front(),
              times[times.size() / 2]);
  return 0;
}

}  // namespace si::bench
