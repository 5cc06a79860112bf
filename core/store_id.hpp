// storeId rules (SPEC 2.5): errors that fail a request, and lints that only warn.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace si {

// Fails for an empty id, a control character, or invalid UTF-8. Messages start "storeId: ".
Status validateStoreId(std::string_view id);

// Index of the first byte that does not start a valid UTF-8 sequence, or npos when all of `s`
// is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
size_t invalidUtf8At(std::string_view s);

// Control characters (C0, DEL and the C1 controls U+0080..U+009F): refused in storeIds and
// observer ids, escaped wherever file-supplied text is printed.
bool isControlCharacter(unsigned codePoint);
// "<where>: contains a control character (0x1B at byte 3)" for the first one in `s`.
Status checkNoControlCharacters(std::string_view s, const std::string& where);
// `s` with each control character as a visible escape: \n, \r, \t, \x1b, \u009b. Bytes that
// are not valid UTF-8 are kept as they are.
std::string escapeControlCharacters(std::string_view s);

// Lint codes of the id itself, in this order: long, escaping, namespace, nondeterministic.
std::vector<std::string> storeIdLints(std::string_view id);

// True when every byte is in [A-Za-z0-9_.-] (a param value that needs no sanitising).
bool isPlainIdText(std::string_view s);

// True when a file adapter's `directory` (as written) is absolute or leaves the config's
// folder once `.` and `..` are folded (`../x`, `a/../../x`): lint `outside-directory`.
bool directoryLeavesConfigFolder(std::string_view directory);

// One sentence per lint code, from the RFC's storeId guidelines (for the UI and `check`).
std::string_view lintExplanation(std::string_view code);

}  // namespace si
