// libFuzzer target: JSON text -> parseScenario (inline configs only) -> every step through a
// Session, then the views the CLI and GUI read. File adapters stay inside a private temp dir.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  si::Result<si::json> j = si::parseJsonText(text, "fuzz.json");
  if (!j || !j->is_object()) return 0;
  // Inline configs only: a config path would read (and write next to) arbitrary files.
  if (j->contains("config") && !(*j)["config"].is_object()) return 0;
  if (!si::fuzz::staysInside(*j)) return 0;
  si::Result<si::Scenario> sc = si::parseScenario(*j, si::fuzz::tempDir() + "/fuzz.json", {});
  if (!sc) return 0;
  si::Session session(sc->config);
  for (const si::json& step : sc->steps) (void)session.execute(step);
  for (const si::Event& e : session.registry().events()) (void)session.registry().eventJson(e).dump();
  (void)session.snapshotExpectations();
  (void)session.registry().nextTimerDue();
  return 0;
}
