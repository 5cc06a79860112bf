// libFuzzer target: bytes -> decodeMessage (protocol v1, SPEC 11) -> for each shape the calls
// integration makes: the hello's registry name and createRegistry step, a step's rewrite for
// its connection, the error frame of a refused message. Must never crash or throw. What the
// quick reader accepts, the general reader must read to the same body.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config.hpp"
#include "names.hpp"
#include "protocol.hpp"
#include "quick_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  si::Result<si::live::Message> m = si::live::decodeMessage(text);
  if (!m) {
    (void)si::live::errorFrame(m.message());
    return 0;
  }
  (void)m->t();
  if (const std::optional<si::live::Body> quick = si::live::readQuick(text)) {
    si::Result<si::json> tree = si::parseJsonText(text, "");
    if (!tree) __builtin_trap();
    si::Result<si::live::Body> full = si::live::decodeBody(*tree);
    if (!full || !si::live::sameBody(*quick, *full) || !si::live::sameBody(*quick, m->body)) __builtin_trap();
  }
  // The log keeps the text as sent (without a byte-order mark), and it reads as JSON again.
  if (m->text != text && "\xEF\xBB\xBF" + m->text != text) __builtin_trap();
  if (!si::parseJsonText("{\"message\":" + m->text + "}", "").ok()) __builtin_trap();
  if (const auto* hello = std::get_if<si::live::Hello>(&m->body)) {
    const std::string name = si::live::registryNameFor(hello->app, [](std::string_view n) { return n == "web"; });
    (void)si::live::helloRegistryStep(*hello, name).dump(-1, ' ', false, si::json::error_handler_t::replace);
  } else if (const auto* step = std::get_if<si::live::Step>(&m->body)) {
    si::live::Hello h;
    h.app = "web";
    h.policy = "first";
    h.defaultOptions = si::json::object();
    (void)si::live::rewriteStep(step->stepJson(), "web", &h).dump(-1, ' ', false, si::json::error_handler_t::replace);
  }
  return 0;
}
