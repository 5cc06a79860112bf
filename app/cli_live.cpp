#include "cli_live.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "cli_internal.hpp"
#include "driver.hpp"

namespace si::cli {
namespace {

json connectionJson(const live::Connection& c) {
  return json{{"connection", c.id},     {"registry", c.registry},
              {"app", c.hello.app},     {"library", std::string(live::toString(c.hello.library))},
              {"libraryVersion", c.hello.libraryVersion},
              {"messages", c.messages}, {"steps", c.steps},
              {"facts", c.facts},       {"heartbeats", c.heartbeats},
              {"failedSteps", c.failedSteps}, {"skew", c.skew},
              {"dropped", c.dropped},   {"divergences", c.divergences},
              {"toleranceMs", c.judge.tolerance()}, {"ended", c.ended}};
}

}  // namespace

Status journalAndForget(JournalThread& journal, Session& s) {
  Status ok = journal.append(s);
  if (ok) s.forgetBefore(journal.collectedCommands(), journal.collectedEvents());
  return ok;
}

std::string journalOverLimits(const JournalThread& journal, const std::string& path, const JournalLimits& limits) {
  const auto over = [](size_t n, int64_t max, const char* what) {
    return static_cast<int64_t>(n) <= max ? std::string()
                                          : std::to_string(n) + " " + what + " (at most " + std::to_string(max) + ")";
  };
  std::string text = over(journal.collectedCommands(), limits.maxCommands, "commands");
  const std::string events = over(journal.collectedEvents(), limits.maxEvents, "events");
  if (!events.empty()) text += (text.empty() ? "" : " and ") + events;
  const auto sizeOf = [](const std::string& file) -> uint64_t {
    std::error_code ec;  // a -wal file that is not there counts nothing
    const auto n = std::filesystem::file_size(file, ec);
    return ec ? 0 : static_cast<uint64_t>(n);
  };
  const uint64_t bytes = sizeOf(path) + sizeOf(path + "-wal");
  if (bytes > limits.maxBytes) {
    text += (text.empty() ? "" : " and ") + std::to_string(bytes) + " bytes with its -wal file (at most " +
            std::to_string(limits.maxBytes) + ")";
  }
  if (text.empty()) return "";
  return path + " has " + text + ": `check` and the window will refuse to read it back; record a shorter run";
}

LiveSummary summarize(const Session& s, double seconds) {
  LiveSummary sum;
  sum.seconds = seconds;
  const live::Driver* d = live::driverOf(s);
  if (d == nullptr) return sum;
  for (const auto& [id, c] : d->connections()) sum.connections.push_back(connectionJson(c));
  const auto& registries = s.registry().registries();
  for (const live::RaisedDivergence& v : d->divergences())
    sum.divergences.push_back(LiveDivergence{v.t, registries[v.registry].name, v.storeId, v.message});
  return sum;
}

json summaryJson(const LiveSummary& sum, uint64_t messages, uint64_t badLines) {
  json div = json::array();
  for (const LiveDivergence& d : sum.divergences) {
    div.push_back(json{{"t", d.t}, {"registry", d.registry},
                       {"storeId", d.storeId.empty() ? json() : json(d.storeId)}, {"message", d.message}});
  }
  return json{{"messages", messages}, {"badLines", badLines}, {"seconds", sum.seconds},
              {"connections", sum.connections}, {"divergences", div}};
}

void printSummary(std::ostream& out, const LiveSummary& sum, uint64_t messages, uint64_t badLines) {
  const double rate = sum.seconds > 0 ? double(messages) / sum.seconds : 0;
  out << messages << " messages from " << sum.connections.size() << " connection"
      << (sum.connections.size() == 1 ? "" : "s") << " in " << seconds3(int64_t(sum.seconds * 1000))
      << " s (" << int64_t(rate) << " messages/s)";
  if (badLines > 0) out << ", " << badLines << " bad";
  out << "\n";
  for (const json& c : sum.connections) {
    out << "  " << c["connection"].get<uint64_t>() << " " << c["registry"].get<std::string>() << " ("
        << c["library"].get<std::string>();
    if (!c["libraryVersion"].get<std::string>().empty()) out << " " << c["libraryVersion"].get<std::string>();
    out << "): " << c["messages"] << " messages, " << c["steps"] << " steps, " << c["facts"] << " facts, "
        << c["skew"] << " skewed, " << c["dropped"] << " dropped, " << c["divergences"] << " divergences"
        << (c["ended"].get<bool>() ? "" : " (open)") << "\n";
  }
  out << sum.divergences.size() << " divergence" << (sum.divergences.size() == 1 ? "" : "s") << "\n";
  for (const LiveDivergence& d : sum.divergences) {
    out << "  t=" << d.t << " " << d.registry << (d.storeId.empty() ? "" : "/" + d.storeId) << ": "
        << d.message << "\n";
  }
}

Result<int64_t> parseCountFlag(const std::string& text, const std::string& flag, int64_t max) {
  const bool digits = !text.empty() && text.size() <= 15 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::stoll(text) > max)
    return Error{flag + ": expected a whole number from 0 to " + std::to_string(max) + ", got " + shortDump(text)};
  return std::stoll(text);
}

Result<live::IngestOptions> judgingOptions(const ParsedArgs& p) {
  live::IngestOptions o;
  if (auto tol = p.get("tolerance-ms")) {
    Result<int64_t> ms = parseCountFlag(*tol, "--tolerance-ms", 86400000);
    if (!ms) return ms.error();
    o.toleranceMs = *ms;
  }
  if (auto pol = p.get("policy")) {
    Policy unused;
    if (!parsePolicy(*pol, &unused))
      return Error{"--policy: expected longest, first, last or shortest, got " + shortDump(*pol)};
    o.policy = *pol;
  }
  return o;
}

}  // namespace si::cli
