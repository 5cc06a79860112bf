// A hash map from strings to small values that only grows, for a cache looked up once per
// live message (the session's resolved requests). The keys live in one buffer and the table
// holds each key's full hash beside its value, so a lookup touches one slot and one key; a
// std::unordered_map touched a bucket, a node and the node's heap string, each a cache (and
// often a TLB) miss once a trace has 40,000 requests.
//
// Usage:
//   FlatStringMap<RequestId> m;
//   if (const RequestId* id = m.find(key)) ...;  else m.insert(key, id);
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace si {

template <class V, class Hash = std::hash<std::string_view>>
class FlatStringMap {
 public:
  size_t size() const { return size_; }

  const V* find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    const uint32_t h = hashOf(key);
    for (size_t i = h & mask(); slots_[i].used(); i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.hash == h && keyOf(s) == key) return &s.value;
    }
    return nullptr;
  }

  // Adds a key that is not in the map. The keys may take up to 4 GiB in all.
  void insert(std::string_view key, V value) {
    if (keys_.size() + key.size() >= kEmpty) throw std::length_error("FlatStringMap: keys over 4 GiB");
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot s;
    s.hash = hashOf(key);
    s.offset = static_cast<uint32_t>(keys_.size());
    s.size = static_cast<uint32_t>(key.size());
    s.value = std::move(value);
    keys_.append(key);
    place(std::move(s));
    ++size_;
  }

 private:
  // A slot is 16 bytes for a 4-byte value: a table of a million names is 16 MB, not 32.
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint32_t hash = 0;
    uint32_t offset = kEmpty;  // into keys_
    uint32_t size = 0;
    V value{};
    bool used() const { return offset != kEmpty; }
  };
  static uint32_t hashOf(std::string_view key) {
    const uint64_t h = Hash()(key);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }
  size_t mask() const { return slots_.size() - 1; }
  std::string_view keyOf(const Slot& s) const { return std::string_view(keys_).substr(s.offset, s.size); }
  void place(Slot&& s) {
    size_t i = s.hash & mask();
    while (slots_[i].used()) i = (i + 1) & mask();
    slots_[i] = std::move(s);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});  // a power of two, at most half full
    for (Slot& s : old)
      if (s.used()) place(std::move(s));
  }

  std::vector<Slot> slots_;
  std::string keys_;  // every key, one after another
  size_t size_ = 0;
};

}  // namespace si
