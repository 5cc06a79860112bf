// File errors panel: files that failed to open or reload, with the same location text as the
// command line ("path:line:column: message", "path: /json/pointer: message"). The previous
// session stays loaded; the app opens this panel whenever an error arrives.
//
// Usage:
//   FileErrorsPanel errors;
//   if (ui.show.fileErrors) errors.Draw("File errors", &ui.show.fileErrors, host);
#pragma once
#include "host.hpp"

namespace si::gui {

struct FileErrorsPanel {
  void Draw(const char* title, bool* open, Host& host);
};

}  // namespace si::gui
