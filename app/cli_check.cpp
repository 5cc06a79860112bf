// `store-inspector check`: validates configs, scenarios and journals and prints lints.
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include "cli_internal.hpp"
#include "input.hpp"
#include "store_id.hpp"

namespace si::cli {

const char* const kCheckHelp =
    "Usage: store-inspector check FILE...\n"
    "\n"
    "Validates each FILE: a config, a scenario (a JSON file with \"steps\") or a journal\n"
    "(.sqlite). A scenario is dry-run: request errors of steps without expectError are\n"
    "errors, the storeId lints of the instances it creates are warnings. A journal is\n"
    "replayed and its events compared with the recorded ones.\n"
    "\n"
    "Prints `path:line:column: message` for JSON syntax, `path: /json/pointer: message` for\n"
    "content, `path: /pointer: lint CODE: ...` for lints, and `path: ok (...)` per valid file.\n"
    "\n"
    "Exit status: 0 every file is valid (lints do not count), 2 errors.\n";

namespace {

constexpr Ms kTimerLimit = 2147483647;

bool isKeyPath(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '/' || c == '~' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// "/steps/3/attach" + "gcTime: expected ..." -> "/steps/3/attach/gcTime: expected ...".
std::string locate(const std::string& base, const std::string& action, const std::string& message) {
  const size_t colon = message.find(": ");
  if (colon != std::string::npos) {
    const std::string key = message.substr(0, colon);
    if (isKeyPath(key)) {
      if (key == action || key == "step") return base + ": " + message.substr(colon + 2);
      return base + "/" + key + ": " + message.substr(colon + 2);
    }
  }
  return base + ": " + message;
}

std::string actionOf(const json& step) {
  if (step.is_object()) {
    for (const auto& [k, v] : step.items()) {
      if (k != "note" && k != "expectError") return k;
    }
  }
  return "";
}

struct FileReport {
  size_t errors = 0;
  size_t lints = 0;
};

void lintLine(std::ostream& out, const std::string& path, const std::string& pointer,
              const std::string& code, const std::string& storeId, FileReport& rep) {
  out << path << ": " << pointer << ": lint " << code << ": storeId \"" << storeId
      << "\": " << lintExplanation(code) << "\n";
  rep.lints++;
}

// Templates whose file adapter writes outside the config's folder (allowed for `run`).
void lintDirectories(const Config& c, const std::string& path, std::ostream& out,
                     FileReport& rep) {
  for (const auto& [name, t] : c.templates) {
    const json* a = t.options.get(OptionKey::Adapter);
    if (!a || !a->is_object() || a->value("type", "") != "file") continue;
    const std::string dir = a->value("directory", "stores");
    if (!directoryLeavesConfigFolder(dir)) continue;
    out << path << ": " << childPath("/storeOptions", name)
        << "/adapter/directory: lint outside-directory: directory " << shortDump(json(dir)) << ": "
        << lintExplanation("outside-directory") << "\n";
    rep.lints++;
  }
}

void checkConfig(const LoadedInput& in, std::ostream& out, FileReport& rep) {
  const std::string& path = in.path;
  const Config* c = &in.config;
  auto overflow = [](const OptionLayer& layer) {
    const json* g = layer.get(OptionKey::GcTime);
    return g && g->is_number_integer() && g->get<int64_t>() > kTimerLimit;
  };
  if (overflow(c->defaults)) {
    out << path << ": /registry/defaultOptions/gcTime: lint timer-overflow: "
        << lintExplanation("timer-overflow") << "\n";
    rep.lints++;
  }
  lintDirectories(*c, path, out, rep);
  for (const auto& [name, t] : c->templates) {
    const std::string at = childPath("/storeOptions", name);
    if (t.storeId) {
      // Lint the pattern with each placeholder filled by a plain value.
      std::string sample;
      const std::string& text = t.storeId->text;
      for (size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
          const size_t close = text.find('}', i);
          sample += "x";
          i = close == std::string::npos ? text.size() : close + 1;
        } else {
          sample += text[i++];
        }
      }
      for (const std::string& code : storeIdLints(sample)) {
        lintLine(out, path, at + "/storeId", code, text, rep);
      }
    }
    if (overflow(t.options)) {
      out << path << ": " << at << "/gcTime: lint timer-overflow: "
          << lintExplanation("timer-overflow") << "\n";
      rep.lints++;
    }
  }
  out << path << ": ok (config, " << c->templates.size()
      << (c->templates.size() == 1 ? " store option" : " store options");
  if (rep.lints) out << ", " << rep.lints << (rep.lints == 1 ? " lint" : " lints");
  out << ")\n";
}

void checkScenario(LoadedInput& in, std::ostream& out, std::ostream& err, FileReport& rep) {
  const std::string& path = in.path;
  Scenario* sc = &*in.scenario;
  // Dry run: what a request asks for is only known when its step runs (SPEC 4). File-backed
  // stores of the dry run live in a private scratch folder whatever their directory says
  // (relative, absolute or escaping), so check never writes next to the config or elsewhere.
  auto sandbox = FileSandbox::create("check", /*seedFromReal=*/false);
  if (!sandbox) {
    err << path << ": " << sandbox.message() << "\n";
    rep.errors++;
    return;
  }
  sc->config.sandbox = std::move(*sandbox);
  Session s(sc->config);
  const Registry& reg = s.registry();
  std::set<std::pair<std::string, std::string>> reported;  // storeId, lint code
  for (size_t i = 0; i < sc->steps.size(); ++i) {
    const json& step = sc->steps[i];
    const std::string action = actionOf(step);
    const std::string pointer = "/steps/" + std::to_string(i) + "/" + action;
    const bool expectsError = step.contains("expectError");
    StepResult r = s.execute(step);
    if (!expectsError && !r.error.empty()) {
      err << path << ": " << locate(pointer, action, r.error) << "\n";
      rep.errors++;
    }
    std::set<StoreKey> touched;
    for (size_t e = r.eventBegin; e < r.eventEnd; ++e) {
      const Event& ev = reg.events()[e];
      if (ev.kind == EventKind::PreloadErrorSwallowed && action == "preload") {
        // A registry that is unknown, shutting down or closed depends on the steps before (as
        // an ownership conflict depends on what is cached): a warning, like the conflict.
        const bool registryState = ev.text.rfind("registry: ", 0) == 0;
        if (ev.store == kNoStore && !registryState) {
          // The request itself is invalid: a preload swallows it at run time, check does not.
          if (!expectsError) {
            err << path << ": " << locate(pointer, action, ev.text) << "\n";
            rep.errors++;
          }
        } else {
          out << path << ": " << pointer << ": warning: the preload's error is swallowed: "
              << ev.text << "\n";
        }
      }
      if (ev.store != kNoStore &&
          (ev.kind == EventKind::InstanceCreated || ev.kind == EventKind::GcTimeChanged)) {
        touched.insert(ev.store);
      }
    }
    for (StoreKey k : touched) {
      const StoreRecord& rec = reg.stores()[k];
      for (const std::string& code : rec.lints) {
        if (reported.insert({rec.storeId, code}).second) {
          lintLine(out, path, pointer, code, rec.storeId, rep);
        }
      }
    }
  }
  if (rep.errors) return;
  out << path << ": ok (scenario";
  if (!sc->name.empty()) out << " \"" << escapeControlCharacters(sc->name) << "\"";
  out << ", " << sc->steps.size() << (sc->steps.size() == 1 ? " step" : " steps");
  if (rep.lints) out << ", " << rep.lints << (rep.lints == 1 ? " lint" : " lints");
  out << ")\n";
}

// loadInput replayed the journal; here its events are compared with the recorded ones.
void checkJournal(const LoadedInput& in, std::ostream& out, std::ostream& err, FileReport& rep) {
  const std::string& path = in.path;
  const JournalData* j = in.journal.get();
  const Registry& reg = in.replay->registry();
  const auto& events = reg.events();
  const size_t n = std::min(events.size(), j->events.size());
  for (size_t i = 0; i < n; ++i) {
    const json replayed =
        j->hasRegistryColumn ? reg.eventJson(events[i]) : legacyEventView(reg.eventJson(events[i]));
    if (replayed != j->events[i]) {
      err << path << ": replay differs at event " << j->events[i].value("seq", json()).dump()
          << ": recorded " << j->events[i].dump() << ", replayed " << replayed.dump() << "\n";
      rep.errors++;
      return;
    }
  }
  if (events.size() != j->events.size()) {
    err << path << ": replay produced " << events.size() << " events, the journal records "
        << j->events.size() << "\n";
    rep.errors++;
    return;
  }
  out << path << ": ok (journal, " << j->commands.size() << " commands, " << j->events.size()
      << " events, replay matches)\n";
}

}  // namespace

int checkCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("check", args, {}, {}, kCheckHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  const ParsedArgs* p = &*parsed.args;
  if (p->positional.empty()) {
    err << "check: expected at least one FILE\n";
    return 2;
  }
  size_t errors = 0;
  for (const std::string& path : p->positional) {
    FileReport rep;
    Result<LoadedInput> in = loadInput(path);
    if (!in) {
      err << in.message() << "\n";
      rep.errors++;
    } else if (in->kind == InputKind::Trace) {
      err << path << ": a live trace (SPEC 11): check it with `store-inspector ingest " << path << "`\n";
      rep.errors++;
    } else if (in->kind == InputKind::Journal) {
      checkJournal(*in, out, err, rep);
    } else if (in->kind == InputKind::Scenario) {
      checkScenario(*in, out, err, rep);
    } else {
      checkConfig(*in, out, rep);
    }
    errors += rep.errors;
  }
  return errors ? 2 : 0;
}

}  // namespace si::cli
