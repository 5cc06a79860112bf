// The option layering table of the Store panel without ImGui: which requests get a column and
// which column each effective option comes from.
//
// Columns: 0 option, 1 registry default, 2 template, 3 the creating request's call site,
// 4.. the latest later requests (oldest first), then "effective" and "merge rule".
//
// Usage:
//   const ProvenanceColumns c = provenanceColumns(store);      // store.options && requests
//   int win = winningColumn(store, c, OptionKey::GcTime);      // -1: none is lit
#pragma once
#include <string>
#include <vector>

#include "registry.hpp"

namespace si::gui {

// The effective value comes first (after the option's name), so it is the column a narrow panel
// shows; then the layers from the registry default to the latest request; the merge rule last.
constexpr int kLayerColEffective = 1, kLayerColRegistry = 2, kLayerColTemplate = 3, kLayerColCreating = 4,
              kLayerColFirstLater = 5;
constexpr size_t kMaxLaterColumns = 6;

struct ProvenanceColumns {
  const RequestRecord* creating = nullptr;
  std::vector<const RequestRecord*> later;  // at most kMaxLaterColumns, oldest first
  bool truncated = false;                   // more requests than columns
  int count() const { return kLayerColFirstLater + static_cast<int>(later.size()) + 1; }
};

// Requires s.requests not empty.
ProvenanceColumns provenanceColumns(const StoreRecord& s);
// The column a layer stands for: call site kLayerColCreating, template kLayerColTemplate,
// registry or environment kLayerColRegistry.
int layerColumn(Layer l);
// Which column the effective value of k comes from. gcTime follows the policy: the request
// that set it (its own layer when that is the creating request); other options are fixed by
// the creating request's merge. -1 when no column holds it (gcTime set by a forgotten request).
int winningColumn(const StoreRecord& s, const ProvenanceColumns& c, OptionKey k);
// A cell's text: strings as they are, other JSON dumped, cut to 48 bytes ("" for null).
std::string cellText(const json* v);
// Whether a later request asked for k with another value than the creating one (ignored).
bool ignoredIn(const RequestRecord& r, OptionKey k);

}  // namespace si::gui
