// The `listen` transport (SPEC 11): a WebSocket server on 127.0.0.1 that bridges connect to,
// single-threaded and polled. It owns no thread: the window's frame loop or a CLI loop calls
// poll(), which runs the handlers that are ready (Boost.Asio io_context::poll_one) and returns
// what happened, messages already decoded. Boost stays inside server.cpp and session.cpp.
//
// Usage:
//   auto server = si::live::Server::start({});                 // port 7071, a random token
//   std::cout << (*server)->url() << "\n";                     // ws://127.0.0.1:7071/bridge?token=...
//   while (running) for (ServerEvent& e : (*server)->poll()) handle(e);
//   (*server)->stop();
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol.hpp"

namespace si::live {

struct ServerOptions {
  uint16_t port = 7071;                     // 0: any free port (tests)
  std::string token;                        // "" = randomToken()
  std::vector<std::string> allowOrigins;    // added to defaultAllowedOrigins()
  std::chrono::milliseconds handshakeTimeout{10000};  // HTTP request + WebSocket upgrade
  size_t maxConnections = 1024;             // more are closed at once (counted)
  size_t maxQueuedFrames = 64;              // error frames waiting for a slow reader; more are dropped
};

struct ServerEvent {
  enum class Kind : uint8_t { Connected, Message, Invalid, Disconnected };
  Kind kind = Kind::Connected;
  uint64_t connection = 0;         // 1, 2, ... in order of acceptance
  std::optional<Message> message;  // Kind::Message
  std::string text;                // Invalid: the error sent back; Disconnected: why
};

struct ConnectionStats {
  uint64_t messages = 0;  // valid messages
  uint64_t errors = 0;    // invalid, oversize or binary messages (each got an error frame)
  uint64_t framesDropped = 0;  // error frames not sent because the client did not read
  std::optional<std::chrono::steady_clock::time_point> lastMessage;
  std::string origin;     // "" for a non-browser client
  bool open = true;
};

struct ServerCounters {
  uint64_t accepted = 0;      // WebSocket connections established
  uint64_t refused401 = 0;    // missing or wrong token
  uint64_t refused403 = 0;    // Origin not allowed
  uint64_t refusedOther = 0;  // wrong path, not an upgrade, bad HTTP, too many connections
};

class Server {
 public:
  // Binds 127.0.0.1:port and listens; "listen: cannot bind 127.0.0.1:7071: Address already
  // in use" when it cannot.
  static Result<std::unique_ptr<Server>> start(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  const std::string& token() const;
  std::string url() const;  // ws://127.0.0.1:<port>/bridge?token=<token>

  // Runs at most `maxHandlers` ready handlers without blocking; returns the events since the
  // last call, in order. Safe to call after stop() (returns nothing new).
  std::vector<ServerEvent> poll(size_t maxHandlers = 100000);
  // The same, but first blocks up to `max` until a handler is ready (a command-line loop that
  // has nothing else to do; the window polls).
  std::vector<ServerEvent> wait(std::chrono::milliseconds max, size_t maxHandlers = 100000);
  // Stops accepting, closes every connection (a WebSocket close "going away", then the
  // socket, within `grace`) and runs the handlers left. Idempotent; the destructor calls it.
  // Disconnected events of the connections it closed are returned by the next poll().
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(500));

  size_t openConnections() const;
  const ServerCounters& counters() const;
  // Stats of a connection, open or closed (nullptr for an id never accepted).
  const ConnectionStats* stats(uint64_t connection) const;
  const std::map<uint64_t, ConnectionStats>& allStats() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace si::live
