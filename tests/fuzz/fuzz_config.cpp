// libFuzzer target: JSON text -> parseJsonText -> parseConfig. Must never crash or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  si::Result<si::json> j = si::parseJsonText(text, "fuzz.json");
  if (!j) return 0;
  si::Result<si::Config> c = si::parseConfig(*j, "/nonexistent");
  if (c) (void)c->templates.size();
  return 0;
}
