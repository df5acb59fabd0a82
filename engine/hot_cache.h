// HotCache: the in-memory cache of decoded meta entries above RocksDB. A string lives inline
// in its meta value, so a cached entry serves GET and friends without touching RocksDB; for
// a collection it holds the metadata (type, deadline, version, size). Small collections are
// also cached whole, as member snapshots under keys of their own (member_cache.h); larger
// ones stay in RocksDB and its block cache.
//
// Keys are meta keys (physical db | slot | user key) and snapshot keys (a marker byte no
// physical db has, then the member prefix): SWAPDB, which only remaps logical to physical
// dbs, needs no invalidation. Sharded by key hash; each shard evicts with S3-FIFO
// (cache_shard.h), so scans and bulk loads of cold keys do not flush the hot set.
//
// Coherence, which Storage and LoadKey implement with it:
//   - reads: Lookup; on a miss read RocksDB, then Fill with the ticket Lookup gave;
//   - writes are write-through: Storage::Write commits the batch, then ApplyCommitted
//     replays its meta changes into the cache while the writer still holds the key locks,
//     and erases the snapshot of every collection incarnation whose members it changed;
//     a batch that failed goes to Invalidate instead (its keys and snapshots are dropped);
//   - a transaction's writes reach the cache when its single batch commits, and reads inside
//     a transaction bypass the cache (they must see the transaction's pending writes).
// The cache therefore never holds a value the disk does not, nor one older than a value a
// client was already given.
#pragma once

#include <rocksdb/write_batch.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/cache_shard.h"

namespace cairn {

class DeadRanges;

struct HotCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  uint64_t entries = 0;
  uint64_t usage_bytes = 0;
  uint64_t capacity_bytes = 0;
};

class HotCache {
 public:
  // What Fill needs from the Lookup that missed.
  struct Ticket {
    uint64_t stamp = 0;
    bool valid = false;
  };

  // `shard_count` 0 picks one from the capacity (a power of two, 1 to 64).
  explicit HotCache(size_t capacity_bytes, size_t shard_count = 0);
  HotCache(const HotCache&) = delete;
  HotCache& operator=(const HotCache&) = delete;

  // Tells the batch replay which column families hold members (`sub` and `zscore`). Called
  // once, after the database opened and before any traffic.
  // Member writes also reach `dead_ranges` (dead_ranges.h), cache on or off.
  void SetMemberColumnFamilies(uint32_t sub_cf_id, uint32_t zscore_cf_id, DeadRanges* dead_ranges);

  // The cached value of a meta key, or nullptr (then *ticket is set for Fill).
  std::shared_ptr<const CachedMeta> Lookup(std::string_view meta_key, Ticket* ticket);
  // Caches what a reader found in RocksDB after a missed Lookup, unless a write to the key
  // may have happened meanwhile. True if cached.
  bool Fill(const Ticket& ticket, std::string_view meta_key, std::string_view raw);
  // Lookup and Fill for any key and value (member snapshots use them).
  std::shared_ptr<const CachedValue> LookupValue(std::string_view key, Ticket* ticket);
  bool FillValue(const Ticket& ticket, std::string_view key,
                 std::shared_ptr<const CachedValue> value);

  // How far ahead of its lookup a prefetch is made (CacheShard::PrefetchSlot/PrefetchEntry).
  enum class PrefetchStage { kSlot, kEntry };
  void Prefetch(std::string_view meta_key, PrefetchStage stage) const;

  // Write-through of one committed change.
  void Put(std::string_view meta_key, std::string_view raw);
  void Erase(std::string_view meta_key);
  // Drops the cached keys in [begin, end) (a flushed db).
  void EraseRange(std::string_view begin, std::string_view end);
  void EraseRanges(std::vector<KeyRange> ranges);

  // Replays the meta column family's changes of a committed batch (puts, deletes, range
  // deletes) into the cache, and drops the snapshots of collections whose members changed.
  void ApplyCommitted(const rocksdb::WriteBatch& batch, uint32_t meta_cf_id);
  // Drops every meta key and snapshot a batch names: for a batch whose commit failed.
  void Invalidate(const rocksdb::WriteBatch& batch, uint32_t meta_cf_id);

  // Shrinking evicts right away.
  void SetCapacity(size_t bytes);
  size_t capacity() const { return capacity_.load(std::memory_order_relaxed); }
  bool enabled() const { return capacity() > 0; }

  HotCacheStats Stats() const;
  void ResetStats();
  size_t shard_count() const { return shards_.size(); }

  // For tests: whether the key reached the main FIFO of its shard.
  bool InMainForTest(std::string_view meta_key) const;

 private:
  class BatchReplayer;

  HashedKey Hash(std::string_view key) const;
  // Whether an entry of this size fits the shard limit at the current capacity (checked
  // again under the shard's lock).
  bool Admissible(std::string_view key, size_t value_bytes) const;
  CacheShard& ShardOf(const HashedKey& key) const;

  // Column families whose changes erase snapshots; no family has the unset id's value.
  static constexpr uint32_t kNoColumnFamily = UINT32_MAX;
  uint32_t sub_cf_id_ = kNoColumnFamily;
  uint32_t zscore_cf_id_ = kNoColumnFamily;
  DeadRanges* dead_ranges_ = nullptr;
  std::atomic<size_t> capacity_;
  std::vector<std::unique_ptr<CacheShard>> shards_;
  int shard_shift_ = 0;
};

}  // namespace cairn
