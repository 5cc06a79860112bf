// The window: GLFW + OpenGL 3.3 core (glad) + Dear ImGui, in the order of the ImGui example
// (error callback, init, hints, window, context, loader, ImGui context, backends, loop,
// shutdown in reverse). Everything else lives in the Shell (app/shell.cpp: menus, dialogs,
// panels) over the Workbench (workbench/: document, session, clock), neither of which has GL.
#include <glad/gl.h>  // before any other GL header
#include <GLFW/glfw3.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include "gui.hpp"
#include "gui_input.hpp"
#include "shell.hpp"

namespace si::gui {
namespace {

std::string g_glfwError;  // last GLFW error, for the one-line message
volatile std::sig_atomic_t g_stop = 0;  // SIGINT / SIGTERM: leave the loop, save the layout

void onStopSignal(int) { g_stop = 1; }

void onGlfwError(int code, const char* description) {
  g_glfwError = std::string(description ? description : "") + " (GLFW error " + std::to_string(code) + ")";
}

void onDrop(GLFWwindow* window, int count, const char** paths) {
  auto* shell = static_cast<Shell*>(glfwGetWindowUserPointer(window));
  if (shell != nullptr && count > 0) shell->ui.request = Request::open(paths[0]);
}

// Reads the back buffer and writes it as a PNG (rows flipped: GL's origin is bottom-left).
bool writeScreenshot(const std::string& path, int width, int height) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  const size_t stride = static_cast<size_t>(width) * 4;
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y) {
    std::copy_n(pixels.data() + static_cast<size_t>(height - 1 - y) * stride, stride,
                flipped.data() + static_cast<size_t>(y) * stride);
  }
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;  // opaque
  return stbi_write_png(path.c_str(), width, height, 4, flipped.data(), static_cast<int>(stride)) != 0;
}

void loadFonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::error_code ec;
  if (std::filesystem::exists(dejavu, ec)) {
    // Latin-1 plus the arrows, dashes, ellipsis and infinity the panels print.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x221E, 0x221E, 0};
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    if (io.Fonts->AddFontFromFileTTF(dejavu, 15.0f * scale, &cfg, ranges) != nullptr) return;
  }
  ImFontConfig cfg;
  cfg.SizePixels = 13.0f * scale;
  io.Fonts->AddFontDefault(&cfg);
}

std::string windowTitle(const Workbench& wb) {
  const Document& d = wb.document();
  std::string name = d.kind == DocumentKind::Bundled ? std::string("bundled example")
                                                     : std::filesystem::path(d.path).filename().string();
  return "Store Inspector - " + name;
}

// GLFW, a 3.3 core window and the GL loader; nullptr (after the one-line message) on failure.
GLFWwindow* initWindow(const std::string& title, bool screenshot, int width, int height) {
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    std::cerr << "store-inspector: no display: cannot open a window (" << g_glfwError
              << "); use run, check or compare for headless work\n";
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (window == nullptr) {
    std::cerr << "store-inspector: no display: cannot create an OpenGL 3.3 window (" << g_glfwError << ")\n";
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(screenshot ? 0 : 1);
  if (gladLoadGL(glfwGetProcAddress) == 0) {
    std::cerr << "store-inspector: cannot load OpenGL 3.3 functions\n";
    glfwDestroyWindow(window);
    glfwTerminate();
    return nullptr;
  }
  return window;
}

// The ImGui context, theme, scaled style and fonts, the backends and the drop callback. The
// layout persists under the config folder (`iniPath` must outlive the context); a screenshot
// run keeps nothing.
void initImGui(GLFWwindow* window, Shell& shell, const std::string& configDir, std::string& iniPath) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  if (!configDir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(configDir, ec);
    iniPath = configDir + "/imgui.ini";
  }
  io.IniFilename = iniPath.empty() ? nullptr : iniPath.c_str();

  float xscale = 1.0f, yscale = 1.0f;
  glfwGetWindowContentScale(window, &xscale, &yscale);
  const float scale = std::max(1.0f, std::max(xscale, yscale));
  shell.ApplyTheme();
  ImGui::GetStyle().ScaleAllSizes(scale);
  loadFonts(scale);

  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  KeyLatch::install(window);
  glfwSetWindowUserPointer(window, &shell);
  glfwSetDropCallback(window, onDrop);
}

// A screenshot of a scenario shows it run to the end, with the most telling store selected:
// one counting down to GC, else an active one, else any.
void prepareScreenshot(Workbench& wb, Shell& shell) {
  if (wb.scenario() != nullptr) wb.runScenarioUntil(wb.scenario()->steps.size());
  if (!shell.ui.selectedStore.empty()) return;
  const auto rank = [](const StoreRecord& s) {
    if (s.state == State::Inactive && s.gcArmed) return 0;
    if (s.state == State::Active) return 1;
    if (s.live()) return 2;
    return s.state == State::Absent ? 9 : 3;
  };
  const StoreRecord* best = nullptr;
  for (const StoreRecord& s : wb.session().registry().stores()) {
    if (best == nullptr || rank(s) < rank(*best)) best = &s;
  }
  if (best != nullptr && best->state != State::Absent) shell.ui.select(best->storeId);
}

// Writes shell.describe() and the frame number to `path` when they changed (whole file: a
// temporary, then renamed, so a reader never sees half of it).
void writeState(const char* path, const Shell& shell, int frame) {
  static std::string last;
  json state = shell.describe();
  const std::string text = state.dump();
  if (text == last) return;
  last = text;
  state["frame"] = frame;
  const std::string tmp = std::string(path) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << state.dump() << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

// Draws one frame into the back buffer (not swapped).
void renderFrame(GLFWwindow* window, Shell& shell, int& width, int& height) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  shell.Draw();
  ImGui::Render();
  // Only now: ImGui samples the keys in NewFrame but reads the modifiers (io.KeyCtrl) live while
  // the frame is drawn, so a held Ctrl release must wait until the frame's shortcuts ran.
  KeyLatch::endFrame(window);
  glfwGetFramebufferSize(window, &width, &height);
  glViewport(0, 0, width, height);
  const bool dark = shell.darkTheme();
  glClearColor(dark ? 0.10f : 0.92f, dark ? 0.11f : 0.92f, dark ? 0.13f : 0.94f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// Until the window closes, Ctrl+Q or a signal; with req.screenshot, until req.frames frames are
// drawn and the PNG written. Returns the exit status.
int mainLoop(GLFWwindow* window, Workbench& wb, Shell& shell, const si::cli::GuiRequest& req) {
  const bool screenshot = !req.screenshot.empty();
  int frame = 0;
  // Window tests (tests/panel/window_input_test.py) read the state the user would see here.
  const char* stateFile = std::getenv("SI_WINDOW_STATE");
  int drawn = 0;
  double last = glfwGetTime();
  std::string title = windowTitle(wb);
  while (!glfwWindowShouldClose(window) && g_stop == 0) {
    if (screenshot || wb.playing() || KeyLatch::pending()) glfwPollEvents();
    else glfwWaitEventsTimeout(0.1);  // idle: still wakes up to poll file changes
    const double t = glfwGetTime();
    wb.tick(t - last);
    last = t;
    if (!screenshot) wb.pollFileChanges(t);
    int w = 0, h = 0;
    renderFrame(window, shell, w, h);
    if (screenshot && ++frame >= std::max(1, req.frames)) {
      if (writeScreenshot(req.screenshot, w, h)) return 0;
      std::cerr << req.screenshot << ": cannot write the PNG\n";
      return 1;
    }
    glfwSwapBuffers(window);
    ++drawn;
    if (stateFile != nullptr) writeState(stateFile, shell, drawn);
    if (shell.quitRequested()) glfwSetWindowShouldClose(window, GLFW_TRUE);
    if (const std::string now = windowTitle(wb); now != title) {
      title = now;
      glfwSetWindowTitle(window, title.c_str());
    }
  }
  return 0;
}

void shutdownWindow(GLFWwindow* window) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
}

}  // namespace

int run(const si::cli::GuiRequest& req) {
  const bool screenshot = !req.screenshot.empty();
  const std::string configDir = screenshot ? std::string() : defaultConfigDir();
  Workbench wb;
  Shell shell(wb, ShellOptions{configDir});

  // Bad input is reported like the command line does, before any window opens.
  if (req.input) {
    wb.open(*req.input);  // store-inspector FILE read and checked it already: read it once
  } else if (req.file.empty() ? !wb.openBundled() : !wb.open(req.file)) {
    std::cerr << wb.fileErrors().back() << '\n';
    return 2;
  }
  GLFWwindow* window = initWindow(windowTitle(wb), screenshot, req.width, req.height);
  if (window == nullptr) return 2;
  std::string iniPath;
  initImGui(window, shell, configDir, iniPath);
  if (screenshot) {
    prepareScreenshot(wb, shell);
    glfwSetCursorPos(window, req.width - 1, 0);  // the pointer on the empty end of the menu bar: no hover
  }

  // Ctrl+C in the terminal closes the window like Ctrl+Q does (imgui.ini is written on the way out).
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  const int status = mainLoop(window, wb, shell, req);
  shutdownWindow(window);
  return status;
}

}  // namespace si::gui
