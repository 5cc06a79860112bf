// Shared pieces of the command line: one argument parser, the commands, and text helpers.
// Each command lives in its own file (cli_run.cpp, cli_check.cpp, cli_compare.cpp).
#pragma once
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "session.hpp"

namespace si::cli {

// [SECTION] Exiting

// What a command built and no longer needs (a session of a million live commands): when the
// program is the real store-inspector, the process exit frees it at once, not entry by entry
// (main() then ends with _Exit, after the streams are flushed); called in-process (tests) it
// is destroyed now. Close files (a journal) before handing anything over.
void freeAtExit(std::shared_ptr<void> object);

// [SECTION] Arguments

// Options of one command: `--name value`, `--name=value`, or flags; everything else is a
// positional argument. "--" ends the options.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // name (without --), value
  bool help = false;
  std::optional<std::string> get(std::string_view name) const;  // the last occurrence
};

// Parses `args` for a command that knows `valued` options (taking a value) and `flags`.
// The error names the command: "run: unknown option --polcy; did you mean --policy?".
Result<ParsedArgs> parseArgs(std::string_view command, const std::vector<std::string>& args,
                             const std::vector<std::string_view>& valued,
                             const std::vector<std::string_view>& flags);

// A command's arguments, or, when there is nothing more to do, its exit code: bad arguments
// (the error and "Try `store-inspector COMMAND --help`." on `err`: 2) or --help (`help` on
// `out`: 0).
struct CommandArgs {
  std::optional<ParsedArgs> args;
  int exitCode = 0;
};
CommandArgs commandArgs(std::string_view command, const std::vector<std::string>& args,
                        const std::vector<std::string_view>& valued,
                        const std::vector<std::string_view>& flags, std::string_view help,
                        std::ostream& out, std::ostream& err);

// [SECTION] Commands (exit codes as SPEC 5)

int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int checkCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int compareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int ingestCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int listenCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

extern const char* const kRunHelp;
extern const char* const kCheckHelp;
extern const char* const kCompareHelp;
extern const char* const kIngestHelp;
extern const char* const kListenHelp;

// [SECTION] Text

// "issue-3#1": a storeId with its generation.
std::string storeLabel(const Registry& r, const Event& e);
// One event on one line: "t=150 load_succeeded issue-1#1 LOADING->ACTIVE".
std::string eventLine(const Registry& r, const Event& e);
// A step in a few words: "attach p1 use=issue issueId=1 gcTime=5000 component=App/Issue".
std::string stepLine(const json& step);
// A JSON value for a transcript: strings bare when they need no quoting, else JSON.
std::string compactValue(const json& v);
// "1.500" from 1500 ms: exact, no floating point.
std::string seconds3(int64_t ms);

// Loads a policy list ("longest,first"); error names the flag.
Result<std::vector<Policy>> parsePolicyList(std::string_view text, const std::string& flag);

}  // namespace si::cli
