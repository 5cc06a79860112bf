#include "store_id.hpp"

#include <algorithm>
#include <cstdio>

#include "options.hpp"

namespace si {
namespace {

bool isPlainByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string hexByte(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid there.
// Rejects overlong forms, surrogates and code points above U+10FFFF.
size_t utf8Length(std::string_view s, size_t i, unsigned* codePoint) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned c = b(i);
  size_t n;
  unsigned cp;
  if (c < 0x80) {
    *codePoint = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *codePoint = cp;
  return n;
}

}  // namespace

Status validateStoreId(std::string_view id) {
  if (id.empty()) return Error{"storeId: empty"};
  for (size_t i = 0; i < id.size();) {
    unsigned cp = 0;
    const size_t n = utf8Length(id, i, &cp);
    if (n == 0) {
      return Error{"storeId: not valid UTF-8 (byte " + std::to_string(i) + " is " +
                   hexByte(static_cast<unsigned char>(id[i])) + ")"};
    }
    if (isControlCharacter(cp)) {
      return Error{"storeId: contains a control character (" +
                   (cp < 0x100 ? hexByte(cp) : std::to_string(cp)) + " at byte " +
                   std::to_string(i) + ")"};
    }
    i += n;
  }
  return success();
}

bool isControlCharacter(unsigned cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F); }

Status checkNoControlCharacters(std::string_view s, const std::string& where) {
  for (size_t i = 0; i < s.size();) {
    unsigned cp = 0;
    const size_t n = utf8Length(s, i, &cp);
    if (n > 0 && isControlCharacter(cp)) {
      return Error{where + ": contains a control character (" + hexByte(cp) + " at byte " +
                   std::to_string(i) + ")"};
    }
    i += n > 0 ? n : 1;
  }
  return success();
}

std::string escapeControlCharacters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned cp = 0;
    const size_t n = utf8Length(s, i, &cp);
    if (n == 0 || !isControlCharacter(cp)) {
      out.append(s.substr(i, n > 0 ? n : 1));
      i += n > 0 ? n : 1;
      continue;
    }
    char buf[8];
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      out += cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : "\\t";
    } else {
      std::snprintf(buf, sizeof buf, cp < 0x80 ? "\\x%02x" : "\\u%04x", cp);
      out += buf;
    }
    i += n;
  }
  return out;
}

size_t invalidUtf8At(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII, nearly every byte of every step
      ++i;
      continue;
    }
    unsigned cp = 0;
    const size_t n = utf8Length(s, i, &cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool isPlainIdText(std::string_view s) {
  for (char c : s) {
    if (!isPlainByte(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::vector<std::string> storeIdLints(std::string_view id) {
  std::vector<std::string> lints;
  if (id.size() > 120) lints.emplace_back("long");
  if (!isPlainIdText(id)) lints.emplace_back("escaping");
  bool namespaced = false;
  for (size_t i = 1; i + 1 < id.size(); ++i) {
    if (id[i] == '-' || id[i] == '_') namespaced = true;
  }
  if (!namespaced) lints.emplace_back("namespace");
  bool nondeterministic = false;
  for (size_t i = 0; i < id.size() && !nondeterministic;) {
    if (!isDigit(id[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < id.size() && isDigit(id[j])) ++j;
    if (j - i >= 13) nondeterministic = true;
    if (j < id.size() && id[j] == '.') {  // digits, a dot and 3 or more digits: 0.8413
      size_t k = j + 1;
      while (k < id.size() && isDigit(id[k])) ++k;
      if (k - (j + 1) >= 3) nondeterministic = true;
    }
    i = j;
  }
  if (nondeterministic) lints.emplace_back("nondeterministic");
  return lints;
}

Result<std::string> StoreIdPattern::fill(
    const std::vector<std::pair<std::string, std::string>>& params) const {
  auto valueOf = [&](std::string_view name) -> const std::string* {
    for (const auto& [k, v] : params) {
      if (k == name) return &v;
    }
    return nullptr;
  };
  for (const std::string& ph : placeholders) {
    if (!valueOf(ph)) return Error{"params: missing " + shortDump(ph) + " for storeId " + shortDump(text)};
  }
  for (const auto& [k, v] : params) {
    if (std::find(placeholders.begin(), placeholders.end(), k) == placeholders.end()) {
      return Error{"params: " + shortDump(k) + " is not used by storeId " + shortDump(text)};
    }
  }
  // The pattern was checked when the config was read: every "{" has its "}".
  std::string id;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '{') {
      id += text[i++];
      continue;
    }
    const size_t close = text.find('}', i);
    id += *valueOf(std::string_view(text).substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return id;
}

bool directoryLeavesConfigFolder(std::string_view directory) {
  if (!directory.empty() && directory.front() == '/') return true;
  int depth = 0;  // folders below the config's folder, segment by segment
  size_t i = 0;
  while (i <= directory.size()) {
    size_t end = directory.find('/', i);
    if (end == std::string_view::npos) end = directory.size();
    const std::string_view seg = directory.substr(i, end - i);
    if (seg == "..") {
      if (--depth < 0) return true;
    } else if (!seg.empty() && seg != ".") {
      depth++;
    }
    i = end + 1;
  }
  return false;
}

std::string_view lintExplanation(std::string_view code) {
  if (code == "long")
    return "Longer than 120 bytes: keep storeIds short, they end up in storage keys, URLs and "
           "telemetry.";
  if (code == "escaping")
    return "Has characters outside [A-Za-z0-9_.-] that need escaping in file names and URLs "
           "(an email or path in the id?).";
  if (code == "namespace")
    return "Not namespaced: prefix the id with its store type (issue-42, not 42) so ids of "
           "different store types cannot collide.";
  if (code == "nondeterministic")
    return "Looks non-deterministic (a millisecond timestamp or Math.random()): the same entity "
           "must give the same storeId on every render.";
  if (code == "unsanitized-param")
    return "A template param carried characters outside [A-Za-z0-9_.-]: sanitise user input "
           "before it becomes part of a storeId.";
  if (code == "outside-directory")
    return "The file adapter's directory is absolute or leaves the config's folder: `run` writes "
           "store files there, `check` and journal replays keep them in a scratch folder.";
  if (code == "timer-overflow")
    return "gcTime above 2147483647 ms: browsers' setTimeout fires such a timer at once, so the "
           "store would be collected immediately.";
  return "";
}

}  // namespace si
