// Who may connect to `listen` (SPEC 11 "Security"), as pure functions of the HTTP upgrade
// request, so the rules are tested without sockets: the path /bridge, the token in the
// query, the Origin a browser sends. The server answers with the status these return.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace si::live {

constexpr size_t kTokenHexChars = 32;

// 32 lowercase hex characters from std::random_device (the kernel's CSPRNG on Linux).
std::string randomToken();

// The Origins allowed by default: http://localhost:* and http://127.0.0.1:*.
std::vector<std::string> defaultAllowedOrigins();

// `origin` matches one of `patterns`: "scheme://host" exactly or "scheme://host:port"
// exactly, or "scheme://host:*" for that host on any port or none. Scheme and host compare
// case-insensitively; "null" and anything else never match.
bool originAllowed(std::string_view origin, const std::vector<std::string>& patterns);

struct Access {
  std::string token;
  std::vector<std::string> allowedOrigins;  // patterns for originAllowed
};

// The HTTP status for an upgrade request: 101 (accept), 404 (path is not /bridge), 401
// (token missing or wrong; compared in constant time), 403 (an Origin header that is not
// allowed; no Origin header is a non-browser client, allowed), 426 (right token but not a
// WebSocket upgrade). `target` is the request target ("/bridge?token=...").
unsigned checkUpgrade(std::string_view target, std::optional<std::string_view> origin,
                      bool isWebSocketUpgrade, const Access& access);

}  // namespace si::live
