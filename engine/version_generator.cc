// Time-based, restart-safe version numbers.
#include "engine/version_generator.h"

#include <algorithm>

namespace cairn {

Status VersionGenerator::Init(const Clock* clock, uint64_t persisted_floor, PersistFloor persist) {
  clock_ = clock;
  persist_ = std::move(persist);
  uint64_t start = std::max(clock_->NowMicros(), persisted_floor);
  uint64_t reserved = start + kReserveStep;
  Status s = persist_(reserved);
  if (!s.ok()) return s;
  last_.store(start, std::memory_order_relaxed);
  reserved_.store(reserved, std::memory_order_release);
  return Status::OK();
}

uint64_t VersionGenerator::Next() {
  uint64_t now = clock_->NowMicros();
  uint64_t current = last_.load(std::memory_order_relaxed);
  uint64_t next;
  do {
    next = std::max(current + 1, now);
  } while (!last_.compare_exchange_weak(current, next, std::memory_order_relaxed));
  if (next >= reserved_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(reserve_mutex_);
    uint64_t reserved = reserved_.load(std::memory_order_relaxed);
    if (next >= reserved) {
      uint64_t target = next + kReserveStep;
      // On failure the reservation is retried by the next call.
      if (persist_(target).ok()) reserved_.store(target, std::memory_order_release);
    }
  }
  return next;
}

}  // namespace cairn
