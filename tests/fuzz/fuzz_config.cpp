// libFuzzer target: JSON text -> parseJsonText -> parseConfig. Must never crash or throw. The
// reader's fast path must read whatever it accepts exactly as nlohmann does (a trap if not).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../unit/json_typed.hpp"
#include "config.hpp"
#include "json_fast.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (si::json fast; si::parseJsonFast(text, fast)) {
    const si::json ref = si::json::parse(text.begin(), text.end(), nullptr, false);
    if (ref.is_discarded() || !si::test::sameTyped(fast, ref)) __builtin_trap();
  }
  si::Result<si::json> j = si::parseJsonText(text, "fuzz.json");
  if (!j) return 0;
  si::Result<si::Config> c = si::parseConfig(*j, "/nonexistent");
  if (c) (void)c->templates.size();
  return 0;
}
