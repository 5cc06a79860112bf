// A folder of the running test's own under the build tree's test-tmp. ctest runs tests side
// by side (-j2 in CI), so two tests must never write the same file name: CI failed when two
// tests rewrote one shared compare.json under each other.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace si::test {

// <test-tmp>/<area>/<Suite>.<Name>, created if missing; kept between calls within a test.
inline std::filesystem::path testDir(std::string_view area) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string name =
      info ? std::string(info->test_suite_name()) + "." + info->name() : std::string("outside-a-test");
  std::filesystem::path dir = std::filesystem::path(SI_TEST_TMP) / std::string(area) / name;
  std::filesystem::create_directories(dir);
  return dir;
}

// The same folder emptied first: for a test that must not see a previous run's files.
inline std::filesystem::path freshTestDir(std::string_view area) {
  std::filesystem::remove_all(testDir(area));
  return testDir(area);
}

}  // namespace si::test
