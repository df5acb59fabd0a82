// maxmemory as Cairn applies it: the split between hot cache, block cache and memtables in
// INFO memory, live resizing through CONFIG SET (a shrink evicts at once), the share
// options and their errors, maxmemory 0 (automatic), a refused start with bad shares, and
// the process's RSS staying near the budget while data many times its size goes through.
#include <algorithm>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr long long kMb = 1 << 20;

class CacheMemoryTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--maxmemory", "64mb"}; }

  long long Memory(const std::string& field) { return InfoNumber(client_, "memory", field); }

  void ExpectSplit(long long total, long long hot_percent, long long block_percent) {
    EXPECT_EQ(Memory("cairn_maxmemory_effective"), total);
    EXPECT_EQ(Memory("cairn_hot_cache_capacity"), total / 100 * hot_percent);
    EXPECT_EQ(Memory("cairn_block_cache_capacity"), total / 100 * block_percent);
    EXPECT_EQ(Memory("cairn_memtable_limit"),
              total - total / 100 * hot_percent - total / 100 * block_percent);
  }

  // Fills the hot cache with `count` distinct 1 KB strings.
  void Fill(int count) {
    std::vector<std::vector<std::string>> batch;
    for (int i = 0; i < count; i++) {
      batch.push_back({"SET", "fill:" + std::to_string(i), std::string(1024, 'f')});
      if (batch.size() == 500 || i + 1 == count) {
        for (const Reply& reply : client_.Pipeline(batch)) ASSERT_TRUE(IsOk(reply)) << reply;
        batch.clear();
      }
    }
  }
};

TEST_F(CacheMemoryTest, InfoShowsTheSplit) {
  ExpectSplit(64 * kMb, 40, 35);
  EXPECT_EQ(Memory("maxmemory"), 64 * kMb);
  std::string memory = InfoText(client_, "memory");
  long long dataset = std::stoll(*InfoField(memory, "used_memory_dataset"));
  long long parts = std::stoll(*InfoField(memory, "used_memory_hot_cache")) +
                    std::stoll(*InfoField(memory, "used_memory_block_cache")) +
                    std::stoll(*InfoField(memory, "used_memory_memtables"));
  EXPECT_EQ(dataset, parts);
}

TEST_F(CacheMemoryTest, ConfigSetResizesLiveAndAShrinkEvicts) {
  ASSERT_NO_FATAL_FAILURE(Fill(20000));  // ~25 MB: the 25.6 MB cache is about full
  long long before = Memory("used_memory_hot_cache");
  EXPECT_GT(before, 16 * kMb);
  long long evictions = InfoNumber(client_, "stats", "cairn_cache_evictions");
  EXPECT_OK(client_.Command({"CONFIG", "SET", "maxmemory", "16mb"}));
  ExpectSplit(16 * kMb, 40, 35);
  EXPECT_LE(Memory("used_memory_hot_cache"), 16 * kMb / 100 * 40);
  EXPECT_GT(InfoNumber(client_, "stats", "cairn_cache_evictions"), evictions);
  EXPECT_BULK(client_.Command({"GET", "fill:0"}), std::string(1024, 'f'));
  EXPECT_BULK(client_.Command({"GET", "fill:19999"}), std::string(1024, 'f'));

  EXPECT_OK(client_.Command({"CONFIG", "SET", "hot-cache-share", "10", "block-cache-share", "50"}));
  ExpectSplit(16 * kMb, 10, 50);
  EXPECT_LE(Memory("used_memory_hot_cache"), 16 * kMb / 100 * 10);
  Reply rocksdb = client_.Command({"INFO", "rocksdb"});
  EXPECT_EQ(InfoField(rocksdb.text(), "block_cache_capacity"), std::to_string(16 * kMb / 100 * 50));

  EXPECT_OK(client_.Command({"CONFIG", "SET", "hot-cache-share", "0"}));
  EXPECT_EQ(Memory("used_memory_hot_cache"), 0);
  EXPECT_EQ(Memory("cairn_hot_cache_keys"), 0);
  EXPECT_BULK(client_.Command({"GET", "fill:7"}), std::string(1024, 'f'));
  EXPECT_EQ(Memory("cairn_hot_cache_keys"), 0);

  // Growing again brings the cache back.
  EXPECT_OK(client_.Command(
      {"CONFIG", "SET", "maxmemory", "64mb", "hot-cache-share", "40", "block-cache-share", "35"}));
  ExpectSplit(64 * kMb, 40, 35);
  EXPECT_BULK(client_.Command({"GET", "fill:7"}), std::string(1024, 'f'));
  EXPECT_EQ(Memory("cairn_hot_cache_keys"), 1);
}

TEST_F(CacheMemoryTest, ShareOptionsAndTheirErrors) {
  EXPECT_STRINGS(client_.Command({"CONFIG", "GET", "hot-cache-share"}), {"hot-cache-share", "40"});
  EXPECT_STRINGS(client_.Command({"CONFIG", "GET", "block-cache-share"}),
                 {"block-cache-share", "35"});
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "hot-cache-share", "61"}),
               "ERR CONFIG SET failed (possibly related to argument 'hot-cache-share') - "
               "hot-cache-share plus block-cache-share must leave at least 5% for memtables");
  EXPECT_BULK(client_.Command({"CONFIG", "GET", "hot-cache-share"}).elements()[1], "40");
  ExpectSplit(64 * kMb, 40, 35);
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "hot-cache-share", "96"}),
               "ERR CONFIG SET failed (possibly related to argument 'hot-cache-share') - "
               "argument must be between 0 and 95 inclusive");
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "block-cache-share", "0"}),
               "ERR CONFIG SET failed (possibly related to argument 'block-cache-share') - "
               "argument must be between 1 and 95 inclusive");
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "block-cache-share", "x"}),
               "ERR CONFIG SET failed (possibly related to argument 'block-cache-share') - "
               "argument couldn't be parsed into an integer");
  EXPECT_OK(client_.Command({"CONFIG", "SET", "hot-cache-share", "60", "block-cache-share", "35"}));
  ExpectSplit(64 * kMb, 60, 35);
}

TEST_F(CacheMemoryTest, ZeroMeansAQuarterOfTheMachinesMemory) {
  EXPECT_OK(client_.Command({"CONFIG", "SET", "maxmemory", "0"}));
  EXPECT_EQ(Memory("maxmemory"), 0);
  long long effective = Memory("cairn_maxmemory_effective");
  long long system = Memory("total_system_memory");
  // A quarter of the machine's memory, or of a lower cgroup limit; never under 8 MB.
  EXPECT_LE(effective, std::max(system / 4, 8 * kMb));
  EXPECT_GE(effective, 8 * kMb);
  // Tiny values are raised to the 8 MB floor.
  EXPECT_OK(client_.Command({"CONFIG", "SET", "maxmemory", "1mb"}));
  EXPECT_EQ(Memory("maxmemory"), kMb);
  EXPECT_EQ(Memory("cairn_maxmemory_effective"), 8 * kMb);
}

TEST(CacheMemoryStartTest, BadSharesRefuseToStart) {
  ServerProcess server;
  EXPECT_FALSE(server.Start({"--hot-cache-share", "60", "--block-cache-share", "40"}));
  EXPECT_NE(server.log().find("Invalid memory shares: hot-cache-share plus block-cache-share "
                              "must leave at least 5% for memtables"),
            std::string::npos)
      << server.LogTail();
}

// RSS with data many times maxmemory written and read back: the budget holds the data
// parts, so the process grows by about the budget plus a fixed overhead, not with the data.
class CacheRssTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--maxmemory", "16mb", "--workers", "2"};
  }
};

TEST_F(CacheRssTest, ResidentMemoryStaysNearTheBudget) {
  long long baseline = InfoNumber(client_, "memory", "used_memory_rss");
  constexpr int kKeys = 40000;  // 2 KB each: 80 MB, five times maxmemory
  const std::string value(2048, 'r');
  for (int pass = 0; pass < 2; pass++) {
    std::vector<std::vector<std::string>> batch;
    for (int i = 0; i < kKeys; i++) {
      if (pass == 0) {
        batch.push_back({"SET", "big:" + std::to_string(i), value});
      } else {
        batch.push_back({"GET", "big:" + std::to_string(i)});
      }
      if (batch.size() == 500 || i + 1 == kKeys) {
        for (const Reply& reply : client_.Pipeline(batch)) {
          ASSERT_TRUE(pass == 0 ? IsOk(reply) : IsBulk(reply, value)) << reply;
        }
        batch.clear();
      }
    }
  }
  long long rss = InfoNumber(client_, "memory", "used_memory_rss");
  // maxmemory + 25%, plus a fixed allowance for what lies outside the budget (RocksDB's
  // flush and compaction buffers, thread stacks, allocator slack).
  long long bound = baseline + 16 * kMb * 5 / 4 + 48 * kMb;
  EXPECT_LT(rss, bound) << "baseline " << baseline;
  EXPECT_LE(InfoNumber(client_, "memory", "used_memory_hot_cache"),
            InfoNumber(client_, "memory", "cairn_hot_cache_capacity"));
}

}  // namespace
}  // namespace cairn::test
