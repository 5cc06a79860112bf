// SmallIds: the per-store observer list (inline up to six ids, then on the heap).
#include "small_ids.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace si {
namespace {

std::vector<uint32_t> contents(const SmallIds& ids) { return {ids.begin(), ids.end()}; }

SmallIds counting(uint32_t n) {
  SmallIds ids;
  for (uint32_t i = 0; i < n; ++i) ids.push_back(100 + i);
  return ids;
}

TEST(SmallIds, KeepsOrderAcrossTheMoveToTheHeap) {
  for (uint32_t n : {0u, 1u, 6u, 7u, 13u, 1000u}) {
    SmallIds ids = counting(n);
    ASSERT_EQ(ids.size(), n);
    for (uint32_t i = 0; i < n; ++i) EXPECT_EQ(ids[i], 100 + i) << "n=" << n;
  }
}

TEST(SmallIds, SwapRemoveAsTheRegistryDoesIt) {
  SmallIds ids = counting(8);
  ids[2] = ids.back();
  ids.pop_back();
  EXPECT_EQ(contents(ids), (std::vector<uint32_t>{100, 101, 107, 103, 104, 105, 106}));
  while (!ids.empty()) ids.pop_back();
  ids.push_back(7);
  EXPECT_EQ(contents(ids), std::vector<uint32_t>{7});
}

TEST(SmallIds, CopiesAreIndependentInlineAndOnTheHeap) {
  for (uint32_t n : {3u, 20u}) {
    SmallIds a = counting(n);
    SmallIds b = a;
    b[0] = 1;
    b.push_back(2);
    EXPECT_EQ(a[0], 100u);
    EXPECT_EQ(a.size(), n);
    EXPECT_EQ(b.size(), n + 1);
    SmallIds c = counting(9);
    c = a;  // heap to whatever a is
    EXPECT_EQ(contents(c), contents(a));
    c = counting(2);
    EXPECT_EQ(contents(c), (std::vector<uint32_t>{100, 101}));
  }
}

TEST(SmallIds, MovesLeaveTheSourceEmptyAndUsable) {
  for (uint32_t n : {4u, 40u}) {
    SmallIds a = counting(n);
    SmallIds b = std::move(a);
    EXPECT_EQ(b.size(), n);
    EXPECT_EQ(b[n - 1], 100 + n - 1);
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is specified empty
    a.push_back(5);
    EXPECT_EQ(contents(a), std::vector<uint32_t>{5});
    SmallIds c;
    c = std::move(b);
    EXPECT_EQ(c.size(), n);
  }
}

TEST(SmallIds, AVectorOfListsSurvivesReallocation) {
  std::vector<SmallIds> lists;
  for (uint32_t k = 0; k < 100; ++k) {
    lists.emplace_back();
    for (uint32_t i = 0; i <= k % 10; ++i) lists.back().push_back(k * 100 + i);
  }
  for (uint32_t k = 0; k < 100; ++k) {
    ASSERT_EQ(lists[k].size(), k % 10 + 1);
    EXPECT_EQ(lists[k].back(), k * 100 + k % 10);
  }
}

}  // namespace
}  // namespace si
