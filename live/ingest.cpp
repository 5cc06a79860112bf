#include "ingest.hpp"

#include "driver.hpp"
#include "read_ahead.hpp"

namespace si::live {

json helloOverrides(const IngestOptions& o) {
  json out = json::object();
  if (o.toleranceMs) out["toleranceMs"] = *o.toleranceMs;
  if (o.policy) out["policy"] = *o.policy;
  return out;
}

Result<IngestReport> ingestTraces(Session& s, const std::vector<std::string>& paths, const IngestOptions& o) {
  IngestReport rep;
  rep.connections = paths.size();
  Trace trace;
  const json overrides = helloOverrides(o);
  const auto run = [&](TraceMessage&& m) {
    // The text is copied, not taken: the reader's thread allocated it and frees it
    // (streamTracesAhead), which costs less than this thread freeing it.
    Message mine{std::move(m.message.body), std::move(m.message.source), m.message.text};
    const StepResult& r = runMessage(s, m.connection + 1, std::move(mine), overrides);
    if (o.logged) o.logged(r);
    ++rep.messages;
    if (!r.error.empty()) {
      ++rep.badLines;
      if (rep.errors.size() < kMaxReportedTraceErrors)
        rep.errors.push_back(paths[m.connection] + ":" + std::to_string(m.line) + ": " + r.error);
    }
    if (o.afterEach && o.every > 0 && rep.messages % o.every == 0) o.afterEach(rep.messages);
  };
  if (Status ok = streamTracesAhead(paths, run, trace); !ok) return ok.error();
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!awaitsEnd(s, i + 1)) continue;
    const StepResult& r = s.run(liveEnd(i + 1));
    if (o.logged) o.logged(r);
  }
  rep.badLines += trace.badLines;
  rep.errors.insert(rep.errors.begin(), trace.errors.begin(), trace.errors.end());
  if (o.afterEach) o.afterEach(rep.messages);
  return rep;
}

}  // namespace si::live
