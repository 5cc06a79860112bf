// What the Workbench opens: a document (the bundled example config, a config file, a scenario
// or a journal) turned into a Config plus the steps to offer or replay. Loading reports errors
// with the same text as the command line (the core's loaders produce it).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "session.hpp"

namespace si::gui {

enum class DocumentKind : uint8_t { Bundled, Config, Scenario, Journal };
constexpr const char* kDocumentKindNames[] = {"bundled example", "config", "scenario", "journal"};
static_assert(sizeof(kDocumentKindNames) / sizeof(kDocumentKindNames[0]) ==
                  static_cast<size_t>(DocumentKind::Journal) + 1,
              "one name per DocumentKind");

struct Document {
  DocumentKind kind = DocumentKind::Bundled;
  std::string path;                    // "" for the bundled example
  Config config;
  std::optional<Scenario> scenario;    // kind == Scenario
  std::vector<json> journalCommands;   // kind == Journal: the recorded steps, replayed on open
  std::vector<std::string> watched;    // files whose change triggers a reload
};

// Loads `path` as a journal (a *.sqlite name, or a file that starts like a SQLite database),
// a scenario (a JSON object with "steps") or a config.
Result<Document> loadDocument(const std::string& path, const Overrides& overrides);
// The bundled example config (the file si::cli::bundledExampleConfig() names).
Result<Document> loadBundledDocument(const Overrides& overrides);

// ---- journals (SPEC 6) ----
bool journalSupported();                         // always true since core/journal landed
bool looksLikeJournal(const std::string& path);  // starts like a SQLite database
Result<Document> loadJournalDocument(const std::string& path, const Overrides& overrides);
Status saveJournal(const Session& session, const std::string& path);

}  // namespace si::gui
