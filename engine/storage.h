// Storage: the RocksDB database behind Cairn and everything that is shared by all data type
// operations: column families, the commit path with the appendfsync policy, the db mapping
// and counts, metadata versions, key locks, access tracking, active expiry, checkpoints, the
// numbers INFO reports, the hot cache (kept in step with every commit) and the memory
// budget. The data type operations themselves live in Keyspace (generic key commands),
// Strings, Hashes, Lists, Sets and ZSets, reached through their accessors.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine/access_tracker.h"
#include "engine/clock.h"
#include "engine/collection.h"
#include "engine/db_catalog.h"
#include "engine/dead_ranges.h"
#include "engine/hot_cache.h"
#include "engine/key_locks.h"
#include "engine/memory_budget.h"
#include "engine/status.h"
#include "engine/version_generator.h"

namespace cairn {

class ActiveExpirer;
class Hashes;
class Keyspace;
class Lists;
class MemberCollectorFactory;
class MemberScans;
class Sets;
class Strings;
class ZSets;

// appendfsync: sync every commit (group commit batches concurrent writers), sync the WAL
// once a second in the background, or leave it to the OS.
enum class FsyncPolicy { kAlways, kEverySec, kNo };

// How table files are compressed. kLz4: every level, cheap to decompress, so a read that
// misses the caches costs little; kZstdBottommost: lz4 above, zstd on the last level where
// about 90% of the data rests, smaller on disk but each block read from it costs several
// times more CPU.
enum class Compression { kLz4, kZstdBottommost, kNone };

struct StorageOptions {
  std::string dir;
  int databases = 16;  // 1..kMaxDatabases
  FsyncPolicy fsync = FsyncPolicy::kEverySec;
  Compression compression = Compression::kLz4;
  // The memory budget's parts (memory_budget.h splits maxmemory into them).
  size_t hot_cache_bytes = size_t{64} << 20;  // 0 turns the hot cache off
  size_t hot_cache_shards = 0;                // 0: picked from hot_cache_bytes
  size_t block_cache_bytes = size_t{256} << 20;
  size_t memtable_bytes = size_t{256} << 20;  // all memtables together (WriteBufferManager)
  size_t write_buffer_bytes = size_t{64} << 20;
  unsigned cores = 0;              // CPU cores RocksDB's background work may use; 0: all
  uint64_t min_blob_bytes = 4096;  // strings this large go to blob files; 0: never
  // Writes are refused while the data directory's file system has less free space than
  // this (plus the write): RocksDB must never meet a full disk in the middle of a WAL
  // record. 0 turns the check off.
  uint64_t min_free_disk_bytes = uint64_t{32} << 20;
  // Called by the active expiry thread after it reclaimed a key (logical db, user key), while
  // the server-wide lock is held shared: it must not take that lock exclusively.
  std::function<void(int db, const std::string& key)> on_expired;
  bool active_expiry = true;
  const Clock* clock = nullptr;  // nullptr: the system clock
  size_t access_tracker_entries = size_t{1} << 20;
  // Group commit: Write appends to RocksDB's in-memory WAL buffer only, and the caller makes
  // its writes durable with MakeWritesDurable() before it acknowledges them (the server does
  // so once per event-loop pass, before it sends replies, so a pipeline or many clients share
  // one WAL write, and with fsync=always one fsync). Off, every Write reaches the WAL file
  // (and with kAlways the disk) before it returns.
  bool deferred_wal_flush = false;
};

// What RocksDB holds in memory, for INFO memory.
struct StorageMemory {
  uint64_t hot_cache_bytes = 0;
  uint64_t memtable_bytes = 0;
  uint64_t block_cache_bytes = 0;
  uint64_t table_reader_bytes = 0;
};

class Storage {
 public:
  static Status Open(const StorageOptions& options, std::unique_ptr<Storage>* out);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  // Stops the background threads, syncs the WAL and closes the database. Idempotent.
  Status Close();

  Keyspace& keyspace() { return *keyspace_; }
  Strings& strings() { return *strings_; }
  Hashes& hashes() { return *hashes_; }
  Lists& lists() { return *lists_; }
  Sets& sets() { return *sets_; }
  ZSets& zsets() { return *zsets_; }
  // HSCAN / SSCAN / ZSCAN, with their cursor table.
  MemberScans& member_scans() { return *member_scans_; }
  KeyLocks& locks() { return locks_; }
  EncodingLimits& encoding_limits() { return encoding_limits_; }

  const StorageOptions& options() const { return options_; }
  int databases() const { return catalog_.databases(); }
  uint64_t NowMs() const { return clock_->NowMs(); }
  const Clock* clock() const { return clock_; }

  // Commits one batch honouring the fsync policy. While a TransactionBatch is active on the
  // calling thread, the batch joins it instead (committed with it, at its end).
  Status Write(rocksdb::WriteBatch* batch);
  void SetFsyncPolicy(FsyncPolicy policy) { fsync_policy_.store(policy); }
  FsyncPolicy fsync_policy() const { return fsync_policy_.load(); }
  Status SyncWAL();
  // With deferred_wal_flush: hands every write committed so far to the OS (and to the disk
  // with fsync=always), at most one WAL write for all of them. A no-op otherwise, or when
  // nothing was written since the last call. Called before replies that acknowledge writes.
  Status MakeWritesDurable();
  // True from a write that failed for lack of disk space until the background check finds
  // space again and RocksDB resumed; writes meanwhile fail with kDiskFullMessage.
  bool disk_full() const { return disk_full_.load(); }
  void SetMinFreeDisk(uint64_t bytes) { min_free_disk_.store(bytes); }
  static constexpr const char* kDiskFullMessage =
      "MISCONF Errors writing to disk: No space left on device; writes are refused until "
      "space is available, reads keep working";

  // A consistent copy of the database in `path` (which must not exist yet), for SAVE/BGSAVE.
  Status CreateCheckpoint(const std::string& path);

  // Name/value pairs for an INFO "rocksdb" section.
  std::vector<std::pair<std::string, std::string>> RocksDBInfo();
  // Bytes used by every file in the data directory (SSTs, WAL, manifest, ...).
  uint64_t DiskUsageBytes() const;
  StorageMemory MemoryUsage();
  // Resizes the hot cache (shrinking evicts), the block cache, the memtable bound and the
  // memtable size of each column family, live.
  Status ResizeMemory(const MemoryBudget& budget);
  // The budget applied last (after Open: the one the options describe).
  MemoryBudget memory_budget() const;
  HotCache& hot_cache() { return *hot_cache_; }

  uint64_t NextVersion() { return versions_.Next(); }

  // OBJECT IDLETIME / FREQ support; handlers call RecordAccess on every key they read or
  // write. Invalid dbs are ignored.
  void RecordAccess(int db, std::string_view key);
  void PrefetchAccess(int db, std::string_view key) const;
  // For a key of a pipelined command that runs later (the worker looks ahead in a client's
  // input): starts the memory reads its hot-cache lookup and access bookkeeping will need,
  // the index slot a few commands ahead (kSlot), the entry one command ahead (kEntry).
  // A hint only; invalid dbs and long keys are ignored.
  void PrefetchKey(int db, std::string_view key, HotCache::PrefetchStage stage) const;
  void ForgetAccess(int db, std::string_view key);
  uint64_t IdleMs(int db, std::string_view key) const;
  uint8_t AccessFrequency(int db, std::string_view key) const;
  AccessTracker& access_tracker() { return tracker_; }

  // Runs one pass of active expiry now (the background thread does this on its own);
  // returns how many keys it reclaimed. Takes the server lock shared and each key's lock.
  size_t RunExpiryPass();
  // Starts or stops the background expiry thread (DEBUG SET-ACTIVE-EXPIRE); lazy expiry
  // goes on regardless.
  void SetActiveExpiry(bool enabled);

  // Told about every key a write changes (logical db, user key), before it commits, while
  // the key's lock is held: WATCH builds on it. Set once, before any traffic.
  void SetKeyModifiedCallback(std::function<void(int db, std::string_view key)> callback) {
    on_key_modified_ = std::move(callback);
  }
  void NotifyKeyModified(int db, std::string_view key) {
    if (on_key_modified_ && db >= 0) on_key_modified_(db, key);
  }
  // Re-reads the db mapping and key counts from disk, after a transaction that failed to
  // commit left them ahead of it. The caller holds the server lock exclusively.
  Status ReloadCatalog();

  // --- For the engine's data type operations. ---
  // Reads go through Get and NewIterator, which see a transaction's pending writes (see
  // TransactionBatch); `start` is the first key the iterator will be sought to.
  rocksdb::Status Get(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key,
                      rocksdb::PinnableSlice* value);
  rocksdb::Iterator* NewIterator(const rocksdb::ReadOptions& read, rocksdb::ColumnFamilyHandle* cf,
                                 std::string_view start);
  rocksdb::DB* rocks() { return db_; }
  rocksdb::ColumnFamilyHandle* default_cf() { return cfs_[kDefaultCf]; }
  rocksdb::ColumnFamilyHandle* meta_cf() { return cfs_[kMetaCf]; }
  rocksdb::ColumnFamilyHandle* sub_cf() { return cfs_[kSubCf]; }
  rocksdb::ColumnFamilyHandle* zscore_cf() { return cfs_[kZScoreCf]; }
  rocksdb::ColumnFamilyHandle* expire_cf() { return cfs_[kExpireCf]; }
  const rocksdb::ReadOptions& read_options() const { return read_options_; }
  DbCatalog& catalog() { return catalog_; }
  // The hot cache for a read of meta entries, or nullptr when reads must go to RocksDB:
  // the cache is off, or a transaction is active on the calling thread (its pending writes
  // are only visible through Get).
  HotCache* ReadCache();
  // The dead ranges member walks may use and record (dead_ranges.h), or nullptr while a
  // transaction is active on the calling thread: its iterators see pending writes.
  DeadRanges* WalkDeadRanges();
  // Batches this thread committed so far: a walk records only what it saw if this did not
  // change since its iterator opened (its own command may have written meanwhile).
  static uint64_t ThreadCommits();
  // InvalidArgument "ERR DB index is out of range" unless 0 <= db < databases().
  Status CheckDb(int db) const;

 private:
  enum ColumnFamilyIndex { kDefaultCf = 0, kMetaCf, kSubCf, kZScoreCf, kExpireCf, kNumCfs };

  explicit Storage(const StorageOptions& options);
  Status OpenDatabase();
  Status CheckFormatMarker(bool fresh);
  Status LoadState();
  void StartBackgroundThreads();
  void WalSyncLoop();
  Status NoteWriteFailure(const rocksdb::Status& s);
  bool HasFreeSpace(uint64_t needed) const;
  void TryRecoverFromDiskFull();
  void AddCfInfo(std::vector<std::pair<std::string, std::string>>* info, int cf);

  StorageOptions options_;
  const Clock* clock_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  std::vector<rocksdb::ColumnFamilyHandle*> foreign_cfs_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffer_manager_;
  std::unique_ptr<HotCache> hot_cache_;
  DeadRanges dead_ranges_;
  mutable std::mutex budget_mutex_;
  MemoryBudget budget_;  // guarded by budget_mutex_
  rocksdb::ReadOptions read_options_;
  std::atomic<FsyncPolicy> fsync_policy_;
  std::atomic<bool> disk_full_{false};
  // Deferred WAL flush bookkeeping: writes committed, and how many of them a completed
  // MakeWritesDurable covered.
  std::atomic<uint64_t> writes_committed_{0};
  std::atomic<uint64_t> writes_durable_{0};
  std::atomic<uint64_t> min_free_disk_;
  // HasFreeSpace's last statvfs measurement (see there).
  static constexpr uint64_t kFreeSpaceRecheckMs = 100;
  static constexpr uint64_t kFreeSpaceRecheckBytes = uint64_t{1} << 20;
  mutable std::atomic<uint64_t> measured_free_bytes_{0};
  mutable std::atomic<uint64_t> written_since_statfs_{0};
  mutable std::atomic<uint64_t> statfs_time_ms_{0};

  DbCatalog catalog_;
  VersionGenerator versions_;
  KeyLocks locks_;
  EncodingLimits encoding_limits_;
  AccessTracker tracker_;
  std::unique_ptr<Keyspace> keyspace_;
  std::unique_ptr<Strings> strings_;
  std::unique_ptr<Hashes> hashes_;
  std::unique_ptr<Lists> lists_;
  std::unique_ptr<Sets> sets_;
  std::unique_ptr<ZSets> zsets_;
  std::unique_ptr<MemberScans> member_scans_;
  std::shared_ptr<MemberCollectorFactory> member_collector_;
  std::unique_ptr<ActiveExpirer> expirer_;
  std::function<void(int, std::string_view)> on_key_modified_;

  std::mutex close_mutex_;
  bool closed_ = false;
  std::mutex wal_mutex_;
  std::condition_variable wal_cv_;
  bool stop_wal_thread_ = false;
  std::thread wal_thread_;
};

}  // namespace cairn
