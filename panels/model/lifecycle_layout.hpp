// Where the Store panel's lifecycle diagram puts its five states and its edge labels, without
// ImGui (a text measure is passed in), so a test can check that no label runs into a state or
// another label at any panel width (issue 11: "GC in 18002 ms" ran into DISPOSED).
//
// Usage:
//   LifecycleLayout l = layoutLifecycle(avail, lineHeight, measure, "GC in 18002 ms");
//   l.node(State::Active) -> Rect relative to the diagram's top-left corner
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "types.hpp"
#include "window_layout.hpp"  // Rect

namespace si::gui {

struct LifecycleLayout {
  struct Node {
    State state;
    Rect r;
  };
  struct Label {
    std::string text;  // may hold a line break
    Rect r;
  };
  float w = 0, h = 0, gap = 0;  // a state's box, and the space between two boxes in the row
  std::vector<Node> nodes;      // LOADING, ACTIVE, INACTIVE, DISPOSED, FAILED
  std::vector<Label> labels;
  float width = 0, height = 0;  // of the whole diagram

  const Rect& node(State s) const;
};

// `measure(text)` is the text's width in pixels (its widest line); `lineH` a line's height.
LifecycleLayout layoutLifecycle(float avail, float lineH, const std::function<float(const std::string&)>& measure,
                                const std::string& gcText);

bool overlaps(const Rect& a, const Rect& b);

}  // namespace si::gui
