// Private scratch folders, and the file sandbox that keeps dry runs away from real store files.
//
// SPEC 2.6: reading, checking or replaying a file someone else wrote never writes outside the
// folders `run` was asked to use. `check`, every journal replay and each policy run of
// `compare` therefore give file adapters a FileSandbox: every adapter directory (relative,
// absolute or escaping) maps to a folder of its own inside one private scratch folder, created
// 0700 with a random name and removed with everything in it when the last user lets go.
//
// Usage:
//   auto sandbox = FileSandbox::create("check", /*seedFromReal=*/false);
//   if (!sandbox) return sandbox.error();
//   config.sandbox = *sandbox;                    // a shared_ptr: sessions copy their config
//   Session s(config);                            // file stores now live under sandbox->path()
#pragma once
#include <memory>
#include <string>

#include "result.hpp"

namespace si {

// A folder made by mkdtemp (mode 0700, random name) under $TMPDIR, else /tmp; removed with
// everything in it by the destructor. Never reuses or follows what is already there.
class ScratchDir {
 public:
  // "store-inspector-<purpose>-XXXXXX"; `purpose` is a short plain word.
  static Result<ScratchDir> create(const std::string& purpose);
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  void remove();
  std::string path_;
};

class FileSandbox {
 public:
  // seedFromReal: a store file is copied from its real folder the first time the sandbox
  // opens it (if the real one is a regular file), so the dry run starts from the same rows a
  // real run would, while the real file is never written (compare).
  static Result<std::shared_ptr<const FileSandbox>> create(const std::string& purpose,
                                                          bool seedFromReal);

  // The folder inside the sandbox that stands in for `realDir` (one per distinct folder).
  std::string directoryFor(const std::string& realDir) const;
  // With seedFromReal, copies realDir/fileName into directoryFor(realDir) unless a copy is
  // there already. A missing, non-regular or unreadable real file copies nothing.
  void seed(const std::string& realDir, const std::string& fileName) const;
  const std::string& path() const { return dir_.path(); }

 private:
  FileSandbox(ScratchDir dir, bool seedFromReal) : dir_(std::move(dir)), seed_(seedFromReal) {}
  ScratchDir dir_;
  bool seed_;
};

}  // namespace si
