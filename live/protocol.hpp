// The one decoder of live-attach protocol v1 (SPEC 11): a WebSocket text frame or one line of
// an NDJSON trace becomes a typed message, or an error that says where (a JSON pointer) and
// what was expected. `listen`, `ingest` and the window all decode through decodeMessage.
//
// Usage:
//   si::Result<si::live::Message> m = si::live::decodeMessage(frame);
//   if (!m) reply(errorFrame(m.error()));                       // {"v":1,"error":"/t: ..."}
//   else if (auto* s = std::get_if<si::live::Step>(&m->body)) run(s->t, s->stepJson());
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "result.hpp"

namespace si::live {

constexpr size_t kMaxMessageBytes = size_t(1) << 20;  // 1 MiB, a frame or a trace line
constexpr int64_t kMaxTime = (int64_t(1) << 53) - 1;  // t is ms; JavaScript's safe integers

enum class Library : uint8_t { TanstackQuery, Livestore, Custom };
std::string_view toString(Library l);  // "tanstack-query", "livestore", "custom"

// {"v":1, "hello": {...}}: the first message of a connection; it has no t (it is t = 0).
struct Hello {
  std::string app;  // non-empty
  Library library = Library::Custom;
  std::string libraryVersion;             // shown, not interpreted ("" when absent)
  std::optional<std::string> policy;      // a SPEC 2.4 policy name, checked
  std::optional<std::string> environment; // a SPEC 2.2 environment name, checked
  std::optional<json> defaultOptions;     // an object, as sent (checked when the registry is made)
  std::optional<int64_t> toleranceMs;     // >= 0
};

// A step in one of the three shapes bridges send most, as the quick reader reads it from the
// text (quick_reader.hpp):
//   {"attach": {"observer": o, "storeId": s, "gcTime": n, "adapter": {"type": "external"}}}
//   (gcTime and adapter optional, the keys in any order), {"detach": o}, {"loaded": s}.
struct QuickStep {
  enum class Kind : uint8_t { Attach, Detach, Loaded };
  enum class Key : uint8_t { Observer, StoreId, GcTime, Adapter };  // an attach's keys
  Kind kind = Kind::Detach;
  std::string observer;  // attach, detach: a non-empty name without control characters
  std::string storeId;   // attach (non-empty), loaded (any string)
  int64_t gcTime = 0;    // attach, when it has Key::GcTime: 0 to kMaxTime
  std::array<Key, 4> keys{};  // attach: its keys in the order sent
  uint8_t keyCount = 0;
  bool has(Key k) const;
  json toJson() const;  // the step as the general reader keeps it
};

// {"v":1, "t": n, "step": {...}}: a scenario step (SPEC 4, 8-10), executed after advanceTo t.
// Only its being an object is checked here; its shape is the session's step parser's job (a
// step that fails is a divergence, never fatal: SPEC 11).
struct Step {
  int64_t t = 0;
  json parsed;                     // the step, when the general reader read it (else null)
  std::optional<QuickStep> quick;  // the step, when the quick reader read it
  json stepJson() const { return quick ? quick->toJson() : parsed; }  // the step either way
};

enum class FactKind : uint8_t { Created, Disposed };
std::string_view toString(FactKind k);  // "created", "disposed"

// {"v":1, "t": n, "observed": {"kind": ..., "storeId": "x", "instance": "b1"}}: a library fact.
struct Observed {
  int64_t t = 0;
  FactKind kind = FactKind::Created;
  std::string storeId;                  // non-empty
  std::optional<std::string> instance;  // the library's own id of the instance
};

// {"v":1, "t": n} or {"v":1, "t": n, "dropped": k}: the bridge is alive (and lost k messages).
struct Heartbeat {
  int64_t t = 0;
  std::optional<int64_t> dropped;  // >= 0
};

using Body = std::variant<Hello, Step, Observed, Heartbeat>;
int64_t timeOf(const Body& body);  // its t, 0 for a hello

struct Message {
  Body body;
  json source;       // decodeParsed: the message as JSON (null from decodeMessage)
  std::string text;  // decodeMessage: the message's text as received ("" from decodeParsed)
  int64_t t() const { return timeOf(body); }
};

// Decodes one message, keeping its text (what the command log records); its JSON tree is
// consumed by the body, not kept. Errors read "<json pointer>: expected ..., got ..."
// (content) or "line:column: ..." (JSON syntax), or name the size for text over
// kMaxMessageBytes (checked before parsing). Unknown keys are refused at every level (v1 is
// closed; a new key is v2).
Result<Message> decodeMessage(std::string_view text);
// The same for a message already parsed, kept as `source`.
Result<Message> decodeParsed(json message);
// Its body alone, the message left where it is (the live driver reads its commands' messages).
Result<Body> decodeBody(const json& message);

// The error frame sent back for a bad message: {"v":1,"error":"..."} (compact JSON).
std::string errorFrame(std::string_view message);

}  // namespace si::live
