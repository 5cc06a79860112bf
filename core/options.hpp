// Store options (SPEC 2.2, 2.6, 3): parsing and validation of each layer, templates with
// {param} placeholders, and the one function that merges layers with provenance.
#pragma once
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "result.hpp"
#include "store_db.hpp"
#include "types.hpp"

namespace si {

using json = nlohmann::ordered_json;

enum class OptionKey : uint8_t {
  GcTime,
  BatchUpdates,
  SyncPayload,
  OtelOptions,
  DisableDevtools,
  ConfirmUnsavedChanges,
  Debug,
  Boot,
  Schema,
  Adapter,
  Signal,
  StoreId,
};
constexpr size_t kOptionCount = 12;
std::string_view toString(OptionKey k);
std::optional<OptionKey> parseOptionKey(std::string_view name);
bool allowedAtRegistry(OptionKey k);   // the "registry" column of SPEC 2.2
bool allowedAtRequest(OptionKey k);    // the "template / call-site" column
std::string_view mergeRule(OptionKey k);  // one line for the UI, e.g. "shallow merge by key"

// Which generations fail and with what message (adapter.fail).
struct FailSpec {
  bool any = false;                 // fail every generation
  std::vector<uint32_t> generations;  // or only these
  std::string message;              // "" -> default "load failed"
  bool fails(uint32_t generation) const;
};

struct AdapterSpec {
  AdapterType type = AdapterType::None;
  std::string directory;  // as written; resolved against the config's folder at load
  Span loadMs = Span::finite(0);
  FailSpec fail;
  Span closeMs = Span::finite(0);  // SPEC 10: how long one instance takes to close at shutdown
};

// One validated layer of options. `raw` keeps the JSON as given (keys in order), the typed
// fields are filled for the options the core acts on.
struct OptionLayer {
  json raw = json::object();
  bool has(OptionKey k) const { return raw.contains(std::string(toString(k))); }
  const json* get(OptionKey k) const;
};

// Validates `obj` as options of a layer. `where` is the JSON pointer of obj ("" for a request);
// errors read "<where>/<key>: message" (for a request: "<key>: message").
Result<OptionLayer> parseOptionLayer(const json& obj, Layer layer, const std::string& where);

Result<Span> parseSpan(const json& v, const std::string& where);
Result<AdapterSpec> parseAdapter(const json& v, const std::string& where);
Result<SchemaSpec> parseSchema(const json& v, const std::string& where);
Result<FailSpec> parseFail(const json& v, const std::string& where);
Result<std::vector<std::string>> parseBoot(const json& v, const std::string& where);  // boot.sql
json spanToJson(Span s);  // 5000 or "Infinity"

// Input errors (nearest, cutText, shortDump, childPath and the builders inputError,
// expectedError, unknownKeyError, unknownNameError) live in error.hpp. A location is a JSON
// pointer ("/storeOptions/issue/gcTime") or, inside a request, the same path without its
// leading slash ("adapter/loadMs").

// Every string and key in `v` must be valid UTF-8 (values built in code, not parsed from
// text, may hold any bytes, and nlohmann's dump() throws on them). The error names the path:
// "<where>/storeId: not valid UTF-8 (byte 3 is 0xFF)".
Status checkUtf8(const json& v, const std::string& where);

// A storeId pattern: literal text and {param} placeholders.
struct StoreIdPattern {
  std::string text;                       // as written
  std::vector<std::string> placeholders;  // in order of first appearance, unique
  static Result<StoreIdPattern> parse(std::string_view text, const std::string& where);
  bool isTemplate() const { return !placeholders.empty(); }
  // The storeId with every placeholder replaced by its param (store_id.cpp). Fails, naming
  // "params", when a placeholder has no param or a param fills no placeholder.
  Result<std::string> fill(const std::vector<std::pair<std::string, std::string>>& params) const;
};

struct StoreTemplate {
  std::string name;
  OptionLayer options;            // without storeId
  std::optional<StoreIdPattern> storeId;  // always set: parseConfig refuses a template without one
};

// An option's effective value and where it came from.
struct EffectiveOption {
  json value;
  Layer layer = Layer::Registry;  // the highest layer that contributed
  bool merged = false;            // more than one layer contributed (merged objects)
};

struct EffectiveOptions {
  std::array<std::optional<EffectiveOption>, kOptionCount> byKey;
  Span gcTime;            // this request's resolved gcTime
  Layer gcTimeLayer = Layer::Environment;
  AdapterSpec adapter;
  SchemaSpec schema;
  std::vector<std::string> bootSql;
  const EffectiveOption* get(OptionKey k) const {
    auto& o = byKey[static_cast<size_t>(k)];
    return o ? &*o : nullptr;
  }
  json toJson() const;  // effective options as one object (gcTime as number or "Infinity")
};

// The one place where layers merge (SPEC 2.2 table). Any layer pointer may be null.
EffectiveOptions mergeOptions(Environment env, const OptionLayer* registry,
                              const OptionLayer* storeTemplate, const OptionLayer* callSite);

// Equality that ignores the order of object keys (ordered_json's == does not).
bool sameJson(const json& a, const json& b);

// The keys (other than gcTime and storeId) whose effective values differ.
std::vector<std::string> differingKeys(const EffectiveOptions& a, const EffectiveOptions& b);

}  // namespace si
