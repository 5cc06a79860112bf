// streamTraces with the reading and decoding on a thread of its own: the caller's thread gets
// the messages in batches and only runs them. `ingest` is bound by its session's thread, and a
// trace line's reading and decoding are a tenth of its cost or more; on two cores they overlap.
//
// Usage:
//   Trace trace;
//   Status ok = streamTracesAhead(paths, [&](TraceMessage&& m) { run(m); }, trace);
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "trace_reader.hpp"

namespace si::live {

// As streamTraces (the same messages in the same order, the same errors in `trace`, the same
// result), with `onMessage` called on the caller's thread. The reader stays at most a few
// thousand messages ahead, so memory stays bounded whatever the trace's size. The messages
// onMessage leaves (moved from or not) are destroyed on the reader's thread: a caller that
// copies a message's text instead of taking it keeps each thread freeing its own memory.
Status streamTracesAhead(const std::vector<std::string>& paths,
                         const std::function<void(TraceMessage&&)>& onMessage, Trace& trace);

}  // namespace si::live
