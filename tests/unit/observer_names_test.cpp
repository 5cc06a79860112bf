// The observer-name table (core/observer_names.hpp): found by name, iterated in first-use
// order, entries that stay where they are while the table grows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "observer_names.hpp"

namespace si {
namespace {

TEST(ObserverNames, FindsEveryNameAndIteratesInFirstUseOrder) {
  ObserverNames names;
  std::vector<std::string> added;
  for (int i = 0; i < 20000; ++i) {
    const std::string name = "w1:q" + std::to_string((i * 7919) % 20000);  // each once, scrambled
    names.add(name).second.store = "s" + std::to_string(i);
    added.push_back(name);
  }
  ASSERT_EQ(names.size(), added.size());
  size_t i = 0;
  for (const auto& [name, info] : names) {
    EXPECT_EQ(name, added[i]);
    EXPECT_EQ(info.store, "s" + std::to_string(i));
    ++i;
  }
  for (size_t k = 0; k < added.size(); ++k) {
    ASSERT_NE(names.find(added[k]), nullptr) << added[k];
    EXPECT_EQ(names.at(added[k]).store, "s" + std::to_string(k));
    EXPECT_EQ(names.count(added[k]), 1u);
  }
  EXPECT_EQ(names.find("w1:q20000"), nullptr);
  EXPECT_EQ(names.count("w1:q"), 0u);
  EXPECT_THROW((void)names.at("nobody"), std::out_of_range);
}

TEST(ObserverNames, AnEntryStaysPutWhileTheTableGrows) {
  ObserverNames names;
  ObserverNames::Entry* first = &names.add("p1");
  first->second.id = 3;
  for (int i = 0; i < 10000; ++i) names.add("o" + std::to_string(i));
  EXPECT_EQ(names.entry("p1"), first);
  EXPECT_EQ(first->first, "p1");
  EXPECT_EQ(first->second.id, 3u);
}

}  // namespace
}  // namespace si
