// Timeline panel: one lane per store over virtual time, folded from the event stream
// (core/lifetimes). Segments are coloured by state (LOADING, ACTIVE, INACTIVE, FAILED); an
// armed GC is drawn as a wedge draining to its due time, with a tick where it fires; a lane
// ends at DISPOSED and the next generation starts on the same lane ("g2"). A white step line
// is the observer count; ticks on the top edge mark attach, detach, preload and GC
// scheduled / cancelled / restarted events.
//
// Usage:
//   TimelinePanel timeline;
//   if (ui.show.timeline) timeline.Draw("Timeline", &ui.show.timeline, host, ui);
// Mouse wheel over the lanes zooms around the mouse (over the names it scrolls), dragging pans,
// a click sets the time cursor (Host::setTimeCursor: every other panel then shows that instant) and
// selects the store. "Follow now" keeps the present at the right edge. Lanes are clipped
// (ImGuiListClipper), so only the visible ones are drawn. The time axis math (zoom, pan, fit,
// follow) is the model TimelineView.
#pragma once
#include <optional>
#include <vector>

#include <imgui.h>

#include "host.hpp"
#include "lifetimes.hpp"
#include "timeline_view.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct TimelinePanel : TimelineView {
  Lifetimes lifetimes;           // lanes of the live session, extended past its event cursor
  uint64_t builtSession = ~0ull; // Host::liveSerial() the lanes were folded from
  float laneHeight = 22;
  float labelWidth = 170;        // the store names column
  // What the mouse is over (the tooltip's content; tests read it).
  struct Hover {
    StoreKey store = 0;
    Ms t = 0;
    Lifetimes::Instant at;
  };
  std::optional<Hover> hover;
  bool pressed = false;          // left button went down on the lanes
  float dragTravel = 0;          // pixels dragged since the press
  uint64_t scrolledSelection = 0;
  std::optional<Ms> cursor;      // the host's time cursor, read at the start of each Draw
  std::vector<size_t> shown;     // indices into lifetimes.lanes() the registry filter lets through
  size_t shownFrom = 0;          // lanes examined for `shown`
  long shownFilter = -2;         // UiState::registryFilter `shown` was built for

  void Draw(const char* title, bool* open, Host& host, UiState& ui);

 private:
  // Clicks captured while drawing, acted on after the window.
  struct Clicks {
    bool fit = false, backToNow = false;
    std::optional<size_t> lane;
    std::optional<Ms> time;
  };
  void DrawToolbar(Ms now, Clicks* c);
  void DrawAxis();
  void DrawLanes(const Registry& reg, Ms now, const UiState& ui, Clicks* c);
  void ScrollToSelection(const Registry& reg, const UiState& ui, float visibleHeight);
  void DrawLaneRow(ImDrawList* dl, const Registry& reg, const Lane& lane, Ms now, const UiState& ui);
  void HandleInput(Ms now, Clicks* c);
  void UpdateShown(const Registry& reg, long filter);
  void DrawShutdownWindows(ImDrawList* dl, const Registry& reg, long filter, float y0, float y1) const;
  void DrawHoverTooltip(const Registry& reg, bool dark) const;
};

}  // namespace si::gui
