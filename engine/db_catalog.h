// DbCatalog: the logical -> physical database mapping (so SWAPDB is O(1)) and the exact key
// and TTL counts of every physical database (so DBSIZE and INFO keyspace are O(1)).
//
// Both live in the `default` column family. Counts are kept as in-memory atomics and
// persisted as deltas through a uint64-add merge operator, in the same WriteBatch as the
// change they count, so they survive restarts and kill -9 exactly. The mapping is always a
// full permutation of the kMaxDatabases physical ids; `databases` only limits which logical
// ids are reachable, so changing it between runs loses nothing.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/status.h"

namespace cairn {

// Physical ids are one byte, and one value is kept free so every db has a prefix successor.
inline constexpr int kMaxDatabases = 255;

// The merge operator the `default` column family needs for the count deltas.
std::shared_ptr<rocksdb::MergeOperator> NewInt64AddOperator();

class DbCatalog {
 public:
  Status Load(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::ReadOptions& read,
              int databases);

  int databases() const { return databases_; }
  bool IsValid(int logical) const { return logical >= 0 && logical < databases_; }
  // `logical` must be valid.
  uint8_t Physical(int logical) const {
    return logical_to_physical_[static_cast<size_t>(logical)].load(std::memory_order_acquire);
  }
  // -1 when the physical db is not reachable with the configured number of databases.
  int Logical(uint8_t physical) const;

  int64_t KeyCount(int logical) const;
  int64_t ExpireCount(int logical) const;

  // Adds merge operands for count deltas of a physical db to `batch`; after the batch is
  // committed, ApplyCountDeltas makes them visible in memory.
  void AddCountDeltas(rocksdb::WriteBatch* batch, uint8_t physical, int64_t keys,
                      int64_t expires) const;
  void ApplyCountDeltas(uint8_t physical, int64_t keys, int64_t expires);

  // Zeroing counts (FLUSHDB/FLUSHALL), then ApplyResetCounts after commit.
  void AddResetCounts(rocksdb::WriteBatch* batch, uint8_t physical) const;
  void ApplyResetCounts(uint8_t physical);

  // Swapping two logical dbs (SWAPDB), then ApplySwap after commit. Caller excludes all
  // other engine users (server-wide exclusive lock).
  void AddSwap(rocksdb::WriteBatch* batch, int a, int b) const;
  void ApplySwap(int a, int b);

  static const char* FormatKey() { return "cairn.format"; }
  static const char* VersionFloorKey() { return "cairn.version-floor"; }

 private:
  static std::string CountKey(const char* what, uint8_t physical);
  std::string EncodedMapping(int swap_a, int swap_b) const;

  rocksdb::ColumnFamilyHandle* cf_ = nullptr;
  int databases_ = 0;
  std::array<std::atomic<uint8_t>, kMaxDatabases> logical_to_physical_{};
  std::array<std::atomic<int64_t>, kMaxDatabases> key_counts_{};
  std::array<std::atomic<int64_t>, kMaxDatabases> expire_counts_{};
};

}  // namespace cairn
