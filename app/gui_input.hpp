// Key presses shorter than a frame are not lost. Dear ImGui 1.86 samples io.KeysDown once per
// frame (NewFrame); its GLFW backend writes that array from the key callback. A press and its
// release that arrive in the same glfwPollEvents / glfwWaitEventsTimeout (an xdotool tap is about
// 12 ms, a quick Ctrl+Q as short) leave the key up when the frame samples it, and the press is
// gone; so is a second tap whose press arrives before a frame has seen the first one's release.
// KeyLatch sits between GLFW and the backend and gives each key at most one change of state per
// frame, and lets no key be released in the frame another went down (so a fast Ctrl+Q is seen
// as a chord): later events wait, in order, for the next frame.
//
// Usage (after ImGui_ImplGlfw_InitForOpenGL(window, true) installed the backend's callbacks):
//   KeyLatch::install(window);
//   per frame: poll events (no wait while KeyLatch::pending()); NewFrame; draw; Render; KeyLatch::endFrame(window);
#pragma once

struct GLFWwindow;

namespace si::gui::KeyLatch {

void install(GLFWwindow* window);
// The frame has seen the keys: delivers what waited. Call after the frame is drawn (after
// ImGui::Render), not right after NewFrame: modifiers are read live while drawing.
void endFrame(GLFWwindow* window);
// Events still wait for a frame: the main loop should not sleep.
bool pending();

}  // namespace si::gui::KeyLatch
