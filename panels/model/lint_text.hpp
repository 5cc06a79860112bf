// What the panels say about a lint code: one explanation per code (the command line's, from
// core/store_id) in the Store panel, one line per code in the Alerts panel.
#pragma once
#include <string>
#include <string_view>

#include "types.hpp"

namespace si::gui {

constexpr std::string_view kTimerOverflow = "timer-overflow";

// Why a lint matters (Store panel, "Lints").
std::string_view lintExplanationText(std::string_view code);
// The Alerts panel's line for one lint of a store with that effective gcTime.
std::string lintAlertText(std::string_view code, Span gcTime);

}  // namespace si::gui
