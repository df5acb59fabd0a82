// Concurrency tests: engine operations from several threads under the key locks, racing the
// active expiry thread, must lose no update and keep counts and the expire index exact.
#include <atomic>
#include <chrono>
#include <thread>

#include "engine_test_env.h"

namespace cairn {
namespace {

class ConcurrencyTest : public EngineTest {};

TEST_F(ConcurrencyTest, LockedIncrementsAndPrivateWritesAreExact) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 500;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; i++) {
        auto server = storage_->locks().LockShared();
        {
          KeyLockGuard guard = storage_->locks().LockKey(0, "counter");
          int64_t result = 0;
          if (!strings().IncrBy(0, "counter", 1, &result).ok()) failures++;
        }
        std::string mine = "t" + std::to_string(t) + ":" + std::to_string(i % 50);
        std::vector<std::string> names = {mine, "shared"};
        KeyLockGuard guard = storage_->locks().LockKeys(0, names);
        std::vector<std::string> pairs = {mine, "v", "shared", std::to_string(i)};
        if (!strings().MSet(0, pairs).ok()) failures++;
        if (i % 3 == 0) {
          int64_t deleted = 0;
          std::vector<std::string> doomed = {mine};
          if (!keys().Delete(0, doomed, &deleted).ok()) failures++;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Get(0, "counter"), std::to_string(kThreads * kRounds));
  std::vector<std::string> all;
  ASSERT_TRUE(keys().Keys(0, "*", &all).ok());
  EXPECT_EQ(keys().DbSize(0), static_cast<int64_t>(all.size()));
  Reopen();
  EXPECT_EQ(keys().DbSize(0), static_cast<int64_t>(all.size()));
}

TEST(ConcurrentExpiryTest, WritersRacingTheExpiryThreadKeepCountsExact) {
  std::string root = MakeTempDir("race");
  StorageOptions options;
  options.dir = root + "/db";
  options.fsync = FsyncPolicy::kNo;
  std::unique_ptr<Storage> storage;
  ASSERT_TRUE(Storage::Open(options, &storage).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 600; i++) {
        std::string key = "k" + std::to_string(i % 40);  // shared between threads
        auto server = storage->locks().LockShared();
        KeyLockGuard guard = storage->locks().LockKey(0, key);
        int64_t now = static_cast<int64_t>(storage->NowMs());
        SetOptions set{.expire = SetOptions::Expire::kAt, .expire_at_ms = now + 1 + (i + t) % 5};
        bool written = false;
        storage->strings().Set(0, key, "v", set, &written, nullptr);
        if (i % 7 == 0) {
          bool applied = false;
          storage->keyspace().Expire(0, key, now + 3, {}, &applied);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (storage->keyspace().DbSize(0) > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(storage->keyspace().DbSize(0), 0);
  EXPECT_EQ(storage->keyspace().ExpiresCount(0), 0);
  std::unique_ptr<rocksdb::Iterator> it(
      storage->rocks()->NewIterator(rocksdb::ReadOptions(), storage->expire_cf()));
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it.reset();
  storage.reset();
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace cairn
