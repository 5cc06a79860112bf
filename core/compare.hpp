// One command log under several GC policies (SPEC 5 `compare`, and the comparison panel), or
// under several shutdown strategies (SPEC 10) or identity choices (SPEC 9): per run, per store,
// every instance with its creation and disposal time, the number of loads and the
// store-milliseconds held; per registry, each shutdown's time and killed instances; per store,
// the distinct sessionIds it went through. The CLI and the GUI print these same numbers.
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

// One shutdown of one registry during a run.
struct CompareShutdown {
  Ms started = 0;
  std::optional<Ms> closed;           // nullopt: not closed by the end
  std::vector<std::string> killed;    // "storeId#generation"
};

// What one run changes: the policy (of every registry), the strategy of every shutdownRegistry
// step, the sessionId identity of every registry, the rule profile of every registry (whose
// policy then follows the profile unless one is given explicitly, SPEC 11). Unset: as the
// scenario says.
struct RunChoice {
  std::optional<Policy> policy;
  std::optional<ShutdownStrategy> shutdown;
  std::optional<SessionIdMode> sessionId;
  std::optional<Profile> profile;
  std::string label() const;  // "longest", "sequential", "instance", "tanstack-query-5"
};

struct PolicyRun {
  Policy policy = Policy::Longest;
  std::string label;          // the column header: the policy, strategy or identity choice
  Ms end = 0;                 // the clock after the last step
  size_t failedSteps = 0;
  // By store: the storeId in `default`, "registry/storeId" in the others.
  std::map<std::string, std::vector<CompareInstance>> stores;  // oldest instance first
  std::map<std::string, std::vector<CompareShutdown>> shutdowns;  // by registry name
  std::map<std::string, std::vector<std::string>> sessionIds;   // distinct, by store, in order
  std::map<std::string, size_t> rules;  // events each profile rule caused, by rule id (SPEC 11)

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
// The same under any RunChoice.
Result<PolicyRun> runChoice(const Config& config, const RunChoice& choice, const std::vector<json>& steps);
// Stores in order of first creation across the runs (ties by storeId), each listed once.
std::vector<std::string> compareStoreOrder(const std::vector<PolicyRun>& runs);

}  // namespace si
