// The command line (SPEC 5): dispatch, help, the GUI entry and the shared text helpers.
#include "cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>

#include "cli_internal.hpp"
#include "driver.hpp"
#include "input.hpp"

namespace si::cli {
namespace {

constexpr const char* kOverallHelp =
    "store-inspector - inspect a store registry: lifecycles, observers and gcTime on a virtual\n"
    "clock, in a window or headless.\n"
    "\n"
    "Usage:\n"
    "  store-inspector                         open the window on the bundled example config\n"
    "  store-inspector FILE                    open a config, a scenario or a journal (.sqlite)\n"
    "  store-inspector run SCENARIO... [--policy P] [--environment E] [--journal PATH]\n"
    "                                          [--format text|json]\n"
    "                                          run scenarios headless; print steps and events\n"
    "  store-inspector check FILE...           validate configs, scenarios and journals; print lints\n"
    "  store-inspector compare SCENARIO [--policies longest,first,last,shortest]\n"
    "                                          disposal times and store-seconds per GC policy\n"
    "  store-inspector ingest TRACE... [--tolerance-ms N] [--journal PATH]\n"
    "                                          replay bridge traces (NDJSON); list divergences\n"
    "  store-inspector listen [--port N] [--journal PATH] [--exit-after-disconnect]\n"
    "                                          let running apps connect (WebSocket, 127.0.0.1)\n"
    "  store-inspector --screenshot PNG [--frames N] [--size WxH] [FILE]\n"
    "                                          render N frames (default 3), save a PNG, exit\n"
    "  store-inspector --help | --version\n"
    "  store-inspector COMMAND --help          help for one command\n"
    "\n"
    "Times are virtual milliseconds. Exit status: 0 ok, 1 failed expectations (run) or\n"
    "divergences (ingest, listen), 2 bad input.\n";

constexpr const char* kNoWindow =
    "store-inspector was built without the window; try `store-inspector run ...`";

constexpr const char* kScreenshotHelp =
    "Usage: store-inspector --screenshot PNG [--frames N] [--size WxH] [FILE]\n"
    "\n"
    "Opens the window on FILE (default: the bundled example config), renders N frames\n"
    "(default 3), saves the last one as PNG and exits. --size sets the window's size in\n"
    "pixels (default 1280x800).\n";

const std::vector<std::string_view> kCommands = {"run", "check", "compare", "ingest", "listen"};

// Where `cmake --install` puts the assets, relative to the installed executable
// (cmake/install.cmake computes it from GNUInstallDirs).
#ifndef SI_INSTALLED_ASSETS_FROM_BINDIR
#define SI_INSTALLED_ASSETS_FROM_BINDIR "../share/store-inspector/assets"
#endif

std::string exeDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// Opens the window after reading FILE (if any) once, as what its content says it is; the
// window gets what was read.
int openGui(GuiRequest req, GuiEntry gui, std::ostream& err) {
  if (!gui) {
    err << kNoWindow << "\n";
    return 2;
  }
  if (!req.file.empty()) {
    Result<LoadedInput> in = loadInput(req.file);
    if (!in) {
      err << in.message() << "\n";
      return 2;
    }
    req.input = std::make_shared<const LoadedInput>(std::move(*in));
  }
  return gui(req);
}

// "1920x1080" -> 1920, 1080; each side 64 .. 8192.
bool parseWindowSize(const std::string& text, int* width, int* height) {
  const size_t x = text.find('x');
  if (x == std::string::npos || x == 0 || x + 1 >= text.size() || text.size() > 11) return false;
  const std::string w = text.substr(0, x), h = text.substr(x + 1);
  const auto digits = [](const std::string& s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (!digits(w) || !digits(h)) return false;
  *width = std::stoi(w);
  *height = std::stoi(h);
  return *width >= 64 && *width <= 8192 && *height >= 64 && *height <= 8192;
}

int screenshot(const std::vector<std::string>& args, GuiEntry gui, std::ostream& out,
               std::ostream& err) {
  // args[0] is "--screenshot" (or "--screenshot=PNG").
  GuiRequest req;
  CommandArgs parsed = commandArgs("--screenshot", args, {"screenshot", "frames", "size"}, {}, kScreenshotHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  const ParsedArgs* p = &*parsed.args;
  req.screenshot = p->get("screenshot").value_or("");
  if (req.screenshot.empty()) {
    err << "--screenshot: expected the path of the PNG to write\n";
    return 2;
  }
  if (auto frames = p->get("frames")) {
    const std::string& f = *frames;
    const bool digits = !f.empty() && f.size() <= 6 &&
                        std::all_of(f.begin(), f.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(f) < 1) {
      err << "--frames: expected a positive number of frames, got \"" << f << "\"\n";
      return 2;
    }
    req.frames = std::stoi(f);
  }
  if (auto size = p->get("size"); size && !parseWindowSize(*size, &req.width, &req.height)) {
    err << "--size: expected WIDTHxHEIGHT in pixels (64 to 8192 each), got \"" << cutText(*size) << "\"\n";
    return 2;
  }
  if (p->positional.size() > 1) {
    err << "--screenshot: expected at most one FILE, got " << p->positional.size() << "\n";
    return 2;
  }
  if (!p->positional.empty()) req.file = p->positional[0];
  return openGui(req, gui, err);
}

int dispatch(const std::vector<std::string>& args, GuiEntry gui, std::ostream& out,
             std::ostream& err) {
  if (args.empty()) return openGui(GuiRequest{}, gui, err);
  const std::string& first = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (first == "--help" || first == "-h" || first == "help") {
    if (first == "help" && !rest.empty()) return dispatch({rest[0], "--help"}, gui, out, err);
    out << kOverallHelp;
    return 0;
  }
  if (first == "--version" || first == "-V") {
    out << "store-inspector " << SI_VERSION << "\n";
    return 0;
  }
  if (first == "run") return runCommand(rest, out, err);
  if (first == "check") return checkCommand(rest, out, err);
  if (first == "compare") return compareCommand(rest, out, err);
  if (first == "ingest") return ingestCommand(rest, out, err);
  if (first == "listen") return listenCommand(rest, out, err);
  if (first == "--screenshot" || first.rfind("--screenshot=", 0) == 0) {
    return screenshot(args, gui, out, err);
  }
  if (first.size() > 1 && first[0] == '-') {
    err << "store-inspector: unknown option " << cutText(first) << "\n"
        << "Try `store-inspector --help`.\n";
    return 2;
  }
  // A FILE for the window. A word that is not a file but is close to a command is a typo.
  std::error_code ec;
  if (!std::filesystem::exists(first, ec)) {
    const std::string hint = didYouMean(first, kCommands);
    if (!hint.empty() || first.find_first_of("./") == std::string::npos) {
      err << "store-inspector: unknown command or file " << shortDump(first) << hint
          << "\nTry `store-inspector --help`.\n";
      return 2;
    }
  }
  if (args.size() > 1) {
    err << "store-inspector: expected one FILE, got " << args.size()
        << " arguments; to run scenarios use `store-inspector run FILE...`\n";
    return 2;
  }
  GuiRequest req;
  req.file = first;
  return openGui(std::move(req), gui, err);
}

}  // namespace

// [SECTION] Entry points

int run(const std::vector<std::string>& args, GuiEntry gui, std::ostream& out, std::ostream& err) {
  live::installLiveHandler();  // every session decodes live commands (journals, scenarios)
  try {
    return dispatch(args, gui, out, err);
  } catch (const std::exception& e) {
    // Not an input path: every reader returns Results. Say so rather than crash.
    err << "store-inspector: internal error: " << e.what() << "\n";
    return 2;
  }
}

namespace {

bool g_exitFrees = false;                         // set by main(): the process ends after run()
std::vector<std::shared_ptr<void>>* g_atExit = nullptr;  // never destroyed: _Exit frees it

}  // namespace

void freeAtExit(std::shared_ptr<void> object) {
  if (!g_exitFrees) return;  // destroyed here, by the caller's last reference going
  if (g_atExit == nullptr) g_atExit = new std::vector<std::shared_ptr<void>>();
  g_atExit->push_back(std::move(object));
}

int main(int argc, char** argv, GuiEntry gui) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  g_exitFrees = true;
  const int code = run(args, gui, std::cout, std::cerr);
  std::cout.flush();
  std::cerr.flush();
  if (g_atExit != nullptr) std::_Exit(code);  // the kernel frees the pages; nothing else is open
  return code;
}

std::string bundledExampleConfigFrom(const std::string& binDir, const std::string& compiledAssetsDir) {
  const std::string rel = "/configs/linear.json";
  std::vector<std::string> candidates;
  // Next to the executable first: an installed binary uses its own installed assets, never the
  // source tree it was built from (absent on another machine, or a stale checkout). From a
  // build tree inside the checkout (./build), ../assets is the source tree itself.
  if (!binDir.empty()) {
    candidates.push_back(binDir + "/" + SI_INSTALLED_ASSETS_FROM_BINDIR + rel);
    candidates.push_back(binDir + "/../assets" + rel);
  }
  if (!compiledAssetsDir.empty()) candidates.push_back(compiledAssetsDir + rel);
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c, ec)) {
      return std::filesystem::path(c).lexically_normal().string();
    }
  }
  return candidates.empty() ? "assets" + rel : candidates.front();
}

std::string bundledExampleConfig() {
#ifdef SI_ASSETS_DIR
  return bundledExampleConfigFrom(exeDir(), SI_ASSETS_DIR);
#else
  return bundledExampleConfigFrom(exeDir(), "");
#endif
}

// [SECTION] Arguments

std::optional<std::string> ParsedArgs::get(std::string_view name) const {
  std::optional<std::string> v;
  for (const auto& [k, value] : options) {
    if (k == name) v = value;
  }
  return v;
}

Result<ParsedArgs> parseArgs(std::string_view command, const std::vector<std::string>& args,
                             const std::vector<std::string_view>& valued,
                             const std::vector<std::string_view>& flags) {
  ParsedArgs p;
  bool optionsDone = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (optionsDone || a.size() < 2 || a[0] != '-') {
      p.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      optionsDone = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      p.help = true;
      continue;
    }
    std::string name = a.substr(a[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const bool isValued = std::find(valued.begin(), valued.end(), name) != valued.end();
    const bool isFlag = std::find(flags.begin(), flags.end(), name) != flags.end();
    if (!isValued && !isFlag) {
      std::vector<std::string_view> known = valued;
      known.insert(known.end(), flags.begin(), flags.end());
      std::string text = "unknown option " + cutText(a);
      if (const std::string near = nearest(name, known); !near.empty()) text += "; did you mean --" + near + "?";
      return Error(ErrorId::UnknownKey, Location::at(std::string(command)), text);
    }
    if (isFlag) {
      if (value) return inputError(std::string(command), "--" + name + " takes no value");
      p.options.emplace_back(name, "");
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) return inputError(std::string(command), "--" + name + " needs a value");
      const std::string& next = args[++i];
      if (next == "--help" || next == "-h") {  // "--policy --help" asks for help, not a policy
        p.help = true;
        continue;
      }
      value = next;
    }
    p.options.emplace_back(name, *value);
  }
  return p;
}

CommandArgs commandArgs(std::string_view command, const std::vector<std::string>& args,
                        const std::vector<std::string_view>& valued,
                        const std::vector<std::string_view>& flags, std::string_view help,
                        std::ostream& out, std::ostream& err) {
  Result<ParsedArgs> p = parseArgs(command, args, valued, flags);
  if (!p) {
    err << p.message() << "\nTry `store-inspector " << command << " --help`.\n";
    return {std::nullopt, 2};
  }
  if (p->help) {
    out << help;
    return {std::nullopt, 0};
  }
  return {std::move(*p), 0};
}

Result<std::vector<Policy>> parsePolicyList(std::string_view text, const std::string& flag) {
  std::vector<Policy> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view name = text.substr(start, comma - start);
    Policy p;
    if (!parsePolicy(name, &p)) return unknownNameError(flag, "policy", name, policyNames());
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    start = comma + 1;
  }
  return out;
}

// [SECTION] Text

std::string compactValue(const json& v) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    const bool plain = !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
      return c == ' ' || c == '"' || c == '\\' || c == '=' || static_cast<unsigned char>(c) < 0x20;
    });
    if (plain) return s;
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string seconds3(int64_t ms) {
  const bool negative = ms < 0;
  const uint64_t a = negative ? uint64_t(0) - uint64_t(ms) : uint64_t(ms);
  std::string frac = std::to_string(a % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return (negative ? "-" : "") + std::to_string(a / 1000) + "." + frac;
}

// With several registries in the session (SPEC 8) a store is named "registry/storeId#gen"
// (a registry name holds no "/", so the first one separates them).
std::string storeLabel(const Registry& r, const Event& e) {
  if (e.store == kNoStore) return "";
  const std::string id = r.storeIdOf(e.store) + "#" + std::to_string(e.generation);
  return r.registries().size() > 1 ? r.registryNameOf(e) + "/" + id : id;
}

std::string eventLine(const Registry& r, const Event& e) {
  std::string line = "t=" + std::to_string(e.t) + " " + std::string(toString(e.kind));
  if (e.store != kNoStore) line += " " + storeLabel(r, e);
  if (e.store == kNoStore && r.registries().size() > 1) line += " registry=" + r.registryNameOf(e);
  if (!e.observer.empty()) line += " " + e.observer;
  if (e.store != kNoStore) {
    line += " " + std::string(toString(e.from)) + "->" + std::string(toString(e.to));
  }
  json d = r.detailJson(e);
  if (e.kind == EventKind::InstanceCreated) {
    // Identities are news only when a registry chose them (SPEC 9): the defaults
    // "<registry>-client" / "<registry>-session" would only repeat the registry's name.
    const RegistrySettings& st = r.registryAt(e.registry).settings;
    if (st.clientIdMode == ClientIdMode::Registry && st.clientId.empty()) d.erase("clientId");
    if (st.sessionIdMode == SessionIdMode::Registry && st.sessionId.empty()) d.erase("sessionId");
  }
  for (const auto& [k, v] : d.items()) {
    if (v.is_array()) {
      std::string joined;
      for (const auto& x : v) joined += (joined.empty() ? "" : ",") + compactValue(x);
      line += " " + k + "=" + joined;
    } else {
      line += " " + k + "=" + compactValue(v);
    }
  }
  return line;
}

std::string stepLine(const json& step) {
  if (!step.is_object()) return compactValue(step);
  for (const auto& [action, v] : step.items()) {
    if (action == "note" || action == "expectError") continue;
    std::string line = action;
    if (action == "attach" || action == "preload") {
      if (!v.is_object()) return line + " " + compactValue(v);
      if (v.contains("observer")) line += " " + compactValue(v["observer"]);
      for (const auto& [k, x] : v.items()) {
        if (k == "observer" || k == "component") continue;
        if (k == "params" && x.is_object()) {
          for (const auto& [pk, pv] : x.items()) line += " " + pk + "=" + compactValue(pv);
        } else {
          line += " " + k + "=" + compactValue(x);
        }
      }
      if (v.contains("component")) line += " component=" + compactValue(v["component"]);
    } else if (action == "detach") {
      line += " " + compactValue(v.is_object() && v.contains("observer") ? v["observer"] : v);
    } else if (action == "clear") {
      // nothing to add
    } else if (action == "expect" && v.is_object()) {
      for (const char* subject : {"store", "observer", "registry"}) {
        if (!v.contains(subject)) continue;
        line += std::string(" ") + subject;
        if (std::string(subject) != "registry") line += " " + compactValue(v[subject]);
      }
    } else {
      line += " " + compactValue(v);
    }
    return line;
  }
  return compactValue(step);
}

}  // namespace si::cli
