// Trace files through a session (SPEC 11, `ingest` and File > Open of a trace): every line a
// `live` command of its file's connection (the file's index + 1), merged by time, then each
// connection's end; lines that are not v1 messages, and messages the session refuses (one
// before a hello), are reported "path:line: message", skipped and counted.
//
// Usage:
//   Session s(Config{});
//   IngestOptions o; o.afterEach = [&] { (*journal)->append(s); };
//   Result<IngestReport> rep = ingestTraces(s, {"trace.ndjson"}, o);
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "session.hpp"

namespace si::live {

struct IngestOptions {
  std::optional<int64_t> toleranceMs;  // --tolerance-ms: beats every hello's toleranceMs
  std::optional<std::string> policy;   // --policy: beats every hello's policy and profile
  // Called after every `every` commands and once at the end (journal appends, progress).
  std::function<void(uint64_t messages)> afterEach;
  uint64_t every = 4096;
  // Called after each command the session logged (the window notes its origin).
  std::function<void(const StepResult& result)> logged;
};

struct IngestReport {
  uint64_t messages = 0;            // live commands executed (ends excluded)
  uint64_t badLines = 0;            // not v1, or refused by the session
  std::vector<std::string> errors;  // "path:line: message" (the first kMaxReportedTraceErrors)
  size_t connections = 0;           // files
};

// The overrides a hello command carries ({"toleranceMs": n, "policy": "..."}; may be empty).
json helloOverrides(const IngestOptions& o);

// Fails only when a file cannot be opened or read (nothing is executed then).
Result<IngestReport> ingestTraces(Session& s, const std::vector<std::string>& paths, const IngestOptions& o);

}  // namespace si::live
