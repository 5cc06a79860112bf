// Hostile input: storeIds and params aimed at the file adapter, SQL in params, huge and deep
// JSON, invalid UTF-8. Each is refused with a clear error or handled; nothing crashes and no
// file is written outside the adapter's directory.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>

#include "config.hpp"
#include "session.hpp"
#include "store_db.hpp"
#include "test_dir.hpp"

namespace si {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test: <tmp>/hostile/<name>/{cfg,stores}; the config lives in cfg/ so a
// relative adapter directory "stores" is cfg/stores and everything else must stay untouched.
struct HostileFixture : ::testing::Test {
  fs::path root;
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root = fs::path(SI_TEST_TMP) / "hostile" / info->name();
    fs::remove_all(root);
    fs::create_directories(root / "cfg");
  }
  fs::path storeDir() const { return root / "cfg" / "stores"; }

  Config fileConfig() {
    const json c = json::parse(R"json({
      "storeOptions": {
        "issue": {"storeId": "issue-{id}", "gcTime": 10,
                  "adapter": {"type": "file", "directory": "stores"},
                  "schema": {"tables": {"issue": {"id": "TEXT PRIMARY KEY", "title": "TEXT"}}},
                  "boot": {"sql": ["INSERT OR IGNORE INTO issue(id, title) VALUES (:id, 'Issue ' || :id)"]}},
        "free": {"storeId": "{id}", "adapter": {"type": "file", "directory": "stores"}}
      }})json");
    Result<Config> cfg = parseConfig(c, (root / "cfg").string());
    EXPECT_TRUE(cfg.ok());
    return cfg.ok() ? *cfg : Config{};
  }

  // Every regular file under root: all must be directly inside storeDir() (no subfolders).
  void expectOnlyFlatStoreFiles() {
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.is_directory()) {
        EXPECT_TRUE(e.path() == root / "cfg" || e.path() == storeDir()) << "unexpected directory " << e.path();
        continue;
      }
      EXPECT_EQ(e.path().parent_path(), storeDir()) << "file outside the adapter directory: " << e.path();
    }
  }
};

std::string attachRaw(const std::string& observer, const std::string& storeId) {
  return json{{"attach", {{"observer", observer}, {"storeId", storeId},
                          {"adapter", {{"type", "file"}, {"directory", "stores"}}}}}}
      .dump();
}

// [SECTION] The file adapter

TEST_F(HostileFixture, StoreIdsAimedAtTheFileSystemStayInsideTheAdapterDirectory) {
  Session s(fileConfig());
  const std::vector<std::string> ids = {"../x",       "../../../../tmp/si-escape", "/abs",
                                        "/etc/passwd", "a/b",                      "..",
                                        ".",          "%2e%2e",                    "%2e%2e%2fx",
                                        "..\\..\\x",  "....//....//x",             ".hidden",
                                        "~root",      "stores/../../x",            "CON",
                                        "x.sqlite-wal", "-rf", "*", "$(touch pwned)", "a\xC3\xA9" "b"};
  int n = 0;
  for (const std::string& id : ids) {
    const std::string obs = "o" + std::to_string(n++);
    StepResult r = s.execute(json::parse(attachRaw(obs, id)));
    EXPECT_TRUE(r.error.empty()) << id << ": " << r.error;
  }
  ASSERT_TRUE(s.execute(json{{"advance", 0}}).error.empty());
  for (const std::string& id : ids) {
    const StoreRecord* st = s.registry().find(id);
    ASSERT_NE(st, nullptr) << id;
    EXPECT_EQ(st->state, State::Active) << id << ": " << st->error;
    ASSERT_NE(st->db, nullptr) << id;
    EXPECT_EQ(fs::path(st->db->path()).parent_path(), storeDir()) << id;
  }
  // Same through template params (the SPEC's unsanitized-param case).
  for (const char* id : {"../../p", "/abs-param", "a/b/c"}) {
    StepResult r = s.execute(json{{"attach", {{"observer", "p" + std::to_string(n++)}, {"use", "issue"},
                                              {"params", {{"id", id}}}}}});
    EXPECT_TRUE(r.error.empty()) << r.error;
  }
  ASSERT_TRUE(s.execute(json{{"advance", 0}}).error.empty());
  EXPECT_EQ(s.registry().counts().byState[size_t(State::Active)], ids.size() + 3);
  EXPECT_EQ(s.registry().find("issue-../../p")->lints,
            (std::vector<std::string>{"escaping", "unsanitized-param"}));
  expectOnlyFlatStoreFiles();
  EXPECT_FALSE(fs::exists("/tmp/si-escape.sqlite"));
  EXPECT_FALSE(fs::exists(root / "x.sqlite"));
}

TEST_F(HostileFixture, NulAndControlCharactersInAStoreIdAreRefusedByName) {
  Session s(fileConfig());
  StepResult r = s.execute(json::parse(attachRaw("o1", std::string("a\0b", 3))));
  EXPECT_EQ(r.error, "storeId: contains a control character (0x00 at byte 1)");
  r = s.execute(json{{"attach", {{"observer", "o2"}, {"use", "issue"}, {"params", {{"id", "x\ny"}}}}}});
  EXPECT_EQ(r.error, "storeId: contains a control character (0x0A at byte 7)");
  // The same from a file: JSON's \u0000 escape.
  Result<json> j = parseJsonText(R"({"attach": {"observer": "o3", "storeId": "a\u0000b"}})", "s.json");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(s.execute(*j).error, "storeId: contains a control character (0x00 at byte 1)");
  EXPECT_EQ(s.registry().counts().live, 0u);
  EXPECT_FALSE(fs::exists(storeDir()));
}

TEST_F(HostileFixture, VeryLongStoreIdsFailToLoadWithAClearErrorAndWriteNothing) {
  Session s(fileConfig());
  const std::string fits(248, 'a');           // + ".sqlite" = 255 bytes: the longest file name
  const std::string tooLong(249, 'a');
  const std::string huge(100000, 'b');
  const std::string escaped(150, '/');        // 450 bytes once percent-encoded
  EXPECT_TRUE(s.execute(json::parse(attachRaw("o1", fits))).error.empty());
  EXPECT_TRUE(s.execute(json::parse(attachRaw("o2", tooLong))).error.empty());
  EXPECT_TRUE(s.execute(json::parse(attachRaw("o3", huge))).error.empty());
  EXPECT_TRUE(s.execute(json::parse(attachRaw("o4", escaped))).error.empty());
  ASSERT_TRUE(s.execute(json{{"advance", 0}}).error.empty());
  EXPECT_EQ(s.registry().find(fits)->state, State::Active);
  for (const std::string* id : {&tooLong, &huge, &escaped}) {
    const StoreRecord* st = s.registry().find(*id);
    EXPECT_EQ(st->state, State::Failed);
    EXPECT_NE(st->error.find("more than the 255 a file name may have"), std::string::npos) << st->error;
    EXPECT_NE(std::find(st->lints.begin(), st->lints.end(), "long"), st->lints.end());
  }
  expectOnlyFlatStoreFiles();
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(storeDir())) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);
}

TEST_F(HostileFixture, StoreIdsDifferingOnlyInCaseAreDistinctStoresWithDistinctFiles) {
  Session s(fileConfig());
  for (const char* step : {
           R"({"attach": {"observer": "a", "use": "issue", "params": {"id": "abc"}}})",
           R"({"attach": {"observer": "b", "use": "issue", "params": {"id": "ABC"}}})",
           R"({"attach": {"observer": "c", "use": "issue", "params": {"id": "Abc"}}})",
           R"({"advance": 0})"}) {
    ASSERT_TRUE(s.execute(json::parse(step)).error.empty()) << step;
  }
  std::set<std::string> paths;
  for (const char* id : {"issue-abc", "issue-ABC", "issue-Abc"}) {
    const StoreRecord* st = s.registry().find(id);
    ASSERT_EQ(st->state, State::Active) << st->error;
    paths.insert(st->db->path());
    Result<QueryResult> q = st->db->query("SELECT id FROM issue");
    ASSERT_TRUE(q.ok());
    ASSERT_EQ(q->rows.size(), 1u);  // each file holds only its own row
  }
  EXPECT_EQ(paths.size(), 3u);
  expectOnlyFlatStoreFiles();
}

TEST_F(HostileFixture, SqlInParamsIsBoundAsTextNeverRun) {
  Session s(fileConfig());
  const std::string evil = "1'); DROP TABLE issue; --";
  const std::string evil2 = "x' || (SELECT sql FROM sqlite_schema) || '";
  ASSERT_TRUE(s.execute(json{{"attach", {{"observer", "a"}, {"use", "issue"}, {"params", {{"id", evil}}}}}}).error.empty());
  ASSERT_TRUE(s.execute(json{{"attach", {{"observer", "b"}, {"use", "issue"}, {"params", {{"id", evil2}}}}}}).error.empty());
  ASSERT_TRUE(s.execute(json{{"advance", 0}}).error.empty());
  for (const std::string& p : {evil, evil2}) {
    const StoreRecord* st = s.registry().find("issue-" + p);
    ASSERT_NE(st, nullptr);
    ASSERT_EQ(st->state, State::Active) << st->error;
    Result<QueryResult> q = st->db->query("SELECT id, title FROM issue");
    ASSERT_TRUE(q.ok()) << q.message();
    ASSERT_EQ(q->rows.size(), 1u);
    EXPECT_EQ(q->rows[0][0], p);
    EXPECT_EQ(q->rows[0][1], "Issue " + p);
  }
  // A query that tries to write is refused.
  Result<QueryResult> w = s.registry().find("issue-" + evil)->db->query("DROP TABLE issue");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.message().rfind("read-only: ", 0), 0u) << w.message();
  expectOnlyFlatStoreFiles();
}

// [SECTION] Size

TEST(HostileInput, AFiftyMegabyteConfigParsesAndItsStoresWork) {
  std::string text = R"({"registry": {"defaultOptions": {"syncPayload": {"blob": ")";
  text.append(50u << 20, 'x');
  text += R"("}}}, "storeOptions": {"big": {"storeId": "big-{n}"}}})";
  const auto start = std::chrono::steady_clock::now();
  Result<json> j = parseJsonText(text, "big.json");
  ASSERT_TRUE(j.ok()) << j.message();
  text.clear();
  text.shrink_to_fit();
  Result<Config> c = parseConfig(*j, ".");
  ASSERT_TRUE(c.ok()) << c.message();
  Session s(std::move(*c));
  ASSERT_TRUE(s.execute(json::parse(R"({"attach": {"observer": "a", "use": "big", "params": {"n": "1"}}})")).error.empty());
  ASSERT_TRUE(s.execute(json{{"advance", 0}}).error.empty());
  EXPECT_EQ(s.registry().find("big-1")->state, State::Active);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("50 MB config: parsed, validated and used in %.2f s\n", seconds);
  // And 50 MB of garbage is a located syntax error, not a crash.
  std::string garbage(50u << 20, '[');
  garbage[0] = '{';
  Result<json> g = parseJsonText(garbage, "garbage.json");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.message(), "garbage.json:1:513: nested deeper than 512 arrays and objects");
}

TEST(HostileInput, OneHundredThousandStoresInOneConfig) {
  constexpr int kStores = 100000;
  // Built in code: parsing a 100,000-key object from text takes ~13 s (optimised build),
  // because nlohmann's ordered_json checks each new key against every earlier one (O(n^2));
  // see ManyKeysInOneObjectParseInBoundedTime for the text path at a CI-sized count.
  json config = json::parse(R"({"registry": {"defaultOptions": {"gcTime": 5}}, "storeOptions": {}})");
  auto& templates = config["storeOptions"].get_ref<json::object_t&>();
  for (int k = 0; k < kStores; ++k) {
    templates.emplace_back("t" + std::to_string(k), json{{"storeId", "store-" + std::to_string(k)}});
  }
  Result<Config> c = parseConfig(config, ".");
  ASSERT_TRUE(c.ok()) << c.message();
  ASSERT_EQ(c->templates.size(), size_t(kStores));
  Session s(std::move(*c));
  for (int k = 0; k < kStores; ++k) s.execute(json{{"preload", {{"use", "t" + std::to_string(k)}}}});
  EXPECT_EQ(s.registry().counts().live, uint32_t(kStores));
  ASSERT_TRUE(s.execute(json{{"advance", 0}}).error.empty());
  EXPECT_EQ(s.registry().counts().byState[size_t(State::Inactive)], uint32_t(kStores));
  ASSERT_TRUE(s.execute(json{{"advance", 5}}).error.empty());
  EXPECT_EQ(s.registry().counts().live, 0u);
  EXPECT_EQ(s.registry().counts().byState[size_t(State::Disposed)], uint32_t(kStores));
}

TEST(HostileInput, ManyKeysInOneObjectParseInBoundedTime) {
  constexpr int kKeys = 20000;
  std::string text = R"({"storeOptions": {)";
  for (int k = 0; k < kKeys; ++k) {
    if (k) text += ",";
    text += "\"t" + std::to_string(k) + "\": {\"storeId\": \"store-" + std::to_string(k) + "\"}";
  }
  text += "}}";
  const auto start = std::chrono::steady_clock::now();
  Result<json> j = parseJsonText(text, "many.json");
  ASSERT_TRUE(j.ok()) << j.message();
  Result<Config> c = parseConfig(*j, ".");
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c->templates.size(), size_t(kKeys));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d templates from text: %.2f s (quadratic in the key count of one object)\n", kKeys, seconds);
}

// [SECTION] Nesting

TEST(HostileInput, DeeplyNestedJsonIsRefusedBeforeItCanOverflowTheStack) {
  const std::string arrays = std::string(100000, '[') + std::string(100000, ']');
  Result<json> a = parseJsonText(arrays, "deep.json");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.message(), "deep.json:1:513: nested deeper than 512 arrays and objects");

  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');
  Result<json> o = parseJsonText("\n" + objects, "deep.json");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.message(), "deep.json:2:2561: nested deeper than 512 arrays and objects");

  // Inside a scenario step, and inside a config's syncPayload: the same error with the path.
  const std::string scenario = R"({"config": {}, "steps": [{"attach": {"storeId": "x-1", "syncPayload": )" +
                               arrays + "}}]}";
  Result<json> sc = parseJsonText(scenario, "s.json");
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.message().find("s.json:1:"), std::string::npos);
  EXPECT_NE(sc.message().find("nested deeper than 512"), std::string::npos);

  // Brackets inside strings do not count; 512 levels are still fine.
  Result<json> quoted = parseJsonText("[\"" + std::string(100000, '[') + "\"]", "q.json");
  EXPECT_TRUE(quoted.ok());
  Result<json> limit = parseJsonText(std::string(512, '[') + std::string(512, ']'), "l.json");
  ASSERT_TRUE(limit.ok());
  json copy = *limit;  // copying and dumping recurse per level: fine at the limit
  EXPECT_EQ(copy.dump().size(), 1024u);
}

TEST(HostileInput, DeeplyNestedScenarioFileIsBadInputNotACrash) {
  const fs::path file = si::test::testDir("hostile") / "deep-scenario.json";
  const std::string text = R"({"config": {"registry": {"defaultOptions": {"debug": )" +
                           std::string(200000, '[') + std::string(200000, ']') + "}}}, \"steps\": []}";
  {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  Result<Scenario> sc = loadScenarioFile(file.string(), {});
  ASSERT_FALSE(sc.ok());
  // Four objects are open before the first '[': level 513 is the 509th bracket.
  const size_t column = text.find('[') + 509;
  EXPECT_EQ(sc.message(), file.string() + ":1:" + std::to_string(column) +
                              ": nested deeper than 512 arrays and objects");
}

// [SECTION] Invalid UTF-8

TEST(HostileInput, InvalidUtf8InAFileIsALocatedSyntaxError) {
  Result<json> j = parseJsonText("{\"storeOptions\": {\"a\xff\": {}}}", "bad.json");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.message().rfind("bad.json:1:", 0), 0u) << j.message();
  Result<json> overlong = parseJsonText("[\"\xC0\xAF\"]", "bad.json");
  EXPECT_FALSE(overlong.ok());
  Result<json> surrogate = parseJsonText(R"(["\ud800"])", "bad.json");
  EXPECT_FALSE(surrogate.ok());
}

TEST(HostileInput, InvalidUtf8BuiltInCodeIsAStepErrorNamingTheField) {
  Result<Config> c = parseConfig(json::parse(R"({"storeOptions": {"issue": {"storeId": "issue-{id}"}}})"), ".");
  ASSERT_TRUE(c.ok());
  Session s(std::move(*c));
  StepResult r = s.execute(json{{"attach", {{"observer", "a"}, {"storeId", "bad\xff"}}}});
  EXPECT_EQ(r.error, "step/attach/storeId: not valid UTF-8 (byte 3 is 0xFF)");
  r = s.execute(json{{"attach", {{"observer", "a"}, {"use", "issue"}, {"params", {{"id", "\xC3"}}}}}});
  EXPECT_EQ(r.error, "step/attach/params/id: not valid UTF-8 (byte 0 is 0xC3)");
  r = s.execute(json{{"preload", {{"storeId", "ok-1"}, {"syncPayload", {{"k\xfe", 1}}}}}});
  EXPECT_EQ(r.error, "step/preload/syncPayload key: not valid UTF-8 (byte 1 is 0xFE)");
  r = s.execute(json{{"attach", {{"observer", "\xed\xa0\x80"}, {"storeId", "ok-1"}}}});  // a surrogate
  EXPECT_EQ(r.error, "step/attach/observer: not valid UTF-8 (byte 0 is 0xED)");
  EXPECT_EQ(s.registry().counts().live, 0u);
  // The command log and results can still be written out (journals, transcripts).
  for (const auto& cmd : s.commands()) EXPECT_NO_THROW((void)cmd.dump());
  for (const auto& res : s.results()) EXPECT_NO_THROW((void)res.step.dump());
  // The registry API refuses the same without a session.
  Result<RequestId> q = s.registry().resolve(json{{"storeId", "x-1"}, {"signal", "\x80"}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.message(), "signal: not valid UTF-8 (byte 0 is 0x80)");
}

}  // namespace
}  // namespace si
