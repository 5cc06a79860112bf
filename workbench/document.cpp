#include "document.hpp"

#include "cli.hpp"
#include "input.hpp"
#include "journal.hpp"

namespace si::gui {

// The window follows the command line's one rule (core/input): the kind of a file is read from
// its content, never its name, and the file is read once.
Document documentFrom(const LoadedInput& in) {
  Document doc;
  doc.path = in.path;
  doc.watched = in.watched;
  doc.config = in.config;
  switch (in.kind) {
    case InputKind::Scenario:
      doc.kind = DocumentKind::Scenario;
      doc.scenario = in.scenario;
      break;
    case InputKind::Journal:
      doc.kind = DocumentKind::Journal;
      doc.journalCommands = in.journalCommands();
      break;
    case InputKind::Config:
      doc.kind = DocumentKind::Config;
      break;
    case InputKind::Trace:
      doc.kind = DocumentKind::Trace;
      doc.watched.clear();
      break;
  }
  return doc;
}

Result<Document> loadDocument(const std::string& path, const Overrides& overrides) {
  Result<LoadedInput> in = loadInput(path, overrides);
  if (!in) return in.error();
  return documentFrom(*in);
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

Status saveJournal(const Session& session, const std::string& path) {
  auto w = JournalWriter::create(path, session);
  if (!w) return Error{w.message()};
  return success();
}

}  // namespace si::gui
