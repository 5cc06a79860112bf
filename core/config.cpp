// Config files (SPEC 3) and the JSON reader. Nothing here throws: nlohmann's exceptions are
// caught at this boundary and become Errors with a location a user can act on.
#include "config.hpp"

#include <algorithm>

#include "json_fast.hpp"
#include "store_id.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <unordered_map>

namespace si {

// [SECTION] JSON text

namespace {

// Builds an ordered_json in one pass. nlohmann's own builder finds each new key by a linear
// search of the object's earlier keys (ordered_map is a vector), so one object of n keys took
// O(n^2): 13 s for 100,000. Here an object past kIndexFrom keys gets a hash index of its keys.
// As with nlohmann, a repeated key keeps its first position and takes its last value. A SAX
// handler also learns where a parse failed (nlohmann reports some errors, such as a number
// overflow, without a position, but always hands one to the handler).
class OrderedBuilder : public nlohmann::json_sax<json> {
 public:
  json root;
  size_t errorPosition = 0;
  std::string errorMessage;

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& v) override { return put(std::move(v)); }
  bool binary(binary_t& v) override { return put(json::binary(v)); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& k) override;
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) override {
    errorPosition = pos;
    errorMessage = ex.what();
    return false;
  }

 private:
  static constexpr size_t kIndexFrom = 16;  // below this a linear search beats hashing
  struct Frame {
    json* value;                                     // the open array or object
    std::unordered_map<std::string, size_t> index;  // key -> position, once the object is large
  };
  std::vector<Frame> frames_;
  json* slot_ = nullptr;  // where the innermost object's next value goes

  json* place(json&& v) {
    if (frames_.empty()) {
      root = std::move(v);
      return &root;
    }
    json& top = *frames_.back().value;
    if (top.is_array()) {
      auto& a = top.get_ref<json::array_t&>();
      a.push_back(std::move(v));
      return &a.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }
  bool put(json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    frames_.push_back(Frame{place(std::move(container)), {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }
};

bool OrderedBuilder::key(string_t& k) {
  Frame& f = frames_.back();
  // ordered_map's operator[] takes a key; positions go through iterators.
  auto& members = f.value->get_ref<json::object_t&>();
  size_t at = members.size();
  if (members.size() < kIndexFrom && f.index.empty()) {
    for (size_t i = 0; i < members.size(); ++i) {
      if (members.begin()[static_cast<std::ptrdiff_t>(i)].first == k) at = i;
    }
  } else {
    if (f.index.empty()) {
      for (size_t i = 0; i < members.size(); ++i)
        f.index.emplace(members.begin()[static_cast<std::ptrdiff_t>(i)].first, i);
    }
    at = f.index.try_emplace(k, members.size()).first->second;
  }
  if (at == members.size()) members.emplace_back(std::move(k), nullptr);
  slot_ = &members.begin()[static_cast<std::ptrdiff_t>(at)].second;
  return true;
}

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

std::string tooLarge() { return "larger than " + std::to_string(kMaxJsonFileBytes >> 20) + " MiB"; }

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

// "name:line:column: message" for the byte at `index`.
Error syntaxError(std::string_view text, size_t index, const std::string& name, const std::string& message) {
  const auto [line, column] = lineColumn(text, index);
  return Error(ErrorId::Syntax, Location::inText(name, line, column), message);
}

}  // namespace

Result<json> parseJsonText(std::string_view text, const std::string& name) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (json fast; parseJsonFast(text, fast)) return fast;  // the usual document, read at once
  if (const size_t deep = tooDeepAt(text); deep != std::string_view::npos) {
    return syntaxError(text, deep, name,
                       "nested deeper than " + std::to_string(kMaxJsonDepth) + " arrays and objects");
  }
  const auto located = [&](size_t index, const std::string& message) {
    return syntaxError(text, index, name, message);
  };
  OrderedBuilder builder;
  try {
    if (!json::sax_parse(text.begin(), text.end(), &builder)) {
      // nlohmann's position counts the bytes read, the offending one included.
      return located(builder.errorPosition > 0 ? builder.errorPosition - 1 : 0,
                     plainMessage(builder.errorMessage));
    }
  } catch (const std::exception&) {
    return Error(ErrorId::Syntax, Location::ofFile(name), "invalid JSON");
  }
  // nlohmann's lexer takes a NUL byte for the end of its input, so "{}\0 junk" parsed as "{}".
  // A NUL cannot be inside a string (control characters must be escaped there), so one here
  // follows the document.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos)
    return located(nul, "unexpected NUL byte after the JSON document; expected end of input");
  return std::move(builder.root);
}

namespace {

Error cannotRead(const std::string& path, const std::string& reason) {
  return Error(ErrorId::Io, Location::ofFile(path), "cannot read: " + reason);
}
Error cannotRead(const std::string& path, int err) {
  return cannotRead(path, std::generic_category().message(err));
}

Status checkType(const std::string& path, const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return cannotRead(path, EISDIR);
  if (!S_ISREG(st.st_mode)) return cannotRead(path, "not a regular file");
  return success();
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Status checkRegularFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return cannotRead(path, errno);
  return checkType(path, st);
}

Result<json> readJsonFile(const std::string& path) {
  // Checked before opening, so a FIFO is never opened; O_NONBLOCK keeps a FIFO swapped in after
  // the check from blocking, and fstat checks what was really opened.
  if (Status ok = checkRegularFile(path); !ok) return ok.error();
  const Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) return cannotRead(path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return cannotRead(path, errno);
  if (Status ok = checkType(path, st); !ok) return ok.error();
  if (static_cast<uint64_t>(st.st_size) > kMaxJsonFileBytes) return cannotRead(path, tooLarge());
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buffer[1 << 16];
  while (text.size() <= kMaxJsonFileBytes) {  // the file may grow while it is read
    const ssize_t n = ::read(f.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cannotRead(path, errno);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  if (text.size() > kMaxJsonFileBytes) return cannotRead(path, tooLarge());
  return parseJsonText(text, path);
}

// [SECTION] Config

namespace {

const std::vector<std::string_view> kRootKeys = {"registry", "storeOptions"};
bool contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

const std::vector<std::string_view> kRegistryKeys = {"environment", "policy", "profile", "defaultOptions",
                                                     "identity", "clientId", "sessionId"};
const std::vector<std::string_view> kIdentityKeys = {"clientId", "sessionId"};

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

// registry.identity (SPEC 9): {"clientId": "registry" | "store", "sessionId": "registry" |
// "instance"}; a key it omits takes its default (the object replaces the inherited one whole).
Status parseIdentity(const json& v, const std::string& at, RegistrySettings& s) {
  if (!v.is_object()) return expectedError(at, "an object such as {\"sessionId\": \"instance\"}", v);
  s.clientIdMode = ClientIdMode::Registry;
  s.sessionIdMode = SessionIdMode::Registry;
  for (const auto& [key, value] : v.items()) {
    const std::string kat = childPath(at, key);
    if (!contains(kIdentityKeys, key)) return unknownKeyError(kat, "identity key", key, kIdentityKeys);
    const std::vector<std::string_view> names =
        key == "clientId" ? std::vector<std::string_view>{"registry", "store"}
                          : std::vector<std::string_view>{"registry", "instance"};
    if (!value.is_string()) return expectedError(kat, "one of " + joined(names), value);
    const std::string& name = value.get_ref<const std::string&>();
    const bool ok = key == "clientId" ? parseClientIdMode(name, &s.clientIdMode)
                                      : parseSessionIdMode(name, &s.sessionIdMode);
    if (!ok) return unknownNameError(kat, std::string(key) + " choice", name, names);
  }
  return success();
}

Status parseRegistryKey(const std::string& key, const json& value, const std::string& at,
                        RegistrySettings& s) {
  if (key == "environment") {
    if (!value.is_string()) return expectedError(at, "one of " + joined(environmentNames()), value);
    const std::string& v = value.get_ref<const std::string&>();
    if (!parseEnvironment(v, &s.environment)) return unknownNameError(at, "environment", v, environmentNames());
  } else if (key == "policy") {
    if (!value.is_string()) return expectedError(at, "one of " + joined(policyNames()), value);
    const std::string& v = value.get_ref<const std::string&>();
    if (!parsePolicy(v, &s.policy)) return unknownNameError(at, "policy", v, policyNames());
    s.policyExplicit = true;
  } else if (key == "profile") {
    if (!value.is_string()) return expectedError(at, "one of " + joined(profileNames()), value);
    const std::string& v = value.get_ref<const std::string&>();
    if (!parseProfile(v, &s.profile)) return unknownNameError(at, "profile", v, profileNames());
  } else if (key == "defaultOptions") {
    Result<OptionLayer> layer = parseOptionLayer(value, Layer::Registry, at);
    if (!layer) return layer.error();
    s.defaults = std::move(*layer);
  } else if (key == "identity") {
    return parseIdentity(value, at, s);
  } else {  // clientId, sessionId: the registry's own identity strings
    if (!value.is_string() || value.get_ref<const std::string&>().empty())
      return expectedError(at, "a non-empty string", value);
    if (Status ok = checkNoControlCharacters(value.get_ref<const std::string&>(), at); !ok) return ok;
    (key == "clientId" ? s.clientId : s.sessionId) = value.get<std::string>();
  }
  return success();
}

}  // namespace

bool isRegistryName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
  });
}

RegistrySettings registrySettings(const Config& c) {
  RegistrySettings s;
  s.environment = c.environment;
  s.policy = c.policy;
  s.policyExplicit = c.policyExplicit;
  s.profile = c.profile;
  s.defaults = c.defaults;
  s.clientIdMode = c.clientIdMode;
  s.sessionIdMode = c.sessionIdMode;
  s.clientId = c.clientId;
  s.sessionId = c.sessionId;
  return s;
}

Result<RegistrySettings> parseRegistryBlock(const json& block, const std::string& where,
                                            RegistrySettings base,
                                            const std::vector<std::string_view>& extraKeys) {
  if (!block.is_object()) return expectedError(where, "an object", block);
  for (const auto& [key, value] : block.items()) {
    if (contains(extraKeys, key)) continue;
    const std::string at = childPath(where, key);
    if (contains(kRegistryKeys, key)) {
      if (Status ok = parseRegistryKey(key, value, at, base); !ok) return ok.error();
    } else if (parseOptionKey(key)) {
      return inputError(at, "unknown key; options go in \"defaultOptions\"");
    } else {
      std::vector<std::string_view> known = extraKeys;
      known.insert(known.end(), kRegistryKeys.begin(), kRegistryKeys.end());
      return unknownKeyError(at, "key", key, known);
    }
  }
  if (!base.policyExplicit) base.policy = defaultPolicy(base.profile);
  return base;
}

namespace {

Status parseRegistry(const json& r, Config& c) {
  Result<RegistrySettings> s = parseRegistryBlock(r, "/registry", registrySettings(c));
  if (!s) return s.error();
  c.environment = s->environment;
  c.policy = s->policy;
  c.policyExplicit = s->policyExplicit;
  c.profile = s->profile;
  c.defaults = std::move(s->defaults);
  c.clientIdMode = s->clientIdMode;
  c.sessionIdMode = s->sessionIdMode;
  c.clientId = s->clientId;
  c.sessionId = s->sessionId;
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
    return inputError("/", "the config could not be read");
  }
}

Result<Config> loadConfigFile(const std::string& path) {
  Result<json> j = readJsonFile(path);
  if (!j) return j.error();
  Result<Config> c = parseConfig(*j, dirName(path));
  if (!c) return c.error().located(path);
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
