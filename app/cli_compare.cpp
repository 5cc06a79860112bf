// `store-inspector compare`: one scenario under several GC policies, side by side.
#include <algorithm>
#include <map>
#include <ostream>

#include "cli_internal.hpp"
#include "compare.hpp"
#include "input.hpp"

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

namespace {

using Row = std::vector<std::string>;

// The three rows of one store: disposal times, store-seconds and loads per policy.
std::vector<Row> storeRows(const std::string& id, const std::vector<PolicyRun>& runs) {
  Row disposed = {id, "disposed at"}, held = {"", "store-seconds"}, loads = {"", "loads"};
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
  return {disposed, held, loads};
}

// Rows of cells: a header, three rows per store (in order of first creation across every
// run) and the total.
std::vector<Row> compareRows(const std::vector<PolicyRun>& runs) {
  std::vector<Row> rows;
  Row header = {"store", "metric"};
  for (const PolicyRun& r : runs) header.emplace_back(toString(r.policy));
  rows.push_back(header);
  for (const std::string& id : compareStoreOrder(runs)) {
    for (Row& row : storeRows(id, runs)) rows.push_back(std::move(row));
  }
  Row total = {"all stores", "store-seconds"};
  for (const PolicyRun& r : runs) total.push_back(seconds3(r.totalHeldMs()));
  rows.push_back(total);
  return rows;
}

// The first two columns left-aligned, the policy columns right-aligned.
void printTable(const std::vector<Row>& rows, std::ostream& out) {
  std::vector<size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
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
}

// The scenario file and the policies to compare.
struct CompareRequest {
  std::string path;
  std::vector<Policy> policies;
};
Result<CompareRequest> compareArgs(const ParsedArgs& p) {
  if (p.positional.size() != 1)
    return inputError("compare", "expected one SCENARIO, got " + std::to_string(p.positional.size()));
  CompareRequest req{p.positional[0], std::vector<Policy>(std::begin(kAllPolicies), std::end(kAllPolicies))};
  if (auto v = p.get("policies")) {
    Result<std::vector<Policy>> list = parsePolicyList(*v, "--policies");
    if (!list) return list.error().located("compare");
    req.policies = std::move(*list);
  }
  return req;
}

}  // namespace

int compareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("compare", args, {"policies"}, {}, kCompareHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  Result<CompareRequest> req = compareArgs(*parsed.args);
  if (!req) {
    err << req.message() << "\n";
    return 2;
  }
  // The scenario is read once; each run takes its config with the policy replaced.
  Result<LoadedInput> in = loadInput(req->path, {}, InputKind::Scenario);
  if (!in) {
    err << in.message() << "\n";
    return 2;
  }
  const Scenario& sc = *in->scenario;
  std::vector<PolicyRun> runs;
  for (Policy pol : req->policies) {
    Config config = sc.config;
    config.policy = pol;
    Result<PolicyRun> run = runUnderPolicy(config, pol, sc.steps);
    if (!run) {
      err << "compare: " << run.message() << "\n";
      return 2;
    }
    runs.push_back(std::move(*run));
  }
  out << "compare " << req->path;
  if (!sc.name.empty()) out << ": " << sc.name;
  out << " (end t=" << (runs.empty() ? 0 : runs.front().end) << ")\n";
  printTable(compareRows(runs), out);
  out << "steps failed:";
  for (size_t i = 0; i < runs.size(); ++i) {
    out << (i ? ", " : " ") << toString(runs[i].policy) << " " << runs[i].failedSteps;
  }
  out << "\n";
  return 0;
}

}  // namespace si::cli
