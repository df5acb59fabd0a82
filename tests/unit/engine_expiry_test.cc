// Tests for expiry: lazy (expired keys invisible but still counted until reclaimed), active
// (the expiry pass and the background thread), stale index entries, and counts across
// restarts and SWAPDB.
#include <chrono>
#include <mutex>
#include <thread>

#include "engine_test_env.h"

namespace cairn {
namespace {

class ExpiryTest : public EngineTest {
 protected:
  void SetUp() override {
    options_.on_expired = [this](int db, const std::string& key) {
      std::lock_guard<std::mutex> lock(mutex_);
      expired_.emplace_back(db, key);
    };
    EngineTest::SetUp();
  }
  std::vector<std::pair<int, std::string>> Expired() {
    std::lock_guard<std::mutex> lock(mutex_);
    return expired_;
  }

  std::mutex mutex_;
  std::vector<std::pair<int, std::string>> expired_;
};

TEST_F(ExpiryTest, LazyExpiryHidesButStillCounts) {
  Set(0, "k", "v", kStartMs + 1000);
  clock_.AdvanceMs(999);
  EXPECT_EQ(Get(0, "k"), "v");
  clock_.AdvanceMs(1);
  EXPECT_EQ(Get(0, "k"), "(nil)");
  int64_t count = 0;
  std::vector<std::string> names = {"k"};
  ASSERT_TRUE(keys().Exists(0, names, &count).ok());
  EXPECT_EQ(count, 0);
  EXPECT_EQ(Ttl(0, "k"), -2);
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
}

TEST_F(ExpiryTest, ExpiryPassReclaimsDueKeysOnly) {
  Set(0, "soon", "v", kStartMs + 100);
  Set(0, "later", "v", kStartMs + 5000);
  Set(2, "other", "v", kStartMs + 200);
  Set(0, "forever", "v");
  EXPECT_EQ(storage_->RunExpiryPass(), 0u);
  clock_.AdvanceMs(200);
  EXPECT_EQ(storage_->RunExpiryPass(), 2u);
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  EXPECT_EQ(keys().DbSize(2), 0);
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 1u);
  auto expired = Expired();
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0], std::make_pair(0, std::string("soon")));
  EXPECT_EQ(expired[1], std::make_pair(2, std::string("other")));
  Reopen();
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
}

TEST_F(ExpiryTest, ManyDueKeysAreReclaimedOverSeveralPasses) {
  for (int i = 0; i < 1000; i++) Set(1, "k" + std::to_string(i), "v", kStartMs + 10 + i % 7);
  clock_.AdvanceMs(100);
  size_t total = 0;
  for (int pass = 0; pass < 100 && total < 1000; pass++) total += storage_->RunExpiryPass();
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(keys().DbSize(1), 0);
  EXPECT_EQ(keys().ExpiresCount(1), 0);
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 0u);
}

TEST_F(ExpiryTest, ChangedDeadlinesLeaveNoStaleEntries) {
  Set(0, "k", "v", kStartMs + 100);
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "k", kStartMs + 5000, {}, &applied).ok());
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 1u);
  Set(0, "k", "v2", kStartMs + 50);
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 1u);
  clock_.AdvanceMs(60);
  EXPECT_EQ(storage_->RunExpiryPass(), 1u);
  EXPECT_EQ(keys().DbSize(0), 0);
}

TEST_F(ExpiryTest, StaleEntriesAfterFlushDbAreDropped) {
  Set(0, "k", "v", kStartMs + 100);
  ASSERT_TRUE(keys().FlushDB(0).ok());
  Set(0, "k", "reborn");                               // same name, no deadline
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 1u);  // the flushed key's stale entry
  clock_.AdvanceMs(200);
  EXPECT_EQ(storage_->RunExpiryPass(), 0u);
  EXPECT_EQ(Get(0, "k"), "reborn");
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 0u);
  EXPECT_TRUE(Expired().empty());
}

TEST_F(ExpiryTest, ExpiredKeyReportsItsCurrentLogicalDbAfterSwap) {
  Set(0, "k", "v", kStartMs + 10);
  ASSERT_TRUE(keys().SwapDB(0, 4).ok());
  clock_.AdvanceMs(10);
  EXPECT_EQ(storage_->RunExpiryPass(), 1u);
  auto expired = Expired();
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].first, 4);
  EXPECT_EQ(keys().DbSize(4), 0);
  EXPECT_EQ(keys().ExpiresCount(4), 0);
}

TEST_F(ExpiryTest, OverwritingAnExpiredKeyKeepsCountsExact) {
  Set(0, "k", "v", kStartMs + 10);
  clock_.AdvanceMs(10);
  Set(0, "k", "new", kStartMs + 1000);
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 1u);
  int64_t n = 0;
  ASSERT_TRUE(strings().IncrBy(0, "k2", 1, &n).ok());
  EXPECT_EQ(keys().DbSize(0), 2);
}

// The background thread, on the real clock: keys go away on their own. Polls with a generous
// deadline and never asserts on how fast.
TEST(ActiveExpiryThreadTest, KeysDisappearWithoutBeingRead) {
  std::string root = MakeTempDir("expiry");
  StorageOptions options;
  options.dir = root + "/db";
  options.fsync = FsyncPolicy::kNo;
  std::atomic<int> expired{0};
  options.on_expired = [&](int, const std::string&) { expired++; };
  std::unique_ptr<Storage> storage;
  ASSERT_TRUE(Storage::Open(options, &storage).ok());
  int64_t now = static_cast<int64_t>(storage->NowMs());
  for (int i = 0; i < 50; i++) {
    bool written = false;
    SetOptions set{.expire = SetOptions::Expire::kAt, .expire_at_ms = now + 50};
    ASSERT_TRUE(
        storage->strings().Set(0, "k" + std::to_string(i), "v", set, &written, nullptr).ok());
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (storage->keyspace().DbSize(0) > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(storage->keyspace().DbSize(0), 0);
  EXPECT_EQ(storage->keyspace().ExpiresCount(0), 0);
  EXPECT_EQ(expired.load(), 50);
  storage->SetActiveExpiry(false);
  storage->SetActiveExpiry(true);
  storage.reset();
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace cairn
