// Vocabulary of the registry (SPEC 2): time spans, states, policies, layers.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace si {

using Ms = int64_t;  // virtual milliseconds
constexpr Ms kMaxMs = std::numeric_limits<Ms>::max();

// A time-span option (gcTime, loadMs): a non-negative count of ms, or Infinity.
struct Span {
  Ms ms = 0;
  bool infinite = false;
  static Span finite(Ms v) { return Span{v, false}; }
  static Span infinity() { return Span{0, true}; }
  friend bool operator==(const Span& a, const Span& b) {
    return a.infinite == b.infinite && (a.infinite || a.ms == b.ms);
  }
  friend bool operator<(const Span& a, const Span& b) {
    if (a.infinite) return false;
    return b.infinite || a.ms < b.ms;
  }
};
std::string toString(Span s);  // "5000" or "Infinity"

enum class State : uint8_t { Absent, Loading, Active, Inactive, Failed, Disposed };
constexpr int kStateCount = 6;
std::string_view toString(State s);  // "LOADING", ...

enum class ObserverStatus : uint8_t { Suspended, Ready, Errored, Orphaned, Detached };
std::string_view toString(ObserverStatus s);  // "suspended", ...

enum class Policy : uint8_t { Longest, First, Last, Shortest };
constexpr Policy kAllPolicies[] = {Policy::Longest, Policy::First, Policy::Last, Policy::Shortest};
std::string_view toString(Policy p);
bool parsePolicy(std::string_view s, Policy* out);

enum class Environment : uint8_t { Browser, Ssr };
std::string_view toString(Environment e);
bool parseEnvironment(std::string_view s, Environment* out);
bool parseState(std::string_view s, State* out);
bool parseObserverStatus(std::string_view s, ObserverStatus* out);
Span environmentDefaultGcTime(Environment e);
// Every name in enum order, for "expected one of ..." and "did you mean ...?" in messages.
const std::vector<std::string_view>& policyNames();       // longest, first, last, shortest
const std::vector<std::string_view>& environmentNames();  // browser, ssr  // browser 60000, ssr Infinity

// Where an effective option came from, lowest priority first.
enum class Layer : uint8_t { Environment, Registry, Template, CallSite };
std::string_view toString(Layer l);  // "environment", "registry", "template", "call-site"

enum class RequestKind : uint8_t { Attach, Preload };
std::string_view toString(RequestKind k);

// shutdown: closed by shutdownRegistry (SPEC 10); killed: its close missed the deadline.
enum class DisposeReason : uint8_t { Gc, Drop, Clear, Shutdown, Killed };
std::string_view toString(DisposeReason r);

// A named registry's life (SPEC 8, 10).
enum class RegistryState : uint8_t { Open, ShuttingDown, Closed };
std::string_view toString(RegistryState s);  // "open", "shutting_down", "closed"
bool parseRegistryState(std::string_view s, RegistryState* out);

// How shutdownRegistry closes instances (SPEC 10).
enum class ShutdownStrategy : uint8_t { Parallel, Sequential };
std::string_view toString(ShutdownStrategy s);
bool parseShutdownStrategy(std::string_view s, ShutdownStrategy* out);
enum class ShutdownLoading : uint8_t { Abort, Await };
std::string_view toString(ShutdownLoading s);
bool parseShutdownLoading(std::string_view s, ShutdownLoading* out);

// Identity choices (SPEC 9): how an instance's clientId and sessionId are shared.
enum class ClientIdMode : uint8_t { Registry, Store };
enum class SessionIdMode : uint8_t { Registry, Instance };
std::string_view toString(ClientIdMode m);   // "registry", "store"
std::string_view toString(SessionIdMode m);  // "registry", "instance"
bool parseClientIdMode(std::string_view s, ClientIdMode* out);
bool parseSessionIdMode(std::string_view s, SessionIdMode* out);

}  // namespace si
