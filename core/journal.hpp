// Session journals (SPEC 6): a SQLite file with the config, every executed step and every
// event. The command log is the source of truth; replaying it through a fresh Session with the
// recorded config reproduces the recorded events exactly.
//
// Usage:
//   auto w = JournalWriter::create("run.sqlite", session);   // replaces an existing regular file
//   session.execute(step); (*w)->append(session);            // one transaction per append
//   auto j = readJournal("run.sqlite");                      // Result<JournalData>
//   auto replayed = replayJournal(*j);                       // Result<unique_ptr<Session>>
//
// Errors read "path: message" (the message of sqlite3_errmsg copied at once).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "session.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace si {

struct JournalData {
  json config;              // the config JSON as read (session key "config")
  std::string baseDir;      // folder file adapters resolve against (absolute when written)
  Policy policy = Policy::Longest;
  // The policy was given explicitly (scenario or command line) though it equals the profile's
  // default: session key "policyExplicit", written only then (SPEC 11; a replay's created
  // registries must not take another profile's default instead).
  bool policyExplicit = false;
  Environment environment = Environment::Browser;
  std::string version;      // SI_VERSION of the tool that wrote it
  std::vector<Session::Command> commands;  // in order
  std::vector<json> events;  // in order, each shaped like Registry::eventJson
  // False for journals written before several registries (SPEC 8): their events name no
  // registry (read as "default") and their instance_created details carry no identities.
  bool hasRegistryColumn = true;
};

// A replayed event as a journal of the old format recorded it (no identities in
// instance_created), for comparing replays of such journals.
json legacyEventView(json event);

// Appends Registry::detailJson(e).dump() to out (the events.detail column), without building
// the tree for the kinds a trace is made of.
void appendEventDetail(const Registry& reg, const Event& e, std::string& out);

class JournalWriter {
 public:
  // Creates (or replaces) the journal at `path`, writes the session keys and everything the
  // session has already done. Only a regular file (or nothing) is replaced (checkJournalTarget),
  // and only while no other writer holds the journal's lock: an exclusive flock on
  // "path.lock", taken before anything is removed and held until the writer is destroyed
  // ("path: another run is writing this journal (path.lock is locked); nothing was replaced").
  // Readers never take it, so a journal can be read while it is being written.
  static Result<std::unique_ptr<JournalWriter>> create(const std::string& path, const Session& s);
  // Writes every command and event not yet written, in one transaction.
  Status append(const Session& s);

  // The rows of commands [commandBegin, end) and events [eventBegin, end) of a session, as
  // text and numbers: taken from the session on its thread, written on any (JournalThread).
  // One batch keeps every text in one buffer (rows name slices of it): a row costs no
  // allocation of its own, and nothing the session's thread allocated per row is freed on
  // the journal's.
  struct Slice {
    size_t offset = 0, size = 0;
  };
  struct CommandRow {
    Ms t = 0;
    Slice text;
  };
  struct EventRow {
    int64_t seq = 0, t = 0, generation = 0;
    std::string_view kind, from, to;  // static names
    bool hasStore = false;
    Slice storeId, observer, detail, registry;
  };
  struct Batch {
    size_t commandBegin = 0, commandEnd = 0, eventBegin = 0, eventEnd = 0;
    std::vector<CommandRow> commands;
    std::vector<EventRow> events;
    std::string text;
    bool empty() const { return commands.empty() && events.empty(); }
    std::string_view operator[](Slice s) const { return std::string_view(text).substr(s.offset, s.size); }
    Slice add(std::string_view s);  // appends s to text
  };
  static Batch collect(const Session& s, size_t commandBegin, size_t eventBegin);
  // Writes a batch in one transaction (the next after what was written).
  Status write(const Batch& b);
  size_t commandsWritten() const { return commandsWritten_; }
  size_t eventsWritten() const { return eventsWritten_; }
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  const std::string& path() const { return path_; }

 private:
  JournalWriter(std::string path, int lockFd, bool removeLock)
      : path_(std::move(path)), lockFd_(lockFd), removeLock_(removeLock) {}
  Error sqlError(const std::string& what) const;  // "path: what: sqlite3_errmsg"
  Status exec(const char* sql);
  Status replaceAndOpen();                      // the old file out, a new database in
  Status writeSession(const Session& s);        // schema and session keys, one transaction

  std::string path_;
  int lockFd_ = -1;          // flock(LOCK_EX) on path_ + ".lock", held while writing
  bool removeLock_ = false;  // the lock file was empty (ours): removed when the writer goes
  sqlite3* db_ = nullptr;
  // One row per statement, and kRowsPerInsert rows per statement for the bulk of a batch
  // (SQLite's per-statement work, shared by that many rows).
  static constexpr size_t kRowsPerInsert = 32;
  sqlite3_stmt* insertCommand_ = nullptr;
  sqlite3_stmt* insertEvent_ = nullptr;
  sqlite3_stmt* insertCommands_ = nullptr;
  sqlite3_stmt* insertEvents_ = nullptr;
  Status prepareInserts();
  Status writeCommands(const Batch& b);
  Status writeEvents(const Batch& b);
  template <typename Bind>
  size_t insertRows(size_t count, sqlite3_stmt* one, sqlite3_stmt* many, int columns, Bind bind);
  size_t commandsWritten_ = 0;  // index into Session::commands()
  size_t eventsWritten_ = 0;    // index into Registry::events()
};

// What readJournal accepts (SPEC 6: size and row counts are checked before anything is loaded).
struct JournalLimits {
  uint64_t maxBytes = uint64_t{256} << 20;  // the file plus its -wal file
  int64_t maxSessionRows = 64;
  int64_t maxCommands = 1'000'000;
  int64_t maxEvents = 2'000'000;
  int maxValueBytes = 16 << 20;             // one stored value (SQLITE_LIMIT_LENGTH)
  // SQLite virtual-machine steps one statement may take: this many, plus stepsPerRow for each
  // row the counted tables allow it to read. A statement past its budget stops with an error.
  int64_t stepsPerStatement = 10'000'000;
  int64_t stepsPerRow = 1'000;
};

// Reads a journal. A file that is not a journal gives "path: not a store-inspector journal
// (...)". A journal cut off mid-run reads up to its last committed step.
Result<JournalData> readJournal(const std::string& path, const JournalLimits& limits = {});

// The recorded config as every replay runs it: the recorded policy and environment, and file
// adapters inside a private scratch folder (SPEC 2.6), never in the folders the journal names.
// Sessions (and time-travel snapshots) built from it share that folder; it is removed when
// the last of them lets go.
Result<Config> journalConfig(const JournalData& j);

// A fresh Session from journalConfig(j) (file adapters in a private scratch folder), with
// every recorded command executed. Fails when a command's recorded time disagrees with the
// replay's clock (the journal does not belong to this tool's semantics).
Result<std::unique_ptr<Session>> replayJournal(const JournalData& j);

// Whether JournalWriter::create may replace `path`: it must be absent or a regular file (not
// a symlink, FIFO, device, socket or folder), and so must its -wal, -shm and -journal side files.
// Errors read "path: is a FIFO, not a regular file; nothing was replaced". Reads only.
Status checkJournalTarget(const std::string& path);

// True when `path` names a regular file that starts like a SQLite database (for opening FILE by kind).
bool looksLikeSqlite(const std::string& path);

}  // namespace si
