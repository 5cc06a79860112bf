#include "flat_string_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace {

// Every key hashes to its length: long probe runs and equal hashes for different keys.
struct LengthHash {
  size_t operator()(std::string_view s) const { return s.size(); }
};

template <class Map>
void agreesWithStdMap(Map& m, int count, int seed) {
  std::map<std::string, int> want;
  std::mt19937 rng(static_cast<unsigned>(seed));
  for (int i = 0; i < count; ++i) {
    const std::string key = "k" + std::to_string(rng() % static_cast<unsigned>(count));
    const int* found = m.find(key);
    const auto it = want.find(key);
    ASSERT_EQ(found != nullptr, it != want.end()) << key;
    if (found) {
      EXPECT_EQ(*found, it->second) << key;
    } else {
      m.insert(key, i);
      want.emplace(key, i);
    }
  }
  EXPECT_EQ(m.size(), want.size());
  for (const auto& [key, value] : want) {
    const int* found = m.find(key);
    ASSERT_NE(found, nullptr) << key;
    EXPECT_EQ(*found, value) << key;
  }
  EXPECT_EQ(m.find("absent"), nullptr);
  EXPECT_EQ(m.find(""), nullptr);
}

TEST(FlatStringMap, FindsWhatWasInsertedThroughEveryGrowth) {
  si::FlatStringMap<int> m;
  EXPECT_EQ(m.find("k1"), nullptr);  // empty: no table yet
  agreesWithStdMap(m, 20000, 1);
}

TEST(FlatStringMap, EqualHashesAreToldApartByTheirKeys) {
  si::FlatStringMap<int, LengthHash> m;
  agreesWithStdMap(m, 3000, 2);
  m.insert("", 7);  // the empty key is a key like any other
  ASSERT_NE(m.find(""), nullptr);
  EXPECT_EQ(*m.find(""), 7);
}

TEST(FlatStringMap, ACopyIsIndependent) {
  si::FlatStringMap<int> a;
  a.insert("x", 1);
  si::FlatStringMap<int> b = a;
  b.insert("y", 2);
  EXPECT_EQ(a.find("y"), nullptr);
  ASSERT_NE(b.find("x"), nullptr);
  EXPECT_EQ(*b.find("x"), 1);
}

}  // namespace
