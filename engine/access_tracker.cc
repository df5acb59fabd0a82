// Hashed access slots with Redis 7.0's LFU arithmetic (LFULogIncr / LFUDecrAndReturn).
#include "engine/access_tracker.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <functional>
#include <new>
#include <random>

namespace cairn {

namespace {

constexpr uint64_t kHashBits = (uint64_t{1} << 48) - 1;
constexpr uint64_t kAccessBits = (uint64_t{1} << 40) - 1;
constexpr uint64_t kMinuteMask = 0xffff;

double UniformRandom() {
  thread_local std::minstd_rand engine(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

uint64_t LoadRelaxed(const uint64_t& word) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(word)).load(std::memory_order_relaxed);
}

void StoreRelaxed(uint64_t& word, uint64_t value) {
  std::atomic_ref<uint64_t>(word).store(value, std::memory_order_relaxed);
}

uint16_t MinuteOf(uint64_t ms) { return static_cast<uint16_t>((ms / 60000) & kMinuteMask); }

}  // namespace

AccessTracker::AccessTracker(const Clock* clock, size_t max_entries)
    : clock_(clock),
      start_ms_(clock->NowMs()),
      slot_mask_(std::bit_ceil(std::max<size_t>(max_entries, 16)) - 1) {
  // An anonymous mapping comes zeroed, as untouched pages resident only once used. Every
  // access lands on a random slot, so with 4 KB pages nearly every one also missed the TLB:
  // huge pages where the kernel offers them on request.
  size_t bytes = (slot_mask_ + 1) * sizeof(Slot);
  void* table = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (table == MAP_FAILED) throw std::bad_alloc();
  madvise(table, bytes, MADV_HUGEPAGE);
  slots_ = SlotTable(static_cast<Slot*>(table), FreeSlots{bytes});
}

void AccessTracker::FreeSlots::operator()(Slot* slots) const { munmap(slots, bytes); }

uint64_t AccessTracker::TagOf(int db, std::string_view key) {
  uint64_t hash = std::hash<std::string_view>{}(key);
  return (static_cast<uint64_t>(db + 1) << 48) | (hash & kHashBits);
}

AccessTracker::Slot& AccessTracker::SlotFor(uint64_t tag) const {
  // The db takes part in the slot choice too: the same key in two dbs lives apart.
  uint64_t mixed = tag * 0x9e3779b97f4a7c15ULL;
  return slots_[(mixed >> 20) & slot_mask_];
}

bool AccessTracker::Load(const Slot& slot, uint64_t tag, History* history) const {
  if (LoadRelaxed(slot.tag) != tag) return false;
  uint64_t state = LoadRelaxed(slot.state);
  history->last_access_ms = state & kAccessBits;
  history->last_decay_minute = static_cast<uint16_t>((state >> 40) & kMinuteMask);
  history->counter = static_cast<uint8_t>(state >> 56);
  return true;
}

void AccessTracker::Store(Slot& slot, uint64_t tag, const History& history) {
  uint64_t state = (history.last_access_ms & kAccessBits) |
                   (static_cast<uint64_t>(history.last_decay_minute) << 40) |
                   (static_cast<uint64_t>(history.counter) << 56);
  StoreRelaxed(slot.tag, tag);
  StoreRelaxed(slot.state, state);
}

uint8_t AccessTracker::Decayed(const History& history, uint64_t now_ms) const {
  int decay = decay_minutes_.load(std::memory_order_relaxed);
  if (decay <= 0) return history.counter;
  // Like Redis's LFUTimeElapsed: minutes on a 16-bit clock that wraps.
  uint64_t elapsed = (MinuteOf(now_ms) - history.last_decay_minute) & kMinuteMask;
  uint64_t periods = elapsed / static_cast<uint64_t>(decay);
  return periods >= history.counter ? 0 : static_cast<uint8_t>(history.counter - periods);
}

uint8_t AccessTracker::Incremented(uint8_t counter) const {
  if (counter == 255) return counter;
  double base = counter > kInitialFrequency ? counter - kInitialFrequency : 0;
  double p = 1.0 / (base * log_factor_.load(std::memory_order_relaxed) + 1);
  return UniformRandom() < p ? static_cast<uint8_t>(counter + 1) : counter;
}

void AccessTracker::RecordAccess(int db, std::string_view key) {
  uint64_t now_ms = clock_->NowMs();
  uint64_t tag = TagOf(db, key);
  Slot& slot = SlotFor(tag);
  History history;
  if (!Load(slot, tag, &history)) {
    history = History{now_ms, MinuteOf(now_ms), kInitialFrequency};
  }
  uint8_t counter = Incremented(Decayed(history, now_ms));
  Store(slot, tag, History{now_ms, MinuteOf(now_ms), counter});
}

void AccessTracker::Reset(int db, std::string_view key, uint64_t idle_ms, uint8_t frequency) {
  uint64_t now_ms = clock_->NowMs();
  uint64_t tag = TagOf(db, key);
  idle_ms = std::min(idle_ms, kAccessBits / 2);
  Store(SlotFor(tag), tag, History{now_ms - idle_ms, MinuteOf(now_ms), frequency});
}

void AccessTracker::Prefetch(int db, std::string_view key) const {
  __builtin_prefetch(&SlotFor(TagOf(db, key)), /*write=*/1);
}

void AccessTracker::Forget(int db, std::string_view key) {
  uint64_t tag = TagOf(db, key);
  Slot& slot = SlotFor(tag);
  if (LoadRelaxed(slot.tag) == tag) StoreRelaxed(slot.tag, 0);
}

void AccessTracker::ClearWhere(bool (*matches)(uint64_t tag, uint64_t db_bits), uint64_t db_bits) {
  for (size_t i = 0; i <= slot_mask_; i++) {
    uint64_t tag = LoadRelaxed(slots_[i].tag);
    if (tag != 0 && matches(tag, db_bits)) StoreRelaxed(slots_[i].tag, 0);
  }
}

void AccessTracker::ForgetDb(int db) {
  ClearWhere([](uint64_t tag, uint64_t db_bits) { return (tag >> 48) == db_bits; },
             static_cast<uint64_t>(db + 1));
}

void AccessTracker::Clear() {
  ClearWhere([](uint64_t, uint64_t) { return true; }, 0);
}

uint64_t AccessTracker::IdleMs(int db, std::string_view key) const {
  uint64_t now_ms = clock_->NowMs();
  uint64_t tag = TagOf(db, key);
  History history;
  if (!Load(SlotFor(tag), tag, &history)) return now_ms > start_ms_ ? now_ms - start_ms_ : 0;
  uint64_t idle = (now_ms - history.last_access_ms) & kAccessBits;
  // A history written a moment ago by another thread may be ahead of this thread's clock.
  return idle > kAccessBits / 2 ? 0 : idle;
}

uint8_t AccessTracker::Frequency(int db, std::string_view key) const {
  uint64_t tag = TagOf(db, key);
  History history;
  if (!Load(SlotFor(tag), tag, &history)) return kInitialFrequency;
  return Decayed(history, clock_->NowMs());
}

void AccessTracker::SetLfuParameters(int log_factor, int decay_minutes) {
  log_factor_.store(log_factor, std::memory_order_relaxed);
  decay_minutes_.store(decay_minutes, std::memory_order_relaxed);
}

size_t AccessTracker::size() const {
  size_t total = 0;
  for (size_t i = 0; i <= slot_mask_; i++) total += LoadRelaxed(slots_[i].tag) != 0;
  return total;
}

}  // namespace cairn
