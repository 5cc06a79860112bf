#include "lifecycle_layout.hpp"

#include <algorithm>

namespace si::gui {

const Rect& LifecycleLayout::node(State s) const {
  for (const Node& n : nodes)
    if (n.state == s) return n.r;
  return nodes.front().r;
}

bool overlaps(const Rect& a, const Rect& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

// The row LOADING, ACTIVE, INACTIVE, DISPOSED with FAILED below; each gap holds its edges'
// labels ("last detach" on two lines, so the gap stays narrow), the GC countdown, the widest,
// goes under the row between INACTIVE and DISPOSED, where no state is.
LifecycleLayout layoutLifecycle(float avail, float lineH, const std::function<float(const std::string&)>& measure,
                                const std::string& gcText) {
  LifecycleLayout l;
  float widest = 0;
  for (const char* t : {"loaded", "last\ndetach", "attach"}) widest = std::max(widest, measure(t));
  l.gap = widest + 12;
  l.w = std::clamp((avail - 3 * l.gap) / 4.0f, measure("INACTIVE") + 12, 140.0f);
  l.h = lineH + 12;
  const float top = 44 + lineH;  // the preload curve, its label and "last detach" above the row
  const float step = l.w + l.gap;
  l.nodes = {{State::Loading, {0, top, l.w, l.h}},
             {State::Active, {step, top, l.w, l.h}},
             {State::Inactive, {2 * step, top, l.w, l.h}},
             {State::Disposed, {3 * step, top, l.w, l.h}},
             {State::Failed, {step * 1.5f, top + 80, l.w, l.h}}};
  const Rect &L = l.node(State::Loading), &A = l.node(State::Active), &I = l.node(State::Inactive),
             &F = l.node(State::Failed);
  auto add = [&](const std::string& t, float x, float y, float lines) {
    l.labels.push_back({t, {x, y, measure(t), lines * lineH}});
  };
  auto inGap = [&](const Rect& from, float y, const std::string& t, float lines) {
    add(t, from.x + l.w + (l.gap - measure(t)) * 0.5f, y, lines);
  };
  inGap(L, L.y + l.h * 0.5f - lineH - 2, "loaded", 1);
  add("loaded, 0 observers", A.x + 10, A.y - 44 - lineH, 1);
  inGap(A, A.y + l.h * 0.3f - 2 * lineH - 2, "last\ndetach", 2);
  inGap(A, A.y + l.h * 0.75f + 2, "attach", 1);
  // Centred under the GC arrow, below "attach", never starting left of INACTIVE (a long one
  // widens the diagram to the right instead).
  const float gcW = measure(gcText);
  add(gcText, std::max(I.x, I.x + l.w + (l.gap - gcW) * 0.5f), A.y + l.h * 0.75f + 4 + lineH, 1);
  add("load failed", L.x + 4, L.y + l.h + 22, 1);
  add("GC / drop", F.x + l.w + 8, F.y + l.h * 0.5f + 2, 1);
  l.width = 4 * l.w + 3 * l.gap;
  for (const LifecycleLayout::Label& lab : l.labels) l.width = std::max(l.width, lab.r.x + lab.r.w);
  l.height = top + 80 + l.h + 8;
  return l;
}

}  // namespace si::gui
