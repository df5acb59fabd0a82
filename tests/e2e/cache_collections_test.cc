// Small collections cached whole in the hot cache, seen from clients: two clients on two
// workers, one writing each kind of member change to small hashes, sets, lists and sorted
// sets, the other reading them whole right after (served from the snapshot its previous read
// cached); what it reads must always equal what a transaction, whose reads bypass the cache,
// reads. Also restarts, expiry of a cached collection, RENAME, COPY and MOVE.
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

using Command = std::vector<std::string>;

class CacheCollectionsTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "2"}; }

  void SetUp() override {
    ServerTest::SetUp();
    // Accepted connections go to the workers in turn: client_ is on one, other_ on the next.
    other_ = Connect();
  }

  // Every read that shows a whole collection, plus a point read or two.
  static std::vector<Command> ReadsOf(const std::string& type, const std::string& key) {
    if (type == "hash") return {{"HGETALL", key}, {"HMGET", key, "a", "b", "c"}};
    if (type == "set") return {{"SMEMBERS", key}, {"SMISMEMBER", key, "a", "b", "c"}};
    if (type == "list") return {{"LRANGE", key, "0", "-1"}, {"LINDEX", key, "1"}};
    // A long list's head is cached as a window of its first elements.
    if (type == "long list") {
      return {{"LRANGE", key, "0", "99"}, {"LRANGE", key, "3", "20"}, {"LRANGE", key, "-3", "-1"}};
    }
    return {{"ZRANGE", key, "0", "-1", "WITHSCORES"}, {"ZMSCORE", key, "a", "b", "c"}};
  }

  std::string Read(Client& client, const std::string& type, const std::string& key) {
    std::string out;
    for (const Command& read : ReadsOf(type, key)) out += client.Command(read).ToString() + " ";
    return out;
  }

  // The same reads inside MULTI/EXEC, where they go to RocksDB rather than to the cache.
  std::string Truth(const std::string& type, const std::string& key) {
    EXPECT_TRUE(IsOk(client_.Command({"MULTI"})));
    for (const Command& read : ReadsOf(type, key)) client_.Command(read);
    Reply replies = client_.Command({"EXEC"});
    std::string out;
    for (const Reply& reply : replies.elements()) out += reply.ToString() + " ";
    return out;
  }

  // Before each write, other_ reads the collection (caching it); after it, other_ must read
  // exactly what the disk holds.
  void CheckWrites(const std::string& type, const std::string& key,
                   const std::vector<Command>& writes) {
    for (const Command& write : writes) {
      Read(other_, type, key);
      Reply reply = client_.Command(write);
      ASSERT_FALSE(reply.is_error() || reply.is_io_error()) << write[0] << ": " << reply;
      EXPECT_EQ(Read(other_, type, key), Truth(type, key)) << "after " << write[0];
    }
  }

  Client other_;
};

TEST_F(CacheCollectionsTest, HashWritesAreNeverReadStale) {
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "h", "a", "1", "b", "2"}), 2));
  CheckWrites("hash", "h",
              {{"HSET", "h", "c", "3"},
               {"HSET", "h", "a", "10"},
               {"HDEL", "h", "b"},
               {"HINCRBY", "h", "c", "5"},
               {"HINCRBYFLOAT", "h", "a", "0.5"},
               {"HSETNX", "h", "b", "20"}});
  EXPECT_EQ(other_.Command({"HGETALL", "h"}), Reply::Strings({"a", "10.5", "b", "20", "c", "8"}));
}

TEST_F(CacheCollectionsTest, SetWritesAreNeverReadStale) {
  ASSERT_TRUE(IsInteger(client_.Command({"SADD", "s", "a", "b", "c", "d", "e"}), 5));
  ASSERT_TRUE(IsInteger(client_.Command({"SADD", "t", "x"}), 1));
  CheckWrites("set", "s",
              {{"SADD", "s", "x"},
               {"SREM", "s", "a"},
               {"SPOP", "s"},
               {"SMOVE", "s", "t", "b"},
               {"SMOVE", "t", "s", "x"},
               {"SUNIONSTORE", "s", "s", "t"}});
}

TEST_F(CacheCollectionsTest, ListWritesAreNeverReadStale) {
  Command push = {"RPUSH", "l"};
  for (int i = 0; i < 100; i++) push.push_back("e" + std::to_string(i));
  ASSERT_TRUE(IsInteger(client_.Command(push), 100));
  CheckWrites("list", "l",
              {{"LPUSH", "l", "a"},
               {"RPOP", "l"},
               {"LPOP", "l", "2"},
               {"LSET", "l", "1", "b"},
               {"LINSERT", "l", "BEFORE", "b", "c"},
               {"LTRIM", "l", "0", "9"},
               {"LREM", "l", "0", "b"},
               {"LMOVE", "l", "l", "LEFT", "RIGHT"}});
  EXPECT_EQ(other_.Command({"LRANGE", "l", "0", "-1"}),
            Reply::Strings({"c", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e1"}));
}

TEST_F(CacheCollectionsTest, LongListWritesAreNeverReadStale) {
  Command push = {"RPUSH", "l"};
  for (int i = 0; i < 300; i++) push.push_back("e" + std::to_string(i));
  ASSERT_TRUE(IsInteger(client_.Command(push), 300));
  CheckWrites("long list", "l",
              {{"LPUSH", "l", "a"},
               {"RPUSH", "l", "z"},
               {"RPOP", "l"},
               {"LPOP", "l", "2"},
               {"LSET", "l", "1", "b"},
               {"LINSERT", "l", "BEFORE", "b", "c"},
               {"LREM", "l", "0", "b"},
               {"LMOVE", "l", "l", "RIGHT", "LEFT"},
               {"LTRIM", "l", "1", "250"}});
  EXPECT_EQ(other_.Command({"LRANGE", "l", "0", "2"}), Reply::Strings({"e1", "c", "e3"}));
}

TEST_F(CacheCollectionsTest, SortedSetWritesAreNeverReadStale) {
  ASSERT_TRUE(IsInteger(client_.Command({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}), 4));
  CheckWrites("zset", "z",
              {{"ZADD", "z", "0.5", "x"},
               {"ZADD", "z", "7", "a"},
               {"ZINCRBY", "z", "10", "b"},
               {"ZREM", "z", "c"},
               {"ZPOPMIN", "z"},
               {"ZREMRANGEBYRANK", "z", "0", "0"},
               {"ZADD", "z", "GT", "CH", "1", "b", "20", "a"}});
  EXPECT_EQ(other_.Command({"ZRANGE", "z", "0", "-1", "WITHSCORES"}),
            Reply::Strings({"b", "12", "a", "20"}));
}

TEST_F(CacheCollectionsTest, ReadsAreServedFromTheCache) {
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "h", "a", "1", "b", "2"}), 2));
  Read(other_, "hash", "h");
  ASSERT_TRUE(IsOk(client_.Command({"CONFIG", "RESETSTAT"})));
  std::string cached = Read(other_, "hash", "h");
  EXPECT_EQ(cached, Truth("hash", "h"));
  EXPECT_EQ(InfoNumber(client_, "stats", "cairn_cache_misses"), 0);
  EXPECT_GT(InfoNumber(client_, "stats", "cairn_cache_hits"), 0);
}

TEST_F(CacheCollectionsTest, RestartStartsColdAndReadsTheSame) {
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "h", "a", "1"}), 1));
  ASSERT_TRUE(IsInteger(client_.Command({"RPUSH", "l", "x", "y"}), 2));
  ASSERT_TRUE(IsInteger(client_.Command({"ZADD", "z", "1", "a"}), 1));
  std::string before =
      Read(client_, "hash", "h") + Read(client_, "list", "l") + Read(client_, "zset", "z");
  RestartAndReconnect();
  other_ = Connect();
  EXPECT_EQ(Read(other_, "hash", "h") + Read(other_, "list", "l") + Read(other_, "zset", "z"),
            before);
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "h", "b", "2"}), 1));
  EXPECT_EQ(other_.Command({"HGETALL", "h"}), Reply::Strings({"a", "1", "b", "2"}));
}

TEST_F(CacheCollectionsTest, ExpiredCollectionIsGoneAndRecreatedFresh) {
  ASSERT_TRUE(IsInteger(client_.Command({"SADD", "s", "a", "b"}), 2));
  Read(other_, "set", "s");
  EXPECT_INTEGER(client_.Command({"PEXPIRE", "s", "100"}), 1);
  EXPECT_TRUE(EventuallyTrue([&] { return other_.Command({"SMEMBERS", "s"}).size() == 0; }));
  EXPECT_INTEGER(other_.Command({"SISMEMBER", "s", "a"}), 0);
  ASSERT_TRUE(IsInteger(client_.Command({"SADD", "s", "c"}), 1));
  EXPECT_EQ(other_.Command({"SMEMBERS", "s"}), Reply::Strings({"c"}));
}

TEST_F(CacheCollectionsTest, RenameCopyAndMoveAreNeverReadStale) {
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "src", "a", "1"}), 1));
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "dst", "b", "2"}), 1));
  Read(other_, "hash", "src");
  Read(other_, "hash", "dst");
  ASSERT_TRUE(IsOk(client_.Command({"RENAME", "src", "dst"})));
  EXPECT_EQ(other_.Command({"HGETALL", "dst"}), Reply::Strings({"a", "1"}));
  EXPECT_EQ(other_.Command({"HGETALL", "src"}), Reply::Strings({}));

  EXPECT_INTEGER(client_.Command({"COPY", "dst", "copy"}), 1);
  EXPECT_EQ(other_.Command({"HGETALL", "copy"}), Reply::Strings({"a", "1"}));
  ASSERT_TRUE(IsInteger(client_.Command({"HSET", "copy", "c", "3"}), 1));
  EXPECT_EQ(other_.Command({"HGETALL", "copy"}), Reply::Strings({"a", "1", "c", "3"}));
  EXPECT_EQ(other_.Command({"HGETALL", "dst"}), Reply::Strings({"a", "1"}));
  EXPECT_INTEGER(client_.Command({"COPY", "copy", "dst", "REPLACE"}), 1);
  EXPECT_EQ(other_.Command({"HGETALL", "dst"}), Reply::Strings({"a", "1", "c", "3"}));

  EXPECT_INTEGER(client_.Command({"MOVE", "dst", "1"}), 1);
  EXPECT_EQ(other_.Command({"HGETALL", "dst"}), Reply::Strings({}));
  ASSERT_TRUE(IsOk(other_.Command({"SELECT", "1"})));
  EXPECT_EQ(other_.Command({"HGETALL", "dst"}), Reply::Strings({"a", "1", "c", "3"}));
  ASSERT_TRUE(IsOk(client_.Command({"SELECT", "1"})));
  ASSERT_TRUE(IsInteger(client_.Command({"HDEL", "dst", "a"}), 1));
  EXPECT_EQ(other_.Command({"HGETALL", "dst"}), Reply::Strings({"c", "3"}));
}

TEST_F(CacheCollectionsTest, FlushDropsCachedCollections) {
  ASSERT_TRUE(IsInteger(client_.Command({"ZADD", "z", "1", "a"}), 1));
  Read(other_, "zset", "z");
  ASSERT_TRUE(IsOk(client_.Command({"FLUSHDB"})));
  EXPECT_EQ(other_.Command({"ZRANGE", "z", "0", "-1"}), Reply::Strings({}));
  ASSERT_TRUE(IsInteger(client_.Command({"ZADD", "z", "2", "b"}), 1));
  EXPECT_EQ(other_.Command({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), Reply::Strings({"b", "2"}));
}

}  // namespace
}  // namespace cairn::test
