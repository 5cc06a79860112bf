// Shared by the benchmark executables: SPEC 7's PRNG and this process's memory readings.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>

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

// Resident memory now (VmRSS of /proc/self/status), in KiB.
inline long currentRssKib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

}  // namespace si::bench
