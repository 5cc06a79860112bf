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

std::string RunChoice::label() const {
  if (shutdown) return std::string(toString(*shutdown));
  if (sessionId) return std::string(toString(*sessionId));
  if (profile) return std::string(toString(*profile));
  return std::string(toString(policy.value_or(Policy::Longest)));
}

namespace {

// The steps with the choice applied: every shutdownRegistry's strategy, and the sessionId
// identity of every createRegistry (whose identity object would otherwise replace it).
std::vector<json> stepsUnder(const RunChoice& choice, const std::vector<json>& steps) {
  std::vector<json> out = steps;
  for (json& st : out) {
    if (!st.is_object()) continue;
    if (choice.shutdown && st.contains("shutdownRegistry") && st["shutdownRegistry"].is_object())
      st["shutdownRegistry"]["strategy"] = std::string(toString(*choice.shutdown));
    if (choice.sessionId && st.contains("createRegistry") && st["createRegistry"].is_object()) {
      json& c = st["createRegistry"];
      if (!c.contains("identity") || !c["identity"].is_object()) c["identity"] = json::object();
      c["identity"]["sessionId"] = std::string(toString(*choice.sessionId));
    }
  }
  return out;
}

void collectEvents(const Registry& reg, PolicyRun& run) {
  for (const Event& e : reg.events()) {
    const std::string& name = reg.registryNameOf(e);
    if (e.kind == EventKind::ShutdownStarted) run.shutdowns[name].push_back(CompareShutdown{e.t, std::nullopt, {}});
    if (e.kind == EventKind::RegistryClosed && !run.shutdowns[name].empty()) {
      run.shutdowns[name].back().closed = e.t;
      run.shutdowns[name].back().killed = e.keys;
    }
    if (!e.rule.empty()) run.rules[e.rule]++;
    if (e.store == kNoStore) continue;
    const std::string id = e.registry == kDefaultRegistry ? reg.storeIdOf(e.store) : name + "/" + reg.storeIdOf(e.store);
    if (e.kind == EventKind::InstanceCreated) {
      run.stores[id].push_back(CompareInstance{e.generation, e.t, std::nullopt});
      auto& ids = run.sessionIds[id];
      if (std::find(ids.begin(), ids.end(), e.sessionId) == ids.end()) ids.push_back(e.sessionId);
    } else if (e.kind == EventKind::Disposed) {
      for (CompareInstance& i : run.stores[id]) {
        if (i.generation == e.generation) i.disposed = e.t;
      }
    }
  }
}

}  // namespace

Result<PolicyRun> runUnderPolicy(const Config& config, Policy policy,
                                 const std::vector<json>& steps) {
  RunChoice c;
  c.policy = policy;
  return runChoice(config, c, steps);
}

Result<PolicyRun> runChoice(const Config& config, const RunChoice& choice, const std::vector<json>& steps) {
  PolicyRun run;
  Config c = config;
  if (choice.policy) {
    c.policy = *choice.policy;
    c.policyOverride = choice.policy;  // every registry, created ones included (SPEC 8)
  }
  if (choice.sessionId) c.sessionIdMode = *choice.sessionId;
  if (choice.profile) {
    c.profile = *choice.profile;
    c.profileOverride = choice.profile;  // created registries too, as --policy (SPEC 8)
    if (!c.policyExplicit) c.policy = defaultPolicy(c.profile);
  }
  run.policy = c.policy;
  run.label = choice.label();
  // Each run gets its own copy of the store files, seeded from the real ones on first use:
  // the runs cannot see each other's writes (a boot INSERT that is not idempotent would make
  // the result depend on the order of the runs), and the real files are never written.
  if (!c.sandbox) {
    auto sandbox = FileSandbox::create("compare", /*seedFromReal=*/true);
    if (!sandbox) return sandbox.error();
    c.sandbox = std::move(*sandbox);
  }
  Session s(c);
  for (const json& step : stepsUnder(choice, steps)) {
    if (!s.execute(step).ok) run.failedSteps++;
  }
  collectEvents(s.registry(), run);
  run.end = s.registry().now();
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
