// The seam between a Session and live attach (SPEC 11). A `live` command (steps.hpp: Live)
// carries one message of a connected app; the core cannot decode it (the protocol lives in
// si_live, which depends on the core), so a Session hands it to its LiveHandler. The handler
// runs what the message means through Session::executeNested (createRegistry, advanceTo, the
// rewritten step) and judges the library's facts, raising `divergence` alerts. Because the
// command log holds the messages themselves, a replay (journal, time travel, comparison)
// reproduces every divergence.
//
// The live library installs a factory once at start-up (si::live::installLiveHandler());
// a Session makes its handler from it at its first live command. Without one, a live command
// fails with an error that says so.
#pragma once
#include <memory>

#include "result.hpp"

namespace si {

class Session;
struct Live;
struct StepResult;

class LiveHandler {
 public:
  virtual ~LiveHandler() = default;
  // Executes one live command on `session` (whose handler this is).
  virtual Status apply(Session& session, const Live& command, StepResult& result) = 0;
  // A copy for a time-travel snapshot: connections, judging state, counts.
  virtual std::unique_ptr<LiveHandler> clone() const = 0;
};

using LiveHandlerFactory = std::unique_ptr<LiveHandler> (*)();
// The factory every Session uses for its first live command (nullptr: none). Not thread-safe:
// set it before sessions run.
void setLiveHandlerFactory(LiveHandlerFactory factory);
LiveHandlerFactory liveHandlerFactory();

}  // namespace si
