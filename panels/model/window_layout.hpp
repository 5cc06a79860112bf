// The panels' layout as fractions of the space under the menu bar, so it follows the window:
// a larger window gets larger panels, a shrink (even to 1x1) and a grow back give the same
// layout, and what is saved is never a wreck. ImGui-free: the Shell reads each panel's actual
// rectangle after drawing (observe) and places panels from fractions when the window's size
// changed, on first use and on View > Reset layout (place).
//
// Rules
// - Fractions are learned from the actual rectangles only while the space is at least
//   kMinUsable (below it ImGui's minimum window sizes distort every rectangle) and only when
//   the change is the user's (a drag or a resize), i.e. not in a frame the layout placed.
// - Placing clamps each rectangle into the space, so no panel is left outside the window.
// - The file holds the fractions (layout.json); a broken or foreign file is ignored.
//
// Usage:
//   WindowLayout layout = WindowLayout::defaults();
//   if (layout.needsPlacing(space)) rect = layout.place("Registry", space);
//   ... after Begin/End: layout.observe("Registry", actualRect, space);
#pragma once
#include <map>
#include <optional>
#include <string>

namespace si::gui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool operator==(const Rect&) const = default;
};

class WindowLayout {
 public:
  static constexpr float kMinUsableW = 480, kMinUsableH = 320;

  // The default tiling: clock on top; registry, timeline and the lower row on the left; store
  // and scenario on the right; floating panels centred.
  static WindowLayout defaults();

  // The pixel rectangle of a panel in `space` (origin at the space's top-left corner; the
  // Shell offsets it by the menu bar), clamped into the space. nullopt for an unknown panel.
  std::optional<Rect> place(const std::string& panel, Rect space) const;
  // Whether panels must be placed this frame: the space changed since the last placing, or
  // a reset / first use asked for it. placed() records that they were.
  bool needsPlacing(Rect space) const { return pendingPlace_ || !(space == placedFor_); }
  void placed(Rect space) {
    placedFor_ = space;
    pendingPlace_ = false;
  }
  void requestPlacing() { pendingPlace_ = true; }
  // Learns a panel's fractions from its actual rectangle (pixels, same origin as place()).
  // Returns true when they changed (the user moved or resized the panel).
  bool observe(const std::string& panel, Rect actual, Rect space);
  static bool usable(Rect space) { return space.w >= kMinUsableW && space.h >= kMinUsableH; }

  std::string toJson() const;
  // A layout from layout.json's text; nullopt when the text is not one (then use defaults()).
  static std::optional<WindowLayout> fromJson(const std::string& text);

  const std::map<std::string, Rect>& fractions() const { return fractions_; }
  // Which panels were open (by title), remembered with the layout; empty = the defaults.
  std::map<std::string, bool> shown;

 private:
  std::map<std::string, Rect> fractions_;  // x, y, w, h as fractions of the space
  Rect placedFor_{-1, -1, -1, -1};
  bool pendingPlace_ = true;
};

}  // namespace si::gui
