// `store-inspector run`: executes scenarios headless and prints a transcript (SPEC 4, 5).
#include <sys/stat.h>

#include <memory>
#include <ostream>
#include <utility>
#include <vector>

#include "cli_internal.hpp"
#include "journal.hpp"
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
  if (sc.configRef.is_string()) {
    const std::string ref = sc.configRef.get<std::string>();
    const std::string config = (!ref.empty() && ref[0] == '/') ? ref : dirName(sc.path) + "/" + ref;
    inputs.push_back({config, "the config of the scenario being run"});
  }
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

int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("run", args, {"policy", "environment", "journal", "format"}, {}, kRunHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  const ParsedArgs* p = &*parsed.args;
  const std::string format = p->get("format").value_or("text");
  if (format != "text" && format != "json") {
    err << "run: " << unknownNameError("--format", "format", format, {"text", "json"}).message
        << "\n";
    return 2;
  }
  const bool asJson = format == "json";
  std::vector<std::string> errors;
  Overrides overrides;
  if (auto v = p->get("policy")) {
    Policy pol;
    if (parsePolicy(*v, &pol)) {
      overrides.policy = pol;
    } else {
      errors.push_back("run: " + unknownNameError("--policy", "policy", *v,
                                                  {"longest", "first", "last", "shortest"})
                                     .message);
    }
  }
  if (auto v = p->get("environment")) {
    Environment env;
    if (parseEnvironment(*v, &env)) {
      overrides.environment = env;
    } else {
      errors.push_back(
          "run: " + unknownNameError("--environment", "environment", *v, {"browser", "ssr"}).message);
    }
  }
  const std::optional<std::string> journal = p->get("journal");
  if (p->positional.empty()) errors.push_back("run: expected at least one SCENARIO file");
  if (journal && p->positional.size() > 1) {
    errors.push_back("run: --journal records one session; give exactly one SCENARIO");
  }
  if (journal && journal->empty()) errors.push_back("run: --journal needs a file path");

  // Read every scenario before running any, so bad input stops the whole run.
  std::vector<ScenarioRun> runs;
  for (const std::string& path : p->positional) {
    Result<Scenario> sc = loadScenarioFile(path, overrides);
    if (!sc) {
      errors.push_back(sc.message());
      continue;
    }
    ScenarioRun r;
    r.scenario = std::move(*sc);
    runs.push_back(std::move(r));
  }
  auto reportErrors = [&] {
    for (const std::string& e : errors) err << e << "\n";
    if (asJson) {
      json doc = json::object();
      doc["errors"] = errors;
      doc["exitCode"] = 2;
      out << doc.dump(2) << "\n";
    }
    return 2;
  };
  if (journal && errors.empty() && runs.size() == 1) {
    if (Status ok = checkJournalOption(*journal, runs.front().scenario); !ok)
      errors.push_back(ok.message());
  }
  if (!errors.empty()) return reportErrors();

  json doc = json::object();
  json scenarios = json::array();
  size_t totalPassed = 0, totalFailed = 0;
  for (ScenarioRun& run : runs) {
    const Scenario& sc = run.scenario;
    run.session = std::make_unique<Session>(sc.config);
    Session& s = *run.session;
    std::unique_ptr<JournalWriter> writer;
    if (journal) {
      auto w = JournalWriter::create(*journal, s);
      if (!w) {
        errors.push_back("run: --journal " + w.message());
        return reportErrors();
      }
      writer = std::move(*w);
    }
    if (!asJson) {
      if (&run != &runs.front()) out << "\n";
      out << "== " << escapeControlCharacters(sc.path);
      if (!sc.name.empty()) out << ": " << escapeControlCharacters(sc.name);
      out << " (policy " << toString(sc.config.policy) << ", environment "
          << toString(sc.config.environment) << ")\n";
    }
    json steps = json::array();
    for (const json& step : sc.steps) {
      StepResult r = s.execute(step);
      if (writer) {
        if (Status ok = writer->append(s); !ok) {
          errors.push_back(ok.message());
          return reportErrors();
        }
      }
      (r.ok ? run.passed : run.failed)++;
      if (asJson) {
        steps.push_back(stepJson(s, r));
      } else {
        printStep(out, s, r);
      }
    }
    totalPassed += run.passed;
    totalFailed += run.failed;
    if (asJson) {
      json j = json::object();
      j["path"] = sc.path;
      j["name"] = sc.name;
      j["policy"] = std::string(toString(sc.config.policy));
      j["environment"] = std::string(toString(sc.config.environment));
      j["journal"] = journal ? json(*journal) : json(nullptr);
      j["endTime"] = s.registry().now();
      j["steps"] = steps;
      j["passed"] = run.passed;
      j["failed"] = run.failed;
      scenarios.push_back(std::move(j));
    } else {
      if (journal) out << "journal: " << *journal << "\n";
      out << run.passed << " passed, " << run.failed << " failed\n";
    }
  }
  const int code = totalFailed > 0 ? 1 : 0;
  if (asJson) {
    doc["scenarios"] = scenarios;
    doc["passed"] = totalPassed;
    doc["failed"] = totalFailed;
    doc["exitCode"] = code;
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else if (runs.size() > 1) {
    out << "total: " << totalPassed << " passed, " << totalFailed << " failed in " << runs.size()
        << " scenarios\n";
  }
  return code;
}

}  // namespace si::cli
