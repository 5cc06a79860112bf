#include "journal_thread.hpp"

#include <utility>

namespace si {

JournalThread::JournalThread(std::unique_ptr<JournalWriter> writer)
    : writer_(std::move(writer)),
      nextCommand_(writer_->commandsWritten()),
      nextEvent_(writer_->eventsWritten()),
      thread_([this] { run(); }) {}

JournalThread::~JournalThread() {
  (void)finish();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status JournalThread::append(const Session& s) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!status_) return status_;  // failed: the rows would never be written, so take none
  }
  JournalWriter::Batch b = JournalWriter::collect(s, nextCommand_, nextEvent_);
  std::unique_lock<std::mutex> lock(mutex_);
  if (!status_) return status_;
  if (b.empty()) return success();
  nextCommand_ = b.commandEnd;
  nextEvent_ = b.eventEnd;
  written_.wait(lock, [&] { return queue_.size() < kMaxQueued || !status_; });
  if (!status_) return status_;
  queue_.push_back(std::move(b));
  lock.unlock();
  wake_.notify_one();
  return success();
}

Status JournalThread::finish() {
  std::unique_lock<std::mutex> lock(mutex_);
  written_.wait(lock, [&] { return (queue_.empty() && !writing_) || !status_; });
  return status_;
}

void JournalThread::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and everything is written
    JournalWriter::Batch b = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    Status ok = writer_->write(b);
    lock.lock();
    writing_ = false;
    if (!ok && status_) status_ = std::move(ok);
    if (!status_) queue_.clear();  // nothing more is written after a failure
    written_.notify_all();
  }
}

}  // namespace si
