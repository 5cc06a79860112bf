// What `ingest` and `listen` print about a live session: per connection its counts, and every
// divergence the session raised (as the driver lists them; each is also an alert event, so a
// journal's replay prints the same). And how both keep their journal.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "cli_internal.hpp"
#include "ingest.hpp"
#include "journal.hpp"
#include "journal_thread.hpp"
#include "session.hpp"

namespace si::cli {

struct LiveDivergence {
  Ms t = 0;
  std::string registry;
  std::string storeId;  // "" when it is about no store
  std::string message;
};

struct LiveSummary {
  std::vector<json> connections;  // {"connection", "registry", "app", "library", ...}
  std::vector<LiveDivergence> divergences;
  double seconds = 0;              // wall time the work took
};

LiveSummary summarize(const Session& s, double seconds);
json summaryJson(const LiveSummary& sum, uint64_t messages, uint64_t badLines);
void printSummary(std::ostream& out, const LiveSummary& sum, uint64_t messages, uint64_t badLines);

// Queues what the session did for the journal, then lets the session forget it: the memory of
// `listen` and `ingest --journal` then follows the journal's queue, not the length of the run.
Status journalAndForget(JournalThread& journal, Session& s);
// "" when `check` and the window can read the journal back; else what is over which limit
// (JournalLimits: a journal is input like any other), for the end of `ingest` and `listen`.
std::string journalOverLimits(const JournalThread& journal, const std::string& path,
                              const JournalLimits& limits = JournalLimits{});

// --tolerance-ms and --policy of `ingest` and `listen` (they beat every hello's own).
Result<live::IngestOptions> judgingOptions(const ParsedArgs& p);

// A non-negative integer flag ("--tolerance-ms 50"), at most `max`.
Result<int64_t> parseCountFlag(const std::string& text, const std::string& flag, int64_t max);

}  // namespace si::cli
