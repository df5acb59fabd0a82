// Tests for engine/key_locks.h and engine/access_tracker.h.
#include <gtest/gtest.h>

#include <thread>

#include "engine/access_tracker.h"
#include "engine/clock.h"
#include "engine/key_locks.h"

namespace cairn {
namespace {

TEST(KeyLocksTest, DuplicateKeysAndStripesAreLockedOnce) {
  KeyLocks locks(16);
  std::vector<std::string> keys = {"a", "b", "a", "c", "b"};
  KeyLockGuard guard = locks.LockKeys(0, keys);
  EXPECT_LE(guard.stripe_count(), 3u);
  EXPECT_GE(guard.stripe_count(), 1u);
  // With one stripe, every key shares it: a single lock, no self-deadlock.
  KeyLocks single(1);
  std::vector<std::string> many;
  for (int i = 0; i < 50; i++) many.push_back("k" + std::to_string(i));
  KeyLockGuard all = single.LockKeys(0, many);
  EXPECT_EQ(all.stripe_count(), 1u);
}

TEST(KeyLocksTest, GuardReleasesAndMoves) {
  KeyLocks locks(4);
  std::vector<std::string> many;
  for (int i = 0; i < 40; i++) many.push_back("k" + std::to_string(i));
  {
    KeyLockGuard guard = locks.LockKeys(0, many);
    EXPECT_EQ(guard.stripe_count(), 4u);
    KeyLockGuard moved = std::move(guard);
    EXPECT_EQ(guard.stripe_count(), 0u);
    EXPECT_EQ(moved.stripe_count(), 4u);
  }
  // Everything was released: locking again does not block.
  KeyLockGuard again = locks.LockKeys(0, many);
  again.Release();
  KeyLockGuard one = locks.LockKey(0, "k1");
  EXPECT_EQ(one.stripe_count(), 1u);
}

TEST(KeyLocksTest, MutualExclusionAcrossThreads) {
  KeyLocks locks(64);
  int64_t counter = 0;
  auto work = [&](int thread) {
    for (int i = 0; i < 20000; i++) {
      // Keys in different orders and dbs: ordered acquisition keeps this deadlock-free.
      std::vector<KeyLockRequest> requests = {
          {0, "counter"}, {thread, "other" + std::to_string(i % 7)}, {1, thread % 2 ? "x" : "y"}};
      KeyLockGuard guard = locks.LockKeys(requests);
      counter++;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) threads.emplace_back(work, t);
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter, 80000);
}

TEST(KeyLocksTest, ServerLockSharedAndExclusive) {
  KeyLocks locks;
  {
    auto a = locks.LockShared();
    auto b = locks.LockShared();
    EXPECT_TRUE(a.owns_lock());
    EXPECT_TRUE(b.owns_lock());
  }
  auto exclusive = locks.LockExclusive();
  EXPECT_TRUE(exclusive.owns_lock());
}

TEST(AccessTrackerTest, IdleTimeAndDefaults) {
  ManualClock clock(1000000);
  AccessTracker tracker(&clock, 1024);
  clock.AdvanceMs(7000);
  EXPECT_EQ(tracker.IdleMs(0, "never"), 7000u);
  EXPECT_EQ(tracker.Frequency(0, "never"), AccessTracker::kInitialFrequency);
  tracker.RecordAccess(0, "k");
  EXPECT_EQ(tracker.IdleMs(0, "k"), 0u);
  clock.AdvanceMs(1500);
  EXPECT_EQ(tracker.IdleMs(0, "k"), 1500u);
  EXPECT_EQ(tracker.IdleMs(1, "k"), 8500u);  // per db
  tracker.Forget(0, "k");
  EXPECT_EQ(tracker.IdleMs(0, "k"), 8500u);
}

TEST(AccessTrackerTest, LfuCounterGrowsLogarithmicallyAndDecays) {
  ManualClock clock(60000000);
  AccessTracker tracker(&clock, 1024);
  for (int i = 0; i < 100; i++) tracker.RecordAccess(0, "hot");
  uint8_t after_100 = tracker.Frequency(0, "hot");
  // From 5, the first accesses are certain; with log factor 10 growth soon slows down.
  EXPECT_GE(after_100, 6);
  EXPECT_LE(after_100, 30);
  for (int i = 0; i < 10000; i++) tracker.RecordAccess(0, "hot");
  uint8_t after_many = tracker.Frequency(0, "hot");
  EXPECT_GT(after_many, after_100);
  EXPECT_LT(after_many, 255);
  clock.AdvanceMs(3 * 60000);  // three decay periods of one minute
  EXPECT_EQ(tracker.Frequency(0, "hot"), after_many - 3);
  clock.AdvanceMs(1000 * 60000);
  EXPECT_EQ(tracker.Frequency(0, "hot"), 0);
  tracker.SetLfuParameters(10, 0);  // decay disabled
  tracker.RecordAccess(0, "cold");
  clock.AdvanceMs(100 * 60000);
  EXPECT_GE(tracker.Frequency(0, "cold"), AccessTracker::kInitialFrequency);
}

TEST(AccessTrackerTest, BoundedAndClearable) {
  ManualClock clock(0);
  AccessTracker bounded(&clock, 128);
  for (int i = 0; i < 10000; i++) bounded.RecordAccess(i % 3, "key" + std::to_string(i));
  EXPECT_LE(bounded.size(), 128u);
  AccessTracker tracker(&clock, 1 << 16);
  for (int i = 0; i < 30; i++) tracker.RecordAccess(i % 3, "key" + std::to_string(i));
  EXPECT_EQ(tracker.size(), 30u);
  tracker.ForgetDb(1);
  EXPECT_EQ(tracker.size(), 20u);
  tracker.Clear();
  EXPECT_EQ(tracker.size(), 0u);
}

}  // namespace
}  // namespace cairn
