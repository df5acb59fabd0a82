// KeyLocks: the striped key locks every command takes before touching its keys, and the
// server-wide lock that lets rare administrative commands (FLUSHALL, FLUSHDB, SWAPDB) run
// alone. Order is always: server lock (shared or exclusive) first, then key stripes in
// ascending stripe order, so two multi-key commands can never deadlock.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct KeyLockRequest {
  int db;
  std::string_view key;
};

class KeyLocks;

// Holds a set of distinct stripes; unlocks them when destroyed. Movable.
class KeyLockGuard {
 public:
  KeyLockGuard() = default;
  KeyLockGuard(KeyLockGuard&& other) noexcept;
  KeyLockGuard& operator=(KeyLockGuard&& other) noexcept;
  KeyLockGuard(const KeyLockGuard&) = delete;
  KeyLockGuard& operator=(const KeyLockGuard&) = delete;
  ~KeyLockGuard() { Release(); }

  void Release();
  size_t stripe_count() const { return count_; }

 private:
  friend class KeyLocks;
  static constexpr size_t kInlineStripes = 8;

  void Add(uint32_t stripe);
  uint32_t* stripes() { return count_ <= kInlineStripes ? inline_.data() : heap_.data(); }

  KeyLocks* table_ = nullptr;
  size_t count_ = 0;
  std::array<uint32_t, kInlineStripes> inline_{};
  std::vector<uint32_t> heap_;
};

class KeyLocks {
 public:
  using SharedGuard = std::shared_lock<std::shared_mutex>;
  using ExclusiveGuard = std::unique_lock<std::shared_mutex>;

  explicit KeyLocks(size_t stripes = 1024);

  KeyLockGuard LockKey(int db, std::string_view key);
  KeyLockGuard LockKeys(int db, std::span<const std::string> keys);
  KeyLockGuard LockKeys(std::span<const KeyLockRequest> keys);

  // Every command holds this shared; FLUSHALL/FLUSHDB/SWAPDB hold it exclusive.
  SharedGuard LockShared() { return SharedGuard(server_mutex_); }
  ExclusiveGuard LockExclusive() { return ExclusiveGuard(server_mutex_); }

  size_t StripeOf(int db, std::string_view key) const;
  size_t stripe_count() const { return stripe_count_; }

 private:
  friend class KeyLockGuard;
  KeyLockGuard LockSorted(KeyLockGuard guard);

  size_t stripe_count_;
  std::unique_ptr<std::mutex[]> stripes_;
  std::shared_mutex server_mutex_;
};

}  // namespace cairn
