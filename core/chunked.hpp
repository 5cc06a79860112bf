// A sequence that grows in fixed chunks, for logs that only grow (events, commands, results):
// appending never moves what is already there, so a million 300-byte events are not moved
// again and again as one vector doubles (that was a tenth of a live trace's time). Indexing
// and iteration are random access, as with std::vector.
//
// Usage:
//   Chunked<Event> log;
//   log.push_back(e);  log[i];  for (const Event& e : log) ...;  log.since(n) (a range)
#pragma once
#include <cassert>
#include <compare>
#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace si {

template <class T, size_t kChunkBits = 12>
class Chunked {
  static constexpr size_t kChunk = size_t(1) << kChunkBits;
  static constexpr size_t kMask = kChunk - 1;

 public:
  template <bool kConst>
  class Iter {
    using Owner = std::conditional_t<kConst, const Chunked, Chunked>;

   public:
    using iterator_category = std::random_access_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<kConst, const T*, T*>;
    using reference = std::conditional_t<kConst, const T&, T&>;

    Iter() = default;
    Iter(Owner* owner, size_t i) : owner_(owner), i_(i) {}
    operator Iter<true>() const { return Iter<true>(owner_, i_); }  // NOLINT: as std::vector's

    reference operator*() const { return (*owner_)[i_]; }
    pointer operator->() const { return &(*owner_)[i_]; }
    reference operator[](difference_type n) const { return (*owner_)[i_ + n]; }
    Iter& operator++() { ++i_; return *this; }
    Iter operator++(int) { Iter t = *this; ++i_; return t; }
    Iter& operator--() { --i_; return *this; }
    Iter operator--(int) { Iter t = *this; --i_; return t; }
    Iter& operator+=(difference_type n) { i_ += n; return *this; }
    Iter& operator-=(difference_type n) { i_ -= n; return *this; }
    friend Iter operator+(Iter a, difference_type n) { return a += n; }
    friend Iter operator+(difference_type n, Iter a) { return a += n; }
    friend Iter operator-(Iter a, difference_type n) { return a -= n; }
    friend difference_type operator-(const Iter& a, const Iter& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const Iter& a, const Iter& b) { return a.i_ <=> b.i_; }

   private:
    Owner* owner_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;
  using value_type = T;

  // [begin, end) of a Chunked, as a range for `for` loops.
  struct Range {
    const_iterator first, last;
    const_iterator begin() const { return first; }
    const_iterator end() const { return last; }
    size_t size() const { return static_cast<size_t>(last - first); }
    bool empty() const { return first == last; }
  };

  // One past the last index: indices keep their meaning after dropBefore.
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The first index still kept: 0 unless dropBefore dropped chunks.
  size_t first() const { return dropped_ << kChunkBits; }
  T& operator[](size_t i) {
    assert(i >= first() && i < size_);
    return chunks_[(i >> kChunkBits) - dropped_][i & kMask];
  }
  const T& operator[](size_t i) const {
    assert(i >= first() && i < size_);
    return chunks_[(i >> kChunkBits) - dropped_][i & kMask];
  }
  T& at(size_t i) { return i >= first() && i < size_ ? (*this)[i] : throw std::out_of_range("Chunked::at"); }
  const T& at(size_t i) const {
    return i >= first() && i < size_ ? (*this)[i] : throw std::out_of_range("Chunked::at");
  }
  T& front() { return (*this)[first()]; }
  const T& front() const { return (*this)[first()]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if ((size_ & kMask) == 0 && (size_ >> kChunkBits) == dropped_ + chunks_.size()) {
      chunks_.push_back(std::move(spare_));  // a dropped chunk's storage, when there is one
      spare_ = std::vector<T>();
      chunks_.back().reserve(kChunk);
    }
    ++size_;
    return chunks_.back().emplace_back(std::forward<Args>(args)...);
  }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  // Keeps the elements before index n (n >= first()). The first chunk's storage stays: a log
  // emptied at every command (a session that keeps no history) does not allocate it again.
  void truncate(size_t n) {
    assert(n >= first());
    while (size_ > n) {
      chunks_.back().pop_back();
      --size_;
      if (chunks_.back().empty() && chunks_.size() > 1) chunks_.pop_back();
    }
  }
  // Empties it; indices start from 0 again.
  void clear() {
    if (chunks_.size() > 1) chunks_.resize(1);  // the first kept chunk's storage stays
    if (!chunks_.empty()) chunks_[0].clear();
    size_ = dropped_ = 0;
  }
  // Drops the whole chunks before index n: their elements are gone, and every later index
  // keeps its meaning. For a log whose past has gone elsewhere (a journal has it), so that
  // its memory follows what is still wanted, not how long the run has been.
  void dropBefore(size_t n) {
    n = n < size_ ? n : size_;
    while (!chunks_.empty() && ((dropped_ + 1) << kChunkBits) <= n) {
      chunks_.front().clear();
      spare_ = std::move(chunks_.front());  // its capacity serves the next chunk
      chunks_.erase(chunks_.begin());
      ++dropped_;
    }
  }

  iterator begin() { return iterator(this, first()); }
  iterator end() { return iterator(this, size_); }
  const_iterator begin() const { return const_iterator(this, first()); }
  const_iterator end() const { return const_iterator(this, size_); }
  // Elements [i, size()) still kept (empty when i >= size()).
  Range since(size_t i) const {
    const size_t from = i < first() ? first() : i < size_ ? i : size_;
    return Range{const_iterator(this, from), end()};
  }

 private:
  std::vector<std::vector<T>> chunks_;  // each reserved kChunk: never reallocated
  std::vector<T> spare_;                // a dropped chunk, emptied, for the next one
  size_t size_ = 0;
  size_t dropped_ = 0;                  // chunks dropped from the front
};

}  // namespace si
