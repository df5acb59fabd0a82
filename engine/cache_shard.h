// CacheShard: one shard of the hot cache (engine-internal; HotCache in hot_cache.h is the
// interface). Eviction is S3-FIFO, weighted by bytes: a new entry enters a small FIFO (a
// tenth of the shard); an entry that leaves it without having been read again is dropped
// and remembered in a ghost FIFO of key hashes, one that was read again moves to the main
// FIFO, which gives each entry a second chance per recorded read (up to 3). A key seen in
// the ghost recently enters main directly. One pass over many cold keys (SCAN + GET, a bulk
// load) therefore only churns the small FIFO and never flushes the hot set in main.
//
// Hits take the shard's lock shared and bump an atomic frequency: readers do not serialise
// on each other. Inserts, updates and evictions take it exclusively.
//
// Stale fills: a reader that misses asks for a stamp, reads RocksDB, then fills with that
// stamp. Every write-through (update or erase) bumps the stamp of the key's slot, so a fill
// whose read may predate a write is refused and can never overwrite the newer value.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "encoding/metadata.h"
#include "engine/cache_index.h"

namespace cairn {

// What one cache entry holds, immutable once built and shared with readers: a decoded meta
// entry (CachedMeta, under a meta key) or all members of one small collection
// (MemberSnapshot in member_cache.h, under a snapshot key that no meta key can equal).
struct CachedValue {
  virtual ~CachedValue() = default;
  // Heap bytes the value holds, for its charge against the cache's capacity.
  virtual size_t bytes() const = 0;
};

// A decoded meta value as the cache holds it, or the knowledge that the key has none.
// Decode puts the raw bytes in the same allocation as the object and its reference count:
// a GET that hits reads one block of memory where a separate string would be a second one.
struct CachedMeta final : CachedValue {
  std::string_view raw;  // the meta column family's value (header and payload), owned
  Metadata meta;
  size_t payload_offset = 0;
  // The key does not exist: a lookup of a missing key (a GET miss, a pop from an emptied
  // list) is answered without asking every memtable and level of RocksDB. The write that
  // creates the key replaces it like any other cached value.
  bool absent = false;

  size_t bytes() const override { return raw.size(); }

  std::string_view payload() const { return std::string_view(raw).substr(payload_offset); }
  // nullptr when `raw` is not a valid meta value.
  static std::shared_ptr<const CachedMeta> Decode(std::string_view raw);
  // The one shared value of every absent key.
  static std::shared_ptr<const CachedMeta> Absent();
};

// A key with its hash, computed once for the shard choice, the stamp slot and the map.
struct HashedKey {
  uint64_t hash;
  std::string_view bytes;
  bool operator==(const HashedKey& other) const { return bytes == other.bytes; }
};

// [begin, end) in meta key order.
struct KeyRange {
  std::string begin;
  std::string end;
};
// Sorted, with overlapping and touching ranges joined (FLUSHALL's per-db ranges become one).
std::vector<KeyRange> MergeKeyRanges(std::vector<KeyRange> ranges);

class CacheShard {
 public:
  // Bytes one entry costs beyond its key and value: the entry, its map node and the shared
  // value's control block, with allocator rounding.
  static constexpr size_t kEntryOverhead = 256;
  // Bytes one remembered ghost hash costs (deque slot and hash-map node).
  static constexpr size_t kGhostOverhead = 48;

  CacheShard() = default;
  ~CacheShard();
  CacheShard(const CacheShard&) = delete;
  CacheShard& operator=(const CacheShard&) = delete;

  static size_t ChargeOf(std::string_view key, const CachedValue& value) {
    return key.size() + value.bytes() + kEntryOverhead;
  }
  // The ghost may use a sixteenth of a shard; entries get the rest, and one entry at most a
  // quarter of that (a bigger one would flush too much of the shard).
  static size_t EntryCapacityFor(size_t capacity) { return capacity - capacity / 16; }
  static size_t MaxChargeFor(size_t capacity) { return EntryCapacityFor(capacity) / 4; }

  // The cached value or nullptr; on a miss *stamp receives what Fill needs.
  std::shared_ptr<const CachedValue> Lookup(const HashedKey& key, uint64_t* stamp);
  // Prefetches for a lookup that is coming (a pipelined command not yet run): the index
  // slot, without the lock, some commands ahead; then, once that slot is likely cached, the
  // entry it points to, under the lock shared. Hints only: nothing changes.
  void PrefetchSlot(uint64_t hash) const { __builtin_prefetch(index_.HomeSlotAddress(hash)); }
  void PrefetchEntry(uint64_t hash) const;
  // Inserts a value read from RocksDB unless a write touched the key's slot since Lookup
  // handed out `stamp`, or the key is cached already. True if inserted.
  bool Fill(const HashedKey& key, uint64_t stamp, std::shared_ptr<const CachedValue> value);
  // Write-through: the committed value replaces (or becomes) the entry.
  void Put(const HashedKey& key, std::shared_ptr<const CachedValue> value);
  void Erase(const HashedKey& key);
  // Drops every entry whose key is in one of the ranges (sorted and disjoint, as
  // MergeKeyRanges makes them); returns how many.
  size_t EraseRanges(const std::vector<KeyRange>& ranges);

  void SetCapacity(size_t bytes);
  size_t capacity() const;
  // Bytes charged for entries plus the ghost's hashes.
  size_t usage() const;
  size_t entries() const;

  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  uint64_t evictions() const { return evictions_.load(std::memory_order_relaxed); }
  void ResetStats();

  // For tests: whether the key sits in the main FIFO (survived the small one).
  bool InMainForTest(const HashedKey& key) const;

 private:
  enum class Queue : uint8_t { kSmall, kMain };
  static constexpr uint8_t kMaxFrequency = 3;
  static constexpr size_t kStampSlots = 64;

  // The key's bytes follow the entry in its allocation (New), so the lookup that reaches
  // the entry finds the key there instead of in a heap copy of its own.
  struct Entry {
    uint64_t hash = 0;
    std::shared_ptr<const CachedValue> value;
    uint32_t key_size = 0;
    Queue queue = Queue::kSmall;
    std::atomic<uint8_t> frequency{0};
    size_t charge = 0;
    Entry* prev = nullptr;
    Entry* next = nullptr;

    std::string_view key() const {
      return std::string_view(reinterpret_cast<const char*>(this + 1), key_size);
    }
    static Entry* New(const HashedKey& key);
    static void Delete(Entry* entry);
  };

  struct Fifo {
    Entry* head = nullptr;  // oldest
    Entry* tail = nullptr;
    void PushBack(Entry* entry);
    void Remove(Entry* entry);
    bool empty() const { return head == nullptr; }
  };

  // Hashes of keys recently dropped from the small FIFO.
  class Ghost {
   public:
    void Add(uint64_t hash, size_t limit);
    // True (and forgets it) if the hash was remembered.
    bool Take(uint64_t hash);
    // Forgets the oldest hashes beyond `limit`.
    void Shrink(size_t limit);
    size_t size() const { return order_.size(); }

   private:
    std::deque<uint64_t> order_;
    std::unordered_map<uint64_t, uint32_t> counts_;
  };

  uint64_t& StampOf(uint64_t hash) { return stamps_[hash % kStampSlots]; }
  void Insert(const HashedKey& key, std::shared_ptr<const CachedValue> value, size_t charge);
  void Replace(Entry* entry, std::shared_ptr<const CachedValue> value, size_t charge);
  void Unlink(Entry* entry);
  // Unindexes, unlinks and frees the entry.
  void Drop(Entry* entry);
  void EvictToCapacity();
  void EvictFromSmall();
  void EvictFromMain();
  size_t entry_capacity() const { return EntryCapacityFor(capacity_); }
  size_t ghost_limit() const;
  size_t small_target() const { return entry_capacity() / 10; }
  size_t max_charge() const { return MaxChargeFor(capacity_); }

  mutable std::shared_mutex mutex_;
  CacheIndex<Entry> index_;  // owns nothing: entries are freed by Drop and the destructor
  Fifo small_;
  Fifo main_;
  Ghost ghost_;
  size_t capacity_ = 0;
  size_t usage_ = 0;
  size_t small_usage_ = 0;
  size_t main_entries_ = 0;
  std::array<uint64_t, kStampSlots> stamps_{};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> evictions_{0};
};

}  // namespace cairn
