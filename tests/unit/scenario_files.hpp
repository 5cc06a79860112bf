// The example scenarios under assets/scenarios, sorted: tests that must hold for every one.
#pragma once
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace si::test {

inline std::vector<std::string> scenarioFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(SI_ASSETS_DIR) + "/scenarios")) {
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace si::test
