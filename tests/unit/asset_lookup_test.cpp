// Where the executable finds its bundled example (app/cli.cpp bundledExampleConfigFrom): an
// installed binary must use the assets installed next to it, not the source tree compiled in.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;

namespace {

void writeConfig(const fs::path& assets) {
  fs::create_directories(assets / "configs");
  std::ofstream(assets / "configs" / "linear.json") << "{}\n";
}

}  // namespace

TEST(AssetLookup, AnInstalledBinaryPrefersItsInstalledAssetsOverTheCompiledInSourceTree) {
  const fs::path root = si::test::freshTestDir("assets");
  const fs::path prefix = root / "usr";
  const fs::path source = root / "checkout" / "assets";  // the stale checkout it was built from
  writeConfig(prefix / "share" / "store-inspector" / "assets");
  writeConfig(source);
  fs::create_directories(prefix / "bin");
  EXPECT_EQ(si::cli::bundledExampleConfigFrom((prefix / "bin").string(), source.string()),
            (prefix / "share/store-inspector/assets/configs/linear.json").string());
}

TEST(AssetLookup, ABuildTreeInsideTheCheckoutUsesTheCheckoutsAssets) {
  const fs::path root = si::test::freshTestDir("assets");
  writeConfig(root / "assets");
  fs::create_directories(root / "build");
  EXPECT_EQ(si::cli::bundledExampleConfigFrom((root / "build").string(), "/nonexistent/assets"),
            (root / "assets/configs/linear.json").string());
}

TEST(AssetLookup, ABuildTreeElsewhereFallsBackToTheCompiledInSourceTree) {
  const fs::path root = si::test::freshTestDir("assets");
  writeConfig(root / "src" / "assets");
  fs::create_directories(root / "out" / "build");
  EXPECT_EQ(si::cli::bundledExampleConfigFrom((root / "out" / "build").string(),
                                              (root / "src" / "assets").string()),
            (root / "src/assets/configs/linear.json").string());
}

TEST(AssetLookup, WithNothingInstalledItNamesWhereTheInstalledAssetsBelong) {
  // So the window's "cannot read" error names the path a broken install is missing.
  const fs::path root = si::test::freshTestDir("assets");
  fs::create_directories(root / "bin");
  EXPECT_EQ(fs::path(si::cli::bundledExampleConfigFrom((root / "bin").string(), (root / "none").string()))
                .lexically_normal(),
            (root / "share/store-inspector/assets/configs/linear.json").lexically_normal());
}
