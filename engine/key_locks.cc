// Striped key locks with deduplicated, ordered acquisition.
#include "engine/key_locks.h"

#include <algorithm>
#include <functional>

namespace cairn {

KeyLockGuard::KeyLockGuard(KeyLockGuard&& other) noexcept { *this = std::move(other); }

KeyLockGuard& KeyLockGuard::operator=(KeyLockGuard&& other) noexcept {
  if (this != &other) {
    Release();
    table_ = other.table_;
    count_ = other.count_;
    inline_ = other.inline_;
    heap_ = std::move(other.heap_);
    other.table_ = nullptr;
    other.count_ = 0;
    other.heap_.clear();
  }
  return *this;
}

void KeyLockGuard::Release() {
  if (table_ != nullptr) {
    uint32_t* held = stripes();
    for (size_t i = count_; i > 0; i--) table_->stripes_[held[i - 1]].unlock();
  }
  table_ = nullptr;
  count_ = 0;
  heap_.clear();
}

void KeyLockGuard::Add(uint32_t stripe) {
  if (count_ < kInlineStripes) {
    inline_[count_++] = stripe;
    return;
  }
  if (count_ == kInlineStripes) heap_.assign(inline_.begin(), inline_.end());
  heap_.push_back(stripe);
  count_++;
}

KeyLocks::KeyLocks(size_t stripes)
    : stripe_count_(std::max<size_t>(stripes, 1)),
      stripes_(std::make_unique<std::mutex[]>(stripe_count_)) {}

// The stripe depends on the key name only, not on the db: MOVE and COPY ... DB write the
// same name in another db, and the dispatcher locks names from the key specs in the
// client's db. Sharing a stripe across dbs costs nothing measurable.
size_t KeyLocks::StripeOf(int /*db*/, std::string_view key) const {
  size_t hash = std::hash<std::string_view>{}(key);
  hash ^= hash >> 29;
  return hash % stripe_count_;
}

KeyLockGuard KeyLocks::LockKey(int db, std::string_view key) {
  KeyLockGuard guard;
  guard.Add(static_cast<uint32_t>(StripeOf(db, key)));
  return LockSorted(std::move(guard));
}

KeyLockGuard KeyLocks::LockKeys(int db, std::span<const std::string> keys) {
  KeyLockGuard guard;
  for (const std::string& key : keys) guard.Add(static_cast<uint32_t>(StripeOf(db, key)));
  return LockSorted(std::move(guard));
}

KeyLockGuard KeyLocks::LockKeys(std::span<const KeyLockRequest> keys) {
  KeyLockGuard guard;
  for (const KeyLockRequest& request : keys) {
    guard.Add(static_cast<uint32_t>(StripeOf(request.db, request.key)));
  }
  return LockSorted(std::move(guard));
}

KeyLockGuard KeyLocks::LockSorted(KeyLockGuard guard) {
  uint32_t* begin = guard.stripes();
  uint32_t* end = begin + guard.count_;
  std::sort(begin, end);
  end = std::unique(begin, end);
  guard.count_ = static_cast<size_t>(end - begin);
  if (guard.count_ <= KeyLockGuard::kInlineStripes && !guard.heap_.empty()) {
    std::copy(begin, end, guard.inline_.begin());
    guard.heap_.clear();
  } else if (!guard.heap_.empty()) {
    guard.heap_.resize(guard.count_);
  }
  uint32_t* held = guard.stripes();
  for (size_t i = 0; i < guard.count_; i++) stripes_[held[i]].lock();
  guard.table_ = this;
  return guard;
}

}  // namespace cairn
