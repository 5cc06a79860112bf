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

enum class DisposeReason : uint8_t { Gc, Drop, Clear };
std::string_view toString(DisposeReason r);

}  // namespace si
