// Observers panel: the attached (simulated) observers with Detach, the component tree with
// Unmount per node, and the Attach form (template + its {params}, or raw options JSON) with
// Preload, Drop and Clear. Every action is a step executed through the session's command log;
// its error (StepResult.error) is shown inline under the form.
//
// Usage:
//   ObserversPanel observers;
//   if (ui.show.observers) observers.Draw("Observers", &ui.show.observers, host, ui);
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct ObserversPanel {
  // ---- attach form ----
  std::string templateName;                  // "" until chosen; kRawOptions for raw options
  std::map<std::string, std::string> params; // placeholder -> value, fields generated per template
  std::string observerId;                    // optional: "" lets the session name it o1, o2, ...
  std::string component = "App";             // component path of the observer
  std::string gcTime;                        // optional call-site gcTime: ms or "Infinity"
  std::string overrides;                     // optional call-site overrides (JSON object)
  std::string rawOptions = "{\"storeId\": \"scratch-1\", \"gcTime\": 3000}";
  std::string dropStore;                     // storeId for Drop ("" = the selected store)
  // ---- outcome of the last action ----
  std::string lastAction;                    // "attach", "preload", ...
  std::string lastError;                     // inline error ("" when it succeeded)
  // ---- observer list ----
  bool showHistory = false;                  // also list detached and orphaned observer names
  std::vector<ObserverId> rows;              // cached attached observer ids
  uint64_t builtSession = ~0ull, builtEvents = ~0ull;
  struct TreeNode {
    std::string path;
    std::map<std::string, std::unique_ptr<TreeNode>> children;
    std::vector<ObserverId> observers;  // observers whose component is exactly this path
  };
  TreeNode tree;                             // cached component tree

  static constexpr const char* kRawOptions = "(raw options)";

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  void Refresh(const Host& host);
  // The request the form describes, or "" and an error message in *error.
  json BuildRequest(const Config& cfg, std::string* error) const;
};

}  // namespace si::gui
