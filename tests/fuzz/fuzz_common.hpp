// Shared by the libFuzzer targets: a private temp directory, and a guard that keeps fuzz inputs
// from naming files outside it (absolute or ".." adapter directories, boot SQL that ATTACHes or
// VACUUMs INTO another file). Inputs the guard refuses are skipped, not reported.
#pragma once
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "options.hpp"

namespace si::fuzz {

// One directory per fuzzing process, created on first use, under $TMPDIR or /tmp, and removed
// when the process exits normally (a crash keeps it, with the input that made it).
inline const std::string& tempDir() {
  static const std::string dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/si-fuzz-XXXXXX";
    char* made = mkdtemp(tmpl.data());
    if (!made) std::abort();
    return std::string(made);
  }();
  // Registered after `dir` is made, so it runs before `dir` is destroyed.
  static const bool removedAtExit = std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(tempDir(), ignored);
  }) == 0;
  (void)removedAtExit;
  return dir;
}

inline bool mentions(std::string s, const char* word) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s.find(word) != std::string::npos;
}

// True when nothing in `j` could make the core write outside tempDir().
inline bool staysInside(const json& j) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    return !mentions(s, "attach") && !mentions(s, "vacuum");
  }
  if (j.is_array()) return std::all_of(j.begin(), j.end(), [](const json& v) { return staysInside(v); });
  if (!j.is_object()) return true;
  for (const auto& [k, v] : j.items()) {
    if (k == "directory" && v.is_string()) {
      const std::string& d = v.get_ref<const std::string&>();
      if (d.empty() || d[0] == '/' || d.find("..") != std::string::npos) return false;
    }
    if (mentions(k, "attach") || mentions(k, "vacuum") || !staysInside(v)) return false;
  }
  return true;
}

}  // namespace si::fuzz
