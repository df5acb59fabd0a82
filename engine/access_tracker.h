// AccessTracker: per-key last-access time and Redis-style LFU counter, for OBJECT IDLETIME,
// OBJECT FREQ and TOUCH. Kept in memory only, in a sharded table of bounded size: a key that
// is not in it (never touched since start, or pushed out) reports idle since the tracker was
// created and the initial LFU value 5, as a freshly loaded key does in Redis.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/clock.h"

namespace cairn {

class AccessTracker {
 public:
  static constexpr uint8_t kInitialFrequency = 5;  // Redis LFU_INIT_VAL

  // `db` in every call is whatever stable db id the owner uses (Storage uses physical ids,
  // so SWAPDB carries the history along for free).
  AccessTracker(const Clock* clock, size_t max_entries);

  // Updates the access time and the logarithmic frequency counter (decayed first).
  void RecordAccess(int db, std::string_view key);
  void Forget(int db, std::string_view key);
  // Starts the key's history over as `idle_ms` idle with LFU counter `frequency` (RESTORE
  // ... IDLETIME / FREQ; a plain RESTORE passes 0 and kInitialFrequency, like a new object).
  void Reset(int db, std::string_view key, uint64_t idle_ms, uint8_t frequency);
  void ForgetDb(int db);
  void Clear();

  uint64_t IdleMs(int db, std::string_view key) const;
  // The counter after decay, as OBJECT FREQ reports it.
  uint8_t Frequency(int db, std::string_view key) const;

  // lfu-log-factor and lfu-decay-time (minutes), settable at run time like in Redis.
  void SetLfuParameters(int log_factor, int decay_minutes);
  size_t size() const;

 private:
  struct Entry {
    uint64_t last_access_ms = 0;
    uint64_t last_decay_minute = 0;
    uint8_t counter = kInitialFrequency;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
  };
  static constexpr size_t kShards = 64;

  static std::string EntryKey(int db, std::string_view key);
  Shard& ShardFor(const std::string& entry_key) const;
  uint8_t Decayed(const Entry& entry, uint64_t now_minute) const;
  uint8_t Incremented(uint8_t counter) const;

  const Clock* clock_;
  size_t max_entries_per_shard_;
  uint64_t start_ms_;
  std::atomic<int> log_factor_{10};
  std::atomic<int> decay_minutes_{1};
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace cairn
