// `store-inspector ingest`: trace files recorded by the bridge (SPEC 11) replayed through the
// model, with the library's facts judged; divergences listed, the exit status says if any.
#include <chrono>
#include <ostream>

#include "cli_internal.hpp"
#include "driver.hpp"
#include "ingest.hpp"
#include "journal.hpp"
#include "journal_thread.hpp"
#include "cli_live.hpp"

namespace si::cli {

const char* const kIngestHelp =
    "Usage: store-inspector ingest TRACE... [--tolerance-ms N] [--policy P] [--journal PATH]\n"
    "                                       [--format text|json]\n"
    "\n"
    "Replays NDJSON traces written by the bridge (one protocol v1 message per line; every\n"
    "file is one connection starting at 0 ms, merged by time) through the model, and judges\n"
    "the library's observed creations and disposals against the model's own.\n"
    "  --tolerance-ms N   pair a library fact with a model event up to N ms apart (default:\n"
    "                     each hello's toleranceMs, else 0)\n"
    "  --policy P         run every connection's registry under policy P\n"
    "  --journal PATH     record the session as a journal (`check PATH` replays it)\n"
    "  --format F         text (default) or json\n"
    "\n"
    "Exit status: 0 no divergence, 1 divergences, 2 bad input (a line that is not a v1\n"
    "message is reported as path:line, skipped, and the rest is processed).\n";

namespace {

struct IngestRequest {
  std::vector<std::string> traces;
  live::IngestOptions options;
  std::optional<std::string> journal;
  bool asJson = false;
};

Result<IngestRequest> readRequest(const ParsedArgs& p) {
  IngestRequest req;
  req.traces = p.positional;
  if (req.traces.empty()) return Error{"ingest: expected at least one TRACE file"};
  Result<live::IngestOptions> options = judgingOptions(p);
  if (!options) return options.error();
  req.options = std::move(*options);
  req.journal = p.get("journal");
  const std::string format = p.get("format").value_or("text");
  if (format != "text" && format != "json") return Error{"--format: expected text or json, got " + shortDump(format)};
  req.asJson = format == "json";
  return req;
}

int ingest(const IngestRequest& req, std::ostream& out, std::ostream& err) {
  const auto session = std::make_shared<Session>(Config{});
  Session& s = *session;
  struct Free {  // on every return: the writer (declared after) is closed first
    std::shared_ptr<Session> s;
    ~Free() { freeAtExit(std::move(s)); }
  } freeLater{session};
  std::unique_ptr<JournalThread> writer;  // SQLite on its own thread, not the messages'
  if (req.journal) {
    auto w = JournalWriter::create(*req.journal, s);
    if (!w) {
      err << "ingest: --journal " << w.message() << "\n";
      return 2;
    }
    writer = std::make_unique<JournalThread>(std::move(*w));
  } else {
    s.keepNoHistory();  // only the summary is read: no need to hold every message's past
  }
  live::IngestOptions o = req.options;
  Status journaled = success();
  if (writer) o.afterEach = [&](uint64_t) { if (journaled) journaled = journalAndForget(*writer, s); };
  const auto start = std::chrono::steady_clock::now();
  Result<live::IngestReport> rep = live::ingestTraces(s, req.traces, o);
  if (writer && journaled) journaled = writer->finish();  // the journal is part of the work timed
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!rep) {
    err << "ingest: " << rep.message() << "\n";
    return 2;
  }
  for (const std::string& e : rep->errors) err << e << "\n";
  if (rep->badLines > rep->errors.size())
    err << "ingest: " << rep->badLines - rep->errors.size() << " more bad lines not shown\n";
  if (!journaled) err << "ingest: --journal " << journaled.message() << "\n";
  if (writer && journaled) {
    if (std::string over = journalOverLimits(*writer, *req.journal); !over.empty()) err << "ingest: warning: " << over << "\n";
  }
  const LiveSummary sum = summarize(s, secs);
  if (req.asJson) {
    out << summaryJson(sum, rep->messages, rep->badLines).dump(2) << "\n";
  } else {
    printSummary(out, sum, rep->messages, rep->badLines);
  }
  if (rep->badLines > 0 || !journaled) return 2;
  return sum.divergences.empty() ? 0 : 1;
}

}  // namespace

int ingestCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed =
      commandArgs("ingest", args, {"tolerance-ms", "policy", "journal", "format"}, {}, kIngestHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  Result<IngestRequest> req = readRequest(*parsed.args);
  if (!req) {
    err << req.message() << "\nTry `store-inspector ingest --help`.\n";
    return 2;
  }
  return ingest(*req, out, err);
}

}  // namespace si::cli
