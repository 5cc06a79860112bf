// The window's side of live attach (SPEC 11) without a window: a trace opened as a document
// becomes live commands of the log; File > Listen for apps feeds what a real WebSocket client
// sends into the log, moves the clock with the app, ends the connection when it leaves, keeps
// recording at now while the user looks at the past, and ignores apps of a previous file.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <thread>

#include "driver.hpp"
#include "live_rows.hpp"
#include "test_dir.hpp"
#include "workbench.hpp"
#include "ws_test_client.hpp"

namespace si::gui {
namespace {

using namespace std::chrono_literals;
const std::string kHello = R"({"v":1,"hello":{"app":"shop","library":"custom","defaultOptions":{"gcTime":100}}})";

std::string writeTrace(const std::string& name, const std::string& text) {
  const std::string path = (test::testDir("workbench-live") / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

size_t countLive(const Workbench& wb) {
  size_t n = 0;
  for (const Origin& o : wb.origins()) n += o.kind == SourceKind::Live;
  return n;
}

TEST(WorkbenchTrace, OpeningATraceReplaysItsMessagesAsLiveCommands) {
  const std::string path = writeTrace("shop.ndjson", kHello + "\n" +
      R"({"v":1,"t":0,"step":{"attach":{"observer":"o1","storeId":"cart"}}})" "\n"
      R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"cart"}})" "\n"
      R"({"v":1,"t":10,"step":{"loaded":"cart"}})" "\n"
      R"({"v":1,"t":20,"step":{"detach":"o1"}})" "\n"
      "not json\n"
      R"({"v":1,"t":500,"observed":{"kind":"disposed","storeId":"cart"}})" "\n");
  Workbench wb;
  ASSERT_TRUE(wb.open(path));
  EXPECT_EQ(wb.document().kind, DocumentKind::Trace);
  EXPECT_TRUE(wb.document().watched.empty());
  const Session& s = wb.liveSession();
  EXPECT_EQ(s.commands().size(), wb.origins().size());
  EXPECT_GE(countLive(wb), 7u);  // 6 messages and the end
  const live::Driver* d = live::driverOf(s);
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->connections().size(), 1u);
  EXPECT_EQ(d->connections().begin()->second.registry, "shop");
  // The model disposed cart at 120 (gcTime 100 after the detach at 20); the library at 500.
  EXPECT_EQ(d->divergences().size(), 2u);
  ASSERT_EQ(wb.fileErrors().size(), 1u);
  EXPECT_EQ(wb.fileErrors()[0].rfind(path + ":6: ", 0), 0u) << wb.fileErrors()[0];
  const std::vector<LiveRow> rows = buildLiveRows(d, nullptr, 0, std::chrono::steady_clock::now());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].app, "shop");
  EXPECT_EQ(rows[0].divergences, 2u);
  EXPECT_EQ(rows[0].state, LiveState::Trace);
  EXPECT_EQ(liveSummary(rows), "1 app (0 connected) · 6 messages · 2 divergences");
}

class WorkbenchListen : public ::testing::Test {
 protected:
  void SetUp() override {
    live::ServerOptions o;
    o.port = 0;
    ASSERT_TRUE(wb.startListening(o)) << (wb.fileErrors().empty() ? "" : wb.fileErrors().back());
    target = "/bridge?token=" + wb.listener().server()->token();
  }
  // The server runs on this thread (the frame loop's), so a client blocks on a thread of its own
  // while the workbench ticks here until `client` returned and `done` holds (at most 5 s).
  bool run(const std::function<void()>& client, const std::function<bool()>& done = [] { return true; }) {
    std::atomic<bool> returned{false};
    std::thread t([&] {
      client();
      returned = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!(returned && done()) && std::chrono::steady_clock::now() < deadline) {
      wb.tick(0.001);
      std::this_thread::sleep_for(200us);
    }
    if (!returned) wb.stopListening();  // cut a stuck client loose
    t.join();
    return returned && done();
  }
  std::unique_ptr<live::wstest::Client> connect() {
    auto c = std::make_unique<live::wstest::Client>(ioc);
    const uint16_t port = wb.listener().server()->port();
    bool ok = false;
    run([&] { ok = c->open(port, target); });
    EXPECT_TRUE(ok);
    return c;
  }
  const live::Connection* connection(uint64_t id) const {
    const live::Driver* d = live::driverOf(wb.liveSession());
    if (d == nullptr || d->connections().count(id) == 0) return nullptr;
    return &d->connections().at(id);
  }
  uint64_t messages(uint64_t id) const { return connection(id) ? connection(id)->messages : 0; }

  Workbench wb;
  std::string target;
  live::wstest::net::io_context ioc;
};

TEST_F(WorkbenchListen, AnAppsMessagesBecomeLiveCommandsAndMoveTheClock) {
  auto c = connect();
  ASSERT_TRUE(run([&] {
    c->send(kHello);
    c->send(R"({"v":1,"t":0,"step":{"attach":{"observer":"o1","storeId":"cart"}}})");
    c->send(R"({"v":1,"t":250})");
  }, [&] { return messages(1) == 3; }));
  EXPECT_TRUE(wb.followingApps());
  EXPECT_EQ(wb.liveSession().registry().now(), 250);  // the heartbeat moved the clock, not Play
  wb.setPlaying(true);
  wb.tick(1.0);  // a second of real time: Play does not run while an app is connected
  EXPECT_EQ(wb.liveSession().registry().now(), 250);
  EXPECT_FALSE(wb.playing());
  EXPECT_EQ(countLive(wb), wb.origins().size());
  ASSERT_TRUE(run([&] { c->ws.close(live::wstest::websocket::close_code::normal); },
                  [&] { return connection(1)->ended; }));
  EXPECT_FALSE(wb.followingApps());
  wb.stopListening();
  EXPECT_FALSE(wb.listener().listening());
}

TEST_F(WorkbenchListen, MessagesArrivingWhileViewingThePastAreRecordedAtNow) {
  auto c = connect();
  ASSERT_TRUE(run([&] {
    c->send(kHello);
    c->send(R"({"v":1,"t":100,"step":{"attach":{"observer":"o1","storeId":"cart"}}})");
  }, [&] { return messages(1) == 2; }));
  wb.setTimeCursor(50);
  ASSERT_TRUE(wb.viewingPast());
  ASSERT_TRUE(run([&] { c->send(R"({"v":1,"t":300,"step":{"detach":"o1"}})"); }, [&] { return messages(1) == 3; }));
  EXPECT_FALSE(wb.pendingBranchStep().has_value());  // nothing waits for a branch
  EXPECT_EQ(wb.timeCursor(), std::optional<Ms>(50));
  EXPECT_EQ(wb.liveSession().registry().now(), 300);
  EXPECT_EQ(wb.session().registry().now(), 50);  // the view is still the past
}

TEST_F(WorkbenchListen, OpeningAFileLeavesTheAppsOfThePreviousSessionOut) {
  auto c = connect();
  ASSERT_TRUE(run([&] { c->send(kHello); }, [&] { return connection(1) != nullptr; }));
  ASSERT_TRUE(wb.openBundled());
  ASSERT_TRUE(run([&] { c->send(R"({"v":1,"t":10})"); }, [&] { return wb.listener().ignoredMessages() == 1; }));
  EXPECT_EQ(live::driverOf(wb.liveSession()), nullptr);  // no error, no command: nothing fed
  EXPECT_TRUE(wb.fileErrors().empty());
  auto d = connect();  // a new app talks to the new session
  ASSERT_TRUE(run([&] { d->send(kHello); }, [&] { return connection(2) != nullptr; }));
  EXPECT_EQ(connection(2)->registry, "shop");
}

}  // namespace
}  // namespace si::gui
