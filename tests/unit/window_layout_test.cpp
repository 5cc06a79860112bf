// The panels' layout as fractions (panels/model/window_layout.hpp): it follows the window's
// size, survives a shrink to 1x1, learns only the user's moves, and saves nothing broken.
#include <gtest/gtest.h>

#include "window_layout.hpp"

namespace si::gui {
namespace {

constexpr Rect k1280{0, 0, 1280, 781};   // 1280x800 under a 19 px menu bar
constexpr Rect k1920{0, 0, 1920, 1061};  // 1920x1080

TEST(WindowLayout, TheDefaultTilesFillALargerWindow) {
  const WindowLayout l = WindowLayout::defaults();
  const Rect store = *l.place("Store", k1920);
  EXPECT_FLOAT_EQ(store.x + store.w, 1920);  // right column reaches the right edge
  const Rect scenario = *l.place("Scenario", k1920);
  EXPECT_NEAR(scenario.y + scenario.h, 1061, 0.5);  // and the bottom
  const Rect registry = *l.place("Registry", k1920);
  EXPECT_FLOAT_EQ(registry.w, 1920 * 0.60f);
  EXPECT_GT(registry.w, l.place("Registry", k1280)->w);
}

TEST(WindowLayout, TilesDoNotOverlap) {
  const WindowLayout l = WindowLayout::defaults();
  const char* tiled[] = {"Clock", "Registry", "Store", "Timeline", "Observers", "Events", "Alerts", "Scenario"};
  for (const char* a : tiled) {
    for (const char* b : tiled) {
      if (std::string(a) == b) continue;
      const Rect p = *l.place(a, k1280), q = *l.place(b, k1280);
      const float ox = std::min(p.x + p.w, q.x + q.w) - std::max(p.x, q.x);
      const float oy = std::min(p.y + p.h, q.y + q.h) - std::max(p.y, q.y);
      EXPECT_FALSE(ox > 0.5f && oy > 0.5f) << a << " overlaps " << b;
    }
  }
}

TEST(WindowLayout, AShrinkTo1x1AndBackGivesTheSameLayout) {
  WindowLayout l = WindowLayout::defaults();
  l.placed(k1280);
  const Rect before = *l.place("Scenario", k1280);
  const Rect tiny{0, 0, 1, 1};
  EXPECT_TRUE(l.needsPlacing(tiny));
  // What ImGui makes of a 1x1 display (its minimum window size) is not learned.
  EXPECT_FALSE(l.observe("Scenario", Rect{0, 0, 32, 32}, tiny));
  l.placed(tiny);
  EXPECT_FALSE(l.observe("Scenario", Rect{0, 0, 32, 32}, tiny));
  EXPECT_TRUE(l.needsPlacing(k1280));
  EXPECT_EQ(*l.place("Scenario", k1280), before);
}

TEST(WindowLayout, PlacingKeepsEveryPanelInsideTheWindow) {
  WindowLayout l = WindowLayout::defaults();
  l.placed(k1280);
  // The user dragged Events half off the right edge.
  ASSERT_TRUE(l.observe("Events", Rect{1100, 300, 400, 200}, k1280));
  const Rect r = *l.place("Events", k1280);
  EXPECT_LE(r.x + r.w, 1280.0f);
  EXPECT_GE(r.x, 0.0f);
  const Rect small{0, 0, 300, 200};
  const Rect s = *l.place("Events", small);
  EXPECT_LE(s.x + s.w, 300.0f);
  EXPECT_LE(s.y + s.h, 200.0f);
}

TEST(WindowLayout, LearnsTheUsersMoveButNotItsOwnPlacingOrRounding) {
  WindowLayout l = WindowLayout::defaults();
  EXPECT_TRUE(l.needsPlacing(k1280));
  EXPECT_FALSE(l.observe("Registry", Rect{10, 10, 100, 100}, k1280)) << "a frame that places learns nothing";
  l.placed(k1280);
  const Rect placed = *l.place("Registry", k1280);
  EXPECT_FALSE(l.observe("Registry", Rect{placed.x + 0.2f, placed.y, placed.w, placed.h}, k1280));
  EXPECT_TRUE(l.observe("Registry", Rect{placed.x + 40, placed.y, placed.w, placed.h}, k1280));
  EXPECT_FLOAT_EQ(l.place("Registry", k1280)->x, placed.x + 40);
  // The move is kept as a fraction: the larger window scales it.
  EXPECT_FLOAT_EQ(l.place("Registry", k1920)->x, (placed.x + 40) / 1280 * 1920);
}

TEST(WindowLayout, ResetAsksForPlacingTheDefaults) {
  WindowLayout l = WindowLayout::defaults();
  l.placed(k1280);
  EXPECT_FALSE(l.needsPlacing(k1280));
  l.requestPlacing();
  EXPECT_TRUE(l.needsPlacing(k1280));
}

TEST(WindowLayout, TheFileRoundTripsAndABrokenOneIsRefused) {
  WindowLayout l = WindowLayout::defaults();
  l.placed(k1280);
  ASSERT_TRUE(l.observe("Alerts", Rect{100, 200, 300, 150}, k1280));
  const auto back = WindowLayout::fromJson(l.toJson());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->fractions(), l.fractions());
  EXPECT_FALSE(WindowLayout::fromJson("not json").has_value());
  EXPECT_FALSE(WindowLayout::fromJson(R"({"version": 2, "panels": {}})").has_value());
  EXPECT_FALSE(WindowLayout::fromJson(R"({"version": 1, "panels": {"Alerts": [0, 0, 0, 0.5]}})").has_value());
  EXPECT_FALSE(WindowLayout::fromJson(R"({"version": 1, "panels": {"Alerts": [0, 0, "x", 0.5]}})").has_value());
  EXPECT_FALSE(WindowLayout::fromJson(R"({"version": 1, "panels": {"Alerts": [90, 0, 0.1, 0.5]}})").has_value());
  // A file naming some panels keeps the defaults of the others.
  const auto partial = WindowLayout::fromJson(R"({"version": 1, "panels": {"Alerts": [0.1, 0.1, 0.2, 0.2]}})");
  ASSERT_TRUE(partial.has_value());
  EXPECT_EQ(partial->place("Store", k1280), WindowLayout::defaults().place("Store", k1280));
}

}  // namespace
}  // namespace si::gui

// The Store panel's lifecycle diagram (panels/model/lifecycle_layout.hpp): issue 11 found
// "GC in 18002 ms" running into DISPOSED and "last detach" into INACTIVE.
#include "lifecycle_layout.hpp"

namespace si::gui {
namespace {

// DejaVu Sans 15 px is about 8 px a character; the widest line counts.
float measure(const std::string& t) {
  size_t widest = 0, run = 0;
  for (char c : t) {
    run = c == '\n' ? 0 : run + 1;
    widest = std::max(widest, run);
  }
  return 8.0f * static_cast<float>(widest);
}

TEST(LifecycleLayout, NoLabelRunsIntoAStateOrAnotherLabelAtAnyWidth) {
  for (const char* gc : {"GC in 18002 ms", "GC in 9223372036854775807 ms", "GC never", "GC "}) {
    for (float avail = 200; avail <= 1400; avail += 50) {
      const LifecycleLayout l = layoutLifecycle(avail, 17, measure, gc);
      for (const auto& lab : l.labels) {
        for (const auto& n : l.nodes)
          EXPECT_FALSE(overlaps(lab.r, n.r)) << lab.text << " over " << toString(n.state) << " at " << avail << " px";
        for (const auto& other : l.labels) {
          if (&other != &lab) {
            EXPECT_FALSE(overlaps(lab.r, other.r)) << lab.text << " over " << other.text << " at " << avail;
          }
        }
        EXPECT_GE(lab.r.x, 0.0f) << lab.text;
        EXPECT_GE(lab.r.y, 0.0f) << lab.text;
      }
    }
  }
}

TEST(LifecycleLayout, TheRowFitsTheStorePanelAtTheDefaultSize) {
  // The Store panel at 1280x800 is 512 px wide, about 490 px of content.
  const LifecycleLayout l = layoutLifecycle(490, 17, measure, "GC in 18002 ms");
  EXPECT_LE(l.width, 490.0f) << "DISPOSED must be visible";
  const Rect& d = l.node(State::Disposed);
  EXPECT_LE(d.x + d.w, 490.0f);
}

}  // namespace
}  // namespace si::gui
