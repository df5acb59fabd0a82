// Opening, closing and committing to the RocksDB database; WAL sync policy; checkpoints;
// INFO numbers; the memory budget's live resizing.
#include "engine/storage.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_buffer_manager.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "encoding/coding.h"
#include "encoding/key_slot.h"
#include "encoding/meta_key.h"
#include "engine/active_expirer.h"
#include "engine/hash.h"
#include "engine/keyspace.h"
#include "engine/list.h"
#include "engine/member_collector.h"
#include "engine/member_scan.h"
#include "engine/rocks_status.h"
#include "engine/set.h"
#include "engine/storage_options.h"
#include "engine/string.h"
#include "engine/transaction_batch.h"
#include "engine/zset.h"

namespace cairn {

namespace {

constexpr const char* kCfNames[] = {"default", "meta", "sub", "zscore", "expire"};
constexpr const char* kFormatVersion = "1";

// Storage::ThreadCommits.
thread_local uint64_t thread_commits = 0;

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsDirectoryEmpty(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_empty(dir, ec) && !ec;
}

bool IsCairnFamily(const std::string& name) {
  return std::find(std::begin(kCfNames), std::end(kCfNames), name) != std::end(kCfNames);
}

Status DamagedDirectory(const std::string& path, const rocksdb::Status& s) {
  return Status::Corruption("data directory " + path + " is damaged and was not opened (" +
                            s.ToString() +
                            "); restore it from a backup (cairn-backup restore) or move it aside");
}

// Creates the directory if needed and decides whether it is fresh (empty) or holds a
// database that may be ours; anything else is refused before RocksDB touches it.
Status InspectDirectory(const std::string& path, const rocksdb::DBOptions& db_options, bool* fresh,
                        std::vector<std::string>* existing) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir(path);
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) {
    return Status::IOError("data directory " + path + " is not a directory");
  }
  *fresh = !fs::exists(dir / "CURRENT", ec);
  if (*fresh) {
    if (IsDirectoryEmpty(dir)) return Status::OK();
    return Status::InvalidArgument("data directory " + path +
                                   " is not empty and holds no Cairn database");
  }
  // Reads CURRENT and the MANIFEST only, writing nothing: a damaged database is reported
  // before RocksDB's recovery could rewrite any of it.
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, path, existing);
  if (!s.ok()) return DamagedDirectory(path, s);
  if (!Contains(*existing, "meta")) {
    return Status::InvalidArgument("data directory " + path +
                                   " holds a RocksDB database that is not a Cairn database");
  }
  return Status::OK();
}

}  // namespace

Storage::Storage(const StorageOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::System()),
      fsync_policy_(options.fsync),
      min_free_disk_(options.min_free_disk_bytes),
      tracker_(clock_, options.access_tracker_entries),
      member_collector_(std::make_shared<MemberCollectorFactory>()) {
  hot_cache_ = std::make_unique<HotCache>(options.hot_cache_bytes, options.hot_cache_shards);
  budget_.hot_cache_bytes = options.hot_cache_bytes;
  budget_.block_cache_bytes = options.block_cache_bytes;
  budget_.memtable_bytes = options.memtable_bytes;
  budget_.write_buffer_bytes = options.write_buffer_bytes;
  budget_.total_bytes =
      options.hot_cache_bytes + options.block_cache_bytes + options.memtable_bytes;
}

Storage::~Storage() { Close(); }

Status Storage::Open(const StorageOptions& options, std::unique_ptr<Storage>* out) {
  if (options.dir.empty()) return Status::InvalidArgument("ERR data directory not set");
  if (options.databases < 1 || options.databases > kMaxDatabases) {
    return Status::InvalidArgument("ERR databases must be between 1 and " +
                                   std::to_string(kMaxDatabases));
  }
  std::unique_ptr<Storage> storage(new Storage(options));
  Status s = storage->OpenDatabase();
  if (s.ok()) s = storage->LoadState();
  if (!s.ok()) {
    storage->Close();
    return s;
  }
  storage->StartBackgroundThreads();
  *out = std::move(storage);
  return Status::OK();
}

Status Storage::OpenDatabase() {
  rocksdb::DBOptions db_options = MakeDbOptions(options_);
  bool fresh = false;
  std::vector<std::string> existing;
  Status inspected = InspectDirectory(options_.dir, db_options, &fresh, &existing);
  if (!inspected.ok()) return inspected;
  write_buffer_manager_ = db_options.write_buffer_manager;
  block_cache_ = rocksdb::NewLRUCache(options_.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int i = 0; i < kNumCfs; i++) {
    descriptors.emplace_back(kCfNames[i],
                             MakeCfOptions(options_, kCfNames[i], block_cache_, member_collector_));
  }
  // RocksDB insists on opening every family a database has, ours or not.
  for (const std::string& name : existing) {
    if (!IsCairnFamily(name)) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options_.dir, descriptors, &handles, &db_);
  if (!s.ok()) {
    std::string message = s.ToString();
    if (s.IsIOError() && message.find("lock") != std::string::npos) {
      return Status::Busy("data directory " + options_.dir +
                          " is locked by another cairn-server (" + message + ")");
    }
    if (s.IsCorruption()) return DamagedDirectory(options_.dir, s);
    return FromRocks(s);
  }
  cfs_.assign(handles.begin(), handles.begin() + kNumCfs);
  foreign_cfs_.assign(handles.begin() + kNumCfs, handles.end());
  member_collector_->Attach(db_, meta_cf());
  hot_cache_->SetMemberColumnFamilies(sub_cf()->GetID(), zscore_cf()->GetID(), &dead_ranges_);
  return CheckFormatMarker(fresh);
}

Status Storage::CheckFormatMarker(bool fresh) {
  std::string marker;
  rocksdb::Status s = db_->Get(read_options_, default_cf(), DbCatalog::FormatKey(), &marker);
  if (s.IsNotFound()) {
    // A database whose creation was cut short before the marker landed is still empty.
    // Physical dbs and state keys all sort below 0xff.
    rocksdb::Slice upper("\xff", 1);
    rocksdb::ReadOptions read = read_options_;
    read.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> meta(db_->NewIterator(read, meta_cf()));
    std::unique_ptr<rocksdb::Iterator> state(db_->NewIterator(read, default_cf()));
    meta->SeekToFirst();
    state->SeekToFirst();
    if (!fresh && (meta->Valid() || state->Valid())) {
      return Status::InvalidArgument("data directory " + options_.dir +
                                     " holds a RocksDB database that is not a Cairn database");
    }
    rocksdb::WriteOptions sync;
    sync.sync = true;
    return FromRocks(db_->Put(sync, default_cf(), DbCatalog::FormatKey(), kFormatVersion));
  }
  if (!s.ok()) return FromRocks(s);
  if (marker != kFormatVersion) {
    return Status::InvalidArgument("data directory " + options_.dir +
                                   " holds an unsupported Cairn format version " + marker);
  }
  return Status::OK();
}

Status Storage::LoadState() {
  Status s = catalog_.Load(db_, default_cf(), read_options_, options_.databases);
  if (!s.ok()) return s;
  std::string floor_value;
  uint64_t floor = 0;
  rocksdb::Status rs =
      db_->Get(read_options_, default_cf(), DbCatalog::VersionFloorKey(), &floor_value);
  if (rs.ok() && floor_value.size() == 8) {
    floor = DecodeFixed64(floor_value.data());
  } else if (!rs.ok() && !rs.IsNotFound()) {
    return FromRocks(rs);
  }
  s = versions_.Init(clock_, floor, [this](uint64_t new_floor) {
    std::string value;
    PutFixed64(&value, new_floor);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    return FromRocks(db_->Put(sync, default_cf(), DbCatalog::VersionFloorKey(), value));
  });
  if (!s.ok()) return s;
  keyspace_ = std::make_unique<Keyspace>(this);
  strings_ = std::make_unique<Strings>(this);
  hashes_ = std::make_unique<Hashes>(this);
  lists_ = std::make_unique<Lists>(this);
  sets_ = std::make_unique<Sets>(this);
  zsets_ = std::make_unique<ZSets>(this);
  member_scans_ = std::make_unique<MemberScans>(this);
  expirer_ = std::make_unique<ActiveExpirer>(this);
  return Status::OK();
}

void Storage::StartBackgroundThreads() {
  wal_thread_ = std::thread([this] { WalSyncLoop(); });
  if (options_.active_expiry) expirer_->Start();
}

void Storage::WalSyncLoop() {
  std::unique_lock<std::mutex> lock(wal_mutex_);
  while (!stop_wal_thread_) {
    wal_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_wal_thread_; });
    if (stop_wal_thread_) break;
    if (disk_full_.load()) {
      lock.unlock();
      TryRecoverFromDiskFull();
      lock.lock();
      continue;
    }
    FsyncPolicy policy = fsync_policy_.load();
    // Background writes (active expiry) have no reply to flush them: with deferred WAL
    // flushes they reach the OS here, at the latest a second later.
    if (!options_.deferred_wal_flush && policy != FsyncPolicy::kEverySec) continue;
    lock.unlock();
    // A failed sync is retried a second later; commits already reported their own errors.
    db_->FlushWAL(policy != FsyncPolicy::kNo);
    lock.lock();
  }
}

Status Storage::Close() {
  std::lock_guard<std::mutex> close_lock(close_mutex_);
  if (closed_) return Status::OK();
  closed_ = true;
  if (expirer_) expirer_->Stop();
  {
    std::lock_guard<std::mutex> lock(wal_mutex_);
    stop_wal_thread_ = true;
  }
  wal_cv_.notify_all();
  if (wal_thread_.joinable()) wal_thread_.join();
  if (db_ == nullptr) return Status::OK();
  // Running compactions may be reading metadata through our handles (member collector):
  // let them finish before the handles go.
  member_collector_->Detach();
  rocksdb::CancelAllBackgroundWork(db_, true);
  Status result = FromRocks(db_->FlushWAL(true));
  for (rocksdb::ColumnFamilyHandle* handle : cfs_) db_->DestroyColumnFamilyHandle(handle);
  for (rocksdb::ColumnFamilyHandle* handle : foreign_cfs_) db_->DestroyColumnFamilyHandle(handle);
  cfs_.clear();
  foreign_cfs_.clear();
  Status close = FromRocks(db_->Close());
  delete db_;
  db_ = nullptr;
  return result.ok() ? close : result;
}

Status Storage::CheckDb(int db) const {
  if (!catalog_.IsValid(db)) return Status::InvalidArgument("ERR DB index is out of range");
  return Status::OK();
}

Status Storage::Write(rocksdb::WriteBatch* batch) {
  if (TransactionBatch* txn = TransactionBatch::Active(this)) {
    txn->Append(batch);
    return Status::OK();
  }
  // Refused up front: a WAL append that meets a full disk stops RocksDB (and trips an
  // assertion in some builds of it).
  if (disk_full_.load() || !HasFreeSpace(batch->GetDataSize())) {
    disk_full_.store(true);
    return Status::NoSpace(kDiskFullMessage);
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = !options_.deferred_wal_flush &&
                       fsync_policy_.load(std::memory_order_relaxed) == FsyncPolicy::kAlways;
  rocksdb::Status s = db_->Write(write_options, batch);
  ++thread_commits;
  // Write-through, while the writer still holds its key locks: the cache learns a value
  // only once the disk has it. A failed commit may or may not have reached RocksDB, so its
  // keys leave the cache.
  if (!s.ok()) {
    hot_cache_->Invalidate(*batch, meta_cf()->GetID());
    return NoteWriteFailure(s);
  }
  hot_cache_->ApplyCommitted(*batch, meta_cf()->GetID());
  writes_committed_.fetch_add(1, std::memory_order_release);
  return Status::OK();
}

Status Storage::MakeWritesDurable() {
  if (!options_.deferred_wal_flush) return Status::OK();
  // Counted before the flush: a write committed meanwhile may miss this flush, so it must
  // not be marked durable by it.
  uint64_t committed = writes_committed_.load(std::memory_order_acquire);
  if (writes_durable_.load(std::memory_order_acquire) >= committed) return Status::OK();
  bool sync = fsync_policy_.load(std::memory_order_relaxed) == FsyncPolicy::kAlways;
  rocksdb::Status s = db_->FlushWAL(sync);
  if (!s.ok()) return NoteWriteFailure(s);
  uint64_t durable = writes_durable_.load(std::memory_order_relaxed);
  while (durable < committed &&
         !writes_durable_.compare_exchange_weak(durable, committed, std::memory_order_release)) {
  }
  return Status::OK();
}

DeadRanges* Storage::WalkDeadRanges() {
  return TransactionBatch::Active(this) != nullptr ? nullptr : &dead_ranges_;
}

uint64_t Storage::ThreadCommits() { return thread_commits; }

HotCache* Storage::ReadCache() {
  if (!hot_cache_->enabled() || TransactionBatch::Active(this) != nullptr) return nullptr;
  return hot_cache_.get();
}

// A full disk stops RocksDB (a background error) until Resume(); everything already
// committed stays readable. Other failures pass through unchanged.
Status Storage::NoteWriteFailure(const rocksdb::Status& s) {
  if (!s.IsNoSpace() && s.ToString().find("No space left") == std::string::npos) {
    return FromRocks(s);
  }
  disk_full_.store(true);
  return Status::NoSpace(kDiskFullMessage);
}

// statvfs walks the path on every call, too costly per write: the free space is measured at
// most every kFreeSpaceRecheckBytes written or kFreeSpaceRecheckMs, and in between the
// writes since the last measurement are subtracted from it; within kFreeSpaceNearFullBytes
// of the reserve it is measured on every write. Background flushes and compactions also use
// space, which the reserve (min-free-disk) absorbs.
constexpr uint64_t kFreeSpaceNearFullBytes = uint64_t{256} << 20;

bool Storage::HasFreeSpace(uint64_t needed) const {
  uint64_t reserve = min_free_disk_.load(std::memory_order_relaxed);
  if (reserve == 0) return true;
  uint64_t written = written_since_statfs_.fetch_add(needed, std::memory_order_relaxed) + needed;
  uint64_t now = clock_->NowMs();
  uint64_t measured_at = statfs_time_ms_.load(std::memory_order_relaxed);
  uint64_t free_bytes = measured_free_bytes_.load(std::memory_order_relaxed);
  bool fresh = now - measured_at < kFreeSpaceRecheckMs && written < kFreeSpaceRecheckBytes;
  // Near the reserve every write measures again, as exactly as statvfs can tell.
  if (fresh && measured_at != 0 && free_bytes >= reserve + written + kFreeSpaceNearFullBytes) {
    return true;
  }
  struct statvfs fs_stats;
  if (statvfs(options_.dir.c_str(), &fs_stats) != 0) return true;  // cannot tell: try
  free_bytes = static_cast<uint64_t>(fs_stats.f_bavail) * fs_stats.f_frsize;
  measured_free_bytes_.store(free_bytes, std::memory_order_relaxed);
  written_since_statfs_.store(0, std::memory_order_relaxed);
  statfs_time_ms_.store(now, std::memory_order_relaxed);
  return free_bytes >= reserve + needed;
}

// Called once a second while the disk is full: once the reserve is free again, RocksDB
// (stopped if a write or flush failed for lack of space) is asked to resume.
void Storage::TryRecoverFromDiskFull() {
  if (!HasFreeSpace(0)) return;
  rocksdb::Status resumed = db_->Resume();
  if (resumed.ok()) disk_full_.store(false);
}

rocksdb::Status Storage::Get(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key,
                             rocksdb::PinnableSlice* value) {
  if (TransactionBatch* txn = TransactionBatch::Active(this)) {
    return txn->Get(read_options_, cf, key, value);
  }
  return db_->Get(read_options_, cf, key, value);
}

rocksdb::Iterator* Storage::NewIterator(const rocksdb::ReadOptions& read,
                                        rocksdb::ColumnFamilyHandle* cf, std::string_view start) {
  if (TransactionBatch* txn = TransactionBatch::Active(this)) {
    return txn->NewIterator(read, cf, start);
  }
  return db_->NewIterator(read, cf);
}

Status Storage::ReloadCatalog() {
  return catalog_.Load(db_, default_cf(), read_options_, options_.databases);
}

Status Storage::SyncWAL() { return FromRocks(db_->FlushWAL(true)); }

Status Storage::CreateCheckpoint(const std::string& path) {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_, &raw);
  if (!s.ok()) return FromRocks(s);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(path));
}

void Storage::AddCfInfo(std::vector<std::pair<std::string, std::string>>* info, int cf) {
  static constexpr std::pair<const char*, const char*> kProperties[] = {
      {"estimate_num_keys", "rocksdb.estimate-num-keys"},
      {"sst_bytes", "rocksdb.total-sst-files-size"},
      {"live_sst_bytes", "rocksdb.live-sst-files-size"},
      {"memtable_bytes", "rocksdb.cur-size-all-mem-tables"},
      {"immutable_memtables", "rocksdb.num-immutable-mem-table"},
      {"pending_compaction_bytes", "rocksdb.estimate-pending-compaction-bytes"},
      {"compaction_pending", "rocksdb.compaction-pending"},
  };
  for (const auto& [name, property] : kProperties) {
    uint64_t value = 0;
    if (db_->GetIntProperty(cfs_[static_cast<size_t>(cf)], property, &value)) {
      info->emplace_back(std::string(kCfNames[cf]) + "_" + name, std::to_string(value));
    }
  }
}

std::vector<std::pair<std::string, std::string>> Storage::RocksDBInfo() {
  std::vector<std::pair<std::string, std::string>> info;
  static constexpr std::pair<const char*, const char*> kDbProperties[] = {
      {"estimate_num_keys", "rocksdb.estimate-num-keys"},
      {"sst_bytes", "rocksdb.total-sst-files-size"},
      {"memtable_bytes", "rocksdb.cur-size-all-mem-tables"},
      {"table_readers_bytes", "rocksdb.estimate-table-readers-mem"},
      {"compaction_pending", "rocksdb.compaction-pending"},
      {"pending_compaction_bytes", "rocksdb.estimate-pending-compaction-bytes"},
      {"running_compactions", "rocksdb.num-running-compactions"},
      {"running_flushes", "rocksdb.num-running-flushes"},
      {"background_errors", "rocksdb.background-errors"},
      {"write_stopped", "rocksdb.is-write-stopped"},
      {"delayed_write_rate", "rocksdb.actual-delayed-write-rate"},
  };
  for (const auto& [name, property] : kDbProperties) {
    uint64_t value = 0;
    if (db_->GetAggregatedIntProperty(property, &value)) {
      info.emplace_back(name, std::to_string(value));
    }
  }
  info.emplace_back("block_cache_capacity", std::to_string(block_cache_->GetCapacity()));
  info.emplace_back("block_cache_usage", std::to_string(block_cache_->GetUsage()));
  info.emplace_back("block_cache_pinned_usage", std::to_string(block_cache_->GetPinnedUsage()));
  for (int cf = 0; cf < kNumCfs; cf++) AddCfInfo(&info, cf);
  info.emplace_back("disk_usage_bytes", std::to_string(DiskUsageBytes()));
  return info;
}

uint64_t Storage::DiskUsageBytes() const {
  namespace fs = std::filesystem;
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(options_.dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      uint64_t size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

void Storage::RecordAccess(int db, std::string_view key) {
  if (catalog_.IsValid(db)) tracker_.RecordAccess(catalog_.Physical(db), key);
}

void Storage::PrefetchAccess(int db, std::string_view key) const {
  if (catalog_.IsValid(db)) tracker_.Prefetch(catalog_.Physical(db), key);
}

void Storage::PrefetchKey(int db, std::string_view key, HotCache::PrefetchStage stage) const {
  constexpr size_t kMaxPrefetchKey = 128;
  if (!catalog_.IsValid(db) || key.size() > kMaxPrefetchKey) return;
  uint8_t physical = catalog_.Physical(db);
  if (stage == HotCache::PrefetchStage::kSlot) tracker_.Prefetch(physical, key);
  char meta_key[kMetaKeyHeaderSize + kMaxPrefetchKey];
  size_t size = EncodeMetaKeyTo(physical, KeyHashSlot(key), key, meta_key);
  hot_cache_->Prefetch(std::string_view(meta_key, size), stage);
}

void Storage::ForgetAccess(int db, std::string_view key) {
  if (catalog_.IsValid(db)) tracker_.Forget(catalog_.Physical(db), key);
}

uint64_t Storage::IdleMs(int db, std::string_view key) const {
  return catalog_.IsValid(db) ? tracker_.IdleMs(catalog_.Physical(db), key) : 0;
}

uint8_t Storage::AccessFrequency(int db, std::string_view key) const {
  return catalog_.IsValid(db) ? tracker_.Frequency(catalog_.Physical(db), key)
                              : AccessTracker::kInitialFrequency;
}

size_t Storage::RunExpiryPass() { return expirer_->RunPass(); }

void Storage::SetActiveExpiry(bool enabled) {
  std::lock_guard<std::mutex> close_lock(close_mutex_);
  if (closed_) return;
  if (enabled) {
    expirer_->Start();
  } else {
    expirer_->Stop();
  }
}

StorageMemory Storage::MemoryUsage() {
  StorageMemory memory;
  uint64_t value = 0;
  if (db_->GetAggregatedIntProperty("rocksdb.cur-size-all-mem-tables", &value)) {
    memory.memtable_bytes = value;
  }
  if (db_->GetAggregatedIntProperty("rocksdb.estimate-table-readers-mem", &value)) {
    memory.table_reader_bytes = value;
  }
  memory.block_cache_bytes = block_cache_->GetUsage();
  memory.hot_cache_bytes = hot_cache_->Stats().usage_bytes;
  return memory;
}

Status Storage::ResizeMemory(const MemoryBudget& budget) {
  std::lock_guard<std::mutex> close_lock(close_mutex_);
  if (closed_) return Status::InvalidArgument("ERR storage is closed");
  {
    std::lock_guard<std::mutex> lock(budget_mutex_);
    budget_ = budget;
  }
  hot_cache_->SetCapacity(budget.hot_cache_bytes);
  block_cache_->SetCapacity(budget.block_cache_bytes);
  write_buffer_manager_->SetBufferSize(budget.memtable_bytes);
  StorageOptions sized = options_;
  sized.write_buffer_bytes = budget.write_buffer_bytes;
  for (int cf = 0; cf < kNumCfs; cf++) {
    size_t bytes = WriteBufferSizeFor(sized, kCfNames[cf]);
    rocksdb::Status s = db_->SetOptions(cfs_[static_cast<size_t>(cf)],
                                        {{"write_buffer_size", std::to_string(bytes)}});
    if (!s.ok()) return FromRocks(s);
  }
  return Status::OK();
}

MemoryBudget Storage::memory_budget() const {
  std::lock_guard<std::mutex> lock(budget_mutex_);
  return budget_;
}

}  // namespace cairn
