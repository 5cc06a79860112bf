// The Observers panel's data without ImGui: the attached observers and their component tree
// (folded from the registry), and the request the attach form describes.
//
// Usage:
//   std::vector<ObserverId> rows;  ComponentNode tree;
//   buildObserverIndex(reg, &rows, &tree);   // tree.children["App"]->children["Page"] ...
//   AttachForm form;  form.templateName = "issue";  form.params["issueId"] = "1";
//   std::string error;  json req = form.BuildRequest(cfg, &error);
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "registry.hpp"

namespace si::gui {

struct ComponentNode {
  std::string path;                                               // "App/Page"
  std::map<std::string, std::unique_ptr<ComponentNode>> children;  // by path segment
  std::vector<ObserverId> observers;  // observers whose component is exactly this path
};

// The attached observers in id order, and their components as a tree.
void buildObserverIndex(const Registry& reg, std::vector<ObserverId>* rows, ComponentNode* tree);

// The fields of the attach form.
struct AttachForm {
  static constexpr const char* kRawOptions = "(raw options)";
  std::string templateName;                  // "" until chosen; kRawOptions for raw options
  std::map<std::string, std::string> params; // placeholder -> value, fields generated per template
  std::string observerId;                    // optional: "" lets the session name it o1, o2, ...
  std::string component = "App";             // component path of the observer
  std::string gcTime;                        // optional call-site gcTime: ms or "Infinity"
  std::string registry;                      // optional: the named registry (SPEC 8), "" = default
  std::string requestTag;                    // optional: the server request it renders for (SPEC 8)
  std::string overrides;                     // optional call-site overrides (JSON object)
  std::string rawOptions = "{\"storeId\": \"scratch-1\", \"gcTime\": 3000}";
  std::string dropStore;                     // storeId for Drop ("" = the selected store)

  // The request the form describes, or null and an error message in *error.
  json BuildRequest(const Config& cfg, std::string* error) const;
  // A template that still exists (the first one, or raw options without templates).
  void keepTemplateValid(const Config& cfg);
  // Forgets params the chosen template does not have (after switching templates).
  void dropUnusedParams(const StoreTemplate& t);
};

// A gcTime field: "" none, "Infinity", or an integer; anything else is passed through as text
// so the core reports it with its own message ("gcTime: ...").
json gcTimeValue(const std::string& text);

}  // namespace si::gui
