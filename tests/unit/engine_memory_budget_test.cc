// The memory budget: how maxmemory is split, what 0 and tiny values mean, the share
// checks, and the memtable bound holding while data many times its size is written, also
// after a live resize.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine/memory_budget.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

constexpr uint64_t kMb = uint64_t{1} << 20;

TEST(MemoryBudgetTest, SplitsByShares) {
  MemoryBudget budget = SplitMemoryBudget(100 * kMb, MemoryShares{});
  EXPECT_EQ(budget.total_bytes, 100 * kMb);
  EXPECT_EQ(budget.hot_cache_bytes, 40 * kMb);
  EXPECT_EQ(budget.block_cache_bytes, 35 * kMb);
  EXPECT_EQ(budget.memtable_bytes, 25 * kMb);
  EXPECT_EQ(budget.write_buffer_bytes, 25 * kMb / 4);

  budget =
      SplitMemoryBudget(100 * kMb, MemoryShares{.hot_cache_percent = 0, .block_cache_percent = 50});
  EXPECT_EQ(budget.hot_cache_bytes, 0u);
  EXPECT_EQ(budget.block_cache_bytes, 50 * kMb);
  EXPECT_EQ(budget.memtable_bytes, 50 * kMb);
}

TEST(MemoryBudgetTest, PartsAlwaysAddUp) {
  for (uint64_t total : {kMinMemoryBudget, 8 * kMb + 7, uint64_t{123456789}, uint64_t{64} << 30}) {
    MemoryBudget budget =
        SplitMemoryBudget(total, MemoryShares{.hot_cache_percent = 33, .block_cache_percent = 33});
    EXPECT_EQ(budget.hot_cache_bytes + budget.block_cache_bytes + budget.memtable_bytes,
              budget.total_bytes);
    EXPECT_GE(budget.memtable_bytes, budget.total_bytes / 100 * 34);
  }
}

TEST(MemoryBudgetTest, WriteBufferIsAQuarterOfTheMemtablesWithinLimits) {
  EXPECT_EQ(SplitMemoryBudget(8 * kMb, MemoryShares{}).write_buffer_bytes,
            SplitMemoryBudget(8 * kMb, MemoryShares{}).memtable_bytes / 4);
  EXPECT_EQ(SplitMemoryBudget(uint64_t{64} << 30, MemoryShares{}).write_buffer_bytes, 16 * kMb);
  MemoryShares thin{.hot_cache_percent = 60, .block_cache_percent = 35};
  EXPECT_EQ(SplitMemoryBudget(8 * kMb, thin).write_buffer_bytes,
            SplitMemoryBudget(8 * kMb, thin).memtable_bytes / 4);
  EXPECT_GE(SplitMemoryBudget(8 * kMb, thin).write_buffer_bytes, uint64_t{64} << 10);
}

TEST(MemoryBudgetTest, ZeroMeansAQuarterOfTheAvailableMemory) {
  uint64_t available = AvailableMemoryBytes();
  ASSERT_GT(available, 0u);
  EXPECT_EQ(EffectiveMaxmemory(0), std::max(available / 4, kMinMemoryBudget));
  EXPECT_EQ(SplitMemoryBudget(0, MemoryShares{}).total_bytes, EffectiveMaxmemory(0));
  EXPECT_EQ(DefaultMemoryBudget(uint64_t{16} << 30), uint64_t{4} << 30);
  EXPECT_EQ(DefaultMemoryBudget(kMb), kMinMemoryBudget);
}

TEST(MemoryBudgetTest, TinyBudgetsAreRaisedToTheMinimum) {
  EXPECT_EQ(EffectiveMaxmemory(1), kMinMemoryBudget);
  EXPECT_EQ(EffectiveMaxmemory(kMinMemoryBudget - 1), kMinMemoryBudget);
  EXPECT_EQ(EffectiveMaxmemory(kMinMemoryBudget + 1), kMinMemoryBudget + 1);
}

TEST(MemoryBudgetTest, SharesMustLeaveRoomForMemtables) {
  EXPECT_TRUE(CheckMemoryShares(MemoryShares{}).ok());
  EXPECT_TRUE(CheckMemoryShares({.hot_cache_percent = 60, .block_cache_percent = 35}).ok());
  Status s = CheckMemoryShares({.hot_cache_percent = 60, .block_cache_percent = 36});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(),
            "hot-cache-share plus block-cache-share must leave at least 5% for memtables");
}

// Writes many times the memtable bound and watches RocksDB's memtable memory.
class MemtableBoundTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    options_.memtable_bytes = 2 * kMb;
    options_.write_buffer_bytes = 512 << 10;
    Reopen();
  }

  // The most memtable memory seen while writing `bytes` in 1 KB values.
  uint64_t PeakWhileWriting(uint64_t bytes, const std::string& prefix) {
    std::string value(1024, 'v');
    uint64_t peak = 0;
    for (uint64_t i = 0; i * value.size() < bytes; i++) {
      Set(0, prefix + std::to_string(i), value);
      if (i % 64 == 0) peak = std::max(peak, storage_->MemoryUsage().memtable_bytes);
    }
    return peak;
  }
};

TEST_F(MemtableBoundTest, MemtablesStayWithinTheirShare) {
  // 32 MB written; without the bound, the memtables would keep growing with the data.
  uint64_t peak = PeakWhileWriting(32 * kMb, "a");
  EXPECT_GT(peak, 0u);
  // The manager flushes before the bound and stalls writers at it; allow one memtable's
  // arena block of slack.
  EXPECT_LE(peak, 2 * kMb + 512 * 1024);
}

TEST_F(MemtableBoundTest, ResizeLowersTheBoundLive) {
  MemoryBudget budget;
  budget.total_bytes = 4 * kMb;
  budget.hot_cache_bytes = kMb;
  budget.block_cache_bytes = kMb;
  budget.memtable_bytes = kMb;
  budget.write_buffer_bytes = 256 << 10;
  ASSERT_TRUE(storage_->ResizeMemory(budget).ok());
  uint64_t peak = PeakWhileWriting(16 * kMb, "b");
  EXPECT_LE(peak, kMb + 256 * 1024);
  EXPECT_EQ(Get(0, "b0"), std::string(1024, 'v'));
}

}  // namespace
}  // namespace cairn
