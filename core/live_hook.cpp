#include "live_hook.hpp"

namespace si {
namespace {
LiveHandlerFactory g_factory = nullptr;
}  // namespace

void setLiveHandlerFactory(LiveHandlerFactory factory) { g_factory = factory; }
LiveHandlerFactory liveHandlerFactory() { return g_factory; }

}  // namespace si
