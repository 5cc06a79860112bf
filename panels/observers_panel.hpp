// Observers panel: the attached (simulated) observers with Detach, the component tree with
// Unmount per node, and the Attach form (template + its {params}, or raw options JSON) with
// Preload, Drop and Clear. Every action is a step executed through the session's command log;
// its error (StepResult.error) is shown inline under the form.
//
// Usage:
//   ObserversPanel observers;
//   if (ui.show.observers) observers.Draw("Observers", &ui.show.observers, host, ui);
// The form's fields and the request they describe are the model AttachForm; the observer
// rows and the component tree are folded by buildObserverIndex (panels/model/observer_tree).
#pragma once
#include <string>
#include <vector>

#include "host.hpp"
#include "observer_tree.hpp"
#include "ui_state.hpp"

namespace si::gui {

struct ObserversPanel : AttachForm {
  using TreeNode = ComponentNode;
  // ---- outcome of the last action ----
  std::string lastAction;                    // "attach", "preload", ...
  std::string lastError;                     // inline error ("" when it succeeded)
  uint64_t outcomeSerial = 0;                // Host::liveSerial() of that action
  // ---- registries (SPEC 8, 10) ----
  std::string newRegistry;                   // name for Create registry
  bool newRegistrySsr = true;                // environment ssr (one registry per server request)
  std::string shutdownName;                  // registry to shut down ("" = default)
  int shutdownSequential = 0, shutdownAwait = 0;  // strategy / loading combos
  std::string shutdownDeadline;              // deadlineMs, optional
  // ---- observer list ----
  bool showHistory = false;                  // also list detached and orphaned observer names
  std::vector<ObserverId> rows;              // cached attached observer ids
  uint64_t builtSession = ~0ull, builtEvents = ~0ull;
  TreeNode tree;                             // cached component tree
  // Detached and orphaned names, found again when the events move on; drawn clipped (a live
  // trace leaves hundreds of thousands).
  std::vector<const ObserverNames::Entry*> history;
  uint64_t historySession = ~0ull, historyEvents = ~0ull;

  void Draw(const char* title, bool* open, Host& host, UiState& ui);
  void Refresh(const Host& host);

 private:
  // An action captured while drawing, executed after the widgets.
  struct Pending {
    json step;                 // the step to execute
    std::string action;        // "" none
    std::string formError;     // the form could not build a request
  };
  void DrawAttachForm(const Config& cfg, const UiState& ui, Pending* p);
  void DrawTemplateFields(const Config& cfg);
  void CaptureFormAction(const Config& cfg, const UiState& ui, Pending* p);
  void DrawObserverTable(const Registry& reg, UiState& ui, Pending* p);
  void DrawHistory(const Host& host);
  void DrawComponents(const Registry& reg, Pending* p);
  void DrawNode(const Registry& reg, const TreeNode& node, const std::string& seg, Pending* p);
  void Act(Host& host, UiState& ui, const Pending& p);
  void DrawRegistryActions(const Registry& reg, Pending* p);
};

}  // namespace si::gui
