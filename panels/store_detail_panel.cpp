#include "store_detail_panel.hpp"

#include <algorithm>
#include <cmath>

#include "describe.hpp"
#include "lifecycle_layout.hpp"
#include "lint_text.hpp"
#include "option_provenance.hpp"
#include "registry_rows.hpp"
#include "widgets.hpp"

namespace si::gui {
namespace {

// [SECTION] lifecycle diagram

void Arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
  dl->AddLine(a, b, col, thickness);
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1.0f) return;
  const float ux = dx / len, uy = dy / len;
  const float s = 7.0f;
  dl->AddTriangleFilled(b, ImVec2(b.x - ux * s - uy * s * 0.6f, b.y - uy * s + ux * s * 0.6f),
                        ImVec2(b.x - ux * s + uy * s * 0.6f, b.y - uy * s - ux * s * 0.6f), col);
}

void CurveArrow(ImDrawList* dl, ImVec2 a, ImVec2 c1, ImVec2 c2, ImVec2 b, ImU32 col) {
  dl->AddBezierCubic(a, c1, c2, b, col, 1.5f);
  Arrow(dl, ImVec2(b.x - (b.x - c2.x) * 0.05f, b.y - (b.y - c2.y) * 0.05f), b, col, 1.5f);
}

}  // namespace

// One state of the diagram: filled with its colour when it is the store's state.
static void DrawLifecycleNode(ImDrawList* dl, State st, ImVec2 pos, ImVec2 size, bool lit, bool dark) {
  const ImVec2 b(pos.x + size.x, pos.y + size.y);
  if (lit) {
    dl->AddRectFilled(pos, b, stateColorU32(st, dark), 6.0f);
  } else {
    dl->AddRectFilled(pos, b, ImGui::GetColorU32(ImGuiCol_FrameBg), 6.0f);
    dl->AddRect(pos, b, stateColorU32(st, dark), 6.0f, 0, 1.5f);
  }
  const std::string_view name = toString(st);
  const ImVec2 ts = ImGui::CalcTextSize(name.data(), name.data() + name.size());
  dl->AddText(ImVec2(pos.x + (size.x - ts.x) * 0.5f, pos.y + (size.y - ts.y) * 0.5f),
              lit ? IM_COL32(0, 0, 0, 255) : ImGui::GetColorU32(ImGuiCol_Text), name.data(), name.data() + name.size());
}

void DrawLifecycle(const StoreRecord& s, Ms now, bool dark) {
  const bool gcLit = s.gcArmed && !s.gcTime.infinite;
  char gcText[64];
  if (gcLit) {
    std::snprintf(gcText, sizeof gcText, "GC in %lld ms", static_cast<long long>(std::max<Ms>(0, s.gcDueIn(now))));
  } else {
    std::snprintf(gcText, sizeof gcText, "GC %s", s.gcTime.infinite ? "never" : "");
  }
  const auto measure = [](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x; };
  const LifecycleLayout l =
      layoutLifecycle(ImGui::GetContentRegionAvail().x, ImGui::GetTextLineHeight(), measure, gcText);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float w = l.w, h = l.h;
  auto at = [&](State st) { return ImVec2(o.x + l.node(st).x, o.y + l.node(st).y); };
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 edge = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImVec2 L = at(State::Loading), A = at(State::Active), I = at(State::Inactive), D = at(State::Disposed),
               F = at(State::Failed);
  Arrow(dl, ImVec2(L.x + w, L.y + h * 0.5f), ImVec2(A.x, A.y + h * 0.5f), edge, 1.5f);  // loaded
  // LOADING -> INACTIVE over the top (loaded with no observers: a preload)
  CurveArrow(dl, ImVec2(L.x + w * 0.5f, L.y), ImVec2(L.x + w, L.y - 40), ImVec2(I.x, I.y - 40),
             ImVec2(I.x + w * 0.5f, I.y), edge);
  Arrow(dl, ImVec2(A.x + w, A.y + h * 0.3f), ImVec2(I.x, I.y + h * 0.3f), edge, 1.5f);    // last detach
  Arrow(dl, ImVec2(I.x, I.y + h * 0.75f), ImVec2(A.x + w, A.y + h * 0.75f), edge, 1.5f);  // attach
  // INACTIVE -> DISPOSED: GC, lit with the live countdown when armed
  Arrow(dl, ImVec2(I.x + w, I.y + h * 0.5f), ImVec2(D.x, D.y + h * 0.5f),
        gcLit ? stateColorU32(State::Inactive, dark) : edge, gcLit ? 3.0f : 1.5f);
  Arrow(dl, ImVec2(L.x + w * 0.5f, L.y + h), ImVec2(F.x, F.y + h * 0.5f), edge, 1.5f);  // load failed
  CurveArrow(dl, ImVec2(F.x + w, F.y + h * 0.5f), ImVec2(D.x, F.y + h * 0.5f), ImVec2(D.x + w * 0.5f, F.y),
             ImVec2(D.x + w * 0.5f, D.y + h), edge);  // GC / drop
  for (const LifecycleLayout::Label& lab : l.labels)
    dl->AddText(ImVec2(o.x + lab.r.x, o.y + lab.r.y), ImGui::GetColorU32(ImGuiCol_Text), lab.text.c_str());
  for (const LifecycleLayout::Node& n : l.nodes)
    DrawLifecycleNode(dl, n.state, at(n.state), ImVec2(w, h), n.state == s.state, dark);
  ImGui::Dummy(ImVec2(l.width, l.height));
}

// [SECTION] header and lifecycle

bool StoreDetailPanel::DrawHeader(const StoreRecord& s, bool dark) {
  ImGui::Text("%s", s.storeId.c_str());
  ImGui::SameLine();
  StateBadge(s.state, dark);
  ImGui::SameLine();
  ImGui::TextWrapped("generation %u · loads %u · observers %u · template %s", s.generation, s.loads,
                     s.observers, s.owner.empty() ? "(raw options, no owner)" : s.owner.c_str());
  if (s.state != State::Absent) {
    ImGui::TextDisabled("created @%lld · in %s since @%lld · %llu requests", static_cast<long long>(s.createdAt),
                        std::string(toString(s.state)).c_str(), static_cast<long long>(s.stateSince),
                        static_cast<unsigned long long>(s.requestCount));
  }
  // SPEC 8 and 9: which registry holds it, and the identities it was created with.
  if (!s.clientId.empty() || !s.sessionId.empty()) {
    ImGui::TextDisabled("clientId %s · sessionId %s", s.clientId.c_str(), s.sessionId.c_str());
    NoteItem(("clientId " + s.clientId + " · sessionId " + s.sessionId).c_str());
  }
  if (!s.error.empty()) ImGui::TextColored(stateColor(State::Failed, dark), "error: %s", s.error.c_str());
  bool drop = false;
  if (s.live()) {
    drop = Button("Drop##detail");
    ImGui::SameLine();
    ImGui::TextDisabled("dispose now, orphaning its observers");
  }
  if (!actionError.empty()) ImGui::TextColored(stateColor(State::Failed, dark), "%s", actionError.c_str());
  return drop;
}

// [SECTION] option layering

namespace {

const ImU32 kWinBg = IM_COL32(60, 160, 80, 110);
const ImU32 kIgnoredBg = IM_COL32(220, 140, 20, 110);

// What the layering table draws from: the store, its config and the columns.
struct LayerTable {
  const StoreRecord& s;
  const Registry& reg;
  const StoreTemplate* tmpl;
  const ProvenanceColumns& cols;
  json creatingCall;
};

void SetupLayerColumns(const LayerTable& t) {
  const StoreRecord& s = t.s;
  ImGui::TableSetupColumn("option");
  ImGui::TableSetupColumn("effective");
  ImGui::TableSetupColumn("registry default");
  ImGui::TableSetupColumn(t.tmpl ? ("template " + s.owner).c_str() : "template");
  ImGui::TableSetupColumn(("creating " + describeRequest(s, t.cols.creating->seq)).c_str());
  for (const RequestRecord* r : t.cols.later) ImGui::TableSetupColumn(describeRequest(s, r->seq).c_str());
  ImGui::TableSetupColumn("merge rule");
  ImGui::TableHeadersRow();
}

void DrawLaterCell(const RequestRecord& r, OptionKey k, const std::string& name) {
  const bool ignored = ignoredIn(r, k);
  if (ignored) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, kIgnoredBg);
  const json call = r.request ? callSiteOptions(r.request->source) : json::object();
  if (call.contains(name)) {
    ImGui::TextUnformatted(cellText(&call[name]).c_str());
  } else if (k == OptionKey::GcTime && r.request && r.request->options) {
    ImGui::TextDisabled("%s (%s)", toString(r.request->options->gcTime).c_str(),
                        std::string(toString(r.request->options->gcTimeLayer)).c_str());
  }
  if (ignored) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1, 0.6f, 0.1f, 1), "ignored");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Differs from the creating request; options other than gcTime are fixed at creation.");
  }
}

void DrawEffectiveCell(const LayerTable& t, OptionKey k) {
  const EffectiveOption* eff = t.s.options->get(k);
  if (k == OptionKey::GcTime) {
    ImGui::Text("%s (%s)", toString(t.s.gcTime).c_str(), std::string(toString(t.reg.policy())).c_str());
  } else if (eff != nullptr) {
    ImGui::TextUnformatted(cellText(&eff->value).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", eff->value.dump(2).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s%s", std::string(toString(eff->layer)).c_str(), eff->merged ? ", merged" : "");
  }
}

void DrawLayerRow(const LayerTable& t, OptionKey k) {
  // The store's own registry (a created or live one has defaults of its own), not the config's.
  const RegistrySettings& settings = t.reg.registries()[t.s.registry].settings;
  const std::string name(toString(k));
  const bool isGc = k == OptionKey::GcTime;
  const int winner = winningColumn(t.s, t.cols, k);
  auto column = [&](int col) {
    ImGui::TableSetColumnIndex(col);
    if (col == winner) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, kWinBg);
  };
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextUnformatted(name.c_str());
  ImGui::TableSetColumnIndex(kLayerColEffective);
  DrawEffectiveCell(t, k);
  column(kLayerColRegistry);  // the environment default stands in for gcTime
  if (const json* v = settings.defaults.get(k)) {
    ImGui::TextUnformatted(cellText(v).c_str());
  } else if (isGc) {
    ImGui::TextDisabled("env %s", toString(environmentDefaultGcTime(settings.environment)).c_str());
  } else if (!allowedAtRegistry(k)) {
    ImGui::TextDisabled("n/a");
  }
  column(kLayerColTemplate);
  if (t.tmpl != nullptr) {
    if (k == OptionKey::StoreId && t.tmpl->storeId) ImGui::TextUnformatted(t.tmpl->storeId->text.c_str());
    else if (const json* v = t.tmpl->options.get(k)) ImGui::TextUnformatted(cellText(v).c_str());
  }
  column(kLayerColCreating);
  if (t.creatingCall.contains(name)) ImGui::TextUnformatted(cellText(&t.creatingCall[name]).c_str());
  for (size_t i = 0; i < t.cols.later.size(); ++i) {
    column(kLayerColFirstLater + static_cast<int>(i));
    DrawLaterCell(*t.cols.later[i], k, name);
  }
  ImGui::TableSetColumnIndex(t.cols.count() - 1);
  ImGui::TextDisabled("%s", std::string(mergeRule(k)).c_str());
}

}  // namespace

void StoreDetailPanel::DrawLayering(const StoreRecord& s, const Registry& reg) {
  const Config& cfg = reg.config();
  const StoreTemplate* tmpl = nullptr;
  if (!s.owner.empty()) {
    auto it = cfg.templates.find(s.owner);
    if (it != cfg.templates.end()) tmpl = &it->second;
  }
  // The creating request, then the latest later ones (oldest first).
  const ProvenanceColumns cols = provenanceColumns(s);
  const RequestRecord& creating = *cols.creating;
  const LayerTable t{s, reg, tmpl, cols,
                     creating.request ? callSiteOptions(creating.request->source) : json::object()};
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  // A scrolling table fills the remaining height unless told otherwise: size it to its rows.
  const float tableHeight = ImGui::GetTextLineHeightWithSpacing() * (kOptionCount + 1) +
                            ImGui::GetStyle().CellPadding.y * 2 * (kOptionCount + 1) +
                            ImGui::GetStyle().ScrollbarSize + 4;
  if (ImGui::BeginTable("layers", cols.count(), flags, ImVec2(0, tableHeight))) {
    SetupLayerColumns(t);
    for (size_t ki = 0; ki < kOptionCount; ++ki) DrawLayerRow(t, static_cast<OptionKey>(ki));
    ImGui::EndTable();
  }
  if (cols.truncated) {
    ImGui::TextDisabled("%llu requests in all; the table shows the creating one and the latest %zu.",
                        static_cast<unsigned long long>(s.requestCount), cols.later.size());
  }
  ImGui::TextDisabled("Green: the layer (or request) the effective value comes from. Orange: ignored.");
}

// [SECTION] gcTime resolution and lints

void StoreDetailPanel::DrawGcResolution(const StoreRecord& s, const Registry& reg, Ms now) {
  (void)reg;
  ImGui::Text("Profile %s, policy %s: effective gcTime %s, set by %s.", std::string(toString(s.profile)).c_str(),
              std::string(toString(s.policy)).c_str(), toString(s.gcTime).c_str(), describeGcSource(s).c_str());
  if (ImGui::BeginTable("policies", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    SetupTable({{"policy"}, {"gcTime"}, {"request"}}, false);
    struct Row {
      Policy p;
      const char* rule;
      Span v;
      uint64_t seq;
    };
    const Row rowsP[] = {{Policy::Longest, "maximum of every request", s.gcMax, s.gcMaxSeq},
                         {Policy::First, "the creating request", s.gcFirst, s.gcFirstSeq},
                         {Policy::Last, "the most recent request", s.gcLast, s.gcLastSeq},
                         {Policy::Shortest, "minimum of every request", s.gcMin, s.gcMinSeq}};
    for (const Row& r : rowsP) {
      ImGui::TableNextRow();
      if (r.p == s.policy) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(60, 160, 80, 90));
      ImGui::TableSetColumnIndex(0);
      ImGui::Text("%s (%s)", std::string(toString(r.p)).c_str(), r.rule);
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(toString(r.v).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(describeRequest(s, r.seq).c_str());
    }
    ImGui::EndTable();
  }
  if (s.gcArmed) {
    ImGui::Text("GC armed @%lld, due @%lld (in %lld ms).", static_cast<long long>(s.gcArmedAt),
                static_cast<long long>(s.gcDue), static_cast<long long>(std::max<Ms>(0, s.gcDueIn(now))));
  } else {
    ImGui::TextDisabled("No GC timer armed.");
  }
}

void StoreDetailPanel::DrawGcHistory(const Host& host, StoreKey key) {
  // The live session's events up to the instant shown: a past snapshot keeps no event history.
  const Registry& live = host.liveSession().registry();
  const uint64_t upTo = host.session().registry().eventCount();
  if (key != historyKey || host.liveSerial() != historySession || upTo != historyUpTo) {
    history = gcHistory(live, key, upTo);
    historyKey = key;
    historySession = host.liveSerial();
    historyUpTo = upTo;
  }
  if (history.empty()) ImGui::TextDisabled("Not disposed yet.");
  for (const GcHistoryEntry& h : history) {
    ImGui::Text("g%u", h.generation);
    ImGui::SameLine();
    if (!h.rule.empty()) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.2f, 1));
    ImGui::TextWrapped("%s", h.text.c_str());
    if (!h.rule.empty()) ImGui::PopStyleColor();
  }
}

void StoreDetailPanel::DrawLints(const StoreRecord& s) {
  if (s.lints.empty()) ImGui::TextDisabled("No lints.");
  for (const std::string& code : s.lints) {
    ImGui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "%s", code.c_str());
    ImGui::SameLine();
    const std::string_view why = lintExplanationText(code);
    ImGui::TextWrapped("%.*s", static_cast<int>(why.size()), why.data());
  }
}

// [SECTION] database and query box

bool StoreDetailPanel::DrawDatabase(const StoreRecord& s, bool dark) {
  if (!s.db) {
    ImGui::TextDisabled(s.live() ? "No database (adapter none, or not loaded yet)." : "Not live.");
    return false;
  }
  const DbMemory mem = s.db->memory();
  ImGui::Text("%s · memory %s (cache %s, schema %s, statements %s)", s.db->path().c_str(),
              formatBytes(mem.total()).c_str(), formatBytes(mem.cacheBytes).c_str(),
              formatBytes(mem.schemaBytes).c_str(), formatBytes(mem.statementBytes).c_str());
  if (ImGui::BeginTable("tables", 2, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    SetupTable({{"table"}, {"rows"}}, false);
    for (const TableInfo& t : s.db->tables()) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(t.name.c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::Text("%lld", static_cast<long long>(t.rows));
    }
    ImGui::EndTable();
  }
  ImGui::SetNextItemWidth(-80);
  const bool enter = InputText("##sql", &sql, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  const bool run = Button("Query") || enter;
  if (queryStore == s.storeId && queryGeneration == s.generation) DrawQueryResult(dark);
  return run;
}

void StoreDetailPanel::DrawQueryResult(bool dark) {
  if (!queryError.empty()) ImGui::TextColored(stateColor(State::Failed, dark), "%s", queryError.c_str());
  if (!queryResult || queryResult->columns.empty()) return;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("result", static_cast<int>(queryResult->columns.size()), flags, ImVec2(0, 200))) return;
  for (const auto& c : queryResult->columns) ImGui::TableSetupColumn(c.c_str());
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableHeadersRow();
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(queryResult->rows.size()));
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
      ImGui::TableNextRow();
      const auto& row = queryResult->rows[static_cast<size_t>(i)];
      for (size_t c = 0; c < row.size(); ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c));
        ImGui::TextUnformatted(row[c].c_str());
      }
    }
  }
  ImGui::EndTable();
  if (queryResult->truncated) ImGui::TextDisabled("(first 200 rows)");
}

void StoreDetailPanel::RunQuery(const StoreRecord& s) {
  queryStore = s.storeId;
  queryGeneration = s.generation;
  auto r = s.db->query(sql, 200);
  if (r) {
    queryResult = std::move(*r);
    queryError.clear();
  } else {
    queryResult.reset();
    queryError = r.message();
  }
}

// [SECTION] the panel

void StoreDetailPanel::Draw(const char* title, bool* open, Host& host, UiState& ui) {
  PanelWindow window(title, open);
  if (!window) return;
  const Registry& reg = host.session().registry();
  const StoreRecord* sp = findSelected(reg, ui.selectedStore, ui.registryFilter);
  if (sp == nullptr) {
    ImGui::TextDisabled(ui.selectedStore.empty()
                            ? "Select a store in the Registry, Events or Alerts panel."
                            : "The selected store is not known to this session.");
    return;
  }
  const StoreRecord& s = *sp;
  const bool dark = DarkStyle();
  const bool drop = DrawHeader(s, dark);
  const ImGuiTreeNodeFlags open1 = ImGuiTreeNodeFlags_DefaultOpen;
  if (ImGui::CollapsingHeader("Lifecycle", open1)) DrawLifecycle(s, host.displayNow(), dark);
  if (s.options && !s.requests.empty() && ImGui::CollapsingHeader("Options", open1)) DrawLayering(s, reg);
  if (s.state != State::Absent && ImGui::CollapsingHeader("gcTime resolution", open1)) {
    DrawGcResolution(s, reg, host.displayNow());
  }
  if (s.state != State::Absent && ImGui::CollapsingHeader("GC history", open1)) {
    DrawGcHistory(host, static_cast<StoreKey>(sp - reg.stores().data()));
  }
  if (ImGui::CollapsingHeader("Lints", open1)) DrawLints(s);
  const bool query = ImGui::CollapsingHeader("Database", open1) && DrawDatabase(s, dark);
  window.Close();

  // Acted on after the widgets: the query first (s is still this frame's record), then the drop.
  if (query) RunQuery(s);
  if (drop) {
    StepResult r = host.execute(json{{"drop", s.storeId}});
    actionError = r.error;
  }
}

}  // namespace si::gui
