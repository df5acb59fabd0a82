// HotCache on its own: hits and misses, fills refused after a write, write-through and
// erasure (single keys, ranges, replayed batches), the S3-FIFO eviction order, scan
// resistance, byte accounting, resizing, and coherence under concurrent writers and
// lock-free readers.
#include <gtest/gtest.h>
#include <rocksdb/comparator.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "encoding/metadata.h"
#include "engine/hot_cache.h"

namespace cairn {
namespace {

// A meta value holding a string payload.
std::string MetaValue(const std::string& payload, uint64_t expire_ms = 0) {
  Metadata meta;
  meta.type = ValueType::kString;
  meta.expire_ms = expire_ms;
  meta.version = 1;
  meta.size = payload.size();
  return EncodeMetadata(meta, payload);
}

std::string PayloadOf(const std::shared_ptr<const CachedMeta>& value) {
  return value == nullptr ? "(miss)" : std::string(value->payload());
}

// What LoadKey does: a hit, or a read of `disk` followed by a fill.
std::string Read(HotCache& cache, const std::string& key, const std::string& disk) {
  HotCache::Ticket ticket;
  std::shared_ptr<const CachedMeta> hit = cache.Lookup(key, &ticket);
  if (hit != nullptr) return std::string(hit->payload());
  cache.Fill(ticket, key, MetaValue(disk));
  return disk;
}

std::string Peek(HotCache& cache, const std::string& key) {
  HotCache::Ticket ticket;
  return PayloadOf(cache.Lookup(key, &ticket));
}

// Reads a key the way a reader that missed would, caching `disk`.
void Warm(HotCache& cache, const std::string& key, const std::string& disk) {
  HotCache::Ticket ticket;
  if (cache.Lookup(key, &ticket) == nullptr) cache.Fill(ticket, key, MetaValue(disk));
}

// A column family handle with a chosen id, enough to build WriteBatches.
class FakeFamily : public rocksdb::ColumnFamilyHandle {
 public:
  explicit FakeFamily(uint32_t id) : id_(id) {}
  const std::string& GetName() const override { return name_; }
  uint32_t GetID() const override { return id_; }
  rocksdb::Status GetDescriptor(rocksdb::ColumnFamilyDescriptor*) override {
    return rocksdb::Status::NotSupported();
  }
  const rocksdb::Comparator* GetComparator() const override {
    return rocksdb::BytewiseComparator();
  }

 private:
  uint32_t id_;
  std::string name_ = "fake";
};

TEST(HotCacheTest, MissFillThenHit) {
  HotCache cache(1 << 20, 1);
  HotCache::Ticket ticket;
  EXPECT_EQ(cache.Lookup("k", &ticket), nullptr);
  EXPECT_TRUE(ticket.valid);
  EXPECT_TRUE(cache.Fill(ticket, "k", MetaValue("v", 1234)));
  std::shared_ptr<const CachedMeta> hit = cache.Lookup("k", &ticket);
  ASSERT_NE(hit, nullptr);
  EXPECT_FALSE(ticket.valid);
  EXPECT_EQ(hit->payload(), "v");
  EXPECT_EQ(hit->meta.expire_ms, 1234u);
  EXPECT_EQ(hit->meta.type, ValueType::kString);
  HotCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  cache.ResetStats();
  EXPECT_EQ(cache.Stats().hits, 0u);
  EXPECT_EQ(cache.Stats().misses, 0u);
}

// Entries keep their key, and cached values their bytes, in the same allocation: keys and
// values of every length (around the small-string size too) come back whole, and a value
// outlives the entry it was read from.
TEST(HotCacheTest, KeysAndValuesOfEveryLengthComeBackWhole) {
  HotCache cache(4 << 20, 2);
  std::vector<std::string> keys;
  for (size_t length : {0, 1, 7, 15, 16, 17, 31, 64, 300, 5000}) {
    keys.push_back(std::string(length, 'k') + std::to_string(length));
    cache.Put(keys.back(), MetaValue(std::string(length, static_cast<char>('a' + length % 26))));
  }
  for (const std::string& key : keys) {
    size_t length = key.size() - std::to_string(key.size()).size();
    EXPECT_EQ(Peek(cache, key), std::string(length, static_cast<char>('a' + length % 26)))
        << "key of length " << key.size();
  }
  HotCache::Ticket ticket;
  std::shared_ptr<const CachedMeta> held = cache.Lookup(keys[4], &ticket);
  ASSERT_NE(held, nullptr);
  cache.Put(keys[4], MetaValue("replaced"));
  EXPECT_EQ(held->payload(), std::string(16, 'q'));
  EXPECT_EQ(Peek(cache, keys[4]), "replaced");
  EXPECT_EQ(Peek(cache, std::string(16, 'k')), "(miss)");  // a prefix of a cached key
}

// Prefetches are hints: they count no hit or miss, change no entry, and are safe for absent
// keys, for keys whose shard grows meanwhile, and on a disabled cache.
TEST(HotCacheTest, PrefetchesChangeNothing) {
  HotCache cache(4 << 20, 2);
  cache.Put("present", MetaValue("v"));
  for (int round = 0; round < 3; round++) {
    for (auto stage : {HotCache::PrefetchStage::kSlot, HotCache::PrefetchStage::kEntry}) {
      cache.Prefetch("present", stage);
      cache.Prefetch("absent", stage);
    }
    for (int i = 0; i < 2000; i++)
      cache.Put("grow:" + std::to_string(round * 2000 + i), MetaValue("x"));
  }
  HotCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.hits, 0u);
  EXPECT_EQ(stats.misses, 0u);
  EXPECT_EQ(Peek(cache, "present"), "v");
  EXPECT_EQ(Peek(cache, "absent"), "(miss)");
  HotCache off(0, 1);
  off.Prefetch("present", HotCache::PrefetchStage::kEntry);
  EXPECT_EQ(off.Stats().entries, 0u);
}

TEST(HotCacheTest, MalformedValuesAreNotCached) {
  HotCache cache(1 << 20, 1);
  HotCache::Ticket ticket;
  cache.Lookup("k", &ticket);
  EXPECT_FALSE(cache.Fill(ticket, "k", "\x7f"));
  cache.Put("j", "\x7f");
  EXPECT_EQ(cache.Stats().entries, 0u);
}

TEST(HotCacheTest, FillAfterAWriteIsRefused) {
  HotCache cache(1 << 20, 1);
  HotCache::Ticket ticket;
  cache.Lookup("k", &ticket);
  // A writer commits and writes through while the reader is on its way to RocksDB.
  cache.Put("k", MetaValue("new"));
  EXPECT_FALSE(cache.Fill(ticket, "k", MetaValue("old")));
  EXPECT_EQ(Peek(cache, "k"), "new");

  // The written value may even have been evicted before the late fill arrives.
  cache.Lookup("evicted", &ticket);
  cache.Put("evicted", MetaValue("new"));
  for (int i = 0; i < 10000; i++) cache.Put("other" + std::to_string(i), MetaValue("o"));
  EXPECT_FALSE(cache.Fill(ticket, "evicted", MetaValue("old")));
  EXPECT_EQ(Peek(cache, "evicted"), "(miss)");

  cache.Lookup("gone", &ticket);
  cache.Erase("gone");
  EXPECT_FALSE(cache.Fill(ticket, "gone", MetaValue("old")));
  EXPECT_EQ(Peek(cache, "gone"), "(miss)");

  cache.Lookup("flushed", &ticket);
  cache.EraseRange("a", "z");
  EXPECT_FALSE(cache.Fill(ticket, "flushed", MetaValue("old")));
  EXPECT_EQ(Peek(cache, "flushed"), "(miss)");
}

TEST(HotCacheTest, SecondFillKeepsTheFirst) {
  HotCache cache(1 << 20, 1);
  HotCache::Ticket first, second;
  cache.Lookup("k", &first);
  cache.Lookup("k", &second);
  EXPECT_TRUE(cache.Fill(first, "k", MetaValue("v")));
  EXPECT_FALSE(cache.Fill(second, "k", MetaValue("v")));
  EXPECT_EQ(cache.Stats().entries, 1u);
}

TEST(HotCacheTest, WriteThroughReplacesAndErases) {
  HotCache cache(1 << 20, 1);
  cache.Put("k", MetaValue("one"));
  EXPECT_EQ(Peek(cache, "k"), "one");
  cache.Put("k", MetaValue("two"));
  EXPECT_EQ(Peek(cache, "k"), "two");
  EXPECT_EQ(cache.Stats().entries, 1u);
  cache.Erase("k");
  EXPECT_EQ(Peek(cache, "k"), "(miss)");
  EXPECT_EQ(cache.Stats().usage_bytes, 0u);
}

TEST(HotCacheTest, EraseRangeDropsOnlyTheRange) {
  HotCache cache(1 << 20, 4);
  for (char db : {'\x00', '\x01', '\x02'}) {
    for (int i = 0; i < 20; i++) cache.Put(std::string(1, db) + std::to_string(i), MetaValue("v"));
  }
  cache.EraseRange(std::string(1, '\x01'), std::string(1, '\x02'));
  for (int i = 0; i < 20; i++) {
    EXPECT_EQ(Peek(cache, std::string(1, '\x00') + std::to_string(i)), "v");
    EXPECT_EQ(Peek(cache, std::string(1, '\x01') + std::to_string(i)), "(miss)");
    EXPECT_EQ(Peek(cache, std::string(1, '\x02') + std::to_string(i)), "v");
  }
}

TEST(HotCacheTest, MergeKeyRangesJoinsTouchingRanges) {
  std::vector<KeyRange> merged =
      MergeKeyRanges({{"c", "d"}, {"a", "b"}, {"b", "c"}, {"x", "z"}, {"y", "y"}, {"e", "f"}});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].begin, "a");
  EXPECT_EQ(merged[0].end, "d");
  EXPECT_EQ(merged[1].begin, "e");
  EXPECT_EQ(merged[2].begin, "x");
  EXPECT_EQ(merged[2].end, "z");
}

TEST(HotCacheTest, CommittedBatchIsReplayedAndAFailedOneErased) {
  FakeFamily meta(1), other(2);
  HotCache cache(1 << 20, 2);
  cache.Put("stale", MetaValue("s"));
  cache.Put("deleted", MetaValue("d"));
  cache.Put("\x05ranged", MetaValue("r"));
  rocksdb::WriteBatch batch;
  batch.Put(&meta, "fresh", MetaValue("f"));
  batch.Put(&meta, "stale", MetaValue("s2"));
  batch.Delete(&meta, "deleted");
  batch.DeleteRange(&meta, "\x05", "\x06");
  batch.Put(&other, "elsewhere", MetaValue("x"));
  cache.ApplyCommitted(batch, meta.GetID());
  EXPECT_EQ(Peek(cache, "fresh"), "f");
  EXPECT_EQ(Peek(cache, "stale"), "s2");
  EXPECT_EQ(Peek(cache, "deleted"), "(miss)");
  EXPECT_EQ(Peek(cache, "\x05ranged"), "(miss)");
  EXPECT_EQ(Peek(cache, "elsewhere"), "(miss)");

  rocksdb::WriteBatch failed;
  failed.Put(&meta, "fresh", MetaValue("never"));
  cache.Invalidate(failed, meta.GetID());
  EXPECT_EQ(Peek(cache, "fresh"), "(miss)");
  EXPECT_EQ(Peek(cache, "stale"), "s2");
}

TEST(HotCacheTest, ValuesTooLargeForAShardAreNotCached) {
  HotCache cache(64 << 10, 1);
  std::string big(40 << 10, 'x');
  cache.Put("k", MetaValue("small"));
  cache.Put("k", MetaValue(big));
  EXPECT_EQ(Peek(cache, "k"), "(miss)");  // the old value must not survive either
  HotCache::Ticket ticket;
  cache.Lookup("k", &ticket);
  EXPECT_FALSE(cache.Fill(ticket, "k", MetaValue(big)));
}

TEST(HotCacheTest, UsageStaysWithinCapacity) {
  const size_t capacity = 256 << 10;
  HotCache cache(capacity, 4);
  for (int i = 0; i < 5000; i++) {
    cache.Put("key" + std::to_string(i), MetaValue(std::string(static_cast<size_t>(i % 300), 'v')));
    ASSERT_LE(cache.Stats().usage_bytes, capacity);
  }
  HotCacheStats stats = cache.Stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_GT(stats.entries, 0u);
  // Every entry is charged at least its fixed overhead.
  EXPECT_GE(stats.usage_bytes, stats.entries * CacheShard::kEntryOverhead);
}

TEST(HotCacheTest, OneTimeKeysLeaveInInsertionOrder) {
  // One shard of 32 KB holds about a hundred such entries.
  HotCache cache(32 << 10, 1);
  for (int i = 0; i < 200; i++) cache.Put("k" + std::to_string(1000 + i), MetaValue("v"));
  // None was read again: the oldest went first and the newest stayed.
  int first_kept = -1;
  for (int i = 0; i < 200; i++) {
    bool kept = Peek(cache, "k" + std::to_string(1000 + i)) != "(miss)";
    if (first_kept < 0 && kept) first_kept = i;
    if (first_kept >= 0) {
      EXPECT_TRUE(kept) << i;  // no hole after the first survivor
    }
  }
  EXPECT_GT(first_kept, 0);
}

TEST(HotCacheTest, AReadKeyMovesToMainAndOutlivesNewerOneTimeKeys) {
  HotCache cache(32 << 10, 1);
  Warm(cache, "hot", "h");
  Warm(cache, "hot", "h");  // a hit: it will move to main instead of leaving
  for (int i = 0; i < 500; i++) Warm(cache, "cold" + std::to_string(i), "c");
  EXPECT_TRUE(cache.InMainForTest("hot"));
  EXPECT_EQ(Peek(cache, "hot"), "h");
  EXPECT_EQ(Peek(cache, "cold0"), "(miss)");
}

TEST(HotCacheTest, RecentlyDroppedKeyReturnsStraightToMain) {
  HotCache cache(32 << 10, 1);
  Warm(cache, "again", "a");
  // Until the first eviction, which takes the oldest unread key of the small FIFO.
  for (int i = 0; cache.Stats().evictions == 0; i++) Warm(cache, "cold" + std::to_string(i), "c");
  ASSERT_EQ(Peek(cache, "again"), "(miss)");  // dropped from small, remembered in the ghost
  Warm(cache, "again", "a");
  EXPECT_TRUE(cache.InMainForTest("again"));
}

TEST(HotCacheTest, HotSetSurvivesAPassOverTenTimesAsManyColdKeys) {
  const size_t capacity = 1 << 20;
  HotCache cache(capacity, 4);
  // The hot set: about a third of the cache, read a few times.
  const int hot_keys = 1000;
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < hot_keys; i++) Read(cache, "hot" + std::to_string(i), "h");
  }
  // A scan: ten times the cache's worth of cold keys, each read once.
  const int cold_keys = static_cast<int>(10 * capacity / CacheShard::kEntryOverhead);
  for (int i = 0; i < cold_keys; i++) Read(cache, "cold" + std::to_string(i), "c");
  cache.ResetStats();
  for (int i = 0; i < hot_keys; i++) EXPECT_EQ(Peek(cache, "hot" + std::to_string(i)), "h") << i;
  EXPECT_EQ(cache.Stats().misses, 0u);
}

TEST(HotCacheTest, ShrinkingEvictsAndZeroTurnsItOff) {
  HotCache cache(1 << 20, 4);
  for (int i = 0; i < 2000; i++) cache.Put("k" + std::to_string(i), MetaValue("value"));
  EXPECT_GT(cache.Stats().usage_bytes, 256u << 10);
  cache.SetCapacity(128 << 10);
  EXPECT_LE(cache.Stats().usage_bytes, 128u << 10);
  EXPECT_GT(cache.Stats().evictions, 0u);
  cache.SetCapacity(0);
  EXPECT_FALSE(cache.enabled());
  EXPECT_EQ(cache.Stats().entries, 0u);
  EXPECT_EQ(cache.Stats().usage_bytes, 0u);
  HotCache::Ticket ticket;
  EXPECT_EQ(cache.Lookup("k1", &ticket), nullptr);
  EXPECT_FALSE(cache.Fill(ticket, "k1", MetaValue("value")));
  cache.Put("k1", MetaValue("value"));
  EXPECT_EQ(cache.Stats().entries, 0u);
  cache.SetCapacity(1 << 20);
  cache.Put("k1", MetaValue("value"));
  EXPECT_EQ(Peek(cache, "k1"), "value");
}

TEST(HotCacheTest, ShardCountFollowsCapacity) {
  EXPECT_EQ(HotCache(0).shard_count(), 4u);
  EXPECT_EQ(HotCache(size_t{1} << 30).shard_count(), 64u);
  EXPECT_EQ(HotCache(1 << 20, 3).shard_count(), 2u);
}

// Writers commit to a "disk" and then write through, one writer per key as the key locks
// guarantee; readers hold no lock at all. A reader must never get a value older than the
// one the key's writer had finished writing when the read began, and at the end every
// cached value equals the disk's.
TEST(HotCacheTest, ReadersNeverSeeValuesOlderThanACompletedWrite) {
  constexpr int kKeys = 8;
  constexpr int kWrites = 5000;
  constexpr int kReaders = 3;
  // One shard holding about five of the eight keys: entries are evicted all the time, so
  // a fill may find no newer entry in its way and only the stamp can refuse it.
  HotCache cache(2 << 10, 1);
  std::vector<std::atomic<uint64_t>> disk(kKeys);
  std::vector<std::atomic<uint64_t>> completed(kKeys);
  std::atomic<bool> stop{false};
  std::atomic<int> stale{0};
  std::atomic<int> readers_running{0};
  auto key_name = [](int k) { return "key" + std::to_string(k); };

  std::vector<std::thread> threads;
  for (int k = 0; k < kKeys; k++) {
    threads.emplace_back([&, k] {
      while (readers_running.load() < kReaders) std::this_thread::yield();
      for (uint64_t v = 1; v <= kWrites; v++) {
        disk[static_cast<size_t>(k)].store(v);
        cache.Put(key_name(k), MetaValue(std::to_string(v)));
        completed[static_cast<size_t>(k)].store(v);
        // Pauses let a wrongly refilled old value sit long enough for a reader to see it.
        if (v % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    });
  }
  for (int r = 0; r < kReaders; r++) {
    threads.emplace_back([&, r] {
      readers_running++;
      for (uint64_t i = 0; !stop.load(); i++) {
        int k = static_cast<int>((i + static_cast<uint64_t>(r)) % kKeys);
        uint64_t floor = completed[static_cast<size_t>(k)].load();
        HotCache::Ticket ticket;
        std::shared_ptr<const CachedMeta> hit = cache.Lookup(key_name(k), &ticket);
        uint64_t seen;
        if (hit != nullptr) {
          seen = std::stoull(std::string(hit->payload()));
        } else {
          seen = disk[static_cast<size_t>(k)].load();
          // Now and then the reader dawdles between its read and its fill, as a reader
          // descheduled there would: writers and evictions get to run in between.
          if (i % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(20));
          cache.Fill(ticket, key_name(k), MetaValue(std::to_string(seen)));
        }
        if (seen < floor) stale++;
      }
    });
  }
  for (int k = 0; k < kKeys; k++) threads[static_cast<size_t>(k)].join();
  stop = true;
  for (size_t i = kKeys; i < threads.size(); i++) threads[i].join();
  EXPECT_EQ(stale.load(), 0);
  for (int k = 0; k < kKeys; k++) {
    std::string cached = Peek(cache, key_name(k));
    if (cached != "(miss)") {
      EXPECT_EQ(cached, std::to_string(kWrites)) << k;
    }
  }
}

}  // namespace
}  // namespace cairn
