// Tests for engine/cache_index.h: lookups, growth, and deletion by backward shift under
// heavy collisions and wrap-around, checked against a reference map.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/cache_index.h"

namespace cairn {
namespace {

struct TestEntry {
  uint64_t hash;
  std::string name;
  std::string_view key() const { return name; }
};

TEST(CacheIndexTest, FindsInsertedEntriesAndForgetsErasedOnes) {
  CacheIndex<TestEntry> index;
  TestEntry a{1, "a"}, b{2, "b"};
  index.Insert(&a);
  index.Insert(&b);
  EXPECT_EQ(index.Find(1, "a"), &a);
  EXPECT_EQ(index.Find(2, "b"), &b);
  EXPECT_EQ(index.Find(1, "b"), nullptr);  // same hash, other key
  EXPECT_EQ(index.Find(3, "c"), nullptr);
  index.Erase(&a);
  EXPECT_EQ(index.Find(1, "a"), nullptr);
  EXPECT_EQ(index.Find(2, "b"), &b);
  EXPECT_EQ(index.size(), 1u);
}

TEST(CacheIndexTest, FirstWithHashIgnoresKeysAndHomeSlotFollowsGrowth) {
  CacheIndex<TestEntry> index;
  TestEntry a{7, "a"}, b{7, "b"};
  EXPECT_EQ(index.FirstWithHash(7), nullptr);
  index.Insert(&a);
  index.Insert(&b);
  EXPECT_EQ(index.FirstWithHash(7), &a);  // the first of the run, whatever its key
  EXPECT_EQ(index.FirstWithHash(8), nullptr);
  const void* before = index.HomeSlotAddress(7);
  std::vector<std::unique_ptr<TestEntry>> more;
  for (uint64_t hash = 100; hash < 1100; hash++) {
    more.push_back(std::make_unique<TestEntry>(TestEntry{hash, std::to_string(hash)}));
    index.Insert(more.back().get());
  }
  // The table grew: prefetches aim at the new one (the old one is gone).
  EXPECT_NE(index.HomeSlotAddress(7), before);
  EXPECT_EQ(index.FirstWithHash(7), &a);
}

// Hashes from a tiny range make long probe runs that wrap around the end of the table;
// random inserts and erases must keep every remaining entry findable.
TEST(CacheIndexTest, CollidingHashesSurviveRandomErasure) {
  for (uint64_t hash_range : {uint64_t{3}, uint64_t{61}, uint64_t{1} << 40}) {
    CacheIndex<TestEntry> index;
    std::map<std::string, std::unique_ptr<TestEntry>> present;
    std::mt19937_64 random(hash_range);
    for (int step = 0; step < 20000; step++) {
      std::string key = "k" + std::to_string(random() % 500);
      auto it = present.find(key);
      if (it == present.end()) {
        // High hashes land near the end of the table, to wrap the probe runs.
        uint64_t hash = (random() % hash_range) | (step % 2 ? 0 : 0x3f);
        auto entry = std::make_unique<TestEntry>(TestEntry{hash, key});
        index.Insert(entry.get());
        present.emplace(key, std::move(entry));
      } else {
        index.Erase(it->second.get());
        present.erase(it);
      }
      if (step % 997 == 0) {
        for (const auto& [name, entry] : present) {
          ASSERT_EQ(index.Find(entry->hash, name), entry.get()) << name << " step " << step;
        }
      }
    }
    EXPECT_EQ(index.size(), present.size());
    for (const auto& [name, entry] : present) EXPECT_EQ(index.Find(entry->hash, name), entry.get());
    for (auto& [name, entry] : present) index.Erase(entry.get());
    EXPECT_EQ(index.size(), 0u);
  }
}

}  // namespace
}  // namespace cairn
