// The names of a live connection (SPEC 11 "Names") and the rewrite of its steps: pure
// functions from what a bridge sent to ordinary scenario step JSON (SPEC 4, 8-10) that names
// the connection's own registries and observers and uses only `external` adapters, so nothing
// a bridge sends can read or write a file.
//
// Usage (integration):
//   std::string reg = registryNameFor(hello.app, [&](std::string_view n) { return exists(n); });
//   session.execute(helloRegistryStep(hello, reg));            // {"createRegistry": {...}}
//   session.execute({{"advanceTo", t}}); session.execute(rewriteStep(step.step, reg, &hello));
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol.hpp"
#include "steps.hpp"

namespace si::live {

constexpr size_t kMaxAppNameLength = 48;  // before the -2, -3 ... suffix

// hello.app made a registry name: each UTF-8 character outside [A-Za-z0-9_.:-] becomes `_`
// (one `_` per character, however many bytes it has), cut at 48 characters, then made unique
// with -2, -3, ... against the names `inUse` says are taken.
std::string registryNameFor(std::string_view app,
                            const std::function<bool(std::string_view)>& inUse);

// "<connection>.<name>": a registry a connection's step names or creates.
std::string scopedRegistry(std::string_view connection, std::string_view name);
// "<connection>:<id>": an observer id (and a component path) of a connection.
std::string scopedObserver(std::string_view connection, std::string_view id);

// An adapter as the model runs it for a live store: {"type":"external"} with the closeMs the
// bridge gave (only that key is kept; any other value of `adapter` becomes external too).
json externalAdapter(const json& adapter);

// The createRegistry step the hello makes: {"createRegistry": {"name": connection, "policy",
// "environment", "defaultOptions" (adapter made external)}} with only the keys the hello gave.
// The rule profile a hello's library asks for (SPEC 11): tanstack-query -> tanstack-query-5,
// livestore -> livestore-0.4, custom -> spec.
std::string_view profileOf(Library library);

json helloRegistryStep(const Hello& hello, std::string_view connection);

// A step of the connection as the session runs it. Registries: missing -> the connection's,
// named -> scopedRegistry (attach, preload, drop, clear, loaded, loadFailed, createRegistry,
// shutdownRegistry, store and registry expectations). Observer ids and component paths ->
// scopedObserver (attach, detach, unmount, observer expectations). Every request's adapter ->
// externalAdapter, added when the request gave none (a template's file adapter must not
// apply). createRegistry inherits the hello's policy, environment and defaultOptions for keys
// it omits, when `hello` is given. Values of an unexpected type are left as they are, for the
// step parser to report; other actions (advance, advanceTo, ...) pass through unchanged.
json rewriteStep(const json& step, std::string_view connection, const Hello* hello = nullptr);
// The same, rewriting `step` in place (no copy of it).
json rewriteStep(json&& step, std::string_view connection, const Hello* hello = nullptr);

// The steps a trace is made of, read straight into their action: an attach without its own
// registry, a detach or a loaded of a string. The action is exactly the one
// parseStep(rewriteStep(step, connection)) reads, and it is made only when that reading
// cannot fail; otherwise nullopt, `step` untouched, and the caller takes the general path
// (which reports the error). The attach's request is moved out of `step`.
std::optional<Action> readCommonStep(json& step, std::string_view connection);

// A quick attach's request as readCommonStep's Attach holds it: its keys but observer in the
// order sent, the adapter external (last when it gave none).
json quickRequest(const QuickStep& attach);
// appendJsonKey(quickRequest(attach)), written without the JSON (the request cache's key).
void appendQuickRequestKey(const QuickStep& attach, std::string& out);

}  // namespace si::live
