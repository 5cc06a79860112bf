// listen's worker thread: every event pushed is handled once, in order, batches are followed
// by afterBatch, and a handler's exception comes back to the caller of finish().
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "cli_listen_worker.hpp"

namespace {

using si::live::ServerEvent;

std::vector<ServerEvent> events(uint64_t first, uint64_t count) {
  std::vector<ServerEvent> out(count);
  for (uint64_t i = 0; i < count; ++i) out[i].connection = first + i;
  return out;
}

TEST(ListenWorker, HandlesEveryEventOnceInOrderAcrossManyPushes) {
  std::vector<uint64_t> seen;  // written by the worker only; read after finish()
  std::atomic<int> batches{0};
  si::cli::ListenWorker w([&](ServerEvent& e) { seen.push_back(e.connection); }, [&] { ++batches; });
  uint64_t next = 1;
  for (int push = 0; push < 200; ++push) {
    const uint64_t n = 1 + (push * 37) % 1000;
    w.push(events(next, n));
    next += n;
  }
  // More than the queue holds at once: push waits for the worker instead of dropping.
  w.push(events(next, si::cli::ListenWorker::kMaxQueued + 10));
  next += si::cli::ListenWorker::kMaxQueued + 10;
  w.finish();
  ASSERT_EQ(seen.size(), next - 1);
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i + 1);
  EXPECT_GE(batches.load(), 1);
  w.finish();  // idempotent
}

TEST(ListenWorker, AHandlersExceptionIsThrownByFinishAndStopsHandling) {
  int handled = 0;
  si::cli::ListenWorker w(
      [&](ServerEvent& e) {
        if (e.connection == 3) throw std::runtime_error("boom at 3");
        ++handled;
      },
      [] {});
  w.push(events(1, 5));
  w.push(events(6, 5));
  try {
    w.finish();
    FAIL() << "finish() did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom at 3");
  }
  EXPECT_EQ(handled, 2);  // 1 and 2; nothing after the failure
}

}  // namespace
