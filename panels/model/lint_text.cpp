#include "lint_text.hpp"

#include "store_id.hpp"

namespace si::gui {

std::string_view lintExplanationText(std::string_view code) { return lintExplanation(code); }

std::string lintAlertText(std::string_view code, Span gcTime) {
  if (code == kTimerOverflow) {
    return "gcTime " + toString(gcTime) + " ms is above 2147483647: a browser's setTimeout fires at once";
  }
  return "storeId lint: " + std::string(code);
}

}  // namespace si::gui
