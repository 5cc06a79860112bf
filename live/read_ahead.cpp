// A reader thread and the caller's thread, passing full batches one way and empty ones back.
#include "read_ahead.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace si::live {

namespace {

using Batch = std::vector<TraceMessage>;
constexpr size_t kBatchMessages = 512;
constexpr size_t kMaxFullBatches = 8;  // the reader's lead: 4,096 messages

class Handoff {
 public:
  // Reader: hands a full batch over (waiting while the caller is far behind) and gets a used
  // one back, which it empties itself: what it allocated is freed on its own thread (glibc
  // frees another thread's memory through that thread's arena, under its lock).
  Batch pass(Batch&& full) {
    Batch b;
    {
      std::unique_lock<std::mutex> lock(m_);
      roomy_.wait(lock, [&] { return full_.size() < kMaxFullBatches; });
      full_.push_back(std::move(full));
      ready_.notify_one();
      if (!spare_.empty()) {
        b = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    b.clear();
    return b;
  }
  void finish(Batch&& last) {
    std::lock_guard<std::mutex> lock(m_);
    if (!last.empty()) full_.push_back(std::move(last));
    done_ = true;
    ready_.notify_one();
  }
  // Caller: the next batch, or false when the reader has finished and all were taken.
  bool take(Batch& out) {
    std::unique_lock<std::mutex> lock(m_);
    if (out.capacity() > 0) spare_.push_back(std::move(out));  // the reader empties it
    ready_.wait(lock, [&] { return !full_.empty() || done_; });
    if (full_.empty()) return false;
    out = std::move(full_.front());
    full_.pop_front();
    roomy_.notify_one();
    return true;
  }

 private:
  std::mutex m_;
  std::condition_variable ready_, roomy_;
  std::deque<Batch> full_;
  std::vector<Batch> spare_;
  bool done_ = false;
};

}  // namespace

Status streamTracesAhead(const std::vector<std::string>& paths,
                         const std::function<void(TraceMessage&&)>& onMessage, Trace& trace) {
  Handoff handoff;
  Status status = success();
  std::exception_ptr readerFailed, callerFailed;
  std::thread reader([&] {
    Batch batch;
    batch.reserve(kBatchMessages);
    try {
      status = streamTraces(
          paths,
          [&](TraceMessage&& m) {
            batch.push_back(std::move(m));
            if (batch.size() < kBatchMessages) return;
            batch = handoff.pass(std::move(batch));
            batch.reserve(kBatchMessages);
          },
          trace);
    } catch (...) {  // (out of memory) rethrown on the caller's thread
      readerFailed = std::current_exception();
    }
    handoff.finish(std::move(batch));
  });
  Batch batch;  // handed back as it is: its messages are destroyed on the reader's thread
  while (handoff.take(batch)) {
    if (callerFailed) continue;  // the reader is drained, never left waiting
    try {
      for (TraceMessage& m : batch) onMessage(std::move(m));
    } catch (...) {
      callerFailed = std::current_exception();
    }
  }
  reader.join();
  if (callerFailed) std::rethrow_exception(callerFailed);
  if (readerFailed) std::rethrow_exception(readerFailed);
  return status;
}

}  // namespace si::live
