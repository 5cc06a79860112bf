#include "alerts_panel.hpp"

#include "lint_text.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace {

std::string joinKeys(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& k : keys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

}  // namespace

void AlertsPanel::Refresh(const Host& host) {
  const Session& session = host.session();
  const Registry& reg = session.registry();
  // Time-based alerts depend on the registry clock; recorded advances change it, so this
  // rebuilds at most once per recorded step.
  if (builtSession == host.sessionSerial() && builtEvents == reg.eventCount() && builtNow == reg.now() &&
      builtSuspended == host.alertThresholds().suspendedMs && builtActive == host.alertThresholds().activeMs) {
    return;
  }
  builtSession = host.sessionSerial();
  builtEvents = reg.eventCount();
  builtNow = reg.now();
  builtSuspended = host.alertThresholds().suspendedMs;
  builtActive = host.alertThresholds().activeMs;
  alerts.clear();
  const Ms now = reg.now();

  for (const StoreRecord& s : reg.stores()) {
    if (!s.live()) continue;
    for (const std::string& code : s.lints) {
      const AlertKind kind = code == kTimerOverflow ? AlertKind::TimerOverflow : AlertKind::Lint;
      alerts.push_back({kind, s.storeId, s.createdAt, lintAlertText(code, s.gcTime)});
    }
    if (s.state == State::Active && now - s.stateSince > host.alertThresholds().activeMs) {
      alerts.push_back({AlertKind::ActiveTooLong, s.storeId, s.stateSince,
                        "ACTIVE for " + std::to_string(now - s.stateSince) + " ms"});
    }
  }
  for (const ObserverRecord& o : reg.observers()) {
    if (!o.attached || o.status != ObserverStatus::Suspended) continue;
    if (now - o.attachedAt > host.alertThresholds().suspendedMs) {
      alerts.push_back({AlertKind::SuspendedTooLong, reg.storeIdOf(o.store), o.attachedAt,
                        "observer " + o.name + " suspended for " + std::to_string(now - o.attachedAt) + " ms"});
    }
  }
  // Event-derived alerts only grow: scan the new events, then append them all.
  const auto& events = reg.events();
  if (eventSession != host.sessionSerial() || eventWatermark > events.size()) {
    eventSession = host.sessionSerial();
    eventWatermark = 0;
    eventAlerts.clear();
  }
  for (size_t i = eventWatermark; i < events.size(); ++i) {
    const Event& e = events[i];
    const std::string sid = e.store != kNoStore ? reg.storeIdOf(e.store) : std::string();
    switch (e.kind) {
      case EventKind::OptionsIgnored:
        eventAlerts.push_back({AlertKind::OptionsIgnored, sid, e.t,
                               "options ignored (fixed at creation): " + joinKeys(e.keys) + (e.observer.empty() ? "" : " by " + e.observer)});
        break;
      case EventKind::LoadFailed:
        eventAlerts.push_back({AlertKind::LoadFailed, sid, e.t, "load failed (g" + std::to_string(e.generation) + "): " + e.text});
        break;
      case EventKind::PreloadErrorSwallowed:
        eventAlerts.push_back({AlertKind::PreloadErrorSwallowed, sid, e.t, "preload error swallowed: " + e.text});
        break;
      case EventKind::ObserverOrphaned:
        eventAlerts.push_back({AlertKind::Orphaned, sid, e.t, "observer " + e.observer + " orphaned by a drop"});
        break;
      case EventKind::Alert: {
        const bool divergence = !e.keys.empty() && e.keys[0] == "divergence";
        const std::string code = divergence || e.keys.empty() ? std::string() : e.keys[0] + ": ";
        eventAlerts.push_back({divergence ? AlertKind::Divergence : AlertKind::RegistryAlert, sid, e.t,
                               reg.registryNameOf(e) + ": " + code + e.text});
        break;
      }
      default: break;
    }
  }
  eventWatermark = events.size();
  alerts.insert(alerts.end(), eventAlerts.begin(), eventAlerts.end());
}

size_t AlertsPanel::Count(const Host& host) {
  Refresh(host);
  return alerts.size();
}

void AlertsPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  Refresh(host);
  std::array<size_t, kAlertKindCount> perKind{};
  for (const Alert& a : alerts) perKind[static_cast<size_t>(a.kind)]++;
  for (size_t k = 0; k < perKind.size(); ++k) {
    if (perKind[k] == 0) continue;
    bool shown = !hidden[k];
    char label[96];
    std::snprintf(label, sizeof label, "%s (%zu)", kAlertKindNames[k], perKind[k]);
    if (ImGui::Checkbox(label, &shown)) hidden[k] = !shown;
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (alerts.empty()) {
    ImGui::TextDisabled("No alerts.");
    return;
  }
  std::string clicked;
  if (ImGui::BeginTable("alerts", 4, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                         ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingFixedFit)) {
    SetupTable({{"kind"}, {"store"}, {"t (ms)"}, {"what", ImGuiTableColumnFlags_WidthStretch}});
    std::vector<const Alert*> visible;
    visible.reserve(alerts.size());
    for (const Alert& a : alerts)
      if (!hidden[static_cast<size_t>(a.kind)]) visible.push_back(&a);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(visible.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const Alert& a = *visible[static_cast<size_t>(i)];
        ImGui::PushID(i);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "%s", kAlertKindNames[static_cast<size_t>(a.kind)]);
        ImGui::TableSetColumnIndex(1);
        if (!a.storeId.empty() && ImGui::Selectable(a.storeId.c_str(), a.storeId == ui.selectedStore)) clicked = a.storeId;
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%lld", static_cast<long long>(a.t));
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(a.text.c_str());
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  window.Close();
  if (!clicked.empty()) ui.select(clicked);
}

}  // namespace si::gui
