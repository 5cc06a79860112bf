#include "timeline_panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "widgets.hpp"

namespace si::gui {
namespace {

ImU32 markerColor(EventKind k) {
  switch (k) {
    case EventKind::ObserverAttached: return IM_COL32(120, 255, 140, 255);
    case EventKind::ObserverDetached: return IM_COL32(255, 255, 255, 255);
    case EventKind::ObserverOrphaned: return IM_COL32(255, 90, 90, 255);
    case EventKind::Preload: return IM_COL32(200, 140, 255, 255);
    case EventKind::GcScheduled: return IM_COL32(255, 200, 60, 255);
    case EventKind::GcCancelled: return IM_COL32(120, 200, 255, 255);
    case EventKind::GcDeferred: return IM_COL32(255, 120, 200, 255);
    case EventKind::GcRestarted: return IM_COL32(255, 140, 40, 255);
    case EventKind::Disposed: return IM_COL32(160, 160, 160, 255);
    default: break;
  }
  return IM_COL32(255, 90, 90, 255);
}

// A tick spacing of 1, 2 or 5 x 10^k ms, at least `minMs` wide.
double niceStep(double minMs) {
  double step = 1;
  while (step < minMs) {
    if (step * 2 >= minMs) return step * 2;
    if (step * 5 >= minMs) return step * 5;
    step *= 10;
  }
  return step;
}

std::string tickLabel(double ms) {
  char buf[32];
  if (ms >= 1000 && std::fmod(ms, 1000) == 0) std::snprintf(buf, sizeof buf, "%.0fs", ms / 1000);
  else if (ms >= 1000) std::snprintf(buf, sizeof buf, "%.1fs", ms / 1000);
  else std::snprintf(buf, sizeof buf, "%.0fms", ms);
  return buf;
}

void drawLane(ImDrawList* dl, const TimelinePanel& p, const Lane& lane, float y0, float y1, Ms now, bool dark) {
  const double tA = p.viewStart, tB = p.timeAtX(p.canvasX + p.canvasWidth);
  const float top = y0 + 3, bottom = y1 - 3, h = bottom - top;
  const auto& segs = lane.segments;
  for (size_t k = Lifetimes::segmentAt(lane, static_cast<Ms>(std::floor(tA))); k < segs.size(); ++k) {
    const LaneSegment& s = segs[k];
    if (static_cast<double>(s.begin) > tB) break;
    const Ms end = s.end == kMaxMs ? now : s.end;
    float xa = p.xAtTime(std::max<double>(static_cast<double>(s.begin), tA));
    float xb = p.xAtTime(std::min<double>(static_cast<double>(end), tB));
    const bool tiny = xb - xa < 1.0f;
    if (tiny) xb = xa + 1.0f;
    dl->AddRectFilled(ImVec2(xa, top), ImVec2(xb, bottom), stateColorU32(s.state, dark));
    if (tiny) {
      // Everything else within this pixel is covered by it (Tracy-style decimation).
      const size_t next = Lifetimes::segmentAt(lane, static_cast<Ms>(std::ceil(p.timeAtX(xa + 1.0f))));
      if (next > k + 1) k = next - 1;
      continue;
    }
    if (s.gcArmed) {
      // The countdown: a wedge draining from the arm time to the due time, then a tick at due.
      const float xArm = p.xAtTime(static_cast<double>(s.gcArmedAt));
      const float xDue = s.gcDue == kMaxMs ? p.canvasX + p.canvasWidth + 1e6f : p.xAtTime(static_cast<double>(s.gcDue));
      dl->PushClipRect(ImVec2(xa, top), ImVec2(xb, bottom), true);
      dl->AddTriangleFilled(ImVec2(xArm, top), ImVec2(xDue, bottom), ImVec2(xArm, bottom), IM_COL32(0, 0, 0, 70));
      dl->PopClipRect();
      const bool pending = s.end == kMaxMs, fired = s.end == s.gcDue;
      if ((pending || fired) && s.gcDue != kMaxMs && static_cast<double>(s.gcDue) >= tA && static_cast<double>(s.gcDue) <= tB) {
        dl->AddLine(ImVec2(xDue, y0), ImVec2(xDue, y1), IM_COL32(255, 80, 80, 255), pending ? 1.0f : 2.0f);
      }
    }
    if ((k == 0 || segs[k - 1].generation != s.generation) && xb - xa > 18 && static_cast<double>(s.begin) >= tA) {
      char g[16];
      std::snprintf(g, sizeof g, "g%u", s.generation);
      dl->AddText(ImVec2(xa + 2, top), IM_COL32(0, 0, 0, 200), g);
    }
  }
  // Observer count as a step line.
  if (lane.maxObservers > 0) {
    const auto& obs = lane.observers;
    auto it = std::upper_bound(obs.begin(), obs.end(), static_cast<Ms>(std::floor(tA)),
                               [](Ms v, const ObserverStep& o) { return v < o.t; });
    size_t i = it == obs.begin() ? 0 : static_cast<size_t>(it - obs.begin()) - 1;
    auto yOf = [&](uint32_t c) { return bottom - h * static_cast<float>(c) / static_cast<float>(lane.maxObservers); };
    float lastX = -1e9f;
    for (; i < obs.size(); ++i) {
      if (static_cast<double>(obs[i].t) > tB) break;
      const Ms next = i + 1 < obs.size() ? obs[i + 1].t : now;
      const float xa = std::max(p.xAtTime(static_cast<double>(obs[i].t)), p.canvasX);
      const float xb = std::min(p.xAtTime(static_cast<double>(next)), p.canvasX + p.canvasWidth);
      if (xb < lastX + 1.0f && i + 1 < obs.size()) continue;  // same pixel: the later step shows
      const float y = yOf(obs[i].count);
      if (obs[i].count > 0) dl->AddLine(ImVec2(xa, y), ImVec2(std::max(xb, xa + 1), y), IM_COL32(255, 255, 255, 220), 1.5f);
      lastX = xa;
    }
  }
  // Event markers on the top edge.
  const auto& marks = lane.markers;
  auto m = std::lower_bound(marks.begin(), marks.end(), static_cast<Ms>(std::floor(tA)),
                            [](const LaneMarker& mk, Ms v) { return mk.t < v; });
  float lastX = -1e9f;
  for (; m != marks.end() && static_cast<double>(m->t) <= tB; ++m) {
    const float x = p.xAtTime(static_cast<double>(m->t));
    if (x < lastX + 2.0f) continue;
    lastX = x;
    dl->AddTriangleFilled(ImVec2(x - 3, y0), ImVec2(x + 3, y0), ImVec2(x, y0 + 5), markerColor(m->kind));
  }
}

}  // namespace

// [SECTION] toolbar and axis

void TimelinePanel::DrawToolbar(Ms now, Clicks* c) {
  Checkbox("Follow now", &follow);
  ImGui::SameLine();
  c->fit = Button("Fit");
  ImGui::SameLine();
  if (cursor) {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1), "viewing @%lld", static_cast<long long>(*cursor));
    ImGui::SameLine();
    c->backToNow = Button("Back to now");
  } else {
    ImGui::TextDisabled("now @%lld · click a lane to view that instant", static_cast<long long>(now));
  }
  ImGui::SameLine();
  ImGui::TextDisabled("· %zu stores · %.3g ms/px", lifetimes.lanes().size(), msPerPixel);
}

void TimelinePanel::DrawAxis() {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* wdl = ImGui::GetWindowDrawList();
  const float axisH = ImGui::GetTextLineHeight() + 4;
  const double step = niceStep(90.0 * msPerPixel);
  const double tB = timeAtX(canvasX + canvasWidth);
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  wdl->PushClipRect(ImVec2(canvasX, origin.y), ImVec2(canvasX + canvasWidth, origin.y + axisH), true);
  for (double t = std::floor(std::max(0.0, viewStart) / step) * step; t <= tB; t += step) {
    const float x = xAtTime(t);
    wdl->AddLine(ImVec2(x, origin.y + axisH - 4), ImVec2(x, origin.y + axisH), col);
    wdl->AddText(ImVec2(x + 2, origin.y), col, tickLabel(t).c_str());
  }
  wdl->PopClipRect();
  ImGui::Dummy(ImVec2(avail.x, axisH));
}

// [SECTION] lanes

void TimelinePanel::ScrollToSelection(const Registry& reg, const UiState& ui, float visibleHeight) {
  if (scrolledSelection == ui.selectionSerial) return;
  scrolledSelection = ui.selectionSerial;
  const auto key = reg.keyOf(ui.selectedStore);
  if (!key) return;
  const auto& lanes = lifetimes.lanes();
  for (size_t i = 0; i < shown.size(); ++i) {
    if (lanes[shown[i]].store != *key) continue;
    const float y = static_cast<float>(i) * laneHeight;
    if (y < ImGui::GetScrollY() || y + laneHeight > ImGui::GetScrollY() + visibleHeight)
      ImGui::SetScrollY(std::max(0.0f, y - visibleHeight * 0.5f));
  }
}

void TimelinePanel::DrawLaneRow(ImDrawList* dl, const Registry& reg, const Lane& lane, Ms now, const UiState& ui) {
  const bool dark = DarkStyle();
  const std::string& id = reg.storeIdOf(lane.store);
  const ImVec2 rowPos = ImGui::GetCursorScreenPos();
  if (id == ui.selectedStore)
    dl->AddRectFilled(rowPos, ImVec2(rowPos.x + labelWidth + canvasWidth, rowPos.y + laneHeight), ImGui::GetColorU32(ImGuiCol_Header));
  // Name, clipped to its column, coloured by the state now.
  const State nowState = reg.stores()[lane.store].state;
  dl->PushClipRect(rowPos, ImVec2(rowPos.x + labelWidth - 4, rowPos.y + laneHeight), true);
  dl->AddRectFilled(ImVec2(rowPos.x + 2, rowPos.y + 6), ImVec2(rowPos.x + 8, rowPos.y + laneHeight - 6), stateColorU32(nowState, dark));
  // With several registries the lane names its registry first (SPEC 8).
  const std::string name = reg.registries().size() > 1 ? reg.registryAt(reg.stores()[lane.store].registry).name + " · " + id : id;
  dl->AddText(ImVec2(rowPos.x + 12, rowPos.y + (laneHeight - ImGui::GetTextLineHeight()) * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
  dl->PopClipRect();
  ImGui::SetCursorScreenPos(ImVec2(canvasX, rowPos.y));
  ImGui::Dummy(ImVec2(canvasWidth, laneHeight));
  NoteItem(("lane##" + id).c_str());
  dl->PushClipRect(ImVec2(canvasX, rowPos.y), ImVec2(canvasX + canvasWidth, rowPos.y + laneHeight), true);
  drawLane(dl, *this, lane, rowPos.y, rowPos.y + laneHeight, now, dark);
  dl->PopClipRect();
}

// The lanes the registry filter lets through (SPEC 8: all, or one registry), extended as
// lanes are added and rebuilt when the filter changes.
void TimelinePanel::UpdateShown(const Registry& reg, long filter) {
  const auto& lanes = lifetimes.lanes();
  if (filter != shownFilter || shownFrom > lanes.size()) {
    shown.clear();
    shownFrom = 0;
    shownFilter = filter;
  }
  for (; shownFrom < lanes.size(); ++shownFrom) {
    if (filter < 0 || static_cast<long>(reg.stores()[lanes[shownFrom].store].registry) == filter) shown.push_back(shownFrom);
  }
}

// SPEC 10: each shutdown as a band from its start to its close (or now), with the deadline as a
// red line, so a tab close's losses show against the lanes.
void TimelinePanel::DrawShutdownWindows(ImDrawList* dl, const Registry& reg, long filter, float y0, float y1) const {
  const auto& all = reg.registries();
  float labelY = y0 + 2;  // one label per line: two shutdowns starting together must not overlap
  for (size_t i = 0; i < all.size(); ++i) {
    const NamedRegistry& r = all[i];
    if (r.state == RegistryState::Open || (filter >= 0 && static_cast<long>(i) != filter)) continue;
    const Ms end = r.state == RegistryState::Closed ? r.closedAt : reg.now();
    const float xa = xAtTime(static_cast<double>(r.shutdownAt)), xb = xAtTime(static_cast<double>(end));
    dl->AddRectFilled(ImVec2(xa, y0), ImVec2(std::max(xb, xa + 1), y1), IM_COL32(170, 120, 255, 40));
    dl->AddLine(ImVec2(xa, y0), ImVec2(xa, y1), IM_COL32(170, 120, 255, 200), 1.5f);
    if (r.deadlineDue != kMaxMs) {
      const float xd = xAtTime(static_cast<double>(r.deadlineDue));
      dl->AddLine(ImVec2(xd, y0), ImVec2(xd, y1), IM_COL32(255, 70, 70, 220), 1.5f);
    }
    dl->AddText(ImVec2(xa + 3, labelY), IM_COL32(200, 170, 255, 255), ("shutdown " + r.name).c_str());
    labelY += ImGui::GetTextLineHeight();
  }
}

// Hover, wheel zoom, drag to pan, click to set the cursor (inside the lanes child window).
void TimelinePanel::HandleInput(Ms now, Clicks* c) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 childPos = ImGui::GetWindowPos();
  const ImVec2 childSize = ImGui::GetWindowSize();
  const auto& lanes = lifetimes.lanes();
  const ImVec2 mouse = io.MousePos;
  const bool inChild = ImGui::IsWindowHovered() && mouse.y >= childPos.y && mouse.y < childPos.y + childSize.y;
  const bool overLanes = inChild && mouse.x >= canvasX && mouse.x < canvasX + canvasWidth;
  const float contentY = mouse.y - childPos.y + ImGui::GetScrollY();
  const long laneIdx = contentY >= 0 ? static_cast<long>(contentY / laneHeight) : -1;
  const bool onLane = overLanes && laneIdx >= 0 && static_cast<size_t>(laneIdx) < shown.size();
  const Ms tMouse = static_cast<Ms>(std::llround(timeAtX(mouse.x)));
  hover.reset();
  if (onLane && tMouse >= 0 && tMouse <= now) {
    const Lane& lane = lanes[shown[static_cast<size_t>(laneIdx)]];
    hover = Hover{lane.store, tMouse, Lifetimes::at(lane, tMouse)};
  }
  if (inChild && io.MouseWheel != 0.0f) {
    if (overLanes) zoomAround(mouse.x, io.MouseWheel);
    else ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseWheel * laneHeight * 3);
  }
  if (overLanes && ImGui::IsMouseClicked(0)) {
    pressed = true;
    dragTravel = 0;
  }
  if (pressed && ImGui::IsMouseDown(0) && io.MouseDelta.x != 0.0f) {
    dragTravel += std::fabs(io.MouseDelta.x);
    if (dragTravel > 3.0f) panBy(io.MouseDelta.x);
  }
  if (pressed && ImGui::IsMouseReleased(0)) {
    pressed = false;
    if (dragTravel <= 3.0f && overLanes) {
      c->time = std::clamp<Ms>(tMouse, 0, now);
      if (onLane) c->lane = shown[static_cast<size_t>(laneIdx)];
    }
  }
}

void TimelinePanel::DrawLanes(const Registry& reg, Ms now, const UiState& ui, Clicks* c) {
  hover.reset();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
  if (ImGui::BeginChild("lanes", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse)) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 childPos = ImGui::GetWindowPos();
    const ImVec2 childSize = ImGui::GetWindowSize();
    const auto& lanes = lifetimes.lanes();
    UpdateShown(reg, ui.registryFilter);
    ScrollToSelection(reg, ui, childSize.y);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(shown.size()), laneHeight);
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) DrawLaneRow(dl, reg, lanes[shown[static_cast<size_t>(r)]], now, ui);
    }
    clipper.End();
    // The present and the cursor, across every visible lane.
    dl->PushClipRect(ImVec2(canvasX, childPos.y), ImVec2(canvasX + canvasWidth, childPos.y + childSize.y), true);
    const float xNow = xAtTime(static_cast<double>(now));
    dl->AddLine(ImVec2(xNow, childPos.y), ImVec2(xNow, childPos.y + childSize.y), IM_COL32(255, 255, 255, 120));
    if (cursor) {
      const float xc = xAtTime(static_cast<double>(*cursor));
      dl->AddLine(ImVec2(xc, childPos.y), ImVec2(xc, childPos.y + childSize.y), IM_COL32(255, 180, 40, 255), 2.0f);
    }
    DrawShutdownWindows(dl, reg, ui.registryFilter, childPos.y, childPos.y + childSize.y);
    dl->PopClipRect();
    HandleInput(now, c);
  }
  ImGui::EndChild();
  ImGui::PopStyleVar(2);
}

void TimelinePanel::DrawHoverTooltip(const Registry& reg, bool dark) const {
  const Lifetimes::Instant& a = hover->at;
  ImGui::BeginTooltip();
  ImGui::Text("%s  g%u  @%lld", reg.storeIdOf(hover->store).c_str(), a.generation, static_cast<long long>(hover->t));
  StateBadge(a.state, dark);
  ImGui::Text("observers %u", a.observers);
  if (a.state != State::Absent && a.state != State::Disposed) ImGui::Text("gcTime %s", formatSpan(a.gcTime).c_str());
  if (a.gcArmed) {
    if (a.gcDue == kMaxMs) ImGui::TextUnformatted("GC due: never (saturated)");
    else ImGui::Text("GC due @%lld (in %lld ms)", static_cast<long long>(a.gcDue), static_cast<long long>(a.gcDue - hover->t));
  } else if (a.state != State::Absent && a.state != State::Disposed) {
    ImGui::TextDisabled("no GC armed");
  }
  ImGui::EndTooltip();
}

// [SECTION] the panel

void TimelinePanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.liveSession().registry();
  if (builtSession != host.liveSerial()) {
    lifetimes.reset();
    builtSession = host.liveSerial();
  }
  lifetimes.update(reg);
  // The present as the clock shows it (with the played time not yet recorded).
  const Ms now = host.viewingPast() ? reg.now() : host.displayNow();
  cursor = host.timeCursor();
  Clicks clicks;
  DrawToolbar(now, &clicks);
  if (lifetimes.lanes().empty()) {
    ImGui::TextDisabled("No store has been created yet.");
  } else {
    canvasX = ImGui::GetCursorScreenPos().x + labelWidth;
    canvasWidth = std::max(1.0f, ImGui::GetContentRegionAvail().x - labelWidth - ImGui::GetStyle().ScrollbarSize);
    if (clicks.fit) fit(now);
    keepNowInView(now);
    DrawAxis();
    DrawLanes(reg, now, ui, &clicks);
    if (hover) DrawHoverTooltip(reg, DarkStyle());
  }
  window.Close();
  if (clicks.backToNow) host.setTimeCursor(std::nullopt);
  if (clicks.time) host.setTimeCursor(clicks.time);
  if (clicks.lane) ui.select(reg.storeIdOf(lifetimes.lanes()[*clicks.lane].store));
}

}  // namespace si::gui
