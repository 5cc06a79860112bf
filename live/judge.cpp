#include "judge.hpp"

#include <algorithm>
#include <cstdlib>
#include <tuple>

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

Judge::Judge(const Judge& other) : tolerance_(other.tolerance_), stores_(other.stores_) { relink(other); }

Judge& Judge::operator=(const Judge& other) {
  if (this == &other) return *this;
  tolerance_ = other.tolerance_;
  stores_ = other.stores_;
  relink(other);
  return *this;
}

void Judge::relink(const Judge& other) {
  unsettled_.clear();
  for (const Unsettled& u : other.unsettled_) {
    auto it = stores_.find(*u.storeId);
    unsettled_.push_back(Unsettled{&it->first, &it->second.byKind[static_cast<size_t>(u.kind)], u.kind});
  }
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

void Judge::fact(bool byLibrary, FactKind kind, const std::string& storeId, int64_t t) {
  auto it = stores_.try_emplace(storeId).first;  // no copy of the storeId once it is known
  Key& k = it->second.byKind[static_cast<size_t>(kind)];
  const bool unpaired = byLibrary ? add(k.library, k.model, t) : add(k.model, k.library, t);
  if (unpaired && !k.listed) {
    k.listed = true;
    unsettled_.push_back(Unsettled{&it->first, &k, kind});
  }
}

void Judge::model(FactKind kind, const std::string& storeId, int64_t t) { fact(false, kind, storeId, t); }

void Judge::library(FactKind kind, const std::string& storeId, int64_t t) { fact(true, kind, storeId, t); }

void Judge::settleKey(const Unsettled& u, int64_t horizon, bool final, std::vector<Divergence>& out) {
  const auto due = [&](int64_t t) { return final ? t <= horizon : t + tolerance_ < horizon; };
  for (const bool lib : {true, false}) {
    Side& mine = lib ? u.key->library : u.key->model;
    const Side& theirs = lib ? u.key->model : u.key->library;
    size_t n = 0;
    while (n < mine.unpaired.size() && due(mine.unpaired[n])) {
      out.push_back(Divergence{u.kind, *u.storeId, mine.unpaired[n], lib, theirs.last, final});
      ++n;
    }
    mine.unpaired.erase(mine.unpaired.begin(), mine.unpaired.begin() + static_cast<std::ptrdiff_t>(n));
    if (final) mine.unpaired.clear();
  }
}

std::vector<Divergence> Judge::settle(int64_t horizon, bool final) {
  std::vector<Divergence> out;
  size_t kept = 0;
  for (const Unsettled& u : unsettled_) {
    settleKey(u, horizon, final, out);
    if (u.key->model.unpaired.empty() && u.key->library.unpaired.empty()) {
      u.key->listed = false;
    } else {
      unsettled_[kept++] = u;
    }
  }
  unsettled_.resize(kept);
  if (final) {  // nothing is judged past a connection's end
    unsettled_.clear();
    stores_.clear();
  }
  // In time order; at one instant by kind, then storeId, the library's first.
  std::stable_sort(out.begin(), out.end(), [](const Divergence& a, const Divergence& b) {
    return std::tie(a.t, a.kind, a.storeId, b.byLibrary) < std::tie(b.t, b.kind, b.storeId, a.byLibrary);
  });
  return out;
}

size_t Judge::pending() const {
  size_t n = 0;
  for (const auto& [id, s] : stores_)
    for (const Key& k : s.byKind) n += k.model.unpaired.size() + k.library.unpaired.size();
  return n;
}

}  // namespace si::live
