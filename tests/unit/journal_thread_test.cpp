// JournalThread: a journal written by its own thread holds exactly what JournalWriter::append
// writes on the session's thread, and a write that fails stops it and is reported.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include "cli_outcome.hpp"
#include "driver.hpp"
#include "journal.hpp"
#include "journal_thread.hpp"
#include "scenario_files.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;

namespace {

using si::test::scenarioFiles;

std::string tmpPath(const std::string& name) { return (si::test::testDir("journal-thread") / name).string(); }

// Every row of both tables, as text.
std::string rowsOf(const std::string& path) {
  return si::test::queryText(path, "SELECT seq || ' ' || t_ms || ' ' || command FROM commands ORDER BY seq") + "\n" +
         si::test::queryText(path,
                             "SELECT seq || ' ' || t_ms || ' ' || kind || ' ' || ifnull(store_id, '-') || ' ' ||"
                             " ifnull(generation, '-') || ' ' || ifnull(observer, '-') || ' ' ||"
                             " ifnull(state_from, '-') || ' ' || ifnull(state_to, '-') || ' ' || detail || ' ' ||"
                             " registry FROM events ORDER BY seq");
}

// Runs a scenario journaled both ways, appending after every step (`every` steps for the thread).
void journalBothWays(const std::string& scenario, const std::string& syncPath, const std::string& threadPath,
                     size_t every) {
  auto sc = si::loadScenarioFile(scenario, {});
  ASSERT_TRUE(sc.ok()) << (sc ? "" : sc.message());
  si::Session a(sc->config), b(sc->config);
  auto sync = si::JournalWriter::create(syncPath, a);
  auto w = si::JournalWriter::create(threadPath, b);
  ASSERT_TRUE(sync.ok() && w.ok());
  si::JournalThread thread(std::move(*w));
  for (size_t i = 0; i < sc->steps.size(); ++i) {
    a.execute(sc->steps[i]);
    b.execute(sc->steps[i]);
    ASSERT_TRUE((*sync)->append(a).ok());
    if ((i + 1) % every == 0) {
      ASSERT_TRUE(thread.append(b).ok());
    }
  }
  ASSERT_TRUE(thread.append(b).ok());
  ASSERT_TRUE(thread.finish().ok());
}

}  // namespace

TEST(JournalThread, WritesTheSameRowsAsTheWriterOnTheSessionsThread) {
  for (const std::string& scenario : scenarioFiles()) {
    SCOPED_TRACE(scenario);
    const std::string stem = fs::path(scenario).stem().string();
    const std::string sync = tmpPath(stem + "-sync.sqlite"), threaded = tmpPath(stem + "-thread.sqlite");
    journalBothWays(scenario, sync, threaded, 3);
    const std::string rows = rowsOf(sync);
    EXPECT_NE(rows.find("instance_created"), std::string::npos);  // something was written
    EXPECT_EQ(rowsOf(threaded), rows);
  }
}

TEST(JournalThread, LiveMessagesKeptAsTextReplayFromTheJournal) {
  si::live::installLiveHandler();
  const std::string path = tmpPath("live.sqlite");
  si::Session s(si::Config{});
  auto w = si::JournalWriter::create(path, s);
  ASSERT_TRUE(w.ok());
  {
    si::JournalThread thread(std::move(*w));
    for (const char* text :
         {R"({"v":1,"hello":{"app":"web","library":"custom"}})",
          R"({"v":1,"t":10,"step":{"attach":{"observer":"o1","storeId":"a","gcTime":100}}})",
          R"({"v":1,"t":20,"step":{"detach":"o1"}})", R"({"v":1,"t":500})"}) {
      auto m = si::live::decodeMessage(text);
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(si::live::runMessage(s, 1, std::move(*m)).error, "");
      ASSERT_TRUE(thread.append(s).ok());
    }
  }  // the destructor finishes the queue
  EXPECT_EQ(si::test::queryText(path, "SELECT command FROM commands WHERE seq = 3"),
            R"({"live":{"connection":1,"message":{"v":1,"t":20,"step":{"detach":"o1"}}}})");
  const si::test::Outcome check = si::test::cli({"check", path});
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("replay matches"), std::string::npos) << check.out;
  EXPECT_NE(s.registry().events().size(), 0u);
}

TEST(JournalThread, AFailedWriteIsReportedAndNothingMoreIsWritten) {
  const std::string path = tmpPath("busy.sqlite");
  si::Session s(si::Config{});
  auto w = si::JournalWriter::create(path, s);
  ASSERT_TRUE(w.ok());
  si::JournalThread thread(std::move(*w));
  s.execute(si::json{{"advance", 1}});
  ASSERT_TRUE(thread.append(s).ok());
  ASSERT_TRUE(thread.finish().ok());
  // Another connection holds the write lock: the thread's next transaction cannot begin.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  s.execute(si::json{{"advance", 2}});
  (void)thread.append(s);
  const si::Status st = thread.finish();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  s.execute(si::json{{"advance", 3}});
  EXPECT_FALSE(thread.append(s).ok());  // it stays failed
  EXPECT_EQ(si::test::queryText(path, "SELECT count(*) FROM commands"), "1");
}
