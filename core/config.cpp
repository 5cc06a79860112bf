// Config files (SPEC 3) and the JSON reader. Nothing here throws: nlohmann's exceptions are
// caught at this boundary and become Errors with a location a user can act on.
#include "config.hpp"

#include <cstdio>
#include <system_error>

namespace si {

// [SECTION] JSON text

namespace {

// Replays a failed parse to learn where it failed: nlohmann reports some errors (number
// overflow) without a position, but always hands one to a SAX handler.
class ErrorLocator : public nlohmann::json_sax<json> {
 public:
  size_t position = 0;
  std::string message;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) override {
    position = pos;
    message = ex.what();
    return false;
  }
};

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
// "syntax error ...": the position is recomputed by us, the id is of no use to a user.
std::string plainMessage(std::string what) {
  if (what.rfind("[json.exception.", 0) == 0) {
    const size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
  }
  if (what.rfind("parse error", 0) == 0) {
    const size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
  }
  return what;
}

// 1-based line and column of the byte at `index` (columns count UTF-8 characters).
std::pair<size_t, size_t> lineColumn(std::string_view text, size_t index) {
  index = std::min(index, text.size());
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < index; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// Index of the bracket that opens nesting level kMaxJsonDepth + 1, or npos. nlohmann's parser
// is iterative, but copying, comparing and dumping a value recurse once per level, so a file of
// 100,000 nested arrays would overflow the stack later; this cheap scan refuses it up front.
size_t tooDeepAt(std::string_view text) {
  size_t depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Result<json> parseJsonText(std::string_view text, const std::string& name) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (const size_t deep = tooDeepAt(text); deep != std::string_view::npos) {
    const auto [line, column] = lineColumn(text, deep);
    return Error{name + ":" + std::to_string(line) + ":" + std::to_string(column) +
                 ": nested deeper than " + std::to_string(kMaxJsonDepth) + " arrays and objects"};
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const std::exception&) {
    // fall through to locate the error
  }
  try {
    ErrorLocator locator;
    json::sax_parse(text.begin(), text.end(), &locator);
    // nlohmann's position counts the bytes read, the offending one included.
    const auto [line, column] = lineColumn(text, locator.position > 0 ? locator.position - 1 : 0);
    return Error{name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                 plainMessage(locator.message)};
  } catch (const std::exception&) {
    return Error{name + ": invalid JSON"};
  }
}

Result<json> readJsonFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error{path + ": cannot read: " + std::generic_category().message(errno)};
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) return Error{path + ": cannot read: " + std::generic_category().message(err)};
  return parseJsonText(text, path);
}

// [SECTION] Config

namespace {

const std::vector<std::string_view> kRootKeys = {"registry", "storeOptions"};
const std::vector<std::string_view> kRegistryKeys = {"environment", "policy", "defaultOptions"};
const std::vector<std::string_view> kPolicyNames = {"longest", "first", "last", "shortest"};
const std::vector<std::string_view> kEnvironmentNames = {"browser", "ssr"};

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

Status parseRegistry(const json& r, Config& c) {
  const std::string where = "/registry";
  if (!r.is_object()) return expectedError(where, "an object", r);
  for (const auto& [key, value] : r.items()) {
    const std::string at = childPath(where, key);
    if (key == "environment") {
      if (!value.is_string()) return expectedError(at, "one of " + joined(kEnvironmentNames), value);
      const std::string& s = value.get_ref<const std::string&>();
      if (!parseEnvironment(s, &c.environment))
        return unknownNameError(at, "environment", s, kEnvironmentNames);
    } else if (key == "policy") {
      if (!value.is_string()) return expectedError(at, "one of " + joined(kPolicyNames), value);
      const std::string& s = value.get_ref<const std::string&>();
      if (!parsePolicy(s, &c.policy)) return unknownNameError(at, "policy", s, kPolicyNames);
    } else if (key == "defaultOptions") {
      Result<OptionLayer> layer = parseOptionLayer(value, Layer::Registry, at);
      if (!layer) return layer.error();
      c.defaults = std::move(*layer);
    } else if (parseOptionKey(key)) {
      return inputError(at, "unknown key; options go in \"defaultOptions\"");
    } else {
      return unknownKeyError(at, "key", key, kRegistryKeys);
    }
  }
  return success();
}

Status parseTemplates(const json& s, Config& c) {
  const std::string where = "/storeOptions";
  if (!s.is_object()) return expectedError(where, "an object of store options by name", s);
  for (const auto& [name, value] : s.items()) {
    const std::string at = childPath(where, name);
    if (name.empty()) return inputError(at, "a store options name may not be empty");
    Result<OptionLayer> layer = parseOptionLayer(value, Layer::Template, at);
    if (!layer) return layer.error();
    const std::string idAt = childPath(at, "storeId");
    const json* id = layer->get(OptionKey::StoreId);
    if (!id) return inputError(idAt, "required (the storeId pattern, e.g. \"issue-{issueId}\")");
    Result<StoreIdPattern> pattern = StoreIdPattern::parse(id->get_ref<const std::string&>(), idAt);
    if (!pattern) return pattern.error();
    StoreTemplate t;
    t.name = name;
    t.storeId = std::move(*pattern);
    t.options = std::move(*layer);
    t.options.raw.erase("storeId");
    c.templates.emplace(name, std::move(t));
  }
  return success();
}

Result<Config> parseConfigChecked(const json& j, const std::string& baseDir) {
  if (!j.is_object()) return expectedError("/", "a config object with \"registry\" and \"storeOptions\"", j);
  Config c;
  c.baseDir = baseDir.empty() ? "." : baseDir;
  c.source = j;
  for (const auto& [key, value] : j.items()) {
    if (key == "registry") {
      if (Status ok = parseRegistry(value, c); !ok) return ok.error();
    } else if (key == "storeOptions") {
      if (Status ok = parseTemplates(value, c); !ok) return ok.error();
    } else {
      return unknownKeyError("/" + childPath("", key), "key", key, kRootKeys);
    }
  }
  return c;
}

}  // namespace

Result<Config> parseConfig(const json& j, const std::string& baseDir) {
  try {
    return parseConfigChecked(j, baseDir);
  } catch (const std::exception&) {
    // Validation uses checked accessors; this is the boundary guarantee, not an expected path.
    return Error{"/: the config could not be read"};
  }
}

Result<Config> loadConfigFile(const std::string& path) {
  Result<json> j = readJsonFile(path);
  if (!j) return j.error();
  Result<Config> c = parseConfig(*j, dirName(path));
  if (!c) return Error{path + ": " + c.message()};
  return c;
}

std::string dirName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  size_t end = slash;
  while (end > 0 && path[end - 1] == '/') --end;  // "a//b" -> "a"
  return end == 0 ? "/" : path.substr(0, end);
}

}  // namespace si
