// Judging a connection's library facts against the model (SPEC 11 "Judging"): each library
// fact pairs with one model event of the same kind and storeId within ±tolerance, one to one,
// earliest first; what stays unpaired once no partner can come any more is one divergence.
// Pure bookkeeping on times: the driver feeds it model events and facts in time order and
// asks it to settle.
//
// Usage:
//   Judge j(0);
//   j.model(FactKind::Disposed, "x", 1010);  j.library(FactKind::Disposed, "x", 1000);
//   for (const Divergence& d : j.settle(1020)) alert(d);  // two: 1000 (library), 1010 (model)
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "protocol.hpp"

namespace si::live {

struct Divergence {
  FactKind kind = FactKind::Created;
  std::string storeId;
  int64_t t = 0;                 // when the side that did it did it
  bool byLibrary = true;         // the library did it and the model did not (else the reverse)
  std::optional<int64_t> other;  // the other side's nearest time for this store and kind
  bool final = false;            // settled at the end of the connection (nothing more can come)
};

// "the library disposed "x" at 1000 ms and the model did not (the model disposed it at 1010 ms)"
std::string describe(const Divergence& d);

class Judge {
 public:
  explicit Judge(int64_t toleranceMs = 0) : tolerance_(toleranceMs) {}
  // A copy (a time-travel snapshot of its driver) points into its own map.
  Judge(const Judge& other);
  Judge& operator=(const Judge& other);
  Judge(Judge&&) = default;  // map nodes move with the map: the pointers stay good
  Judge& operator=(Judge&&) = default;
  int64_t tolerance() const { return tolerance_; }
  void setTolerance(int64_t ms) { tolerance_ = ms; }

  // A model creation or disposal at t / a library fact at t (times never go back).
  void model(FactKind kind, const std::string& storeId, int64_t t);
  void library(FactKind kind, const std::string& storeId, int64_t t);
  // What can no longer pair once everything up to `horizon` is known: unpaired items at t
  // with t + tolerance < horizon. With `final`, every unpaired item at t <= horizon; items
  // after it are forgotten (nothing is judged past a connection's end).
  std::vector<Divergence> settle(int64_t horizon, bool final = false);
  size_t pending() const;

 private:
  struct Side {
    std::vector<int64_t> unpaired;  // ascending; rarely more than one
    std::optional<int64_t> last;    // the latest time seen, paired or not
  };
  struct Key {
    Side model, library;
    bool listed = false;  // in unsettled_
  };
  struct Store {
    Key byKind[2];  // FactKind::Created, FactKind::Disposed
  };
  // A key that may hold unpaired items (map nodes do not move: the pointers stay good).
  struct Unsettled {
    const std::string* storeId;
    Key* key;
    FactKind kind;
  };
  void fact(bool byLibrary, FactKind kind, const std::string& storeId, int64_t t);
  void relink(const Judge& other);  // unsettled_ as other's, into this map
  // Returns whether t stayed unpaired.
  bool add(Side& mine, Side& theirs, int64_t t);
  void settleKey(const Unsettled& u, int64_t horizon, bool final, std::vector<Divergence>& out);
  int64_t tolerance_;
  std::unordered_map<std::string, Store> stores_;  // looked up per fact and model event
  // The keys that may hold unpaired items: settle() looks at these only, so its cost follows
  // what is in flight, not every storeId ever seen (a W1 trace has 10,000).
  std::vector<Unsettled> unsettled_;
};

}  // namespace si::live
