// NDJSON trace files (SPEC 11): one protocol v1 message per line, decoded by decodeMessage.
// A bad line is reported as "path:line: message", skipped and counted; the rest is read.
// Several files are merged into one timeline: each file is a connection whose hello is at 0,
// messages ordered by t, ties (and a file's own out-of-order t) kept in file order.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "protocol.hpp"

namespace si::live {

constexpr size_t kMaxReportedTraceErrors = 100;  // texts kept; every bad line is counted

struct TraceMessage {
  size_t connection = 0;  // the file's index among those merged (0 for a single file)
  size_t line = 0;        // 1-based line in its file
  Message message;
};

struct Trace {
  std::vector<TraceMessage> messages;  // in the order the session applies them
  std::vector<std::string> errors;     // "path:line: message", the first kMaxReportedTraceErrors
  size_t badLines = 0;                 // every line skipped (errors may hold fewer texts)
};

// Reads one file (a regular file only: "path: cannot read: not a regular file"). Blank lines
// (and a final newline, CRLF endings) are not messages. A line over kMaxMessageBytes is an
// error of that line, read past without being kept in memory.
Result<Trace> readTrace(const std::string& path);

// Reads every file and merges them (connection = the file's index). An unreadable file is
// an error of the whole call; bad lines are errors of the trace.
Result<Trace> readTraces(const std::vector<std::string>& paths);

// The merge alone: k sequences into one by t, ties to the lower connection, each sequence's
// own order kept. `parts[i]`'s messages get connection i.
Trace mergeTraces(std::vector<Trace> parts);

}  // namespace si::live
