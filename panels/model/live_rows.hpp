// The Live panel's rows (SPEC 11): one per connection the session heard from, joining what the
// driver knows (app, library, registry, counts, divergences) with what the server knows (errors
// it answered, whether the socket is open, when the last message arrived). ImGui-free.
//
// Usage:
//   std::vector<LiveRow> rows = buildLiveRows(live::driverOf(session), listener.server(),
//                                             listener.base(), std::chrono::steady_clock::now());
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver.hpp"
#include "server.hpp"

namespace si::gui {

enum class LiveState : uint8_t { Connected, Disconnected, Trace };
constexpr const char* kLiveStateNames[] = {"connected", "disconnected", "from a trace"};

struct LiveRow {
  uint64_t connection = 0;
  std::string app, library, libraryVersion, registry;
  RegistryIndex registryIndex = 0;
  uint64_t messages = 0;
  uint64_t errors = 0;       // messages the server answered with an error frame + steps the model refused
  uint64_t skew = 0, dropped = 0, divergences = 0;
  Ms lastT = 0;              // session time of the latest message
  std::optional<double> secondsSinceLast;  // real time since the server last heard from it
  LiveState state = LiveState::Trace;
};

// Connections in the order they said hello. `base`: the session connection number of the
// server's connection 0 (LiveListener::base()); server may be null (a trace).
std::vector<LiveRow> buildLiveRows(const live::Driver* driver, const live::Server* server, uint64_t base,
                                   std::chrono::steady_clock::time_point now);

// "3 connected, 1 disconnected · 1,204 messages · 2 divergences"
std::string liveSummary(const std::vector<LiveRow>& rows);

// The five lines a user pastes into their app (README "Inspect a running app").
std::string bridgeSnippet(const std::string& library, const std::string& url);

}  // namespace si::gui
