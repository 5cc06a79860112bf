// JournalWriter::collect writes an event's detail without building its JSON tree for the
// common kinds: the text must be the one detailJson(e).dump() writes, byte for byte.
#include <gtest/gtest.h>

#include <string>

#include "driver.hpp"
#include "ingest.hpp"
#include "journal.hpp"
#include "cli_outcome.hpp"
#include "scenario_files.hpp"
#include "test_dir.hpp"

namespace {

std::string treeDetail(const si::Registry& reg, const si::Event& e) {
  return reg.detailJson(e).dump(-1, ' ', false, si::json::error_handler_t::replace);
}

std::string fastDetail(const si::Registry& reg, const si::Event& e) {
  std::string out = "x";  // appended to, never replaced
  si::appendEventDetail(reg, e, out);
  return out.substr(1);
}

// Every event of the session's registry; returns how many were compared.
size_t expectSameDetails(const si::Session& s) {
  const si::Registry& reg = s.registry();
  size_t n = 0;
  for (const si::Event& e : reg.events()) {
    EXPECT_EQ(fastDetail(reg, e), treeDetail(reg, e)) << si::toString(e.kind) << " seq " << e.seq;
    ++n;
  }
  return n;
}

}  // namespace

TEST(JournalBatch, DetailTextIsTheTreesDumpForEveryExampleScenario) {
  for (const std::string& scenario : si::test::scenarioFiles()) {
    SCOPED_TRACE(scenario);
    auto sc = si::loadScenarioFile(scenario, {});
    ASSERT_TRUE(sc.ok()) << (sc ? "" : sc.message());
    si::Session s(sc->config);
    for (const si::json& step : sc->steps) s.execute(step);
    EXPECT_GT(expectSameDetails(s), 0u);
  }
}

TEST(JournalBatch, DetailTextIsTheTreesDumpForLiveMessagesWithRules) {
  si::live::installLiveHandler();
  si::Session s(si::Config{});
  auto rep = si::live::ingestTraces(s, {std::string(SI_ASSETS_DIR) + "/traces/livestore-double-boot.ndjson"}, {});
  ASSERT_TRUE(rep.ok()) << (rep ? "" : rep.message());
  // TanStack: a GC timer that fires during a fetch is deferred, and the fetch's end re-arms it.
  for (const char* text :
       {R"({"v":1,"hello":{"app":"web","library":"tanstack-query","libraryVersion":"5"}})",
        R"({"v":1,"t":0,"step":{"attach":{"observer":"o1","storeId":"a","gcTime":100,"adapter":{"type":"external"}}}})",
        R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"a","instance":"i1"}})",
        R"({"v":1,"t":10,"step":{"detach":"o1"}})", R"({"v":1,"t":200,"step":{"loaded":"a"}})",
        R"({"v":1,"t":400})"}) {
    auto m = si::live::decodeMessage(text);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(si::live::runMessage(s, 2, std::move(*m)).error, "");
  }
  bool sawRule = false;
  for (const si::Event& e : s.registry().events()) sawRule = sawRule || !e.rule.empty();
  EXPECT_TRUE(sawRule);  // the profile's rules are written too
  EXPECT_GT(expectSameDetails(s), 0u);
}

TEST(JournalBatch, DetailTextEscapesAndReplacesAsTheTreeDoes) {
  si::Session s(si::Config{});
  const si::Registry& reg = s.registry();
  si::Event e;
  e.kind = si::EventKind::InstanceCreated;
  e.gcTime = si::Span::infinity();
  for (const char* id : {"plain", "", "quote\"back\\slash", "tab\there", "caf\xc3\xa9", "bad\xff\xfe", "\x01"}) {
    e.clientId = id;
    e.sessionId = std::string(id) + "/2";
    e.rule = id;
    EXPECT_EQ(fastDetail(reg, e), treeDetail(reg, e)) << id;
  }
  e = si::Event{};
  e.kind = si::EventKind::ObserverAttached;
  EXPECT_EQ(fastDetail(reg, e), "{}");
  e.rule = "tanstack-query-5/load-end-rearms";
  EXPECT_EQ(fastDetail(reg, e), treeDetail(reg, e));
  e.kind = si::EventKind::GcScheduled;
  e.gcTime = si::Span::finite(300000);
  e.due = 1234567;
  EXPECT_EQ(fastDetail(reg, e), R"({"gcTime":300000,"due":1234567,"rule":"tanstack-query-5/load-end-rearms"})");
  EXPECT_EQ(fastDetail(reg, e), treeDetail(reg, e));
  for (int k = 0; k < si::kEventKindCount; ++k) {  // the other kinds go through the tree
    e.kind = static_cast<si::EventKind>(k);
    EXPECT_EQ(fastDetail(reg, e), treeDetail(reg, e)) << si::toString(e.kind);
  }
}

// Writes the run journaled two ways: appended after every step (a row or a few per
// statement) and once at the end (kRowsPerInsert rows per statement, then single ones).
// Returns the row count of the larger table.
size_t expectSameJournals(const si::Config& config, const std::vector<si::json>& steps) {
  const auto dir = si::test::freshTestDir("journal-batch");
  const std::string commandRows = "SELECT seq || ' ' || t_ms || ' ' || command FROM commands ORDER BY seq";
  const std::string eventRows =
      "SELECT seq || ' ' || t_ms || ' ' || kind || ' ' || ifnull(store_id, '-') || ' ' ||"
      " ifnull(generation, '-') || ' ' || ifnull(observer, '-') || ' ' || ifnull(state_from, '-') || ' ' ||"
      " ifnull(state_to, '-') || ' ' || detail || ' ' || registry FROM events ORDER BY seq";
  si::Session a(config), b(config);
  const std::string stepwise = (dir / "stepwise.sqlite").string(), whole = (dir / "whole.sqlite").string();
  auto wa = si::JournalWriter::create(stepwise, a);
  EXPECT_TRUE(wa.ok());
  if (!wa.ok()) return 0;
  for (const si::json& step : steps) {
    a.execute(step);
    EXPECT_TRUE((*wa)->append(a).ok());
  }
  for (const si::json& step : steps) b.execute(step);
  auto wb = si::JournalWriter::create(whole, b);  // everything in one batch
  EXPECT_TRUE(wb.ok());
  wa->reset();
  if (wb.ok()) wb->reset();
  for (const std::string& rows : {commandRows, eventRows}) {
    const std::string written = si::test::queryText(whole, rows);
    EXPECT_NE(written, "<error>");
    EXPECT_EQ(written, si::test::queryText(stepwise, rows));
  }
  return std::stoul(si::test::queryText(whole, "SELECT max((SELECT count(*) FROM commands), (SELECT count(*) FROM events))"));
}

TEST(JournalBatch, ManyRowsToAStatementWriteWhatOneRowToAStatementWrites) {
  for (const std::string& scenario : si::test::scenarioFiles()) {
    SCOPED_TRACE(scenario);
    auto sc = si::loadScenarioFile(scenario, {});
    ASSERT_TRUE(sc.ok()) << (sc ? "" : sc.message());
    expectSameJournals(sc->config, sc->steps);
  }
  std::vector<si::json> churn;  // hundreds of rows: many full statements and a tail
  for (int i = 0; i < 150; ++i) {
    const std::string o = "o" + std::to_string(i), id = "s" + std::to_string(i % 7);
    churn.push_back(si::json{{"attach", {{"observer", o}, {"storeId", id}, {"gcTime", 10 + i % 3}}}});
    churn.push_back(si::json{{"advance", 5}});
    churn.push_back(si::json{{"detach", o}});
  }
  churn.push_back(si::json{{"detach", "nobody"}});  // a failed step's row too
  EXPECT_GT(expectSameJournals(si::Config{}, churn), 500u);
}
