// `listen`'s second thread: it runs what the server heard through the session while the main
// thread reads and decodes the next frames, so the two overlap. Batches of events go through
// a bounded queue: when the model falls behind, the main thread stops reading the sockets and
// TCP slows the apps down; nothing is dropped.
//
// Usage:
//   ListenWorker w([&](live::ServerEvent& e) { handle(e); }, [&] { journal.append(session); });
//   w.push(server.wait(50ms));      // main thread, in its loop
//   w.finish();                     // everything pushed has been handled; the thread is gone
#pragma once
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "server.hpp"

namespace si::cli {

// Lines written whole from two threads (the transcript on stderr).
class SharedLog {
 public:
  explicit SharedLog(std::ostream& os) : os_(os) {}
  void line(const std::string& text);

 private:
  std::mutex mutex_;
  std::ostream& os_;
};

class ListenWorker {
 public:
  static constexpr size_t kMaxQueued = 65536;  // events waiting; push() blocks beyond

  using Handle = std::function<void(live::ServerEvent&)>;
  ListenWorker(Handle handle, std::function<void()> afterBatch);
  ~ListenWorker();  // finish()
  ListenWorker(const ListenWorker&) = delete;
  ListenWorker& operator=(const ListenWorker&) = delete;

  // Queues events for the thread, in order; waits while kMaxQueued or more are waiting.
  void push(std::vector<live::ServerEvent>&& events);
  // Waits until everything pushed has been handled, then stops the thread. Idempotent. An
  // exception a handler threw (an internal error) is thrown here, on the caller's thread; the
  // events after it were not handled.
  void finish();

 private:
  void run();

  Handle handle_;
  std::function<void()> afterBatch_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::vector<live::ServerEvent> queue_;
  bool finishing_ = false;
  std::exception_ptr failure_;  // a handler's exception: nothing more is handled
  std::thread thread_;
};

}  // namespace si::cli
