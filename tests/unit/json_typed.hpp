// Equality of two JSON values down to the type of every number (json's own == takes 1 and 1u
// and 1.0 as equal) and the order of object keys: what "the same value" means for two readers.
#pragma once
#include <nlohmann/json.hpp>

namespace si::test {

inline bool sameTyped(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    auto i = a.begin();
    auto j = b.begin();
    for (; i != a.end(); ++i, ++j) {
      if (i.key() != j.key() || !sameTyped(i.value(), j.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k) {
      if (!sameTyped(a[k], b[k])) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace si::test
