// json-bench: how long parseJsonText takes for one object with many keys. A config's
// storeOptions is one such object, so its key count is in the user's hands. Prints figures;
// never passes or fails on time.
//
// Usage: json-bench [KEYS...]   (default 20000 100000; each ends with one machine-readable line)
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config.hpp"

namespace {

// CPU time of this process: on a shared machine wall time also counts other processes.
double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// {"storeOptions": {"t0": {"storeId": "store-0"}, ...}}: the shape of a config with many templates.
std::string manyKeys(long keys) {
  std::string text = R"({"storeOptions": {)";
  for (long k = 0; k < keys; ++k) {
    if (k) text += ",";
    text += "\"t" + std::to_string(k) + "\": {\"storeId\": \"store-" + std::to_string(k) + "\"}";
  }
  return text + "}}";
}

int measure(long keys) {
  const std::string text = manyKeys(keys);
  const double start = cpuSeconds();
  si::Result<si::json> j = si::parseJsonText(text, "bench.json");
  const double seconds = cpuSeconds() - start;
  if (!j || (*j)["storeOptions"].size() != size_t(keys)) {
    std::fprintf(stderr, "json-bench: %ld keys did not parse back: %s\n", keys,
                 j ? "wrong key count" : j.message().c_str());
    return 1;
  }
  std::printf("one object of %ld keys (%zu bytes): parsed in %.3f s CPU\n", keys, text.size(), seconds);
  std::printf("json-keys keys=%ld bytes=%zu cpu_s=%.3f\n", keys, text.size(), seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> counts;
  for (int i = 1; i < argc; ++i) {
    char* end = nullptr;
    const long n = std::strtol(argv[i], &end, 10);
    if (!end || *end != '\0' || n <= 0) {
      std::fprintf(stderr, "usage: json-bench [KEYS...]   (positive key counts)\n");
      return 2;
    }
    counts.push_back(n);
  }
  if (counts.empty()) counts = {20000, 100000};
  for (long n : counts) {
    if (int rc = measure(n); rc != 0) return rc;
  }
  return 0;
}
