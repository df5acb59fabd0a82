// Active expiry: deadline-ordered reclaiming of expired keys under their key locks.
#include "engine/active_expirer.h"

#include <rocksdb/db.h>

#include <chrono>
#include <memory>
#include <string>

#include "engine/key_batch.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

namespace {

constexpr auto kPassInterval = std::chrono::milliseconds(10);
constexpr int kMaxPassesPerWakeup = 16;
// Entries can land behind the resume point when a writer read the clock a little before the
// pass did; start that much earlier, and sweep from the very beginning once a second.
constexpr uint64_t kResumeSlackMs = 2000;
constexpr uint64_t kFullSweepIntervalMs = 1000;

}  // namespace

void ActiveExpirer::Start() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(thread_mutex_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void ActiveExpirer::Stop() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  {
    std::lock_guard<std::mutex> lock(thread_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ActiveExpirer::Loop() {
  std::unique_lock<std::mutex> lock(thread_mutex_);
  while (!stop_) {
    wake_.wait_for(lock, kPassInterval, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    // Keep going while passes fill up, but hand the locks back between passes.
    for (int i = 0; i < kMaxPassesPerWakeup; i++) {
      if (RunPass() < kKeysPerPass) break;
    }
    lock.lock();
  }
}

size_t ActiveExpirer::RunPass() {
  std::lock_guard<std::mutex> pass_lock(pass_mutex_);
  KeyLocks::SharedGuard server_guard = storage_->locks().LockShared();
  uint64_t now = storage_->NowMs();
  bool full_sweep = now >= last_full_sweep_ms_ + kFullSweepIntervalMs;
  uint64_t start = full_sweep || resume_ms_ < kResumeSlackMs ? 0 : resume_ms_ - kResumeSlackMs;
  if (full_sweep) last_full_sweep_ms_ = now;

  std::string lower = ExpireKeyBound(start);
  std::string upper = ExpireKeyBound(now + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read = storage_->read_options();
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      storage_->rocks()->NewIterator(read, storage_->expire_cf()));
  size_t reclaimed_count = 0;
  size_t examined = 0;
  uint64_t last_deadline = now;
  for (it->Seek(lower); it->Valid() && examined < kKeysPerPass; it->Next()) {
    examined++;
    std::string raw_key = it->key().ToString();
    ExpireKeyParts parts;
    bool reclaimed = false;
    if (!DecodeExpireKey(raw_key, &parts)) {
      // Not an index entry this engine could have written: drop it.
      storage_->rocks()->Delete(rocksdb::WriteOptions(), storage_->expire_cf(), raw_key);
      continue;
    }
    last_deadline = parts.expire_ms;
    if (ProcessEntry(raw_key, parts, now, &reclaimed).ok() && reclaimed) reclaimed_count++;
  }
  bool finished = !it->Valid() && it->status().ok();
  resume_ms_ = finished ? now : last_deadline;
  return reclaimed_count;
}

Status ActiveExpirer::ProcessEntry(std::string_view raw_key, const ExpireKeyParts& parts,
                                   uint64_t now_ms, bool* reclaimed) {
  DbCatalog& catalog = storage_->catalog();
  int logical = catalog.Logical(parts.db);
  // Dbs beyond the configured count are unreachable by commands; lock them apart.
  int lock_db = logical >= 0 ? logical : kMaxDatabases + parts.db;
  std::string user_key(parts.user_key);
  {
    KeyLockGuard key_guard = storage_->locks().LockKey(lock_db, user_key);
    KeyRef ref = PhysicalKeyRef(parts.db, user_key);
    ref.logical_db = logical;
    StoredKey stored;
    Status s = LoadKey(*storage_, ref, &stored);
    if (!s.ok()) return s;
    KeyBatch batch(storage_);
    // The entry is only authoritative if the key still carries this very deadline; any
    // other entry is left over from an overwrite, a flush or a changed TTL.
    *reclaimed = stored.present() && stored.meta().expire_ms == parts.expire_ms &&
                 stored.meta().IsExpired(now_ms);
    if (*reclaimed) {
      batch.Delete(ref, stored);
    } else {
      batch.batch()->Delete(storage_->expire_cf(), rocksdb::Slice(raw_key.data(), raw_key.size()));
    }
    s = batch.Commit();
    if (!s.ok()) {
      *reclaimed = false;
      return s;
    }
    if (*reclaimed) storage_->access_tracker().Forget(parts.db, user_key);
  }
  if (*reclaimed && logical >= 0 && storage_->options().on_expired) {
    storage_->options().on_expired(logical, user_key);
  }
  return Status::OK();
}

}  // namespace cairn
