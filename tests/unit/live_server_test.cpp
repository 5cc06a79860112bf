// The listen server (SPEC 11) against hostile clients written with Beast: wrong token, wrong
// Origin, garbage and oversize frames, 200 connections, a client that leaves mid-message, a
// slow client. The server runs polled on this thread; clients block on threads of their own.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "access.hpp"
#include "server.hpp"
#include "ws_test_client.hpp"

namespace si::live {
namespace {

using namespace wstest;  // Client, beast, http, websocket, net, tcp
using namespace std::chrono_literals;

const char* kHello = R"({"v":1,"hello":{"app":"web","library":"custom"}})";

// The status the server answers a WebSocket upgrade request with (read as plain HTTP, so a
// refusal's status is seen whatever the WebSocket client makes of it).
unsigned upgradeStatus(uint16_t port, const std::string& target, const std::string& origin = "") {
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(net::ip::address_v4::loopback(), port));
  http::request<http::empty_body> req(http::verb::get, target, 11);
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "Upgrade");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  req.set(http::field::sec_websocket_version, "13");
  if (!origin.empty()) req.set(http::field::origin, origin);
  http::write(s, req);
  beast::flat_buffer b;
  http::response_parser<http::empty_body> res;
  res.skip(true);  // a 101 has no body to wait for
  http::read_header(s, b, res);
  return res.get().result_int();
}

class LiveServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.allowOrigins = {"https://app.example"};
    Result<std::unique_ptr<Server>> s = Server::start(options);
    ASSERT_TRUE(s.ok()) << s.message();
    server = std::move(*s);
  }

  std::string target() const { return "/bridge?token=" + server->token(); }

  void pollOnce() {
    for (ServerEvent& e : server->poll()) events.push_back(std::move(e));
  }

  // Runs `client` on a thread while polling the server here; a stuck client is cut loose by
  // stopping the server after 20 s (and fails the test).
  void withClient(const std::function<void()>& client) {
    std::atomic<bool> done{false};
    std::thread t([&] {
      client();
      done = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done) {
      pollOnce();
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "client did not finish";
        server->stop(0ms);
        break;
      }
      std::this_thread::sleep_for(100us);
    }
    t.join();
  }

  // Polls until `done` holds (at most 5 s).
  bool pollUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      pollOnce();
      std::this_thread::sleep_for(100us);
    }
    return done();
  }

  size_t count(ServerEvent::Kind k) const {
    size_t n = 0;
    for (const ServerEvent& e : events) n += e.kind == k;
    return n;
  }

  std::unique_ptr<Server> server;
  std::vector<ServerEvent> events;
};

TEST_F(LiveServer, UrlHasTheLoopbackPortAndARandomToken) {
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->token().size(), 32u);
  EXPECT_EQ(server->token().find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(server->url(), "ws://127.0.0.1:" + std::to_string(server->port()) + "/bridge?token=" + server->token());
  EXPECT_NE(randomToken(), randomToken());
  ServerOptions same;
  same.port = server->port();
  Result<std::unique_ptr<Server>> second = Server::start(same);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.message().rfind("listen: cannot bind 127.0.0.1:" + std::to_string(server->port()) + ": ", 0), 0u);
}

TEST_F(LiveServer, MessagesArriveDecodedAndCounted) {
  withClient([&] {
    net::io_context ioc;
    Client c(ioc);
    ASSERT_TRUE(c.open(server->port(), target()));
    c.send(kHello);
    c.send(R"({"v":1,"t":4,"step":{"detach":"o1"}})");
    c.ws.close(websocket::close_code::normal);
  });
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Disconnected) == 1; }));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kind, ServerEvent::Kind::Connected);
  EXPECT_TRUE(std::holds_alternative<Hello>(events[1].message->body));
  EXPECT_EQ(std::get<Step>(events[2].message->body).stepJson()["detach"], "o1");
  EXPECT_EQ(events[3].text, "closed by the client");
  const ConnectionStats* st = server->stats(events[0].connection);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->messages, 2u);
  EXPECT_EQ(st->errors, 0u);
  EXPECT_TRUE(st->lastMessage.has_value());
  EXPECT_FALSE(st->open);
  EXPECT_EQ(server->counters().accepted, 1u);
}

TEST_F(LiveServer, WrongOrMissingTokenIs401) {
  withClient([&] {
    net::io_context ioc;
    Client wrong(ioc);
    EXPECT_FALSE(wrong.open(server->port(), "/bridge?token=" + std::string(32, '0')));
    EXPECT_EQ(upgradeStatus(server->port(), "/bridge?token=" + std::string(32, '0')), 401u);
    EXPECT_EQ(upgradeStatus(server->port(), "/bridge"), 401u);
    EXPECT_EQ(upgradeStatus(server->port(), "/other?token=" + server->token()), 404u);
    EXPECT_EQ(upgradeStatus(server->port(), target()), 101u);
  });
  EXPECT_EQ(server->counters().refused401, 3u);
  EXPECT_EQ(server->counters().refusedOther, 1u);  // the 404
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Connected) == 1; }));  // the 101 only
}

TEST_F(LiveServer, OriginsOutsideTheAllowListAre403) {
  withClient([&] {
    net::io_context ioc;
    Client evil(ioc), local(ioc), listed(ioc);
    EXPECT_FALSE(evil.open(server->port(), target(), "http://evil.example"));
    EXPECT_EQ(upgradeStatus(server->port(), target(), "http://evil.example"), 403u);
    EXPECT_TRUE(local.open(server->port(), target(), "http://localhost:5173"));
    EXPECT_TRUE(listed.open(server->port(), target(), "https://app.example"));
  });
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Connected) == 2; }));
  EXPECT_EQ(server->counters().refused403, 2u);
  EXPECT_EQ(server->stats(events[0].connection)->origin.substr(0, 16), "http://localhost");
}

TEST_F(LiveServer, PlainHttpWithTheTokenIs426) {
  unsigned status = 0;
  withClient([&] {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::address_v4::loopback(), server->port()));
    http::request<http::empty_body> req(http::verb::get, target(), 11);
    req.set(http::field::host, "127.0.0.1");
    http::write(s, req);
    beast::flat_buffer b;
    http::response<http::string_body> res;
    http::read(s, b, res);
    status = res.result_int();
  });
  EXPECT_EQ(status, 426u);
  EXPECT_EQ(server->counters().refusedOther, 1u);
}

TEST_F(LiveServer, GarbageAndOversizeFramesGetErrorFramesAndTheConnectionStays) {
  std::vector<std::string> replies;
  withClient([&] {
    net::io_context ioc;
    Client c(ioc);
    ASSERT_TRUE(c.open(server->port(), target()));
    c.send("not json");
    replies.push_back(c.receive());
    c.send(R"({"v":2,"t":1})");
    replies.push_back(c.receive());
    c.send("{\"v\":1,\"t\":1}", true);
    replies.push_back(c.receive());
    c.send(std::string(2 * kMaxMessageBytes, ' '));
    replies.push_back(c.receive());
    c.send(R"({"v":1,"t":5})");  // still served
    c.ws.close(websocket::close_code::normal);
  });
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Disconnected) == 1; }));
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(json::parse(replies[0])["error"].get<std::string>().rfind("line 1, column 2: invalid JSON", 0), 0u);
  EXPECT_EQ(json::parse(replies[1])["v"], 1);
  EXPECT_EQ(json::parse(replies[1])["error"].get<std::string>().rfind("/v: expected 1", 0), 0u);
  EXPECT_EQ(json::parse(replies[2])["error"], "expected a text frame (one JSON message), got a binary frame");
  EXPECT_EQ(json::parse(replies[3])["error"], "message of 2097152 bytes is over the limit of 1048576 bytes (1 MiB)");
  EXPECT_EQ(count(ServerEvent::Kind::Invalid), 4u);
  EXPECT_EQ(count(ServerEvent::Kind::Message), 1u);
  const ConnectionStats* st = server->stats(events[0].connection);
  EXPECT_EQ(st->errors, 4u);
  EXPECT_EQ(st->messages, 1u);
}

TEST_F(LiveServer, TwoHundredConnectionsAtOnce) {
  constexpr size_t kClients = 200;
  withClient([&] {
    net::io_context ioc;
    std::vector<std::unique_ptr<Client>> clients;
    for (size_t i = 0; i < kClients; ++i) {
      clients.push_back(std::make_unique<Client>(ioc));
      ASSERT_TRUE(clients.back()->open(server->port(), target())) << i;
    }
    for (auto& c : clients) c->send(kHello);
    for (auto& c : clients) c->send(R"({"v":1,"t":1})");
  });
  // All 200 were open at once: each upgrade was answered while the earlier ones stayed open.
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Message) == 2 * kClients; }));
  EXPECT_EQ(count(ServerEvent::Kind::Connected), kClients);
  EXPECT_EQ(server->counters().accepted, kClients);
  // The clients' sockets closed with their thread: every connection ends.
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Disconnected) == kClients; }));
  EXPECT_EQ(server->openConnections(), 0u);
}

TEST_F(LiveServer, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  ServerOptions options;
  options.port = 0;
  options.maxConnections = 2;
  server.reset();
  Result<std::unique_ptr<Server>> s = Server::start(options);
  ASSERT_TRUE(s.ok()) << s.message();
  server = std::move(*s);
  withClient([&] {
    net::io_context ioc;
    Client a(ioc), b(ioc), c(ioc);
    EXPECT_TRUE(a.open(server->port(), target()));
    EXPECT_TRUE(b.open(server->port(), target()));
    EXPECT_FALSE(c.open(server->port(), target()));
    a.send(R"({"v":1,"t":1})");  // the two still served
    b.send(R"({"v":1,"t":1})");
  });
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Disconnected) == 2; }));
  EXPECT_EQ(count(ServerEvent::Kind::Message), 2u);
  EXPECT_EQ(server->counters().accepted, 2u);
  EXPECT_EQ(server->counters().refusedOther, 1u);
}

TEST_F(LiveServer, AClientThatLeavesMidMessageLosesOnlyThatMessage) {
  withClient([&] {
    net::io_context ioc;
    Client leaver(ioc), stayer(ioc);
    ASSERT_TRUE(leaver.open(server->port(), target()));
    ASSERT_TRUE(stayer.open(server->port(), target()));
    leaver.ws.text(true);
    leaver.ws.write_some(false, net::buffer(std::string(R"({"v":1,"t":)")));  // a first fragment
    leaver.ws.next_layer().close();
    stayer.send(R"({"v":1,"t":3})");
  });
  // Both sockets are gone once the client thread ends; only the leaver's message is lost.
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Disconnected) == 2; }));
  ASSERT_EQ(events[0].kind, ServerEvent::Kind::Connected);
  ASSERT_EQ(events[1].kind, ServerEvent::Kind::Connected);
  const ConnectionStats* leaver = server->stats(events[0].connection);
  const ConnectionStats* stayer = server->stats(events[1].connection);
  EXPECT_EQ(leaver->messages + leaver->errors, 0u);
  EXPECT_EQ(stayer->messages, 1u);
  EXPECT_EQ(count(ServerEvent::Kind::Invalid), 0u);
  EXPECT_EQ(server->openConnections(), 0u);
}

TEST_F(LiveServer, ASlowClientDoesNotHoldUpOthers) {
  // The slow client sends half a message, waits until the fast one has been served, then
  // sends the rest in small fragments.
  std::atomic<bool> release{false};
  std::thread slow([&] {
    net::io_context ioc;
    Client c(ioc);
    ASSERT_TRUE(c.open(server->port(), target()));
    c.ws.text(true);
    const std::string msg = R"({"v":1,"t":9,"step":{"detach":"slow"}})";
    c.ws.write_some(false, net::buffer(msg.substr(0, 8)));
    while (!release) std::this_thread::sleep_for(1ms);
    for (size_t i = 8; i < msg.size(); i += 8) {
      c.ws.write_some(i + 8 >= msg.size(), net::buffer(msg.substr(i, 8)));
      std::this_thread::sleep_for(5ms);
    }
    c.ws.close(websocket::close_code::normal);
  });
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Connected) == 1; }));
  withClient([&] {
    net::io_context ioc;
    Client fast(ioc);
    ASSERT_TRUE(fast.open(server->port(), target()));
    for (int i = 0; i < 20; ++i) fast.send(R"({"v":1,"t":1})");
    fast.ws.close(websocket::close_code::normal);
  });
  const bool served = pollUntil([&] { return count(ServerEvent::Kind::Message) == 20; });
  release = true;
  ASSERT_TRUE(served);
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Disconnected) == 2; }));
  slow.join();
  ASSERT_EQ(count(ServerEvent::Kind::Message), 21u);
  const ServerEvent* last = nullptr;
  for (const ServerEvent& e : events) {
    if (e.kind == ServerEvent::Kind::Message) last = &e;
  }
  EXPECT_EQ(std::get<Step>(last->message->body).stepJson()["detach"], "slow");
}

TEST_F(LiveServer, StopClosesEveryConnectionAndReportsIt) {
  std::string closeReason;
  std::atomic<bool> connected{false};
  std::thread client([&] {
    net::io_context ioc;
    Client c(ioc);
    ASSERT_TRUE(c.open(server->port(), target()));
    connected = true;
    beast::flat_buffer b;
    beast::error_code ec;
    c.ws.read(b, ec);
    closeReason = std::string(ec == websocket::error::closed ? "closed " : "other ") +
                  std::to_string(c.ws.reason().code);
  });
  ASSERT_TRUE(pollUntil([&] { return count(ServerEvent::Kind::Connected) == 1; }));
  server->stop();
  client.join();
  EXPECT_EQ(closeReason, "closed 1001");  // a close frame "going away", not a cut socket
  pollOnce();
  EXPECT_EQ(count(ServerEvent::Kind::Disconnected), 1u);
  EXPECT_EQ(server->openConnections(), 0u);
  EXPECT_TRUE(server->poll().empty());
}

// [SECTION] Admission rules without sockets

TEST(LiveAccess, OriginPatterns) {
  const auto defaults = defaultAllowedOrigins();
  EXPECT_TRUE(originAllowed("http://localhost:3000", defaults));
  EXPECT_TRUE(originAllowed("http://localhost", defaults));
  EXPECT_TRUE(originAllowed("HTTP://127.0.0.1:8080", defaults));
  EXPECT_FALSE(originAllowed("http://localhost.evil.com", defaults));
  EXPECT_FALSE(originAllowed("http://localhost:80@evil.com", defaults));
  EXPECT_FALSE(originAllowed("https://localhost:3000", defaults));
  EXPECT_FALSE(originAllowed("null", defaults));
  EXPECT_TRUE(originAllowed("https://app.example", {"https://app.example"}));
  EXPECT_FALSE(originAllowed("https://app.example:444", {"https://app.example"}));
}

TEST(LiveAccess, UpgradeStatus) {
  const Access a{"tok", defaultAllowedOrigins()};
  EXPECT_EQ(checkUpgrade("/bridge?token=tok", std::nullopt, true, a), 101u);
  EXPECT_EQ(checkUpgrade("/bridge?x=1&token=tok", "http://localhost:1", true, a), 101u);
  EXPECT_EQ(checkUpgrade("/bridge?token=to", std::nullopt, true, a), 401u);
  EXPECT_EQ(checkUpgrade("/bridge?token=tok2", std::nullopt, true, a), 401u);
  EXPECT_EQ(checkUpgrade("/bridge?tokens=tok", std::nullopt, true, a), 401u);
  EXPECT_EQ(checkUpgrade("/bridge?token=tok", "http://evil.example", true, a), 403u);
  EXPECT_EQ(checkUpgrade("/bridge?token=tok", std::nullopt, false, a), 426u);
  EXPECT_EQ(checkUpgrade("/bridgeX?token=tok", std::nullopt, true, a), 404u);
  EXPECT_EQ(checkUpgrade("/bridge?token=", std::nullopt, true, Access{"", {}}), 401u);
}

}  // namespace
}  // namespace si::live
