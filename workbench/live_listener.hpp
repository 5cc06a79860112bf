// File > Listen for apps (SPEC 11): the `listen` server inside the window. It owns the polled
// WebSocket server (no thread: the frame loop pumps it) and turns what it hears into commands for
// a sink, the Workbench, which records each as a live command of its log: a message of
// connection n becomes {"live": {"connection": n, "message": ...}}, a disconnection its end.
//
// Usage:
//   LiveListener l;
//   if (Status ok = l.start(options); !ok) show(ok.message());
//   per frame: l.pump([&](uint64_t n, live::Message* m) { wb.feedLive(n, m); }, 4096);
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server.hpp"

namespace si::gui {

class LiveListener {
 public:
  // Receives connection n's message (moved from), or null for n's disconnection.
  using Sink = std::function<void(uint64_t connection, live::Message* message)>;
  static constexpr size_t kMaxEventsPerPump = 4096;  // the rest waits for the next frame

  LiveListener();
  ~LiveListener();
  LiveListener(const LiveListener&) = delete;
  LiveListener& operator=(const LiveListener&) = delete;

  // Binds 127.0.0.1:options.port; "listen: cannot bind ..." when it cannot. A running server is
  // stopped first (its connections ended through the last pump's sink).
  Status start(const live::ServerOptions& options);
  // Stops accepting and closes every connection; the connections' ends are pumped into `sink`.
  // The stopped server's counters stay readable until the next start.
  void stop(const Sink& sink);
  bool listening() const { return server_ != nullptr && !stopped_; }
  std::string url() const;  // "" when not listening

  // Runs the server's ready handlers and feeds each event to `sink` (at most `maxEvents`;
  // messages beyond wait in the server's queue for the next call). Returns the events fed.
  size_t pump(const Sink& sink, size_t maxEvents = kMaxEventsPerPump);

  // Whether an app is connected (the clock then follows the apps, not Play).
  bool following() const { return listening() && server_->openConnections() > 0; }
  // The server (null before the first start); its connection n is the session's connection
  // base() + n, so two servers in one session never share a connection number.
  const live::Server* server() const { return server_.get(); }
  uint64_t base() const { return base_; }
  // A new session (a file opened): connections accepted before it are not fed any more (their
  // hello is not in it); their messages are counted in ignoredMessages().
  void newSession();
  uint64_t ignoredMessages() const { return ignored_; }
  uint64_t invalidMessages() const { return invalid_; }
  const std::string& lastInvalid() const { return lastInvalid_; }

 private:
  void feed(live::ServerEvent& e, const Sink& sink);

  std::unique_ptr<live::Server> server_;
  bool stopped_ = false;
  std::vector<live::ServerEvent> backlog_;  // polled but not fed yet (over maxEvents)
  size_t backlogNext_ = 0;
  uint64_t base_ = 0;          // the session connection number of this server's connection 0
  uint64_t highest_ = 0;       // the highest session connection number fed so far
  uint64_t firstFed_ = 1;      // this server's connections below it belong to an earlier session
  uint64_t ignored_ = 0;
  uint64_t invalid_ = 0;
  std::string lastInvalid_;
};

}  // namespace si::gui
