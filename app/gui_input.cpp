#include "gui_input.hpp"

#include <GLFW/glfw3.h>

#include <bitset>
#include <deque>

namespace si::gui::KeyLatch {
namespace {

struct KeyEvent {
  int key, scancode, action, mods;
};

GLFWkeyfun g_backend = nullptr;            // the ImGui backend's key callback (it chains further)
std::bitset<GLFW_KEY_LAST + 1> g_changed;  // keys whose up/down state changed since the last frame
bool g_pressed = false;                    // some key went down since the last frame
std::deque<KeyEvent> g_queue;              // events not delivered yet, in arrival order

bool known(int key) { return key >= 0 && key <= GLFW_KEY_LAST; }

// Delivers queued events in order until one would change a key that already changed since the
// last frame (ImGui must see each state for a frame, or a tap, down and up, is lost), or would
// release a key after another went down (a chord: xdotool's Ctrl+Q releases Ctrl in the same
// poll as Q goes down, and the frame must see Ctrl and Q down together).
void pump(GLFWwindow* window) {
  while (!g_queue.empty()) {
    const KeyEvent e = g_queue.front();
    const bool transition = e.action != GLFW_REPEAT && known(e.key);
    if (transition && g_changed.test(static_cast<size_t>(e.key))) return;
    if (e.action == GLFW_RELEASE && g_pressed) return;
    if (transition) g_changed.set(static_cast<size_t>(e.key));
    if (e.action == GLFW_PRESS) g_pressed = true;
    g_queue.pop_front();
    if (g_backend != nullptr) g_backend(window, e.key, e.scancode, e.action, e.mods);
  }
}

void onKey(GLFWwindow* window, int key, int scancode, int action, int mods) {
  g_queue.push_back({key, scancode, action, mods});
  pump(window);
}

}  // namespace

void install(GLFWwindow* window) {
  g_backend = glfwSetKeyCallback(window, onKey);
  g_changed.reset();
  g_pressed = false;
  g_queue.clear();
}

void endFrame(GLFWwindow* window) {
  g_changed.reset();
  g_pressed = false;
  pump(window);
}

bool pending() { return !g_queue.empty(); }

}  // namespace si::gui::KeyLatch
