// The desktop window (SPEC 1, 5): `store-inspector [FILE]` and `--screenshot PNG [--frames N]`.
#pragma once
#include "cli.hpp"

namespace si::gui {

// Opens the window on req.file (or the bundled example config) and runs until closed.
// Returns 0, or 2 without a display or on bad input. With req.screenshot set: renders
// req.frames frames, writes the PNG and returns 0 (1 if the PNG cannot be written).
int run(const si::cli::GuiRequest& req);

}  // namespace si::gui
