// The bundled examples are executable documentation: every scenario must pass and every
// config must pass `check`.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "session.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> scenarios() { return filesIn(std::string(SI_ASSETS_DIR) + "/scenarios"); }
std::vector<std::string> configs() { return filesIn(std::string(SI_ASSETS_DIR) + "/configs"); }

// Runs a scenario file; returns a description of every failed step ("" when all pass).
std::string failuresOf(const std::string& path) {
  auto sc = si::loadScenarioFile(path, {});
  if (!sc) return "cannot load: " + sc.message();
  si::Session s(sc->config);
  std::string failures;
  for (const auto& step : sc->steps) {
    si::StepResult r = s.execute(step);
    if (r.ok) continue;
    failures += "step " + std::to_string(r.index) + " " + step.dump() + ": " + r.error + "\n";
    for (const auto& c : r.checks) {
      if (!c.passed) {
        failures += "  " + c.subject + " " + c.field + ": expected " + c.expected.dump() +
                    ", actual " + c.actual.dump() + "\n";
      }
    }
  }
  return failures;
}

int64_t countRows(const std::string& dbPath, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(dbPath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST(Examples, TheAssetsFolderHasTheScenariosTheReadmePromises) {
  std::vector<std::string> names;
  for (const auto& p : scenarios()) names.push_back(fs::path(p).filename().string());
  for (const char* want :
       {"workspace-singleton.json", "issue-navigation.json", "preload-hover.json",
        "longest-wins.json", "longest-wins-under-first.json", "longest-wins-under-last.json",
        "longest-wins-under-shortest.json", "ssr-default.json", "dependent-stores.json",
        "failing-store.json", "ownership-conflict.json", "drop-and-clear.json",
        "file-backed-rows.json", "ssr-registry-per-request.json", "ssr-module-scope-registry.json",
        "shutdown-page-hide.json", "identity-per-generation.json", "profiles-slow-load.json"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

TEST(Examples, EveryScenarioRunsWithZeroFailures) {
  const auto all = scenarios();
  ASSERT_FALSE(all.empty());
  for (const auto& path : all) {
    EXPECT_EQ(failuresOf(path), "") << path;
  }
}

TEST(Examples, EveryScenarioRunsWithExitZeroFromTheCommandLine) {
  std::vector<std::string> args = {"run"};
  for (const auto& p : scenarios()) args.push_back(p);
  std::ostringstream out, err;
  EXPECT_EQ(si::cli::run(args, nullptr, out, err), 0) << out.str() << err.str();
  EXPECT_EQ(err.str(), "");
}

TEST(Examples, EveryConfigPassesCheck) {
  const auto all = configs();
  ASSERT_FALSE(all.empty());
  for (const auto& path : all) {
    std::ostringstream out, err;
    EXPECT_EQ(si::cli::run({"check", path}, nullptr, out, err), 0) << path << "\n" << err.str();
    EXPECT_NE(out.str().find(path + ": ok (config"), std::string::npos) << out.str();
  }
}

TEST(Examples, EveryScenarioPassesCheck) {
  for (const auto& path : scenarios()) {
    std::ostringstream out, err;
    EXPECT_EQ(si::cli::run({"check", path}, nullptr, out, err), 0) << path << "\n" << err.str();
    EXPECT_EQ(err.str(), "") << path;
  }
}

TEST(Examples, TheBundledExampleConfigIsLinearJson) {
  const std::string p = si::cli::bundledExampleConfig();
  EXPECT_TRUE(fs::is_regular_file(p)) << p;
  EXPECT_EQ(fs::path(p).filename(), "linear.json");
  EXPECT_TRUE(si::loadConfigFile(p).ok());
}

TEST(Examples, FileBackedRowsSurviveDisposalAndAReloadSeesThem) {
  const std::string stores = std::string(SI_ASSETS_DIR) + "/configs/stores";  // linear.json: "directory": "stores"
  const std::string db = stores + "/issue-42.sqlite";
  ASSERT_EQ(failuresOf(std::string(SI_ASSETS_DIR) + "/scenarios/file-backed-rows.json"), "");
  // Two generations booted into one file; INSERT OR IGNORE keeps one row.
  EXPECT_EQ(countRows(db, "SELECT count(*) FROM issue"), 1);
  EXPECT_EQ(countRows(db, "SELECT count(*) FROM issue WHERE id = '42' AND title = 'Issue 42'"), 1);
  // A storeId with a slash stays inside the directory, percent-encoded.
  EXPECT_TRUE(fs::is_regular_file(stores + "/issue-a%2Fb.sqlite"));
  EXPECT_EQ(countRows(stores + "/issue-a%2Fb.sqlite", "SELECT count(*) FROM issue WHERE id = 'a/b'"), 1);
  EXPECT_FALSE(fs::exists(stores + "/issue-a"));
}

TEST(Examples, TheDesktopFileLaunchesTheBinary) {
  std::ifstream in(std::string(SI_ASSETS_DIR) + "/store-inspector.desktop");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("[Desktop Entry]\n"), std::string::npos);
  EXPECT_NE(text.str().find("\nExec=store-inspector %f\n"), std::string::npos);
  EXPECT_NE(text.str().find("\nType=Application\n"), std::string::npos);
}
