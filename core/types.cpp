#include "types.hpp"

#include <array>

#include "events.hpp"

namespace si {
namespace {

template <size_t N>
bool parseName(std::string_view s, const std::array<std::string_view, N>& names, uint8_t* out) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) {
      *out = static_cast<uint8_t>(i);
      return true;
    }
  }
  return false;
}

constexpr std::array<std::string_view, kStateCount> kStateNames = {
    "ABSENT", "LOADING", "ACTIVE", "INACTIVE", "FAILED", "DISPOSED"};
constexpr std::array<std::string_view, 5> kObserverStatusNames = {
    "suspended", "ready", "errored", "orphaned", "detached"};
constexpr std::array<std::string_view, 4> kPolicyNames = {"longest", "first", "last", "shortest"};
constexpr std::array<std::string_view, 2> kEnvironmentNames = {"browser", "ssr"};
constexpr std::array<std::string_view, 4> kLayerNames = {"environment", "registry", "template",
                                                         "call-site"};
constexpr std::array<std::string_view, 2> kRequestKindNames = {"attach", "preload"};
constexpr std::array<std::string_view, 5> kReasonNames = {"gc", "drop", "clear", "shutdown", "killed"};
constexpr std::array<std::string_view, 3> kRegistryStateNames = {"open", "shutting_down", "closed"};
constexpr std::array<std::string_view, 2> kStrategyNames = {"parallel", "sequential"};
constexpr std::array<std::string_view, 2> kLoadingNames = {"abort", "await"};
constexpr std::array<std::string_view, 2> kClientIdModeNames = {"registry", "store"};
constexpr std::array<std::string_view, 2> kSessionIdModeNames = {"registry", "instance"};
constexpr std::array<std::string_view, kEventKindCount> kEventKindNames = {
    "instance_created",  "load_succeeded",    "load_failed",     "load_aborted",
    "observer_attached", "observer_detached", "observer_orphaned", "gc_scheduled",
    "gc_cancelled",      "gc_restarted",      "gc_time_changed", "disposed",
    "preload",           "preload_error_swallowed", "options_ignored", "step_failed",
    "registry_created",  "shutdown_started",  "registry_closed", "alert",
    "gc_deferred"};
static_assert(kEventKindNames.size() == kEventKindCount, "one name per event kind");

}  // namespace

std::string toString(Span s) { return s.infinite ? "Infinity" : std::to_string(s.ms); }
std::string_view toString(State s) { return kStateNames[static_cast<size_t>(s)]; }
std::string_view toString(ObserverStatus s) { return kObserverStatusNames[static_cast<size_t>(s)]; }
std::string_view toString(Policy p) { return kPolicyNames[static_cast<size_t>(p)]; }
std::string_view toString(Environment e) { return kEnvironmentNames[static_cast<size_t>(e)]; }
std::string_view toString(Layer l) { return kLayerNames[static_cast<size_t>(l)]; }
std::string_view toString(RequestKind k) { return kRequestKindNames[static_cast<size_t>(k)]; }
std::string_view toString(DisposeReason r) { return kReasonNames[static_cast<size_t>(r)]; }
std::string_view toString(RegistryState s) { return kRegistryStateNames[static_cast<size_t>(s)]; }
std::string_view toString(ShutdownStrategy s) { return kStrategyNames[static_cast<size_t>(s)]; }
std::string_view toString(ShutdownLoading s) { return kLoadingNames[static_cast<size_t>(s)]; }
std::string_view toString(ClientIdMode m) { return kClientIdModeNames[static_cast<size_t>(m)]; }
std::string_view toString(SessionIdMode m) { return kSessionIdModeNames[static_cast<size_t>(m)]; }
bool parseRegistryState(std::string_view s, RegistryState* out) {
  return parseName(s, kRegistryStateNames, reinterpret_cast<uint8_t*>(out));
}
bool parseShutdownStrategy(std::string_view s, ShutdownStrategy* out) {
  return parseName(s, kStrategyNames, reinterpret_cast<uint8_t*>(out));
}
bool parseShutdownLoading(std::string_view s, ShutdownLoading* out) {
  return parseName(s, kLoadingNames, reinterpret_cast<uint8_t*>(out));
}
bool parseClientIdMode(std::string_view s, ClientIdMode* out) {
  return parseName(s, kClientIdModeNames, reinterpret_cast<uint8_t*>(out));
}
bool parseSessionIdMode(std::string_view s, SessionIdMode* out) {
  return parseName(s, kSessionIdModeNames, reinterpret_cast<uint8_t*>(out));
}
std::string_view toString(EventKind k) { return kEventKindNames[static_cast<size_t>(k)]; }

bool parsePolicy(std::string_view s, Policy* out) {
  return parseName(s, kPolicyNames, reinterpret_cast<uint8_t*>(out));
}
bool parseEnvironment(std::string_view s, Environment* out) {
  return parseName(s, kEnvironmentNames, reinterpret_cast<uint8_t*>(out));
}
bool parseEventKind(std::string_view s, EventKind* out) {
  return parseName(s, kEventKindNames, reinterpret_cast<uint8_t*>(out));
}
bool parseState(std::string_view s, State* out) {
  return parseName(s, kStateNames, reinterpret_cast<uint8_t*>(out));
}
bool parseObserverStatus(std::string_view s, ObserverStatus* out) {
  return parseName(s, kObserverStatusNames, reinterpret_cast<uint8_t*>(out));
}

const std::vector<std::string_view>& policyNames() {
  static const std::vector<std::string_view> names(kPolicyNames.begin(), kPolicyNames.end());
  return names;
}

const std::vector<std::string_view>& environmentNames() {
  static const std::vector<std::string_view> names(kEnvironmentNames.begin(), kEnvironmentNames.end());
  return names;
}

Span environmentDefaultGcTime(Environment e) {
  return e == Environment::Ssr ? Span::infinity() : Span::finite(60000);
}

}  // namespace si
