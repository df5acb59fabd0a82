// Clock: where the engine reads "now" (unix time in ms) for deadlines. Tests substitute a
// ManualClock so expiry can be exercised without sleeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace cairn {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t NowMs() const = 0;
  virtual uint64_t NowMicros() const = 0;
  // The process-wide wall clock.
  static const Clock* System();
};

class ManualClock : public Clock {
 public:
  explicit ManualClock(uint64_t now_ms) : now_ms_(now_ms) {}
  uint64_t NowMs() const override { return now_ms_.load(std::memory_order_relaxed); }
  uint64_t NowMicros() const override { return NowMs() * 1000; }
  void SetMs(uint64_t now_ms) { now_ms_.store(now_ms, std::memory_order_relaxed); }
  void AdvanceMs(uint64_t delta_ms) { now_ms_.fetch_add(delta_ms, std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> now_ms_;
};

}  // namespace cairn
