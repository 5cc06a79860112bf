#include "journal.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "input.hpp"

namespace si {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE session(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE commands(seq INTEGER PRIMARY KEY, t_ms INTEGER NOT NULL, command TEXT NOT NULL);"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, t_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
    " store_id TEXT, generation INTEGER, observer TEXT,"
    " state_from TEXT, state_to TEXT, detail TEXT, registry TEXT);";

std::string errmsg(sqlite3* db) { return db ? std::string(sqlite3_errmsg(db)) : "out of memory"; }

// Binds text, or NULL for a null JSON value.
void bindText(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

std::string columnText(sqlite3_stmt* st, int i) {
  const unsigned char* p = sqlite3_column_text(st, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(st, i)))
           : std::string();
}

// A statement that finalizes itself.
struct Stmt {
  sqlite3_stmt* st = nullptr;
  ~Stmt() { sqlite3_finalize(st); }
};

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close(db); }
};

std::string absoluteDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(dir.empty() ? "." : dir, ec);
  if (ec) return dir;
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// What `path` is when it is something other than a regular file; "" for a regular file or
// nothing at all. Never follows a symlink.
std::string notRegularFile(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return "";
  if (S_ISLNK(st.st_mode)) return "is a symbolic link";
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (S_ISFIFO(st.st_mode)) return "is a FIFO";
  if (S_ISCHR(st.st_mode)) return "is a character device";
  if (S_ISBLK(st.st_mode)) return "is a block device";
  if (S_ISSOCK(st.st_mode)) return "is a socket";
  return "is a special file";
}

// The files JournalWriter::create removes: the journal and SQLite's side files.
std::vector<std::string> journalFiles(const std::string& path) {
  return {path, path + "-wal", path + "-shm", path + "-journal"};
}

// Takes the writer's lock: flock(LOCK_EX | LOCK_NB) on "journal.lock", created 0600 when
// missing. A holder removes the file when it lets go, so a lock won on a file that is no longer
// at that path is retried on the new one. Sets *empty when the lock file has no content.
Result<int> lockJournal(const std::string& journal, bool* empty) {
  const std::string lock = journal + ".lock";
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (std::string what = notRegularFile(lock); !what.empty())
      return Error{lock + ": " + what + ", not a regular file; nothing was replaced"};
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0) return Error{journal + ": cannot create: " + lock + ": " + std::strerror(errno)};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      ::close(fd);
      if (e == EWOULDBLOCK)
        return Error{journal + ": another run is writing this journal (" + lock +
                     " is locked); nothing was replaced"};
      return Error{lock + ": cannot lock: " + std::strerror(e)};
    }
    struct stat held {}, now {};
    if (::fstat(fd, &held) == 0 && ::lstat(lock.c_str(), &now) == 0 && S_ISREG(held.st_mode) &&
        held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
      *empty = held.st_size == 0;
      return fd;
    }
    ::close(fd);
  }
  return Error{lock + ": cannot lock: the file keeps being replaced"};
}

}  // namespace

// [SECTION] Writing

Error JournalWriter::sqlError(const std::string& what) const {
  return Error{path_ + ": " + what + ": " + errmsg(db_)};
}

Status JournalWriter::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : errmsg(db_);
    sqlite3_free(msg);
    return Error{path_ + ": " + m};
  }
  return success();
}

Status checkJournalTarget(const std::string& path) {
  for (const std::string& p : journalFiles(path)) {
    if (std::string what = notRegularFile(p); !what.empty())
      return Error{p + ": " + what + ", not a regular file; nothing was replaced"};
  }
  return success();
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::create(const std::string& path,
                                                             const Session& s) {
  if (!s.hasWholeHistory()) return Error{path + ": this session no longer has its whole history to journal"};
  if (Status ok = checkJournalTarget(path); !ok) return ok.error();
  bool emptyLock = false;
  Result<int> lock = lockJournal(path, &emptyLock);
  if (!lock) return lock.error();
  // From here the writer owns the lock: every return below releases it.
  std::unique_ptr<JournalWriter> w(new JournalWriter(path, *lock, emptyLock));
  if (Status ok = w->replaceAndOpen(); !ok) return ok.error();
  if (Status ok = w->writeSession(s); !ok) return ok.error();
  if (Status ok = w->prepareInserts(); !ok) return ok.error();
  if (Status ok = w->append(s); !ok) return ok.error();
  return w;
}

Status JournalWriter::replaceAndOpen() {
  // Checked again under the lock: what is removed is a regular file no one else is writing.
  if (Status ok = checkJournalTarget(path_); !ok) return ok;
  for (const std::string& p : journalFiles(path_)) {
    std::error_code ec;
    std::filesystem::remove(p, ec);
    if (ec) return Error{p + ": cannot replace: " + ec.message()};
  }
  // NOMUTEX: one thread at a time uses a writer (the session's, or a JournalThread's own after
  // the hand-over), so SQLite's per-call locking is only cost (7% of a listen).
  const int rc = sqlite3_open_v2(path_.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) return Error{path_ + ": cannot create: " + errmsg(db_)};
  sqlite3_extended_result_codes(db_, 1);
  return exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
}

namespace {

// Whether a replay could not tell from the config and the policy alone that the policy was
// explicit: given by the scenario or the command line, and equal to the profile's default.
bool policyExplicitNeedsRow(const Config& c) {
  const bool inConfig = c.source.is_object() && c.source.contains("registry") &&
                        c.source["registry"].is_object() && c.source["registry"].contains("policy");
  return c.policyExplicit && !inConfig && c.policy == defaultPolicy(c.profile);
}

}  // namespace

Status JournalWriter::writeSession(const Session& s) {
  if (Status ok = exec("BEGIN"); !ok) return ok;
  if (Status ok = exec(kSchema); !ok) return ok;
  Stmt st;
  if (sqlite3_prepare_v2(db_, "INSERT INTO session(key, value) VALUES (?1, ?2)", -1, &st.st,
                         nullptr) != SQLITE_OK)
    return sqlError("prepare");
  const Config& c = s.config();
  const std::pair<const char*, std::string> keys[] = {
      {"config", c.source.dump(-1, ' ', false, json::error_handler_t::replace)},
      {"baseDir", absoluteDir(c.baseDir)},
      {"policy", std::string(toString(c.policy))},
      {"environment", std::string(toString(c.environment))},
      {"version", SI_VERSION},
  };
  std::vector<std::pair<const char*, std::string>> rows(std::begin(keys), std::end(keys));
  if (policyExplicitNeedsRow(c)) rows.emplace_back("policyExplicit", "true");
  for (const auto& [k, v] : rows) {
    sqlite3_reset(st.st);
    bindText(st.st, 1, k);
    bindText(st.st, 2, v);
    if (sqlite3_step(st.st) != SQLITE_DONE) return sqlError("write session");
  }
  return exec("COMMIT");
}

Status JournalWriter::append(const Session& s) {
  return write(collect(s, commandsWritten_, eventsWritten_));
}

namespace {

constexpr const char* kCommandInsert = "INSERT INTO commands(seq, t_ms, command) VALUES ";
constexpr const char* kEventInsert =
    "INSERT INTO events(seq, t_ms, kind, store_id, generation, observer, state_from, state_to, detail, registry)"
    " VALUES ";
constexpr int kCommandColumns = 3, kEventColumns = 10;

// "<insert> (?,?,?),(?,?,?)...": `rows` rows of `columns` parameters, numbered in order.
std::string insertSql(const char* insert, int columns, size_t rows) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c ? ",?" : "?";
  row += ")";
  std::string sql = insert;
  for (size_t r = 0; r < rows; ++r) sql += (r ? "," : "") + row;
  return sql;
}

void bindCommandRow(sqlite3_stmt* st, int base, int64_t seq, const JournalWriter::Batch& b,
                    const JournalWriter::CommandRow& c) {
  sqlite3_bind_int64(st, base + 1, seq);
  sqlite3_bind_int64(st, base + 2, c.t);
  bindText(st, base + 3, b[c.text]);
}

// Every parameter of the row is bound, NULL where it has no value.
void bindEventRow(sqlite3_stmt* st, int base, const JournalWriter::Batch& b, const JournalWriter::EventRow& e) {
  sqlite3_bind_int64(st, base + 1, e.seq);
  sqlite3_bind_int64(st, base + 2, e.t);
  bindText(st, base + 3, e.kind);
  if (e.hasStore) {
    bindText(st, base + 4, b[e.storeId]);
    sqlite3_bind_int64(st, base + 5, e.generation);
    bindText(st, base + 7, e.from);
    bindText(st, base + 8, e.to);
  } else {
    for (int i : {4, 5, 7, 8}) sqlite3_bind_null(st, base + i);
  }
  if (e.observer.size != 0) {
    bindText(st, base + 6, b[e.observer]);
  } else {
    sqlite3_bind_null(st, base + 6);
  }
  bindText(st, base + 9, b[e.detail]);
  bindText(st, base + 10, b[e.registry]);
}

}  // namespace

Status JournalWriter::prepareInserts() {
  const std::pair<std::string, sqlite3_stmt**> statements[] = {
      {insertSql(kCommandInsert, kCommandColumns, 1), &insertCommand_},
      {insertSql(kEventInsert, kEventColumns, 1), &insertEvent_},
      {insertSql(kCommandInsert, kCommandColumns, kRowsPerInsert), &insertCommands_},
      {insertSql(kEventInsert, kEventColumns, kRowsPerInsert), &insertEvents_},
  };
  for (const auto& [sql, st] : statements) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, st, nullptr) != SQLITE_OK) return sqlError("prepare");
  }
  return success();
}

// Inserts rows [0, count): kRowsPerInsert to a statement (`many`) while that many are left,
// then one to a statement (`one`). bind(st, base, i) binds row i from parameter base + 1.
// Returns the first row of the statement that failed, or count.
template <typename Bind>
size_t JournalWriter::insertRows(size_t count, sqlite3_stmt* one, sqlite3_stmt* many, int columns, Bind bind) {
  for (size_t i = 0; i < count;) {
    const size_t rows = count - i >= kRowsPerInsert ? kRowsPerInsert : 1;
    sqlite3_stmt* st = rows == 1 ? one : many;
    sqlite3_reset(st);
    for (size_t r = 0; r < rows; ++r) bind(st, static_cast<int>(r) * columns, i + r);
    if (sqlite3_step(st) != SQLITE_DONE) return i;
    i += rows;
  }
  return count;
}

Status JournalWriter::writeCommands(const Batch& b) {
  const size_t failed = insertRows(b.commands.size(), insertCommand_, insertCommands_, kCommandColumns,
                                   [&](sqlite3_stmt* st, int base, size_t i) {
                                     const auto seq = static_cast<int64_t>(b.commandBegin + i + 1);
                                     bindCommandRow(st, base, seq, b, b.commands[i]);
                                   });
  if (failed == b.commands.size()) return success();
  return sqlError("write command " + std::to_string(b.commandBegin + failed + 1));
}

Status JournalWriter::writeEvents(const Batch& b) {
  const size_t failed = insertRows(b.events.size(), insertEvent_, insertEvents_, kEventColumns,
                                   [&](sqlite3_stmt* st, int base, size_t i) { bindEventRow(st, base, b, b.events[i]); });
  if (failed == b.events.size()) return success();
  return sqlError("write event " + std::to_string(b.events[failed].seq));
}

Status JournalWriter::write(const Batch& b) {
  if (b.empty()) return success();
  if (Status ok = exec("BEGIN IMMEDIATE"); !ok) return ok;
  Status ok = writeCommands(b);
  if (ok) ok = writeEvents(b);
  if (ok) ok = exec("COMMIT");
  if (!ok) {
    (void)exec("ROLLBACK");
    return ok;
  }
  commandsWritten_ = b.commandEnd;
  eventsWritten_ = b.eventEnd;
  return success();
}

JournalWriter::~JournalWriter() {
  for (sqlite3_stmt* st : {insertCommand_, insertEvent_, insertCommands_, insertEvents_}) sqlite3_finalize(st);
  sqlite3_close(db_);
  // Removed while still held, so a run that opened the old lock file retries on a new one.
  if (removeLock_) ::unlink((path_ + ".lock").c_str());
  ::close(lockFd_);
}

// [SECTION] Reading

bool looksLikeSqlite(const std::string& path) {
  // The one file rule (input.hpp); only a regular file is read, so a FIFO never blocks here.
  const Result<bool> sqlite = startsLikeSqlite(path);
  return sqlite && *sqlite;
}

namespace {

constexpr int kProgressEvery = 100;  // SQLite VM steps between progress-handler calls

// A journal being read: its connection, the path for messages and the step budget of the
// statement running now (the progress handler interrupts a statement past its budget).
struct Reader {
  std::string path;
  JournalLimits limits;
  Db db;
  int64_t budget = 0;
  int64_t used = 0;
  bool eventsHaveRegistry = false;  // journals written before SPEC 8 have no registry column

  void startStatement(int64_t rows) {
    const int64_t perRow = std::max<int64_t>(limits.stepsPerRow, 0);
    const int64_t extra = rows > 0 && perRow > INT64_MAX / rows ? INT64_MAX / 2 : rows * perRow;
    budget = std::min<int64_t>(std::max<int64_t>(limits.stepsPerStatement, 0), INT64_MAX / 2) + extra;
    used = 0;
  }
  bool exhausted() const { return used > budget; }
  Error notJournal(const std::string& why) const {
    return Error{path + ": not a store-inspector journal (" + why + ")"};
  }
  // A statement that failed: the step budget when that stopped it, else SQLite's message.
  Error failed(const std::string& what) const {
    if (exhausted()) {
      return Error{path + ": reading the journal took more than " + std::to_string(budget) +
                   " steps; stopped"};
    }
    return Error{path + ": " + what + errmsg(db.db)};
  }
  Result<sqlite3_stmt*> prepare(const std::string& sql, int64_t rows) {
    startStatement(rows);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      if (exhausted()) return failed("");
      return notJournal(errmsg(db.db));
    }
    return st;
  }
};

int onProgress(void* ctx) {
  Reader* r = static_cast<Reader*>(ctx);
  r->used += kProgressEvery;
  return r->exhausted() ? 1 : 0;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The journal file itself, before SQLite opens it: a regular file (a symlink is not followed),
// side files that are regular files too, and no larger than the limit with its -wal file.
Status checkJournalFile(const std::string& path, const JournalLimits& limits) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Error{path + ": cannot read: no such file"};
    return Error{path + ": cannot read: " + std::strerror(errno)};
  }
  const std::string what = notRegularFile(path);
  if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) return Error{path + ": cannot read: " + what};
  if (!what.empty()) return Error{path + ": cannot read: " + what + ", not a regular file"};
  uint64_t bytes = static_cast<uint64_t>(st.st_size);
  for (const std::string& side : {path + "-wal", path + "-shm"}) {
    if (std::string w = notRegularFile(side); !w.empty())
      return Error{path + ": cannot read: " + side + " " + w + ", not a regular file"};
  }
  struct stat wal {};
  if (::lstat((path + "-wal").c_str(), &wal) == 0) bytes += static_cast<uint64_t>(wal.st_size);
  if (bytes > limits.maxBytes) {
    return Error{path + ": too large to read as a journal (" + std::to_string(bytes) +
                 " bytes with its -wal file; the limit is " + std::to_string(limits.maxBytes) + ")"};
  }
  return success();
}

// Opens for reading with defensive settings: the journal's own SQL (views, triggers, virtual
// tables, schema functions) never runs, no extension or tokenizer, query-only, no symlink,
// no checkpoint on close, values capped, and a step budget on every statement.
Status openForReading(Reader& r) {
  // Read-write without create, so a journal cut off mid-run (its -wal file still there) is
  // recovered up to its last commit; fall back to read-only for a read-only file.
  int rc = sqlite3_open_v2(r.path.c_str(), &r.db.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                           nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(r.db.db);
    r.db.db = nullptr;
    rc = sqlite3_open_v2(r.path.c_str(), &r.db.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW,
                         nullptr);
  }
  if (rc != SQLITE_OK) return Error{r.path + ": cannot open: " + errmsg(r.db.db)};
  sqlite3* db = r.db.db;
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, std::max(r.limits.maxValueBytes, 1));
  sqlite3_busy_timeout(db, 2000);
  sqlite3_progress_handler(db, kProgressEvery, onProgress, &r);
  r.startStatement(0);
  if (sqlite3_exec(db, "PRAGMA query_only = ON; PRAGMA cell_size_check = ON;", nullptr, nullptr,
                   nullptr) != SQLITE_OK)
    return r.exhausted() ? r.failed("") : r.notJournal(errmsg(db));
  return success();
}

struct TableShape {
  const char* name;
  std::vector<std::string> columns;  // in order
  const char* optionalLast;          // a column journals may add at the end ("" for none)
};

const TableShape kTables[] = {
    {"session", {"key", "value"}, ""},
    {"commands", {"seq", "t_ms", "command"}, ""},
    // SPEC 6 and 8: every event row may also name its registry.
    {"events",
     {"seq", "t_ms", "kind", "store_id", "generation", "observer", "state_from", "state_to", "detail"},
     "registry"},
};

// A plain table (not a view or virtual table) that exists.
Status checkIsPlainTable(Reader& r, const TableShape& t) {
  Result<sqlite3_stmt*> p = r.prepare(
      "SELECT type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
      0);
  if (!p) return p.error();
  Stmt st{*p};
  bindText(st.st, 1, t.name);
  const int step = sqlite3_step(st.st);
  if (step == SQLITE_DONE) return r.notJournal(std::string("no ") + t.name + " table");
  if (step != SQLITE_ROW) return r.failed("reading the schema: ");
  const std::string name = t.name;
  if (columnText(st.st, 0) != "table") return r.notJournal(name + " is a view, not a table");
  const std::string create = columnText(st.st, 1);
  if (create.size() >= 14 && ::strncasecmp(create.c_str(), "CREATE VIRTUAL", 14) == 0)
    return r.notJournal(name + " is a virtual table");
  return success();
}

// Exactly the journal's columns, none hidden or generated, and for commands and events `seq`
// the INTEGER PRIMARY KEY (so ORDER BY seq walks the table instead of sorting it).
Status checkColumns(Reader& r, const TableShape& t) {
  Result<sqlite3_stmt*> p = r.prepare("SELECT name, type, pk, hidden FROM pragma_table_xinfo(?1)", 0);
  if (!p) return p.error();
  Stmt st{*p};
  bindText(st.st, 1, t.name);
  std::vector<std::string> names;
  int keys = 0, hidden = 0;
  bool seqIsKey = false;
  int step;
  while ((step = sqlite3_step(st.st)) == SQLITE_ROW) {
    names.push_back(columnText(st.st, 0));
    std::string type = columnText(st.st, 1);
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (sqlite3_column_int64(st.st, 2) > 0) ++keys;
    if (sqlite3_column_int64(st.st, 3) != 0) ++hidden;
    if (names.back() == "seq" && sqlite3_column_int64(st.st, 2) == 1 && type == "integer")
      seqIsKey = true;
  }
  if (step != SQLITE_DONE) return r.failed("reading the schema: ");
  const std::string name = t.name;
  std::vector<std::string> expected = t.columns;
  if (*t.optionalLast && names.size() == expected.size() + 1) {
    expected.push_back(t.optionalLast);
    if (name == "events") r.eventsHaveRegistry = true;
  }
  if (names != expected) {
    return r.notJournal(name + " has columns (" + cutText(joined(names)) + "), expected (" +
                        joined(t.columns) + ")");
  }
  if (hidden > 0) return r.notJournal(name + " has hidden or generated columns");
  if (t.columns.front() == "seq" && (!seqIsKey || keys != 1))
    return r.notJournal(name + ".seq is not its INTEGER PRIMARY KEY");
  return success();
}

// Row counts of the three tables (session, commands, events), each within its limit.
Result<std::vector<int64_t>> countRows(Reader& r) {
  const int64_t limits[] = {r.limits.maxSessionRows, r.limits.maxCommands, r.limits.maxEvents};
  std::vector<int64_t> counts;
  for (size_t i = 0; i < 3; ++i) {
    const std::string name = kTables[i].name;
    Result<sqlite3_stmt*> p = r.prepare("SELECT count(*) FROM " + name, 0);
    if (!p) return p.error();
    Stmt st{*p};
    if (sqlite3_step(st.st) != SQLITE_ROW) return r.failed("counting " + name + ": ");
    counts.push_back(sqlite3_column_int64(st.st, 0));
    if (counts.back() > limits[i]) {
      return Error{r.path + ": " + name + " has " + std::to_string(counts.back()) +
                   " rows, more than the limit of " + std::to_string(limits[i])};
    }
  }
  return counts;
}

Status readSession(Reader& r, int64_t rows, JournalData& j) {
  Result<sqlite3_stmt*> p = r.prepare("SELECT key, value FROM session", rows);
  if (!p) return p.error();
  Stmt st{*p};
  const std::string& path = r.path;
  std::map<std::string, std::string> keys;
  int step;
  while ((step = sqlite3_step(st.st)) == SQLITE_ROW) keys[columnText(st.st, 0)] = columnText(st.st, 1);
  if (step != SQLITE_DONE) return r.failed("");
  for (const char* k : {"config", "baseDir", "policy", "environment"}) {
    if (!keys.count(k)) return r.notJournal(std::string("session has no \"") + k + "\"");
  }
  Result<json> cfg = parseJsonText(keys["config"], path + " (session config)");
  if (!cfg) return cfg.error();
  j.config = std::move(*cfg);
  j.baseDir = keys["baseDir"];
  if (!parsePolicy(keys["policy"], &j.policy))
    return Error{path + ": session policy: unknown policy \"" + cutText(keys["policy"]) + "\""};
  if (!parseEnvironment(keys["environment"], &j.environment))
    return Error{path + ": session environment: unknown environment \"" + cutText(keys["environment"]) + "\""};
  j.version = keys.count("version") ? keys["version"] : std::string();
  j.policyExplicit = keys.count("policyExplicit") && keys["policyExplicit"] == "true";
  return success();
}

Status readCommands(Reader& r, int64_t rows, JournalData& j) {
  Result<sqlite3_stmt*> p = r.prepare("SELECT seq, t_ms, command FROM commands ORDER BY seq", rows);
  if (!p) return p.error();
  Stmt st{*p};
  j.commands.reserve(static_cast<size_t>(rows));
  int step;
  while ((step = sqlite3_step(st.st)) == SQLITE_ROW) {
    const std::string seq = std::to_string(sqlite3_column_int64(st.st, 0));
    if (sqlite3_column_type(st.st, 1) != SQLITE_INTEGER)
      return Error{r.path + ": command " + seq + ": t_ms is not an integer"};
    Result<json> cmd = parseJsonText(columnText(st.st, 2), r.path + " (command " + seq + ")");
    if (!cmd) return cmd.error();
    j.commands.push_back(Session::Command{sqlite3_column_int64(st.st, 1), std::move(*cmd)});
  }
  if (step != SQLITE_DONE) return r.failed("");
  return success();
}

// One events row shaped like Registry::eventJson; integers at full width (int64).
Result<json> eventRow(const Reader& r, sqlite3_stmt* st) {
  const int64_t seq = sqlite3_column_int64(st, 0);
  const std::string where = r.path + ": event " + std::to_string(seq) + ": ";
  auto textOrNull = [&](int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json(nullptr) : json(columnText(st, i));
  };
  if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) return Error{where + "t_ms is not an integer"};
  const int genType = sqlite3_column_type(st, 4);
  if (genType != SQLITE_NULL && genType != SQLITE_INTEGER)
    return Error{where + "generation is not an integer"};
  json e = json::object();
  e["seq"] = seq;
  e["t"] = sqlite3_column_int64(st, 1);
  e["kind"] = columnText(st, 2);
  e["storeId"] = textOrNull(3);
  e["generation"] = genType == SQLITE_NULL ? json(nullptr) : json(sqlite3_column_int64(st, 4));
  e["observer"] = textOrNull(5);
  e["from"] = textOrNull(6);
  e["to"] = textOrNull(7);
  if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
    e["detail"] = json::object();
  } else {
    Result<json> d = parseJsonText(columnText(st, 8),
                                   r.path + " (event " + std::to_string(seq) + " detail)");
    if (!d) return d.error();
    e["detail"] = std::move(*d);
  }
  // SPEC 6: rows of journals from before several registries belong to `default`.
  if (!r.eventsHaveRegistry || sqlite3_column_type(st, 9) == SQLITE_NULL)
    e["registry"] = "default";
  else
    e["registry"] = columnText(st, 9);
  return e;
}

Status readEvents(Reader& r, int64_t rows, JournalData& j) {
  Result<sqlite3_stmt*> p = r.prepare(
      std::string("SELECT seq, t_ms, kind, store_id, generation, observer, state_from, state_to, detail") +
          (r.eventsHaveRegistry ? ", registry" : "") + " FROM events ORDER BY seq",
      rows);
  j.hasRegistryColumn = r.eventsHaveRegistry;
  if (!p) return p.error();
  Stmt st{*p};
  j.events.reserve(static_cast<size_t>(rows));
  int step;
  while ((step = sqlite3_step(st.st)) == SQLITE_ROW) {
    Result<json> e = eventRow(r, st.st);
    if (!e) return e.error();
    j.events.push_back(std::move(*e));
  }
  if (step != SQLITE_DONE) return r.failed("");
  return success();
}

}  // namespace

Result<JournalData> readJournal(const std::string& path, const JournalLimits& limits) {
  if (Status ok = checkJournalFile(path, limits); !ok) return ok.error();
  Reader r;
  r.path = path;
  r.limits = limits;
  if (Status ok = openForReading(r); !ok) return ok.error();
  for (const TableShape& t : kTables) {
    if (Status ok = checkIsPlainTable(r, t); !ok) return ok.error();
    if (Status ok = checkColumns(r, t); !ok) return ok.error();
  }
  Result<std::vector<int64_t>> rows = countRows(r);
  if (!rows) return rows.error();
  JournalData j;
  if (Status ok = readSession(r, (*rows)[0], j); !ok) return ok.error();
  if (Status ok = readCommands(r, (*rows)[1], j); !ok) return ok.error();
  if (Status ok = readEvents(r, (*rows)[2], j); !ok) return ok.error();
  return j;
}

// [SECTION] Replaying

Result<Config> journalConfig(const JournalData& j) {
  Result<Config> c = parseConfig(j.config, j.baseDir);
  if (!c) return Error{"journal config: " + c.message()};
  // A recorded policy other than the config's own was explicit (scenario or command line).
  if (j.policy != c->policy || j.policyExplicit) c->policyExplicit = true;
  c->policy = j.policy;
  c->environment = j.environment;
  // SPEC 2.6: a journal may come from someone else, and a replay of even a genuine one must
  // not boot rows into the real stores again. The sandbox starts empty (no seeding).
  Result<std::shared_ptr<const FileSandbox>> sandbox = FileSandbox::create("journal", false);
  if (!sandbox) return Error{"journal replay: " + sandbox.message()};
  c->sandbox = std::move(*sandbox);
  return c;
}

Result<std::unique_ptr<Session>> replayJournal(const JournalData& j) {
  Result<Config> c = journalConfig(j);
  if (!c) return c.error();
  auto s = std::make_unique<Session>(std::move(*c));
  for (size_t i = 0; i < j.commands.size(); ++i) {
    const Session::Command& cmd = j.commands[i];
    if (cmd.t != s->registry().now()) {
      return Error{"journal command " + std::to_string(i + 1) + ": recorded at t=" +
                   std::to_string(cmd.t) + " but the replay is at t=" +
                   std::to_string(s->registry().now())};
    }
    s->execute(cmd.step());
  }
  return s;
}

}  // namespace si

namespace si {

json legacyEventView(json event) {
  if (event.value("kind", "") == "instance_created" && event.contains("detail") && event["detail"].is_object()) {
    event["detail"].erase("clientId");
    event["detail"].erase("sessionId");
  }
  return event;
}

}  // namespace si
