// Sharded access table with Redis 7.0's LFU arithmetic (LFULogIncr / LFUDecrAndReturn).
#include "engine/access_tracker.h"

#include <functional>
#include <random>

namespace cairn {

namespace {

double UniformRandom() {
  thread_local std::minstd_rand engine(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

AccessTracker::AccessTracker(const Clock* clock, size_t max_entries)
    : clock_(clock),
      max_entries_per_shard_(std::max<size_t>(max_entries / kShards, 1)),
      start_ms_(clock->NowMs()),
      shards_(std::make_unique<Shard[]>(kShards)) {}

std::string AccessTracker::EntryKey(int db, std::string_view key) {
  std::string entry_key = std::to_string(db);
  entry_key.push_back(':');
  entry_key.append(key);
  return entry_key;
}

AccessTracker::Shard& AccessTracker::ShardFor(const std::string& entry_key) const {
  return shards_[std::hash<std::string>{}(entry_key) % kShards];
}

uint8_t AccessTracker::Decayed(const Entry& entry, uint64_t now_minute) const {
  int decay = decay_minutes_.load(std::memory_order_relaxed);
  if (decay <= 0 || now_minute <= entry.last_decay_minute) return entry.counter;
  uint64_t periods = (now_minute - entry.last_decay_minute) / static_cast<uint64_t>(decay);
  return periods >= entry.counter ? 0 : static_cast<uint8_t>(entry.counter - periods);
}

uint8_t AccessTracker::Incremented(uint8_t counter) const {
  if (counter == 255) return counter;
  double base = counter > kInitialFrequency ? counter - kInitialFrequency : 0;
  double p = 1.0 / (base * log_factor_.load(std::memory_order_relaxed) + 1);
  return UniformRandom() < p ? static_cast<uint8_t>(counter + 1) : counter;
}

void AccessTracker::RecordAccess(int db, std::string_view key) {
  uint64_t now_ms = clock_->NowMs();
  uint64_t now_minute = now_ms / 60000;
  std::string entry_key = EntryKey(db, key);
  Shard& shard = ShardFor(entry_key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.entries.find(entry_key);
  if (it == shard.entries.end()) {
    // Bounded: make room by dropping an arbitrary entry, which then reports defaults.
    if (shard.entries.size() >= max_entries_per_shard_) shard.entries.erase(shard.entries.begin());
    it = shard.entries.emplace(std::move(entry_key), Entry{}).first;
    it->second.last_decay_minute = now_minute;
  }
  Entry& entry = it->second;
  entry.counter = Incremented(Decayed(entry, now_minute));
  entry.last_decay_minute = now_minute;
  entry.last_access_ms = now_ms;
}

void AccessTracker::Reset(int db, std::string_view key, uint64_t idle_ms, uint8_t frequency) {
  uint64_t now_ms = clock_->NowMs();
  std::string entry_key = EntryKey(db, key);
  Shard& shard = ShardFor(entry_key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.entries.find(entry_key);
  if (it == shard.entries.end()) {
    if (shard.entries.size() >= max_entries_per_shard_) shard.entries.erase(shard.entries.begin());
    it = shard.entries.emplace(std::move(entry_key), Entry{}).first;
  }
  it->second.last_access_ms = now_ms > idle_ms ? now_ms - idle_ms : 0;
  it->second.last_decay_minute = now_ms / 60000;
  it->second.counter = frequency;
}

void AccessTracker::Forget(int db, std::string_view key) {
  std::string entry_key = EntryKey(db, key);
  Shard& shard = ShardFor(entry_key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.entries.erase(entry_key);
}

void AccessTracker::ForgetDb(int db) {
  std::string prefix = EntryKey(db, {});
  for (size_t i = 0; i < kShards; i++) {
    std::lock_guard<std::mutex> lock(shards_[i].mutex);
    std::erase_if(shards_[i].entries,
                  [&](const auto& item) { return item.first.starts_with(prefix); });
  }
}

void AccessTracker::Clear() {
  for (size_t i = 0; i < kShards; i++) {
    std::lock_guard<std::mutex> lock(shards_[i].mutex);
    shards_[i].entries.clear();
  }
}

uint64_t AccessTracker::IdleMs(int db, std::string_view key) const {
  uint64_t now_ms = clock_->NowMs();
  std::string entry_key = EntryKey(db, key);
  Shard& shard = ShardFor(entry_key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.entries.find(entry_key);
  uint64_t last = it == shard.entries.end() ? start_ms_ : it->second.last_access_ms;
  return now_ms > last ? now_ms - last : 0;
}

uint8_t AccessTracker::Frequency(int db, std::string_view key) const {
  std::string entry_key = EntryKey(db, key);
  Shard& shard = ShardFor(entry_key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.entries.find(entry_key);
  if (it == shard.entries.end()) return kInitialFrequency;
  return Decayed(it->second, clock_->NowMs() / 60000);
}

void AccessTracker::SetLfuParameters(int log_factor, int decay_minutes) {
  log_factor_.store(log_factor, std::memory_order_relaxed);
  decay_minutes_.store(decay_minutes, std::memory_order_relaxed);
}

size_t AccessTracker::size() const {
  size_t total = 0;
  for (size_t i = 0; i < kShards; i++) {
    std::lock_guard<std::mutex> lock(shards_[i].mutex);
    total += shards_[i].entries.size();
  }
  return total;
}

}  // namespace cairn
