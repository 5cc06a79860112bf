// The one file rule (input.hpp): a file's kind comes from its content, never from its name,
// and loadInput reads it once.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "input.hpp"
#include "test_dir.hpp"

using namespace si;
namespace fs = std::filesystem;

namespace {

const std::string kConfig = R"({ "registry": { "defaultOptions": { "gcTime": 1000 } } })";
const std::string kScenario = R"({ "config": )" + kConfig + R"(, "steps": [ { "advance": 5 } ] })";

std::string write(const std::string& name, const std::string& text) {
  const std::string path = (test::testDir("input") / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// A real journal of two steps, under the given name.
std::string journalNamed(const std::string& name) {
  const std::string path = (test::freshTestDir("input") / name).string();
  Result<Config> c = parseConfig(json::parse(kConfig), ".");
  EXPECT_TRUE(c.ok());
  Session s(*c);
  auto w = JournalWriter::create(path, s);
  EXPECT_TRUE(w.ok()) << w.message();
  s.execute(json::parse(R"({"attach": {"observer": "p", "storeId": "a"}})"));
  s.execute(json::parse(R"({"advance": 10})"));
  EXPECT_TRUE((*w)->append(s).ok());
  return path;
}

}  // namespace

TEST(InputKind, ASqliteNameHoldingJsonIsReadAsJson) {
  const std::string config = write("config.sqlite", kConfig);
  EXPECT_EQ(*classifyInput(config), InputKind::Config);
  Result<LoadedInput> in = loadInput(config);
  ASSERT_TRUE(in.ok()) << in.message();
  EXPECT_EQ(in->kind, InputKind::Config);
  EXPECT_EQ(in->watched, std::vector<std::string>{config});

  const std::string scenario = write("scenario.sqlite", kScenario);
  EXPECT_EQ(*classifyInput(scenario), InputKind::Scenario);
  Result<LoadedInput> sc = loadInput(scenario);
  ASSERT_TRUE(sc.ok()) << sc.message();
  ASSERT_TRUE(sc->scenario.has_value());
  EXPECT_EQ(sc->scenario->steps.size(), 1u);
}

TEST(InputKind, AJournalIsAJournalWhateverItsName) {
  const std::string journal = journalNamed("session.json");
  EXPECT_EQ(*classifyInput(journal), InputKind::Journal);
  Result<LoadedInput> in = loadInput(journal);
  ASSERT_TRUE(in.ok()) << in.message();
  EXPECT_EQ(in->kind, InputKind::Journal);
  ASSERT_TRUE(in->journal && in->replay);
  EXPECT_EQ(in->journalCommands().size(), 2u);
  EXPECT_EQ(in->replay->registry().now(), 10);
  // `run` reads any FILE as a scenario: a journal then fails as JSON.
  Result<LoadedInput> asScenario = loadInput(journal, {}, InputKind::Scenario);
  ASSERT_FALSE(asScenario.ok());
  EXPECT_EQ(asScenario.message().rfind(journal + ":1:", 0), 0u) << asScenario.message();
}

TEST(InputKind, AnEmptyFileFailsAsJson) {
  const std::string empty = write("empty.json", "");
  Result<InputKind> kind = classifyInput(empty);
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().id, ErrorId::Syntax);
  EXPECT_EQ(kind.message().rfind(empty + ":1:1: ", 0), 0u) << kind.message();
  EXPECT_EQ(loadInput(empty).message(), kind.message());
}

TEST(InputKind, AHeaderCutShortIsNotAJournal) {
  const std::string shortHeader = write("short.sqlite", "SQLite format");
  Result<InputKind> kind = classifyInput(shortHeader);
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().id, ErrorId::Syntax);
}

TEST(InputKind, ALeadingBomIsIgnored) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(*classifyInput(write("bom-scenario.json", bom + kScenario)), InputKind::Scenario);
  EXPECT_EQ(*classifyInput(write("bom-config.json", bom + kConfig)), InputKind::Config);
}

TEST(InputKind, AFifoIsRefusedWithoutBlocking) {
  const std::string fifo = (test::freshTestDir("input") / "pipe.json").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(classifyInput(fifo).message(), fifo + ": cannot read: not a regular file");
  EXPECT_EQ(loadInput(fifo).message(), fifo + ": cannot read: not a regular file");
  EXPECT_FALSE(looksLikeSqlite(fifo));
}

TEST(InputKind, AMissingFileSaysSo) {
  EXPECT_EQ(classifyInput("no/such.sqlite").message(), "no/such.sqlite: cannot read: No such file or directory");
  EXPECT_EQ(classifyInput("no/such.sqlite").error().id, ErrorId::Io);
}

TEST(LoadInput, ContentErrorsNameTheFile) {
  const std::string bad = write("bad.json", R"({"registry": {"policy": "newest"}})");
  EXPECT_EQ(loadInput(bad).message().rfind(bad + ": /registry/policy: unknown policy \"newest\"", 0), 0u);
  const std::string badStep = write("bad-step.json", R"({"config": {}, "steps": [{"advance": -1}]})");
  EXPECT_EQ(loadInput(badStep).message().rfind(badStep + ": /steps/0", 0), 0u) << loadInput(badStep).message();
}

TEST(LoadInput, AScenarioWatchesItsConfigFileAndTakesOverrides) {
  write("ref-config.json", kConfig);
  const std::string sc = write("ref.json", R"({"config": "ref-config.json", "steps": []})");
  Overrides o;
  o.policy = Policy::First;
  Result<LoadedInput> in = loadInput(sc, o);
  ASSERT_TRUE(in.ok()) << in.message();
  EXPECT_EQ(in->config.policy, Policy::First);
  ASSERT_EQ(in->watched.size(), 2u);
  EXPECT_EQ(in->watched[1], dirName(sc) + "/ref-config.json");
}

TEST(InputKind, AFileStartingWithAV1HelloIsALiveTraceWhateverItsName) {
  const std::string trace = write("trace.json", "\n" R"({"v":1,"hello":{"app":"web","library":"custom"}})" "\n"
                                               R"({"v":1,"t":5})" "\n");
  EXPECT_EQ(*classifyInput(trace), InputKind::Trace);
  Result<LoadedInput> in = loadInput(trace);
  ASSERT_TRUE(in.ok()) << in.message();
  EXPECT_EQ(in->kind, InputKind::Trace);
  EXPECT_EQ(toString(in->kind), "trace");
  // A config on one line with other keys, or a first line that is not a hello, is not a trace.
  EXPECT_EQ(*classifyInput(write("one-line.json", kConfig)), InputKind::Config);
  EXPECT_EQ(*classifyInput(write("heartbeat-first.ndjson", R"({"v":1,"t":5})" "\n")), InputKind::Config);
}
