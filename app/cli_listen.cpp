// `store-inspector listen`: the WebSocket server of SPEC 11 in a terminal. Every message of
// every connection becomes a live command of one session (optionally journaled); on SIGINT or
// SIGTERM (or, with --exit-after-disconnect, when the last app has gone) the connections are
// ended, the journal committed and the divergences printed.
#include <csignal>
#include <iostream>
#include <map>
#include <ostream>

#include "cli_internal.hpp"
#include "cli_listen_worker.hpp"
#include "cli_live.hpp"
#include "driver.hpp"
#include "ingest.hpp"
#include "journal.hpp"
#include "journal_thread.hpp"
#include "server.hpp"

namespace si::cli {

const char* const kListenHelp =
    "Usage: store-inspector listen [--port N] [--token T] [--allow-origin ORIGIN]...\n"
    "                              [--journal PATH] [--tolerance-ms N] [--policy P]\n"
    "                              [--exit-after-disconnect] [--format text|json]\n"
    "\n"
    "Waits for apps on ws://127.0.0.1:PORT/bridge?token=TOKEN (the loopback address only;\n"
    "the URL is printed first) and replays what their bridges send through the model.\n"
    "  --port N                 default 7071; 0 picks a free port\n"
    "  --token T                default: a random token\n"
    "  --allow-origin ORIGIN    a browser Origin to accept besides http://localhost:* and\n"
    "                           http://127.0.0.1:* (repeatable; a trailing :* means any port)\n"
    "  --journal PATH           record the session (committed as it goes and on exit)\n"
    "  --tolerance-ms N         pair facts with model events up to N ms apart (default: each\n"
    "                           hello's toleranceMs, else 0)\n"
    "  --policy P               run every connection's registry under policy P\n"
    "  --exit-after-disconnect  stop once an app has connected and every app has gone\n"
    "Stops on SIGINT or SIGTERM. Exit status: 0 no divergence, 1 divergences, 2 bad input.\n";

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void onStopSignal(int) { g_stop = 1; }

struct ListenRun {
  Session session{Config{}};
  std::unique_ptr<JournalThread> writer;  // SQLite on its own thread, not the messages'
  Status journaled = success();
  json overrides = json::object();
  uint64_t messages = 0;
  std::map<uint64_t, uint64_t> invalid;  // per connection: invalid messages so far
};

// A client that floods bad messages gets each answered with an error frame (the server's
// job); the transcript shows the first few per connection, so logging cannot become the
// bottleneck for everyone else.
constexpr uint64_t kInvalidLogged = 20;

void handle(ListenRun& run, live::ServerEvent& e, SharedLog& log) {
  using Kind = live::ServerEvent::Kind;
  const auto say = [&](const std::string& text) {  // built only when there is something to say
    log.line("listen: connection " + std::to_string(e.connection) + ": " + text);
  };
  if (e.kind == Kind::Message && e.message) {
    const StepResult& r = live::runMessage(run.session, e.connection, std::move(*e.message), run.overrides);
    ++run.messages;
    if (!r.error.empty()) say(r.error);
  } else if (e.kind == Kind::Invalid) {
    const uint64_t n = ++run.invalid[e.connection];
    if (n <= kInvalidLogged) say(e.text);
    if (n == kInvalidLogged) say("further invalid messages are answered and counted, not shown");
  } else if (e.kind == Kind::Disconnected) {
    if (auto it = run.invalid.find(e.connection); it != run.invalid.end() && it->second > kInvalidLogged)
      say(std::to_string(it->second) + " invalid messages in all");
    if (live::awaitsEnd(run.session, e.connection)) run.session.run(live::liveEnd(e.connection));
  }
}

Result<live::ServerOptions> serverOptions(const ParsedArgs& p) {
  live::ServerOptions o;
  if (auto port = p.get("port")) {
    Result<int64_t> n = parseCountFlag(*port, "--port", 65535);
    if (!n) return n.error();
    o.port = static_cast<uint16_t>(*n);
  }
  if (auto token = p.get("token")) o.token = *token;
  for (const auto& [name, value] : p.options)
    if (name == "allow-origin") o.allowOrigins.push_back(value);
  return o;
}

Result<json> overridesOf(const ParsedArgs& p) {
  Result<live::IngestOptions> o = judgingOptions(p);
  if (!o) return o.error();
  return live::helloOverrides(*o);
}

// Refused connections leave no event, only counters: each new one is logged, so a browser
// whose Origin is not allowed (or a wrong token) is visible in the transcript.
void logRefusals(const live::ServerCounters& now, live::ServerCounters& seen, SharedLog& log) {
  const auto count = [&](uint64_t current, uint64_t& before, const char* why) {
    if (current == before) return;
    log.line("listen: refused " + std::to_string(current - before) + " connection" +
             (current - before == 1 ? "" : "s") + " (" + why + ")");
    before = current;
  };
  count(now.refused401, seen.refused401, "401: missing or wrong token");
  count(now.refused403, seen.refused403, "403: Origin not allowed");
  count(now.refusedOther, seen.refusedOther, "wrong path, not a WebSocket upgrade, a bad or unfinished request, or too many connections");
}

// Frames are read and decoded here (the server's handlers) while the worker runs the previous
// ones through the session and hands the journal its rows.
void serve(ListenRun& run, live::Server& server, bool exitAfterDisconnect, SharedLog& log) {
  constexpr size_t kHandlersPerBatch = 4096;  // small batches keep both threads busy
  ListenWorker worker([&](live::ServerEvent& e) { handle(run, e, log); },
                      [&] {
                        if (run.writer && run.journaled) run.journaled = journalAndForget(*run.writer, run.session);
                      });
  live::ServerCounters refused;
  bool anyConnected = false;
  while (!g_stop) {
    std::vector<live::ServerEvent> events = server.wait(std::chrono::milliseconds(50), kHandlersPerBatch);
    for (const live::ServerEvent& e : events) anyConnected = anyConnected || e.kind == live::ServerEvent::Kind::Connected;
    worker.push(std::move(events));
    logRefusals(server.counters(), refused, log);
    if (exitAfterDisconnect && anyConnected && server.openConnections() == 0) break;
  }
  server.stop();
  worker.push(server.poll());
  worker.finish();
  for (uint64_t id : live::unendedConnections(run.session)) run.session.run(live::liveEnd(id));
  if (run.writer && run.journaled) run.journaled = run.writer->append(run.session);
  if (run.writer && run.journaled) run.journaled = run.writer->finish();
}

}  // namespace

int listenCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandArgs parsed = commandArgs("listen", args,
                                   {"port", "token", "allow-origin", "journal", "tolerance-ms", "policy", "format"},
                                   {"exit-after-disconnect"}, kListenHelp, out, err);
  if (!parsed.args) return parsed.exitCode;
  const ParsedArgs& p = *parsed.args;
  Result<live::ServerOptions> so = serverOptions(p);
  Result<json> overrides = so ? overridesOf(p) : Result<json>(so.error());
  const std::string format = p.get("format").value_or("text");
  if (!overrides || !p.positional.empty() || (format != "text" && format != "json")) {
    err << (!overrides ? overrides.message()
            : !p.positional.empty() ? "listen: takes no FILE argument, got " + shortDump(p.positional[0])
                                    : "--format: expected text or json, got " + shortDump(format))
        << "\nTry `store-inspector listen --help`.\n";
    return 2;
  }
  const auto kept = std::make_shared<ListenRun>();
  ListenRun& run = *kept;
  struct Free {  // on every return, the journal closed first
    std::shared_ptr<ListenRun> run;
    ~Free() {
      run->writer.reset();
      freeAtExit(std::move(run));
    }
  } freeLater{kept};
  run.overrides = *overrides;
  if (auto path = p.get("journal")) {
    auto w = JournalWriter::create(*path, run.session);
    if (!w) {
      err << "listen: --journal " << w.message() << "\n";
      return 2;
    }
    run.writer = std::make_unique<JournalThread>(std::move(*w));
  } else {
    run.session.keepNoHistory();  // only the summary is read: no need to hold every message's past
  }
  auto server = live::Server::start(*so);
  if (!server) {
    err << server.message() << "\n";
    return 2;
  }
  out << "listening on " << (*server)->url() << std::endl;
  g_stop = 0;
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  const auto start = std::chrono::steady_clock::now();
  SharedLog log(err);
  serve(run, **server, p.get("exit-after-disconnect").has_value(), log);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  const LiveSummary sum =
      summarize(run.session, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (format == "json") out << summaryJson(sum, run.messages, 0).dump(2) << "\n";
  else printSummary(out, sum, run.messages, 0);
  if (!run.journaled) {
    err << "listen: --journal " << run.journaled.message() << "\n";
    return 2;
  }
  if (run.writer) {
    if (std::string over = journalOverLimits(*run.writer, *p.get("journal")); !over.empty())
      err << "listen: warning: " << over << "\n";
  }
  return sum.divergences.empty() ? 0 : 1;
}

}  // namespace si::cli
