// `store-inspector compare`: one scenario under several GC policies (or shutdown strategies,
// identity choices, rule profiles), side by side, as a table or one JSON document.
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
    "                                        [--profiles] [--format text|json]\n"
    "\n"
    "Runs SCENARIO once per policy (default: all four), or once per shutdown strategy (every\n"
    "shutdownRegistry step's strategy replaced), or once per sessionId identity choice (of\n"
    "every registry), or, with --profiles, once per rule profile (spec, tanstack-query-5,\n"
    "livestore-0.4: every registry's profile replaced; a registry without an explicit policy\n"
    "takes the profile's), and prints, per store, one column per run:\n"
    "  disposed at     virtual ms of each disposal, oldest instance first (- : still live)\n"
    "  store-seconds   sum over instances of (disposal or end time - creation time) / 1000\n"
    "  loads           instances created\n"
    "  sessionIds      distinct sessionIds the store went through (with --identity)\n"
    "and per registry that was shut down:\n"
    "  shutdown ms     from the shutdownRegistry step to registry_closed (- : not closed)\n"
    "  killed          instances disposed at the deadline (their close was lost)\n"
    "and, when a profile rule changed anything, per rule the events it caused.\n"
    "--format json prints the same numbers as one JSON document.\n"
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

// The keys of one map field of every run, each once, in the order first seen.
template <class Map>
std::vector<std::string> keysAcross(const std::vector<PolicyRun>& runs, Map PolicyRun::*field) {
  std::vector<std::string> keys;
  for (const PolicyRun& r : runs) {
    for (const auto& entry : r.*field) {
      if (std::find(keys.begin(), keys.end(), entry.first) == keys.end()) keys.push_back(entry.first);
    }
  }
  return keys;
}

// SPEC 10: per registry shut down in any run, each shutdown's time and its killed instances.
std::vector<Row> shutdownRows(const std::vector<PolicyRun>& runs) {
  const std::vector<std::string> names = keysAcross(runs, &PolicyRun::shutdowns);
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

// SPEC 11: per profile rule that caused an event in any run, how many it caused in each.
std::vector<Row> ruleRows(const std::vector<PolicyRun>& runs) {
  std::vector<std::string> rules = keysAcross(runs, &PolicyRun::rules);
  std::vector<Row> rows;
  if (rules.empty()) return rows;
  std::sort(rules.begin(), rules.end());
  Row header = {"rule", "metric"};
  for (const PolicyRun& r : runs) header.emplace_back(r.label);
  rows.push_back(header);
  for (const std::string& rule : rules) {
    Row row = {rule, "events"};
    for (const PolicyRun& r : runs) {
      auto it = r.rules.find(rule);
      row.push_back(std::to_string(it == r.rules.end() ? 0 : it->second));
    }
    rows.push_back(row);
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
  bool profiles = false;  // print each run's policy
  bool asJson = false;    // --format json
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
  CompareRequest req{p.positional[0], {}, false, false, false};
  const std::string format = p.get("format").value_or("text");
  if (format != "text" && format != "json")
    return unknownNameError("--format", "format", format, {"text", "json"}).located("compare");
  req.asJson = format == "json";
  const bool profiles = p.get("profiles").has_value();
  const int modes = int(p.get("policies").has_value()) + int(p.get("shutdown").has_value()) +
                    int(p.get("identity").has_value()) + int(profiles);
  if (modes > 1) return inputError("compare", "give one of --policies, --shutdown, --identity or --profiles");
  if (profiles) {
    for (Profile pr : kAllProfiles) {
      RunChoice c;
      c.profile = pr;
      req.runs.push_back(c);
    }
    req.profiles = true;
    return req;
  }
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
  for (Policy pol : policies) {
    RunChoice c;
    c.policy = pol;
    req.runs.push_back(c);
  }
  return req;
}

// One run as JSON: per store the disposal times (null: still live), store-ms and loads.
json runJson(const PolicyRun& r) {
  json stores = json::object();
  for (const auto& [id, list] : r.stores) {
    json disposed = json::array();
    for (const CompareInstance& i : list) disposed.push_back(i.disposed ? json(*i.disposed) : json(nullptr));
    auto ids = r.sessionIds.find(id);
    stores[id] = json{{"disposed", disposed},
                      {"storeMs", r.heldMs(list)},
                      {"loads", list.size()},
                      {"sessionIds", ids == r.sessionIds.end() ? 0 : ids->second.size()}};
  }
  json shutdowns = json::object();
  for (const auto& [name, list] : r.shutdowns) {
    json a = json::array();
    for (const CompareShutdown& sd : list) {
      a.push_back(json{{"started", sd.started},
                       {"closed", sd.closed ? json(*sd.closed) : json(nullptr)},
                       {"killed", sd.killed}});
    }
    shutdowns[name] = a;
  }
  json rules = json::object();
  for (const auto& [rule, n] : r.rules) rules[rule] = n;
  return json{{"label", r.label},       {"policy", std::string(toString(r.policy))},
              {"failedSteps", r.failedSteps}, {"storeMs", r.totalHeldMs()},
              {"stores", stores},       {"shutdowns", shutdowns},
              {"rules", rules}};
}

json compareJson(const std::string& path, const std::string& name, const std::vector<PolicyRun>& runs) {
  json j = json::object();
  j["scenario"] = path;
  j["name"] = name;
  j["end"] = runs.empty() ? 0 : runs.front().end;
  j["storeOrder"] = compareStoreOrder(runs);
  j["runs"] = json::array();
  for (const PolicyRun& r : runs) j["runs"].push_back(runJson(r));
  return j;
}

// The table output: the store rows, then shutdowns and profile rules when there are any.
void printText(const CompareRequest& req, const Scenario& sc, const std::vector<PolicyRun>& runs, std::ostream& out) {
  out << "compare " << req.path;
  if (!sc.name.empty()) out << ": " << sc.name;
  out << " (end t=" << (runs.empty() ? 0 : runs.front().end) << ")\n";
  printTable(compareRows(runs, req.identity), out);
  if (const std::vector<Row> rows = shutdownRows(runs); !rows.empty()) printTable(rows, out);
  if (const std::vector<Row> rows = ruleRows(runs); !rows.empty()) printTable(rows, out);
  if (req.profiles) {
    out << "policy:";
    for (size_t i = 0; i < runs.size(); ++i)
      out << (i ? ", " : " ") << runs[i].label << " " << toString(runs[i].policy);
    out << "\n";
  }
  out << "steps failed:";
  for (size_t i = 0; i < runs.size(); ++i) {
    out << (i ? ", " : " ") << runs[i].label << " " << runs[i].failedSteps;
  }
  out << "\n";
}

}  // namespace

int compareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("compare", args, {"policies", "shutdown", "identity", "format"}, {"profiles"},
                                   kCompareHelp, out, err);
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
  if (req->asJson)
    out << compareJson(req->path, sc.name, runs).dump(2) << "\n";
  else
    printText(*req, sc, runs, out);
  return 0;
}

}  // namespace si::cli
