// What kind of file a path is, and the file read once: the one rule for `check`, `run`,
// `compare`, the command line's window entry and (to come) the window's Open.
//
// Usage:
//   Result<LoadedInput> in = loadInput(path);
//   if (!in) return in.error();            // "path: ..." / "path:line:column: ..."
//   if (in->kind == InputKind::Scenario) run(in->scenario->steps);
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journal.hpp"
#include "session.hpp"

namespace si {

enum class InputKind : uint8_t { Config, Scenario, Journal, Trace };
std::string_view toString(InputKind k);  // "config", "scenario", "journal", "trace"

// The one rule, by content, never by name: a file starting with the SQLite header is a
// journal (a ".sqlite" file holding JSON is read as JSON); a file whose first line is a
// protocol v1 hello ({"v": 1, "hello": ...}, SPEC 11) is a live trace (NDJSON); a JSON object
// with "steps" is a scenario; anything else is a config (and fails as one). Only a regular file is opened, so
// a FIFO or a device is refused ("path: cannot read: not a regular file"), never read.
Result<InputKind> classifyInput(const std::string& path);

// Whether a regular file starts with the 16-byte SQLite header; the error readJsonFile would
// give when `path` is not a regular file. Reads at most 16 bytes.
Result<bool> startsLikeSqlite(const std::string& path);

// Whether a regular file's first non-blank line is a JSON object with "v" and "hello" (a live
// trace). Reads at most one line (up to 1 MiB).
Result<bool> startsLikeTrace(const std::string& path);

// A file, read once and parsed as its kind (a trace is only classified: it is streamed when
// ingested, never held in memory).
struct LoadedInput {
  InputKind kind = InputKind::Config;
  std::string path;
  Config config;                              // overrides applied (journal: its recorded config)
  std::optional<Scenario> scenario;           // kind == Scenario
  std::shared_ptr<const JournalData> journal;  // kind == Journal, as recorded
  std::shared_ptr<const Session> replay;      // kind == Journal: every command replayed
  std::vector<std::string> watched;           // files whose change means reload
  // The recorded steps of a journal, in order.
  std::vector<json> journalCommands() const;
};

// Reads `path` once and parses it as classifyInput says, or, with `as`, as that kind whatever
// its content (`run` reads any FILE as a scenario). A journal is replayed, and its replay
// must keep the recorded times. Errors name the file ("path: /registry: ...",
// "path:3:7: ...", "path: journal command 2: ...").
Result<LoadedInput> loadInput(const std::string& path, const Overrides& o = {},
                              std::optional<InputKind> as = std::nullopt);

// The config file a scenario refers to ("" for an inline config), as a path from here.
std::string scenarioConfigPath(const Scenario& sc);

}  // namespace si
