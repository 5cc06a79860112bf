// The command line of store-inspector (SPEC 5): run, check, compare, and the GUI entry.
#pragma once
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace si {
struct LoadedInput;  // input.hpp
}

namespace si::cli {

// What the command line asks of the window (no command, a FILE, or --screenshot).
struct GuiRequest {
  std::string file;        // "" -> the bundled example config
  std::string screenshot;  // "" -> interactive
  int frames = 3;
  int width = 1280, height = 800;  // the window's size (--size WxH)
  // FILE as the command line read and checked it (loadInput), so the window need not read it
  // again; null without a FILE.
  std::shared_ptr<const LoadedInput> input;
};
using GuiEntry = int (*)(const GuiRequest&);

// Exit codes: 0 ok, 1 failures (run), 2 bad input.
int run(const std::vector<std::string>& args, GuiEntry gui, std::ostream& out, std::ostream& err);
int main(int argc, char** argv, GuiEntry gui);

// The bundled example config the GUI opens when given no file.
std::string bundledExampleConfig();
// The same for an executable in binDir and assets compiled in at compiledAssetsDir ("" for
// none): the first existing of binDir/../share/store-inspector/assets (installed),
// binDir/../assets (a build tree inside the checkout), compiledAssetsDir; else the first.
std::string bundledExampleConfigFrom(const std::string& binDir, const std::string& compiledAssetsDir);

}  // namespace si::cli
