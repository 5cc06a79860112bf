// Reading input, round 2 (issue 9): what a hostile-input probe broke. Suggestions and echoed
// keys stay small, expectations are checked when the file is read, only regular files of a
// bounded size are read, control characters never reach the terminal, bytes after a document
// are an error, and one object of many keys parses in linear time.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "config.hpp"
#include "session.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

namespace fs = std::filesystem;

std::string writeFile(const std::string& name, const std::string& text) {
  const std::string path = (test::testDir("input_hardening") / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// A FIFO in the test's folder: reading one that nobody writes to would block forever.
std::string makeFifo(const std::string& name) {
  const std::string path = (test::testDir("input_hardening") / name).string();
  fs::remove(path);
  EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0) << path;
  return path;
}

std::string scenarioError(const std::string& steps) {
  Result<Scenario> sc = parseScenario(json::parse(R"({"config": {}, "steps": )" + steps + "}"), "", {});
  return sc ? std::string("(valid)") : sc.message();
}

struct Outcome {
  int code;
  std::string out, err;
};

int guiCalls = 0;
int fakeGui(const cli::GuiRequest&) {
  ++guiCalls;
  return 0;
}

Outcome cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::run(args, fakeGui, out, err);
  return {code, out.str(), err.str()};
}

const std::string k80(80, 'k');  // what is left of a long key of k's in a message

// [SECTION] Suggestions and echoed keys (defect 6)

TEST(Nearest, NoSuggestionForATypedNameLongerThanSixtyFourBytes) {
  EXPECT_EQ(nearest(std::string(65, 'a'), {std::string(64, 'a')}), "");
  EXPECT_EQ(nearest(std::string(20000, 'a'), {"gcTime", std::string(20000, 'a') + "b"}), "");
}

TEST(Nearest, NoSuggestionOfACandidateLongerThanSixtyFourBytes) {
  EXPECT_EQ(nearest(std::string(64, 'a'), {std::string(65, 'a')}), "");
}

TEST(Nearest, SixtyFourBytesStillGetASuggestion) {
  const std::string candidate(64, 'a');
  EXPECT_EQ(nearest(std::string(63, 'a') + "b", {candidate}), candidate);
  EXPECT_EQ(nearest("gcTiem", {"gcTime", "debug"}), "gcTime");  // transpositions still count one
}

TEST(EchoedKeys, AnUnknownConfigKeyIsCutToEightyBytes) {
  const std::string key(2u << 20, 'k');
  Result<Config> c = parseConfig(json{{"registry", {{key, 1}}}}, ".");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.message(), "/registry/" + k80 + "...: unknown key");
}

TEST(EchoedKeys, AnUnknownOptionIsCutToEightyBytes) {
  Result<Config> c = parseConfig(json{{"storeOptions", {{"t", {{std::string(200, 'k'), 1}}}}}}, ".");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.message(), "/storeOptions/t/" + k80 + "...: unknown option");
}

TEST(EchoedKeys, UnknownScenarioStepAndExpectKeysAreCut) {
  const std::string key(300, 'k');
  Result<Scenario> root = parseScenario(json{{"config", json::object()}, {key, 1}, {"steps", json::array()}}, "", {});
  EXPECT_EQ(root.message(), "/" + k80 + "...: unknown key");
  EXPECT_EQ(scenarioError(R"([{")" + key + R"(": 1}])"), "/steps/0/" + k80 + "...: unknown step key");
  EXPECT_EQ(scenarioError(R"([{"expect": {"store": "a", ")" + key + R"(": 1}}])"),
            "/steps/0/expect/" + k80 + "...: unknown expect field");
}

TEST(EchoedKeys, AWrongValueInAStepIsCutToEightyBytes) {
  EXPECT_EQ(scenarioError(R"([{"advance": ")" + std::string(1000, 'x') + R"("}])"),
            "/steps/0/advance: expected a non-negative integer (ms), got \"" + std::string(79, 'x') + "...");
}

TEST(EchoedKeys, AnUnknownTemplateNameIsCutToEightyBytes) {
  Result<Config> c = parseConfig(json::parse(R"({"storeOptions": {"issue": {"storeId": "issue-{id}"}}})"), ".");
  ASSERT_TRUE(c.ok()) << c.message();
  Session s(std::move(*c));
  StepResult r = s.execute(json{{"attach", {{"observer", "o"}, {"use", std::string(20000, 'u')}}}});
  EXPECT_EQ(r.error, "use: unknown store options \"" + std::string(79, 'u') + "...");
}

TEST(EchoedKeys, AKeyWithControlCharactersIsShownEscaped) {
  Result<Config> c = parseConfig(json{{"registry", {{"a\x1b[2Jb\n", 1}}}}, ".");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.message(), "/registry/a\\x1b[2Jb\\n: unknown key");
}

TEST(EchoedKeys, AnUnknownCommandLineOptionIsCut) {
  const Outcome o = cli({"run", "--" + std::string(200, 'p'), "x.json"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err.rfind("run: unknown option --" + std::string(78, 'p') + "...\n", 0), 0u) << o.err;
  const Outcome word = cli({std::string(300, 'w')});
  EXPECT_EQ(word.code, 2);
  EXPECT_EQ(word.err.rfind("store-inspector: unknown command or file \"" + std::string(79, 'w') + "...\n", 0), 0u)
      << word.err;
}

// [SECTION] Expectations are checked when the file is read (defect 8)

TEST(ExpectShape, AnUnknownFieldInsideTheRegistryObjectMakesTheFileInvalid) {
  EXPECT_EQ(scenarioError(R"([{"expect": {"registry": {"live": 12345, "nonsense": true}}}])"),
            "/steps/0/expect/registry/nonsense: unknown expect field");
  EXPECT_EQ(scenarioError(R"([{"expect": {"registry": {"lve": 1}}}])"),
            "/steps/0/expect/registry/lve: unknown expect field; did you mean \"live\"?");
  EXPECT_EQ(scenarioError(R"([{"expect": {"registry": {"live": -1}}}])"),
            "/steps/0/expect/registry/live: expected a non-negative integer, got -1");
}

TEST(ExpectShape, AnExpectationThatChecksNothingMakesTheFileInvalid) {
  EXPECT_EQ(scenarioError(R"([{"expect": {"store": "a"}}])"),
            "/steps/0/expect: checks nothing; give at least one of state, observers, gcTime, gcDueIn, "
            "generation, loads, error, options, lints, clientId, sessionId");
  EXPECT_EQ(scenarioError(R"([{"expect": {"observer": "p1"}}])"),
            "/steps/0/expect: checks nothing; give at least one of status");
  EXPECT_EQ(scenarioError(R"([{"expect": {"registry": true}}])"),
            "/steps/0/expect: checks nothing; give at least one of live, observers, byState, state, killed");
  EXPECT_EQ(scenarioError(R"([{"expect": {"registry": {}}}])"),
            "/steps/0/expect: checks nothing; give at least one of live, observers, byState, state, killed");
}

TEST(ExpectShape, AFieldBesideAndInsideTheRegistryObjectIsAnError) {
  EXPECT_EQ(scenarioError(R"([{"expect": {"registry": {"live": 1}, "live": 1}}])"),
            "/steps/0/expect/registry/live: also given beside \"registry\"");
}

TEST(ExpectShape, FieldsInsideTheRegistryObjectAreChecked) {
  Session s(Config{});
  StepResult r = s.execute(json::parse(R"({"expect": {"registry": {"live": 12345}}})"));
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].field, "live");
  EXPECT_EQ(r.checks[0].expected, json(12345));
  EXPECT_EQ(r.checks[0].actual, json(0));
  EXPECT_TRUE(s.execute(json::parse(R"({"expect": {"registry": {"live": 0, "observers": 0}}})")).ok);
}

TEST(ExpectShape, CheckReportsAnUnknownExpectFieldAsBadInput) {
  const std::string path = writeFile(
      "nonsense.json", R"({"config": {}, "steps": [{"expect": {"registry": {"live": 12345, "nonsense": true}}}]})");
  const Outcome o = cli({"check", path});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find(path + ": /steps/0/expect/registry/nonsense: unknown expect field\n"), std::string::npos)
      << o.err;
}

// [SECTION] Only regular files of a bounded size are read (defect 11)

TEST(JsonFile, AFifoIsRefusedWithoutBlocking) {
  const std::string fifo = makeFifo("pipe.json");
  EXPECT_EQ(readJsonFile(fifo).message(), fifo + ": cannot read: not a regular file");
}

TEST(JsonFile, ADeviceIsRefusedNotReadUntilMemoryRunsOut) {
  EXPECT_EQ(readJsonFile("/dev/zero").message(), "/dev/zero: cannot read: not a regular file");
}

TEST(JsonFile, AFileLargerThanSixtyFourMebibytesIsRefused) {
  const std::string path = writeFile("huge.json", "");
  fs::resize_file(path, (64u << 20) + 1);  // sparse: no disk space used
  EXPECT_EQ(readJsonFile(path).message(), path + ": cannot read: larger than 64 MiB");
}

TEST(JsonFile, AScenarioWhoseConfigIsADeviceIsBadInput) {
  const std::string path = writeFile("dev.json", R"({"config": "/dev/zero", "steps": []})");
  EXPECT_EQ(loadScenarioFile(path, {}).message(), path + ": /config: \"/dev/zero\": cannot read: not a regular file");
}

TEST(JsonFile, AScenarioWhoseConfigIsAFifoIsBadInput) {
  makeFifo("config-pipe.json");
  const std::string path = writeFile("fifo-config.json", R"({"config": "config-pipe.json", "steps": []})");
  EXPECT_EQ(loadScenarioFile(path, {}).message(),
            path + ": /config: \"config-pipe.json\": cannot read: not a regular file");
}

TEST(JsonFile, TheWindowIsNotOpenedOnAFifo) {
  const std::string fifo = makeFifo("window-pipe.json");
  guiCalls = 0;
  const Outcome o = cli({fifo});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, fifo + ": cannot read: not a regular file\n");
  EXPECT_EQ(guiCalls, 0);
}

// [SECTION] Control characters (defect 13)

TEST(ObserverIds, ControlCharactersAreAnErrorOfTheStep) {
  EXPECT_EQ(scenarioError(R"([{"attach": {"observer": "a\u001b[2J", "storeId": "x"}}])"),
            "/steps/0/attach/observer: contains a control character (0x1B at byte 1)");
  EXPECT_EQ(scenarioError(R"([{"attach": {"observer": "a", "component": "App\nX", "storeId": "x"}}])"),
            "/steps/0/attach/component: contains a control character (0x0A at byte 3)");
  EXPECT_EQ(scenarioError(R"([{"detach": "p\u007f"}])"),
            "/steps/0/detach: contains a control character (0x7F at byte 1)");
  EXPECT_EQ(scenarioError(R"([{"detach": {"observer": "p\u0085"}}])"),
            "/steps/0/detach/observer: contains a control character (0x85 at byte 1)");
  EXPECT_EQ(scenarioError(R"([{"unmount": "App/\u009bX"}])"),
            "/steps/0/unmount: contains a control character (0x9B at byte 4)");
  EXPECT_EQ(scenarioError(R"([{"expect": {"observer": "p\n", "status": "ready"}}])"),
            "/steps/0/expect/observer: contains a control character (0x0A at byte 1)");
}

TEST(ObserverIds, AStepBuiltInCodeWithAControlCharacterFails) {
  Session s(Config{});
  StepResult r = s.execute(json{{"attach", {{"observer", "p\x1b"}, {"storeId", "x-1"}}}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "step/attach/observer: contains a control character (0x1B at byte 1)");
  EXPECT_EQ(s.registry().counts().live, 0u);
}

TEST(Transcript, ControlCharactersInFileTextArePrintedAsEscapes) {
  const std::string path = writeFile("forged.json", R"({
    "name": "ok\n    PASS forged",
    "config": {},
    "steps": [
      {"advance": 1, "note": "\u001b[2Jcleared"},
      {"expect": {"store": "a\u001bb", "state": "ABSENT"}},
      {"drop": "x", "expectError": "no\nsuch"}
    ]})");
  const Outcome o = cli({"run", path});
  EXPECT_EQ(o.code, 1) << o.out;
  EXPECT_NE(o.out.find("== " + path + ": ok\\n    PASS forged (policy longest"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n      # \\x1b[2Jcleared\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n    PASS store a\\x1bb state: expected \"ABSENT\", actual \"ABSENT\"\n"), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("\n    FAIL expected an error containing \"no\\nsuch\", but the step succeeded\n"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(o.out.find("\n    PASS forged"), std::string::npos);
}

// [SECTION] Bytes after the document (defect 14)

TEST(JsonText, BytesAfterANulFollowingTheDocumentAreASyntaxError) {
  const std::string text("{\"a\": 1}\0 not JSON {{{", 22);
  EXPECT_EQ(parseJsonText(text, "x.json").message(),
            "x.json:1:9: unexpected NUL byte after the JSON document; expected end of input");
  EXPECT_EQ(parseJsonText(std::string("[1,\n2]\n\0", 8), "y.json").message(),
            "y.json:3:1: unexpected NUL byte after the JSON document; expected end of input");
}

TEST(JsonText, WhitespaceAfterTheDocumentIsFine) {
  Result<json> j = parseJsonText("{\"a\": 1}\n \t\r\n", "x.json");
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->dump(), R"({"a":1})");
}

TEST(JsonText, CheckReportsTrailingBytesAsBadInput) {
  const std::string path = writeFile("trailing.json", std::string("{\"registry\": {}}\0 not JSON {{{", 30));
  const Outcome o = cli({"check", path});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, path + ":1:17: unexpected NUL byte after the JSON document; expected end of input\n");
}

// [SECTION] Many keys (linear parsing)

TEST(JsonText, OneHundredThousandKeysKeepTheirOrderAndTheLastDuplicateWins) {
  constexpr int kKeys = 100000;
  std::string text = "{";
  for (int k = 0; k < kKeys; ++k) text += "\"k" + std::to_string(k) + "\": " + std::to_string(k) + ",";
  text += R"("k5": "last", "k99999": {"again": true}})";
  Result<json> j = parseJsonText(text, "many.json");
  ASSERT_TRUE(j.ok()) << j.message();
  ASSERT_EQ(j->size(), size_t(kKeys));
  int i = 0;
  for (const auto& [key, value] : j->items()) {
    ASSERT_EQ(key, "k" + std::to_string(i)) << "position " << i;
    ++i;
  }
  EXPECT_EQ((*j)["k4"], json(4));
  EXPECT_EQ((*j)["k5"], json("last"));
  EXPECT_EQ((*j)["k99999"], json::parse(R"({"again": true})"));
}

TEST(JsonText, ParsesLikeNlohmannForSmallAndLargeObjects) {
  std::string large = "{";
  for (int k = 0; k < 40; ++k) large += "\"x" + std::to_string(k % 25) + "\": [" + std::to_string(k) + "],";
  large += "\"end\": null}";
  for (const std::string& text :
       {std::string(R"({"b": 1, "a": {"d": [1, 2.5, "s", null, true], "c": {}}, "b": {"z": 1, "z": 2}})"),
        std::string(R"([{"k": 1, "k": 2, "j": 3}, [], {}, -7, 18446744073709551615, 1e3])"), large}) {
    Result<json> mine = parseJsonText(text, "x.json");
    ASSERT_TRUE(mine.ok()) << mine.message();
    EXPECT_EQ(mine->dump(), json::parse(text).dump()) << text;
  }
}

}  // namespace
}  // namespace si
