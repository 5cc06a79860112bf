// Store options: validation of one layer, {param} storeId patterns, and mergeOptions, the one
// place where layers meet (SPEC 2.2). Every input error is built by error.hpp.
#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "store_id.hpp"

namespace si {

// [SECTION] Option table

namespace {

enum class Merge : uint8_t { Highest, Shallow, Deep, RegistryOnly, RequestOnly };

struct OptionInfo {
  std::string_view name;
  bool registry;  // may appear in registry.defaultOptions
  bool request;   // may appear in a template or at a call-site
  Merge merge;
  std::string_view rule;  // shown in the UI
};

// One row per OptionKey, in enum order (SPEC 2.2 table).
constexpr std::array<OptionInfo, kOptionCount> kOptions = {{
    {"gcTime", true, true, Merge::Highest,
     "call-site over template over registry over environment default; GC policy across requests"},
    {"batchUpdates", true, false, Merge::RegistryOnly, "registry only"},
    {"syncPayload", true, true, Merge::Highest, "higher layer replaces the whole value"},
    {"otelOptions", true, true, Merge::Shallow, "shallow merge by key, higher layer wins per key"},
    {"disableDevtools", true, true, Merge::Highest, "higher layer overrides"},
    {"confirmUnsavedChanges", true, true, Merge::Highest, "higher layer overrides"},
    {"debug", true, true, Merge::Deep, "deep merge of objects; scalars and arrays replaced"},
    {"boot", false, true, Merge::RequestOnly, "from the highest request layer, not merged"},
    {"schema", false, true, Merge::RequestOnly, "from the highest request layer, not merged"},
    {"adapter", false, true, Merge::RequestOnly, "from the highest request layer, not merged"},
    {"signal", false, true, Merge::RequestOnly, "from the highest request layer, not merged"},
    {"storeId", false, true, Merge::RequestOnly, "from the highest request layer, not merged"},
}};
static_assert(kOptions.size() == kOptionCount, "one row per OptionKey");

const OptionInfo& info(OptionKey k) { return kOptions[static_cast<size_t>(k)]; }

std::vector<std::string_view> optionNames() {
  std::vector<std::string_view> names;
  for (const OptionInfo& o : kOptions) names.push_back(o.name);
  return names;
}

constexpr std::string_view kSpanExpected = "a non-negative integer or \"Infinity\"";
constexpr std::string_view kIdentifierRule = "[A-Za-z_][A-Za-z0-9_]*";

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Keys of `obj` must be among `known`; returns the first unknown one as an error.
Status checkKeys(const json& obj, const std::string& where, const std::vector<std::string_view>& known) {
  for (const auto& [key, value] : obj.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      return unknownKeyError(childPath(where, key), "key", key, known);
  }
  return success();
}

}  // namespace

std::string_view toString(OptionKey k) { return info(k).name; }

std::optional<OptionKey> parseOptionKey(std::string_view name) {
  for (size_t i = 0; i < kOptionCount; ++i) {
    if (kOptions[i].name == name) return static_cast<OptionKey>(i);
  }
  return std::nullopt;
}

bool allowedAtRegistry(OptionKey k) { return info(k).registry; }
bool allowedAtRequest(OptionKey k) { return info(k).request; }
std::string_view mergeRule(OptionKey k) { return info(k).rule; }

namespace {
// The common case, without building a JSON pointer per node: everything is UTF-8.
bool allUtf8(const json& v) {
  if (v.is_string()) return invalidUtf8At(v.get_ref<const std::string&>()) == std::string_view::npos;
  if (v.is_array()) return std::all_of(v.begin(), v.end(), allUtf8);
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (invalidUtf8At(it.key()) != std::string_view::npos || !allUtf8(it.value())) return false;
  }
  return true;
}
}  // namespace

Status checkUtf8(const json& v, const std::string& where) {
  if (allUtf8(v)) return success();  // the pointer of the bad byte is built only when there is one
  auto check = [](std::string_view s, const std::string& at) -> Status {
    const size_t i = invalidUtf8At(s);
    if (i == std::string_view::npos) return success();
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(s[i]));
    return inputError(at.empty() ? "/" : at,
                      "not valid UTF-8 (byte " + std::to_string(i) + " is " + byte + ")");
  };
  if (v.is_string()) return check(v.get_ref<const std::string&>(), where);
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (Status ok = checkUtf8(v[i], childPath(where, std::to_string(i))); !ok) return ok;
    }
  } else if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      if (Status ok = check(key, where.empty() ? "key" : where + " key"); !ok) return ok;
      if (Status ok = checkUtf8(value, childPath(where, key)); !ok) return ok;
    }
  }
  return success();
}

// [SECTION] Values

json spanToJson(Span s) { return s.infinite ? json("Infinity") : json(s.ms); }

Result<Span> parseSpan(const json& v, const std::string& where) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(kMaxMs)) return Span::finite(static_cast<Ms>(u));
  } else if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i >= 0) return Span::finite(i);
  } else if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "Infinity") return Span::infinity();
    return inputError(where, "expected " + std::string(kSpanExpected) + ", got " + shortDump(v) +
                                 didYouMean(s, {"Infinity"}));
  }
  return expectedError(where, kSpanExpected, v);
}

Result<FailSpec> parseFail(const json& v, const std::string& where) {
  FailSpec f;
  if (v.is_boolean()) {
    f.any = v.get<bool>();
    return f;
  }
  if (v.is_string()) {
    f.any = true;
    f.message = v.get<std::string>();
    return f;
  }
  if (!v.is_object()) {
    return expectedError(where,
                         "false, true, a message or {\"generations\": [1, 3], \"message\": \"...\"}", v);
  }
  if (Status ok = checkKeys(v, where, {"generations", "message"}); !ok) return ok.error();
  const std::string genWhere = childPath(where, "generations");
  if (!v.contains("generations")) return inputError(genWhere, "required (the generations that fail)");
  const json& gens = v["generations"];
  if (!gens.is_array()) return expectedError(genWhere, "an array of generation numbers", gens);
  for (size_t i = 0; i < gens.size(); ++i) {
    const json& g = gens[i];
    // Signed or unsigned JSON integers (parsed files give unsigned, code may build signed).
    const bool ok = g.is_number_integer() && g.get<int64_t>() >= 1 &&
                    g.get<uint64_t>() <= std::numeric_limits<uint32_t>::max();
    if (!ok) return expectedError(childPath(genWhere, std::to_string(i)), "a generation number (1, 2, ...)", g);
    f.generations.push_back(static_cast<uint32_t>(g.get<uint64_t>()));
  }
  if (v.contains("message")) {
    const json& m = v["message"];
    if (!m.is_string()) return expectedError(childPath(where, "message"), "a string", m);
    f.message = m.get<std::string>();
  }
  return f;
}

bool FailSpec::fails(uint32_t generation) const {
  return any || std::find(generations.begin(), generations.end(), generation) != generations.end();
}

Result<AdapterSpec> parseAdapter(const json& v, const std::string& where) {
  if (!v.is_object()) return expectedError(where, "an object such as {\"type\": \"memory\"}", v);
  if (Status ok = checkKeys(v, where, {"type", "directory", "loadMs", "fail", "closeMs"}); !ok)
    return ok.error();
  AdapterSpec a;
  if (v.contains("type")) {
    const json& t = v["type"];
    const std::vector<std::string_view> types = {"memory", "file", "none", "external"};
    const std::string at = childPath(where, "type");
    if (!t.is_string()) return expectedError(at, "one of memory, file, none, external", t);
    const std::string& s = t.get_ref<const std::string&>();
    if (s == "memory")
      a.type = AdapterType::Memory;
    else if (s == "file")
      a.type = AdapterType::File;
    else if (s == "none")
      a.type = AdapterType::None;
    else if (s == "external")
      a.type = AdapterType::External;
    else
      return unknownNameError(at, "adapter type", s, types);
  }
  if (v.contains("directory")) {
    const json& d = v["directory"];
    if (!d.is_string() || d.get_ref<const std::string&>().empty())
      return expectedError(childPath(where, "directory"), "a non-empty directory path", d);
    a.directory = d.get<std::string>();
  } else if (a.type == AdapterType::File) {
    a.directory = "stores";  // a file adapter without a directory keeps its files next to the config
  }
  // SPEC 10: an external load ends when the app says so; a simulated time or failure is a
  // contradiction, refused where it is written.
  for (const char* k : {"loadMs", "fail"}) {
    if (a.type == AdapterType::External && v.contains(k)) {
      return inputError(childPath(where, k), "does not apply to an \"external\" adapter (its load "
                                             "ends with a loaded or loadFailed step)");
    }
  }
  if (v.contains("loadMs")) {
    Result<Span> s = parseSpan(v["loadMs"], childPath(where, "loadMs"));
    if (!s) return s.error();
    a.loadMs = *s;
  }
  if (v.contains("fail")) {
    Result<FailSpec> f = parseFail(v["fail"], childPath(where, "fail"));
    if (!f) return f.error();
    a.fail = std::move(*f);
  }
  if (v.contains("closeMs")) {
    Result<Span> s = parseSpan(v["closeMs"], childPath(where, "closeMs"));
    if (!s) return s.error();
    a.closeMs = *s;
  }
  return a;
}

// A schema table or column name: an identifier, unique ignoring case (SQL names ignore case),
// and for tables not in SQLite's reserved sqlite_ namespace. `seen` holds the folded names.
static Status checkSqlName(std::string_view kind, const std::string& name, const std::string& at,
                           std::vector<std::string>* seen) {
  if (!isSqlIdentifier(name)) {
    return inputError(at, "invalid " + std::string(kind) + " name " + shortDump(json(name)) +
                              "; expected " + std::string(kIdentifierRule));
  }
  std::string folded;
  for (char c : name) folded += lower(c);
  if (kind == "table" && folded.rfind("sqlite_", 0) == 0)
    return inputError(at, "table name " + shortDump(json(name)) + " is reserved by SQLite");
  if (std::find(seen->begin(), seen->end(), folded) != seen->end()) {
    return inputError(at, "duplicate " + std::string(kind) + " name " + shortDump(json(name)) +
                              " (SQL names ignore case)");
  }
  seen->push_back(std::move(folded));
  return success();
}

Result<SchemaSpec> parseSchema(const json& v, const std::string& where) {
  const std::string example = "an object such as {\"tables\": {\"issue\": {\"id\": \"TEXT PRIMARY KEY\"}}}";
  if (!v.is_object()) return expectedError(where, example, v);
  if (Status ok = checkKeys(v, where, {"tables"}); !ok) return ok.error();
  const std::string tablesWhere = childPath(where, "tables");
  if (!v.contains("tables")) return inputError(tablesWhere, "required");
  const json& tables = v["tables"];
  if (!tables.is_object()) return expectedError(tablesWhere, "an object of tables {name: {column: type}}", tables);
  SchemaSpec schema;
  std::vector<std::string> seenTables;  // lower-cased: SQL names ignore case
  for (const auto& [name, columns] : tables.items()) {
    const std::string at = childPath(tablesWhere, name);
    if (Status ok = checkSqlName("table", name, at, &seenTables); !ok) return ok.error();
    if (!columns.is_object()) return expectedError(at, "an object of columns {name: \"SQL type\"}", columns);
    if (columns.empty()) return inputError(at, "a table needs at least one column");
    TableSpec table{name, {}};
    std::vector<std::string> seenColumns;
    for (const auto& [column, type] : columns.items()) {
      const std::string colAt = childPath(at, column);
      if (Status ok = checkSqlName("column", column, colAt, &seenColumns); !ok) return ok.error();
      if (!type.is_string()) return expectedError(colAt, "a SQL type string such as \"TEXT\"", type);
      const std::string& t = type.get_ref<const std::string&>();
      if (t.find(';') != std::string::npos)
        return inputError(colAt, "a column type may not contain \";\", got " + shortDump(type));
      table.columns.emplace_back(column, t);
    }
    schema.tables.push_back(std::move(table));
  }
  return schema;
}

Result<std::vector<std::string>> parseBoot(const json& v, const std::string& where) {
  if (!v.is_object()) return expectedError(where, "an object such as {\"sql\": [\"INSERT ...\"]}", v);
  if (Status ok = checkKeys(v, where, {"sql"}); !ok) return ok.error();
  const std::string sqlWhere = childPath(where, "sql");
  if (!v.contains("sql")) return inputError(sqlWhere, "required (an array of SQL statements)");
  const json& sql = v["sql"];
  if (!sql.is_array()) return expectedError(sqlWhere, "an array of SQL statements", sql);
  std::vector<std::string> out;
  for (size_t i = 0; i < sql.size(); ++i) {
    const json& s = sql[i];
    const bool blank = s.is_string() && s.get_ref<const std::string&>().find_first_not_of(" \t\r\n") ==
                                            std::string::npos;
    if (!s.is_string() || blank) return expectedError(childPath(sqlWhere, std::to_string(i)), "a SQL statement", s);
    out.push_back(s.get<std::string>());
  }
  return out;
}

// [SECTION] Layers

const json* OptionLayer::get(OptionKey k) const {
  if (!raw.is_object()) return nullptr;
  auto it = raw.find(std::string(toString(k)));
  return it == raw.end() ? nullptr : &*it;
}

namespace {

Status checkNonEmptyString(const json& v, const std::string& at) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return expectedError(at, "a non-empty string", v);
  return success();
}

Status validateOption(OptionKey k, const json& v, const std::string& at) {
  switch (k) {
    case OptionKey::GcTime: {
      Result<Span> s = parseSpan(v, at);
      return s ? success() : Status(s.error());
    }
    case OptionKey::BatchUpdates:
    case OptionKey::Signal:
    case OptionKey::StoreId:
      return checkNonEmptyString(v, at);
    case OptionKey::SyncPayload:
      return success();
    case OptionKey::OtelOptions:
    case OptionKey::Debug:
      return v.is_object() ? success() : Status(expectedError(at, "an object", v));
    case OptionKey::DisableDevtools:
      if (v.is_boolean() || (v.is_string() && v.get_ref<const std::string&>() == "auto")) return success();
      return expectedError(at, "true, false or \"auto\"", v);
    case OptionKey::ConfirmUnsavedChanges:
      return v.is_boolean() ? success() : Status(expectedError(at, "true or false", v));
    case OptionKey::Boot: {
      auto b = parseBoot(v, at);
      return b ? success() : Status(b.error());
    }
    case OptionKey::Schema: {
      auto s = parseSchema(v, at);
      return s ? success() : Status(s.error());
    }
    case OptionKey::Adapter: {
      auto a = parseAdapter(v, at);
      return a ? success() : Status(a.error());
    }
  }
  return success();
}

std::string_view notAllowedMessage(Layer layer) {
  switch (layer) {
    case Layer::Environment:
    case Layer::Registry:
      return "not allowed in registry.defaultOptions (template or call-site only)";
    case Layer::Template:
      return "not allowed in storeOptions (registry only)";
    case Layer::CallSite:
      return "not allowed at call-site (registry only)";
  }
  return "not allowed here";
}

bool allowedAt(OptionKey k, Layer layer) {
  return layer == Layer::Registry || layer == Layer::Environment ? allowedAtRegistry(k) : allowedAtRequest(k);
}

}  // namespace

Result<OptionLayer> parseOptionLayer(const json& obj, Layer layer, const std::string& where) {
  if (!obj.is_object()) return expectedError(where, "an object of options", obj);
  static const std::vector<std::string_view> kNames = optionNames();
  for (const auto& [key, value] : obj.items()) {
    const std::string at = childPath(where, key);
    const std::optional<OptionKey> k = parseOptionKey(key);
    if (!k) return unknownKeyError(at, "option", key, kNames);
    if (!allowedAt(*k, layer)) return inputError(at, notAllowedMessage(layer));
    if (Status ok = validateOption(*k, value, at); !ok) return ok.error();
  }
  OptionLayer out;
  out.raw = obj;
  return out;
}

// [SECTION] storeId patterns

namespace {
// [A-Za-z_][A-Za-z0-9_]*: a placeholder also binds as :name in boot SQL.
bool isPlaceholderName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}
}  // namespace

Result<StoreIdPattern> StoreIdPattern::parse(std::string_view text, const std::string& where) {
  if (text.empty()) return inputError(where, "a storeId may not be empty");
  StoreIdPattern p;
  p.text = std::string(text);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') return inputError(where, "unbalanced \"}\" at byte " + std::to_string(i));
    if (text[i] != '{') continue;
    const size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || text[close] == '{')
      return inputError(where, "unbalanced \"{\" at byte " + std::to_string(i));
    const std::string name(text.substr(i + 1, close - i - 1));
    if (!isPlaceholderName(name)) {
      return inputError(where, "invalid placeholder name " + shortDump(json(name)) + " at byte " +
                                   std::to_string(i) + "; expected " + std::string(kIdentifierRule));
    }
    if (std::find(p.placeholders.begin(), p.placeholders.end(), name) == p.placeholders.end())
      p.placeholders.push_back(name);
    i = close;
  }
  return p;
}

// [SECTION] Merging

namespace {

void deepMerge(json& into, const json& from) {
  if (!into.is_object() || !from.is_object()) {
    into = from;
    return;
  }
  for (const auto& [key, value] : from.items()) {
    auto it = into.find(key);
    if (it == into.end())
      into[key] = value;
    else
      deepMerge(*it, value);
  }
}


struct Source {
  Layer layer;
  const OptionLayer* options;
};

}  // namespace

bool sameJson(const json& a, const json& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, value] : a.items()) {
      auto it = b.find(key);
      if (it == b.end() || !sameJson(value, *it)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!sameJson(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}


EffectiveOptions mergeOptions(Environment env, const OptionLayer* registry,
                              const OptionLayer* storeTemplate, const OptionLayer* callSite) {
  const std::array<Source, 3> sources = {
      {{Layer::Registry, registry}, {Layer::Template, storeTemplate}, {Layer::CallSite, callSite}}};
  EffectiveOptions out;

  for (size_t i = 0; i < kOptionCount; ++i) {
    const auto k = static_cast<OptionKey>(i);
    if (k == OptionKey::GcTime) continue;
    std::optional<EffectiveOption> eff;
    int contributors = 0;
    for (const Source& src : sources) {  // lowest layer first
      if (!src.options || !allowedAt(k, src.layer)) continue;
      const json* v = src.options->get(k);
      if (!v) continue;
      ++contributors;
      if (!eff) {
        eff = EffectiveOption{*v, src.layer, false};
        continue;
      }
      eff->layer = src.layer;
      switch (info(k).merge) {
        case Merge::Shallow:
          if (eff->value.is_object() && v->is_object()) {
            for (const auto& [key, value] : v->items()) eff->value[key] = value;
          } else {
            eff->value = *v;
          }
          eff->merged = true;
          break;
        case Merge::Deep:
          deepMerge(eff->value, *v);
          eff->merged = true;
          break;
        default:
          eff->value = *v;
          break;
      }
    }
    if (eff) out.byKey[i] = std::move(eff);
  }

  // gcTime: the highest layer with a valid value, else the environment's default.
  out.gcTime = environmentDefaultGcTime(env);
  out.gcTimeLayer = Layer::Environment;
  for (const Source& src : sources) {
    if (!src.options) continue;
    if (const json* v = src.options->get(OptionKey::GcTime)) {
      if (Result<Span> s = parseSpan(*v, "gcTime"); s) {
        out.gcTime = *s;
        out.gcTimeLayer = src.layer;
      }
    }
  }
  out.byKey[static_cast<size_t>(OptionKey::GcTime)] =
      EffectiveOption{spanToJson(out.gcTime), out.gcTimeLayer, false};

  // The typed views the core acts on; layers were validated, so parsing only fails for
  // hand-built layers, which then get the defaults.
  if (const EffectiveOption* a = out.get(OptionKey::Adapter)) {
    if (auto spec = parseAdapter(a->value, "adapter"); spec) out.adapter = std::move(*spec);
  }
  if (const EffectiveOption* s = out.get(OptionKey::Schema)) {
    if (auto spec = parseSchema(s->value, "schema"); spec) out.schema = std::move(*spec);
  }
  if (const EffectiveOption* b = out.get(OptionKey::Boot)) {
    if (auto sql = parseBoot(b->value, "boot"); sql) out.bootSql = std::move(*sql);
  }
  return out;
}

json EffectiveOptions::toJson() const {
  json out = json::object();
  for (size_t i = 0; i < kOptionCount; ++i) {
    if (byKey[i]) out[std::string(kOptions[i].name)] = byKey[i]->value;
  }
  return out;
}

std::vector<std::string> differingKeys(const EffectiveOptions& a, const EffectiveOptions& b) {
  std::vector<std::string> out;
  for (size_t i = 0; i < kOptionCount; ++i) {
    const auto k = static_cast<OptionKey>(i);
    if (k == OptionKey::GcTime || k == OptionKey::StoreId) continue;
    const EffectiveOption* x = a.get(k);
    const EffectiveOption* y = b.get(k);
    if (!x && !y) continue;
    if (!x || !y || !sameJson(x->value, y->value)) out.emplace_back(toString(k));
  }
  return out;
}

}  // namespace si
