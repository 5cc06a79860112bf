// Option layers (SPEC 2.2, 2.6): validation of each layer with exact error text, storeId
// patterns, and mergeOptions with one test per precedence level and per merge rule.
#include <gtest/gtest.h>

#include "options.hpp"

namespace si {
namespace {

// Parsed like a file, so non-negative integers are unsigned exactly as in a config.
json J(const char* text) { return json::parse(text); }

std::string layerError(const char* text, Layer layer, const std::string& where) {
  Result<OptionLayer> r = parseOptionLayer(J(text), layer, where);
  return r.ok() ? std::string("(no error)") : r.message();
}
std::string requestError(const char* text) { return layerError(text, Layer::CallSite, ""); }

OptionLayer layerOf(const char* text, Layer layer) {
  Result<OptionLayer> r = parseOptionLayer(J(text), layer, "");
  EXPECT_TRUE(r.ok()) << text << " -> " << (r.ok() ? "" : r.message());
  return r.ok() ? *r : OptionLayer{};
}
OptionLayer registryOf(const char* text) { return layerOf(text, Layer::Registry); }
OptionLayer templateOf(const char* text) { return layerOf(text, Layer::Template); }
OptionLayer callSiteOf(const char* text) { return layerOf(text, Layer::CallSite); }

std::string spanError(const char* text) {
  Result<Span> r = parseSpan(J(text), "gcTime");
  return r.ok() ? std::string("(no error)") : r.message();
}

// [SECTION] Option table and suggestions

TEST(OptionTable, EveryOptionNameRoundTrips) {
  for (size_t i = 0; i < kOptionCount; ++i) {
    const auto k = static_cast<OptionKey>(i);
    EXPECT_EQ(parseOptionKey(toString(k)), k) << toString(k);
    EXPECT_FALSE(mergeRule(k).empty());
  }
  EXPECT_EQ(parseOptionKey("gctime"), std::nullopt);
}

TEST(OptionTable, RegistryAndRequestColumnsFollowTheSpecTable) {
  std::vector<std::string> registryOnly, requestOnly, both;
  for (size_t i = 0; i < kOptionCount; ++i) {
    const auto k = static_cast<OptionKey>(i);
    const std::string name(toString(k));
    if (allowedAtRegistry(k) && allowedAtRequest(k)) both.push_back(name);
    else if (allowedAtRegistry(k)) registryOnly.push_back(name);
    else if (allowedAtRequest(k)) requestOnly.push_back(name);
  }
  EXPECT_EQ(registryOnly, (std::vector<std::string>{"batchUpdates"}));
  EXPECT_EQ(requestOnly, (std::vector<std::string>{"boot", "schema", "adapter", "signal", "storeId"}));
  EXPECT_EQ(both, (std::vector<std::string>{"gcTime", "syncPayload", "otelOptions", "disableDevtools",
                                            "confirmUnsavedChanges", "debug"}));
}

TEST(Nearest, SuggestsANameOneEditAway) {
  EXPECT_EQ(nearest("gcTim", {"batchUpdates", "gcTime", "debug"}), "gcTime");
}

TEST(Nearest, CaseInsensitiveMatchIsClosest) {
  EXPECT_EQ(nearest("LOADMS", {"loadM", "loadMs"}), "loadMs");
}

TEST(Nearest, SwappedLettersCountAsOneEdit) {
  EXPECT_EQ(nearest("memroy", {"memory", "file", "none"}), "memory");
}

TEST(Nearest, NothingCloseGivesNoSuggestion) {
  EXPECT_EQ(nearest("zzz", {"gcTime", "debug"}), "");
  EXPECT_EQ(nearest("sync", {"syncPayload"}), "");
}

// [SECTION] Spans

TEST(Span, AcceptsZeroAndLargestIntegerAndInfinity) {
  EXPECT_EQ(*parseSpan(J("0"), "gcTime"), Span::finite(0));
  EXPECT_EQ(*parseSpan(J("5000"), "gcTime"), Span::finite(5000));
  EXPECT_EQ(*parseSpan(J("9223372036854775807"), "gcTime"), Span::finite(kMaxMs));
  EXPECT_EQ(*parseSpan(J(R"("Infinity")"), "gcTime"), Span::infinity());
  EXPECT_EQ(*parseSpan(json(int64_t{42}), "gcTime"), Span::finite(42));  // signed, built in code
}

TEST(Span, RejectsNegative) {
  EXPECT_EQ(spanError("-1"), R"(gcTime: expected a non-negative integer or "Infinity", got -1)");
}

TEST(Span, RejectsFraction) {
  EXPECT_EQ(spanError("1.5"), R"(gcTime: expected a non-negative integer or "Infinity", got 1.5)");
}

TEST(Span, RejectsExponentEvenWhenWhole) {
  EXPECT_EQ(spanError("1e3"), R"(gcTime: expected a non-negative integer or "Infinity", got 1000.0)");
  EXPECT_EQ(spanError("1.0"), R"(gcTime: expected a non-negative integer or "Infinity", got 1.0)");
}

TEST(Span, RejectsLowerCaseInfinityWithSuggestion) {
  EXPECT_EQ(spanError(R"("infinity")"),
            R"(gcTime: expected a non-negative integer or "Infinity", got "infinity"; did you mean "Infinity"?)");
}

TEST(Span, RejectsTwoToTheSixtyThird) {
  EXPECT_EQ(spanError("9223372036854775808"),
            R"(gcTime: expected a non-negative integer or "Infinity", got 9223372036854775808)");
}

TEST(Span, RejectsBooleanAndNull) {
  EXPECT_EQ(spanError("true"), R"(gcTime: expected a non-negative integer or "Infinity", got true)");
  EXPECT_EQ(spanError("null"), R"(gcTime: expected a non-negative integer or "Infinity", got null)");
  EXPECT_EQ(spanError(R"("5000")"), R"(gcTime: expected a non-negative integer or "Infinity", got "5000")");
}

// [SECTION] Layer validation

TEST(OptionLayer, KeepsTheJsonAsGivenInKeyOrder) {
  OptionLayer l = callSiteOf(R"({"signal": "s", "gcTime": 5, "debug": {"b": 1, "a": 2}})");
  EXPECT_EQ(l.raw.dump(), R"({"signal":"s","gcTime":5,"debug":{"b":1,"a":2}})");
  EXPECT_TRUE(l.has(OptionKey::Signal));
  EXPECT_FALSE(l.has(OptionKey::Boot));
  ASSERT_NE(l.get(OptionKey::GcTime), nullptr);
  EXPECT_EQ(*l.get(OptionKey::GcTime), 5);
  EXPECT_EQ(l.get(OptionKey::Adapter), nullptr);
}

TEST(OptionLayer, UnknownOptionSuggestsNearestName) {
  EXPECT_EQ(layerError(R"({"gcTim": 5})", Layer::Template, "/storeOptions/issue"),
            R"(/storeOptions/issue/gcTim: unknown option; did you mean "gcTime"?)");
}

TEST(OptionLayer, UnknownOptionInRequestHasNoLeadingSlash) {
  EXPECT_EQ(requestError(R"({"confirmUnsavedChange": true})"),
            R"(confirmUnsavedChange: unknown option; did you mean "confirmUnsavedChanges"?)");
}

TEST(OptionLayer, UnknownOptionWithNothingCloseHasNoSuggestion) {
  EXPECT_EQ(requestError(R"({"zzz": 1})"), "zzz: unknown option");
}

TEST(OptionLayer, RegistryRefusesEveryRequestOnlyOption) {
  const char* where = "/registry/defaultOptions";
  EXPECT_EQ(layerError(R"({"boot": {"sql": []}})", Layer::Registry, where),
            "/registry/defaultOptions/boot: not allowed in registry.defaultOptions (template or call-site only)");
  EXPECT_EQ(layerError(R"({"schema": {"tables": {}}})", Layer::Registry, where),
            "/registry/defaultOptions/schema: not allowed in registry.defaultOptions (template or call-site only)");
  EXPECT_EQ(layerError(R"({"adapter": {}})", Layer::Registry, where),
            "/registry/defaultOptions/adapter: not allowed in registry.defaultOptions (template or call-site only)");
  EXPECT_EQ(layerError(R"({"signal": "s"})", Layer::Registry, where),
            "/registry/defaultOptions/signal: not allowed in registry.defaultOptions (template or call-site only)");
  EXPECT_EQ(layerError(R"({"storeId": "x"})", Layer::Registry, where),
            "/registry/defaultOptions/storeId: not allowed in registry.defaultOptions (template or call-site only)");
}

TEST(OptionLayer, TemplateRefusesBatchUpdates) {
  EXPECT_EQ(layerError(R"({"batchUpdates": "react-dom"})", Layer::Template, "/storeOptions/issue"),
            "/storeOptions/issue/batchUpdates: not allowed in storeOptions (registry only)");
}

TEST(OptionLayer, CallSiteRefusesBatchUpdates) {
  EXPECT_EQ(requestError(R"({"batchUpdates": "react-dom"})"),
            "batchUpdates: not allowed at call-site (registry only)");
}

TEST(OptionLayer, MisplacedOptionIsReportedBeforeItsValue) {
  EXPECT_EQ(requestError(R"({"batchUpdates": 3})"), "batchUpdates: not allowed at call-site (registry only)");
}

TEST(OptionLayer, FirstErrorInFileOrderWins) {
  EXPECT_EQ(requestError(R"({"signal": 1, "gcTime": -1})"), "signal: expected a non-empty string, got 1");
}

TEST(OptionLayer, LayerMustBeAnObject) {
  EXPECT_EQ(layerError("[1]", Layer::Registry, "/registry/defaultOptions"),
            "/registry/defaultOptions: expected an object of options, got [1]");
}

TEST(OptionLayer, AcceptsEveryOptionAtItsLayers) {
  EXPECT_TRUE(parseOptionLayer(J(R"({"gcTime": 1, "batchUpdates": "react-dom", "syncPayload": [1, null],
      "otelOptions": {"a": 1}, "disableDevtools": "auto", "confirmUnsavedChanges": false,
      "debug": {}})"), Layer::Registry, "/registry/defaultOptions").ok());
  EXPECT_TRUE(parseOptionLayer(J(R"({"gcTime": "Infinity", "syncPayload": "x", "otelOptions": {},
      "disableDevtools": true, "confirmUnsavedChanges": true, "debug": {"a": {"b": 1}},
      "boot": {"sql": ["SELECT 1"]}, "schema": {"tables": {"t": {"id": "TEXT"}}},
      "adapter": {"type": "memory"}, "signal": "sig", "storeId": "s-1"})"), Layer::CallSite, "").ok());
}

TEST(OptionLayer, WrongValueTypesNameTheOptionAndTheValue) {
  EXPECT_EQ(requestError(R"({"gcTime": -5})"),
            R"(gcTime: expected a non-negative integer or "Infinity", got -5)");
  EXPECT_EQ(layerError(R"({"batchUpdates": 3})", Layer::Registry, "/registry/defaultOptions"),
            "/registry/defaultOptions/batchUpdates: expected a non-empty string, got 3");
  EXPECT_EQ(requestError(R"({"otelOptions": [1]})"), "otelOptions: expected an object, got [1]");
  EXPECT_EQ(requestError(R"({"disableDevtools": "yes"})"),
            R"(disableDevtools: expected true, false or "auto", got "yes")");
  EXPECT_EQ(requestError(R"({"confirmUnsavedChanges": "true"})"),
            R"(confirmUnsavedChanges: expected true or false, got "true")");
  EXPECT_EQ(requestError(R"({"debug": 1})"), "debug: expected an object, got 1");
  EXPECT_EQ(requestError(R"({"signal": ""})"), R"(signal: expected a non-empty string, got "")");
  EXPECT_EQ(requestError(R"({"storeId": 7})"), "storeId: expected a non-empty string, got 7");
}

TEST(OptionLayer, LongValuesAreCutInMessages) {
  std::string big = "{\"debug\": [";
  for (int i = 0; i < 100; ++i) big += (i ? ",1000" : "1000");
  big += "]}";
  const std::string m = requestError(big.c_str());
  EXPECT_EQ(m.rfind("debug: expected an object, got [1000,1000,", 0), 0u) << m;
  EXPECT_EQ(m.substr(m.size() - 3), "...");
  EXPECT_LT(m.size(), 140u);
}

TEST(OptionLayer, PointerTokensEscapeSlashAndTilde) {
  EXPECT_EQ(layerError(R"({"a/b~c": 1})", Layer::Template, "/storeOptions/x"),
            "/storeOptions/x/a~1b~0c: unknown option");
}

// [SECTION] adapter

TEST(Adapter, EmptyObjectMeansNoDatabaseNoDelayNoFailure) {
  Result<AdapterSpec> a = parseAdapter(J("{}"), "adapter");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->type, AdapterType::None);
  EXPECT_EQ(a->loadMs, Span::finite(0));
  EXPECT_FALSE(a->fail.fails(1));
  EXPECT_EQ(a->directory, "");
}

TEST(Adapter, ParsesEveryField) {
  Result<AdapterSpec> a =
      parseAdapter(J(R"({"type": "file", "directory": "db", "loadMs": 150, "fail": "disk full"})"), "adapter");
  ASSERT_TRUE(a.ok()) << a.message();
  EXPECT_EQ(a->type, AdapterType::File);
  EXPECT_EQ(a->directory, "db");
  EXPECT_EQ(a->loadMs, Span::finite(150));
  EXPECT_TRUE(a->fail.fails(1));
  EXPECT_EQ(a->fail.message, "disk full");
  EXPECT_EQ(parseAdapter(J(R"({"type": "memory", "loadMs": "Infinity"})"), "adapter")->loadMs, Span::infinity());
}

TEST(Adapter, FileAdapterWithoutDirectoryUsesStores) {
  EXPECT_EQ(parseAdapter(J(R"({"type": "file"})"), "adapter")->directory, "stores");
  EXPECT_EQ(parseAdapter(J(R"({"type": "memory"})"), "adapter")->directory, "");
}

TEST(Adapter, UnknownKeySuggestsNearest) {
  EXPECT_EQ(requestError(R"({"adapter": {"type": "memory", "lodMs": 5}})"),
            R"(adapter/lodMs: unknown key; did you mean "loadMs"?)");
  EXPECT_EQ(layerError(R"({"adapter": {"typ": "memory"}})", Layer::Template, "/storeOptions/issue"),
            R"(/storeOptions/issue/adapter/typ: unknown key; did you mean "type"?)");
}

TEST(Adapter, UnknownTypeListsTheTypesAndSuggests) {
  EXPECT_EQ(requestError(R"({"adapter": {"type": "memroy"}})"),
            R"(adapter/type: unknown adapter type "memroy"; expected one of memory, file, none, external; did you mean "memory"?)");
  EXPECT_EQ(requestError(R"({"adapter": {"type": 1}})"),
            "adapter/type: expected one of memory, file, none, external, got 1");
}

TEST(Adapter, BadDirectoryAndLoadMs) {
  EXPECT_EQ(requestError(R"({"adapter": {"type": "file", "directory": ""}})"),
            R"(adapter/directory: expected a non-empty directory path, got "")");
  EXPECT_EQ(requestError(R"({"adapter": {"loadMs": -1}})"),
            R"(adapter/loadMs: expected a non-negative integer or "Infinity", got -1)");
}

TEST(Adapter, MustBeAnObject) {
  EXPECT_EQ(requestError(R"({"adapter": "memory"})"),
            R"(adapter: expected an object such as {"type": "memory"}, got "memory")");
}

TEST(Fail, FalseNeverFailsTrueAlwaysFails) {
  EXPECT_FALSE(parseFail(J("false"), "fail")->fails(1));
  EXPECT_TRUE(parseFail(J("true"), "fail")->fails(1));
  EXPECT_TRUE(parseFail(J("true"), "fail")->fails(7));
  EXPECT_EQ(parseFail(J("true"), "fail")->message, "");
}

TEST(Fail, MessageFailsEveryGenerationWithThatMessage) {
  Result<FailSpec> f = parseFail(J(R"("network down")"), "fail");
  EXPECT_TRUE(f->fails(2));
  EXPECT_EQ(f->message, "network down");
}

TEST(Fail, GenerationsFailOnlyThoseGenerations) {
  Result<FailSpec> f = parseFail(J(R"({"generations": [1, 3], "message": "flaky"})"), "fail");
  ASSERT_TRUE(f.ok()) << f.message();
  EXPECT_TRUE(f->fails(1));
  EXPECT_FALSE(f->fails(2));
  EXPECT_TRUE(f->fails(3));
  EXPECT_EQ(f->message, "flaky");
  EXPECT_FALSE(parseFail(J(R"({"generations": []})"), "fail")->fails(1));
}

TEST(Fail, BadValuesNameThePath) {
  EXPECT_EQ(requestError(R"({"adapter": {"fail": 3}})"),
            R"(adapter/fail: expected false, true, a message or {"generations": [1, 3], "message": "..."}, got 3)");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"generations": [1, 0]}}})"),
            "adapter/fail/generations/1: expected a generation number (1, 2, ...), got 0");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"generations": [1.5]}}})"),
            "adapter/fail/generations/0: expected a generation number (1, 2, ...), got 1.5");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"generations": [4294967296]}}})"),
            "adapter/fail/generations/0: expected a generation number (1, 2, ...), got 4294967296");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"generations": 1}}})"),
            "adapter/fail/generations: expected an array of generation numbers, got 1");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"message": "x"}}})"),
            "adapter/fail/generations: required (the generations that fail)");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"generations": [1], "mesage": "x"}}})"),
            R"(adapter/fail/mesage: unknown key; did you mean "message"?)");
  EXPECT_EQ(requestError(R"({"adapter": {"fail": {"generations": [1], "message": 2}}})"),
            "adapter/fail/message: expected a string, got 2");
}

// [SECTION] schema and boot

TEST(Schema, KeepsTablesAndColumnsInFileOrder) {
  Result<SchemaSpec> s = parseSchema(
      J(R"({"tables": {"issue": {"id": "TEXT PRIMARY KEY", "title": "TEXT"}, "comment": {"body": ""}}})"),
      "schema");
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(s->tables.size(), 2u);
  EXPECT_EQ(s->tables[0].name, "issue");
  EXPECT_EQ(s->tables[0].columns,
            (std::vector<std::pair<std::string, std::string>>{{"id", "TEXT PRIMARY KEY"}, {"title", "TEXT"}}));
  EXPECT_EQ(s->tables[1].name, "comment");
  EXPECT_EQ(s->tables[1].columns[0].second, "");
}

TEST(Schema, BadTableNameIsAnInputError) {
  EXPECT_EQ(layerError(R"({"schema": {"tables": {"is-sue": {"id": "TEXT"}}}})", Layer::Template,
                       "/storeOptions/issue"),
            R"(/storeOptions/issue/schema/tables/is-sue: invalid table name "is-sue"; expected [A-Za-z_][A-Za-z0-9_]*)");
}

TEST(Schema, BadColumnNameIsAnInputError) {
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"issue": {"1id": "TEXT"}}}})"),
            R"(schema/tables/issue/1id: invalid column name "1id"; expected [A-Za-z_][A-Za-z0-9_]*)");
}

TEST(Schema, ColumnTypeMayNotContainSemicolon) {
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"issue": {"id": "TEXT); DROP TABLE x; --"}}}})"),
            R"(schema/tables/issue/id: a column type may not contain ";", got "TEXT); DROP TABLE x; --")");
}

TEST(Schema, ColumnTypeMustBeAString) {
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"issue": {"id": 1}}}})"),
            R"(schema/tables/issue/id: expected a SQL type string such as "TEXT", got 1)");
}

TEST(Schema, ShapeErrors) {
  EXPECT_EQ(requestError(R"({"schema": []})"),
            R"(schema: expected an object such as {"tables": {"issue": {"id": "TEXT PRIMARY KEY"}}}, got [])");
  EXPECT_EQ(requestError(R"({"schema": {}})"), "schema/tables: required");
  EXPECT_EQ(requestError(R"({"schema": {"table": {}}})"),
            R"(schema/table: unknown key; did you mean "tables"?)");
  EXPECT_EQ(requestError(R"({"schema": {"tables": []}})"),
            "schema/tables: expected an object of tables {name: {column: type}}, got []");
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"issue": "id TEXT"}}})"),
            R"(schema/tables/issue: expected an object of columns {name: "SQL type"}, got "id TEXT")");
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"issue": {}}}})"),
            "schema/tables/issue: a table needs at least one column");
}

TEST(Schema, NamesSQLiteWouldRefuseAreCaughtWhenRead) {
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"sqlite_stat": {"id": "TEXT"}}}})"),
            R"(schema/tables/sqlite_stat: table name "sqlite_stat" is reserved by SQLite)");
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"t": {"id": "TEXT", "ID": "TEXT"}}}})"),
            R"(schema/tables/t/ID: duplicate column name "ID" (SQL names ignore case))");
  EXPECT_EQ(requestError(R"({"schema": {"tables": {"t": {"id": "TEXT"}, "T": {"id": "TEXT"}}}})"),
            R"(schema/tables/T: duplicate table name "T" (SQL names ignore case))");
}

TEST(Boot, ParsesStatementsInOrder) {
  Result<std::vector<std::string>> b = parseBoot(J(R"({"sql": ["SELECT 1", "SELECT 2"]})"), "boot");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(Boot, ShapeErrors) {
  EXPECT_EQ(requestError(R"({"boot": ["SELECT 1"]})"),
            R"(boot: expected an object such as {"sql": ["INSERT ..."]}, got ["SELECT 1"])");
  EXPECT_EQ(requestError(R"({"boot": {}})"), "boot/sql: required (an array of SQL statements)");
  EXPECT_EQ(requestError(R"({"boot": {"sqll": []}})"), R"(boot/sqll: unknown key; did you mean "sql"?)");
  EXPECT_EQ(requestError(R"({"boot": {"sql": "SELECT 1"}})"),
            R"(boot/sql: expected an array of SQL statements, got "SELECT 1")");
  EXPECT_EQ(requestError(R"({"boot": {"sql": ["SELECT 1", 2]}})"), "boot/sql/1: expected a SQL statement, got 2");
  EXPECT_EQ(requestError(R"({"boot": {"sql": ["  "]}})"), R"(boot/sql/0: expected a SQL statement, got "  ")");
}

// [SECTION] storeId patterns

TEST(StoreIdPattern, PlaceholdersAreUniqueInOrderOfFirstAppearance) {
  Result<StoreIdPattern> p = StoreIdPattern::parse("org-{org}-issue-{issueId}-{org}", "storeId");
  ASSERT_TRUE(p.ok()) << p.message();
  EXPECT_EQ(p->text, "org-{org}-issue-{issueId}-{org}");
  EXPECT_EQ(p->placeholders, (std::vector<std::string>{"org", "issueId"}));
  EXPECT_TRUE(p->isTemplate());
}

TEST(StoreIdPattern, PlainTextIsNotATemplate) {
  Result<StoreIdPattern> p = StoreIdPattern::parse("workspace-root", "storeId");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->isTemplate());
}

TEST(StoreIdPattern, UnclosedBraceIsUnbalanced) {
  EXPECT_EQ(StoreIdPattern::parse("issue-{issueId", "/storeOptions/issue/storeId").message(),
            R"(/storeOptions/issue/storeId: unbalanced "{" at byte 6)");
}

TEST(StoreIdPattern, StrayClosingBraceIsUnbalanced) {
  EXPECT_EQ(StoreIdPattern::parse("issue-}", "storeId").message(), R"(storeId: unbalanced "}" at byte 6)");
  EXPECT_EQ(StoreIdPattern::parse("{a}}", "storeId").message(), R"(storeId: unbalanced "}" at byte 3)");
}

TEST(StoreIdPattern, NestedBraceIsUnbalanced) {
  EXPECT_EQ(StoreIdPattern::parse("a{b{c}}", "storeId").message(), R"(storeId: unbalanced "{" at byte 1)");
}

TEST(StoreIdPattern, BadPlaceholderNames) {
  EXPECT_EQ(StoreIdPattern::parse("x-{1x}", "storeId").message(),
            R"(storeId: invalid placeholder name "1x" at byte 2; expected [A-Za-z_][A-Za-z0-9_]*)");
  EXPECT_EQ(StoreIdPattern::parse("x-{}", "storeId").message(),
            R"(storeId: invalid placeholder name "" at byte 2; expected [A-Za-z_][A-Za-z0-9_]*)");
  EXPECT_EQ(StoreIdPattern::parse("{a-b}", "storeId").message(),
            R"(storeId: invalid placeholder name "a-b" at byte 0; expected [A-Za-z_][A-Za-z0-9_]*)");
}

TEST(StoreIdPattern, EmptyIsAnError) {
  EXPECT_EQ(StoreIdPattern::parse("", "storeId").message(), "storeId: a storeId may not be empty");
}

// [SECTION] mergeOptions: precedence of gcTime

TEST(MergeGcTime, BrowserEnvironmentDefaultIs60000) {
  EffectiveOptions e = mergeOptions(Environment::Browser, nullptr, nullptr, nullptr);
  EXPECT_EQ(e.gcTime, Span::finite(60000));
  EXPECT_EQ(e.gcTimeLayer, Layer::Environment);
  ASSERT_NE(e.get(OptionKey::GcTime), nullptr);
  EXPECT_EQ(e.get(OptionKey::GcTime)->value, 60000);
  EXPECT_EQ(e.get(OptionKey::GcTime)->layer, Layer::Environment);
}

TEST(MergeGcTime, SsrEnvironmentDefaultIsInfinity) {
  EffectiveOptions e = mergeOptions(Environment::Ssr, nullptr, nullptr, nullptr);
  EXPECT_EQ(e.gcTime, Span::infinity());
  EXPECT_EQ(e.gcTimeLayer, Layer::Environment);
  EXPECT_EQ(e.get(OptionKey::GcTime)->value, "Infinity");
}

TEST(MergeGcTime, RegistryDefaultOverridesEnvironment) {
  OptionLayer r = registryOf(R"({"gcTime": 30000})");
  EffectiveOptions e = mergeOptions(Environment::Ssr, &r, nullptr, nullptr);
  EXPECT_EQ(e.gcTime, Span::finite(30000));
  EXPECT_EQ(e.gcTimeLayer, Layer::Registry);
}

TEST(MergeGcTime, TemplateOverridesRegistry) {
  OptionLayer r = registryOf(R"({"gcTime": 30000})");
  OptionLayer t = templateOf(R"({"gcTime": "Infinity"})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, nullptr);
  EXPECT_EQ(e.gcTime, Span::infinity());
  EXPECT_EQ(e.gcTimeLayer, Layer::Template);
  EXPECT_EQ(e.get(OptionKey::GcTime)->value, "Infinity");
}

TEST(MergeGcTime, CallSiteOverridesTemplate) {
  OptionLayer r = registryOf(R"({"gcTime": 30000})");
  OptionLayer t = templateOf(R"({"gcTime": 20000})");
  OptionLayer c = callSiteOf(R"({"gcTime": 0})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, &c);
  EXPECT_EQ(e.gcTime, Span::finite(0));
  EXPECT_EQ(e.gcTimeLayer, Layer::CallSite);
  EXPECT_EQ(e.get(OptionKey::GcTime)->layer, Layer::CallSite);
  EXPECT_FALSE(e.get(OptionKey::GcTime)->merged);
}

TEST(MergeGcTime, LayerWithoutGcTimeFallsThrough) {
  OptionLayer r = registryOf(R"({"gcTime": 30000})");
  OptionLayer t = templateOf(R"({"signal": "s"})");
  OptionLayer c = callSiteOf(R"({})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, &c);
  EXPECT_EQ(e.gcTime, Span::finite(30000));
  EXPECT_EQ(e.gcTimeLayer, Layer::Registry);
}

// [SECTION] mergeOptions: one test per merge rule

TEST(MergeRule, BatchUpdatesComesFromTheRegistryOnly) {
  OptionLayer r = registryOf(R"({"batchUpdates": "react-dom"})");
  OptionLayer c;  // hand-built: parseOptionLayer would refuse it
  c.raw = J(R"({"batchUpdates": "solid"})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, nullptr, &c);
  ASSERT_NE(e.get(OptionKey::BatchUpdates), nullptr);
  EXPECT_EQ(e.get(OptionKey::BatchUpdates)->value, "react-dom");
  EXPECT_EQ(e.get(OptionKey::BatchUpdates)->layer, Layer::Registry);
}

TEST(MergeRule, SyncPayloadOfAHigherLayerReplacesTheWholeValue) {
  OptionLayer r = registryOf(R"({"syncPayload": {"authToken": "t", "region": "eu"}})");
  OptionLayer t = templateOf(R"({"syncPayload": {"authToken": "u"}})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, nullptr);
  EXPECT_EQ(e.get(OptionKey::SyncPayload)->value, J(R"({"authToken": "u"})"));
  EXPECT_EQ(e.get(OptionKey::SyncPayload)->layer, Layer::Template);
  EXPECT_FALSE(e.get(OptionKey::SyncPayload)->merged);
}

TEST(MergeRule, OtelOptionsMergeShallowlyHigherLayerWinsPerKey) {
  OptionLayer r = registryOf(R"({"otelOptions": {"service": "app", "tracer": {"sample": 1}}})");
  OptionLayer t = templateOf(R"({"otelOptions": {"span": "issue"}})");
  OptionLayer c = callSiteOf(R"({"otelOptions": {"service": "page", "tracer": {"debug": true}}})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, &c);
  const EffectiveOption* o = e.get(OptionKey::OtelOptions);
  ASSERT_NE(o, nullptr);
  // Shallow: the call-site's "tracer" replaces the registry's, it is not merged into it.
  EXPECT_EQ(o->value.dump(), R"({"service":"page","tracer":{"debug":true},"span":"issue"})");
  EXPECT_EQ(o->layer, Layer::CallSite);
  EXPECT_TRUE(o->merged);
}

TEST(MergeRule, ObjectFromOneLayerIsNotMarkedMerged) {
  OptionLayer t = templateOf(R"({"otelOptions": {"span": "issue"}, "debug": {"a": 1}})");
  EffectiveOptions e = mergeOptions(Environment::Browser, nullptr, &t, nullptr);
  EXPECT_FALSE(e.get(OptionKey::OtelOptions)->merged);
  EXPECT_EQ(e.get(OptionKey::OtelOptions)->layer, Layer::Template);
  EXPECT_FALSE(e.get(OptionKey::Debug)->merged);
}

TEST(MergeRule, DisableDevtoolsHigherLayerOverrides) {
  OptionLayer r = registryOf(R"({"disableDevtools": "auto"})");
  OptionLayer c = callSiteOf(R"({"disableDevtools": true})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, nullptr, &c);
  EXPECT_EQ(e.get(OptionKey::DisableDevtools)->value, true);
  EXPECT_EQ(e.get(OptionKey::DisableDevtools)->layer, Layer::CallSite);
  EXPECT_FALSE(e.get(OptionKey::DisableDevtools)->merged);
}

TEST(MergeRule, ConfirmUnsavedChangesHigherLayerOverrides) {
  OptionLayer r = registryOf(R"({"confirmUnsavedChanges": true})");
  OptionLayer t = templateOf(R"({"confirmUnsavedChanges": false})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, nullptr);
  EXPECT_EQ(e.get(OptionKey::ConfirmUnsavedChanges)->value, false);
  EXPECT_EQ(e.get(OptionKey::ConfirmUnsavedChanges)->layer, Layer::Template);
}

TEST(MergeRule, DebugDeepMergesObjectsAndReplacesScalarsAndArrays) {
  OptionLayer r = registryOf(R"({"debug": {"log": {"level": "info", "tags": ["a", "b"]}, "trace": true}})");
  OptionLayer t = templateOf(R"({"debug": {"log": {"color": false}}})");
  OptionLayer c = callSiteOf(R"({"debug": {"log": {"tags": ["c"]}, "trace": {"on": 1}}})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, &t, &c);
  const EffectiveOption* d = e.get(OptionKey::Debug);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->value.dump(), R"({"log":{"level":"info","tags":["c"],"color":false},"trace":{"on":1}})");
  EXPECT_EQ(d->layer, Layer::CallSite);
  EXPECT_TRUE(d->merged);
}

TEST(MergeRule, AdapterComesWholeFromTheHighestRequestLayer) {
  OptionLayer t = templateOf(R"({"adapter": {"type": "file", "directory": "db", "loadMs": 150}})");
  OptionLayer c = callSiteOf(R"({"adapter": {"type": "memory"}})");
  EffectiveOptions e = mergeOptions(Environment::Browser, nullptr, &t, &c);
  EXPECT_EQ(e.get(OptionKey::Adapter)->value, J(R"({"type": "memory"})"));
  EXPECT_EQ(e.get(OptionKey::Adapter)->layer, Layer::CallSite);
  EXPECT_FALSE(e.get(OptionKey::Adapter)->merged);
  EXPECT_EQ(e.adapter.type, AdapterType::Memory);
  EXPECT_EQ(e.adapter.loadMs, Span::finite(0));  // not inherited from the template
  EXPECT_EQ(e.adapter.directory, "");
}

TEST(MergeRule, SchemaBootAndSignalComeFromTheTemplateWhenTheCallSiteHasNone) {
  OptionLayer t = templateOf(R"j({"schema": {"tables": {"issue": {"id": "TEXT PRIMARY KEY"}}},
      "boot": {"sql": ["INSERT INTO issue(id) VALUES (:issueId)"]}, "signal": "issueSignal",
      "adapter": {"type": "file", "loadMs": 150, "fail": {"generations": [2]}}})j");
  OptionLayer c = callSiteOf(R"({"gcTime": 5})");
  EffectiveOptions e = mergeOptions(Environment::Browser, nullptr, &t, &c);
  EXPECT_EQ(e.get(OptionKey::Schema)->layer, Layer::Template);
  EXPECT_EQ(e.get(OptionKey::Boot)->layer, Layer::Template);
  EXPECT_EQ(e.get(OptionKey::Signal)->value, "issueSignal");
  ASSERT_EQ(e.schema.tables.size(), 1u);
  EXPECT_EQ(e.schema.tables[0].name, "issue");
  EXPECT_EQ(e.bootSql, (std::vector<std::string>{"INSERT INTO issue(id) VALUES (:issueId)"}));
  EXPECT_EQ(e.adapter.type, AdapterType::File);
  EXPECT_EQ(e.adapter.directory, "stores");
  EXPECT_EQ(e.adapter.loadMs, Span::finite(150));
  EXPECT_FALSE(e.adapter.fail.fails(1));
  EXPECT_TRUE(e.adapter.fail.fails(2));
}

TEST(MergeRule, StoreIdComesFromTheHighestRequestLayer) {
  OptionLayer t = templateOf(R"({"storeId": "a"})");
  OptionLayer c = callSiteOf(R"({"storeId": "b"})");
  EffectiveOptions e = mergeOptions(Environment::Browser, nullptr, &t, &c);
  EXPECT_EQ(e.get(OptionKey::StoreId)->value, "b");
  EXPECT_EQ(e.get(OptionKey::StoreId)->layer, Layer::CallSite);
}

TEST(MergeRule, WithoutAdapterSchemaOrBootTheDefaultsApply) {
  OptionLayer r = registryOf(R"({"gcTime": 1})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, nullptr, nullptr);
  EXPECT_EQ(e.adapter.type, AdapterType::None);
  EXPECT_EQ(e.adapter.loadMs, Span::finite(0));
  EXPECT_FALSE(e.adapter.fail.fails(1));
  EXPECT_TRUE(e.schema.tables.empty());
  EXPECT_TRUE(e.bootSql.empty());
}

TEST(MergeRule, ByKeyHoldsOnlyGivenOptionsPlusGcTime) {
  OptionLayer r = registryOf(R"({"batchUpdates": "react-dom"})");
  OptionLayer c = callSiteOf(R"({"signal": "s"})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, nullptr, &c);
  std::vector<std::string> present;
  for (size_t i = 0; i < kOptionCount; ++i) {
    if (e.byKey[i]) present.emplace_back(toString(static_cast<OptionKey>(i)));
  }
  EXPECT_EQ(present, (std::vector<std::string>{"gcTime", "batchUpdates", "signal"}));
}

// [SECTION] toJson and differingKeys

TEST(EffectiveOptionsJson, ListsEffectiveValuesInOptionOrder) {
  OptionLayer r = registryOf(R"({"syncPayload": 1, "gcTime": 7})");
  OptionLayer c = callSiteOf(R"({"signal": "s", "debug": {"x": 1}})");
  EffectiveOptions e = mergeOptions(Environment::Browser, &r, nullptr, &c);
  EXPECT_EQ(e.toJson().dump(), R"({"gcTime":7,"syncPayload":1,"debug":{"x":1},"signal":"s"})");
}

TEST(EffectiveOptionsJson, InfiniteGcTimeIsTheStringInfinity) {
  EffectiveOptions e = mergeOptions(Environment::Ssr, nullptr, nullptr, nullptr);
  EXPECT_EQ(e.toJson().dump(), R"({"gcTime":"Infinity"})");
  EXPECT_EQ(spanToJson(Span::finite(5)), 5);
}

TEST(DifferingKeys, IgnoresGcTimeAndStoreId) {
  OptionLayer a = callSiteOf(R"({"gcTime": 1, "storeId": "a"})");
  OptionLayer b = callSiteOf(R"({"gcTime": 2, "storeId": "b"})");
  EXPECT_TRUE(differingKeys(mergeOptions(Environment::Browser, nullptr, nullptr, &a),
                            mergeOptions(Environment::Browser, nullptr, nullptr, &b))
                  .empty());
}

TEST(DifferingKeys, ListsChangedAddedAndRemovedOptionsInOptionOrder) {
  OptionLayer a = callSiteOf(R"({"signal": "s", "adapter": {"type": "memory"}, "debug": {"x": 1}})");
  OptionLayer b = callSiteOf(R"({"adapter": {"type": "file"}, "debug": {"x": 1}, "syncPayload": 0})");
  EXPECT_EQ(differingKeys(mergeOptions(Environment::Browser, nullptr, nullptr, &a),
                          mergeOptions(Environment::Browser, nullptr, nullptr, &b)),
            (std::vector<std::string>{"syncPayload", "adapter", "signal"}));
}

TEST(DifferingKeys, ObjectKeyOrderDoesNotCount) {
  OptionLayer a = callSiteOf(R"({"otelOptions": {"a": 1, "b": {"c": 1, "d": 2}}})");
  OptionLayer b = callSiteOf(R"({"otelOptions": {"b": {"d": 2, "c": 1}, "a": 1}})");
  EXPECT_TRUE(differingKeys(mergeOptions(Environment::Browser, nullptr, nullptr, &a),
                            mergeOptions(Environment::Browser, nullptr, nullptr, &b))
                  .empty());
}

}  // namespace
}  // namespace si
