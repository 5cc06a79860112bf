// Dry runs never write where the files they read say (SPEC 2.6): check's scratch folder,
// adapter directories that leave the config's folder, and compare's per-policy copies.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "cli_outcome.hpp"
#include "registry.hpp"
#include "scratch_dir.hpp"
#include "session.hpp"
#include "store_id.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;
using si::json;

namespace {

using si::test::cli;
using si::test::Outcome;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

size_t filesBelow(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

// Points TMPDIR at a folder of the test's own for the test's duration.
struct TmpDirOverride {
  std::string saved;
  bool had = false;
  explicit TmpDirOverride(const fs::path& dir) {
    if (const char* t = std::getenv("TMPDIR")) saved = t, had = true;
    fs::create_directories(dir);
    ::setenv("TMPDIR", dir.c_str(), 1);
  }
  ~TmpDirOverride() {
    if (had)
      ::setenv("TMPDIR", saved.c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
};

// A scenario whose file-backed store writes into `directory` (as written in the config).
std::string fileStoreScenario(const std::string& directory) {
  return json{{"name", "file store"},
              {"config",
               {{"storeOptions",
                 {{"doc",
                   {{"storeId", "doc-{id}"},
                    {"adapter", {{"type", "file"}, {"directory", directory}}},
                    {"schema", {{"tables", {{"t", {{"x", "TEXT"}}}}}}},
                    {"boot", {{"sql", {"INSERT INTO t(x) VALUES (:id)"}}}}}}}}}},
              {"steps",
               {{{"attach", {{"observer", "a"}, {"use", "doc"}, {"params", {{"id", "1"}}}}}},
                {{"advance", 10}},
                {{"expect", {{"store", "doc-1"}, {"state", "ACTIVE"}}}}}}}
      .dump(2);
}

}  // namespace

TEST(ScratchDir, IsPrivateRandomlyNamedAndRemovedWithItsContents) {
  const fs::path tmp = si::test::freshTestDir("dry-run") / "tmp";
  TmpDirOverride env(tmp);
  std::string first, second;
  {
    auto a = si::ScratchDir::create("check");
    auto b = si::ScratchDir::create("check");
    ASSERT_TRUE(a) << a.message();
    ASSERT_TRUE(b) << b.message();
    first = a->path();
    second = b->path();
    EXPECT_NE(first, second);
    EXPECT_EQ(fs::path(first).parent_path(), tmp);
    EXPECT_EQ(fs::path(first).filename().string().rfind("store-inspector-check-", 0), 0u);
    struct stat st {};
    ASSERT_EQ(::lstat(first.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    write(fs::path(first) / "deep" / "f.sqlite", "x");
  }
  EXPECT_FALSE(fs::exists(first));
  EXPECT_FALSE(fs::exists(second));
}

TEST(ScratchDir, RemovingItLeavesWhatASymlinkInsidePointsAt) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  TmpDirOverride env(dir / "tmp");
  write(dir / "precious" / "keep.txt", "keep");
  {
    auto s = si::ScratchDir::create("check");
    ASSERT_TRUE(s) << s.message();
    fs::create_directory_symlink(dir / "precious", fs::path(s->path()) / "link");
  }
  EXPECT_TRUE(fs::exists(dir / "precious" / "keep.txt"));
}

TEST(DirectoryLint, AbsoluteOrEscapingDirectoriesLeaveTheConfigFolder) {
  EXPECT_TRUE(si::directoryLeavesConfigFolder("/var/tmp/stores"));
  EXPECT_TRUE(si::directoryLeavesConfigFolder("../stores"));
  EXPECT_TRUE(si::directoryLeavesConfigFolder("../../.."));
  EXPECT_TRUE(si::directoryLeavesConfigFolder("a/../../x"));
  EXPECT_FALSE(si::directoryLeavesConfigFolder("stores"));
  EXPECT_FALSE(si::directoryLeavesConfigFolder("./a/../stores"));
  EXPECT_FALSE(si::directoryLeavesConfigFolder("a/b/../.."));
  EXPECT_FALSE(si::directoryLeavesConfigFolder(""));
}

TEST(CheckDryRun, AnAbsoluteAdapterDirectoryIsNotWrittenAndIsLinted) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  TmpDirOverride env(dir / "tmp");
  const fs::path elsewhere = dir / "elsewhere";
  write(dir / "sc" / "s.json", fileStoreScenario(elsewhere.string()));
  const Outcome o = cli({"check", (dir / "sc" / "s.json").string()});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_FALSE(fs::exists(elsewhere)) << "check wrote into the absolute directory";
  EXPECT_NE(o.out.find("/steps/0/attach: lint outside-directory: storeId \"doc-1\""),
            std::string::npos)
      << o.out;
  EXPECT_EQ(filesBelow(dir / "tmp"), 0u) << "the scratch folder was left behind";
}

TEST(CheckDryRun, AnEscapingAdapterDirectoryStaysInTheScratchFolder) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  TmpDirOverride env(dir / "tmp");
  // Six levels up: from the old fixed-depth scratch base that landed in the test's folder;
  // from the scenario's own folder it lands above it. Neither may be written.
  write(dir / "a" / "b" / "c" / "sc" / "s.json", fileStoreScenario("../../../../../../x-escaped"));
  const Outcome o = cli({"check", (dir / "a" / "b" / "c" / "sc" / "s.json").string()});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_FALSE(fs::exists(dir / "x-escaped"));
  EXPECT_EQ(filesBelow(dir), 1u);  // only s.json
}

TEST(CheckDryRun, ARelativeDirectoryIsNotWrittenEither) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  TmpDirOverride env(dir / "tmp");
  write(dir / "s.json", fileStoreScenario("stores"));
  const Outcome o = cli({"check", (dir / "s.json").string()});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_FALSE(fs::exists(dir / "stores"));
  EXPECT_EQ(o.out.find("outside-directory"), std::string::npos) << o.out;
}

TEST(CheckDryRun, AConfigTemplateWritingOutsideItsFolderIsLinted) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  write(dir / "c.json", R"({"storeOptions": {
    "up": {"storeId": "up-1", "adapter": {"type": "file", "directory": "../up"}},
    "in": {"storeId": "in-1", "adapter": {"type": "file", "directory": "stores"}}}})");
  const Outcome o = cli({"check", (dir / "c.json").string()});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find((dir / "c.json").string() +
                       ": /storeOptions/up/adapter/directory: lint outside-directory: directory "
                       "\"../up\": "),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.find("/storeOptions/in/adapter"), std::string::npos) << o.out;
}

TEST(RunOutsideDirectory, RunWritesThereAndTheInstanceCarriesTheLint) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  const fs::path elsewhere = dir / "elsewhere";
  write(dir / "sc" / "s.json", fileStoreScenario(elsewhere.string()));
  auto sc = si::loadScenarioFile((dir / "sc" / "s.json").string(), {});
  ASSERT_TRUE(sc) << sc.message();
  si::Session s(sc->config);
  for (const json& step : sc->steps) ASSERT_TRUE(s.execute(step).ok);
  const si::StoreRecord* rec = s.registry().find("doc-1");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->lints, std::vector<std::string>{"outside-directory"});
  EXPECT_TRUE(fs::exists(elsewhere / "doc-1.sqlite"));
}

TEST(CompareCopies, EachPolicyStartsFromTheSameStoreFilesAndNoneIsWritten) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  TmpDirOverride env(dir / "tmp");
  // The boot INSERT is not idempotent: a second load of the same file fails (UNIQUE), so a
  // policy run that saw another's file would report a failed step.
  std::string text = fileStoreScenario("stores");
  json sc = json::parse(text);
  sc["config"]["storeOptions"]["doc"]["schema"]["tables"]["t"]["x"] = "TEXT PRIMARY KEY";
  write(dir / "s.json", sc.dump(2));
  const Outcome a = cli({"compare", (dir / "s.json").string(), "--policies", "longest,first"});
  const Outcome b = cli({"compare", (dir / "s.json").string(), "--policies", "first,longest"});
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_NE(a.out.find("steps failed: longest 0, first 0"), std::string::npos) << a.out;
  EXPECT_NE(b.out.find("steps failed: first 0, longest 0"), std::string::npos) << b.out;
  EXPECT_FALSE(fs::exists(dir / "stores")) << "compare wrote the real store folder";
  EXPECT_EQ(filesBelow(dir / "tmp"), 0u);
}

TEST(CompareCopies, APolicyRunSeesTheRowsTheRealFileAlreadyHas) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  TmpDirOverride env(dir / "tmp");
  json sc = json::parse(fileStoreScenario("stores"));
  sc["config"]["storeOptions"]["doc"]["schema"]["tables"]["t"]["x"] = "TEXT PRIMARY KEY";
  write(dir / "s.json", sc.dump(2));
  // A real run creates the file with its row; each policy run then copies it, so the
  // non-idempotent boot fails under every policy, exactly as a second `run` would.
  ASSERT_EQ(cli({"run", (dir / "s.json").string()}).code, 0);
  ASSERT_TRUE(fs::exists(dir / "stores" / "doc-1.sqlite"));
  const auto before = fs::file_size(dir / "stores" / "doc-1.sqlite");
  const Outcome o = cli({"compare", (dir / "s.json").string(), "--policies", "longest,first"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("steps failed: longest 1, first 1"), std::string::npos) << o.out;
  EXPECT_EQ(fs::file_size(dir / "stores" / "doc-1.sqlite"), before);
}

TEST(CheckOutput, AScenarioNameWithControlCharactersIsPrintedEscaped) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  write(dir / "s.json", json{{"name", "a\nPASS forged\x1b[2J"}, {"config", json::object()},
                             {"steps", json::array({json{{"advance", 1}}})}}
                            .dump());
  const Outcome o = cli({"check", (dir / "s.json").string()});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, (dir / "s.json").string() +
                       ": ok (scenario \"a\\nPASS forged\\x1b[2J\", 1 step)\n");
}

TEST(CheckInput, AFifoIsRefusedWithoutBlocking) {
  const fs::path dir = si::test::freshTestDir("dry-run");
  const fs::path fifo = dir / "pipe.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // In a child with a time limit: a check that opened the FIFO would wait for a writer forever.
  const std::string cmd = std::string("timeout 20 ") + SI_BINARY + " check " + fifo.string() +
                          " >" + (dir / "out.txt").string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::ifstream in(dir / "out.txt");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), fifo.string() + ": cannot read: not a regular file\n");
}
