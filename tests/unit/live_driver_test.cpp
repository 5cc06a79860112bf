// Live messages through a session (SPEC 11): the judge's pairing, what a hello, a step, a
// fact and a heartbeat do to the model, divergences as alerts that a journal replays, and the
// `ingest` command's output and exit status.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "driver.hpp"
#include "journal.hpp"
#include "judge.hpp"
#include "test_dir.hpp"

namespace si::live {
namespace {

// ---- the judge ----

TEST(LiveJudge, DisposalTenMsOffIsTwoDivergencesAtToleranceZero) {
  Judge j(0);
  j.library(FactKind::Disposed, "x", 1000);
  j.model(FactKind::Disposed, "x", 1010);
  EXPECT_TRUE(j.settle(1000).empty());  // nothing is past its window yet
  std::vector<Divergence> d = j.settle(1010);  // 1000 is past; 1010 is not past 1010 + 0
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].byLibrary);
  EXPECT_EQ(d[0].t, 1000);
  EXPECT_EQ(d[0].other, 1010);
  const std::vector<Divergence> later = j.settle(1011);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_FALSE(later[0].byLibrary);
  EXPECT_EQ(later[0].t, 1010);
  EXPECT_EQ(describe(d[0]),
            "the library disposed \"x\" at 1000 ms and the model did not (the model disposed it at 1010 ms)");
}

TEST(LiveJudge, WithinTolerancePairsOneToOneEarliestFirst) {
  Judge j(10);
  j.model(FactKind::Created, "x", 100);
  j.model(FactKind::Created, "x", 105);
  j.library(FactKind::Created, "x", 108);  // pairs with 100, the earliest in reach
  const std::vector<Divergence> d = j.settle(200);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FALSE(d[0].byLibrary);
  EXPECT_EQ(d[0].t, 105);
  EXPECT_EQ(j.pending(), 0u);
}

TEST(LiveJudge, KindsAndStoresNeverPairAcross) {
  Judge j(0);
  j.model(FactKind::Created, "x", 5);
  j.library(FactKind::Disposed, "x", 5);
  j.library(FactKind::Created, "y", 5);
  EXPECT_EQ(j.settle(6).size(), 3u);
}

// Divergences come in time order; at one instant, by kind (created first) and then storeId,
// whatever order the facts came in.
TEST(LiveJudge, DivergencesAtOneInstantAreOrderedByKindThenStoreId) {
  Judge j(0);
  j.library(FactKind::Disposed, "b", 5);
  j.model(FactKind::Created, "c", 7);
  j.library(FactKind::Created, "b", 5);
  j.model(FactKind::Disposed, "a", 5);
  j.library(FactKind::Created, "a", 5);
  j.library(FactKind::Created, "z", 3);
  std::vector<std::string> order;
  for (const Divergence& d : j.settle(100))
    order.push_back(std::to_string(d.t) + " " + std::string(toString(d.kind)) + " " + d.storeId);
  EXPECT_EQ(order, (std::vector<std::string>{"3 created z", "5 created a", "5 created b", "5 disposed a",
                                             "5 disposed b", "7 created c"}));
  EXPECT_EQ(j.pending(), 0u);
  j.model(FactKind::Disposed, "b", 200);  // a store settled before can diverge again
  ASSERT_EQ(j.settle(300).size(), 1u);
}

// A driver's snapshot copies its judge: the copy settles what was pending on its own.
TEST(LiveJudge, ACopySettlesItsOwnPendingFacts) {
  auto original = std::make_unique<Judge>(0);
  original->library(FactKind::Disposed, "x", 10);
  original->model(FactKind::Created, "y", 12);
  Judge copy = *original;
  Judge assigned;
  assigned = *original;
  EXPECT_EQ(original->settle(100).size(), 2u);  // the original's settling leaves the copies alone
  original.reset();
  for (Judge* j : {&copy, &assigned}) {
    EXPECT_EQ(j->pending(), 2u);
    j->model(FactKind::Disposed, "x", 10);  // pairs with the library's 10 in this copy only
    const std::vector<Divergence> d = j->settle(100);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].storeId, "y");
    EXPECT_EQ(j->pending(), 0u);
  }
}

TEST(LiveJudge, FinalSettlesUpToTheHorizonAndForgetsLater) {
  Judge j(1000);
  j.library(FactKind::Disposed, "x", 50);
  j.model(FactKind::Disposed, "y", 80);  // after the end: not judged
  EXPECT_TRUE(j.settle(60).empty());
  const std::vector<Divergence> d = j.settle(60, true);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].storeId, "x");
  EXPECT_EQ(j.pending(), 0u);
}

// ---- the driver, through a session ----

json msg(const std::string& text) { return json::parse(text); }

struct LiveSession {
  LiveSession() { installLiveHandler(); }
  Session s{Config{}};
  StepResult send(uint64_t conn, const std::string& text, const json& overrides = json::object()) {
    return s.execute(liveCommand(conn, msg(text), overrides));
  }
  std::vector<std::string> divergences() const {
    std::vector<std::string> out;
    for (const Event& e : s.registry().events())
      if (e.kind == EventKind::Alert && e.keys.at(0) == kDivergence) out.push_back(e.text);
    return out;
  }
};

const char* kHello = R"({"v":1,"hello":{"app":"web app","library":"tanstack-query","defaultOptions":{"gcTime":1000}}})";

TEST(LiveDriver, HelloMakesANamedRegistryAndStepsRunInIt) {
  LiveSession l;
  ASSERT_TRUE(l.send(1, kHello).ok);
  ASSERT_TRUE(l.send(2, kHello).ok);
  const Driver* d = driverOf(l.s);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->connections().at(1).registry, "web_app");
  EXPECT_EQ(d->connections().at(2).registry, "web_app-2");
  const StepResult r = l.send(1, R"({"v":1,"t":40,"step":{"attach":{"observer":"o1","storeId":"q",
      "adapter":{"type":"file","directory":"/etc"}}}})");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(l.s.registry().now(), 40);
  const auto reg = l.s.registry().registryIndex("web_app");
  const StoreRecord* q = l.s.registry().find("q", *reg);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->state, State::Loading);  // external: no file was opened, it waits for `loaded`
  EXPECT_EQ(l.s.observerNames().count("web_app:o1"), 1u);
  ASSERT_EQ(r.nested.size(), 2u);  // advanceTo 40, then the rewritten attach
  EXPECT_EQ(r.nested[0], json({{"advanceTo", 40}}));
}

// Each line through the hot path (runMessage into `text`) and as a JSON command (execute into
// `asJson`, every step rewritten and parsed): the same error for each.
void runBothWays(Session& text, Session& asJson, const std::vector<std::string>& lines) {
  installLiveHandler();
  for (const std::string& line : lines) {
    Result<Message> m = decodeMessage(line);
    ASSERT_TRUE(m.ok()) << line;
    const StepResult& a = runMessage(text, 1, std::move(*m));
    const StepResult b = asJson.execute(liveCommand(1, json::parse(line)));
    EXPECT_EQ(a.error, b.error) << line;
  }
}

// The hot path (text kept, body decoded by the reader) and a command given as JSON (a journal's
// replay) give the same log, events and divergences, a failed step named as its bridge sent it.
TEST(LiveDriver, MessagesAsTextAndAsJsonCommandsRunTheSame) {
  const std::vector<std::string> lines = {
      kHello,
      R"({"v":1,"t":10,"step":{"attach":{"observer":"o1","storeId":"a","gcTime":100}}})",
      R"({"v":1, "t":10, "observed":{"kind":"created","storeId":"a","instance":"i1"}})",
      R"({"v":1,"t":20,"step":{"loaded":"a"}})",
      R"({"v":1,"t":30,"step":{"detach":"nobody"}})",
      R"({"v":1,"t":40,"step":{"detach":"o1"}})",
      R"({"v":1,"t":90,"observed":{"kind":"disposed","storeId":"a","instance":"i1"}})",
      R"({"v":1,"t":400})"};
  Session text{Config{}}, asJson{Config{}};
  runBothWays(text, asJson, lines);
  if (::testing::Test::HasFatalFailure()) return;
  ASSERT_EQ(text.commands().size(), asJson.commands().size());
  for (size_t i = 0; i < text.commands().size(); ++i) EXPECT_EQ(text.commands()[i].step(), asJson.commands()[i].step());
  EXPECT_EQ(text.commands()[2].dump(), R"({"live":{"connection":1,"message":)" + lines[2] + "}}");  // as sent
  const auto& ea = text.registry().events();
  const auto& eb = asJson.registry().events();
  ASSERT_EQ(ea.size(), eb.size());
  for (size_t i = 0; i < ea.size(); ++i) EXPECT_EQ(text.registry().eventJson(ea[i]), asJson.registry().eventJson(eb[i]));
  // The failed detach is a divergence that quotes the step as sent, not as rewritten.
  bool quoted = false;
  for (const Event& e : ea)
    quoted = quoted || (e.kind == EventKind::Alert && e.text.find(R"((step {"detach":"nobody"}))") != std::string::npos);
  EXPECT_TRUE(quoted);
  EXPECT_EQ(driverOf(text)->connections().at(1).failedSteps, 1u);
}

// The same messages through the hot path (runMessage: the common steps read straight into
// their action) and as JSON commands (execute: every step rewritten and parsed): same errors,
// log and events, for the shapes the hot path takes and for those it leaves to the other.
void expectSameRuns(const std::vector<std::string>& lines) {
  Session text{Config{}}, asJson{Config{}};
  runBothWays(text, asJson, lines);
  if (::testing::Test::HasFatalFailure()) return;
  const auto& ea = text.registry().events();
  const auto& eb = asJson.registry().events();
  ASSERT_EQ(ea.size(), eb.size());
  for (size_t i = 0; i < ea.size(); ++i) {
    EXPECT_EQ(text.registry().eventJson(ea[i]), asJson.registry().eventJson(eb[i])) << i;
    EXPECT_EQ(ea[i].text, eb[i].text) << i;
  }
  std::vector<std::string> na, nb;
  for (const auto& [name, _] : text.observerNames()) na.push_back(name);
  for (const auto& [name, _] : asJson.observerNames()) nb.push_back(name);
  EXPECT_EQ(na, nb);
  EXPECT_FALSE(na.empty());
  const Registry& ra = text.registry();
  const Registry& rb = asJson.registry();
  for (const StoreRecord& st : ra.stores()) {
    const StoreRecord* other = rb.find(st.storeId, st.registry);
    ASSERT_NE(other, nullptr) << st.storeId;
    EXPECT_EQ(st.options->toJson(), other->options->toJson()) << st.storeId;
  }
}

TEST(LiveDriver, CommonStepsReadDirectlyRunAsTheirRewrittenJson) {
  expectSameRuns({
      kHello,
      R"({"v":1,"t":1,"step":{"attach":{"observer":"o1","storeId":"a","gcTime":100,"component":"App/List","request":"req-1"}}})",
      R"({"v":1,"t":1,"step":{"attach":{"storeId":"b","adapter":{"type":"file","closeMs":5,"loadMs":9},"gcTime":50}}})",
      R"({"v":1,"t":2,"step":{"attach":{"observer":"o2","storeId":"a","registry":"other"}}})",
      R"({"v":1,"t":2,"step":{"attach":{"observer":"","storeId":"c"}}})",
      R"({"v":1,"t":2,"step":{"attach":{"observer":"bell\u0007","storeId":"c"}}})",
      R"({"v":1,"t":2,"step":{"attach":{"observer":7,"storeId":"c"}}})",
      R"({"v":1,"t":2,"step":{"attach":{"observer":"o3","storeId":""}}})",
      R"({"v":1,"t":2,"step":{"attach":{"observer":"caf\u00e9","storeId":"d","gcTime":"Infinity"}}})",
      R"({"v":1,"t":3,"step":{"attach":"a"}})",
      R"({"v":1,"t":3,"step":{"loaded":"a"}})",
      R"({"v":1,"t":3,"step":{"loaded":"nobody"}})",
      R"({"v":1,"t":3,"step":{"loaded":{"storeId":"b"}}})",
      R"({"v":1,"t":3,"step":{"loaded":7}})",
      R"({"v":1,"t":4,"step":{"detach":"o1"}})",
      R"({"v":1,"t":4,"step":{"detach":"o1"}})",
      R"({"v":1,"t":4,"step":{"detach":{"observer":"caf\u00e9"}}})",
      R"({"v":1,"t":4,"step":{"detach":""}})",
      R"({"v":1,"t":4,"step":{"detach":"tab\there"}})",
      R"({"v":1,"t":4,"step":{"detach":"o9","note":"n"}})",
      R"({"v":1,"t":5,"step":{"attach":{"observer":"o1","storeId":"a"}}})",
      R"({"v":1,"t":5,"step":{"attach":{"observer":"o4","storeId":"e","component":"App/Row"}}})",
      R"({"v":1,"t":6,"step":{"unmount":"App"}})",
      R"({"v":1,"t":500})",
  });
}

TEST(LiveDriver, AMessageDecodedFromJsonIsLoggedAsThatJson) {
  installLiveHandler();
  Session s{Config{}};
  Result<Message> m = decodeParsed(json::parse(kHello));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(runMessage(s, 3, std::move(*m)).error, "");
  EXPECT_EQ(s.commands().back().step()["live"]["message"]["hello"]["app"], "web app");
  EXPECT_EQ(driverOf(s)->connections().at(3).registry, "web_app");
}

TEST(LiveDriver, FactsPairWithTheModelAndUnpairedOnesAreDivergences) {
  LiveSession l;
  l.send(1, kHello);
  l.send(1, R"({"v":1,"t":0,"step":{"attach":{"observer":"o1","storeId":"q"}}})");
  l.send(1, R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"q"}})");
  l.send(1, R"({"v":1,"t":10,"step":{"loaded":"q"}})");
  l.send(1, R"({"v":1,"t":20,"step":{"detach":"o1"}})");  // GC due 1020
  l.send(1, R"({"v":1,"t":1010,"observed":{"kind":"disposed","storeId":"q"}})");  // 10 ms early
  l.send(1, R"({"v":1,"t":1100})");
  const std::vector<std::string> d = l.divergences();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NE(d[0].find("the library disposed \"q\" at 1010 ms"), std::string::npos) << d[0];
  EXPECT_NE(d[1].find("the model disposed \"q\" at 1020 ms"), std::string::npos) << d[1];
  EXPECT_EQ(driverOf(l.s)->divergences().size(), 2u);
}

TEST(LiveDriver, ToleranceFromTheCommandBeatsTheHello) {
  LiveSession l;
  l.send(1, kHello, json{{"toleranceMs", 50}});
  l.send(1, R"({"v":1,"t":0,"step":{"attach":{"observer":"o1","storeId":"q"}}})");
  l.send(1, R"({"v":1,"t":30,"observed":{"kind":"created","storeId":"q"}})");
  l.send(1, R"({"v":1,"t":500})");
  l.s.execute(liveEnd(1));
  EXPECT_TRUE(l.divergences().empty());
  EXPECT_TRUE(driverOf(l.s)->connections().at(1).ended);
}

TEST(LiveDriver, SkewIsCountedAndBridgeClockStepsAreRefused) {
  LiveSession l;
  l.send(1, kHello);
  l.send(1, R"({"v":1,"t":500})");
  l.send(2, kHello);  // placed at 500
  const StepResult r = l.send(1, R"({"v":1,"t":100,"step":{"advance":5}})");  // behind: skew
  EXPECT_TRUE(r.ok);  // never fatal
  EXPECT_EQ(l.s.registry().now(), 500);
  EXPECT_EQ(driverOf(l.s)->connections().at(1).skew, 1u);
  EXPECT_EQ(driverOf(l.s)->connections().at(2).origin, 500);
  ASSERT_EQ(l.divergences().size(), 1u);
  EXPECT_NE(l.divergences()[0].find("cannot move the clock"), std::string::npos);
}

TEST(LiveDriver, TwoLiveInstancesOfOneStoreAreADivergenceNamingBoth) {
  LiveSession l;
  l.send(1, R"({"v":1,"hello":{"app":"ls","library":"livestore","toleranceMs":5}})");
  l.send(1, R"({"v":1,"t":0,"step":{"attach":{"observer":"r1","storeId":"s"}}})");
  l.send(1, R"({"v":1,"t":100,"observed":{"kind":"created","storeId":"s","instance":"b1"}})");
  l.send(1, R"({"v":1,"t":100,"step":{"loaded":"s"}})");
  l.send(1, R"({"v":1,"t":200,"observed":{"kind":"created","storeId":"s","instance":"b2"}})");
  l.send(1, R"({"v":1,"t":300})");
  const std::vector<std::string> d = l.divergences();
  ASSERT_EQ(d.size(), 2u);  // both instances named, and b2 has no model counterpart
  EXPECT_NE(d[0].find("two live instances of \"s\": \"b1\" (created at 100 ms) and \"b2\" (created at 200 ms)"),
            std::string::npos) << d[0];
  EXPECT_NE(d[1].find("the library created \"s\" at 200 ms"), std::string::npos) << d[1];
}

TEST(LiveDriver, AMessageBeforeTheHelloFails) {
  LiveSession l;
  const StepResult r = l.send(3, R"({"v":1,"t":0})");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "live: connection 3 sent a message before its hello");
}

TEST(LiveDriver, AJournalReplaysEveryDivergence) {
  LiveSession l;
  const std::string path = (test::testDir("live-driver") / "j.sqlite").string();
  auto w = JournalWriter::create(path, l.s);
  ASSERT_TRUE(w.ok()) << w.message();
  l.send(1, kHello);
  l.send(1, R"({"v":1,"t":5,"observed":{"kind":"disposed","storeId":"ghost"}})");
  l.send(1, R"({"v":1,"t":50})");
  ASSERT_EQ(l.divergences().size(), 1u);
  ASSERT_TRUE((*w)->append(l.s).ok());
  Result<JournalData> j = readJournal(path);
  ASSERT_TRUE(j.ok()) << j.message();
  ASSERT_EQ(j->commands.size(), 3u);
  EXPECT_EQ(j->commands[0].step()["live"]["connection"], 1);
  Result<std::unique_ptr<Session>> again = replayJournal(*j);
  ASSERT_TRUE(again.ok()) << again.message();
  ASSERT_EQ((*again)->registry().events().size(), l.s.registry().events().size());
  for (size_t i = 0; i < j->events.size(); ++i)
    EXPECT_EQ((*again)->registry().eventJson((*again)->registry().events()[i]), j->events[i]);
}

TEST(LiveDriver, ASnapshotCarriesTheConnections) {
  LiveSession l;
  l.send(1, kHello);
  Session copy(l.s, SnapshotTag{});
  ASSERT_NE(driverOf(copy), nullptr);
  EXPECT_TRUE(copy.execute(liveCommand(1, msg(R"({"v":1,"t":9})"))).ok);
  EXPECT_EQ(copy.registry().now(), 9);
}

// ---- `ingest` ----

std::string writeTrace(const std::string& name, const std::string& text) {
  const std::string path = (test::testDir("live-ingest") / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

int ingest(const std::vector<std::string>& args, std::string* out, std::string* err) {
  std::ostringstream o, e;
  std::vector<std::string> all = {"ingest"};
  all.insert(all.end(), args.begin(), args.end());
  const int code = cli::run(all, nullptr, o, e);
  *out = o.str();
  *err = e.str();
  return code;
}

TEST(LiveIngest, ExitStatusSaysWhetherTheLibraryAndModelAgree) {
  const std::string agree = writeTrace("agree.ndjson", std::string(kHello) + "\n" +
      R"({"v":1,"t":0,"step":{"attach":{"observer":"o1","storeId":"q"}}})" "\n"
      R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"q"}})" "\n"
      R"({"v":1,"t":10,"step":{"loaded":"q"}})" "\n"
      R"({"v":1,"t":20,"step":{"detach":"o1"}})" "\n"
      R"({"v":1,"t":1020,"observed":{"kind":"disposed","storeId":"q"}})" "\n");
  std::string out, err;
  EXPECT_EQ(ingest({agree}, &out, &err), 0) << out << err;
  EXPECT_NE(out.find("6 messages from 1 connection"), std::string::npos) << out;
  EXPECT_NE(out.find("0 divergences"), std::string::npos) << out;
  EXPECT_EQ(ingest({agree, "--tolerance-ms", "0", "--format", "json"}, &out, &err), 0);
  EXPECT_EQ(json::parse(out)["connections"][0]["registry"], "web_app");

  const std::string off = writeTrace("off.ndjson", std::string(kHello) + "\n" +
      R"({"v":1,"t":3,"observed":{"kind":"disposed","storeId":"q"}})" "\n");
  EXPECT_EQ(ingest({off}, &out, &err), 1);
  EXPECT_NE(out.find("t=3 web_app: the library disposed \"q\" at 3 ms and the model did not (the model never "
                     "disposed it)"), std::string::npos) << out;
}

TEST(LiveIngest, BadLinesAreReportedWithTheirPlaceAndTheRestIsRead) {
  const std::string bad = writeTrace("bad.ndjson", std::string(kHello) + "\n{\"v\":2}\nnot json\n" +
      R"({"v":1,"t":7})" "\n");
  std::string out, err;
  EXPECT_EQ(ingest({bad}, &out, &err), 2);
  EXPECT_NE(err.find("bad.ndjson:2: "), std::string::npos) << err;
  EXPECT_NE(err.find("bad.ndjson:3: "), std::string::npos) << err;
  EXPECT_NE(out.find("2 messages from 1 connection"), std::string::npos) << out;
  EXPECT_EQ(ingest({"/nonexistent/x.ndjson"}, &out, &err), 2);
  EXPECT_EQ(ingest({}, &out, &err), 2);
}

TEST(LiveIngest, AJournalOfAnIngestChecksClean) {
  const std::string trace = writeTrace("j.ndjson", std::string(kHello) + "\n" +
      R"({"v":1,"t":3,"observed":{"kind":"disposed","storeId":"q"}})" "\n");
  const std::string journal = (test::testDir("live-ingest") / "i.sqlite").string();
  std::string out, err;
  EXPECT_EQ(ingest({trace, "--journal", journal}, &out, &err), 1) << err;
  std::ostringstream o, e;
  EXPECT_EQ(cli::run({"check", journal}, nullptr, o, e), 0) << o.str() << e.str();
}

}  // namespace
}  // namespace si::live
