// An append-only list whose copies share what they have in common: full chunks are never
// changed again, so a copy holds them by pointer, and the last chunk is copied by whichever
// side appends to it while it is shared. A time-travel snapshot (one every 512 commands) of
// something that keeps such a list then costs a pointer per chunk, not a copy of each entry.
//
// Usage:
//   PersistentLog<Divergence> log;  log.push_back(d);
//   PersistentLog<Divergence> copy = log;   // shares every chunk
//   for (const Divergence& d : copy) ...;  copy.size();  copy[i];
#pragma once
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace si {

template <class T, size_t kChunk = 256>
class PersistentLog {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }

  void push_back(T v) {
    if (size_ % kChunk == 0) {
      chunks_.push_back(std::make_shared<std::vector<T>>());
      chunks_.back()->reserve(kChunk);
    } else if (chunks_.back().use_count() > 1) {  // shared with a copy: this side's own from here
      auto own = std::make_shared<std::vector<T>>(*chunks_.back());
      own->reserve(kChunk);
      chunks_.back() = std::move(own);
    }
    chunks_.back()->push_back(std::move(v));
    ++size_;
  }

  class Iter {
   public:
    Iter(const PersistentLog* log, size_t i) : log_(log), i_(i) {}
    const T& operator*() const { return (*log_)[i_]; }
    Iter& operator++() { ++i_; return *this; }
    bool operator==(const Iter& o) const { return i_ == o.i_; }

   private:
    const PersistentLog* log_;
    size_t i_;
  };
  Iter begin() const { return Iter(this, 0); }
  Iter end() const { return Iter(this, size_); }

 private:
  std::vector<std::shared_ptr<std::vector<T>>> chunks_;
  size_t size_ = 0;
};

}  // namespace si
