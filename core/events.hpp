// The event stream (SPEC 2.7). Every change of the registry is published as one Event;
// panels, the journal and the CLI transcript all read this one stream.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "types.hpp"

namespace si {

enum class EventKind : uint8_t {
  InstanceCreated,
  LoadSucceeded,
  LoadFailed,
  LoadAborted,
  ObserverAttached,
  ObserverDetached,
  ObserverOrphaned,
  GcScheduled,
  GcCancelled,
  GcRestarted,
  GcTimeChanged,
  Disposed,
  Preload,
  PreloadErrorSwallowed,
  OptionsIgnored,
  StepFailed,
  // SPEC 8-10: registries created, shut down and closed; alerts the core itself raises
  // (cross-request, shutdown-deadline), with their code in `keys[0]` and message in `text`.
  RegistryCreated,
  ShutdownStarted,
  RegistryClosed,
  Alert,
  // SPEC 11 rule profiles: a GC timer fired on a LOADING instance and did nothing
  // (tanstack-query-5/gc-during-load-ignored); `due` is when it fired, the load's end re-arms it.
  GcDeferred,
};
constexpr int kEventKindCount = 21;
std::string_view toString(EventKind k);  // "instance_created", ...
bool parseEventKind(std::string_view s, EventKind* out);

constexpr uint32_t kNoStore = 0xffffffffu;

struct Event {
  uint64_t seq = 0;
  Ms t = 0;
  EventKind kind = EventKind::StepFailed;
  uint32_t store = kNoStore;  // StoreKey, kNoStore for registry-wide events
  uint32_t registry = 0;      // index into Registry::registries() (0: "default")
  uint32_t generation = 0;
  std::string observer;       // observer name, "" when none
  State from = State::Absent;
  State to = State::Absent;
  // detail, by kind:
  Span gcTime;                // gc_scheduled, gc_restarted, gc_time_changed (new), preload
  Span previousGcTime;        // gc_time_changed
  Ms due = 0;                 // gc_scheduled, gc_restarted
  DisposeReason reason = DisposeReason::Gc;  // disposed
  std::string text;           // load_failed / step_failed / preload_error_swallowed message
  std::vector<std::string> keys;  // options_ignored: the options that differed; alert: {code}
  // instance_created: the instance's identity (SPEC 9); shutdown_started: strategy, loading
  std::string clientId, sessionId;
  // The profile rule (SPEC 11, profiles.hpp) that made this event differ from SPEC 2, e.g.
  // "tanstack-query-5/load-end-rearms" on a gc_scheduled and on the disposed it leads to;
  // "" for SPEC 2 behaviour. Shown in the detail as "rule".
  std::string rule;
};

}  // namespace si
