// Differential test: long random step sequences run through a real Session and through the
// reference model (reference_model.hpp); after every step the full registry view must agree,
// and so must every GC disposal and deferral (time, instance and the profile rule behind it,
// SPEC 11). Each seed runs under one rule profile; EveryProfile runs each seed under all three.
//
// CI size: SI_DIFF_SEEDS (default 20) seeds x SI_DIFF_STEPS (default 2,000) steps.
// Nightly: scripts/nightly.sh runs 100 x 10,000 = 1,000,000 steps.
// Reproduce one failure: SI_DIFF_SEED=<seed> SI_DIFF_SEEDS=1 si_unit_tests --gtest_filter='Differential*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "reference_model.hpp"
#include "session.hpp"

namespace si {
namespace {

// splitmix64: reproducible on every platform (std distributions are not).
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return next() % n; }
  bool chance(int percent) { return below(100) < uint64_t(percent); }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
};

uint64_t envNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

const std::vector<json> kGcTimes = {json(0),     json(1),     json(5),          json(10),
                                    json(50),    json(100),   json(1000),       json("Infinity"),
                                    json(60000), json(2147483648LL), json(4611686018427387904LL),
                                    json(9223372036854775807LL)};
const std::vector<json> kLoadMs = {json(0), json(0), json(1), json(10), json(100), json("Infinity"),
                                   json(4611686018427387904LL)};
const std::vector<json> kBadGcTimes = {json(-1), json(1.5), json("infinity"), json("5000"),
                                       json(nullptr), json::parse("9223372036854775808")};
const std::vector<std::string> kIds = {"1", "2", "3", "4", "5"};
const std::vector<std::string> kNames = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
const std::vector<std::string> kComponents = {"App", "App/Workspace", "App/WorkspaceSidebar",
                                              "App/Workspace/Issue", "Modal", "Modal/Form"};
const std::vector<std::string> kPolicies = {"longest", "first", "last", "shortest"};
const std::vector<std::string> kProfiles = {"spec", "tanstack-query-5", "livestore-0.4"};

json randomFail(Rng& rng) {
  switch (rng.below(6)) {
    case 0: return true;
    case 1: return "network down";
    case 2: return json{{"generations", {1, 3}}, {"message", "flaky"}};
    case 3: return json{{"generations", {2}}};
    default: return false;
  }
}

const std::vector<json> kCloseMs = {json(0), json(1), json(5), json(30), json(100), json("Infinity")};
const std::vector<std::string> kRegistries = {"default", "default", "r1", "r2", "zz"};

json randomAdapter(Rng& rng) {
  json a = json::object();
  if (rng.chance(15)) {
    // SPEC 2.6: loads end only by loaded / loadFailed; loadMs or fail beside it is invalid.
    a["type"] = "external";
    if (rng.chance(5)) a["loadMs"] = 5;
    if (rng.chance(50)) a["closeMs"] = rng.pick(kCloseMs);
    return a;
  }
  if (rng.chance(20)) a["type"] = rng.chance(50) ? "memory" : "none";
  if (rng.chance(80)) a["loadMs"] = rng.pick(kLoadMs);
  if (rng.chance(40)) a["fail"] = randomFail(rng);
  if (rng.chance(40)) a["closeMs"] = rng.pick(kCloseMs);
  return a;
}

json randomConfig(Rng& rng, const std::string& environment) {
  json c = json::object();
  c["registry"] = json{{"environment", environment}};
  if (rng.chance(30)) c["registry"]["identity"] = json{{"sessionId", "instance"}};
  if (rng.chance(20)) c["registry"]["clientId"] = "device";
  if (rng.chance(70)) c["registry"]["defaultOptions"] = json{{"gcTime", rng.pick(kGcTimes)}};
  json t = json::object();
  auto tmpl = [&](const char* name, const char* storeId) {
    json o = json{{"storeId", storeId}};
    if (rng.chance(70)) o["gcTime"] = rng.pick(kGcTimes);
    if (rng.chance(80)) o["adapter"] = randomAdapter(rng);
    // A config must be valid: an external template never has loadMs (a request's may).
    if (o.contains("adapter") && o["adapter"].value("type", "") == "external") o["adapter"].erase("loadMs");
    t[name] = o;
  };
  tmpl("issue", "issue-{id}");
  tmpl("doc", "issue-{id}");  // same storeIds as "issue": ownership conflicts
  tmpl("workspace", "workspace-root");
  tmpl("pair", "pair-{a}-{b}");
  tmpl("flaky", "flaky-{id}");
  t["flaky"]["adapter"] = json{{"loadMs", 5}, {"fail", {{"generations", {1, 3}}}}};
  tmpl("live", "live-{id}");
  t["live"]["adapter"] = json{{"type", "external"}, {"closeMs", 10}};
  c["storeOptions"] = t;
  return c;
}

// One request object: mostly valid, sometimes invalid in one of the ways rule 0 lists.
json randomRequest(Rng& rng) {
  json q = json::object();
  const uint64_t kind = rng.below(100);
  if (kind < 70) {
    const std::string use =
        rng.pick(std::vector<std::string>{"issue", "doc", "workspace", "pair", "flaky", "live", "live"});
    q["use"] = use;
    if (use == "pair") {
      q["params"] = json{{"a", rng.pick(kIds)}, {"b", rng.pick(kIds)}};
    } else if (use != "workspace") {
      q["params"] = json{{"id", rng.pick(kIds)}};
    }
  } else {
    q["storeId"] = rng.chance(50) ? "issue-" + rng.pick(kIds) : "raw-" + rng.pick(kIds);
  }
  if (rng.chance(35)) q["gcTime"] = rng.pick(kGcTimes);
  if (rng.chance(15)) q["adapter"] = randomAdapter(rng);
  if (rng.chance(10)) q["syncPayload"] = json{{"token", rng.pick(kIds)}};
  if (rng.chance(30)) q["registry"] = rng.chance(5) ? "zz" : rng.pick(std::vector<std::string>{"default", "r1", "r2"});
  if (rng.chance(8)) {
    switch (rng.below(10)) {
      case 0: q["gcTime"] = rng.pick(kBadGcTimes); break;
      case 1: q["gcTme"] = 5; break;                       // unknown option
      case 2: q["batchUpdates"] = "react-dom"; break;      // registry only
      case 3: q["use"] = "isue"; break;                    // unknown template
      case 4: q["params"] = json{{"zzz", "1"}}; break;     // extra / missing param
      case 5: q["storeId"] = std::string("bad\x01id"); break;  // control char (or use+storeId)
      case 6: q["adapter"] = json{{"loadMs", -5}}; break;
      case 7: q["storeId"] = ""; break;
      case 8: q["params"] = json{{"id", 7}}; break;        // non-string param
      default: q["adapter"] = json{{"fail", {{"generations", {0}}}}}; break;
    }
  }
  return q;
}

// SPEC 8-10 steps: registries created and shut down, external loads ended.
json registryStep(Rng& rng) {
  const uint64_t r = rng.below(100);
  if (r < 30) {
    json c = json{{"name", rng.pick(std::vector<std::string>{"r1", "r2", "default"})}};
    if (rng.chance(30)) c["environment"] = rng.chance(50) ? "ssr" : "browser";
    if (rng.chance(30)) c["policy"] = rng.pick(kPolicies);
    if (rng.chance(30)) c["defaultOptions"] = rng.chance(20) ? json::object() : json{{"gcTime", rng.pick(kGcTimes)}};
    if (rng.chance(30)) c["identity"] = json{{"clientId", rng.chance(50) ? "store" : "registry"}};
    if (rng.chance(15)) c["sessionId"] = "tab";
    if (rng.chance(30)) c["profile"] = rng.pick(kProfiles);
    return json{{"createRegistry", c}};
  }
  if (r < 55) {
    json d = json::object();
    // Mostly the created ones: a closed default fails every request until it is recreated.
    if (rng.chance(95))
      d["registry"] = rng.chance(15) ? "default" : rng.pick(std::vector<std::string>{"r1", "r2", "zz"});
    if (rng.chance(50)) d["strategy"] = rng.chance(50) ? "parallel" : "sequential";
    if (rng.chance(50)) d["loading"] = rng.chance(50) ? "abort" : "await";
    if (rng.chance(50)) d["deadlineMs"] = rng.pick(std::vector<json>{json(0), json(10), json(50), json(100), json("Infinity")});
    // default always gets a finite deadline: shutting down forever, it would fail most steps.
    if (d.value("registry", "default") == "default")
      d["deadlineMs"] = rng.pick(std::vector<json>{json(0), json(10), json(50), json(100)});
    return json{{"shutdownRegistry", d}};
  }
  const std::string id = "live-" + rng.pick(kIds);
  json target = rng.chance(50) ? json(id) : json{{"storeId", id}, {"registry", rng.pick(kRegistries)}};
  if (r < 80) return json{{"loaded", target}};
  if (target.is_string()) target = json{{"storeId", id}};
  if (rng.chance(50)) target["error"] = "app said no";
  return json{{"loadFailed", target}};
}

json randomStep(Rng& rng, const ref::Model& m) {
  std::vector<std::string> attached;
  for (const auto& [name, o] : m.observers()) {
    if (o.attached) attached.push_back(name);
  }
  // A closed default fails every request that names no registry: reopen it soon.
  if (m.registries().at("default").state == "closed" && rng.chance(10))
    return json{{"createRegistry", {{"name", "default"}}}};
  const uint64_t r = rng.below(1000);
  if (r < 300) {
    json a = randomRequest(rng);
    if (!rng.chance(2)) a["observer"] = rng.pick(kNames);  // else an automatic o1, o2, ...
    if (rng.chance(60)) a["component"] = rng.pick(kComponents);
    return json{{"attach", a}};
  }
  if (r < 520) {
    std::string name = rng.pick(kNames);
    if (!attached.empty() && rng.chance(85)) name = rng.pick(attached);
    if (rng.chance(20)) return json{{"detach", {{"observer", name}}}};
    return json{{"detach", name}};
  }
  if (r < 640) return json{{"preload", randomRequest(rng)}};
  if (r < 860) {
    const std::vector<json> spans = {json(0), json(1), json(4), json(5), json(10), json(50),
                                     json(100), json(500), json(1000), json(60000)};
    return json{{"advance", rng.pick(spans)}};
  }
  if (r < 880) return json{{"advanceTo", m.now() + int64_t(rng.below(200)) - 20}};
  if (r < 920) {
    const std::string id = rng.chance(70) ? "issue-" + rng.pick(kIds) : "workspace-root";
    if (rng.chance(60)) return json{{"drop", id}};
    return json{{"drop", {{"storeId", id}, {"registry", rng.pick(kRegistries)}}}};
  }
  if (r < 925) return rng.chance(50) ? json{{"clear", true}} : json{{"clear", {{"registry", rng.pick(kRegistries)}}}};
  if (r < 950) return registryStep(rng);
  if (r < 965) return json{{"unmount", rng.pick(kComponents)}};
  if (r < 970) return json{{"advance", 4611686018427387904LL}};  // near the end of virtual time
  // Malformed steps: each must fail without changing anything.
  switch (rng.below(5)) {
    case 0: return json{{"advance", -1}};
    case 1: return json{{"attach", {{"observer", ""}, {"use", "issue"}, {"params", {{"id", "1"}}}}}};
    case 2: return json{{"detach", ""}};
    case 3: return json{{"advance", 1}, {"clear", true}};
    default: return json{{"clear", false}};
  }
}

std::string spanText(Span s) { return s.infinite ? "Infinity" : std::to_string(s.ms); }

// Every difference between the session's registry and the model, one per line ("" if none).
std::string compare(const Session& s, const ref::Model& m) {
  std::ostringstream out;
  const Registry& reg = s.registry();
  if (reg.now() != m.now()) out << "now: core " << reg.now() << ", model " << m.now() << "\n";
  size_t created = 0;
  for (const StoreRecord& c : reg.stores()) {
    if (c.state == State::Absent) continue;
    ++created;
    auto it = m.stores().find(reg.registryAt(c.registry).name + "/" + c.storeId);
    if (it == m.stores().end() || it->second.state == "ABSENT") {
      out << "store " << c.storeId << ": core " << toString(c.state) << ", model has none\n";
      continue;
    }
    const ref::Store& r = it->second;
    auto field = [&](const char* name, const std::string& core, const std::string& model) {
      if (core != model) out << "store " << c.storeId << " " << name << ": core " << core << ", model " << model << "\n";
    };
    field("state", std::string(toString(c.state)), r.state);
    field("generation", std::to_string(c.generation), std::to_string(r.generation));
    field("loads", std::to_string(c.loads), std::to_string(r.loads));
    field("observers", std::to_string(c.observers), std::to_string(r.observers));
    field("gcTime", spanText(c.gcTime), ref::str(r.gcTime));
    int64_t due = 0;
    const bool armed = m.gcDueIn(r, &due);
    field("gcDueIn", c.gcArmed ? std::to_string(c.gcDueIn(reg.now())) : "null",
          armed ? std::to_string(due) : "null");
    if (c.state == State::Failed || r.state == "FAILED") field("error", c.error, r.error);
    field("clientId", c.clientId, r.clientId);
    field("sessionId", c.sessionId, r.sessionId);
  }
  for (const NamedRegistry& n : reg.registries()) {
    auto it = m.registries().find(n.name);
    if (it == m.registries().end()) {
      out << "registry " << n.name << ": model has none\n";
      continue;
    }
    if (toString(n.state) != it->second.state)
      out << "registry " << n.name << " state: core " << toString(n.state) << ", model " << it->second.state << "\n";
    const RegistryCounts& nc = reg.countsOf(*reg.registryIndex(n.name));
    if (int64_t(nc.live) != m.liveIn(n.name))
      out << "registry " << n.name << " live: core " << nc.live << ", model " << m.liveIn(n.name) << "\n";
    if (int64_t(n.killed) != it->second.killed)
      out << "registry " << n.name << " killed: core " << n.killed << ", model " << it->second.killed << "\n";
  }
  if (reg.registries().size() != m.registries().size())
    out << "registries: core " << reg.registries().size() << ", model " << m.registries().size() << "\n";
  size_t modelCreated = 0;
  for (const auto& [id, r] : m.stores()) modelCreated += r.state != "ABSENT" ? 1 : 0;
  if (created != modelCreated) out << "stores created: core " << created << ", model " << modelCreated << "\n";
  for (const auto& [name, o] : m.observers()) {
    const ObserverName* n = s.observerNames().find(name);
    const std::string core = n ? std::string(toString(n->status)) : "(unknown)";
    if (core != o.status) out << "observer " << name << ": core " << core << ", model " << o.status << "\n";
  }
  if (s.observerNames().size() != m.observers().size())
    out << "observer names: core " << s.observerNames().size() << ", model " << m.observers().size() << "\n";
  if (int64_t(reg.counts().live) != m.live())
    out << "live: core " << reg.counts().live << ", model " << m.live() << "\n";
  if (int64_t(reg.counts().attachedObservers) != m.attached())
    out << "attached observers: core " << reg.counts().attachedObservers << ", model " << m.attached() << "\n";
  return out.str();
}

// The core's GC disposals and deferrals from event `from` on, in the model's gcLog format.
void collectGcLog(const Registry& reg, size_t& from, std::vector<std::string>& out) {
  const auto& events = reg.events();
  for (; from < events.size(); ++from) {
    const Event& e = events[from];
    const bool disposedByGc = e.kind == EventKind::Disposed && e.reason == DisposeReason::Gc;
    if (!disposedByGc && e.kind != EventKind::GcDeferred) continue;
    out.push_back(std::to_string(e.t) + " " + std::string(toString(e.kind)) + " " + reg.registryNameOf(e) +
                  "/" + reg.storeIdOf(e.store) + "#" + std::to_string(e.generation) + " " + e.rule);
  }
}

// The first difference between the two GC logs, or "".
std::string compareGcLogs(const std::vector<std::string>& core, const std::vector<std::string>& model) {
  for (size_t i = 0; i < std::max(core.size(), model.size()); ++i) {
    const std::string c = i < core.size() ? core[i] : "(none)";
    const std::string m = i < model.size() ? model[i] : "(none)";
    if (c != m) return "gc event " + std::to_string(i) + ": core \"" + c + "\", model \"" + m + "\"\n";
  }
  return "";
}

struct RunStats {
  uint64_t steps = 0;
  uint64_t failedSteps = 0;
  std::map<std::string, uint64_t> succeeded;  // SPEC 8-10 actions that took effect, by name
  std::map<std::string, uint64_t> failures;   // failed steps by the start of their error
  std::map<std::string, uint64_t> rules;      // GC events by profile rule ("" = SPEC 2)
};

// Runs one seed; returns "" or a failure report naming the seed, the step index and the step.
// `profile`: the config block's rule profile. One seed in five gives no policy, so the
// profile's default applies (SPEC 11); the others give the scenario's, explicitly.
std::string runSeed(uint64_t seed, uint64_t steps, RunStats& stats, const std::string& profile) {
  Rng rng{seed};
  const std::string policy = seed % 5 == 0 ? std::string() : kPolicies[seed % 4];
  const std::string environment = rng.chance(25) ? "ssr" : "browser";
  json configJson = randomConfig(rng, environment);
  if (profile != "spec" || rng.chance(50)) configJson["registry"]["profile"] = profile;
  Result<Config> config = parseConfig(configJson, ".");
  if (!config) return "seed " + std::to_string(seed) + ": config rejected: " + config.message();
  if (!policy.empty()) {
    parsePolicy(policy, &config->policy);
    config->policyExplicit = true;
  }
  Session session(std::move(*config));
  // Long (nightly) runs drop events to stay small, and compare states only.
  const bool compareEvents = steps <= 10000;
  if (!compareEvents) session.registry().setRetainEvents(false);
  ref::Model model(configJson, policy, environment);
  std::vector<std::string> coreGc;
  size_t eventCursor = 0;
  std::vector<std::string> recent;
  for (uint64_t i = 0; i < steps; ++i) {
    // Round-trip through text, as a scenario file or a journal would give it.
    json step = json::parse(randomStep(rng, model).dump());
    if (step.contains("attach") && rng.chance(30)) step["attach"]["request"] = rng.pick(kIds);
    const StepResult r = session.execute(step);
    const ref::Outcome o = model.step(step);
    ++stats.steps;
    stats.failedSteps += r.error.empty() ? 0 : 1;
    if (!r.error.empty()) stats.failures[r.error.substr(0, std::min<size_t>(r.error.find(' '), 24))]++;
    for (const char* action : {"createRegistry", "shutdownRegistry", "loaded", "loadFailed"}) {
      if (r.error.empty() && step.contains(action)) stats.succeeded[action]++;
    }
    if (r.error.empty() && step.contains("attach") && step["attach"].contains("registry") &&
        step["attach"]["registry"] != "default")
      stats.succeeded["attach in a created registry"]++;
    recent.push_back(step.dump());
    if (recent.size() > 12) recent.erase(recent.begin());
    std::string diff;
    if (r.error.empty() != o.ok) {
      diff = std::string("step outcome: core ") + (r.error.empty() ? "ok" : "failed: " + r.error) +
             ", model " + (o.ok ? "ok" : "failed: " + o.error) + "\n";
    } else if (!o.ok && o.error.find("already belongs") != std::string::npos && r.error != o.error) {
      diff = "ownership error text: core \"" + r.error + "\", model \"" + o.error + "\"\n";
    }
    diff += compare(session, model);
    if (compareEvents) {
      collectGcLog(session.registry(), eventCursor, coreGc);
      diff += compareGcLogs(coreGc, model.gcLog());
    }
    if (!diff.empty()) {
      std::string report = "seed " + std::to_string(seed) + " (profile " + profile + ", policy " +
                           (policy.empty() ? "(profile's)" : policy) + ", " + environment +
                           "), step " + std::to_string(i) + ": " + step.dump() + "\n" + diff +
                           "config: " + configJson.dump() + "\nlast steps:\n";
      for (const auto& t : recent) report += "  " + t + "\n";
      return report;
    }
  }
  for (const std::string& line : coreGc) stats.rules[line.substr(line.rfind(' ') + 1)]++;
  return "";
}

TEST(Differential, SessionAgreesWithTheReferenceModelAfterEveryStep) {
  const uint64_t seeds = envNumber("SI_DIFF_SEEDS", 20);
  const uint64_t steps = envNumber("SI_DIFF_STEPS", 2000);
  const uint64_t first = envNumber("SI_DIFF_SEED", 1);
  RunStats stats;
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    const std::string failure = runSeed(seed, steps, stats, kProfiles[seed % 3]);
    ASSERT_EQ(failure, "") << "reproduce: SI_DIFF_SEED=" << seed << " SI_DIFF_SEEDS=1 SI_DIFF_STEPS="
                           << steps;
  }
  std::printf("differential: %llu seeds, %llu steps (%llu failed steps, as the model predicted)\n",
              (unsigned long long)seeds, (unsigned long long)stats.steps,
              (unsigned long long)stats.failedSteps);
  EXPECT_GT(stats.failedSteps, 0u);
  EXPECT_LT(stats.failedSteps, stats.steps);
  for (const auto& [what, n] : stats.failures) {
    if (n * 50 >= stats.failedSteps) std::printf("differential: failed steps \"%s...\": %llu\n", what.c_str(), (unsigned long long)n);
  }
  // The new rules are exercised, not just generated: each kind of step took effect.
  for (const char* action : {"createRegistry", "shutdownRegistry", "loaded", "loadFailed",
                             "attach in a created registry"}) {
    std::printf("differential: %s took effect %llu times\n", action,
                (unsigned long long)stats.succeeded[action]);
    if (stats.steps >= 20000) {
      EXPECT_GT(stats.succeeded[action], 0u) << action;
    }
  }
}

// SPEC 11: the same random logs under each profile; the GC events (with their rules) agree, and
// every rule of every profile took effect somewhere.
TEST(Differential, EveryProfileAgreesWithTheReferenceModel) {
  const uint64_t seeds = envNumber("SI_DIFF_SEEDS", 20) / 2 + 1;
  const uint64_t steps = envNumber("SI_DIFF_STEPS", 2000);
  const uint64_t first = envNumber("SI_DIFF_SEED", 1);
  RunStats stats;
  for (const std::string& profile : kProfiles) {
    for (uint64_t seed = first; seed < first + seeds; ++seed) {
      const std::string failure = runSeed(seed, steps, stats, profile);
      ASSERT_EQ(failure, "") << "profile " << profile << "; reproduce: SI_DIFF_SEED=" << seed
                             << " SI_DIFF_SEEDS=1 SI_DIFF_STEPS=" << steps;
    }
  }
  for (const auto& [rule, n] : stats.rules) {
    std::printf("differential: GC events by rule \"%s\": %llu\n", rule.c_str(), (unsigned long long)n);
  }
  if (seeds * steps >= 10000) {
    for (const std::string_view rule : ruleIds()) EXPECT_GT(stats.rules[std::string(rule)], 0u) << rule;
    EXPECT_GT(stats.rules[""], 0u);
  }
}

// The model itself, on the SPEC's own example (section 4), so a wrong model cannot agree with a
// wrong core by accident.
TEST(Differential, ReferenceModelFollowsTheSpecExample) {
  const json config = json::parse(R"({
    "registry": {"defaultOptions": {"gcTime": 60000}},
    "storeOptions": {
      "workspace": {"storeId": "workspace-root", "gcTime": "Infinity", "adapter": {"loadMs": 400}},
      "issue": {"storeId": "issue-{issueId}", "gcTime": 20000, "adapter": {"loadMs": 150}}}})");
  ref::Model m(config, "longest", "browser");
  EXPECT_TRUE(m.step(json::parse(R"({"attach": {"observer": "ws", "use": "workspace"}})")).ok);
  EXPECT_TRUE(m.step(json::parse(
      R"({"attach": {"observer": "p1", "use": "issue", "params": {"issueId": "1"}, "gcTime": 5000}})")).ok);
  EXPECT_TRUE(m.step(json{{"advance", 500}}).ok);
  EXPECT_EQ(m.stores().at("default/issue-1").state, "ACTIVE");
  EXPECT_EQ(ref::str(m.stores().at("default/issue-1").gcTime), "5000");
  EXPECT_TRUE(m.step(json{{"detach", "p1"}}).ok);
  EXPECT_TRUE(m.step(json{{"advance", 4999}}).ok);
  int64_t due = 0;
  EXPECT_TRUE(m.gcDueIn(m.stores().at("default/issue-1"), &due));
  EXPECT_EQ(due, 1);
  EXPECT_TRUE(m.step(json{{"advance", 1}}).ok);
  EXPECT_EQ(m.stores().at("default/issue-1").state, "DISPOSED");
  EXPECT_FALSE(m.step(json{{"detach", "p1"}}).ok);
  EXPECT_EQ(m.stores().at("default/workspace-root").state, "ACTIVE");
}

}  // namespace
}  // namespace si
