// The messages bridges send most, read straight from their text with no JSON tree: a step
// that attaches, detaches or ends a load (QuickStep), a library fact, a heartbeat. decodeMessage
// tries this reader first. It accepts only compact ASCII text in those shapes (no whitespace,
// no \u escapes, no fractions, every key known and given once); anything else, a hello, and
// every error go to the general reader, which words the errors. What it accepts decodes to
// exactly the body the general reader gives (a QuickStep's toJson() is the step it keeps):
// tests hold the two readers to each other line by line, and the live fuzzer on any bytes.
//
// Usage:
//   if (std::optional<Body> b = readQuick(text)) run(*b);   // else decode in full
#pragma once
#include <optional>
#include <string_view>

#include "protocol.hpp"

namespace si::live {

std::optional<Body> readQuick(std::string_view text);

// Whether two bodies are the same message, however each was read (a step by its JSON).
bool sameBody(const Body& a, const Body& b);

}  // namespace si::live
