// The listen server's admission rules: token, path, Origin.
#include "access.hpp"

#include <random>

namespace si::live {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Compares every byte whatever the first difference, so the time says nothing of the token.
bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool matchesPattern(std::string_view origin, std::string_view pattern) {
  constexpr std::string_view kAnyPort = ":*";
  if (pattern.size() < kAnyPort.size() || pattern.substr(pattern.size() - kAnyPort.size()) != kAnyPort)
    return equalsNoCase(origin, pattern);
  const std::string_view base = pattern.substr(0, pattern.size() - kAnyPort.size());
  if (origin.size() < base.size() || !equalsNoCase(origin.substr(0, base.size()), base)) return false;
  const std::string_view rest = origin.substr(base.size());
  return rest.empty() || (rest[0] == ':' && allDigits(rest.substr(1)));
}

// The value of `name` in the query of `target` ("/path?a=1&token=x"), if present.
std::optional<std::string_view> queryValue(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace

std::string randomToken() {
  std::random_device device;  // /dev/urandom (getrandom) with libstdc++ on Linux
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  while (token.size() < kTokenHexChars) {
    const unsigned word = device();
    for (int shift = 0; shift < 32 && token.size() < kTokenHexChars; shift += 4)
      token += kHex[(word >> shift) & 0xF];
  }
  return token;
}

std::vector<std::string> defaultAllowedOrigins() {
  return {"http://localhost:*", "http://127.0.0.1:*"};
}

bool originAllowed(std::string_view origin, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (matchesPattern(origin, p)) return true;
  }
  return false;
}

unsigned checkUpgrade(std::string_view target, std::optional<std::string_view> origin,
                      bool isWebSocketUpgrade, const Access& access) {
  if (target.substr(0, target.find('?')) != "/bridge") return 404;
  const std::optional<std::string_view> token = queryValue(target, "token");
  if (!token || access.token.empty() || !constantTimeEquals(*token, access.token)) return 401;
  if (origin && !originAllowed(*origin, access.allowedOrigins)) return 403;
  if (!isWebSocketUpgrade) return 426;
  return 101;
}

}  // namespace si::live
