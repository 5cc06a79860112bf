// `compare --shutdown` and `compare --identity` (SPEC 9, 10): one scenario under each
// shutdown strategy or sessionId choice, on the bundled examples.
#include <gtest/gtest.h>

#include "cli_outcome.hpp"
#include "compare.hpp"
#include "input.hpp"

using si::test::cli;

namespace {

std::string example(const std::string& name) {
  std::string path = SI_ASSETS_DIR;
  path += "/scenarios/";
  path += name;
  return path;
}

bool hasLine(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST(CompareChoices, ShutdownStrategiesShowTheTimeAndTheKilledInstancesOfEachRegistry) {
  const auto o = cli({"compare", example("shutdown-page-hide.json"), "--shutdown", "parallel,sequential"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(hasLine(o.out, "registry  metric         parallel                  sequential")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "tab-par   shutdown ms          40                         100")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "          killed                0                           2")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "          killed stores         -  issue-1#1,workspace-root#1")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "tab-seq/issue-2         disposed at        1040        1080")) << o.out;
  // The scenario's expectations are written for its own mixed strategies.
  EXPECT_TRUE(hasLine(o.out, "steps failed: parallel 2, sequential 1")) << o.out;
}

TEST(CompareChoices, IdentityChoicesCountTheDistinctSessionIdsPerStore) {
  const auto o = cli({"compare", example("identity-per-generation.json"), "--identity", "registry,instance"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(hasLine(o.out, "store                 metric         registry  instance")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "tab-a/issue-7         disposed at      2010,-    2010,-")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "                      sessionIds            1         2")) << o.out;
}

TEST(CompareChoices, ARunChoiceChangesOnlyWhatItNames) {
  auto in = si::loadInput(example("shutdown-page-hide.json"), {}, si::InputKind::Scenario);
  ASSERT_TRUE(in) << in.message();
  si::RunChoice sequential;
  sequential.shutdown = si::ShutdownStrategy::Sequential;
  auto run = si::runChoice(in->scenario->config, sequential, in->scenario->steps);
  ASSERT_TRUE(run) << run.message();
  EXPECT_EQ(run->label, "sequential");
  EXPECT_EQ(run->policy, si::Policy::Longest);
  ASSERT_EQ(run->shutdowns.at("tab-par").size(), 1u);
  EXPECT_EQ(run->shutdowns.at("tab-par")[0].started, 1000);
  EXPECT_EQ(run->shutdowns.at("tab-par")[0].closed, 1100);
  EXPECT_EQ(run->shutdowns.at("tab-par")[0].killed, (std::vector<std::string>{"issue-1#1", "workspace-root#1"}));
  EXPECT_EQ(run->sessionIds.at("tab-par/issue-1"), (std::vector<std::string>{"tab-par-session"}));
}

TEST(CompareChoices, BadChoicesAreReportedWithTheNearestName) {
  auto o = cli({"compare", example("shutdown-page-hide.json"), "--shutdown", "paralel"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "compare: --shutdown: unknown choice \"paralel\"; expected one of parallel, sequential; did you "
                   "mean \"parallel\"?\n");
  o = cli({"compare", example("shutdown-page-hide.json"), "--identity", "store"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "compare: --identity: unknown choice \"store\"; expected one of registry, instance\n");
  o = cli({"compare", example("shutdown-page-hide.json"), "--identity", "instance", "--shutdown", "parallel"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "compare: give one of --policies, --shutdown, --identity or --profiles\n");
}
