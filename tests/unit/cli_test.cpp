// The command line (SPEC 5): exit codes, transcripts, json output, error locations, compare.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "journal.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;
using si::json;

namespace {

std::string tmpFile(const std::string& name, const std::string& text) {
  const std::string path = (si::test::testDir("cli") / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome cli(const std::vector<std::string>& args, si::cli::GuiEntry gui = nullptr) {
  std::ostringstream out, err;
  const int code = si::cli::run(args, gui, out, err);
  return {code, out.str(), err.str()};
}

bool hasLine(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

// A fake window that records what it was asked to open.
si::cli::GuiRequest lastRequest;
int guiCalls = 0;
int fakeGui(const si::cli::GuiRequest& r) {
  lastRequest = r;
  ++guiCalls;
  return 0;
}

const std::string kInlineConfig = R"({ "registry": { "defaultOptions": { "gcTime": 1000 } } })";

// Two stores: s-1 requested with 1 s and 4 s, collected, reloaded and collected again;
// s-2 never released.
std::string compareScenario() {
  return tmpFile("compare.json", R"({
  "name": "two requests, two stores",
  "config": )" + kInlineConfig + R"(,
  "steps": [
    { "attach": { "observer": "a", "storeId": "s-1", "gcTime": 1000 } },
    { "attach": { "observer": "b", "storeId": "s-1", "gcTime": 4000 } },
    { "attach": { "observer": "c", "storeId": "s-2" } },
    { "advance": 0 },
    { "detach": "b" },
    { "detach": "a" },
    { "advance": 5000 },
    { "attach": { "observer": "d", "storeId": "s-1" } },
    { "detach": "d" },
    { "advance": 5000 }
  ]
})");
}

// One line of the compare table, padded as the command pads it (widths by hand: the widest
// cells are "all stores", "store-seconds" and "1000,6000").
std::string tableRow(const std::string& store, const std::string& metric,
                     const std::vector<std::string>& cells) {
  std::string line = store + std::string(10 - store.size(), ' ') + "  " + metric +
                     std::string(13 - metric.size(), ' ');
  for (const auto& c : cells) line += "  " + std::string(9 - c.size(), ' ') + c;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

// [SECTION] Help, version, window

TEST(Cli, HelpAndVersionExitZero) {
  for (const char* flag : {"--help", "-h"}) {
    Outcome o = cli({flag});
    EXPECT_EQ(o.code, 0);
    EXPECT_NE(o.out.find("Usage:\n  store-inspector  "), std::string::npos) << o.out;
  }
  Outcome v = cli({"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out, std::string("store-inspector ") + SI_VERSION + "\n");
  for (const char* cmd : {"run", "check", "compare"}) {
    Outcome o = cli({cmd, "--help"});
    EXPECT_EQ(o.code, 0) << cmd;
    EXPECT_EQ(o.out.rfind(std::string("Usage: store-inspector ") + cmd, 0), 0u) << o.out;
    EXPECT_EQ(o.err, "");
  }
}

TEST(Cli, HelpRightAfterAnOptionThatTakesAValueIsHelpNotTheValue) {
  guiCalls = 0;
  Outcome shot = cli({"--screenshot", "--help"}, &fakeGui);
  EXPECT_EQ(shot.code, 0);
  EXPECT_EQ(shot.out.rfind("Usage: store-inspector --screenshot PNG", 0), 0u) << shot.out;
  EXPECT_EQ(guiCalls, 0);  // "--help" was not taken for the PNG path
  Outcome run = cli({"run", "x.json", "--policy", "-h"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out.rfind("Usage: store-inspector run", 0), 0u) << run.out;
  EXPECT_EQ(run.err, "");
}

TEST(Cli, WithoutTheWindowTheGuiCommandsSaySoInOneLine) {
  const std::string line =
      "store-inspector was built without the window; try `store-inspector run ...`\n";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {si::cli::bundledExampleConfig()}, {"--screenshot", "x.png"}}) {
    Outcome o = cli(args);
    EXPECT_EQ(o.code, 2);
    EXPECT_EQ(o.err, line);
    EXPECT_EQ(o.out, "");
  }
}

TEST(Cli, GuiRequestsReachTheWindowEntry) {
  guiCalls = 0;
  EXPECT_EQ(cli({}, &fakeGui).code, 0);
  EXPECT_EQ(lastRequest.file, "");
  EXPECT_EQ(lastRequest.screenshot, "");
  EXPECT_EQ(lastRequest.frames, 3);

  const std::string config = si::cli::bundledExampleConfig();
  EXPECT_EQ(cli({config}, &fakeGui).code, 0);
  EXPECT_EQ(lastRequest.file, config);

  EXPECT_EQ(cli({"--screenshot", "shot.png", "--frames", "5", config}, &fakeGui).code, 0);
  EXPECT_EQ(lastRequest.screenshot, "shot.png");
  EXPECT_EQ(lastRequest.frames, 5);
  EXPECT_EQ(lastRequest.file, config);

  EXPECT_EQ(cli({"--screenshot=s.png"}, &fakeGui).code, 0);
  EXPECT_EQ(lastRequest.screenshot, "s.png");
  EXPECT_EQ(lastRequest.frames, 3);
  EXPECT_EQ(lastRequest.file, "");
  EXPECT_EQ(guiCalls, 4);
}

TEST(Cli, BadGuiInputExitsTwoWithoutOpeningTheWindow) {
  guiCalls = 0;
  const std::string bad = tmpFile("bad-config.json", "{\"registry\": {\"policy\": \"newest\"}}");
  Outcome o = cli({bad}, &fakeGui);
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err.rfind(bad + ": /registry/policy: unknown policy \"newest\"", 0), 0u) << o.err;
  Outcome frames = cli({"--screenshot", "x.png", "--frames", "0"}, &fakeGui);
  EXPECT_EQ(frames.code, 2);
  EXPECT_EQ(frames.err, "--frames: expected a positive number of frames, got \"0\"\n");
  Outcome missing = cli({"no-such-file.json"}, &fakeGui);
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.err, "no-such-file.json: cannot read: No such file or directory\n");
  Outcome typo = cli({"rnu"}, &fakeGui);
  EXPECT_EQ(typo.code, 2);
  EXPECT_EQ(typo.err.rfind("store-inspector: unknown command or file \"rnu\"; did you mean \"run\"?\n", 0), 0u)
      << typo.err;
  EXPECT_EQ(guiCalls, 0);
}

// The screenshot pair in docs/ (1280x800 and 1920x1080) is made with --size.
TEST(Cli, ScreenshotSizeIsWidthByHeightInABoundedRange) {
  EXPECT_EQ(cli({"--screenshot", "x.png", "--size", "1920x1080"}, &fakeGui).code, 0);
  for (const char* bad : {"1920", "x1080", "1920x", "10x10", "99999x100", "19a0x1080", "1920x1080x2"}) {
    const Outcome o = cli({"--screenshot", "x.png", "--size", bad}, &fakeGui);
    EXPECT_EQ(o.code, 2) << bad;
    EXPECT_EQ(o.err, std::string("--size: expected WIDTHxHEIGHT in pixels (64 to 8192 each), got \"") + bad + "\"\n");
  }
}

// [SECTION] run

TEST(Cli, RunPrintsEachStepItsEventsAndExpectations) {
  const std::string path = tmpFile("pass.json", R"({
  "name": "small",
  "config": )" + kInlineConfig + R"(,
  "steps": [
    { "attach": { "observer": "p1", "storeId": "issue-1", "gcTime": 5000 }, "note": "open it" },
    { "advance": 10 },
    { "detach": "p1" },
    { "expect": { "store": "issue-1", "state": "INACTIVE", "gcDueIn": 5000 } },
    { "detach": "p1", "expectError": "not attached" }
  ]
})");
  Outcome o = cli({"run", path});
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_TRUE(hasLine(o.out, "== " + path + ": small (policy longest, environment browser)")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "[0] t=0 attach p1 storeId=issue-1 gcTime=5000")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "      # open it"));
  EXPECT_TRUE(hasLine(o.out, "      t=0 instance_created issue-1#1 ABSENT->LOADING gcTime=5000"));
  EXPECT_TRUE(hasLine(o.out, "      t=0 observer_attached issue-1#1 p1 LOADING->LOADING"));
  EXPECT_TRUE(hasLine(o.out, "[1] t=0 advance 10"));
  EXPECT_TRUE(hasLine(o.out, "      t=0 load_succeeded issue-1#1 LOADING->ACTIVE"));
  EXPECT_TRUE(hasLine(o.out, "[2] t=10 detach p1"));
  EXPECT_TRUE(hasLine(o.out, "      t=10 observer_detached issue-1#1 p1 ACTIVE->INACTIVE"));
  EXPECT_TRUE(hasLine(o.out, "      t=10 gc_scheduled issue-1#1 INACTIVE->INACTIVE gcTime=5000 due=5010"));
  EXPECT_TRUE(hasLine(o.out, "[3] t=10 expect store issue-1"));
  EXPECT_TRUE(hasLine(o.out, "    PASS store issue-1 state: expected \"INACTIVE\", actual \"INACTIVE\""));
  EXPECT_TRUE(hasLine(o.out, "    PASS store issue-1 gcDueIn: expected 5000, actual 5000"));
  EXPECT_TRUE(hasLine(o.out, "    PASS error (expected): observer \"p1\" is not attached (already detached)"))
      << o.out;
  EXPECT_TRUE(hasLine(o.out, "5 passed, 0 failed"));
}

TEST(Cli, RunExitsOneAndShowsExpectedAndActualWhenAStepFails) {
  const std::string path = tmpFile("fail.json", R"({
  "config": )" + kInlineConfig + R"(,
  "steps": [
    { "attach": { "observer": "p1", "storeId": "issue-1" } },
    { "expect": { "store": "issue-1", "state": "ACTIVE", "observers": 1 } },
    { "detach": "ghost" },
    { "advance": 0, "expectError": "boom" },
    { "advance": 0 }
  ]
})");
  Outcome o = cli({"run", path});
  EXPECT_EQ(o.code, 1) << o.out;
  EXPECT_TRUE(hasLine(o.out, "    FAIL store issue-1 state: expected \"ACTIVE\", actual \"LOADING\"")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "    PASS store issue-1 observers: expected 1, actual 1"));
  EXPECT_TRUE(hasLine(o.out, "    FAIL error: observer \"ghost\" is not attached (unknown observer)"));
  EXPECT_TRUE(hasLine(o.out, "    FAIL expected an error containing \"boom\", but the step succeeded"));
  EXPECT_TRUE(hasLine(o.out, "2 passed, 3 failed"));
}

TEST(Cli, RunWithSeveralScenariosSummarisesEachAndAll) {
  const std::string a = std::string(SI_ASSETS_DIR) + "/scenarios/longest-wins.json";
  const std::string b = std::string(SI_ASSETS_DIR) + "/scenarios/browser-default.json";
  Outcome o = cli({"run", a, b});
  EXPECT_EQ(o.code, 0) << o.out;
  EXPECT_TRUE(hasLine(o.out, "18 passed, 0 failed")) << o.out;
  EXPECT_TRUE(hasLine(o.out, "7 passed, 0 failed"));
  EXPECT_TRUE(hasLine(o.out, "total: 25 passed, 0 failed in 2 scenarios"));
}

TEST(Cli, RunPolicyOverrideChangesTheOutcome) {
  const std::string a = std::string(SI_ASSETS_DIR) + "/scenarios/longest-wins.json";
  Outcome o = cli({"run", a, "--policy", "first"});
  EXPECT_EQ(o.code, 1);
  EXPECT_TRUE(hasLine(o.out, "== " + a +
                                 ": longest gcTime wins: 30 s and 120 s requests keep the store "
                                 "120 s (policy first, environment browser)"))
      << o.out;
  EXPECT_TRUE(hasLine(o.out, "    FAIL store issue-3 gcTime: expected 120000, actual 30000"));
}

TEST(Cli, RunJsonIsOneDocument) {
  const std::string a = std::string(SI_ASSETS_DIR) + "/scenarios/browser-default.json";
  Outcome o = cli({"run", "--format", "json", a});
  EXPECT_EQ(o.code, 0);
  const json doc = json::parse(o.out);  // one document, nothing else on stdout
  EXPECT_EQ(doc["exitCode"], 0);
  EXPECT_EQ(doc["passed"], 7);
  EXPECT_EQ(doc["failed"], 0);
  ASSERT_EQ(doc["scenarios"].size(), 1u);
  const json& sc = doc["scenarios"][0];
  EXPECT_EQ(sc["policy"], "longest");
  EXPECT_EQ(sc["endTime"], 60000);
  ASSERT_EQ(sc["steps"].size(), 7u);
  EXPECT_EQ(sc.at("steps").at(0).at("events").at(0).at("kind"), "instance_created");
  EXPECT_EQ(sc.at("steps").at(0).at("events").at(0).at("storeId"), "page-home");
  EXPECT_EQ(sc.at("steps").at(4).at("checks").at(1).at("field"), "gcDueIn");
  EXPECT_EQ(sc.at("steps").at(4).at("checks").at(1).at("actual"), 60000);
  const json& disposed = sc.at("steps").at(5).at("events").at(0);
  EXPECT_EQ(disposed.at("kind"), "disposed");
  EXPECT_EQ(disposed.at("t"), 60000);
  EXPECT_EQ(disposed.at("detail").at("reason"), "gc");

  Outcome bad = cli({"run", "--format", "json", "missing.json"});
  EXPECT_EQ(bad.code, 2);
  const json err = json::parse(bad.out);
  EXPECT_EQ(err["exitCode"], 2);
  EXPECT_EQ(err["errors"][0], "missing.json: cannot read: No such file or directory");
}

TEST(Cli, RunWritesAJournalThatReplays) {
  const std::string a = std::string(SI_ASSETS_DIR) + "/scenarios/failing-store.json";
  const std::string journal = (si::test::testDir("cli") / "run.sqlite").string();
  fs::create_directories(fs::path(journal).parent_path());
  Outcome o = cli({"run", a, "--journal", journal});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(hasLine(o.out, "journal: " + journal));
  auto j = si::readJournal(journal);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->commands.size(), 41u);
  Outcome check = cli({"check", journal});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out.rfind(journal + ": ok (journal, 41 commands, ", 0), 0u) << check.out;
}

TEST(Cli, RunRejectsBadInputWithExitTwo) {
  const std::string syntax = tmpFile("syntax.json", "{\n  \"steps\": [\n    { \"advance\": 5, }\n  ]\n}");
  Outcome a = cli({"run", syntax});
  EXPECT_EQ(a.code, 2);
  EXPECT_EQ(a.err, syntax + ":3:21: syntax error while parsing object key - unexpected '}'; "
                            "expected string literal\n");
  EXPECT_EQ(a.out, "");

  const std::string content = tmpFile("content.json", R"({"config": {}, "steps": [{"advance": -5}]})");
  Outcome b = cli({"run", content});
  EXPECT_EQ(b.code, 2);
  EXPECT_EQ(b.err, content + ": /steps/0/advance: expected a non-negative integer (ms), got -5\n");

  Outcome c = cli({"run", content, "--polcy", "first"});
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.err.rfind("run: unknown option --polcy; did you mean --policy?\n", 0), 0u) << c.err;

  Outcome d = cli({"run", syntax, "--policy", "oldest"});
  EXPECT_EQ(d.code, 2);
  EXPECT_EQ(d.err.rfind("run: --policy: unknown policy \"oldest\"", 0), 0u) << d.err;

  EXPECT_EQ(cli({"run"}).code, 2);
  EXPECT_EQ(cli({"run", content, content, "--journal", "x.sqlite"}).code, 2);
  EXPECT_EQ(cli({"run", content, "--format", "yaml"}).code, 2);
  EXPECT_EQ(cli({"frobnicate-option", "--x"}).code, 2);
}

// [SECTION] check

TEST(Cli, CheckReportsSyntaxAndContentErrorsWithTheirLocation) {
  const std::string syntax = tmpFile("check-syntax.json", "{\"a\":1");
  Outcome a = cli({"check", syntax});
  EXPECT_EQ(a.code, 2);
  EXPECT_EQ(a.err, syntax + ":1:7: syntax error while parsing object - unexpected end of input; "
                            "expected '}'\n");

  const std::string config = tmpFile(
      "check-config.json", "\xEF\xBB\xBF{\"registry\": {\"defaultOptions\": {\"gcTme\": 5}}}");
  Outcome b = cli({"check", config});
  EXPECT_EQ(b.code, 2);
  EXPECT_EQ(b.err, config + ": /registry/defaultOptions/gcTme: unknown option; did you mean \"gcTime\"?\n");

  const std::string request = tmpFile("check-request.json", R"({"config": {}, "steps": [
    { "attach": { "storeId": "issue-1", "gcTime": -1 } },
    { "attach": { "storeId": "issue-2", "gcTime": -1 }, "expectError": "gcTime" },
    { "preload": { "use": "nope" } }
  ]})");
  Outcome c = cli({"check", request});
  EXPECT_EQ(c.code, 2);
  EXPECT_TRUE(hasLine(c.err, request + ": /steps/0/attach/gcTime: expected a non-negative integer or "
                                       "\"Infinity\", got -1"))
      << c.err;
  EXPECT_TRUE(hasLine(c.err, request + ": /steps/2/preload/use: unknown store options \"nope\"")) << c.err;
  EXPECT_EQ(c.err.find("/steps/1/"), std::string::npos);

  // Several files: each is reported, the exit status covers all.
  Outcome d = cli({"check", si::cli::bundledExampleConfig(), syntax});
  EXPECT_EQ(d.code, 2);
  EXPECT_TRUE(hasLine(d.out, si::cli::bundledExampleConfig() + ": ok (config, 6 store options)"));
}

TEST(Cli, CheckPrintsLintsButExitsZero) {
  const std::string path = tmpFile("lints.json", R"({"config": {}, "steps": [
    { "attach": { "storeId": "42" } },
    { "attach": { "storeId": "big-cache", "gcTime": 3000000000 } }
  ]})");
  Outcome o = cli({"check", path});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(hasLine(o.out, path + ": /steps/0/attach: lint namespace: storeId \"42\": Not namespaced: "
                                    "prefix the id with its store type (issue-42, not 42) so ids of "
                                    "different store types cannot collide."))
      << o.out;
  EXPECT_NE(o.out.find(path + ": /steps/1/attach: lint timer-overflow: storeId \"big-cache\": "),
            std::string::npos);
  EXPECT_TRUE(hasLine(o.out, path + ": ok (scenario, 2 steps, 2 lints)"));

  const std::string config = tmpFile("lint-config.json",
                                     R"({"storeOptions": {"user": {"storeId": "{userId}"}}})");
  Outcome c = cli({"check", config});
  EXPECT_EQ(c.code, 0);
  EXPECT_NE(c.out.find(config + ": /storeOptions/user/storeId: lint namespace: storeId \"{userId}\""),
            std::string::npos)
      << c.out;
  EXPECT_TRUE(hasLine(c.out, config + ": ok (config, 1 store option, 1 lint)"));
}

TEST(Cli, CheckNeverWritesStoreFilesNextToTheConfig) {
  const fs::path dir = si::test::testDir("cli") / "dry" / "scenarios";
  fs::remove_all(dir.parent_path());
  fs::create_directories(dir);
  const std::string path = (dir / "files.json").string();
  std::ofstream(path) << R"({"config": {"storeOptions": {"doc": {"storeId": "doc-{id}",
      "adapter": {"type": "file", "directory": "../stores"}}}},
    "steps": [{ "attach": { "use": "doc", "params": { "id": "1" } } }, { "advance": 0 }]})";
  Outcome o = cli({"check", path});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_FALSE(fs::exists(dir.parent_path() / "stores" / "doc-1.sqlite"));
  // run does write them.
  EXPECT_EQ(cli({"run", path}).code, 0);
  EXPECT_TRUE(fs::exists(dir.parent_path() / "stores" / "doc-1.sqlite"));
}

// [SECTION] compare

TEST(Cli, CompareTabulatesDisposalTimesAndStoreSecondsPerPolicy) {
  const std::string path = compareScenario();
  Outcome o = cli({"compare", path});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(hasLine(o.out, "compare " + path + ": two requests, two stores (end t=10000)")) << o.out;
  EXPECT_TRUE(hasLine(o.out, tableRow("store", "metric", {"longest", "first", "last", "shortest"})))
      << o.out;
  // s-1: generation 1 lives 4 s (longest, last) or 1 s (first, shortest); generation 2 is
  // created at 5000 with the default 1 s and collected at 6000.
  EXPECT_TRUE(hasLine(o.out, tableRow("s-1", "disposed at", {"4000,6000", "1000,6000", "4000,6000", "1000,6000"})));
  EXPECT_TRUE(hasLine(o.out, tableRow("", "store-seconds", {"5.000", "2.000", "5.000", "2.000"})));
  EXPECT_TRUE(hasLine(o.out, tableRow("", "loads", {"2", "2", "2", "2"})));
  // s-2 is never released: held from 0 to the end, 10 s.
  EXPECT_TRUE(hasLine(o.out, tableRow("s-2", "disposed at", {"-", "-", "-", "-"})));
  EXPECT_TRUE(hasLine(o.out, tableRow("", "store-seconds", {"10.000", "10.000", "10.000", "10.000"})));
  EXPECT_TRUE(hasLine(o.out, tableRow("all stores", "store-seconds", {"15.000", "12.000", "15.000", "12.000"})));
  EXPECT_TRUE(hasLine(o.out, "steps failed: longest 0, first 0, last 0, shortest 0"));
}

TEST(Cli, ComparePoliciesSelectsAndOrdersTheColumns) {
  const std::string path = compareScenario();
  Outcome o = cli({"compare", path, "--policies", "shortest,longest"});
  EXPECT_EQ(o.code, 0);
  EXPECT_TRUE(hasLine(o.out, tableRow("store", "metric", {"shortest", "longest"}))) << o.out;
  Outcome bad = cli({"compare", path, "--policies", "longest,newest"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err.rfind("compare: --policies: unknown policy \"newest\"", 0), 0u) << bad.err;
  EXPECT_EQ(cli({"compare"}).code, 2);
  EXPECT_EQ(cli({"compare", "missing.json"}).code, 2);
}
