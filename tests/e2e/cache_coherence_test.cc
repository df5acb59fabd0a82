// The hot cache seen from clients, on a server whose cache is far smaller than its data
// (maxmemory 8mb) with two workers, so that the two clients of a test run on different
// threads: data many times the cache's size reads back intact, and no write (SET, DEL,
// RENAME, expiry, a type change, FLUSHDB/FLUSHALL, SWAPDB, MULTI/EXEC, a WATCH abort) is
// ever followed by a stale read on the other worker; the cache's INFO fields.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/core_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

// Deterministic values of varied sizes (16 bytes to 3 KB), different per key and round.
std::string ValueFor(int key, int round = 0) {
  size_t size = 16 + static_cast<size_t>(key * 37 % 3072);
  std::string value = "v" + std::to_string(key) + ":" + std::to_string(round) + ":";
  value.resize(size, static_cast<char>('a' + key % 26));
  return value;
}

class CacheCoherenceTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--maxmemory", "8mb", "--workers", "2"};
  }

  void SetUp() override {
    ServerTest::SetUp();
    // Accepted connections go to the workers in turn: client_ is on one, other_ on the next.
    other_ = Connect();
  }

  // Writes keys [0, count) with pipelining.
  void Load(int count, int round) {
    std::vector<std::vector<std::string>> batch;
    for (int i = 0; i < count; i++) {
      batch.push_back({"SET", "key:" + std::to_string(i), ValueFor(i, round)});
      if (batch.size() == 500 || i + 1 == count) {
        for (const Reply& reply : client_.Pipeline(batch)) ASSERT_TRUE(IsOk(reply)) << reply;
        batch.clear();
      }
    }
  }

  // Reads keys [0, count) back through `client`; returns how many were wrong.
  int CountMismatches(Client& client, int count, int round) {
    int wrong = 0;
    std::vector<std::vector<std::string>> batch;
    for (int start = 0; start < count; start += 500) {
      batch.clear();
      for (int i = start; i < std::min(count, start + 500); i++) {
        batch.push_back({"GET", "key:" + std::to_string(i)});
      }
      std::vector<Reply> replies = client.Pipeline(batch);
      for (size_t j = 0; j < replies.size(); j++) {
        if (!IsBulk(replies[j], ValueFor(start + static_cast<int>(j), round))) wrong++;
      }
    }
    return wrong;
  }

  Client other_;
};

TEST_F(CacheCoherenceTest, DataManyTimesTheCacheReadsBackIntact) {
  // About 30 MB of values against a 3.2 MB hot cache (40% of 8 MB).
  constexpr int kKeys = 20000;
  ASSERT_NO_FATAL_FAILURE(Load(kKeys, 0));
  EXPECT_EQ(CountMismatches(other_, kKeys, 0), 0);
  ASSERT_NO_FATAL_FAILURE(Load(kKeys, 1));  // overwrite everything once
  EXPECT_EQ(CountMismatches(client_, kKeys, 1), 0);
  EXPECT_EQ(CountMismatches(other_, kKeys, 1), 0);
  EXPECT_GT(InfoNumber(client_, "stats", "cairn_cache_evictions"), 0);
  long long capacity = InfoNumber(client_, "memory", "cairn_hot_cache_capacity");
  EXPECT_EQ(capacity, (8ll << 20) / 100 * 40);
  EXPECT_LE(InfoNumber(client_, "memory", "used_memory_hot_cache"), capacity);

  // A small hot set read over and over is served from the cache.
  ASSERT_TRUE(IsOk(client_.Command({"CONFIG", "RESETSTAT"})));
  for (int round = 0; round < 5; round++) {
    for (int i = 0; i < 200; i++) {
      ASSERT_TRUE(IsBulk(other_.Command({"GET", "key:" + std::to_string(i)}), ValueFor(i, 1)));
    }
  }
  EXPECT_GE(InfoNumber(client_, "stats", "cairn_cache_hits"), 4 * 200);
}

TEST_F(CacheCoherenceTest, EveryWriteIsSeenByTheOtherWorker) {
  for (int i = 0; i < 300; i++) {
    std::string value = std::to_string(i);
    ASSERT_TRUE(IsOk(client_.Command({"SET", "k", value})));
    ASSERT_TRUE(IsBulk(other_.Command({"GET", "k"}), value)) << i;
    ASSERT_TRUE(IsInteger(other_.Command({"INCR", "k"}), i + 1));
    ASSERT_TRUE(IsBulk(client_.Command({"GET", "k"}), std::to_string(i + 1))) << i;
  }
}

TEST_F(CacheCoherenceTest, ConcurrentReaderNeverGoesBackInTime) {
  // The writer publishes each value after the server acknowledged it; a read that starts
  // later must return that value or a newer one.
  constexpr int kWrites = 2000;
  std::atomic<long long> acknowledged{-1};
  std::atomic<int> stale{0};
  std::atomic<bool> done{false};
  std::thread reader([&] {
    Client client;
    if (!client.Connect(server_.port())) return;
    while (!done.load()) {
      long long floor = acknowledged.load();
      Reply reply = client.Command({"GET", "counter"});
      long long seen = reply.is_nil() ? -1 : std::stoll(reply.text());
      if (seen < floor) stale++;
    }
  });
  for (int i = 0; i < kWrites; i++) {
    ASSERT_TRUE(IsOk(client_.Command({"SET", "counter", std::to_string(i)})));
    acknowledged.store(i);
  }
  done = true;
  reader.join();
  EXPECT_EQ(stale.load(), 0);
}

TEST_F(CacheCoherenceTest, DeleteRenameAndExpiryAreNeverServedStale) {
  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "v1"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "v1");
  EXPECT_INTEGER(client_.Command({"DEL", "k"}), 1);
  EXPECT_NIL(other_.Command({"GET", "k"}));
  EXPECT_INTEGER(other_.Command({"EXISTS", "k"}), 0);

  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "v2"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "v2");
  ASSERT_TRUE(IsOk(client_.Command({"RENAME", "k", "k2"})));
  EXPECT_NIL(other_.Command({"GET", "k"}));
  EXPECT_BULK(other_.Command({"GET", "k2"}), "v2");

  EXPECT_BULK(other_.Command({"GET", "k2"}), "v2");
  EXPECT_INTEGER(client_.Command({"PEXPIRE", "k2", "100"}), 1);
  EXPECT_TRUE(EventuallyTrue([&] { return other_.Command({"GET", "k2"}).is_nil(); }));
  EXPECT_INTEGER(other_.Command({"EXISTS", "k2"}), 0);

  ASSERT_TRUE(IsOk(client_.Command({"SET", "t", "x", "PX", "100"})));
  EXPECT_BULK(other_.Command({"GET", "t"}), "x");
  // Active expiry reclaims it; the cache must not bring it back.
  EXPECT_TRUE(EventuallyTrue([&] { return IntegerOf(other_.Command({"DBSIZE"})) == 0; }));
  EXPECT_NIL(other_.Command({"GET", "t"}));
  EXPECT_INTEGER(other_.Command({"PERSIST", "t"}), 0);
}

TEST_F(CacheCoherenceTest, TypeChangesAreSeenAtOnce) {
  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "string"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "string");
  EXPECT_STATUS(other_.Command({"TYPE", "k"}), "string");
  EXPECT_INTEGER(client_.Command({"DEL", "k"}), 1);
  EXPECT_INTEGER(client_.Command({"HSET", "k", "f", "v"}), 1);
  EXPECT_STATUS(other_.Command({"TYPE", "k"}), "hash");
  EXPECT_ERROR_PREFIX(other_.Command({"GET", "k"}), "WRONGTYPE");
  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "again"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "again");
  EXPECT_STATUS(other_.Command({"TYPE", "k"}), "string");
}

TEST_F(CacheCoherenceTest, FlushesAndSwapDbAreSeenAtOnce) {
  ASSERT_TRUE(IsOk(client_.Command({"SET", "a", "db0"})));
  ASSERT_TRUE(IsOk(client_.Command({"SELECT", "1"})));
  ASSERT_TRUE(IsOk(client_.Command({"SET", "a", "db1"})));
  EXPECT_BULK(other_.Command({"GET", "a"}), "db0");
  ASSERT_TRUE(IsOk(client_.Command({"SWAPDB", "0", "1"})));
  EXPECT_BULK(other_.Command({"GET", "a"}), "db1");
  EXPECT_BULK(client_.Command({"GET", "a"}), "db0");  // client_ is still on db 1
  ASSERT_TRUE(IsOk(client_.Command({"FLUSHDB"})));
  EXPECT_NIL(client_.Command({"GET", "a"}));
  EXPECT_BULK(other_.Command({"GET", "a"}), "db1");
  ASSERT_TRUE(IsOk(client_.Command({"FLUSHALL"})));
  EXPECT_NIL(other_.Command({"GET", "a"}));
  ASSERT_TRUE(IsOk(client_.Command({"SET", "a", "fresh"})));
  EXPECT_NIL(other_.Command({"GET", "a"}));  // client_ wrote db 1
  ASSERT_TRUE(IsOk(other_.Command({"SELECT", "1"})));
  EXPECT_BULK(other_.Command({"GET", "a"}), "fresh");
}

TEST_F(CacheCoherenceTest, TransactionsReachTheCacheWhenTheyCommit) {
  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "1"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "1");
  ASSERT_TRUE(IsOk(client_.Command({"MULTI"})));
  EXPECT_STATUS(client_.Command({"SET", "k", "2"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"INCR", "k"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"GET", "k"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.type(), ReplyType::kArray) << exec;
  ASSERT_EQ(exec.elements().size(), 3u);
  EXPECT_BULK(exec.elements()[2], "3");
  EXPECT_BULK(other_.Command({"GET", "k"}), "3");

  // A flush and a write in one transaction.
  ASSERT_TRUE(IsOk(client_.Command({"SET", "other", "x"})));
  EXPECT_BULK(other_.Command({"GET", "other"}), "x");
  ASSERT_TRUE(IsOk(client_.Command({"MULTI"})));
  client_.Command({"FLUSHDB"});
  client_.Command({"SET", "k", "after-flush"});
  ASSERT_EQ(client_.Command({"EXEC"}).type(), ReplyType::kArray);
  EXPECT_NIL(other_.Command({"GET", "other"}));
  EXPECT_BULK(other_.Command({"GET", "k"}), "after-flush");
}

TEST_F(CacheCoherenceTest, AbortedTransactionsChangeNothing) {
  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "10"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "10");
  // WATCH abort: another client changed the key.
  ASSERT_TRUE(IsOk(client_.Command({"WATCH", "k"})));
  ASSERT_TRUE(IsOk(other_.Command({"SET", "k", "11"})));
  ASSERT_TRUE(IsOk(client_.Command({"MULTI"})));
  client_.Command({"SET", "k", "20"});
  EXPECT_TRUE(client_.Command({"EXEC"}).is_nil());
  EXPECT_BULK(other_.Command({"GET", "k"}), "11");
  EXPECT_BULK(client_.Command({"GET", "k"}), "11");
  // EXECABORT: an error while queueing discards everything.
  ASSERT_TRUE(IsOk(client_.Command({"MULTI"})));
  client_.Command({"SET", "k", "30"});
  EXPECT_ERROR_PREFIX(client_.Command({"NOSUCHCOMMAND"}), "ERR unknown command");
  EXPECT_ERROR_PREFIX(client_.Command({"EXEC"}), "EXECABORT");
  EXPECT_BULK(other_.Command({"GET", "k"}), "11");
  // DISCARD.
  ASSERT_TRUE(IsOk(client_.Command({"MULTI"})));
  client_.Command({"SET", "k", "40"});
  ASSERT_TRUE(IsOk(client_.Command({"DISCARD"})));
  EXPECT_BULK(other_.Command({"GET", "k"}), "11");
}

TEST_F(CacheCoherenceTest, CacheFieldsInInfoAndResetStat) {
  ASSERT_TRUE(IsOk(client_.Command({"SET", "k", "v"})));
  ASSERT_TRUE(IsOk(client_.Command({"CONFIG", "RESETSTAT"})));
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
  EXPECT_NIL(client_.Command({"GET", "missing"}));
  std::string stats = InfoText(client_, "stats");
  EXPECT_EQ(InfoField(stats, "cairn_cache_hits"), "1");
  EXPECT_EQ(InfoField(stats, "cairn_cache_misses"), "1");
  EXPECT_EQ(InfoField(stats, "cairn_cache_hit_ratio"), "0.5000");
  EXPECT_TRUE(InfoField(stats, "cairn_cache_evictions").has_value());
  // Redis's own counters keep their meaning.
  EXPECT_EQ(InfoField(stats, "keyspace_hits"), "1");
  EXPECT_EQ(InfoField(stats, "keyspace_misses"), "1");
  std::string memory = InfoText(client_, "memory");
  for (const char* field :
       {"used_memory_hot_cache", "used_memory_block_cache", "used_memory_memtables",
        "used_memory_other", "cairn_maxmemory_effective", "cairn_hot_cache_capacity",
        "cairn_block_cache_capacity", "cairn_memtable_limit", "cairn_hot_cache_keys"}) {
    EXPECT_TRUE(InfoField(memory, field).has_value()) << field;
  }
  EXPECT_EQ(InfoField(memory, "maxmemory"), std::to_string(8 << 20));
  EXPECT_EQ(InfoField(memory, "cairn_maxmemory_effective"), std::to_string(8 << 20));
  EXPECT_GT(std::stoll(*InfoField(memory, "used_memory_hot_cache")), 0);
}

class CacheDurabilityTest : public CacheCoherenceTest,
                            public ::testing::WithParamInterface<const char*> {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--maxmemory", "8mb", "--workers", "2", "--appendfsync", GetParam()};
  }
};

TEST_P(CacheDurabilityTest, CachedValuesAreTheDisksAfterRestartAndKill9) {
  constexpr int kKeys = 3000;
  ASSERT_NO_FATAL_FAILURE(Load(kKeys, 0));
  EXPECT_EQ(CountMismatches(other_, kKeys, 0), 0);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_EQ(CountMismatches(client_, kKeys, 0), 0);
  ASSERT_NO_FATAL_FAILURE(Load(kKeys, 1));
  // A process crash loses nothing under either policy: the WAL reaches the OS before the
  // reply.
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  Client fresh;
  ASSERT_TRUE(fresh.Connect(server_.port()));
  EXPECT_EQ(CountMismatches(fresh, kKeys, 1), 0);
}

INSTANTIATE_TEST_SUITE_P(Fsync, CacheDurabilityTest, ::testing::Values("always", "everysec"));

}  // namespace
}  // namespace cairn::test
