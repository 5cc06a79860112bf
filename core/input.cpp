// The one file rule (input.hpp): classification by content, and each kind loaded from one read.
#include "input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace si {
namespace {

constexpr char kSqliteHeader[] = "SQLite format 3";  // 15 characters and its NUL: 16 bytes
static_assert(sizeof kSqliteHeader == 16, "the SQLite header is 16 bytes");

constexpr const char* kKindNames[] = {"config", "scenario", "journal", "trace"};
static_assert(std::size(kKindNames) == static_cast<size_t>(InputKind::Trace) + 1, "one name per InputKind");
constexpr size_t kMaxTraceProbe = 1 << 20;  // a hello line longer than this is not a hello

InputKind kindOfJson(const json& j) { return looksLikeScenario(j) ? InputKind::Scenario : InputKind::Config; }

void applyOverrides(Config& c, const Overrides& o) {
  if (o.policy) c.policy = *o.policy, c.policyExplicit = true;
  if (o.environment) c.environment = *o.environment;
}

Result<LoadedInput> loadJournal(LoadedInput in, const Overrides& o) {
  Result<JournalData> j = readJournal(in.path);
  if (!j) return j.error();
  // Replaying checks that the recorded times agree with this tool's semantics. The replay's
  // config is journalConfig's: file adapters inside a private scratch folder (SPEC 2.6).
  Result<std::unique_ptr<Session>> replay = replayJournal(*j);
  if (!replay) return replay.error().located(in.path);
  in.config = (*replay)->config();
  applyOverrides(in.config, o);
  in.journal = std::make_shared<const JournalData>(std::move(*j));
  in.replay = std::move(*replay);
  return in;
}

Result<LoadedInput> loadScenario(LoadedInput in, const json& j, const Overrides& o) {
  Result<Scenario> sc = parseScenario(j, in.path, o);
  if (!sc) {
    // Content errors are pointers ("/steps/3: ..."); errors of a referenced config file
    // already carry that file's own location.
    if (sc.message().rfind('/', 0) == 0) return sc.error().located(in.path);
    return sc.error();
  }
  in.config = sc->config;
  if (std::string config = scenarioConfigPath(*sc); !config.empty()) in.watched.push_back(std::move(config));
  in.scenario = std::move(*sc);
  return in;
}

Result<LoadedInput> loadConfig(LoadedInput in, const json& j, const Overrides& o) {
  Result<Config> c = parseConfig(j, dirName(in.path));
  if (!c) return c.error().located(in.path);
  in.config = std::move(*c);
  applyOverrides(in.config, o);
  return in;
}

}  // namespace

std::string_view toString(InputKind k) { return kKindNames[static_cast<size_t>(k)]; }

Result<bool> startsLikeSqlite(const std::string& path) {
  if (Status ok = checkRegularFile(path); !ok) return ok.error();
  // O_NONBLOCK: a FIFO swapped in after the check must not block. A file that cannot be
  // opened is not a journal here; readJsonFile then says why it cannot be read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  char head[sizeof kSqliteHeader] = {};
  size_t got = 0;
  while (got < sizeof head) {
    const ssize_t n = ::read(fd, head + got, sizeof head - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  return got == sizeof head && std::memcmp(head, kSqliteHeader, sizeof head) == 0;
}

Result<bool> startsLikeTrace(const std::string& path) {
  if (Status ok = checkRegularFile(path); !ok) return ok.error();
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;  // readJsonFile says why
  std::string line;
  while (line.find_first_not_of(" \t\r") == std::string::npos) {
    line.clear();
    char c = 0;
    while (line.size() < kMaxTraceProbe && in.get(c) && c != '\n') line.push_back(c);
    if (!in) break;
  }
  const json j = json::parse(line, nullptr, false);
  return j.is_object() && j.contains("v") && j.contains("hello");
}

Result<InputKind> classifyInput(const std::string& path) {
  Result<bool> sqlite = startsLikeSqlite(path);
  if (!sqlite) return sqlite.error();
  if (*sqlite) return InputKind::Journal;
  Result<bool> trace = startsLikeTrace(path);
  if (!trace) return trace.error();
  if (*trace) return InputKind::Trace;
  Result<json> j = readJsonFile(path);
  if (!j) return j.error();
  return kindOfJson(*j);
}

Result<LoadedInput> loadInput(const std::string& path, const Overrides& o, std::optional<InputKind> as) {
  LoadedInput in;
  in.path = path;
  in.watched.push_back(path);
  if (!as) {
    Result<bool> sqlite = startsLikeSqlite(path);
    if (!sqlite) return sqlite.error();
    if (*sqlite) as = InputKind::Journal;
  }
  if (!as) {
    Result<bool> trace = startsLikeTrace(path);
    if (!trace) return trace.error();
    if (*trace) as = InputKind::Trace;
  }
  if (as == InputKind::Trace) {
    in.kind = InputKind::Trace;
    return in;
  }
  if (as == InputKind::Journal) {
    in.kind = InputKind::Journal;
    return loadJournal(std::move(in), o);
  }
  Result<json> j = readJsonFile(path);
  if (!j) return j.error();
  in.kind = as.value_or(kindOfJson(*j));
  if (in.kind == InputKind::Scenario) return loadScenario(std::move(in), *j, o);
  return loadConfig(std::move(in), *j, o);
}

std::vector<json> LoadedInput::journalCommands() const {
  std::vector<json> steps;
  if (journal) {
    for (const Session::Command& c : journal->commands) steps.push_back(c.step());
  }
  return steps;
}

std::string scenarioConfigPath(const Scenario& sc) {
  if (!sc.configRef.is_string()) return "";
  const std::string ref = sc.configRef.get<std::string>();
  return !ref.empty() && ref[0] == '/' ? ref : dirName(sc.path) + "/" + ref;
}

}  // namespace si
