// What the Workbench opens: a document (the bundled example config, a config file, a scenario,
// a journal or a live trace, SPEC 11) turned into a Config plus the steps to offer or replay. Loading reports errors
// with the same text as the command line (the core's loaders produce it).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "input.hpp"
#include "session.hpp"

namespace si::gui {

enum class DocumentKind : uint8_t { Bundled, Config, Scenario, Journal, Trace };
constexpr const char* kDocumentKindNames[] = {"bundled example", "config", "scenario", "journal", "live trace"};
static_assert(sizeof(kDocumentKindNames) / sizeof(kDocumentKindNames[0]) ==
                  static_cast<size_t>(DocumentKind::Trace) + 1,
              "one name per DocumentKind");

struct Document {
  DocumentKind kind = DocumentKind::Bundled;
  std::string path;                    // "" for the bundled example
  Config config;
  std::optional<Scenario> scenario;    // kind == Scenario
  std::vector<json> journalCommands;   // kind == Journal: the recorded steps, replayed on open
  std::vector<std::string> watched;    // files whose change triggers a reload (not a trace:
                                       // a bridge may still be appending to it; F5 re-reads)
};

// Loads `path` by the one rule of core/input.hpp (by content: a SQLite header is a journal, a
// JSON object with "steps" a scenario, anything else a config), reading it once.
Result<Document> loadDocument(const std::string& path, const Overrides& overrides);
// The document of a file the command line has already read (store-inspector FILE).
Document documentFrom(const LoadedInput& in);
// The bundled example config (the file si::cli::bundledExampleConfig() names).
Result<Document> loadBundledDocument(const Overrides& overrides);

// ---- journals (SPEC 6) ----
bool journalSupported();                         // always true since core/journal landed
Status saveJournal(const Session& session, const std::string& path);

}  // namespace si::gui
