#include "observers_panel.hpp"

#include <algorithm>

#include "registry_rows.hpp"
#include "widgets.hpp"

namespace si::gui {

void ObserversPanel::Refresh(const Host& host) {
  const Registry& reg = host.session().registry();
  if (builtSession == host.sessionSerial() && builtEvents == reg.eventCount()) return;
  builtSession = host.sessionSerial();
  builtEvents = reg.eventCount();
  buildObserverIndex(reg, &rows, &tree);
}

// [SECTION] attach form

void ObserversPanel::DrawTemplateFields(const Config& cfg) {
  const StoreTemplate& t = cfg.templates.at(templateName);
  if (t.storeId) {
    // The storeId as the fields fill it (the pattern while a placeholder is still empty).
    std::vector<std::pair<std::string, std::string>> filled;
    for (const std::string& ph : t.storeId->placeholders) filled.emplace_back(ph, params[ph]);
    const bool complete = std::all_of(filled.begin(), filled.end(), [](const auto& p) { return !p.second.empty(); });
    const Result<std::string> id = complete ? t.storeId->fill(filled) : Result<std::string>(t.storeId->text);
    const std::string preview = "storeId " + (id ? *id : t.storeId->text);
    ImGui::TextDisabled("%s", preview.c_str());
    NoteItem(preview.c_str());
    for (const std::string& ph : t.storeId->placeholders) {
      ImGui::SetNextItemWidth(220);
      const std::string label = ph + "##param";
      InputText(label.c_str(), &params[ph]);
    }
  }
  dropUnusedParams(t);
  ImGui::SetNextItemWidth(220);
  ImGui::InputTextWithHint("call-site gcTime", "ms or Infinity (optional)", &gcTime);
  NoteItem("call-site gcTime");
  ImGui::SetNextItemWidth(-120);
  ImGui::InputTextWithHint("overrides", "{\"debug\": {...}} (optional JSON)", &overrides);
  NoteItem("overrides");
}

void ObserversPanel::CaptureFormAction(const Config& cfg, const UiState& ui, Pending* p) {
  const bool attach = Button("Attach");
  ImGui::SameLine();
  const bool preload = Button("Preload");
  SameLineIfFits(160 + ButtonWidth("Drop") + ButtonWidth("Clear"));
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint("##dropStore", ui.selectedStore.empty() ? "storeId" : ui.selectedStore.c_str(), &dropStore);
  NoteItem("##dropStore");
  ImGui::SameLine();
  const bool drop = Button("Drop");
  SameLineIfFits(ButtonWidth("Clear"));
  const bool clear = Button("Clear");
  if (attach || preload) {
    p->action = attach ? "attach" : "preload";
    json req = BuildRequest(cfg, &p->formError);
    if (!p->formError.empty()) return;
    if (attach) {
      if (!observerId.empty()) req["observer"] = observerId;
      if (!component.empty()) req["component"] = component;
      if (!requestTag.empty()) req["request"] = requestTag;
    }
    p->step = json{{p->action, req}};
  } else if (drop) {
    p->step = json{{"drop", dropStore.empty() ? ui.selectedStore : dropStore}};
    p->action = "drop";
  } else if (clear) {
    p->step = json{{"clear", true}};
    p->action = "clear";
  }
}

void ObserversPanel::DrawAttachForm(const Config& cfg, const UiState& ui, Pending* p) {
  keepTemplateValid(cfg);
  ImGui::SetNextItemWidth(220);
  const bool comboOpen = ImGui::BeginCombo("template", templateName.c_str());
  if (!comboOpen) NoteItem("template");  // while open, the last item is inside the popup
  if (comboOpen) {
    for (const auto& [name, t] : cfg.templates) {
      const std::string label = name + (t.storeId ? "  (" + t.storeId->text + ")" : "");
      if (Selectable(label.c_str(), name == templateName)) templateName = name;
    }
    if (Selectable(kRawOptions, templateName == kRawOptions)) templateName = kRawOptions;
    ImGui::EndCombo();
  }
  if (templateName == kRawOptions) {
    ImGui::InputTextMultiline("raw options", &rawOptions, ImVec2(-120, ImGui::GetTextLineHeight() * 4));
    NoteItem("raw options");
  } else {
    DrawTemplateFields(cfg);
  }
  ImGui::SetNextItemWidth(220);
  ImGui::InputTextWithHint("observer id", "auto: o1, o2, ...", &observerId);
  NoteItem("observer id");
  ImGui::SetNextItemWidth(220);
  InputText("component", &component);
  ImGui::SetNextItemWidth(220);
  ImGui::InputTextWithHint("registry", "default (optional)", &registry);
  NoteItem("registry");
  ImGui::SetNextItemWidth(220);
  ImGui::InputTextWithHint("request", "server request tag (optional)", &requestTag);
  NoteItem("request");
  CaptureFormAction(cfg, ui, p);
  if (lastAction.empty()) return;
  if (lastError.empty()) {
    ImGui::TextDisabled("%s: ok", lastAction.c_str());
  } else {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(stateColor(State::Failed), "%s: %s", lastAction.c_str(), lastError.c_str());
    ImGui::PopTextWrapPos();
  }
}

// [SECTION] attached observers

void ObserversPanel::DrawObserverTable(const Registry& reg, UiState& ui, Pending* p) {
  const ImVec2 size(0, ImGui::GetTextLineHeightWithSpacing() * 10);
  if (!ImGui::BeginTable("observers", 7, kDataTableFlags, size)) return;
  // Detach first: always on screen in a narrow panel.
  SetupTable({{""}, {"id"}, {"store"}, {"component"}, {"call-site gcTime"}, {"status"}, {"attached at"}});
  const auto& obs = reg.observers();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const ObserverId id = rows[static_cast<size_t>(i)];
      const ObserverRecord& o = obs[id];
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      const std::string label = "Detach##" + o.name;
      if (SmallButton(label.c_str())) {
        p->step = json{{"detach", o.name}};
        p->action = "detach " + o.name;
      }
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(o.name.c_str());
      ImGui::TableSetColumnIndex(2);
      const std::string& sid = reg.storeIdOf(o.store);
      if (ImGui::Selectable(sid.c_str(), sid == ui.selectedStore)) ui.select(sid);
      ImGui::TableSetColumnIndex(3);
      ImGui::TextUnformatted(o.component.c_str());
      ImGui::TableSetColumnIndex(4);
      if (o.hasCallSiteGcTime) ImGui::TextUnformatted(toString(o.callSiteGcTime).c_str());
      else ImGui::TextDisabled("-");
      ImGui::TableSetColumnIndex(5);
      ImGui::TextUnformatted(std::string(toString(o.status)).c_str());
      ImGui::TableSetColumnIndex(6);
      ImGui::Text("@%lld", static_cast<long long>(o.attachedAt));
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

void ObserversPanel::DrawHistory(const Host& host) {
  const Session& session = host.session();
  if (historySession != host.sessionSerial() || historyEvents != session.registry().eventCount()) {
    historySession = host.sessionSerial();
    historyEvents = session.registry().eventCount();
    history.clear();
    for (const auto& entry : session.observerNames()) {
      const ObserverStatus st = entry.second.status;
      if (st == ObserverStatus::Detached || st == ObserverStatus::Orphaned) history.push_back(&entry);
    }
  }
  ImGui::TextDisabled("%zu detached or orphaned", history.size());
  if (history.empty()) return;
  const float lines = static_cast<float>(std::min<size_t>(history.size(), 10));
  ImGui::BeginChild("history", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * lines + 8), true);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(history.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& [name, info] = *history[static_cast<size_t>(i)];
      ImGui::BulletText("%s  %s  %s  %s", name.c_str(), std::string(toString(info.status)).c_str(),
                        info.store.c_str(), info.component.c_str());
    }
  }
  ImGui::EndChild();
}

// [SECTION] component tree

void ObserversPanel::DrawNode(const Registry& reg, const TreeNode& node, const std::string& seg, Pending* p) {
  ImGui::PushID(node.path.c_str());
  const bool openNode = ImGui::TreeNodeEx(seg.c_str(), ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_AllowItemOverlap,
                                          "%s (%zu)", seg.c_str(), node.observers.size());
  ImGui::SameLine();
  const std::string label = "Unmount##" + node.path;
  if (SmallButton(label.c_str())) {
    p->step = json{{"unmount", node.path}};
    p->action = "unmount " + node.path;
  }
  if (openNode) {
    size_t shown = 0;
    for (ObserverId id : node.observers) {
      if (++shown > 20) {
        ImGui::TextDisabled("... %zu more", node.observers.size() - 20);
        break;
      }
      const ObserverRecord& o = reg.observers()[id];
      ImGui::BulletText("%s → %s (%s)", o.name.c_str(), reg.storeIdOf(o.store).c_str(),
                        std::string(toString(o.status)).c_str());
    }
    for (const auto& [childSeg, child] : node.children) DrawNode(reg, *child, childSeg, p);
    ImGui::TreePop();
  }
  ImGui::PopID();
}

void ObserversPanel::DrawComponents(const Registry& reg, Pending* p) {
  if (tree.children.empty()) ImGui::TextDisabled("No observer has a component path.");
  size_t roots = 0;
  for (const auto& [seg, child] : tree.children) {
    if (++roots > 200) break;
    DrawNode(reg, *child, seg, p);
  }
}

// [SECTION] registries (SPEC 8, 10)

void ObserversPanel::DrawRegistryActions(const Registry& reg, Pending* p) {
  for (RegistryIndex i = 0; i < reg.registries().size(); ++i) ImGui::BulletText("%s", registryLabel(reg, i).c_str());
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint("##newRegistry", "name, e.g. req-1", &newRegistry);
  NoteItem("##newRegistry");
  ImGui::SameLine();
  ImGui::Checkbox("ssr", &newRegistrySsr);
  ImGui::SameLine();
  if (Button("Create registry")) {
    p->action = "createRegistry";
    json spec = {{"name", newRegistry}};
    if (newRegistrySsr) spec["environment"] = "ssr";
    p->step = json{{"createRegistry", spec}};
  }
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint("##shutdownRegistry", "default", &shutdownName);
  NoteItem("##shutdownRegistry");
  SameLineIfFits(200);
  ImGui::SetNextItemWidth(110);
  ImGui::Combo("##strategy", &shutdownSequential, "parallel\0sequential\0");
  SameLineIfFits(200);
  ImGui::SetNextItemWidth(90);
  ImGui::Combo("##loading", &shutdownAwait, "abort\0await\0");
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint("##deadline", "deadline ms (optional)", &shutdownDeadline);
  NoteItem("##deadline");
  ImGui::SameLine();
  if (Button("Shut down")) {
    p->action = "shutdownRegistry";
    json spec = {{"registry", shutdownName.empty() ? std::string("default") : shutdownName},
                 {"strategy", shutdownSequential != 0 ? "sequential" : "parallel"},
                 {"loading", shutdownAwait != 0 ? "await" : "abort"}};
    if (!shutdownDeadline.empty()) spec["deadlineMs"] = gcTimeValue(shutdownDeadline);
    p->step = json{{"shutdownRegistry", spec}};
  }
}

// [SECTION] act

void ObserversPanel::Act(Host& host, UiState& ui, const Pending& p) {
  lastAction = p.action;
  outcomeSerial = host.liveSerial();
  if (!p.formError.empty()) {
    lastError = p.formError;
    return;
  }
  StepResult r = host.execute(p.step);
  lastError = r.error;
  // After an attach, its store is the one the user wants to look at.
  const Registry& reg = host.session().registry();
  for (size_t i = r.eventBegin; r.error.empty() && i < r.eventEnd && i < reg.events().size(); ++i) {
    const Event& e = reg.events()[i];
    if (e.kind == EventKind::ObserverAttached && e.store != kNoStore) {
      ui.select(reg.storeIdOf(e.store));
      break;
    }
  }
  // A preload never fails its caller: surface the swallowed error here too.
  if (!r.swallowed.empty()) lastError = "swallowed (see Alerts): " + r.swallowed.back();
  if (r.error.empty() && p.step.contains("drop")) dropStore.clear();
}

void ObserversPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Session& session = host.session();
  const Registry& reg = session.registry();
  Refresh(host);
  if (outcomeSerial != host.liveSerial()) {  // another file, Restart or a branch: old news
    lastAction.clear();
    lastError.clear();
  }
  Pending pending;
  const ImGuiTreeNodeFlags open1 = ImGuiTreeNodeFlags_DefaultOpen;
  if (ImGui::CollapsingHeader("Attach / preload", open1)) DrawAttachForm(reg.config(), ui, &pending);
  if (ImGui::CollapsingHeader("Attached observers", open1)) {
    ImGui::Text("%zu attached", rows.size());
    ImGui::SameLine();
    Checkbox("history", &showHistory);
    if (rows.empty()) ImGui::TextDisabled("No observer attached.");
    else DrawObserverTable(reg, ui, &pending);
    if (showHistory) DrawHistory(host);
  }
  if (ImGui::CollapsingHeader("Components", open1)) DrawComponents(reg, &pending);
  if (ImGui::CollapsingHeader("Registries", open1)) DrawRegistryActions(reg, &pending);
  window.Close();
  if (!pending.action.empty()) Act(host, ui, pending);
}

}  // namespace si::gui
