// `store-inspector run`: executes scenarios headless and prints a transcript (SPEC 4, 5).
#include <sys/stat.h>

#include <memory>
#include <ostream>
#include <utility>
#include <vector>

#include "cli_internal.hpp"
#include "input.hpp"
#include "store_id.hpp"

namespace si::cli {

const char* const kRunHelp =
    "Usage: store-inspector run SCENARIO... [--policy P] [--environment E] [--journal PATH]\n"
    "                           [--format text|json]\n"
    "\n"
    "Runs each scenario through a fresh registry on a virtual clock. Prints every step\n"
    "([index] t=ms and the step), its events indented below it, each expectation with\n"
    "its expected and actual value (PASS/FAIL), step errors, and per scenario a line\n"
    "`N passed, M failed` (steps).\n"
    "\n"
    "  --policy P         longest | first | last | shortest (overrides the scenario's)\n"
    "  --environment E    browser | ssr (overrides the scenario's)\n"
    "  --journal PATH     record the session in a SQLite journal (one scenario only)\n"
    "  --format F         text (default) or json (one JSON document on stdout)\n"
    "\n"
    "Exit status: 0 every step passed, 1 a step failed, 2 bad input.\n";

namespace {

// Whether a and b name the same file (device and inode, whatever the names).
bool sameFile(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// --journal PATH replaces only a regular file (or nothing), and never an input of this run:
// the scenario or its config file, under any name.
Status checkJournalOption(const std::string& journal, const Scenario& sc) {
  if (Status ok = checkJournalTarget(journal); !ok) return Error{"run: --journal " + ok.message()};
  std::vector<std::pair<std::string, std::string>> inputs = {{sc.path, "the scenario being run"}};
  if (const std::string config = scenarioConfigPath(sc); !config.empty())
    inputs.push_back({config, "the config of the scenario being run"});
  for (const std::string& p : {journal, journal + "-wal", journal + "-shm", journal + "-journal",
                               journal + ".lock"}) {
    for (const auto& [input, role] : inputs) {
      if (!sameFile(p, input)) continue;
      return Error{"run: --journal " + journal + ": " + (p == journal ? "" : p + " ") + "is " +
                   role + " (" + input + "); nothing was replaced"};
    }
  }
  return success();
}

struct ScenarioRun {
  Scenario scenario;
  std::unique_ptr<Session> session;
  size_t passed = 0, failed = 0;
  std::string journalError;
};

void printStep(std::ostream& out, const Session& s, const StepResult& r) {
  const Registry& reg = s.registry();
  // An attach without an observer id shows the name the session gave it (o1, o2, ...).
  json shown = r.step;
  if (shown.is_object() && shown.contains("attach") && shown["attach"].is_object() &&
      !shown["attach"].contains("observer")) {
    for (size_t i = r.eventBegin; i < r.eventEnd && i < reg.events().size(); ++i) {
      const Event& e = reg.events()[i];
      if (e.kind == EventKind::ObserverAttached && !e.observer.empty()) {
        json named = json::object();
        named["observer"] = e.observer;
        for (const auto& [k, v] : shown["attach"].items()) named[k] = v;
        shown["attach"] = named;
        break;
      }
    }
  }
  // Names, notes, storeIds, expectError texts and errors come from files: each line is
  // printed with its control characters escaped, so none can move the cursor or start a line.
  const auto line = [&out](std::string_view indent, const std::string& text) {
    out << indent << escapeControlCharacters(text) << "\n";
  };
  line("", "[" + std::to_string(r.index) + "] t=" + std::to_string(r.t) + " " + stepLine(shown));
  if (r.step.is_object() && r.step.contains("note") && r.step["note"].is_string()) {
    line("      # ", r.step["note"].get<std::string>());
  }
  const auto& events = reg.events();
  for (size_t i = r.eventBegin; i < r.eventEnd && i < events.size(); ++i) {
    if (events[i].kind == EventKind::StepFailed) continue;  // shown as the step's error below
    line("      ", eventLine(reg, events[i]));
  }
  for (const ExpectCheck& c : r.checks) {
    line("    ", (c.passed ? "PASS " : "FAIL ") + c.subject + " " + c.field + ": expected " +
                      c.expected.dump(-1, ' ', false, json::error_handler_t::replace) + ", actual " +
                      c.actual.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  const bool wantsError = r.step.is_object() && r.step.contains("expectError");
  if (wantsError) {
    line("    ", (r.ok ? "PASS error (expected): " : "FAIL ") + r.error);
  } else if (!r.error.empty()) {
    line("    FAIL error: ", r.error);
  }
}

json stepJson(const Session& s, const StepResult& r) {
  const Registry& reg = s.registry();
  json j = json::object();
  j["index"] = r.index;
  j["t"] = r.t;
  j["step"] = r.step;
  j["ok"] = r.ok;
  j["error"] = r.error.empty() ? json(nullptr) : json(r.error);
  json checks = json::array();
  for (const ExpectCheck& c : r.checks) {
    checks.push_back(json{{"subject", c.subject},
                          {"field", c.field},
                          {"expected", c.expected},
                          {"actual", c.actual},
                          {"passed", c.passed}});
  }
  j["checks"] = checks;
  json events = json::array();
  for (size_t i = r.eventBegin; i < r.eventEnd && i < reg.events().size(); ++i) {
    events.push_back(reg.eventJson(reg.events()[i]));
  }
  j["events"] = events;
  return j;
}

}  // namespace

// [SECTION] The command

namespace {

// What `run` was asked: the parsed flags and the scenario files.
struct RunRequest {
  bool asJson = false;
  Overrides overrides;
  std::optional<std::string> journal;
  std::vector<std::string> paths;
};

// The flags that need checking; every problem goes to `errors` (reported together).
RunRequest parseRunArgs(const ParsedArgs& p, std::vector<std::string>& errors) {
  RunRequest req;
  req.asJson = p.get("format") == "json";
  if (auto v = p.get("policy")) {
    Policy pol;
    if (parsePolicy(*v, &pol))
      req.overrides.policy = pol;
    else
      errors.push_back(unknownNameError("--policy", "policy", *v, policyNames()).located("run").message);
  }
  if (auto v = p.get("environment")) {
    Environment env;
    if (parseEnvironment(*v, &env))
      req.overrides.environment = env;
    else
      errors.push_back(
          unknownNameError("--environment", "environment", *v, environmentNames()).located("run").message);
  }
  req.journal = p.get("journal");
  req.paths = p.positional;
  if (req.paths.empty()) errors.push_back("run: expected at least one SCENARIO file");
  if (req.journal && req.paths.size() > 1) {
    errors.push_back("run: --journal records one session; give exactly one SCENARIO");
  }
  if (req.journal && req.journal->empty()) errors.push_back("run: --journal needs a file path");
  return req;
}

// Reads every scenario before running any, so bad input stops the whole run. Any FILE is
// read as a scenario, whatever its content.
std::vector<ScenarioRun> loadScenarios(const RunRequest& req, std::vector<std::string>& errors) {
  std::vector<ScenarioRun> runs;
  for (const std::string& path : req.paths) {
    Result<LoadedInput> in = loadInput(path, req.overrides, InputKind::Scenario);
    if (!in) {
      errors.push_back(in.message());
      continue;
    }
    ScenarioRun r;
    r.scenario = std::move(*in->scenario);
    runs.push_back(std::move(r));
  }
  if (req.journal && errors.empty() && runs.size() == 1) {
    if (Status ok = checkJournalOption(*req.journal, runs.front().scenario); !ok)
      errors.push_back(ok.message());
  }
  return runs;
}

int reportErrors(const std::vector<std::string>& errors, bool asJson, std::ostream& out, std::ostream& err) {
  for (const std::string& e : errors) err << e << "\n";
  if (asJson) {
    json doc = json::object();
    doc["errors"] = errors;
    doc["exitCode"] = 2;
    out << doc.dump(2) << "\n";
  }
  return 2;
}

json scenarioJson(const ScenarioRun& run, const RunRequest& req, json steps) {
  const Scenario& sc = run.scenario;
  json j = json::object();
  j["path"] = sc.path;
  j["name"] = sc.name;
  j["policy"] = std::string(toString(sc.config.policy));
  j["environment"] = std::string(toString(sc.config.environment));
  j["journal"] = req.journal ? json(*req.journal) : json(nullptr);
  j["endTime"] = run.session->registry().now();
  j["steps"] = std::move(steps);
  j["passed"] = run.passed;
  j["failed"] = run.failed;
  return j;
}

// Runs one scenario, printing its transcript (text) or returning its JSON. An error (the
// journal could not be written) stops the whole run.
Result<json> runOne(ScenarioRun& run, const RunRequest& req, bool first, std::ostream& out) {
  const Scenario& sc = run.scenario;
  run.session = std::make_unique<Session>(sc.config);
  Session& s = *run.session;
  std::unique_ptr<JournalWriter> writer;
  if (req.journal) {
    auto w = JournalWriter::create(*req.journal, s);
    if (!w) return Error{"run: --journal " + w.message()};
    writer = std::move(*w);
  }
  if (!req.asJson) {
    if (!first) out << "\n";
    out << "== " << escapeControlCharacters(sc.path);
    if (!sc.name.empty()) out << ": " << escapeControlCharacters(sc.name);
    out << " (policy " << toString(sc.config.policy) << ", environment "
        << toString(sc.config.environment) << ")\n";
  }
  json steps = json::array();
  for (const json& step : sc.steps) {
    StepResult r = s.execute(step);
    if (writer) {
      if (Status ok = writer->append(s); !ok) return ok.error();
    }
    (r.ok ? run.passed : run.failed)++;
    if (req.asJson)
      steps.push_back(stepJson(s, r));
    else
      printStep(out, s, r);
  }
  if (req.asJson) return scenarioJson(run, req, std::move(steps));
  if (req.journal) out << "journal: " << *req.journal << "\n";
  out << run.passed << " passed, " << run.failed << " failed\n";
  return json();
}

int printTotals(const std::vector<ScenarioRun>& runs, json scenarios, bool asJson, std::ostream& out) {
  size_t passed = 0, failed = 0;
  for (const ScenarioRun& run : runs) {
    passed += run.passed;
    failed += run.failed;
  }
  const int code = failed > 0 ? 1 : 0;
  if (asJson) {
    json doc = json::object();
    doc["scenarios"] = std::move(scenarios);
    doc["passed"] = passed;
    doc["failed"] = failed;
    doc["exitCode"] = code;
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else if (runs.size() > 1) {
    out << "total: " << passed << " passed, " << failed << " failed in " << runs.size() << " scenarios\n";
  }
  return code;
}

}  // namespace

int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("run", args, {"policy", "environment", "journal", "format"}, {}, kRunHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  const std::string format = parsed.args->get("format").value_or("text");
  if (format != "text" && format != "json") {
    err << unknownNameError("--format", "format", format, {"text", "json"}).located("run").message << "\n";
    return 2;
  }
  std::vector<std::string> errors;
  const RunRequest req = parseRunArgs(*parsed.args, errors);
  std::vector<ScenarioRun> runs = loadScenarios(req, errors);
  if (!errors.empty()) return reportErrors(errors, req.asJson, out, err);
  json scenarios = json::array();
  for (ScenarioRun& run : runs) {
    Result<json> j = runOne(run, req, &run == &runs.front(), out);
    if (!j) return reportErrors({j.message()}, req.asJson, out, err);
    if (req.asJson) scenarios.push_back(std::move(*j));
  }
  return printTotals(runs, std::move(scenarios), req.asJson, out);
}

}  // namespace si::cli
