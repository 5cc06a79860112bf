// A journal written by a thread of its own: the session's thread only takes the new rows
// (JournalWriter::collect, text and numbers), the thread runs SQLite. `listen` and `ingest`
// journal a live session this way, so SQLite's time is not taken from the messages.
//
// Usage:
//   JournalThread j(std::move(writer));                 // a JournalWriter::create result
//   per batch of commands: if (Status ok = j.append(session); !ok) stop(ok);
//   at the end:            Status ok = j.finish();     // everything queued written, or why not
#pragma once
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "journal.hpp"

namespace si {

class JournalThread {
 public:
  // Batches queued at most; append() waits for the thread beyond that (memory stays bounded).
  static constexpr size_t kMaxQueued = 4;

  explicit JournalThread(std::unique_ptr<JournalWriter> writer);
  ~JournalThread();  // finish(), then the writer is closed
  JournalThread(const JournalThread&) = delete;
  JournalThread& operator=(const JournalThread&) = delete;

  // Queues what the session did since the last call. Returns the first failure of a write so
  // far (nothing more is written after one), else success.
  Status append(const Session& s);
  // Waits until everything queued is written: the journal's status.
  Status finish();
  // The command and event positions collected so far: what the session no longer needs to
  // keep for the journal (Session::forgetBefore).
  size_t collectedCommands() const { return nextCommand_; }
  size_t collectedEvents() const { return nextEvent_; }

 private:
  void run();

  std::unique_ptr<JournalWriter> writer_;
  size_t nextCommand_ = 0, nextEvent_ = 0;  // collected up to (the session's thread)
  std::mutex mutex_;
  std::condition_variable wake_, written_;
  std::deque<JournalWriter::Batch> queue_;
  bool writing_ = false;   // the thread holds a batch
  bool stopping_ = false;
  Status status_ = success();
  std::thread thread_;
};

}  // namespace si
