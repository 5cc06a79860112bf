#include "document.hpp"

#include "cli.hpp"
#include "journal.hpp"

namespace si::gui {
namespace {

void applyOverrides(Config& c, const Overrides& o) {
  if (o.policy) c.policy = *o.policy;
  if (o.environment) c.environment = *o.environment;
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<Document> loadDocument(const std::string& path, const Overrides& overrides) {
  if (endsWith(path, ".sqlite") || looksLikeJournal(path)) return loadJournalDocument(path, overrides);
  auto j = readJsonFile(path);
  if (!j) return Error{j.message()};
  Document doc;
  doc.path = path;
  doc.watched.push_back(path);
  if (looksLikeScenario(*j)) {
    auto sc = parseScenario(*j, path, overrides);
    if (!sc) {
      // parseScenario's messages carry no file prefix when they are content errors.
      const std::string& m = sc.message();
      return Error{m.rfind(path, 0) == 0 ? m : path + ": " + m};
    }
    doc.kind = DocumentKind::Scenario;
    doc.config = sc->config;
    if (sc->configRef.is_string()) {
      const std::string dir = dirName(path);
      const std::string ref = sc->configRef.get<std::string>();
      doc.watched.push_back(!ref.empty() && ref[0] == '/' ? ref : dir + "/" + ref);
    }
    doc.scenario = std::move(*sc);
    return doc;
  }
  auto cfg = parseConfig(*j, dirName(path));
  if (!cfg) return Error{path + ": " + cfg.message()};
  doc.kind = DocumentKind::Config;
  doc.config = std::move(*cfg);
  applyOverrides(doc.config, overrides);
  return doc;
}

Result<Document> loadBundledDocument(const Overrides& overrides) {
  // bundledExampleConfig() always names a file (the first candidate when none exists, so a
  // missing install reports "cannot read" with that path).
  auto doc = loadDocument(si::cli::bundledExampleConfig(), overrides);
  if (doc) doc->kind = DocumentKind::Bundled;
  return doc;
}

// [SECTION] journals

bool journalSupported() { return true; }

bool looksLikeJournal(const std::string& path) { return looksLikeSqlite(path); }

Result<Document> loadJournalDocument(const std::string& path, const Overrides& overrides) {
  auto j = readJournal(path);
  if (!j) return Error{j.message()};
  // Replaying checks that the recorded times agree with this tool's semantics.
  auto replayed = replayJournal(*j);
  if (!replayed) return Error{replayed.message()};
  auto cfg = parseConfig(j->config, j->baseDir);
  if (!cfg) return Error{path + ": " + cfg.message()};
  Document doc;
  doc.kind = DocumentKind::Journal;
  doc.path = path;
  doc.watched.push_back(path);
  doc.config = std::move(*cfg);
  doc.config.policy = overrides.policy.value_or(j->policy);
  doc.config.environment = overrides.environment.value_or(j->environment);
  for (const Session::Command& c : j->commands) doc.journalCommands.push_back(c.step);
  return doc;
}

Status saveJournal(const Session& session, const std::string& path) {
  auto w = JournalWriter::create(path, session);
  if (!w) return Error{w.message()};
  return success();
}

}  // namespace si::gui
