// Journals (SPEC 6) in the window: open one (replay its command log) and File > Save session.
// core/journal.hpp is written separately; until it exists the window reports journals as
// unsupported instead of failing to build.
#include "gui_document.hpp"

#if __has_include("journal.hpp")
#include "journal.hpp"
#define SI_GUI_HAS_JOURNAL 1
#else
#define SI_GUI_HAS_JOURNAL 0
#endif

namespace si::gui {

#if SI_GUI_HAS_JOURNAL
bool journalSupported() { return true; }

bool looksLikeJournal(const std::string& path) { return looksLikeSqlite(path); }

Result<Document> loadJournalDocument(const std::string& path, const Overrides& overrides) {
  auto j = readJournal(path);
  if (!j) return Error{j.message()};
  // Replaying checks that the recorded times agree with this tool's semantics.
  auto replayed = replayJournal(*j);
  if (!replayed) return Error{replayed.message()};
  // The window's sessions (and time travel over them) run file adapters inside a private
  // scratch folder, never in the folders the journal names (SPEC 2.6).
  auto cfg = journalConfig(*j);
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
#else
bool looksLikeJournal(const std::string&) { return false; }

bool journalSupported() { return false; }

Result<Document> loadJournalDocument(const std::string& path, const Overrides&) {
  return Error{path + ": journals are not supported by this build (core/journal.hpp missing)"};
}

Status saveJournal(const Session&, const std::string& path) {
  return Error{path + ": saving sessions is not supported by this build (core/journal.hpp missing)"};
}
#endif

}  // namespace si::gui
