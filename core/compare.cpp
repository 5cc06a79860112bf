#include "compare.hpp"

#include <algorithm>
#include <unordered_set>

namespace si {

Ms PolicyRun::heldMs(const std::vector<CompareInstance>& list) const {
  Ms total = 0;
  for (const CompareInstance& i : list) total += i.disposed.value_or(end) - i.created;
  return total;
}

Ms PolicyRun::heldMs(const std::string& storeId) const {
  auto it = stores.find(storeId);
  return it == stores.end() ? 0 : heldMs(it->second);
}

Ms PolicyRun::totalHeldMs() const {
  Ms sum = 0;
  for (const auto& [id, list] : stores) sum += heldMs(list);
  return sum;
}

size_t PolicyRun::loads(const std::string& storeId) const {
  auto it = stores.find(storeId);
  return it == stores.end() ? 0 : it->second.size();
}

Result<PolicyRun> runUnderPolicy(const Config& config, Policy policy,
                                 const std::vector<json>& steps) {
  PolicyRun run;
  run.policy = policy;
  Config c = config;
  c.policy = policy;
  // Each policy gets its own copy of the store files, seeded from the real ones on first use:
  // the runs cannot see each other's writes (a boot INSERT that is not idempotent would make
  // the result depend on the order of the policies), and the real files are never written.
  if (!c.sandbox) {
    auto sandbox = FileSandbox::create("compare", /*seedFromReal=*/true);
    if (!sandbox) return sandbox.error();
    c.sandbox = std::move(*sandbox);
  }
  Session s(c);
  for (const json& step : steps) {
    if (!s.execute(step).ok) run.failedSteps++;
  }
  const Registry& reg = s.registry();
  for (const Event& e : reg.events()) {
    if (e.store == kNoStore) continue;
    if (e.kind == EventKind::InstanceCreated) {
      run.stores[reg.storeIdOf(e.store)].push_back(CompareInstance{e.generation, e.t, std::nullopt});
    } else if (e.kind == EventKind::Disposed) {
      auto& list = run.stores[reg.storeIdOf(e.store)];
      for (CompareInstance& i : list) {
        if (i.generation == e.generation) i.disposed = e.t;
      }
    }
  }
  run.end = reg.now();
  return run;
}

std::vector<std::string> compareStoreOrder(const std::vector<PolicyRun>& runs) {
  std::vector<std::string> order;
  std::unordered_set<std::string> seen;
  for (const PolicyRun& run : runs) {
    std::vector<std::pair<Ms, std::string>> created;
    for (const auto& [id, list] : run.stores) created.emplace_back(list.front().created, id);
    std::stable_sort(created.begin(), created.end());
    for (const auto& [t, id] : created) {
      if (seen.insert(id).second) order.push_back(id);
    }
  }
  return order;
}

}  // namespace si
