// NDJSON trace files (SPEC 11): one protocol v1 message per line, decoded by decodeMessage.
// A bad line is reported as "path:line: message", skipped and counted; the rest is read.
// Several files are merged into one timeline: each file is a connection whose hello is at 0,
// messages ordered by t, ties (and a file's own out-of-order t) kept in file order.
#pragma once
#include <cstddef>
#include <functional>
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

// Streams every message of `paths` in merged order to `onMessage` (connection = the file's
// index), reading each file line by line: memory is one line per file, whatever the trace's
// size, so `ingest` can execute as it reads. Every file is opened and checked before the first
// message; an unreadable file (or a read error) is the returned error. Blank lines (and a
// final newline, CRLF endings) are not messages; a line over kMaxMessageBytes is an error of
// that line, read past without being kept. Bad lines go to
// `trace.errors` / `trace.badLines`; `trace.messages` is left alone.
Status streamTraces(const std::vector<std::string>& paths,
                    const std::function<void(TraceMessage&&)>& onMessage, Trace& trace);

// streamTraces collected into trace.messages (a single file: readTrace).
Result<Trace> readTraces(const std::vector<std::string>& paths);
Result<Trace> readTrace(const std::string& path);

}  // namespace si::live
