// Config files (SPEC 3) and the JSON reader: exact error text for syntax, I/O and content errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

namespace fs = std::filesystem;

json J(const char* text) { return json::parse(text); }

std::string configError(const char* text) {
  Result<Config> c = parseConfig(J(text), ".");
  return c.ok() ? std::string("(no error)") : c.message();
}

std::string syntaxError(std::string_view text) {
  Result<json> j = parseJsonText(text, "cfg.json");
  return j.ok() ? std::string("(no error)") : j.message();
}

// A file in the running test's own folder.
std::string writeTemp(const std::string& name, const std::string& content) {
  const fs::path p = si::test::testDir("config_test") / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

const char* kSpecExample = R"j({
  "registry": {
    "environment": "browser",
    "policy": "longest",
    "defaultOptions": { "gcTime": 60000, "batchUpdates": "react-dom",
                        "syncPayload": { "authToken": "insecure-token-change-me" } }
  },
  "storeOptions": {
    "workspace": { "storeId": "workspace-root", "gcTime": "Infinity",
                   "adapter": { "type": "memory", "loadMs": 400 } },
    "issue": { "storeId": "issue-{issueId}", "gcTime": 20000,
               "adapter": { "type": "file", "directory": "stores", "loadMs": 150 },
               "schema": { "tables": { "issue": { "id": "TEXT PRIMARY KEY", "title": "TEXT" } } },
               "boot": { "sql": ["INSERT OR IGNORE INTO issue(id, title) VALUES (:issueId, 'Issue ' || :issueId)"] } }
  }
})j";

// [SECTION] JSON text

TEST(JsonText, ParsesAndKeepsKeyOrder) {
  Result<json> j = parseJsonText(R"({"b": 1, "a": 2})", "x.json");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->dump(), R"({"b":1,"a":2})");
}

TEST(JsonText, LeadingByteOrderMarkIsIgnored) {
  Result<json> j = parseJsonText("\xEF\xBB\xBF{\"a\": 1}", "x.json");
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(j->dump(), R"({"a":1})");
}

TEST(JsonText, SyntaxErrorGivesLineAndColumnOfTheOffendingCharacter) {
  // Line 3 is `  "b": 1 2`: the stray 2 is at column 10.
  EXPECT_EQ(syntaxError("{\n  \"a\": 1,\n  \"b\": 1 2\n}"),
            "cfg.json:3:10: syntax error while parsing object - unexpected number literal; expected '}'");
}

TEST(JsonText, TrailingCommaIsASyntaxError) {
  EXPECT_EQ(syntaxError("{\"a\": 1,}"),
            "cfg.json:1:9: syntax error while parsing object key - unexpected '}'; expected string literal");
}

TEST(JsonText, ColumnsAfterAByteOrderMarkCountFromTheVisibleText) {
  EXPECT_EQ(syntaxError("\xEF\xBB\xBF{,}"),
            "cfg.json:1:2: syntax error while parsing object key - unexpected ','; expected string literal");
}

TEST(JsonText, ColumnsCountCharactersNotBytes) {
  // "é" is two bytes; the stray 2 is the 9th character of the line (the 10th byte).
  EXPECT_EQ(syntaxError("{\"\xC3\xA9\": 1 2}").substr(0, 13), "cfg.json:1:9:");
}

TEST(JsonText, UnexpectedEndOfInputPointsJustPastTheEnd) {
  EXPECT_EQ(syntaxError("{\"a\": 1"),
            "cfg.json:1:8: syntax error while parsing object - unexpected end of input; expected '}'");
}

TEST(JsonText, EmptyTextIsASyntaxErrorAtOneOne) {
  EXPECT_EQ(syntaxError("").rfind("cfg.json:1:1: syntax error while parsing value - unexpected end of input", 0),
            0u);
}

TEST(JsonText, NumberOverflowIsLocatedToo) {
  EXPECT_EQ(syntaxError("{\n \"gcTime\": 1e999}"), "cfg.json:2:16: number overflow parsing '1e999'");
}

TEST(JsonText, NoRawExceptionTextReachesTheUser) {
  for (const char* bad : {"{", "[1,", "tru", "\"\xFF\"", "{\"a\" 1}", "01", "nul"}) {
    const std::string m = syntaxError(bad);
    EXPECT_EQ(m.find("json.exception"), std::string::npos) << m;
    EXPECT_EQ(m.find("parse error at"), std::string::npos) << m;
    EXPECT_EQ(m.rfind("cfg.json:1:", 0), 0u) << m;
  }
}

// [SECTION] Files

TEST(JsonFile, MissingFileCannotBeRead) {
  const std::string path = std::string(SI_TEST_TMP) + "/config_test/does-not-exist.json";
  EXPECT_EQ(readJsonFile(path).message(), path + ": cannot read: No such file or directory");
}

TEST(JsonFile, DirectoryCannotBeRead) {
  const std::string dir = fs::path(writeTemp("dummy.json", "{}")).parent_path().string();
  EXPECT_EQ(readJsonFile(dir).message(), dir + ": cannot read: Is a directory");
}

TEST(JsonFile, FileWithByteOrderMarkParses) {
  const std::string path = writeTemp("bom.json", "\xEF\xBB\xBF{\"registry\": {}}\n");
  Result<json> j = readJsonFile(path);
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_TRUE(j->contains("registry"));
}

TEST(JsonFile, SyntaxErrorNamesTheFile) {
  const std::string path = writeTemp("broken.json", "{\n  \"registry\": {,}\n}\n");
  EXPECT_EQ(readJsonFile(path).message(),
            path + ":2:16: syntax error while parsing object key - unexpected ','; expected string literal");
}

// [SECTION] Config content

TEST(Config, SpecExampleParses) {
  Result<Config> c = parseConfig(J(kSpecExample), "configs");
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c->environment, Environment::Browser);
  EXPECT_EQ(c->policy, Policy::Longest);
  EXPECT_EQ(c->baseDir, "configs");
  EXPECT_EQ(c->defaults.raw.dump(),
            R"({"gcTime":60000,"batchUpdates":"react-dom","syncPayload":{"authToken":"insecure-token-change-me"}})");
  ASSERT_EQ(c->templates.size(), 2u);
  const StoreTemplate& issue = c->templates.at("issue");
  EXPECT_EQ(issue.name, "issue");
  ASSERT_TRUE(issue.storeId.has_value());
  EXPECT_EQ(issue.storeId->text, "issue-{issueId}");
  EXPECT_EQ(issue.storeId->placeholders, (std::vector<std::string>{"issueId"}));
  EXPECT_FALSE(issue.options.has(OptionKey::StoreId));  // kept in storeId, not among the options
  EXPECT_EQ(*issue.options.get(OptionKey::GcTime), 20000);
  EXPECT_FALSE(c->templates.at("workspace").storeId->isTemplate());
  EXPECT_EQ(c->source, J(kSpecExample));
}

TEST(Config, EmptyObjectIsAValidConfig) {
  Result<Config> c = parseConfig(J("{}"), "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->environment, Environment::Browser);
  EXPECT_EQ(c->policy, Policy::Longest);
  EXPECT_TRUE(c->templates.empty());
  EXPECT_TRUE(c->defaults.raw.empty());
  EXPECT_EQ(c->baseDir, ".");
}

TEST(Config, EnvironmentAndPolicyAreRead) {
  Result<Config> c = parseConfig(J(R"({"registry": {"environment": "ssr", "policy": "shortest"}})"), ".");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->environment, Environment::Ssr);
  EXPECT_EQ(c->policy, Policy::Shortest);
}

TEST(Config, SsrEnvironmentMakesTheDefaultGcTimeInfinity) {
  Result<Config> c = parseConfig(J(R"({"registry": {"environment": "ssr"}, "storeOptions": {"a": {"storeId": "a"}}})"), ".");
  ASSERT_TRUE(c.ok());
  EffectiveOptions e = mergeOptions(c->environment, &c->defaults, &c->templates.at("a").options, nullptr);
  EXPECT_EQ(e.gcTime, Span::infinity());
  EXPECT_EQ(e.gcTimeLayer, Layer::Environment);
}

TEST(Config, BrowserEnvironmentDefaultGcTimeIs60000) {
  Result<Config> c = parseConfig(J(R"({"storeOptions": {"a": {"storeId": "a"}}})"), ".");
  ASSERT_TRUE(c.ok());
  EffectiveOptions e = mergeOptions(c->environment, &c->defaults, &c->templates.at("a").options, nullptr);
  EXPECT_EQ(e.gcTime, Span::finite(60000));
  EXPECT_EQ(e.gcTimeLayer, Layer::Environment);
}

TEST(Config, ProvenanceNamesTheLayerOfEachOption) {
  Result<Config> c = parseConfig(J(kSpecExample), ".");
  ASSERT_TRUE(c.ok());
  OptionLayer call = *parseOptionLayer(J(R"({"gcTime": 5000})"), Layer::CallSite, "");
  EffectiveOptions e = mergeOptions(c->environment, &c->defaults, &c->templates.at("issue").options, &call);
  EXPECT_EQ(e.gcTimeLayer, Layer::CallSite);
  EXPECT_EQ(e.get(OptionKey::BatchUpdates)->layer, Layer::Registry);
  EXPECT_EQ(e.get(OptionKey::SyncPayload)->layer, Layer::Registry);
  EXPECT_EQ(e.get(OptionKey::Adapter)->layer, Layer::Template);
  EXPECT_EQ(e.adapter.loadMs, Span::finite(150));
  EXPECT_EQ(e.get(OptionKey::Schema)->layer, Layer::Template);
}

TEST(Config, RootMustBeAnObject) {
  EXPECT_EQ(configError("[1]"), R"(/: expected a config object with "registry" and "storeOptions", got [1])");
}

TEST(Config, UnknownRootKeySuggestsNearest) {
  EXPECT_EQ(configError(R"({"storeOption": {}})"), R"(/storeOption: unknown key; did you mean "storeOptions"?)");
  EXPECT_EQ(configError(R"({"steps": []})"), "/steps: unknown key");
}

TEST(Config, UnknownRegistryKeySuggestsNearest) {
  EXPECT_EQ(configError(R"({"registry": {"polcy": "first"}})"),
            R"(/registry/polcy: unknown key; did you mean "policy"?)");
}

TEST(Config, OptionDirectlyInRegistryPointsToDefaultOptions) {
  EXPECT_EQ(configError(R"({"registry": {"gcTime": 5}})"),
            R"(/registry/gcTime: unknown key; options go in "defaultOptions")");
}

TEST(Config, RegistryMustBeAnObject) {
  EXPECT_EQ(configError(R"({"registry": "browser"})"), R"(/registry: expected an object, got "browser")");
}

TEST(Config, UnknownPolicySuggestsNearest) {
  EXPECT_EQ(configError(R"({"registry": {"policy": "lngest"}})"),
            R"(/registry/policy: unknown policy "lngest"; expected one of longest, first, last, shortest; did you mean "longest"?)");
  EXPECT_EQ(configError(R"({"registry": {"policy": 1}})"),
            "/registry/policy: expected one of longest, first, last, shortest, got 1");
}

TEST(Config, UnknownEnvironmentSuggestsNearest) {
  EXPECT_EQ(configError(R"({"registry": {"environment": "brwser"}})"),
            R"(/registry/environment: unknown environment "brwser"; expected one of browser, ssr; did you mean "browser"?)");
  EXPECT_EQ(configError(R"({"registry": {"environment": "node"}})"),
            R"(/registry/environment: unknown environment "node"; expected one of browser, ssr)");
}

TEST(Config, RequestOnlyOptionInDefaultOptionsIsMisplaced) {
  EXPECT_EQ(configError(R"({"registry": {"defaultOptions": {"boot": {"sql": []}}}})"),
            "/registry/defaultOptions/boot: not allowed in registry.defaultOptions (template or call-site only)");
}

TEST(Config, BatchUpdatesInStoreOptionsIsMisplaced) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"storeId": "i", "batchUpdates": "x"}}})"),
            "/storeOptions/issue/batchUpdates: not allowed in storeOptions (registry only)");
}

TEST(Config, UnknownOptionInStoreOptionsSuggestsNearest) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"storeId": "i", "gcTim": 5}}})"),
            R"(/storeOptions/issue/gcTim: unknown option; did you mean "gcTime"?)");
}

TEST(Config, BadGcTimeInStoreOptionsShowsTheValue) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"storeId": "i", "gcTime": -5}}})"),
            R"(/storeOptions/issue/gcTime: expected a non-negative integer or "Infinity", got -5)");
}

TEST(Config, BadValueInDefaultOptions) {
  EXPECT_EQ(configError(R"({"registry": {"defaultOptions": {"disableDevtools": 0}}})"),
            R"(/registry/defaultOptions/disableDevtools: expected true, false or "auto", got 0)");
  EXPECT_EQ(configError(R"({"registry": {"defaultOptions": []}})"),
            "/registry/defaultOptions: expected an object of options, got []");
}

TEST(Config, StoreOptionsNeedAStoreId) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"gcTime": 5}}})"),
            R"(/storeOptions/issue/storeId: required (the storeId pattern, e.g. "issue-{issueId}"))");
}

TEST(Config, UnbalancedBraceInStoreIdIsAnError) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"storeId": "issue-{issueId"}}})"),
            R"(/storeOptions/issue/storeId: unbalanced "{" at byte 6)");
}

TEST(Config, BadIdentifierInSchemaIsAnErrorWhenRead) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"storeId": "i",
                "schema": {"tables": {"issue": {"my col": "TEXT"}}}}}})"),
            R"(/storeOptions/issue/schema/tables/issue/my col: invalid column name "my col"; expected [A-Za-z_][A-Za-z0-9_]*)");
}

TEST(Config, BadAdapterInStoreOptions) {
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": {"storeId": "i", "adapter": {"type": "disk"}}}})"),
            R"(/storeOptions/issue/adapter/type: unknown adapter type "disk"; expected one of memory, file, none, external)");
}

TEST(Config, StoreOptionsShapeErrors) {
  EXPECT_EQ(configError(R"({"storeOptions": []})"), "/storeOptions: expected an object of store options by name, got []");
  EXPECT_EQ(configError(R"({"storeOptions": {"issue": "issue-1"}})"),
            R"(/storeOptions/issue: expected an object of options, got "issue-1")");
  EXPECT_EQ(configError(R"({"storeOptions": {"": {"storeId": "x"}}})"),
            "/storeOptions/: a store options name may not be empty");
}

TEST(Config, TemplateNameWithSlashIsEscapedInThePointer) {
  EXPECT_EQ(configError(R"({"storeOptions": {"a/b": {"storeId": "x", "gcTime": true}}})"),
            R"(/storeOptions/a~1b/gcTime: expected a non-negative integer or "Infinity", got true)");
}

// [SECTION] loadConfigFile and dirName

TEST(ConfigFile, LoadsWithBaseDirOfTheFile) {
  const std::string path = writeTemp("linear.json", kSpecExample);
  Result<Config> c = loadConfigFile(path);
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c->baseDir, fs::path(path).parent_path().string());
  EXPECT_EQ(c->templates.size(), 2u);
}

TEST(ConfigFile, ContentErrorsArePrefixedWithThePath) {
  const std::string path = writeTemp("bad-policy.json", R"({"registry": {"policy": "lngest"}})");
  EXPECT_EQ(loadConfigFile(path).message(),
            path + R"(: /registry/policy: unknown policy "lngest"; expected one of longest, first, last, shortest; did you mean "longest"?)");
}

TEST(ConfigFile, SyntaxErrorsKeepLineAndColumn) {
  const std::string path = writeTemp("syntax.json", "{\n\n   \"registry\" {}\n}");
  EXPECT_EQ(loadConfigFile(path).message(),
            path + ":3:15: syntax error while parsing object separator - unexpected '{'; expected ':'");
}

TEST(ConfigFile, MissingFileNamesThePath) {
  EXPECT_EQ(loadConfigFile("no/such/config.json").message(),
            "no/such/config.json: cannot read: No such file or directory");
}

TEST(DirName, ReturnsTheFolderOfAPath) {
  EXPECT_EQ(dirName("configs/linear.json"), "configs");
  EXPECT_EQ(dirName("a/b/c.json"), "a/b");
  EXPECT_EQ(dirName("linear.json"), ".");
  EXPECT_EQ(dirName("/linear.json"), "/");
  EXPECT_EQ(dirName("/etc/x.json"), "/etc");
  EXPECT_EQ(dirName("a//x.json"), "a");
}

}  // namespace
}  // namespace si
