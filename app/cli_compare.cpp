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
    "                                        [--shutdown parallel,sequential]\n"
    "                                        [--identity registry,instance]\n"
    "\n"
    "Runs SCENARIO once per policy (default: all four), or once per shutdown strategy (every\n"
    "shutdownRegistry step's strategy replaced), or once per sessionId identity choice (of\n"
    "every registry), and prints, per store, one column per run:\n"
    "  disposed at     virtual ms of each disposal, oldest instance first (- : still live)\n"
    "  store-seconds   sum over instances of (disposal or end time - creation time) / 1000\n"
    "  loads           instances created\n"
    "  sessionIds      distinct sessionIds the store went through (with --identity)\n"
    "and per registry that was shut down:\n"
    "  shutdown ms     from the shutdownRegistry step to registry_closed (- : not closed)\n"
    "  killed          instances disposed at the deadline (their close was lost)\n"
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
std::vector<Row> compareRows(const std::vector<PolicyRun>& runs, bool withSessionIds) {
  std::vector<Row> rows;
  Row header = {"store", "metric"};
  for (const PolicyRun& r : runs) header.emplace_back(r.label);
  rows.push_back(header);
  for (const std::string& id : compareStoreOrder(runs)) {
    for (Row& row : storeRows(id, runs)) rows.push_back(std::move(row));
    if (withSessionIds) {
      Row ids = {"", "sessionIds"};
      for (const PolicyRun& r : runs) {
        auto it = r.sessionIds.find(id);
        ids.push_back(std::to_string(it == r.sessionIds.end() ? 0 : it->second.size()));
      }
      rows.push_back(std::move(ids));
    }
  }
  Row total = {"all stores", "store-seconds"};
  for (const PolicyRun& r : runs) total.push_back(seconds3(r.totalHeldMs()));
  rows.push_back(total);
  return rows;
}

// SPEC 10: per registry shut down in any run, each shutdown's time and its killed instances.
std::vector<Row> shutdownRows(const std::vector<PolicyRun>& runs) {
  std::vector<std::string> names;
  for (const PolicyRun& r : runs) {
    for (const auto& [name, list] : r.shutdowns) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  std::vector<Row> rows;
  if (names.empty()) return rows;
  Row header = {"registry", "metric"};
  for (const PolicyRun& r : runs) header.emplace_back(r.label);
  rows.push_back(header);
  for (const std::string& name : names) {
    Row time = {name, "shutdown ms"}, killed = {"", "killed"}, lost = {"", "killed stores"};
    for (const PolicyRun& r : runs) {
      auto it = r.shutdowns.find(name);
      std::string t, k, l;
      size_t count = 0;
      if (it != r.shutdowns.end()) {
        for (const CompareShutdown& sd : it->second) {
          t += (t.empty() ? "" : ",") + (sd.closed ? std::to_string(*sd.closed - sd.started) : std::string("-"));
          count += sd.killed.size();
          for (const std::string& id : sd.killed) l += (l.empty() ? "" : ",") + id;
        }
      }
      time.push_back(t.empty() ? "-" : t);
      killed.push_back(std::to_string(count));
      lost.push_back(l.empty() ? "-" : l);
    }
    rows.push_back(time);
    rows.push_back(killed);
    rows.push_back(lost);
  }
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
  std::vector<RunChoice> runs;
  bool identity = false;  // print the sessionIds rows
};

// "--shutdown parallel,sequential" or "--identity registry,instance": one run per name.
template <class T>
Result<std::vector<RunChoice>> choiceList(const std::string& value, const std::string& option,
                                          const std::vector<std::string_view>& names,
                                          bool (*parse)(std::string_view, T*), std::optional<T> RunChoice::*field) {
  std::vector<RunChoice> out;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = std::min(value.find(',', start), value.size());
    const std::string item = value.substr(start, comma - start);
    T parsed;
    if (!parse(item, &parsed)) return unknownNameError(option, "choice", item, names).located("compare");
    RunChoice c;
    c.*field = parsed;
    out.push_back(c);
    start = comma + 1;
  }
  return out;
}
Result<CompareRequest> compareArgs(const ParsedArgs& p) {
  if (p.positional.size() != 1)
    return inputError("compare", "expected one SCENARIO, got " + std::to_string(p.positional.size()));
  CompareRequest req{p.positional[0], {}, false};
  const int modes = int(p.get("policies").has_value()) + int(p.get("shutdown").has_value()) +
                    int(p.get("identity").has_value());
  if (modes > 1) return inputError("compare", "give one of --policies, --shutdown or --identity");
  if (auto v = p.get("shutdown")) {
    auto list = choiceList<ShutdownStrategy>(*v, "--shutdown", {"parallel", "sequential"}, parseShutdownStrategy,
                                             &RunChoice::shutdown);
    if (!list) return list.error();
    req.runs = std::move(*list);
    return req;
  }
  if (auto v = p.get("identity")) {
    auto list = choiceList<SessionIdMode>(*v, "--identity", {"registry", "instance"}, parseSessionIdMode,
                                          &RunChoice::sessionId);
    if (!list) return list.error();
    req.runs = std::move(*list);
    req.identity = true;
    return req;
  }
  std::vector<Policy> policies(std::begin(kAllPolicies), std::end(kAllPolicies));
  if (auto v = p.get("policies")) {
    Result<std::vector<Policy>> list = parsePolicyList(*v, "--policies");
    if (!list) return list.error().located("compare");
    policies = std::move(*list);
  }
  for (Policy pol : policies) req.runs.push_back(RunChoice{pol, std::nullopt, std::nullopt});
  return req;
}

}  // namespace

int compareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("compare", args, {"policies", "shutdown", "identity"}, {}, kCompareHelp, out, err);
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
  for (const RunChoice& choice : req->runs) {
    Result<PolicyRun> run = runChoice(sc.config, choice, sc.steps);
    if (!run) {
      err << "compare: " << run.message() << "\n";
      return 2;
    }
    runs.push_back(std::move(*run));
  }
  out << "compare " << req->path;
  if (!sc.name.empty()) out << ": " << sc.name;
  out << " (end t=" << (runs.empty() ? 0 : runs.front().end) << ")\n";
  printTable(compareRows(runs, req->identity), out);
  if (const std::vector<Row> rows = shutdownRows(runs); !rows.empty()) printTable(rows, out);
  out << "steps failed:";
  for (size_t i = 0; i < runs.size(); ++i) {
    out << (i ? ", " : " ") << runs[i].label << " " << runs[i].failedSteps;
  }
  out << "\n";
  return 0;
}

}  // namespace si::cli
