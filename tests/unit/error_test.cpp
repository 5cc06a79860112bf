// The one error vocabulary (error.hpp): how values are cut, and each builder's exact text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "error.hpp"

using namespace si;

// [SECTION] Quoting

TEST(ErrorText, TextUpTo80BytesIsKeptWhole) {
  EXPECT_EQ(cutText(std::string(80, 'a')), std::string(80, 'a'));
  EXPECT_EQ(cutText(""), "");
}

TEST(ErrorText, LongerTextIsCutAt80BytesWithAnEllipsis) {
  EXPECT_EQ(cutText(std::string(81, 'a')), std::string(80, 'a') + "...");
  EXPECT_EQ(cutText(std::string(100000, 'b')), std::string(80, 'b') + "...");
}

TEST(ErrorText, ACutNeverSplitsAUtf8Character) {
  // "é" is two bytes (C3 A9): at bytes 79 and 80 it straddles the cut, so it goes whole.
  const std::string text = std::string(79, 'a') + "\xC3\xA9" + "zz";
  EXPECT_EQ(cutText(text), std::string(79, 'a') + "...");
  // A three-byte character ending exactly at byte 80 is kept.
  const std::string euro = std::string(77, 'a') + "\xE2\x82\xAC" + "z";
  EXPECT_EQ(cutText(euro), std::string(77, 'a') + "\xE2\x82\xAC" + "...");
}

TEST(ErrorText, ValuesAreQuotedAsCompactJsonAndCut) {
  EXPECT_EQ(shortDump(json("x")), "\"x\"");
  EXPECT_EQ(shortDump(json::parse(R"({"a": [1, 2]})")), R"({"a":[1,2]})");
  EXPECT_EQ(shortDump(json(std::string(300, 'a'))), "\"" + std::string(79, 'a') + "...");
  // Invalid UTF-8 is replaced, never thrown.
  EXPECT_EQ(shortDump(json(std::string("a\xFF"))), "\"a\xEF\xBF\xBD\"");
}

TEST(ErrorText, ChildPathsEscapePointerCharactersAndCutKeys) {
  EXPECT_EQ(childPath("/storeOptions", "a/b~c"), "/storeOptions/a~1b~0c");
  EXPECT_EQ(childPath("", "gcTime"), "gcTime");
  EXPECT_EQ(childPath("/r", std::string(81, 'k')), "/r/" + std::string(80, 'k') + "...");
  EXPECT_EQ(Location::at("/registry").child("policy").pointer, "/registry/policy");
}

TEST(ErrorText, NearestSuggestsOnlyCloseShortWords) {
  EXPECT_EQ(nearest("polcy", {"policy", "environment"}), "policy");
  EXPECT_EQ(nearest("POLICY", {"policy"}), "policy");
  EXPECT_EQ(nearest("zzzzzz", {"policy"}), "");
  EXPECT_EQ(nearest(std::string(65, 'a'), {std::string(65, 'a')}), "");
  EXPECT_EQ(didYouMean("gcTme", {"gcTime"}), "; did you mean \"gcTime\"?");
  EXPECT_EQ(didYouMean("x", {"gcTime"}), "");
}

// [SECTION] Builders

TEST(ErrorText, ExpectedNamesWhatAndWhatWasFound) {
  const Error e = expected(Location::at("/registry"), "an object", json(3));
  EXPECT_EQ(e.message, "/registry: expected an object, got 3");
  EXPECT_EQ(e.id, ErrorId::Expected);
  EXPECT_EQ(e.where.pointer, "/registry");
  EXPECT_EQ(expectedError("gcTime", "a string", json(nullptr)).message, "gcTime: expected a string, got null");
}

TEST(ErrorText, UnknownKeySuggestsTheNearestKey) {
  const Error e = unknownKeyError("/registry/polcy", "key", "polcy", {"environment", "policy"});
  EXPECT_EQ(e.message, "/registry/polcy: unknown key; did you mean \"policy\"?");
  EXPECT_EQ(e.id, ErrorId::UnknownKey);
  EXPECT_EQ(unknownKeyError("/x", "key", "x", {"policy"}).message, "/x: unknown key");
}

TEST(ErrorText, UnknownNameListsTheNames) {
  const Error e = unknownNameError("--policy", "policy", "oldest", policyNames());
  EXPECT_EQ(e.message, "--policy: unknown policy \"oldest\"; expected one of longest, first, last, shortest");
  EXPECT_EQ(e.id, ErrorId::UnknownName);
  EXPECT_EQ(unknownNameError("--environment", "environment", "SSR", environmentNames()).message,
            "--environment: unknown environment \"SSR\"; expected one of browser, ssr; did you mean \"ssr\"?");
}

TEST(ErrorText, InvalidIsTheLocationAndTheText) {
  EXPECT_EQ(invalid(Location::at("/storeOptions/a"), "a table needs at least one column").message,
            "/storeOptions/a: a table needs at least one column");
  EXPECT_EQ(inputError("", "required").message, ": required");  // as the builders always did
}

TEST(ErrorText, LocatedPrefixesTheFileOnce) {
  const Error e = invalid(Location::at("/registry"), "bad").located("cfg.json");
  EXPECT_EQ(e.message, "cfg.json: /registry: bad");
  EXPECT_EQ(e.where.file, "cfg.json");
  EXPECT_EQ(e.where.str(), "cfg.json: /registry");
  EXPECT_EQ(e.id, ErrorId::Invalid);
}

TEST(ErrorText, SyntaxAndReadErrorsCarryTheirIdAndPlace) {
  const Error syntax = Error(ErrorId::Syntax, Location::inText("f.json", 3, 7), "oops");
  EXPECT_EQ(syntax.message, "f.json:3:7: oops");
  Result<json> parsed = parseJsonText("{\n  \"a\": }", "x.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().id, ErrorId::Syntax);
  EXPECT_EQ(parsed.error().where.line, 2u);
  EXPECT_EQ(parsed.error().where.file, "x.json");
  Result<json> missing = readJsonFile("no/such/file.json");
  EXPECT_EQ(missing.message(), "no/such/file.json: cannot read: No such file or directory");
  EXPECT_EQ(missing.error().id, ErrorId::Io);
}

TEST(ErrorText, EveryIdHasAName) {
  EXPECT_EQ(toString(ErrorId::Syntax), "syntax");
  EXPECT_EQ(toString(ErrorId::UnknownName), "unknown-name");
  EXPECT_EQ(toString(ErrorId::Invalid), "invalid");
}
