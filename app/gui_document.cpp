#include "gui_document.hpp"

#include "cli.hpp"

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
  const std::string bundled = si::cli::bundledExampleConfig();
  size_t i = 0;
  while (i < bundled.size() && (bundled[i] == ' ' || bundled[i] == '\n' || bundled[i] == '\t' || bundled[i] == '\r')) ++i;
  if (i < bundled.size() && bundled[i] == '{') {
    // The config text itself, compiled into the binary.
    auto j = parseJsonText(bundled, "<bundled example>");
    if (!j) return Error{j.message()};
    auto cfg = parseConfig(*j, SI_ASSETS_DIR "/configs");
    if (!cfg) return Error{"<bundled example>: " + cfg.message()};
    Document doc;
    doc.kind = DocumentKind::Bundled;
    doc.config = std::move(*cfg);
    applyOverrides(doc.config, overrides);
    return doc;
  }
  // A path to the bundled file.
  auto doc = loadDocument(bundled, overrides);
  if (doc) doc->kind = DocumentKind::Bundled;
  return doc;
}

}  // namespace si::gui
