// store-soak: SPEC section 7's W1 churn (mulberry32 seed 42, 10,000 storeIds, the attach/detach
// rule, 1,000 ms of virtual time per 1,000 operations) scaled to N operations, sampling this
// process's RSS (/proc/self/status VmRSS) once per second of wall time. Not a CI test: run it
// from scripts/nightly.sh. The last line says whether memory stayed flat once the working set
// was reached: the largest RSS over the second half of the run minus the RSS at its midpoint.
//
// Usage: store-soak [OPS]   (default 100,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "registry.hpp"

namespace {

using si::json;



struct Sample {
  double seconds;
  uint64_t ops;
  long rss;
  size_t observerSlots;  // high-water mark of attached observers so far
};

}  // namespace

int main(int argc, char** argv) {
  const uint64_t ops = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000'000ull;
  if (ops == 0) {
    std::fprintf(stderr, "usage: store-soak [OPS]\n");
    return 2;
  }
  constexpr uint32_t kStores = 10000;
  si::Registry reg(si::bench::churnConfig());
  reg.setRetainEvents(false);
  auto resolved = si::bench::resolveChurnRequests(reg, kStores, {1000, 5000, 20000, 60000});
  if (!resolved) {
    std::fprintf(stderr, "store-soak: %s\n", resolved.message().c_str());
    return 2;
  }
  const std::vector<si::RequestId>& requests = *resolved;

  si::bench::Mulberry32 rng{42};
  std::vector<si::ObserverId> attached;
  const si::ObserverInfo anonymous;
  std::vector<Sample> samples;
  size_t highWater = 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  double nextSample = 1.0;
  auto sample = [&](uint64_t done) {
    samples.push_back(Sample{elapsed(), done, si::bench::currentRssKib(), highWater});
    const Sample& s = samples.back();
    std::printf("sample t=%.1fs ops=%llu rss_kib=%ld live=%u observers=%u\n", s.seconds,
                (unsigned long long)s.ops, s.rss, reg.counts().live, reg.counts().attachedObservers);
    std::fflush(stdout);
  };
  sample(0);
  for (uint64_t i = 0; i < ops; ++i) {
    const uint32_t r = rng();
    if (attached.empty() || r % 2 == 0) {
      const uint32_t store = rng() % kStores;
      const uint32_t g = rng() % 4;
      auto id = reg.attach(requests[size_t(store) * 4 + g], anonymous);
      attached.push_back(*id);
      highWater = std::max(highWater, attached.size());
    } else {
      const size_t idx = rng() % attached.size();
      (void)reg.detach(attached[idx]);
      attached[idx] = attached.back();
      attached.pop_back();
    }
    if ((i + 1) % 1000 == 0) {
      (void)reg.advance(1000);
      if ((i + 1) % 65536 < 1000 && elapsed() >= nextSample) {
        sample(i + 1);
        nextSample = samples.back().seconds + 1.0;
      }
    }
  }
  sample(ops);

  // The working set is reached well before the midpoint (10,000 stores, gcTimes <= 60 s of
  // virtual time = 60,000 operations); after it, RSS should not grow.
  const double half = samples.back().seconds / 2;
  Sample atHalf = samples.front();
  long maxSecondHalf = 0, peak = 0;
  for (const Sample& s : samples) {
    if (s.seconds <= half) atHalf = s;
    if (s.seconds > half) maxSecondHalf = std::max(maxSecondHalf, s.rss);
    peak = std::max(peak, s.rss);
  }
  const long growth = maxSecondHalf - atHalf.rss;
  // W1's attach/detach rule is a random walk: the number of attached observers keeps reaching
  // new highs (~sqrt(ops)), and each new slot legitimately costs ~256 bytes (ObserverRecord and
  // the id vectors, with vector doubling). Flat = growth within that, plus 2 MiB or 2 % noise.
  const size_t newSlots = samples.back().observerSlots - atHalf.observerSlots;
  const long allowed = std::max(2048L, atHalf.rss / 50) + long(newSlots * 256 / 1024);
  const bool flat = growth <= allowed;
  std::printf("SOAK ops=%llu seconds=%.1f ops_per_sec=%.0f samples=%zu rss_at_half_kib=%ld "
              "max_rss_second_half_kib=%ld growth_kib=%ld observer_high_water=%zu->%zu "
              "allowed_kib=%ld peak_rss_kib=%ld flat=%s\n",
              (unsigned long long)ops, samples.back().seconds, double(ops) / samples.back().seconds,
              samples.size(), atHalf.rss, maxSecondHalf, growth, atHalf.observerSlots,
              samples.back().observerSlots, allowed, peak, flat ? "yes" : "no");
  return flat ? 0 : 1;
}
