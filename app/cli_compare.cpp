// `store-inspector compare`: one scenario under several GC policies, side by side.
#include <algorithm>
#include <map>
#include <ostream>

#include "cli_internal.hpp"
#include "compare.hpp"

namespace si::cli {

const char* const kCompareHelp =
    "Usage: store-inspector compare SCENARIO [--policies longest,first,last,shortest]\n"
    "\n"
    "Runs SCENARIO once per policy (default: all four) and prints, per store, one column\n"
    "per policy:\n"
    "  disposed at     virtual ms of each disposal, oldest instance first (- : still live)\n"
    "  store-seconds   sum over instances of (disposal or end time - creation time) / 1000\n"
    "  loads           instances created\n"
    "Expectations are evaluated but do not change the exit status; the last line counts the\n"
    "failed steps per policy (a scenario's expectations are written for one policy).\n"
    "\n"
    "Exit status: 0, or 2 for bad input.\n";

int compareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("compare", args, {"policies"}, {}, kCompareHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  const ParsedArgs* p = &*parsed.args;
  if (p->positional.size() != 1) {
    err << "compare: expected one SCENARIO, got " << p->positional.size() << "\n";
    return 2;
  }
  std::vector<Policy> policies(std::begin(kAllPolicies), std::end(kAllPolicies));
  if (auto v = p->get("policies")) {
    Result<std::vector<Policy>> list = parsePolicyList(*v, "--policies");
    if (!list) {
      err << "compare: " << list.message() << "\n";
      return 2;
    }
    policies = std::move(*list);
  }
  const std::string& path = p->positional[0];
  std::vector<PolicyRun> runs;
  std::vector<std::string> storeOrder;
  std::string name;
  for (Policy pol : policies) {
    Overrides o;
    o.policy = pol;
    Result<Scenario> sc = loadScenarioFile(path, o);
    if (!sc) {
      err << sc.message() << "\n";
      return 2;
    }
    name = sc->name;
    Result<PolicyRun> run = runUnderPolicy(sc->config, pol, sc->steps);
    if (!run) {
      err << "compare: " << run.message() << "\n";
      return 2;
    }
    runs.push_back(std::move(*run));
  }
  // Stores in order of first creation, across every run.
  storeOrder = compareStoreOrder(runs);

  // Rows of cells; the first two columns are left-aligned, the policy columns right-aligned.
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"store", "metric"};
  for (const PolicyRun& r : runs) header.emplace_back(toString(r.policy));
  rows.push_back(header);
  for (const std::string& id : storeOrder) {
    std::vector<std::string> disposed = {id, "disposed at"}, held = {"", "store-seconds"},
                             loads = {"", "loads"};
    for (const PolicyRun& r : runs) {
      auto it = r.stores.find(id);
      if (it == r.stores.end()) {
        disposed.emplace_back("-");
        held.emplace_back("-");
        loads.emplace_back("0");
        continue;
      }
      std::string times;
      for (const CompareInstance& i : it->second) {
        if (!times.empty()) times += ",";
        times += i.disposed ? std::to_string(*i.disposed) : "-";
      }
      disposed.push_back(times);
      held.push_back(seconds3(r.heldMs(it->second)));
      loads.push_back(std::to_string(it->second.size()));
    }
    rows.push_back(disposed);
    rows.push_back(held);
    rows.push_back(loads);
  }
  std::vector<std::string> total = {"all stores", "store-seconds"};
  for (const PolicyRun& r : runs) {
    total.push_back(seconds3(r.totalHeldMs()));
  }
  rows.push_back(total);

  std::vector<size_t> width(header.size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  out << "compare " << path;
  if (!name.empty()) out << ": " << name;
  out << " (end t=" << (runs.empty() ? 0 : runs.front().end) << ")\n";
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      if (c > 0) line += "  ";
      line += c < 2 ? row[c] + pad : pad + row[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  out << "steps failed:";
  for (size_t i = 0; i < runs.size(); ++i) {
    out << (i ? ", " : " ") << toString(runs[i].policy) << " " << runs[i].failedSteps;
  }
  out << "\n";
  return 0;
}

}  // namespace si::cli
