#include "option_provenance.hpp"

#include <algorithm>

namespace si::gui {

ProvenanceColumns provenanceColumns(const StoreRecord& s) {
  const std::vector<const RequestRecord*> history = s.requestHistory();
  ProvenanceColumns c;
  c.creating = history.front();
  const size_t later = std::min<size_t>(history.size() - 1, kMaxLaterColumns);
  c.later.assign(history.end() - static_cast<std::ptrdiff_t>(later), history.end());
  c.truncated = history.size() - 1 > later || s.requestCount > history.size();
  return c;
}

int layerColumn(Layer l) {
  return l == Layer::CallSite ? kLayerColCreating : l == Layer::Template ? kLayerColTemplate : kLayerColRegistry;
}

int winningColumn(const StoreRecord& s, const ProvenanceColumns& c, OptionKey k) {
  if (k != OptionKey::GcTime) {
    const EffectiveOption* eff = s.options != nullptr ? s.options->get(k) : nullptr;
    return eff != nullptr ? layerColumn(eff->layer) : -1;
  }
  int winner = -1;
  const RequestRecord& creating = *c.creating;
  if (s.gcTimeRequest == creating.seq && creating.request && creating.request->options) {
    winner = layerColumn(creating.request->options->gcTimeLayer);
  }
  for (size_t i = 0; i < c.later.size(); ++i) {
    if (c.later[i]->seq == s.gcTimeRequest) winner = kLayerColFirstLater + static_cast<int>(i);
  }
  return winner;
}

std::string cellText(const json* v) {
  if (v == nullptr) return "";
  std::string s = v->is_string() ? v->get<std::string>() : v->dump();
  if (s.size() > 48) {
    s.resize(45);
    s += "...";
  }
  return s;
}

bool ignoredIn(const RequestRecord& r, OptionKey k) {
  const std::string_view name = toString(k);
  return std::find(r.ignoredKeys.begin(), r.ignoredKeys.end(), name) != r.ignoredKeys.end();
}

}  // namespace si::gui
