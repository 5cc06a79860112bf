// Inputs that crashed (or would crash) the fuzz targets in tests/fuzz, kept as regression tests.
// Each runs through the same calls as its fuzz target. Inputs too large or binary to inline
// live in tests/fuzz/regressions/<target>-<name>; every file there is replayed too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "journal.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

namespace fs = std::filesystem;

// fuzz_config
void runConfig(std::string_view text) {
  Result<json> j = parseJsonText(text, "fuzz.json");
  if (!j) return;
  (void)parseConfig(*j, "/nonexistent");
}

// fuzz_scenario (inline configs only)
void runScenario(std::string_view text) {
  Result<json> j = parseJsonText(text, "fuzz.json");
  if (!j || !j->is_object()) return;
  if (j->contains("config") && !(*j)["config"].is_object()) return;
  const fs::path dir = si::test::testDir("fuzz-regressions");
  Result<Scenario> sc = parseScenario(*j, (dir / "fuzz.json").string(), {});
  if (!sc) return;
  Session s(sc->config);
  for (const json& step : sc->steps) (void)s.execute(step);
  for (const Event& e : s.registry().events()) (void)s.registry().eventJson(e).dump();
}

// fuzz_journal
void runJournal(const std::string& bytes) {
  const fs::path dir = si::test::testDir("fuzz-regressions");
  const std::string path = (dir / "input.sqlite").string();
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
  std::ofstream(path, std::ios::binary) << bytes;
  Result<JournalData> j = readJournal(path);
  if (!j) return;
  j->baseDir = dir.string();
  (void)replayJournal(*j);
}

// Found by reasoning about the fuzz targets before they ran: nlohmann's parser and copies recurse
// per nesting level, so 100,000 nested arrays overflowed the stack (SIGSEGV). parseJsonText now
// refuses nesting deeper than kMaxJsonDepth.
TEST(FuzzRegressions, DeepNestingInAConfigIsALocatedErrorNotAStackOverflow) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  runConfig(deep);
  runScenario("{\"config\": {}, \"steps\": [" + deep + "]}");
  EXPECT_EQ(parseJsonText(deep, "f").message(), "f:1:513: nested deeper than 512 arrays and objects");
}

// Differential test seed 2, step 1284, as a scenario: a preload that makes the effective gcTime
// Infinity while a GC timer is armed restarted the timer with 0 ms and disposed the store at
// once. It must now stay cached.
TEST(FuzzRegressions, PreloadWithInfinityWhileArmedKeepsTheStore) {
  for (const char* policy : {"longest", "last"}) {
    Result<Config> c = parseConfig(json::parse(R"({"storeOptions": {"f": {"storeId": "f-1", "gcTime": 100}}})"), ".");
    ASSERT_TRUE(c.ok());
    parsePolicy(policy, &c->policy);
    Session s(std::move(*c));
    for (const char* step : {R"({"attach": {"observer": "a", "use": "f"}})", R"({"advance": 1})",
                             R"({"detach": "a"})", R"({"preload": {"use": "f", "gcTime": "Infinity"}})",
                             R"({"advance": 1000})"}) {
      ASSERT_TRUE(s.execute(json::parse(step)).error.empty()) << step;
    }
    const StoreRecord* st = s.registry().find("f-1");
    EXPECT_EQ(st->state, State::Inactive) << policy;
    EXPECT_TRUE(st->gcTime.infinite) << policy;
    EXPECT_FALSE(st->gcArmed) << policy;
  }
}

TEST(FuzzRegressions, SavedInputsDoNotCrash) {
  const fs::path dir = fs::path(SI_ASSETS_DIR).parent_path() / "tests" / "fuzz" / "regressions";
  size_t replayed = 0;
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename().string().rfind("README", 0) == 0) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string name = e.path().filename().string();
    SCOPED_TRACE(name);
    if (name.rfind("config-", 0) == 0) runConfig(bytes.str());
    else if (name.rfind("scenario-", 0) == 0) runScenario(bytes.str());
    else if (name.rfind("journal-", 0) == 0) runJournal(bytes.str());
    else ADD_FAILURE() << "name a regression input config-*, scenario-* or journal-*: " << name;
    ++replayed;
  }
  std::printf("replayed %zu saved fuzz inputs\n", replayed);
}

}  // namespace
}  // namespace si
