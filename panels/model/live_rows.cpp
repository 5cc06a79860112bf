#include "live_rows.hpp"

namespace si::gui {

std::vector<LiveRow> buildLiveRows(const live::Driver* driver, const live::Server* server, uint64_t base,
                                   std::chrono::steady_clock::time_point now) {
  std::vector<LiveRow> rows;
  if (driver == nullptr) return rows;
  for (const auto& [id, c] : driver->connections()) {
    LiveRow r;
    r.connection = id;
    r.app = c.hello.app;
    r.library = std::string(live::toString(c.hello.library));
    r.libraryVersion = c.hello.libraryVersion;
    r.registry = c.registry;
    r.registryIndex = c.index;
    r.messages = c.messages;
    r.errors = c.failedSteps;
    r.skew = c.skew;
    r.dropped = c.dropped;
    r.divergences = c.divergences;
    r.lastT = c.last;
    const live::ConnectionStats* st = server != nullptr && id > base ? server->stats(id - base) : nullptr;
    if (st != nullptr) {
      r.errors += st->errors;
      r.state = st->open && !c.ended ? LiveState::Connected : LiveState::Disconnected;
      if (st->lastMessage) r.secondsSinceLast = std::chrono::duration<double>(now - *st->lastMessage).count();
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string liveSummary(const std::vector<LiveRow>& rows) {
  size_t connected = 0;
  uint64_t messages = 0, divergences = 0;
  for (const LiveRow& r : rows) {
    connected += r.state == LiveState::Connected;
    messages += r.messages;
    divergences += r.divergences;
  }
  const auto plural = [](uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return plural(rows.size(), "app", "apps") + " (" + std::to_string(connected) + " connected) · " +
         plural(messages, "message", "messages") + " · " + plural(divergences, "divergence", "divergences");
}

std::string bridgeSnippet(const std::string& library, const std::string& url) {
  if (library == "livestore") {
    return "import { connectStoreRegistry } from '@store-inspector/bridge'\n"
           "// before the first store is created:\n"
           "const bridge = connectStoreRegistry(storeRegistry, {\n"
           "  url: '" + url + "', app: 'my-app',\n"
           "})\n";
  }
  return "import { connectQueryClient } from '@store-inspector/bridge'\n"
         "const bridge = connectQueryClient(queryClient, {\n"
         "  url: '" + url + "', app: 'my-app',\n"
         "})\n"
         "// bridge.close() when the app shuts down\n";
}

}  // namespace si::gui
