// One command log under several GC policies (SPEC 5 `compare`, and the comparison panel):
// per policy, per store, every instance with its creation and disposal time, the number of
// loads and the store-milliseconds held. The CLI and the GUI print these same numbers.
//
// Usage:
//   Result<PolicyRun> r = runUnderPolicy(config, Policy::First, steps);
//   Ms held = r->heldMs("issue-1");
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "session.hpp"

namespace si {

struct CompareInstance {
  uint32_t generation = 0;
  Ms created = 0;
  std::optional<Ms> disposed;  // nullopt: still live at the end
};

struct PolicyRun {
  Policy policy = Policy::Longest;
  Ms end = 0;                 // the clock after the last step
  size_t failedSteps = 0;
  std::map<std::string, std::vector<CompareInstance>> stores;  // oldest instance first

  // Sum over the store's instances of (disposal or end) - creation.
  Ms heldMs(const std::vector<CompareInstance>& list) const;
  Ms heldMs(const std::string& storeId) const;
  Ms totalHeldMs() const;
  size_t loads(const std::string& storeId) const;
};

// Executes `steps` through a fresh Session on `config` with its policy replaced by `policy`.
// File adapters write into a private copy (FileSandbox seeded from the real store files);
// the only error is a scratch folder that cannot be created.
Result<PolicyRun> runUnderPolicy(const Config& config, Policy policy,
                                 const std::vector<json>& steps);
// Stores in order of first creation across the runs (ties by storeId), each listed once.
std::vector<std::string> compareStoreOrder(const std::vector<PolicyRun>& runs);

}  // namespace si
