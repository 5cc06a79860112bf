// One family of input errors (STYLE: nlohmann/SQLite): a stable id, a location, what was
// expected, what was found. Options, configs, JSON files and the command line build their
// messages here, so a value is quoted and cut the same way everywhere; tests pin the text.
//
// Usage:
//   return expected(Location::at(where), "a string", v);   // "<where>: expected a string, got 3"
//   return c.error().located(path);                         // "path: /registry: ..."
#pragma once
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace si {

using json = nlohmann::ordered_json;

enum class ErrorId : uint8_t {
  Syntax,       // path:line:column: message
  Io,           // path: cannot read: reason
  Expected,     // <where>: expected <what>, got <value>
  UnknownKey,   // <where>: unknown key; did you mean "x"?
  UnknownName,  // <where>: unknown <noun> "v"; expected one of a, b; did you mean "a"?
  Invalid,      // <where>: <free text> (duplicate, reserved, out of range, ...)
};
constexpr const char* kErrorIdNames[] = {"syntax",      "io",           "expected",
                                         "unknown-key", "unknown-name", "invalid"};
static_assert(std::size(kErrorIdNames) == static_cast<size_t>(ErrorId::Invalid) + 1,
              "one name per ErrorId");
std::string_view toString(ErrorId id);

// Where an error is: a file (may be ""), then a line:column (syntax) or a JSON pointer
// (content). Inside a request the pointer is request-relative, without its leading slash
// ("adapter/loadMs"); on the command line it names the command or the flag ("--policy").
struct Location {
  std::string file;
  std::string pointer;
  size_t line = 0, column = 0;  // syntax errors only (1-based; 0 = none)

  static Location at(std::string pointer);
  static Location ofFile(std::string file);
  static Location inText(std::string file, size_t line, size_t column);
  Location child(std::string_view key) const;  // pointer + "/" + escaped key (childPath)
  // "file:line:column", "file: pointer", "file", "pointer" or "".
  std::string str() const;
};

// What users and tests see is `message`; id and where say what kind of error it is and where.
struct Error {
  std::string message;
  ErrorId id = ErrorId::Invalid;
  Location where;

  Error() = default;
  // A finished message (the reader of a journal, the registry): no id of its own yet.
  Error(std::string m) : message(std::move(m)) {}  // NOLINT(google-explicit-constructor)
  // "<where>: <text>" (an empty location still gives ": <text>", as the builders always did:
  // a bare text is Error(message)).
  Error(ErrorId i, Location w, std::string_view text);
  // The same error seen from outside: "prefix: message". At a loader boundary the prefix is
  // the file, which then becomes the location's file.
  Error located(const std::string& prefix) const;
};

// [SECTION] Quoting: every value a message shows is cut the same way (SPEC 5).

constexpr size_t kMaxQuoted = 80;  // bytes of quoted text before "..."
// Cut to kMaxQuoted bytes at a UTF-8 boundary, "..." appended when cut.
std::string cutText(std::string_view s);
// A JSON value for a message: compact, never throwing on bad UTF-8, cut like cutText.
std::string shortDump(const json& v);
// where + "/" + key as a JSON pointer token: ~ and / escaped, cut like cutText, control
// characters made visible.
std::string childPath(const std::string& where, std::string_view key);

// The closest of `candidates` to `word` by edit distance, or "" when none is close enough.
// No suggestion for a word, and none of a candidate, longer than kMaxSuggestedLength bytes.
constexpr size_t kMaxSuggestedLength = 64;
std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates);
// "; did you mean \"x\"?" or "".
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& known);

// [SECTION] Builders

// "<where>: <text>"
Error invalid(const Location& where, std::string_view text);
// "<where>: expected <what>, got <value as JSON>"
Error expected(const Location& where, std::string_view what, const json& got);
// "<where>: unknown <noun>; did you mean "<nearest>"?" (`where` already names the key)
Error unknownKey(const Location& where, std::string_view noun, std::string_view key,
                 const std::vector<std::string_view>& known);
// "<where>: unknown <noun> "<value>"; expected one of a, b, c; did you mean "a"?"
Error unknownName(const Location& where, std::string_view noun, std::string_view value,
                  const std::vector<std::string_view>& names);

// The same builders for a location written as one string (a JSON pointer, a request-relative
// path or a flag), as options, configs and the registry pass it down.
Error inputError(const std::string& where, std::string_view message);
Error expectedError(const std::string& where, std::string_view what, const json& got);
Error unknownKeyError(const std::string& where, std::string_view noun, std::string_view key,
                      const std::vector<std::string_view>& known);
Error unknownNameError(const std::string& where, std::string_view noun, std::string_view value,
                       const std::vector<std::string_view>& names);

}  // namespace si
