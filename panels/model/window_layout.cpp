#include "window_layout.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace si::gui {

WindowLayout WindowLayout::defaults() {
  WindowLayout l;
  l.fractions_ = {
      {"Clock", {0.00f, 0.00f, 1.00f, 0.08f}},
      {"Registry", {0.00f, 0.08f, 0.60f, 0.32f}},
      {"Store", {0.60f, 0.08f, 0.40f, 0.54f}},
      {"Timeline", {0.00f, 0.40f, 0.60f, 0.24f}},
      {"Observers", {0.00f, 0.64f, 0.30f, 0.36f}},
      {"Events", {0.30f, 0.64f, 0.30f, 0.20f}},
      {"Alerts", {0.30f, 0.84f, 0.30f, 0.16f}},
      {"Scenario", {0.60f, 0.62f, 0.40f, 0.38f}},
      {"Live", {0.60f, 0.62f, 0.40f, 0.38f}},  // the scenario's tile: live sessions rarely have one
      {"Policy comparison", {0.10f, 0.10f, 0.80f, 0.70f}},
      {"Command log", {0.05f, 0.35f, 0.60f, 0.60f}},
      {"Settings", {0.30f, 0.15f, 0.40f, 0.60f}},
      {"Open file", {0.20f, 0.10f, 0.60f, 0.70f}},
      {"File errors", {0.15f, 0.60f, 0.70f, 0.25f}},
      {"Keyboard shortcuts", {0.30f, 0.20f, 0.40f, 0.50f}},
  };
  return l;
}

std::optional<Rect> WindowLayout::place(const std::string& panel, Rect space) const {
  const auto it = fractions_.find(panel);
  if (it == fractions_.end()) return std::nullopt;
  const Rect& f = it->second;
  // Whole pixels, from rounded edges: neighbouring tiles share an edge exactly and the last
  // one ends on the window's edge.
  const float x0 = std::round(f.x * space.w), x1 = std::round((f.x + f.w) * space.w);
  const float y0 = std::round(f.y * space.h), y1 = std::round((f.y + f.h) * space.h);
  Rect r{x0, y0, x1 - x0, y1 - y0};
  // Into the space: as large as fits, then moved left/up until its far edges are inside.
  r.w = std::min(r.w, space.w);
  r.h = std::min(r.h, space.h);
  r.x = std::clamp(r.x, 0.0f, std::max(0.0f, space.w - r.w));
  r.y = std::clamp(r.y, 0.0f, std::max(0.0f, space.h - r.h));
  return r;
}

bool WindowLayout::observe(const std::string& panel, Rect actual, Rect space) {
  if (!usable(space) || needsPlacing(space)) return false;
  const Rect f{actual.x / space.w, actual.y / space.h, actual.w / space.w, actual.h / space.h};
  Rect& old = fractions_[panel];
  // Half a pixel either way is rounding, not the user.
  const auto same = [](float a, float b, float extent) { return std::fabs(a - b) * extent < 0.5f; };
  if (same(f.x, old.x, space.w) && same(f.y, old.y, space.h) && same(f.w, old.w, space.w) &&
      same(f.h, old.h, space.h)) {
    return false;
  }
  old = f;
  return true;
}

std::string WindowLayout::toJson() const {
  nlohmann::json j = {{"version", 1}, {"panels", nlohmann::json::object()}};
  for (const auto& [name, f] : fractions_) j["panels"][name] = {f.x, f.y, f.w, f.h};
  if (!shown.empty()) j["shown"] = shown;
  return j.dump(2);
}

std::optional<WindowLayout> WindowLayout::fromJson(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("version", 0) != 1 || !j.contains("panels") || !j["panels"].is_object())
    return std::nullopt;
  WindowLayout l = defaults();  // panels the file does not name keep their default
  for (const auto& [name, v] : j["panels"].items()) {
    if (!v.is_array() || v.size() != 4) return std::nullopt;
    float f[4];
    for (size_t i = 0; i < 4; ++i) {
      if (!v[i].is_number()) return std::nullopt;
      f[i] = v[i].get<float>();
      if (!std::isfinite(f[i]) || f[i] < -1.0f || f[i] > 2.0f) return std::nullopt;
    }
    if (f[2] <= 0.0f || f[3] <= 0.0f) return std::nullopt;
    l.fractions_[name] = {f[0], f[1], f[2], f[3]};
  }
  if (const auto s = j.find("shown"); s != j.end() && s->is_object()) {
    for (const auto& [name, v] : s->items())
      if (v.is_boolean()) l.shown[name] = v.get<bool>();
  }
  return l;
}

}  // namespace si::gui
