#include "describe.hpp"

namespace si::gui {

const RequestRecord* findRequest(const StoreRecord& store, uint64_t seq) {
  for (const RequestRecord& r : store.requests) {
    if (r.seq == seq) return &r;
  }
  return nullptr;
}

std::string describeRequest(const StoreRecord& store, uint64_t seq) {
  const RequestRecord* r = findRequest(store, seq);
  if (r == nullptr) return "request #" + std::to_string(seq);
  std::string s(toString(r->kind));
  if (!r->observer.empty()) s += " " + r->observer;
  s += " #" + std::to_string(r->seq) + " @" + std::to_string(r->t);
  return s;
}

std::string describeGcSource(const StoreRecord& store) {
  const RequestRecord* r = findRequest(store, store.gcTimeRequest);
  std::string layer = r != nullptr && r->request && r->request->options
                          ? std::string(toString(r->request->options->gcTimeLayer))
                          : std::string("?");
  std::string who = "#" + std::to_string(store.gcTimeRequest);
  if (r != nullptr) who = (r->observer.empty() ? std::string(toString(r->kind)) : r->observer) + " " + who;
  return layer + " (" + who + ")";
}

json callSiteOptions(const json& request) {
  json out = json::object();
  if (!request.is_object()) return out;
  for (auto it = request.begin(); it != request.end(); ++it) {
    const std::string& k = it.key();
    if (k == "use" || k == "params" || k == "observer" || k == "component") continue;
    out[k] = it.value();
  }
  return out;
}

std::string describeEvent(const Registry& reg, const Event& e) {
  std::string s(toString(e.kind));
  if (e.store != kNoStore && e.store < reg.stores().size()) {
    s += " " + reg.storeIdOf(e.store) + " g" + std::to_string(e.generation);
  }
  if (!e.observer.empty()) s += " observer=" + e.observer;
  if (e.from != e.to) s += " " + std::string(toString(e.from)) + "→" + std::string(toString(e.to));
  const json d = reg.detailJson(e);
  if (d.is_object() && !d.empty()) s += " " + d.dump();
  return s;
}

}  // namespace si::gui
