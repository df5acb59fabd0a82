// The hot cache inside Storage: reads served from it, write-through on every kind of write
// (overwrite, delete, rename, expiry, flushes, SWAPDB), transactions (pending writes seen
// inside, nothing cached from a dropped one), failed writes, the cache switched off, and
// readers racing writers under the key locks.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "encoding/key_slot.h"
#include "encoding/meta_key.h"
#include "engine/hot_cache.h"
#include "engine/transaction_batch.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

class HotCacheStorageTest : public EngineTest {
 protected:
  HotCacheStats Stats() { return storage_->hot_cache().Stats(); }

  // GET from another thread, where no transaction is active: what other clients see.
  std::string GetElsewhere(int db, const std::string& key) {
    std::string result;
    std::thread reader([&] { result = Get(db, key); });
    reader.join();
    return result;
  }

  std::string MetaKey(int db, const std::string& key) {
    return EncodeMetaKey(storage_->catalog().Physical(db), KeyHashSlot(key), key);
  }
};

TEST_F(HotCacheStorageTest, WrittenKeysAreReadFromTheCache) {
  Set(0, "a", "1");  // write-through: cached without a read
  storage_->hot_cache().ResetStats();
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Stats().hits, 2u);
  EXPECT_EQ(Stats().misses, 0u);
  Reopen();  // a new process starts cold
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Stats().misses, 1u);
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Stats().hits, 1u);
}

TEST_F(HotCacheStorageTest, AHitTouchesNoRocksDB) {
  Set(0, "a", "cached");
  // Behind the engine's back: only a read that goes to RocksDB could notice.
  ASSERT_TRUE(storage_->rocks()
                  ->Delete(rocksdb::WriteOptions(), storage_->meta_cf(), MetaKey(0, "a"))
                  .ok());
  EXPECT_EQ(Get(0, "a"), "cached");
  storage_->hot_cache().SetCapacity(0);
  EXPECT_EQ(Get(0, "a"), "(nil)");
}

TEST_F(HotCacheStorageTest, MissingKeysAreCachedAsAbsentUntilWritten) {
  EXPECT_EQ(Get(0, "k"), "(nil)");
  storage_->hot_cache().ResetStats();
  EXPECT_EQ(Get(0, "k"), "(nil)");
  EXPECT_EQ(GetElsewhere(0, "k"), "(nil)");
  EXPECT_EQ(Stats().hits, 2u) << "the miss was remembered";
  EXPECT_EQ(Stats().misses, 0u);
  Set(0, "k", "v");
  EXPECT_EQ(GetElsewhere(0, "k"), "v");
  EXPECT_EQ(Get(0, "k"), "v");
  // Absent again after a delete, and again created.
  int64_t deleted = 0;
  ASSERT_TRUE(storage_->keyspace().Delete(0, std::vector<std::string>{"k"}, &deleted).ok());
  ASSERT_EQ(deleted, 1);
  EXPECT_EQ(Get(0, "k"), "(nil)");
  EXPECT_EQ(Get(0, "k"), "(nil)");
  Set(0, "k", "again");
  EXPECT_EQ(GetElsewhere(0, "k"), "again");
  // An absent key of one db says nothing about another.
  EXPECT_EQ(Get(1, "k"), "(nil)");
  Set(1, "k", "one");
  EXPECT_EQ(Get(1, "k"), "one");
  EXPECT_EQ(Get(0, "k"), "again");
}

TEST_F(HotCacheStorageTest, OverwritesDeletesAndRenamesAreNeverStale) {
  Set(0, "a", "1");
  EXPECT_EQ(Get(0, "a"), "1");
  Set(0, "a", "2");
  EXPECT_EQ(Get(0, "a"), "2");
  int64_t length = 0;
  ASSERT_TRUE(strings().Append(0, "a", "x", &length).ok());
  EXPECT_EQ(Get(0, "a"), "2x");
  bool renamed = false;
  ASSERT_TRUE(keys().Rename(0, "a", "b", false, &renamed).ok());
  EXPECT_EQ(Get(0, "a"), "(nil)");
  EXPECT_EQ(Get(0, "b"), "2x");
  bool moved = false;
  ASSERT_TRUE(keys().Move(0, 1, "b", &moved).ok());
  EXPECT_EQ(Get(0, "b"), "(nil)");
  EXPECT_EQ(Get(1, "b"), "2x");
  int64_t deleted = 0;
  std::vector<std::string> doomed = {"b"};
  ASSERT_TRUE(keys().Delete(1, doomed, &deleted).ok());
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(Get(1, "b"), "(nil)");
}

TEST_F(HotCacheStorageTest, DeadlinesAreSeenThroughTheCache) {
  Set(0, "a", "1");
  EXPECT_EQ(Get(0, "a"), "1");
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "a", static_cast<int64_t>(kStartMs + 1000), {}, &applied).ok());
  EXPECT_EQ(Ttl(0, "a"), 1000);
  clock_.AdvanceMs(1000);
  EXPECT_EQ(Get(0, "a"), "(nil)");  // the cached entry carries the deadline

  Set(0, "b", "1", static_cast<int64_t>(clock_.NowMs() + 500));
  EXPECT_EQ(Get(0, "b"), "1");
  clock_.AdvanceMs(500);
  uint64_t cached = Stats().entries;
  EXPECT_EQ(storage_->RunExpiryPass(), 2u);  // a and b, through KeyBatch
  EXPECT_EQ(Stats().entries, cached - 2);
  EXPECT_EQ(Get(0, "b"), "(nil)");
}

TEST_F(HotCacheStorageTest, FlushesDropTheirDbAndSwapDbNeedsNothing) {
  Set(0, "a", "db0");
  Set(1, "a", "db1");
  Set(2, "a", "db2");
  EXPECT_EQ(Get(1, "a"), "db1");
  ASSERT_TRUE(keys().SwapDB(0, 1).ok());
  EXPECT_EQ(Get(0, "a"), "db1");
  EXPECT_EQ(Get(1, "a"), "db0");
  ASSERT_TRUE(keys().FlushDB(0).ok());
  EXPECT_EQ(Get(0, "a"), "(nil)");
  EXPECT_EQ(Get(1, "a"), "db0");
  EXPECT_EQ(Get(2, "a"), "db2");
  ASSERT_TRUE(keys().FlushAll().ok());
  EXPECT_EQ(Stats().entries, 0u);
  EXPECT_EQ(Get(1, "a"), "(nil)");
  EXPECT_EQ(Get(2, "a"), "(nil)");
  EXPECT_EQ(Stats().entries, 2u);  // both now known to be absent
}

TEST_F(HotCacheStorageTest, TransactionReadsSeePendingWritesOverCachedValues) {
  Set(0, "a", "old");
  EXPECT_EQ(Get(0, "a"), "old");
  TransactionBatch txn(storage_.get());
  Set(0, "a", "new");
  EXPECT_EQ(Get(0, "a"), "new");
  EXPECT_EQ(GetElsewhere(0, "a"), "old");
  ASSERT_TRUE(txn.Commit().ok());
  EXPECT_EQ(GetElsewhere(0, "a"), "new");
  EXPECT_EQ(Get(0, "a"), "new");
}

TEST_F(HotCacheStorageTest, DroppedTransactionLeavesTheCacheAlone) {
  Set(0, "a", "old");
  {
    TransactionBatch txn(storage_.get());
    Set(0, "a", "never");
    Set(0, "b", "never");
  }
  EXPECT_EQ(Get(0, "a"), "old");
  EXPECT_EQ(Get(0, "b"), "(nil)");
}

TEST_F(HotCacheStorageTest, FlushInsideATransactionReachesTheCacheAtCommit) {
  Set(0, "a", "1");
  Set(0, "b", "1");
  TransactionBatch txn(storage_.get());
  ASSERT_TRUE(keys().FlushDB(0).ok());
  Set(0, "b", "2");
  EXPECT_EQ(GetElsewhere(0, "a"), "1");
  ASSERT_TRUE(txn.Commit().ok());
  EXPECT_EQ(Get(0, "a"), "(nil)");
  EXPECT_EQ(Get(0, "b"), "2");
}

TEST_F(HotCacheStorageTest, FailedWriteDoesNotReachTheCache) {
  Set(0, "a", "old");
  storage_->SetMinFreeDisk(UINT64_MAX / 2);  // every write now meets a "full disk"
  SetOptions options;
  bool written = false;
  Status s = strings().Set(0, "a", "new", options, &written, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kNoSpace);
  EXPECT_EQ(Get(0, "a"), "old");
  EXPECT_EQ(GetElsewhere(0, "a"), "old");
}

TEST_F(HotCacheStorageTest, WorksWithTheCacheOff) {
  options_.hot_cache_bytes = 0;
  Reopen();
  Set(0, "a", "1");
  EXPECT_EQ(Get(0, "a"), "1");
  Set(0, "a", "2");
  EXPECT_EQ(Get(0, "a"), "2");
  HotCacheStats stats = Stats();
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.hits + stats.misses, 0u);
}

TEST_F(HotCacheStorageTest, ResizeMemoryResizesEveryPart) {
  MemoryBudget budget = SplitMemoryBudget(16 << 20, MemoryShares{});
  ASSERT_TRUE(storage_->ResizeMemory(budget).ok());
  EXPECT_EQ(storage_->hot_cache().capacity(), budget.hot_cache_bytes);
  EXPECT_EQ(storage_->memory_budget().total_bytes, budget.total_bytes);
  bool found = false;
  for (const auto& [name, value] : storage_->RocksDBInfo()) {
    if (name != "block_cache_capacity") continue;
    found = true;
    EXPECT_EQ(value, std::to_string(budget.block_cache_bytes));
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(storage_->rocks()->GetOptions(storage_->meta_cf()).write_buffer_size,
            budget.write_buffer_bytes);
}

// Writers and readers under the key locks, as the dispatcher runs them: a reader never
// sees a counter go backwards, with a cache small enough to keep evicting and refilling.
TEST_F(HotCacheStorageTest, ConcurrentReadersNeverGoBackwards) {
  storage_->hot_cache().SetCapacity(16 << 10);
  constexpr int kKeys = 4;
  constexpr int kIncrements = 500;
  std::atomic<int> regressions{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto key_name = [](int k) { return "counter" + std::to_string(k); };
  for (int k = 0; k < kKeys; k++) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < kIncrements; i++) {
        KeyLockGuard guard = storage_->locks().LockKey(0, key_name(k));
        int64_t value = 0;
        EXPECT_TRUE(strings().IncrBy(0, key_name(k), 1, &value).ok());
      }
    });
  }
  for (int r = 0; r < 2; r++) {
    threads.emplace_back([&, r] {
      std::vector<int64_t> last(kKeys, 0);
      for (int i = r; !stop.load(); i++) {
        int k = i % kKeys;
        std::string value;
        {
          KeyLockGuard guard = storage_->locks().LockKey(0, key_name(k));
          Status s = strings().Get(0, key_name(k), &value);
          if (s.IsNotFound()) value = "0";
        }
        int64_t seen = std::stoll(value);
        if (seen < last[static_cast<size_t>(k)]) regressions++;
        last[static_cast<size_t>(k)] = seen;
      }
    });
  }
  for (int k = 0; k < kKeys; k++) threads[static_cast<size_t>(k)].join();
  stop = true;
  for (size_t i = kKeys; i < threads.size(); i++) threads[i].join();
  EXPECT_EQ(regressions.load(), 0);
  for (int k = 0; k < kKeys; k++) EXPECT_EQ(Get(0, key_name(k)), std::to_string(kIncrements));
}

}  // namespace
}  // namespace cairn
