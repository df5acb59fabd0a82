// Tests for KEYS, SCAN and RANDOMKEY: patterns, literal prefixes and hashtags, expired keys,
// SCAN's guarantees under concurrent change, and termination on made-up cursors.
#include <algorithm>
#include <random>
#include <set>

#include "encoding/key_slot.h"
#include "engine/scan_cursors.h"
#include "engine_test_env.h"

namespace cairn {
namespace {

class ScanTest : public EngineTest {
 protected:
  std::vector<std::string> KeysSorted(int db, const std::string& pattern) {
    std::vector<std::string> found;
    Status s = keys().Keys(db, pattern, &found);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::sort(found.begin(), found.end());
    return found;
  }

  // Runs a whole scan; returns every key returned (with repeats) and the number of calls.
  std::vector<std::string> ScanAll(int db, const std::string& pattern, size_t count,
                                   std::optional<ValueType> type = std::nullopt,
                                   size_t* calls = nullptr, uint64_t cursor = 0) {
    std::vector<std::string> all;
    size_t n = 0;
    do {
      std::vector<std::string> batch;
      Status s = keys().Scan(db, cursor, pattern, count, type, &batch, &cursor);
      EXPECT_TRUE(s.ok()) << s.ToString();
      all.insert(all.end(), batch.begin(), batch.end());
      n++;
    } while (cursor != 0 && n < 1000000);
    if (calls != nullptr) *calls = n;
    return all;
  }
};

TEST_F(ScanTest, KeysPatterns) {
  for (const char* key : {"user:1", "user:2", "user:10", "admin:1", "users", "", "{a}x", "b{a}"}) {
    Set(0, key, "v");
  }
  EXPECT_EQ(KeysSorted(0, "*").size(), 8u);
  EXPECT_EQ(KeysSorted(0, "user:*"), (std::vector<std::string>{"user:1", "user:10", "user:2"}));
  EXPECT_EQ(KeysSorted(0, "user:?"), (std::vector<std::string>{"user:1", "user:2"}));
  EXPECT_EQ(KeysSorted(0, "*:1"), (std::vector<std::string>{"admin:1", "user:1"}));
  EXPECT_EQ(KeysSorted(0, "users"), (std::vector<std::string>{"users"}));
  EXPECT_EQ(KeysSorted(0, ""), (std::vector<std::string>{""}));
  EXPECT_EQ(KeysSorted(0, "nomatch*"), std::vector<std::string>{});
  EXPECT_EQ(KeysSorted(0, "{a}*"), (std::vector<std::string>{"{a}x"}));
  EXPECT_EQ(KeysSorted(1, "*"), std::vector<std::string>{});
}

TEST_F(ScanTest, KeysWithHashtagPrefixStayInTheirSlot) {
  for (int i = 0; i < 30; i++) {
    Set(0, "{user1000}." + std::to_string(i), "v");
    Set(0, "{user2000}." + std::to_string(i), "v");
    Set(0, "user1000." + std::to_string(i), "v");
  }
  EXPECT_EQ(KeysSorted(0, "{user1000}.*").size(), 30u);
  EXPECT_EQ(KeysSorted(0, "{user1000}.1*").size(), 11u);
  EXPECT_EQ(KeysSorted(0, "user1000.*").size(), 30u);
  EXPECT_EQ(KeysSorted(0, "*user1000*").size(), 60u);
}

TEST_F(ScanTest, KeysSkipsExpiredKeys) {
  Set(0, "live", "v");
  Set(0, "dying", "v", kStartMs + 10);
  EXPECT_EQ(KeysSorted(0, "*").size(), 2u);
  clock_.AdvanceMs(10);
  EXPECT_EQ(KeysSorted(0, "*"), std::vector<std::string>{"live"});
  EXPECT_EQ(keys().DbSize(0), 2);  // still physically present, like Redis's DBSIZE
}

TEST_F(ScanTest, ScanReturnsEveryKeyExactlyOnceWhenNothingChanges) {
  std::set<std::string> expected;
  for (int i = 0; i < 500; i++) {
    std::string key = "key:" + std::to_string(i);
    Set(0, key, "v");
    expected.insert(key);
  }
  for (size_t count : {1, 7, 10, 100, 1000}) {
    std::vector<std::string> all = ScanAll(0, "", count);
    EXPECT_EQ(all.size(), expected.size()) << count;
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), expected) << count;
  }
  EXPECT_TRUE(ScanAll(1, "", 10).empty());
}

TEST_F(ScanTest, ScanWithPatternTypeAndHashtag) {
  for (int i = 0; i < 100; i++) {
    Set(0, "a:" + std::to_string(i), "v");
    Set(0, "b:" + std::to_string(i), "v");
    Set(0, "{tag}:" + std::to_string(i), "v");
  }
  std::vector<std::string> a = ScanAll(0, "a:*", 10);
  EXPECT_EQ(a.size(), 100u);
  EXPECT_TRUE(std::all_of(a.begin(), a.end(), [](auto& k) { return k.starts_with("a:"); }));
  EXPECT_EQ(ScanAll(0, "*:5", 10).size(), 3u);
  EXPECT_EQ(ScanAll(0, "*", 10, ValueType::kString).size(), 300u);
  EXPECT_EQ(ScanAll(0, "*", 10, ValueType::kHash).size(), 0u);
  size_t calls = 0;
  EXPECT_EQ(ScanAll(0, "{tag}:*", 10, std::nullopt, &calls).size(), 100u);
  EXPECT_LE(calls, 20u);  // one slot only
}

TEST_F(ScanTest, ScanSkipsExpiredKeys) {
  Set(0, "live", "v");
  Set(0, "dying", "v", kStartMs + 1);
  clock_.AdvanceMs(1);
  EXPECT_EQ(ScanAll(0, "", 10), std::vector<std::string>{"live"});
}

TEST_F(ScanTest, KeysPresentForTheWholeScanAreAlwaysReturned) {
  std::mt19937 rng(1234);
  std::set<std::string> stable;
  for (int i = 0; i < 400; i++) {
    std::string key = "stable:" + std::to_string(i);
    Set(0, key, "v");
    stable.insert(key);
  }
  for (int i = 0; i < 200; i++) Set(0, "volatile:" + std::to_string(i), "v");
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    std::vector<std::string> batch;
    ASSERT_TRUE(keys().Scan(0, cursor, "", 5, std::nullopt, &batch, &cursor).ok());
    seen.insert(batch.begin(), batch.end());
    // Churn: delete some volatile keys and add new ones between calls.
    std::vector<std::string> doomed = {"volatile:" + std::to_string(rng() % 200)};
    int64_t deleted = 0;
    ASSERT_TRUE(keys().Delete(0, doomed, &deleted).ok());
    Set(0, "new:" + std::to_string(step++), "v");
  } while (cursor != 0);
  for (const std::string& key : stable) EXPECT_TRUE(seen.count(key)) << key;
}

TEST_F(ScanTest, MadeUpCursorsTerminate) {
  for (int i = 0; i < 300; i++) Set(0, "k" + std::to_string(i), "v");
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 50; trial++) {
    // Half the cursors name a real slot with a random token, half are anything at all.
    uint64_t cursor =
        trial % 2 == 0 ? ((rng() % kNumSlots) << 40) | (rng() & 0xffffffffffULL) : rng();
    size_t calls = 0;
    ScanAll(0, "", 10, std::nullopt, &calls, cursor);
    EXPECT_LT(calls, 1000u);
  }
  std::vector<std::string> batch;
  uint64_t next = 123;
  ASSERT_TRUE(keys().Scan(0, uint64_t{kNumSlots} << 40, "", 10, std::nullopt, &batch, &next).ok());
  EXPECT_EQ(next, 0u);
  EXPECT_TRUE(batch.empty());
}

TEST_F(ScanTest, ForeignTokenResumesAtTheStartOfTheSlot) {
  // A token recorded for db 0 is not honoured for db 1: the scan restarts the slot there,
  // so nothing in db 1 is skipped.
  for (int i = 0; i < 50; i++) {
    Set(0, "{s}" + std::to_string(i), "v");
    Set(1, "{s}" + std::to_string(i), "v");
  }
  std::vector<std::string> batch;
  uint64_t cursor = 0;
  ASSERT_TRUE(keys().Scan(0, 0, "", 10, std::nullopt, &batch, &cursor).ok());
  ASSERT_NE(cursor, 0u);
  std::vector<std::string> rest = ScanAll(1, "", 10, std::nullopt, nullptr, cursor);
  EXPECT_EQ(std::set<std::string>(rest.begin(), rest.end()).size(), 50u);
}

TEST_F(ScanTest, SparsePatternScanIsBoundedPerCall) {
  for (int i = 0; i < 2000; i++) Set(0, "key" + std::to_string(i), "v");
  size_t calls = 0;
  EXPECT_TRUE(ScanAll(0, "zzz*", 10, std::nullopt, &calls).empty());
  EXPECT_GT(calls, 1u);     // COUNT bounds the work of each call...
  EXPECT_LT(calls, 3000u);  // ...and every call makes progress
}

TEST_F(ScanTest, CursorTableTokens) {
  ScanCursorTable table;
  uint64_t token = table.Remember(3, 77, "last");
  EXPECT_NE(token, 0u);
  std::string key;
  EXPECT_TRUE(table.Recall(token, 3, 77, &key));
  EXPECT_EQ(key, "last");
  EXPECT_FALSE(table.Recall(token, 4, 77, &key));
  EXPECT_FALSE(table.Recall(token, 3, 78, &key));
  EXPECT_FALSE(table.Recall(0, 3, 77, &key));
  // After a full lap around the ring the old token is evicted.
  for (size_t i = 0; i < ScanCursorTable::kCapacity; i++) table.Remember(0, 0, "x");
  EXPECT_FALSE(table.Recall(token, 3, 77, &key));
}

TEST_F(ScanTest, RandomKey) {
  std::string key;
  bool found = true;
  ASSERT_TRUE(keys().RandomKey(0, &key, &found).ok());
  EXPECT_FALSE(found);
  std::set<std::string> names;
  for (int i = 0; i < 20; i++) {
    names.insert("r" + std::to_string(i));
    Set(0, "r" + std::to_string(i), "v");
  }
  std::set<std::string> picked;
  for (int i = 0; i < 200; i++) {
    ASSERT_TRUE(keys().RandomKey(0, &key, &found).ok());
    ASSERT_TRUE(found);
    EXPECT_TRUE(names.count(key)) << key;
    picked.insert(key);
  }
  EXPECT_GT(picked.size(), 1u);
}

TEST_F(ScanTest, RandomKeyIgnoresExpiredKeys) {
  Set(0, "dead", "v", kStartMs + 1);
  clock_.AdvanceMs(1);
  std::string key;
  bool found = true;
  ASSERT_TRUE(keys().RandomKey(0, &key, &found).ok());
  EXPECT_FALSE(found);
  Set(0, "alive", "v");
  ASSERT_TRUE(keys().RandomKey(0, &key, &found).ok());
  ASSERT_TRUE(found);
  EXPECT_EQ(key, "alive");
}

}  // namespace
}  // namespace cairn
