// The session's live handler (SPEC 11): what each message of a connected app means to the
// model. A hello makes the connection's registry; a step runs after `advanceTo` its session
// time, rewritten to the connection's names and external adapters; a fact is judged against
// the model's own creations and disposals (judge.hpp); a heartbeat moves the clock. Every
// divergence is an `alert` event with code "divergence" on the connection's registry, so
// journals, time travel and `check` see and reproduce it.
//
// Usage:
//   si::live::installLiveHandler();                          // once, in main()
//   runMessage(session, 1, std::move(message));              // decoded from text: the hot path
//   session.execute(liveCommand(1, message.source));         // {"live": {...}} as JSON
//   const Driver* d = driverOf(session);                     // connections, counts
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "judge.hpp"
#include "persistent_log.hpp"
#include "protocol.hpp"
#include "session.hpp"

namespace si::live {

constexpr std::string_view kDivergence = "divergence";

// What a connection is and has done, for the Live panel and the CLI summary.
struct Connection {
  uint64_t id = 0;
  std::string registry;          // its registry's name ("" until the hello)
  RegistryIndex index = 0;
  Hello hello;
  Ms origin = 0;                 // the session time of its hello (its t = 0)
  Ms last = 0;                   // session time of its latest message
  uint64_t messages = 0, steps = 0, facts = 0, heartbeats = 0;
  uint64_t failedSteps = 0;      // steps the model refused (each also a divergence)
  uint64_t skew = 0;             // messages whose t was behind the clock
  uint64_t dropped = 0;          // messages the bridge reported lost
  uint64_t divergences = 0;
  bool ended = false;
  Judge judge;
  // The library's live instances per storeId (facts with "instance"): (instance, created at)
  // sorted by instance, rarely more than one. A storeId keeps its entry when it has none
  // live: its next instance reuses it instead of allocating it again.
  std::unordered_map<std::string, std::vector<std::pair<std::string, Ms>>> instances;
};

// A divergence the driver raised, as its alert event says it: summaries read these, not the
// event history (a session may keep none, Session::keepNoHistory).
struct RaisedDivergence {
  Ms t = 0;
  RegistryIndex registry = 0;
  std::string storeId;  // "" when it is about no store the model has
  std::string message;
};

class Driver : public LiveHandler {
 public:
  Status apply(Session& session, const Live& command, StepResult& result) override;
  std::unique_ptr<LiveHandler> clone() const override;

  const std::map<uint64_t, Connection>& connections() const { return connections_; }
  const PersistentLog<RaisedDivergence>& divergences() const { return divergences_; }

 private:
  Status hello(Session& s, Connection& c, const Hello& h, const json& overrides, StepResult& r);
  // Runs a message's step, rewritten; one the model refuses is a divergence.
  Status step(Session& s, Connection& c, json&& step, StepResult& r);
  // A step the quick reader read: run without JSON, as `step` would run its JSON.
  void quickStep(Session& s, Connection& c, QuickStep&& q, StepResult& r);
  void failed(Session& s, Connection& c, const json& step, const std::string& why);
  void fact(Session& s, Connection& c, const Observed& o);
  // Session time of a message at connection time t: advances the clock there (or counts skew).
  Ms reach(Session& s, Connection& c, int64_t t, StepResult& r);
  // Feeds the model's creations and disposals since the last look to their connections' judges.
  void watchModel(const Session& s);
  void settle(Session& s, Connection& c, bool final);
  void diverge(Session& s, Connection& c, const std::string& storeId, const std::string& text);

  std::map<uint64_t, Connection> connections_;
  std::map<RegistryIndex, uint64_t> owners_;  // a connection's registry -> the connection
  uint64_t seenEvents_ = 0;                   // Registry::eventCount() already watched
  PersistentLog<RaisedDivergence> divergences_;  // in the order raised; a snapshot shares it
  std::string key_;  // a quick attach's request key, its storage reused
};

// Makes every Session decode live commands with a Driver (setLiveHandlerFactory).
void installLiveHandler();
// {"live": {"connection": n, "message": message}} (+ "overrides" when not empty).
json liveCommand(uint64_t connection, const json& message, const json& overrides = json::object());
json liveCommand(uint64_t connection, json&& message, const json& overrides = json::object());  // no copy
// Runs a message decoded from text (decodeMessage) as the live command of `connection`
// (Session::runLive: the log keeps its text, the driver its body); `overrides` go with a hello.
const StepResult& runMessage(Session& s, uint64_t connection, Message&& m, const json& overrides = json::object());
// {"live": {"connection": n, "end": true}}.
json liveEnd(uint64_t connection);
// The session's driver, or nullptr when it has run no live command.
const Driver* driverOf(const Session& s);
// Whether a connection said hello and has not ended: only then is its end a command to record
// (a socket that closed before its hello, or a trace file without one, has nothing to end).
bool awaitsEnd(const Session& s, uint64_t connection);
// The connections that await their end, in order (a listener stopping ends each).
std::vector<uint64_t> unendedConnections(const Session& s);

}  // namespace si::live
