#include "scratch_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <vector>

namespace si {

namespace fs = std::filesystem;

Result<ScratchDir> ScratchDir::create(const std::string& purpose) {
  const char* tmp = std::getenv("TMPDIR");
  std::string root = tmp && *tmp ? tmp : "/tmp";
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::string templ = root + "/store-inspector-" + purpose + "-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  // mkdtemp creates the folder with mode 0700 and fails rather than reuse anything there.
  if (!::mkdtemp(buf.data())) {
    return Error{"cannot create a scratch folder in \"" + root + "\": " + std::strerror(errno)};
  }
  return ScratchDir(std::string(buf.data()));
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

ScratchDir::~ScratchDir() { remove(); }

void ScratchDir::remove() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);  // removes symlinks themselves, never what they point at
  path_.clear();
}

Result<std::shared_ptr<const FileSandbox>> FileSandbox::create(const std::string& purpose,
                                                              bool seedFromReal) {
  Result<ScratchDir> dir = ScratchDir::create(purpose);
  if (!dir) return dir.error();
  return std::shared_ptr<const FileSandbox>(new FileSandbox(std::move(*dir), seedFromReal));
}

std::string FileSandbox::directoryFor(const std::string& realDir) const {
  // One flat folder per distinct real folder: nothing in the name can leave the sandbox.
  std::error_code ec;
  fs::path p = fs::absolute(realDir.empty() ? fs::path(".") : fs::path(realDir), ec);
  const std::string key = (ec ? fs::path(realDir) : p).lexically_normal().string();
  static const char kHex[] = "0123456789abcdef";
  size_t h = std::hash<std::string>{}(key);
  std::string name = "dir-";
  for (int i = 0; i < 16; ++i, h >>= 4) name += kHex[h & 0xF];
  return path() + "/" + name;
}

void FileSandbox::seed(const std::string& realDir, const std::string& fileName) const {
  if (!seed_) return;
  const fs::path from = fs::path(realDir.empty() ? "." : realDir) / fileName;
  const fs::path to = fs::path(directoryFor(realDir)) / fileName;
  std::error_code ec;
  if (fs::symlink_status(to, ec).type() != fs::file_type::not_found) return;
  struct stat st {};
  if (::lstat(from.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  fs::create_directories(to.parent_path(), ec);
  if (ec) return;
  fs::copy_file(from, to, fs::copy_options::none, ec);  // the rows as they are on disk
}

}  // namespace si
