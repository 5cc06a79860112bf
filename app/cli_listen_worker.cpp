#include "cli_listen_worker.hpp"

#include <iterator>
#include <utility>

namespace si::cli {

void SharedLog::line(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  os_ << text << "\n";
}

ListenWorker::ListenWorker(Handle handle, std::function<void()> afterBatch)
    : handle_(std::move(handle)), afterBatch_(std::move(afterBatch)), thread_([this] { run(); }) {}

ListenWorker::~ListenWorker() {
  try {
    finish();
  } catch (...) {  // only when finish() was not called: the error has no one to go to
  }
}

void ListenWorker::push(std::vector<live::ServerEvent>&& events) {
  if (events.empty()) return;
  std::unique_lock<std::mutex> lock(mutex_);
  space_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
  if (queue_.empty()) {
    queue_ = std::move(events);
  } else {
    queue_.insert(queue_.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
  }
  lock.unlock();
  ready_.notify_one();
}

void ListenWorker::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finishing_) return;
    finishing_ = true;
  }
  ready_.notify_one();
  thread_.join();
  if (failure_) std::rethrow_exception(failure_);
}

void ListenWorker::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ready_.wait(lock, [&] { return !queue_.empty() || finishing_; });
    if (queue_.empty()) return;  // finishing, and everything pushed was handled
    std::vector<live::ServerEvent> batch = std::move(queue_);
    queue_.clear();
    lock.unlock();
    space_.notify_all();
    try {
      if (!failure_) {
        for (live::ServerEvent& e : batch) handle_(e);
        afterBatch_();
      }
    } catch (...) {
      failure_ = std::current_exception();  // read by finish() after the join
    }
    lock.lock();
  }
}

}  // namespace si::cli
