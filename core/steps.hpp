// A scenario step parsed once (SPEC 4): the shape is checked here; what a request asks for
// (template, params, options, storeId) is checked when the step runs (SPEC 2.3 rule 0), by
// readRequest below. Session::execute dispatches over Action with std::visit; Step::source
// keeps the step as written for the command log and journals.
//
// Usage:
//   Step st = parseStep(json::parse(R"({"advance": 500})"), "/steps/3");
//   if (const Malformed* m = std::get_if<Malformed>(&st.action)) report(m->error.message);
//
// Adding an action (SPEC 8-11: createRegistry, shutdownRegistry, loaded, loadFailed) is one
// struct here, one entry in Action and kActionNames, one parse case in steps.cpp and one
// visit case in Session.
#pragma once
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "options.hpp"
#include "types.hpp"

namespace si {

// [SECTION] Requests

// What a request object asks for (SPEC 2.2): a template by name with string params and
// call-site options, or raw options carrying their own storeId.
struct RequestShape {
  const StoreTemplate* use = nullptr;  // the template, nullptr for raw options (no owner)
  std::string templateName;            // "" for raw options
  std::vector<std::pair<std::string, std::string>> params;  // as written, in order
  json callSite = json::object();  // every other key; for raw options, storeId included
  std::string storeId;             // the template's pattern filled, or the raw storeId
  bool unsanitized = false;        // a param holds a byte outside [A-Za-z0-9_.-]
};
// The one reader of a request's shape. Errors name the field ("use: ...", "params/x: ...");
// they are the step's error for an attach and swallowed for a preload (rule 0). The storeId
// itself is checked later (validateStoreId), with the options.
Result<RequestShape> readRequest(const json& request,
                                 const std::map<std::string, StoreTemplate>& templates);

// [SECTION] Actions

struct Advance { Ms ms = 0; };
struct AdvanceTo { Ms t = 0; };
struct Attach {
  json request;              // the attach object without observer, component, registry, request
  std::string observer;      // "" = the next automatic name (o1, o2, ...)
  std::string component;     // "" = none
  std::string registry;      // "" = "default" (SPEC 8)
  std::string requestTag;    // the attach's "request": the server request it renders for
};
struct Detach { std::string observer; };
struct Unmount { std::string component; };
struct Preload {
  json request;            // without registry
  std::string registry;    // "" = "default"
};
struct Drop {
  std::string storeId;
  std::string registry;    // "" = "default"
};
struct Clear { std::string registry; };  // "" = "default" (`clear: true`)
// SPEC 8: a registry block's keys over the config's, plus its name.
struct CreateRegistry {
  std::string name;
  json block;  // the step's object without "name" (checked when read, applied when run)
};
// SPEC 10.
struct ShutdownRegistry {
  std::string registry = "default";
  ShutdownStrategy strategy = ShutdownStrategy::Parallel;
  ShutdownLoading loading = ShutdownLoading::Abort;
  Span deadline = Span::infinity();
};
// SPEC 4: the end of an external load, in success or failure.
struct Loaded {
  std::string storeId;
  std::string registry;  // "" = "default"
};
struct LoadFailed {
  std::string storeId;
  std::string registry;  // "" = "default"
  std::string error = "load failed";
};

// SPEC 11: one message of a live connection as a journal records it, or the connection's end
// ({"live": {"connection": n, "message": {...}}} / {"live": {"connection": n, "end": true}}).
// Only this shape is checked here; the message is decoded by the session's live handler
// (live_hook.hpp). `overrides` are what the command line imposed on a hello (toleranceMs,
// policy), kept in the command so a replay judges exactly as the run did.
struct Live {
  uint64_t connection = 0;  // 1, 2, ... (a trace file's index + 1)
  json message;             // null for the end, or when `decoded` stands for it
  json overrides;            // an object, or null for none (the hot path makes no empty object)
  bool ended = false;       // {"end": true}: the connection has gone
  // The message as the live library's reader already decoded it (its live::Body), so the
  // handler need not parse it again and may consume it; it lives only while the command
  // executes (Session::runLive). Null: the handler decodes `message`.
  void* decoded = nullptr;
  bool end() const { return ended; }
};

// An expectation: its subject, and the checked fields as written (compared as JSON, in order).
struct StoreExpect {
  std::string store;
  json fields = json::object();
  std::string registry = "default";  // SPEC 8: `registry` beside `store`
};
struct ObserverExpect { std::string observer; json fields = json::object(); };
// The fields beside "registry" and, in its object form, those inside it.
struct RegistryExpect {
  json fields = json::object();
  std::string name = "default";  // SPEC 8: {"registry": {"name": "req-1", ...}}
};
using Expect = std::variant<StoreExpect, ObserverExpect, RegistryExpect>;
// The subject and fields of an expect object, unchecked (parseStep checks them first; the
// export and tests evaluate objects built in code).
Expect expectFrom(const json& e);

// A step whose shape is wrong: executing it fails with this error (the log keeps it).
struct Malformed { Error error; };

using Action = std::variant<Malformed, Advance, AdvanceTo, Attach, Detach, Unmount, Preload,
                            Drop, Clear, Expect, CreateRegistry, ShutdownRegistry, Loaded,
                            LoadFailed, Live>;
constexpr const char* kActionNames[] = {"",        "advance",        "advanceTo",        "attach",
                                        "detach",  "unmount",        "preload",          "drop",
                                        "clear",   "expect",         "createRegistry",   "shutdownRegistry",
                                        "loaded",  "loadFailed",     "live"};
static_assert(std::size(kActionNames) == std::variant_size_v<Action>, "one name per action");
inline std::string_view actionName(const Action& a) { return kActionNames[a.index()]; }

struct Step {
  Action action;
  std::optional<std::string> note;
  std::optional<std::string> expectError;  // read even from a malformed step, when a string
  json source;  // the step as written (bytes that are not UTF-8 replaced by U+FFFD)
  const Error* malformed() const {
    const Malformed* m = std::get_if<Malformed>(&action);
    return m ? &m->error : nullptr;
  }
};

// Never fails: a step with a wrong shape gets a Malformed action whose error is located at
// `where` ("/steps/3/advance: expected a non-negative integer (ms), got -1").
Step parseStep(const json& step, const std::string& where);
// The same, the step moved into `source` (no copy of it: the live hot path, SPEC 11). Without
// `keepSource` the step's request is moved into its action instead and `source` stays null
// (a nested step that is not kept: Session::executeNested on the hot path).
Step parseStep(json&& step, const std::string& where, bool keepSource = true);

}  // namespace si
