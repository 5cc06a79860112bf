#include "persistent_log.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using Log = si::PersistentLog<std::string, 4>;  // chunks of 4: every boundary is exercised

std::vector<std::string> all(const Log& log) {
  std::vector<std::string> out;
  for (const std::string& s : log) out.push_back(s);
  return out;
}

std::vector<std::string> numbers(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(std::to_string(i));
  return out;
}

TEST(PersistentLog, KeepsWhatWasAppendedInOrder) {
  Log log;
  EXPECT_TRUE(log.empty());
  for (int i = 0; i < 11; ++i) log.push_back(std::to_string(i));
  EXPECT_EQ(log.size(), 11u);
  EXPECT_EQ(log[0], "0");
  EXPECT_EQ(log[4], "4");
  EXPECT_EQ(log[10], "10");
  EXPECT_EQ(all(log), numbers(0, 11));
}

TEST(PersistentLog, ACopyAndItsOriginalGoOnApartFromAnyLength) {
  for (int length = 0; length < 10; ++length) {  // the shared tail is full, partial or absent
    Log original;
    for (int i = 0; i < length; ++i) original.push_back(std::to_string(i));
    Log copy = original;
    original.push_back("original");
    copy.push_back("copy");
    copy.push_back("copy 2");
    std::vector<std::string> want = numbers(0, length);
    want.push_back("original");
    EXPECT_EQ(all(original), want) << length;
    want.back() = "copy";
    want.push_back("copy 2");
    EXPECT_EQ(all(copy), want) << length;
  }
}

TEST(PersistentLog, ACopyOutlivesItsOriginal) {
  auto original = std::make_unique<Log>();
  for (int i = 0; i < 6; ++i) original->push_back(std::to_string(i));
  Log copy = *original;
  original.reset();
  copy.push_back("6");
  EXPECT_EQ(all(copy), numbers(0, 7));
}

}  // namespace
