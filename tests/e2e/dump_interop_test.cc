// DUMP payloads move between Cairn and a real redis-server 7.0 both ways, for every type in
// small and large encodings (integers, binary members, big numbers, infinite scores): Redis's
// DUMP restores into Cairn and Cairn's DUMP of it restores into Redis with the same DEBUG
// DIGEST-VALUE; values made in Cairn restore into Redis and come back byte-identical.
// Skipped when redis-server is not installed.
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class DumpInteropTest : public ServerTest {
 protected:
  void SetUp() override {
    if (RunProgram({"redis-server", "--version"}).exit_code != 0) {
      GTEST_SKIP() << "redis-server is not installed; the DUMP interop test needs it";
    }
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(
        redis_.Start({"--save", "", "--appendonly", "no", "--enable-debug-command", "yes"}));
    ASSERT_TRUE(redis_client_.Connect(redis_.port()));
  }

  // The same write on both servers.
  void Both(const std::vector<std::string>& command) {
    Reply ours = client_.Command(command);
    Reply theirs = redis_client_.Command(command);
    ASSERT_FALSE(ours.is_error()) << ours;
    ASSERT_FALSE(theirs.is_error()) << theirs;
  }

  static std::string Dump(Client& client, const std::string& key) {
    Reply reply = client.Command({"DUMP", key});
    EXPECT_EQ(reply.type(), ReplyType::kString) << key << ": " << reply;
    return reply.text();
  }

  std::string DigestValue(const std::string& key) {
    Reply reply = redis_client_.Command({"DEBUG", "DIGEST-VALUE", key});
    EXPECT_EQ(reply.size(), 1u) << reply;
    return reply.size() == 1 ? reply[0].text() : std::string();
  }

  void MakeValues() {
    Both({"SET", "s:int", "12345"});
    Both({"SET", "s:big", "9223372036854775808"});
    Both({"SET", "s:bin", std::string("a\0b\r\n\xff", 6)});
    Both({"SET", "s:long", std::string(3000, 'z')});
    Both({"RPUSH", "l:small", "a", "-1", "9223372036854775807", std::string("\0", 1), "300000"});
    std::vector<std::string> big_list = {"RPUSH", "l:big"};
    for (int i = 0; i < 2000; ++i) big_list.push_back(std::to_string(i * 7919) + "-item");
    Both(big_list);
    Both({"SADD", "set:int", "1", "-2", "70000", "-9223372036854775808"});
    Both({"SADD", "set:str", "x", std::string("\0\1", 2), "10"});
    std::vector<std::string> big_set = {"SADD", "set:big"};
    for (int i = 0; i < 600; ++i) big_set.push_back(std::to_string(i));
    Both(big_set);
    Both({"HSET", "h:small", "f", "1", "g", std::string("\xff\0", 2)});
    std::vector<std::string> big_hash = {"HSET", "h:big"};
    for (int i = 0; i < 200; ++i) {
      big_hash.push_back("field" + std::to_string(i));
      big_hash.push_back(std::to_string(i));
    }
    Both(big_hash);
    Both({"ZADD", "z:small", "-inf", "lo", "inf", "hi", "0.1", "tenth", "1e300", "huge", "-0",
          "zero", "42", "int"});
    std::vector<std::string> big_zset = {"ZADD", "z:big"};
    for (int i = 0; i < 300; ++i) {
      big_zset.push_back(std::to_string(i) + ".25");
      big_zset.push_back("member" + std::to_string(i));
    }
    Both(big_zset);
  }

  ServerProcess redis_{"redis-server"};
  Client redis_client_;
};

const std::vector<std::string>& Keys() {
  static const std::vector<std::string> keys = {"s:int", "s:big",   "s:bin",   "s:long",  "l:small",
                                                "l:big", "set:int", "set:str", "set:big", "h:small",
                                                "h:big", "z:small", "z:big"};
  return keys;
}

TEST_F(DumpInteropTest, RedisPayloadsRestoreIntoCairnAndBack) {
  ASSERT_NO_FATAL_FAILURE(MakeValues());
  for (const std::string& key : Keys()) {
    std::string from_redis = Dump(redis_client_, key);
    ASSERT_OK(client_.Command({"RESTORE", "in:" + key, "0", from_redis}));
    std::string from_cairn = Dump(client_, "in:" + key);
    ASSERT_OK(redis_client_.Command({"RESTORE", "back:" + key, "0", from_cairn}));
    EXPECT_EQ(DigestValue("back:" + key), DigestValue(key)) << key;
  }
  EXPECT_STRINGS(client_.Command({"LRANGE", "in:l:small", "0", "-1"}),
                 {"a", "-1", "9223372036854775807", std::string("\0", 1), "300000"});
  EXPECT_BULK(client_.Command({"ZSCORE", "in:z:small", "hi"}), "inf");
  EXPECT_BULK(client_.Command({"HGET", "in:h:small", "g"}), std::string("\xff\0", 2));
  EXPECT_INTEGER(client_.Command({"SCARD", "in:set:big"}), 600);
}

TEST_F(DumpInteropTest, CairnPayloadsRestoreIntoRedisAndComeBackTheSame) {
  ASSERT_NO_FATAL_FAILURE(MakeValues());
  for (const std::string& key : Keys()) {
    std::string ours = Dump(client_, key);
    ASSERT_OK(redis_client_.Command({"RESTORE", "from-cairn:" + key, "0", ours}));
    EXPECT_EQ(DigestValue("from-cairn:" + key), DigestValue(key)) << key;
    std::string theirs = Dump(redis_client_, "from-cairn:" + key);
    ASSERT_OK(client_.Command({"RESTORE", "again:" + key, "0", theirs}));
    EXPECT_EQ(Dump(client_, "again:" + key), ours) << key;
  }
  // The compact encodings Redis chose for what Cairn sent, as it would for its own values.
  for (const std::string& key : Keys()) {
    Reply theirs = redis_client_.Command({"OBJECT", "ENCODING", key});
    EXPECT_BULK(redis_client_.Command({"OBJECT", "ENCODING", "from-cairn:" + key}), theirs.text())
        << key;
    if (key.starts_with("s:")) continue;
    EXPECT_BULK(client_.Command({"OBJECT", "ENCODING", "again:" + key}), theirs.text()) << key;
  }
}

}  // namespace
}  // namespace cairn::test
