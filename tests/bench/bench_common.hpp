// Shared by the benchmark executables: SPEC 7's PRNG and registry set-up, and this process's
// memory readings.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "registry.hpp"

namespace si::bench {

// mulberry32, as in the JavaScript original (uint32 arithmetic).
struct Mulberry32 {
  uint32_t a;
  uint32_t operator()() {
    a += 0x6D2B79F5u;
    uint32_t t = a;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return t ^ (t >> 14);
  }
};

// SPEC 7's registry: policy longest, registry default gcTime 60000.
inline Config churnConfig() {
  Config c;
  c.policy = Policy::Longest;
  c.defaults.raw = json{{"gcTime", 60000}};
  return c;
}

// Resolves `store-<k>` (k < stores) once with each call-site gcTime and the `extra` options
// (adapter, schema, boot), store-major: (k, gcTimes[g]) is at k * gcTimes.size() + g.
// Attaching a resolved request allocates nothing.
inline Result<std::vector<RequestId>> resolveChurnRequests(Registry& reg, uint32_t stores,
                                                           const std::vector<int64_t>& gcTimes,
                                                           const json& extra = json::object()) {
  std::vector<RequestId> requests;
  requests.reserve(size_t(stores) * gcTimes.size());
  for (uint32_t k = 0; k < stores; ++k) {
    for (int64_t g : gcTimes) {
      json r = extra;
      r["storeId"] = "store-" + std::to_string(k);
      r["gcTime"] = g;
      Result<RequestId> req = reg.resolve(r);
      if (!req) return req.error();
      requests.push_back(*req);
    }
  }
  return requests;
}

// Resident memory now (VmRSS of /proc/self/status), in KiB.
inline long currentRssKib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// store_bench_registries.cpp: W3 (1,000 registries x 100 stores; spreadOverAll: the churn
// over all 100,000 storeIds) and a parallel shutdown of one registry of 10,000 instances.
int runW3(bool spreadOverAll);
int runShutdown();

}  // namespace si::bench
