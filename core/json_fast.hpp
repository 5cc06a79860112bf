// The fast path of parseJsonText (config.hpp): a small recursive-descent reader for the JSON
// that tools and bridges write (ASCII strings with simple escapes, integers, any nesting up to
// kMaxJsonDepth). It accepts only what it is sure of and then builds exactly the value the
// full reader would; for anything else (non-ASCII text, \u escapes, fractions and exponents,
// integers near the limits, any error) it returns false, and the full reader runs instead and
// reports errors with their line and column. A live trace is a million such lines.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace si {

using json = nlohmann::ordered_json;

// True and `out` set when `text` (no byte-order mark) is a document this reader is sure of.
bool parseJsonFast(std::string_view text, json& out);

// Appends a key for `v` to `out`: two values get the same key exactly when their dump()s are
// equal (so 5 and 5u share one, 5.0 does not). Not JSON, and cheaper to write than a dump
// (no escaping, strings by length): for caches keyed by a value's text.
void appendJsonKey(const json& v, std::string& out);
// What appendJsonKey appends for the JSON string s, without making the string value.
void appendJsonStringKey(std::string_view s, std::string& out);
// What appendJsonKey appends for the JSON integer v.
void appendJsonIntegerKey(int64_t v, std::string& out);

}  // namespace si
