#include "judge.hpp"

#include <algorithm>
#include <cstdlib>

#include "error.hpp"

namespace si::live {

std::string describe(const Divergence& d) {
  const std::string did = d.kind == FactKind::Created ? "created" : "disposed";
  const std::string id = shortDump(json(d.storeId));
  const char* doer = d.byLibrary ? "the library" : "the model";
  const char* other = d.byLibrary ? "the model" : "the library";
  std::string s = std::string(doer) + " " + did + " " + id + " at " + std::to_string(d.t) +
                  " ms and " + other + " did not (";
  if (d.other) {
    s += std::string(other) + " " + did + " it at " + std::to_string(*d.other) + " ms)";
  } else {
    s += std::string(other) + (d.final ? " never " + did + " it)" : " had not " + did + " it by then)");
  }
  return s;
}

bool Judge::add(Side& mine, Side& theirs, int64_t t) {
  mine.last = t;
  for (auto it = theirs.unpaired.begin(); it != theirs.unpaired.end(); ++it) {
    if (std::llabs(*it - t) <= tolerance_) {
      theirs.unpaired.erase(it);  // earliest partner within the window: paired
      return false;
    }
  }
  mine.unpaired.push_back(t);
  return true;
}

void Judge::model(FactKind kind, const std::string& storeId, int64_t t) {
  KeyId id{kind, storeId};
  Key& k = keys_[id];
  if (add(k.model, k.library, t)) unsettled_.insert(std::move(id));
}

void Judge::library(FactKind kind, const std::string& storeId, int64_t t) {
  KeyId id{kind, storeId};
  Key& k = keys_[id];
  if (add(k.library, k.model, t)) unsettled_.insert(std::move(id));
}

void Judge::settleKey(const KeyId& id, Key& k, int64_t horizon, bool final, std::vector<Divergence>& out) {
  const auto due = [&](int64_t t) { return final ? t <= horizon : t + tolerance_ < horizon; };
  for (const bool lib : {true, false}) {
    Side& mine = lib ? k.library : k.model;
    const Side& theirs = lib ? k.model : k.library;
    while (!mine.unpaired.empty() && due(mine.unpaired.front())) {
      out.push_back(Divergence{id.first, id.second, mine.unpaired.front(), lib, theirs.last, final});
      mine.unpaired.pop_front();
    }
    if (final) mine.unpaired.clear();
  }
}

std::vector<Divergence> Judge::settle(int64_t horizon, bool final) {
  std::vector<Divergence> out;
  for (auto it = unsettled_.begin(); it != unsettled_.end();) {
    Key& k = keys_.at(*it);
    settleKey(*it, k, horizon, final, out);
    it = k.model.unpaired.empty() && k.library.unpaired.empty() ? unsettled_.erase(it) : std::next(it);
  }
  if (final) keys_.clear();  // nothing is judged past a connection's end
  std::stable_sort(out.begin(), out.end(), [](const Divergence& a, const Divergence& b) { return a.t < b.t; });
  return out;
}

size_t Judge::pending() const {
  size_t n = 0;
  for (const auto& [id, k] : keys_) n += k.model.unpaired.size() + k.library.unpaired.size();
  return n;
}

}  // namespace si::live
