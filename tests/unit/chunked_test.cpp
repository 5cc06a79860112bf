// Chunked: a vector-like log whose elements never move as it grows.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <stdexcept>

#include "chunked.hpp"

namespace {

using Small = si::Chunked<std::string, 2>;  // chunks of 4: every boundary is exercised

TEST(Chunked, IndexesIterationAndBackAcrossChunkBoundaries) {
  Small c;
  EXPECT_TRUE(c.empty());
  for (int i = 0; i < 11; ++i) c.push_back(std::to_string(i));
  ASSERT_EQ(c.size(), 11u);
  for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i], std::to_string(i));
  EXPECT_EQ(c.front(), "0");
  EXPECT_EQ(c.back(), "10");
  std::string joined;
  for (const std::string& s : c) joined += s + ",";
  EXPECT_EQ(joined, "0,1,2,3,4,5,6,7,8,9,10,");
  EXPECT_EQ(c.end() - c.begin(), 11);
  EXPECT_EQ(std::find(c.begin(), c.end(), "7") - c.begin(), 7);
  EXPECT_EQ(*(c.end() - 1), "10");
  EXPECT_THROW((void)c.at(11), std::out_of_range);
}

TEST(Chunked, ElementsStayWhereTheyAreAsItGrows) {
  Small c;
  c.push_back("first");
  const std::string* first = &c[0];
  for (int i = 0; i < 1000; ++i) c.emplace_back(50, 'x');
  EXPECT_EQ(first, &c[0]);  // a std::vector would have moved it
  EXPECT_EQ(*first, "first");
}

TEST(Chunked, SinceGivesTheTailAndTruncateKeepsTheHead) {
  Small c;
  for (int i = 0; i < 9; ++i) c.push_back(std::to_string(i));
  auto tail = c.since(6);
  EXPECT_EQ(tail.size(), 3u);
  EXPECT_EQ(*tail.begin(), "6");
  EXPECT_TRUE(c.since(9).empty());
  EXPECT_TRUE(c.since(100).empty());
  c.truncate(5);
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c.back(), "4");
  c.push_back("again");
  EXPECT_EQ(c[5], "again");
  c.clear();
  EXPECT_TRUE(c.empty());
  c.push_back("x");
  EXPECT_EQ(c[0], "x");
}

TEST(Chunked, EmptiedAgainAndAgainItRefillsAcrossChunks) {
  Small c;  // chunks of 4; clear keeps the first chunk's storage
  for (int round = 0; round < 3; ++round) {
    c.clear();
    EXPECT_TRUE(c.empty());
    for (int i = 0; i < 6; ++i) c.push_back(std::to_string(round * 10 + i));  // into a second chunk
    ASSERT_EQ(c.size(), 6u);
    EXPECT_EQ(c[0], std::to_string(round * 10));
    EXPECT_EQ(c[5], std::to_string(round * 10 + 5));
    EXPECT_EQ(std::distance(c.begin(), c.end()), 6);
  }
}

TEST(Chunked, DroppingTheFrontKeepsEveryLaterIndex) {
  Small c;  // chunks of 4
  for (int i = 0; i < 10; ++i) c.push_back(std::to_string(i));
  c.dropBefore(6);  // chunk [0, 4) goes; [4, 8) holds 6
  EXPECT_EQ(c.first(), 4u);
  EXPECT_EQ(c.size(), 10u);
  EXPECT_EQ(c[4], "4");
  EXPECT_EQ(c[9], "9");
  EXPECT_EQ(c.front(), "4");
  EXPECT_EQ(*c.begin(), "4");
  EXPECT_EQ(std::distance(c.begin(), c.end()), 6);
  EXPECT_EQ(c.since(0).size(), 6u);  // what is left of [0, 10)
  EXPECT_EQ(*c.since(7).begin(), "7");
  EXPECT_THROW((void)c.at(3), std::out_of_range);
  c.dropBefore(100);  // every whole chunk: the partial last one [8, 10) stays
  EXPECT_EQ(c.first(), 8u);
  for (int i = 10; i < 19; ++i) c.push_back(std::to_string(i));
  EXPECT_EQ(c.first(), 8u);
  EXPECT_EQ(c[8], "8");
  EXPECT_EQ(c[18], "18");
  c.dropBefore(16);
  EXPECT_EQ(c.first(), 16u);
  EXPECT_EQ(c.since(0).size(), 3u);
  c.truncate(17);
  EXPECT_EQ(c.back(), "16");
  c.clear();
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.first(), 0u);
  c.push_back("again");
  EXPECT_EQ(c[0], "again");
}

TEST(Chunked, SortedSearchWorksOnItsIterators) {
  si::Chunked<int, 3> c;
  for (int i = 0; i < 100; ++i) c.push_back(i * 2);
  EXPECT_EQ(*std::lower_bound(c.begin(), c.end(), 51), 52);
  EXPECT_EQ(std::upper_bound(c.begin(), c.end(), 198), c.end());
  const si::Chunked<int, 3> copy = c;
  EXPECT_EQ(copy[99], 198);
}

}  // namespace
