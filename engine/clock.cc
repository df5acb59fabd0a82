// The system wall clock.
#include "engine/clock.h"

#include <chrono>

namespace cairn {

namespace {

class SystemClock : public Clock {
 public:
  uint64_t NowMs() const override { return NowMicros() / 1000; }
  uint64_t NowMicros() const override {
    auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count());
  }
};

}  // namespace

const Clock* Clock::System() {
  static const SystemClock clock;
  return &clock;
}

}  // namespace cairn
