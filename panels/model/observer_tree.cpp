#include "observer_tree.hpp"

#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace si::gui {
namespace {

void splitPath(const std::string& path, std::vector<std::string>* out) {
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

ComponentNode* nodeFor(ComponentNode* root, const std::string& component, std::vector<std::string>* segs) {
  splitPath(component, segs);
  ComponentNode* node = root;
  std::string path;
  for (const std::string& seg : *segs) {
    path += (path.empty() ? "" : "/") + seg;
    auto& child = node->children[seg];
    if (!child) {
      child = std::make_unique<ComponentNode>();
      child->path = path;
    }
    node = child.get();
  }
  return node;
}

// A JSON object typed into a text field, or an error "<what>: ...".
json parseObjectField(const std::string& text, const char* what, std::string* error) {
  auto parsed = parseJsonText(text, what);
  if (!parsed) {
    *error = parsed.message();
    return json();
  }
  if (!parsed->is_object()) {
    *error = std::string(what) + ": expected a JSON object";
    return json();
  }
  return *parsed;
}

}  // namespace

void buildObserverIndex(const Registry& reg, std::vector<ObserverId>* rows, ComponentNode* tree) {
  rows->clear();
  *tree = ComponentNode{};
  std::vector<std::string> segs;
  // Many observers share a component: resolve each distinct path to its node once.
  std::unordered_map<std::string_view, ComponentNode*> byComponent;
  const auto& obs = reg.observers();
  for (ObserverId id = 0; id < obs.size(); ++id) {
    const ObserverRecord& o = obs[id];
    if (!o.attached) continue;
    rows->push_back(id);
    ComponentNode*& cached = byComponent[o.component];
    if (cached == nullptr) cached = nodeFor(tree, o.component, &segs);
    cached->observers.push_back(id);
  }
}

// The field as JSON would write it, so the request is checked by the very rule files are (SPEC
// 2.1): a number stays the number written (an out-of-range one is refused there with the file's
// message, never clamped here); anything else is passed on as the string typed.
json gcTimeValue(const std::string& text) {
  const json v = json::parse(text, nullptr, false);
  if (v.is_number()) return v;
  return text;
}

json AttachForm::BuildRequest(const Config& cfg, std::string* error) const {
  error->clear();
  if (templateName == kRawOptions || cfg.templates.empty()) {
    json raw = parseObjectField(rawOptions, "raw options", error);
    if (error->empty() && !registry.empty()) raw["registry"] = registry;
    return raw;
  }
  json req = json::object();
  req["use"] = templateName;
  json p = json::object();
  for (const auto& [k, v] : params) p[k] = v;
  if (!p.empty()) req["params"] = p;
  if (!gcTime.empty()) req["gcTime"] = gcTimeValue(gcTime);
  if (!registry.empty()) req["registry"] = registry;
  if (!overrides.empty()) {
    const json o = parseObjectField(overrides, "overrides", error);
    if (!error->empty()) return json();
    for (auto it = o.begin(); it != o.end(); ++it) req[it.key()] = it.value();
  }
  return req;
}

void AttachForm::keepTemplateValid(const Config& cfg) {
  if (templateName.empty() || (templateName != kRawOptions && !cfg.templates.count(templateName))) {
    templateName = cfg.templates.empty() ? kRawOptions : cfg.templates.begin()->first;
  }
}

void AttachForm::dropUnusedParams(const StoreTemplate& t) {
  for (auto it = params.begin(); it != params.end();) {
    bool used = false;
    if (t.storeId)
      for (const auto& ph : t.storeId->placeholders) used = used || ph == it->first;
    it = used ? std::next(it) : params.erase(it);
  }
}

}  // namespace si::gui
