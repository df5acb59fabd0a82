// VersionGenerator: hands out metadata versions that never repeat, not even across restarts
// or when the wall clock steps back. Versions follow microsecond time, plus one per call when
// calls come faster; a persisted floor, reserved ahead in large steps, covers restarts.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

#include "engine/clock.h"
#include "engine/status.h"

namespace cairn {

class VersionGenerator {
 public:
  // Durably stores `floor`: every version handed out before the next restart is below it.
  using PersistFloor = std::function<Status(uint64_t floor)>;

  // `persisted_floor` is what PersistFloor last stored (0 for a new database).
  Status Init(const Clock* clock, uint64_t persisted_floor, PersistFloor persist);
  uint64_t Next();
  uint64_t last() const { return last_.load(std::memory_order_relaxed); }

  // How far ahead each persisted reservation reaches (2^32 us, about 71 minutes).
  static constexpr uint64_t kReserveStep = uint64_t{1} << 32;

 private:
  const Clock* clock_ = nullptr;
  PersistFloor persist_;
  std::atomic<uint64_t> last_{0};
  std::atomic<uint64_t> reserved_{0};
  std::mutex reserve_mutex_;
};

}  // namespace cairn
