// store-inspector entry point: headless commands go to the CLI; everything else opens the window.
#include "cli.hpp"
#include "sqlite_guard.hpp"

#ifdef SI_WITH_GUI
#include "gui.hpp"
#endif

int main(int argc, char** argv) {
  si::configureSqliteForProcess();
#ifdef SI_WITH_GUI
  return si::cli::main(argc, argv, &si::gui::run);
#else
  return si::cli::main(argc, argv, nullptr);
#endif
}
