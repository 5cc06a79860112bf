#include "observers_panel.hpp"

#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include "widgets.hpp"

namespace si::gui {
namespace {

void SplitPath(const std::string& path, std::vector<std::string>* out) {
  out->clear();
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) out->push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
}

// A gcTime field: "" none, "Infinity", or an integer; anything else is passed through as text
// so the core reports it with its own message ("gcTime: ...").
json GcTimeValue(const std::string& text) {
  if (text == "Infinity") return text;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (end != nullptr && *end == '\0' && !text.empty()) return v;
  return text;
}

}  // namespace

void ObserversPanel::Refresh(const Host& host) {
  const Registry& reg = host.session().registry();
  if (builtSession == host.sessionSerial() && builtEvents == reg.eventCount()) return;
  builtSession = host.sessionSerial();
  builtEvents = reg.eventCount();
  rows.clear();
  tree = TreeNode{};
  std::vector<std::string> segs;
  // Many observers share a component: resolve each distinct path to its node once.
  std::unordered_map<std::string_view, TreeNode*> byComponent;
  const auto& obs = reg.observers();
  for (ObserverId id = 0; id < obs.size(); ++id) {
    const ObserverRecord& o = obs[id];
    if (!o.attached) continue;
    rows.push_back(id);
    TreeNode*& cached = byComponent[o.component];
    if (cached == nullptr) {
      SplitPath(o.component, &segs);
      TreeNode* node = &tree;
      std::string path;
      for (const std::string& seg : segs) {
        path += (path.empty() ? "" : "/") + seg;
        auto& child = node->children[seg];
        if (!child) {
          child = std::make_unique<TreeNode>();
          child->path = path;
        }
        node = child.get();
      }
      cached = node;
    }
    cached->observers.push_back(id);
  }
}

json ObserversPanel::BuildRequest(const Config& cfg, std::string* error) const {
  error->clear();
  if (templateName == kRawOptions || cfg.templates.empty()) {
    auto parsed = parseJsonText(rawOptions, "raw options");
    if (!parsed) {
      *error = parsed.message();
      return json();
    }
    if (!parsed->is_object()) {
      *error = "raw options: expected a JSON object";
      return json();
    }
    return *parsed;
  }
  json req = json::object();
  req["use"] = templateName;
  json p = json::object();
  for (const auto& [k, v] : params) p[k] = v;
  if (!p.empty()) req["params"] = p;
  if (!gcTime.empty()) req["gcTime"] = GcTimeValue(gcTime);
  if (!overrides.empty()) {
    auto parsed = parseJsonText(overrides, "overrides");
    if (!parsed) {
      *error = parsed.message();
      return json();
    }
    if (!parsed->is_object()) {
      *error = "overrides: expected a JSON object";
      return json();
    }
    for (auto it = parsed->begin(); it != parsed->end(); ++it) req[it.key()] = it.value();
  }
  return req;
}

void ObserversPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  if (!ImGui::Begin(title, open)) {
    ImGui::End();
    return;
  }
  const Session& session = host.session();
  const Registry& reg = session.registry();
  const Config& cfg = reg.config();
  Refresh(host);

  // Actions captured while drawing, executed after the widgets.
  json pending;              // the step to execute
  std::string pendingAction;
  std::string formError;

  // [SECTION] attach form
  if (ImGui::CollapsingHeader("Attach / preload", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (templateName.empty()) templateName = cfg.templates.empty() ? kRawOptions : cfg.templates.begin()->first;
    if (templateName != kRawOptions && !cfg.templates.count(templateName)) {
      templateName = cfg.templates.empty() ? kRawOptions : cfg.templates.begin()->first;
    }
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
      const StoreTemplate& t = cfg.templates.at(templateName);
      if (t.storeId) {
        ImGui::TextDisabled("storeId %s", t.storeId->text.c_str());
        for (const std::string& ph : t.storeId->placeholders) {
          ImGui::SetNextItemWidth(220);
          const std::string label = ph + "##param";
          InputText(label.c_str(), &params[ph]);
        }
      }
      // Drop params the template no longer has (switching templates).
      for (auto it = params.begin(); it != params.end();) {
        bool used = false;
        if (t.storeId)
          for (const auto& ph : t.storeId->placeholders) used = used || ph == it->first;
        it = used ? std::next(it) : params.erase(it);
      }
      ImGui::SetNextItemWidth(220);
      ImGui::InputTextWithHint("call-site gcTime", "ms or Infinity (optional)", &gcTime);
      NoteItem("call-site gcTime");
      ImGui::SetNextItemWidth(-120);
      ImGui::InputTextWithHint("overrides", "{\"debug\": {...}} (optional JSON)", &overrides);
      NoteItem("overrides");
    }
    ImGui::SetNextItemWidth(220);
    ImGui::InputTextWithHint("observer id", "auto: o1, o2, ...", &observerId);
    NoteItem("observer id");
    ImGui::SetNextItemWidth(220);
    InputText("component", &component);

    const bool attach = Button("Attach");
    ImGui::SameLine();
    const bool preload = Button("Preload");
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160);
    ImGui::InputTextWithHint("##dropStore", ui.selectedStore.empty() ? "storeId" : ui.selectedStore.c_str(), &dropStore);
    NoteItem("##dropStore");
    ImGui::SameLine();
    const bool drop = Button("Drop");
    ImGui::SameLine();
    const bool clear = Button("Clear");

    if (attach || preload) {
      json req = BuildRequest(cfg, &formError);
      if (formError.empty()) {
        if (attach) {
          if (!observerId.empty()) req["observer"] = observerId;
          if (!component.empty()) req["component"] = component;
          pending = json{{"attach", req}};
          pendingAction = "attach";
        } else {
          pending = json{{"preload", req}};
          pendingAction = "preload";
        }
      } else {
        pendingAction = attach ? "attach" : "preload";
      }
    } else if (drop) {
      const std::string id = dropStore.empty() ? ui.selectedStore : dropStore;
      pending = json{{"drop", id}};
      pendingAction = "drop";
    } else if (clear) {
      pending = json{{"clear", true}};
      pendingAction = "clear";
    }
    if (!lastAction.empty()) {
      if (lastError.empty()) {
        ImGui::TextDisabled("%s: ok", lastAction.c_str());
      } else {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(stateColor(State::Failed, ui.darkTheme), "%s: %s", lastAction.c_str(), lastError.c_str());
        ImGui::PopTextWrapPos();
      }
    }
  }

  // [SECTION] attached observers
  if (ImGui::CollapsingHeader("Attached observers", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::Text("%zu attached", rows.size());
    ImGui::SameLine();
    Checkbox("history", &showHistory);
    if (rows.empty()) ImGui::TextDisabled("No observer attached.");
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!rows.empty() && ImGui::BeginTable("observers", 7, flags, ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 10))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("");  // Detach first: always on screen in a narrow panel
      ImGui::TableSetupColumn("id");
      ImGui::TableSetupColumn("store");
      ImGui::TableSetupColumn("component");
      ImGui::TableSetupColumn("call-site gcTime");
      ImGui::TableSetupColumn("status");
      ImGui::TableSetupColumn("attached at");
      ImGui::TableHeadersRow();
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
            pending = json{{"detach", o.name}};
            pendingAction = "detach " + o.name;
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
    if (showHistory) {
      for (const auto& [name, info] : session.observerNames()) {
        if (info.status != ObserverStatus::Detached && info.status != ObserverStatus::Orphaned) continue;
        ImGui::BulletText("%s  %s  %s  %s", name.c_str(), std::string(toString(info.status)).c_str(),
                          info.store.c_str(), info.component.c_str());
      }
    }
  }

  // [SECTION] component tree
  if (ImGui::CollapsingHeader("Components", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (tree.children.empty()) ImGui::TextDisabled("No observer has a component path.");
    // Iterative-friendly recursion through a local lambda; depth is the path depth.
    auto drawNode = [&](auto& self, const TreeNode& node, const std::string& seg) -> void {
      ImGui::PushID(node.path.c_str());
      const bool openNode = ImGui::TreeNodeEx(seg.c_str(), ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_AllowItemOverlap,
                                              "%s (%zu)", seg.c_str(), node.observers.size());
      ImGui::SameLine();
      const std::string label = "Unmount##" + node.path;
      if (SmallButton(label.c_str())) {
        pending = json{{"unmount", node.path}};
        pendingAction = "unmount " + node.path;
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
        for (const auto& [childSeg, child] : node.children) self(self, *child, childSeg);
        ImGui::TreePop();
      }
      ImGui::PopID();
    };
    size_t roots = 0;
    for (const auto& [seg, child] : tree.children) {
      if (++roots > 200) break;
      drawNode(drawNode, *child, seg);
    }
  }
  ImGui::End();

  // [SECTION] act
  if (!pendingAction.empty()) {
    lastAction = pendingAction;
    if (!formError.empty()) {
      lastError = formError;
    } else {
      StepResult r = host.execute(pending);
      lastError = r.error;
      // A preload never fails its caller: surface the swallowed error here too.
      const auto& events = host.session().registry().events();
      for (size_t i = r.eventBegin; i < r.eventEnd && i < events.size(); ++i) {
        if (events[i].kind == EventKind::PreloadErrorSwallowed)
          lastError = "swallowed (see Alerts): " + events[i].text;
      }
      if (r.error.empty() && pending.contains("drop")) dropStore.clear();
    }
  }
}

}  // namespace si::gui
