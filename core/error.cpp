// The one message builder for input errors (error.hpp).
#include "error.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "store_id.hpp"

namespace si {

// [SECTION] Locations and errors

std::string_view toString(ErrorId id) { return kErrorIdNames[static_cast<size_t>(id)]; }

Location Location::at(std::string pointer) {
  Location l;
  l.pointer = std::move(pointer);
  return l;
}

Location Location::ofFile(std::string file) {
  Location l;
  l.file = std::move(file);
  return l;
}

Location Location::inText(std::string file, size_t line, size_t column) {
  Location l;
  l.file = std::move(file);
  l.line = line;
  l.column = column;
  return l;
}

Location Location::child(std::string_view key) const {
  Location l = *this;
  l.pointer = childPath(pointer, key);
  return l;
}

std::string Location::str() const {
  if (line > 0) return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  if (file.empty()) return pointer;
  return pointer.empty() ? file : file + ": " + pointer;
}

Error::Error(ErrorId i, Location w, std::string_view text) : id(i), where(std::move(w)) {
  message = where.str() + ": " + std::string(text);
}

Error Error::located(const std::string& prefix) const {
  Error e = *this;
  e.message = prefix + ": " + message;
  if (e.where.file.empty()) e.where.file = prefix;
  return e;
}

// [SECTION] Quoting

std::string cutText(std::string_view s) {
  if (s.size() <= kMaxQuoted) return std::string(s);
  size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

std::string shortDump(const json& v) {
  // A long string is cut before it is dumped, so a 2 MB value is never copied whole.
  if (v.is_string() && v.get_ref<const std::string&>().size() > 2 * kMaxQuoted) {
    const std::string& s = v.get_ref<const std::string&>();
    return cutText(json(s.substr(0, 2 * kMaxQuoted)).dump(-1, ' ', false, json::error_handler_t::replace));
  }
  return cutText(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string childPath(const std::string& where, std::string_view key) {
  // A key is echoed in every message located under it: cut it and make its control
  // characters visible, like any other quoted text.
  std::string token;
  for (char c : escapeControlCharacters(cutText(key))) {
    if (c == '~')
      token += "~0";
    else if (c == '/')
      token += "~1";
    else
      token += c;
  }
  return where.empty() ? token : where + "/" + token;
}

// [SECTION] Suggestions

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case.
// Three rolling rows (the transposition looks two rows back), so memory is O(|b|); callers
// keep both words within kMaxSuggestedLength, so time is bounded too.
size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string joinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.size() > kMaxSuggestedLength) return "";
  const size_t limit = std::max<size_t>(1, word.size() / 3);
  std::string_view best;
  size_t bestDistance = limit + 1;
  for (std::string_view c : candidates) {
    if (c.size() > kMaxSuggestedLength) continue;
    const bool sameIgnoringCase =
        c.size() == word.size() &&
        std::equal(c.begin(), c.end(), word.begin(), [](char x, char y) { return lower(x) == lower(y); });
    if (sameIgnoringCase) return std::string(c);
    const size_t d = editDistance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return std::string(best);
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& known) {
  const std::string near = nearest(word, known);
  return near.empty() ? std::string() : "; did you mean \"" + near + "\"?";
}

// [SECTION] Builders

Error invalid(const Location& where, std::string_view text) { return Error(ErrorId::Invalid, where, text); }

Error expected(const Location& where, std::string_view what, const json& got) {
  return Error(ErrorId::Expected, where, "expected " + std::string(what) + ", got " + shortDump(got));
}

Error unknownKey(const Location& where, std::string_view noun, std::string_view key,
                 const std::vector<std::string_view>& known) {
  return Error(ErrorId::UnknownKey, where, "unknown " + std::string(noun) + didYouMean(key, known));
}

Error unknownName(const Location& where, std::string_view noun, std::string_view value,
                  const std::vector<std::string_view>& names) {
  return Error(ErrorId::UnknownName, where,
               "unknown " + std::string(noun) + " " + shortDump(json(std::string(value))) +
                   "; expected one of " + joinNames(names) + didYouMean(value, names));
}

Error inputError(const std::string& where, std::string_view message) {
  return invalid(Location::at(where), message);
}

Error expectedError(const std::string& where, std::string_view what, const json& got) {
  return expected(Location::at(where), what, got);
}

Error unknownKeyError(const std::string& where, std::string_view noun, std::string_view key,
                      const std::vector<std::string_view>& known) {
  return unknownKey(Location::at(where), noun, key, known);
}

Error unknownNameError(const std::string& where, std::string_view noun, std::string_view value,
                       const std::vector<std::string_view>& names) {
  return unknownName(Location::at(where), noun, value, names);
}

}  // namespace si
