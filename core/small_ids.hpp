// A list of 32-bit ids that keeps up to six inline and moves to the heap beyond that.
//
// Each store's attached observers live in one: most stores have a handful, and an inline list
// sits in a dense array next to its neighbours' instead of behind a pointer to its own heap
// block, so attach and detach do not pay a cache miss to reach it (W1, SPEC 7).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

namespace si {

class SmallIds {
 public:
  static constexpr uint32_t kInline = 6;

  SmallIds() = default;
  SmallIds(const SmallIds& o) { assign(o); }
  SmallIds(SmallIds&& o) noexcept { steal(o); }
  SmallIds& operator=(const SmallIds& o) {
    if (this != &o) {
      release();
      assign(o);
    }
    return *this;
  }
  SmallIds& operator=(SmallIds&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  ~SmallIds() { release(); }

  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const uint32_t* data() const { return onHeap() ? heap_ : inline_; }
  uint32_t* data() { return onHeap() ? heap_ : inline_; }
  uint32_t operator[](uint32_t i) const { return data()[i]; }
  uint32_t& operator[](uint32_t i) { return data()[i]; }
  uint32_t back() const { return data()[size_ - 1]; }
  const uint32_t* begin() const { return data(); }
  const uint32_t* end() const { return data() + size_; }
  std::span<const uint32_t> span() const { return {data(), size_}; }

  void push_back(uint32_t id) {
    if (size_ == capacity_) grow();
    data()[size_++] = id;
  }
  void pop_back() { --size_; }

 private:
  bool onHeap() const { return capacity_ > kInline; }

  void grow() {
    const uint32_t capacity = capacity_ * 2;
    uint32_t* bigger = new uint32_t[capacity];
    std::memcpy(bigger, data(), size_ * sizeof(uint32_t));
    release();
    heap_ = bigger;
    capacity_ = capacity;
  }
  void release() {
    if (onHeap()) delete[] heap_;
    capacity_ = kInline;
  }
  void assign(const SmallIds& o) {
    if (o.size_ > kInline) {
      heap_ = new uint32_t[o.size_];
      capacity_ = o.size_;
    }
    std::memcpy(data(), o.data(), o.size_ * sizeof(uint32_t));
    size_ = o.size_;
  }
  void steal(SmallIds& o) {
    if (o.onHeap()) {
      heap_ = o.heap_;  // take the block; o goes back to its (empty) inline buffer
    } else {
      std::memcpy(inline_, o.inline_, o.size_ * sizeof(uint32_t));
    }
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.capacity_ = kInline;
    o.size_ = 0;
  }

  uint32_t size_ = 0;
  uint32_t capacity_ = kInline;
  union {
    uint32_t inline_[kInline] = {};
    uint32_t* heap_;
  };
};

static_assert(sizeof(SmallIds) == 32);

}  // namespace si
