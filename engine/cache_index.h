// CacheIndex: the lookup structure of a cache shard, an open-addressing hash table (linear
// probing, deletion by backward shift) from a key's 64-bit hash to the entry holding it.
// A lookup reads one slot array position (hash and pointer side by side) and then the entry
// itself, where a node-based map would chase a bucket, a node and the key's heap copy: on
// a hot path that misses the CPU caches for every key, that is most of a GET's cost.
// Not thread-safe; the shard's lock guards it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cairn {

// Entry must have `uint64_t hash` and a `key()` returning std::string_view.
template <typename Entry>
class CacheIndex {
 public:
  CacheIndex() : slots_(kInitialSlots) { Publish(); }

  // Where a lookup of `hash` starts, for a prefetch made without the lock: computed from the
  // table's address and size as published after every resize, so a resize racing with it
  // only makes the prefetch useless (a prefetch never faults), never unsafe.
  const void* HomeSlotAddress(uint64_t hash) const {
    uintptr_t base = published_base_.load(std::memory_order_relaxed);
    size_t mask = published_mask_.load(std::memory_order_relaxed);
    return reinterpret_cast<const void*>(base + (hash & mask) * sizeof(Slot));
  }
  // The first entry in the probe run of `hash` whose slot carries that hash (its key is not
  // compared), or nullptr: what a lookup will most likely read next.
  const Entry* FirstWithHash(uint64_t hash) const {
    for (size_t i = Home(hash);; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (slot.entry == nullptr || slot.hash == hash) return slot.entry;
    }
  }

  Entry* Find(uint64_t hash, std::string_view key) const {
    for (size_t i = Home(hash);; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (slot.entry == nullptr) return nullptr;
      if (slot.hash == hash && slot.entry->key() == key) return slot.entry;
    }
  }

  // The entry's key must not be present yet.
  void Insert(Entry* entry) {
    if ((size_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    Place(entry);
    size_++;
  }

  // The entry must be present.
  void Erase(const Entry* entry) {
    size_t hole = Home(entry->hash);
    while (slots_[hole].entry != entry) hole = (hole + 1) & mask();
    // Backward shift: pull later members of the probe run into the hole, so lookups never
    // need tombstones.
    for (size_t next = (hole + 1) & mask(); slots_[next].entry != nullptr;
         next = (next + 1) & mask()) {
      size_t home = Home(slots_[next].hash);
      bool movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
      if (movable) {
        slots_[hole] = slots_[next];
        hole = next;
      }
    }
    slots_[hole] = Slot{};
    size_--;
  }

  size_t size() const { return size_; }

 private:
  static constexpr size_t kInitialSlots = 64;
  struct Slot {
    uint64_t hash = 0;
    Entry* entry = nullptr;
  };

  size_t mask() const { return slots_.size() - 1; }
  // The low bits pick the slot; the shard choice uses the high ones.
  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash) & mask(); }

  void Place(Entry* entry) {
    size_t i = Home(entry->hash);
    while (slots_[i].entry != nullptr) i = (i + 1) & mask();
    slots_[i] = Slot{entry->hash, entry};
  }

  void Rehash(size_t slot_count) {
    std::vector<Slot> old(slot_count);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.entry != nullptr) Place(slot.entry);
    }
    Publish();
  }
  void Publish() {
    published_base_.store(reinterpret_cast<uintptr_t>(slots_.data()), std::memory_order_relaxed);
    published_mask_.store(mask(), std::memory_order_relaxed);
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
  size_t size_ = 0;
  std::atomic<uintptr_t> published_base_{0};
  std::atomic<size_t> published_mask_{0};
};

}  // namespace cairn
