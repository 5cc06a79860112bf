// JournalWriter::collect writes an event's detail without building its JSON tree for the
// common kinds: the text must be the one detailJson(e).dump() writes, byte for byte.
#include <gtest/gtest.h>

#include <string>

#include "driver.hpp"
#include "ingest.hpp"
#include "journal.hpp"
#include "scenario_files.hpp"

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
