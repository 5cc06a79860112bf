// File > Export, callable without a window: the events as CSV, the timeline as a PNG (rasterised
// here from the lanes, no GL read-back) and the session as a scenario file. Each returns the
// outcome and reports a failure to wb.fileErrors() as well.
#pragma once
#include <string>

#include "workbench.hpp"

namespace si::gui {

Status exportEventsCsv(Workbench& wb, const std::string& path);
Status exportTimelinePng(Workbench& wb, const std::string& path);
// The live log, or the log up to the time cursor when viewing the past (flushes the clock).
Status exportScenario(Workbench& wb, const std::string& path);

}  // namespace si::gui
