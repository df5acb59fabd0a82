// AccessTracker: per-key last-access time and Redis-style LFU counter, for OBJECT IDLETIME,
// OBJECT FREQ and TOUCH. Kept in memory only, in a fixed table of hashed slots: every read
// of every key records an access, so recording must cost no allocation and no lock. A key
// maps to one slot; a key that is not in its slot (never touched since start, or displaced
// by another key hashing there) reports idle since the tracker was created and the initial
// LFU value 5, as a freshly loaded key does in Redis. Racing recorders of two keys sharing a
// slot may mix their histories: the values are hints, like Redis's sampled LRU/LFU.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "engine/clock.h"

namespace cairn {

class AccessTracker {
 public:
  static constexpr uint8_t kInitialFrequency = 5;  // Redis LFU_INIT_VAL

  // `db` in every call is whatever stable db id the owner uses (Storage uses physical ids,
  // so SWAPDB carries the history along for free). `max_entries` is rounded up to a power
  // of two slots of 16 bytes; pages of the table become resident as keys reach them.
  AccessTracker(const Clock* clock, size_t max_entries);

  // Updates the access time and the logarithmic frequency counter (decayed first).
  void RecordAccess(int db, std::string_view key);
  // Starts loading the key's slot into the CPU cache: the table is far larger than the
  // cache, so a command that will record an access asks early, and the load overlaps the
  // command's own lookups instead of stalling RecordAccess.
  void Prefetch(int db, std::string_view key) const;
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
  // Keys with a history (a walk over the table: for tests and INFO, not hot paths).
  size_t size() const;

 private:
  // A slot: `tag` names the key (its db in the top 16 bits, 48 bits of its hash below; 0 is
  // empty) and `state` packs the last access in ms (low 40 bits, wrapping every 34 years),
  // the minute of the last decay (16 bits, wrapping like Redis's LFU clock) and the counter.
  struct Slot {
    uint64_t tag;
    uint64_t state;
  };
  // Unmaps the slot table.
  struct FreeSlots {
    size_t bytes;
    void operator()(Slot* slots) const;
  };
  using SlotTable = std::unique_ptr<Slot[], FreeSlots>;
  struct History {
    uint64_t last_access_ms;
    uint16_t last_decay_minute;
    uint8_t counter;
  };

  static uint64_t TagOf(int db, std::string_view key);
  Slot& SlotFor(uint64_t tag) const;
  // The history in a slot if it holds the key.
  bool Load(const Slot& slot, uint64_t tag, History* history) const;
  static void Store(Slot& slot, uint64_t tag, const History& history);
  uint8_t Decayed(const History& history, uint64_t now_ms) const;
  uint8_t Incremented(uint8_t counter) const;
  void ClearWhere(bool (*matches)(uint64_t tag, uint64_t db_bits), uint64_t db_bits);

  const Clock* clock_;
  uint64_t start_ms_;
  std::atomic<int> log_factor_{10};
  std::atomic<int> decay_minutes_{1};
  size_t slot_mask_;
  SlotTable slots_;
};

}  // namespace cairn
