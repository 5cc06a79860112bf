// libFuzzer target: bytes -> a file -> readJournal -> replayJournal. A journal names its own
// config and base directory; both are pinned inside a private temp dir before replaying.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "fuzz_common.hpp"
#include "journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = si::fuzz::tempDir() + "/input.sqlite";
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  si::Result<si::JournalData> j = si::readJournal(path);
  if (!j) return 0;
  j->baseDir = si::fuzz::tempDir();
  if (!si::fuzz::staysInside(j->config)) return 0;
  for (const auto& c : j->commands) {
    if (!si::fuzz::staysInside(c.step())) return 0;
  }
  auto replayed = si::replayJournal(*j);
  if (replayed) (void)(*replayed)->registry().events().size();
  return 0;
}
