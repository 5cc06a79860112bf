#include "journal.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace si {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE session(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE commands(seq INTEGER PRIMARY KEY, t_ms INTEGER NOT NULL, command TEXT NOT NULL);"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, t_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
    " store_id TEXT, generation INTEGER, observer TEXT,"
    " state_from TEXT, state_to TEXT, detail TEXT);";

std::string errmsg(sqlite3* db) { return db ? std::string(sqlite3_errmsg(db)) : "out of memory"; }

// Binds text, or NULL for a null JSON value.
void bindText(sqlite3_stmt* st, int i, const std::string& s) {
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

Result<std::unique_ptr<JournalWriter>> JournalWriter::create(const std::string& path,
                                                             const Session& s) {
  // Replace an existing journal, with its WAL side files.
  for (const std::string& p : {path, path + "-wal", path + "-shm", path + "-journal"}) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) return Error{p + ": is a directory"};
    std::filesystem::remove(p, ec);
    if (ec) return Error{p + ": cannot replace: " + ec.message()};
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string m = errmsg(raw);
    sqlite3_close(raw);
    return Error{path + ": cannot create: " + m};
  }
  std::unique_ptr<JournalWriter> w(new JournalWriter(path, raw));
  sqlite3_extended_result_codes(raw, 1);
  if (Status ok = w->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !ok)
    return ok.error();
  if (Status ok = w->exec("BEGIN"); !ok) return ok.error();
  if (Status ok = w->exec(kSchema); !ok) return ok.error();
  {
    Stmt st;
    if (sqlite3_prepare_v2(raw, "INSERT INTO session(key, value) VALUES (?1, ?2)", -1, &st.st,
                           nullptr) != SQLITE_OK)
      return w->sqlError("prepare");
    const Config& c = s.config();
    const std::pair<const char*, std::string> keys[] = {
        {"config", c.source.dump(-1, ' ', false, json::error_handler_t::replace)},
        {"baseDir", absoluteDir(c.baseDir)},
        {"policy", std::string(toString(c.policy))},
        {"environment", std::string(toString(c.environment))},
        {"version", SI_VERSION},
    };
    for (const auto& [k, v] : keys) {
      sqlite3_reset(st.st);
      bindText(st.st, 1, k);
      bindText(st.st, 2, v);
      if (sqlite3_step(st.st) != SQLITE_DONE) return w->sqlError("write session");
    }
  }
  if (Status ok = w->exec("COMMIT"); !ok) return ok.error();
  if (sqlite3_prepare_v2(raw, "INSERT INTO commands(seq, t_ms, command) VALUES (?1, ?2, ?3)", -1,
                         &w->insertCommand_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(raw,
                         "INSERT INTO events(seq, t_ms, kind, store_id, generation, observer,"
                         " state_from, state_to, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         -1, &w->insertEvent_, nullptr) != SQLITE_OK) {
    return w->sqlError("prepare");
  }
  if (Status ok = w->append(s); !ok) return ok.error();
  return w;
}

Status JournalWriter::append(const Session& s) {
  const auto& commands = s.commands();
  const Registry& reg = s.registry();
  const auto& events = reg.events();
  if (commandsWritten_ >= commands.size() && eventsWritten_ >= events.size()) return success();
  if (Status ok = exec("BEGIN IMMEDIATE"); !ok) return ok;
  auto fail = [&](const std::string& what) -> Status {
    Error e = sqlError(what);
    (void)exec("ROLLBACK");
    return e;
  };
  for (size_t i = commandsWritten_; i < commands.size(); ++i) {
    sqlite3_stmt* st = insertCommand_;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(i + 1));
    sqlite3_bind_int64(st, 2, commands[i].t);
    bindText(st, 3, commands[i].step.dump(-1, ' ', false, json::error_handler_t::replace));
    if (sqlite3_step(st) != SQLITE_DONE) return fail("write command " + std::to_string(i + 1));
  }
  for (size_t i = eventsWritten_; i < events.size(); ++i) {
    const Event& e = events[i];
    sqlite3_stmt* st = insertEvent_;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(e.seq));
    sqlite3_bind_int64(st, 2, e.t);
    bindText(st, 3, std::string(toString(e.kind)));
    if (e.store != kNoStore) {
      bindText(st, 4, reg.storeIdOf(e.store));
      sqlite3_bind_int64(st, 5, e.generation);
      bindText(st, 7, std::string(toString(e.from)));
      bindText(st, 8, std::string(toString(e.to)));
    }
    if (!e.observer.empty()) bindText(st, 6, e.observer);
    bindText(st, 9, reg.detailJson(e).dump(-1, ' ', false, json::error_handler_t::replace));
    if (sqlite3_step(st) != SQLITE_DONE) return fail("write event " + std::to_string(e.seq));
  }
  if (Status ok = exec("COMMIT"); !ok) {
    (void)exec("ROLLBACK");
    return ok;
  }
  commandsWritten_ = commands.size();
  eventsWritten_ = events.size();
  return success();
}

JournalWriter::~JournalWriter() {
  sqlite3_finalize(insertCommand_);
  sqlite3_finalize(insertEvent_);
  sqlite3_close(db_);
}

// [SECTION] Reading

bool looksLikeSqlite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  if (!in.read(head, sizeof head)) return false;
  return std::string(head, sizeof head) == std::string("SQLite format 3\0", 16);
}

Result<JournalData> readJournal(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error{path + ": cannot read: no such file"};
  if (std::filesystem::is_directory(path, ec)) return Error{path + ": cannot read: is a directory"};
  Db db;
  // Read-write without create, so a journal cut off mid-run (its -wal file still there) is
  // recovered up to its last commit; fall back to read-only for a read-only file.
  int rc = sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(db.db);
    db.db = nullptr;
    rc = sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr);
  }
  if (rc != SQLITE_OK) return Error{path + ": cannot open: " + errmsg(db.db)};
  sqlite3_busy_timeout(db.db, 2000);
  const std::string notJournal = path + ": not a store-inspector journal";

  JournalData j;
  {
    Stmt st;
    if (sqlite3_prepare_v2(db.db, "SELECT key, value FROM session", -1, &st.st, nullptr) !=
        SQLITE_OK) {
      const std::string m = errmsg(db.db);
      if (m.find("no such table") != std::string::npos) return Error{notJournal + " (no session table)"};
      return Error{notJournal + " (" + m + ")"};
    }
    std::map<std::string, std::string> keys;
    int step;
    while ((step = sqlite3_step(st.st)) == SQLITE_ROW) keys[columnText(st.st, 0)] = columnText(st.st, 1);
    if (step != SQLITE_DONE) return Error{path + ": " + errmsg(db.db)};
    for (const char* k : {"config", "baseDir", "policy", "environment"}) {
      if (!keys.count(k)) return Error{notJournal + " (session has no \"" + k + "\")"};
    }
    Result<json> cfg = parseJsonText(keys["config"], path + " (session config)");
    if (!cfg) return cfg.error();
    j.config = std::move(*cfg);
    j.baseDir = keys["baseDir"];
    if (!parsePolicy(keys["policy"], &j.policy))
      return Error{path + ": session policy: unknown policy \"" + keys["policy"] + "\""};
    if (!parseEnvironment(keys["environment"], &j.environment))
      return Error{path + ": session environment: unknown environment \"" + keys["environment"] + "\""};
    j.version = keys.count("version") ? keys["version"] : std::string();
  }
  {
    Stmt st;
    if (sqlite3_prepare_v2(db.db, "SELECT seq, t_ms, command FROM commands ORDER BY seq", -1,
                           &st.st, nullptr) != SQLITE_OK)
      return Error{notJournal + " (" + errmsg(db.db) + ")"};
    int step;
    while ((step = sqlite3_step(st.st)) == SQLITE_ROW) {
      const int64_t seq = sqlite3_column_int64(st.st, 0);
      Result<json> cmd = parseJsonText(columnText(st.st, 2),
                                       path + " (command " + std::to_string(seq) + ")");
      if (!cmd) return cmd.error();
      j.commands.push_back(Session::Command{sqlite3_column_int64(st.st, 1), std::move(*cmd)});
    }
    if (step != SQLITE_DONE) return Error{path + ": " + errmsg(db.db)};
  }
  {
    Stmt st;
    if (sqlite3_prepare_v2(db.db,
                           "SELECT seq, t_ms, kind, store_id, generation, observer, state_from,"
                           " state_to, detail FROM events ORDER BY seq",
                           -1, &st.st, nullptr) != SQLITE_OK)
      return Error{notJournal + " (" + errmsg(db.db) + ")"};
    auto textOrNull = [&](int i) {
      return sqlite3_column_type(st.st, i) == SQLITE_NULL ? json(nullptr) : json(columnText(st.st, i));
    };
    int step;
    while ((step = sqlite3_step(st.st)) == SQLITE_ROW) {
      json e = json::object();
      e["seq"] = static_cast<uint64_t>(sqlite3_column_int64(st.st, 0));
      e["t"] = sqlite3_column_int64(st.st, 1);
      e["kind"] = columnText(st.st, 2);
      e["storeId"] = textOrNull(3);
      e["generation"] = sqlite3_column_type(st.st, 4) == SQLITE_NULL
                            ? json(nullptr)
                            : json(static_cast<uint32_t>(sqlite3_column_int64(st.st, 4)));
      e["observer"] = textOrNull(5);
      e["from"] = textOrNull(6);
      e["to"] = textOrNull(7);
      if (sqlite3_column_type(st.st, 8) == SQLITE_NULL) {
        e["detail"] = json::object();
      } else {
        Result<json> d = parseJsonText(columnText(st.st, 8),
                                       path + " (event " + e["seq"].dump() + " detail)");
        if (!d) return d.error();
        e["detail"] = std::move(*d);
      }
      j.events.push_back(std::move(e));
    }
    if (step != SQLITE_DONE) return Error{path + ": " + errmsg(db.db)};
  }
  return j;
}

// [SECTION] Replaying

Result<Config> journalConfig(const JournalData& j) {
  Result<Config> c = parseConfig(j.config, j.baseDir);
  if (!c) return Error{"journal config: " + c.message()};
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
    s->execute(cmd.step);
  }
  return s;
}

}  // namespace si
