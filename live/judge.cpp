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

void Judge::add(Side& mine, Side& theirs, int64_t t) {
  mine.last = t;
  for (auto it = theirs.unpaired.begin(); it != theirs.unpaired.end(); ++it) {
    if (std::llabs(*it - t) <= tolerance_) {
      theirs.unpaired.erase(it);  // earliest partner within the window: paired
      return;
    }
  }
  mine.unpaired.push_back(t);
}

void Judge::model(FactKind kind, const std::string& storeId, int64_t t) {
  Key& k = keys_[{kind, storeId}];
  add(k.model, k.library, t);
}

void Judge::library(FactKind kind, const std::string& storeId, int64_t t) {
  Key& k = keys_[{kind, storeId}];
  add(k.library, k.model, t);
}

std::vector<Divergence> Judge::settle(int64_t horizon, bool final) {
  std::vector<Divergence> out;
  const auto due = [&](int64_t t) { return final ? t <= horizon : t + tolerance_ < horizon; };
  for (auto it = keys_.begin(); it != keys_.end();) {
    auto& [id, k] = *it;
    for (const bool lib : {true, false}) {
      Side& mine = lib ? k.library : k.model;
      const Side& theirs = lib ? k.model : k.library;
      while (!mine.unpaired.empty() && due(mine.unpaired.front())) {
        out.push_back(Divergence{id.first, id.second, mine.unpaired.front(), lib, theirs.last, final});
        mine.unpaired.pop_front();
      }
      if (final) mine.unpaired.clear();
    }
    const bool idle = k.model.unpaired.empty() && k.library.unpaired.empty();
    it = final && idle ? keys_.erase(it) : std::next(it);
  }
  std::stable_sort(out.begin(), out.end(), [](const Divergence& a, const Divergence& b) { return a.t < b.t; });
  return out;
}

size_t Judge::pending() const {
  size_t n = 0;
  for (const auto& [id, k] : keys_) n += k.model.unpaired.size() + k.library.unpaired.size();
  return n;
}

}  // namespace si::live
