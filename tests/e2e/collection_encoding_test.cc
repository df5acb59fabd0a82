// E2E tests of OBJECT ENCODING for collections and the options behind it: hash listpack ->
// hashtable, set intset -> hashtable, zset listpack -> skiplist (by entry count or member
// size, never back), list always quicklist; the *-max-listpack-* / *-max-intset-* options
// and their ziplist aliases in CONFIG GET/SET with Redis 7.0's defaults and errors; the
// encoding surviving a restart.
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

std::string SetFailed(const std::string& name, const std::string& reason) {
  return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
}

class CollectionEncodingTest : public ServerTest {
 protected:
  Reply Encoding(const std::string& key) { return client_.Command({"OBJECT", "ENCODING", key}); }

  std::map<std::string, std::string> ConfigGet(const std::string& pattern) {
    Reply reply = client_.Command({"CONFIG", "GET", pattern});
    std::map<std::string, std::string> values;
    for (size_t i = 0; i + 1 < reply.size(); i += 2) values[reply[i].text()] = reply[i + 1].text();
    return values;
  }

  // HSET key f<first>..f<first+count-1> in one command.
  void AddFields(const std::string& key, int first, int count) {
    std::vector<std::string> command = {"HSET", key};
    for (int i = first; i < first + count; ++i) {
      command.push_back("f" + std::to_string(i));
      command.push_back("v");
    }
    ASSERT_INTEGER(client_.Command(command), count);
  }
};

TEST_F(CollectionEncodingTest, HashTurnsIntoHashtablePastEntriesAndNeverBack) {
  ASSERT_NO_FATAL_FAILURE(AddFields("h", 0, 512));  // Redis 7.0's default limit: 512
  EXPECT_BULK(Encoding("h"), "listpack");
  ASSERT_NO_FATAL_FAILURE(AddFields("h", 512, 1));
  EXPECT_BULK(Encoding("h"), "hashtable");
  ASSERT_INTEGER(client_.Command({"HDEL", "h", "f0", "f1", "f2"}), 3);
  EXPECT_BULK(Encoding("h"), "hashtable");

  ASSERT_OK(client_.Command({"CONFIG", "SET", "hash-max-listpack-entries", "128"}));
  ASSERT_NO_FATAL_FAILURE(AddFields("h2", 0, 128));
  EXPECT_BULK(Encoding("h2"), "listpack");
  ASSERT_NO_FATAL_FAILURE(AddFields("h2", 128, 1));
  EXPECT_BULK(Encoding("h2"), "hashtable");
}

TEST_F(CollectionEncodingTest, HashTurnsIntoHashtableOnALongFieldOrValue) {
  ASSERT_INTEGER(client_.Command({"HSET", "h", "f", std::string(64, 'x')}), 1);
  EXPECT_BULK(Encoding("h"), "listpack");
  ASSERT_INTEGER(client_.Command({"HSET", "h", "g", std::string(65, 'x')}), 1);
  EXPECT_BULK(Encoding("h"), "hashtable");
  ASSERT_INTEGER(client_.Command({"HDEL", "h", "g"}), 1);
  EXPECT_BULK(Encoding("h"), "hashtable");
  ASSERT_INTEGER(client_.Command({"HSET", "k", std::string(65, 'f'), "v"}), 1);
  EXPECT_BULK(Encoding("k"), "hashtable");
}

TEST_F(CollectionEncodingTest, SetTurnsIntoHashtableOnANonIntegerOrTooManyMembers) {
  ASSERT_INTEGER(client_.Command({"SADD", "s", "1", "2", "-3", "9223372036854775807"}), 4);
  EXPECT_BULK(Encoding("s"), "intset");
  ASSERT_INTEGER(client_.Command({"SADD", "s", "01"}), 1);  // not canonical: not an integer
  EXPECT_BULK(Encoding("s"), "hashtable");
  ASSERT_INTEGER(client_.Command({"SREM", "s", "01"}), 1);
  EXPECT_BULK(Encoding("s"), "hashtable");

  ASSERT_INTEGER(client_.Command({"SADD", "t", "a"}), 1);
  EXPECT_BULK(Encoding("t"), "hashtable");

  std::vector<std::string> many = {"SADD", "n"};
  for (int i = 0; i < 512; ++i) many.push_back(std::to_string(i));
  ASSERT_INTEGER(client_.Command(many), 512);
  EXPECT_BULK(Encoding("n"), "intset");
  ASSERT_INTEGER(client_.Command({"SADD", "n", "512"}), 1);
  EXPECT_BULK(Encoding("n"), "hashtable");
}

TEST_F(CollectionEncodingTest, ZSetTurnsIntoSkiplistPastEntriesOrOnALongMember) {
  std::vector<std::string> zadd = {"ZADD", "z"};
  for (int i = 0; i < 128; ++i) {
    zadd.push_back(std::to_string(i));
    zadd.push_back("m" + std::to_string(i));
  }
  ASSERT_INTEGER(client_.Command(zadd), 128);
  EXPECT_BULK(Encoding("z"), "listpack");
  ASSERT_INTEGER(client_.Command({"ZADD", "z", "1000", "one-more"}), 1);
  EXPECT_BULK(Encoding("z"), "skiplist");
  ASSERT_INTEGER(client_.Command({"ZREM", "z", "one-more", "m0"}), 2);
  EXPECT_BULK(Encoding("z"), "skiplist");

  ASSERT_INTEGER(client_.Command({"ZADD", "y", "1", std::string(64, 'm')}), 1);
  EXPECT_BULK(Encoding("y"), "listpack");
  ASSERT_INTEGER(client_.Command({"ZADD", "y", "2", std::string(65, 'm')}), 1);
  EXPECT_BULK(Encoding("y"), "skiplist");
}

TEST_F(CollectionEncodingTest, ListIsAlwaysQuicklist) {
  ASSERT_INTEGER(client_.Command({"RPUSH", "l", "a"}), 1);
  EXPECT_BULK(Encoding("l"), "quicklist");
  ASSERT_INTEGER(client_.Command({"RPUSH", "l", std::string(10000, 'x')}), 2);
  EXPECT_BULK(Encoding("l"), "quicklist");
  EXPECT_NIL(Encoding("missing"));
}

TEST_F(CollectionEncodingTest, EncodingSurvivesARestart) {
  ASSERT_INTEGER(client_.Command({"HSET", "big", "f", std::string(100, 'v')}), 1);
  ASSERT_INTEGER(client_.Command({"HSET", "small", "f", "v"}), 1);
  ASSERT_INTEGER(client_.Command({"SADD", "s", "x"}), 1);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(Encoding("big"), "hashtable");
  EXPECT_BULK(Encoding("small"), "listpack");
  EXPECT_BULK(Encoding("s"), "hashtable");
}

TEST_F(CollectionEncodingTest, OptionsHaveRedisDefaultsAndAliases) {
  std::map<std::string, std::string> values = ConfigGet("*-max-*");
  EXPECT_EQ(values["hash-max-listpack-entries"], "512");
  EXPECT_EQ(values["hash-max-ziplist-entries"], "512");
  EXPECT_EQ(values["hash-max-listpack-value"], "64");
  EXPECT_EQ(values["hash-max-ziplist-value"], "64");
  EXPECT_EQ(values["set-max-intset-entries"], "512");
  EXPECT_EQ(values["zset-max-listpack-entries"], "128");
  EXPECT_EQ(values["zset-max-ziplist-entries"], "128");
  EXPECT_EQ(values["zset-max-listpack-value"], "64");
  EXPECT_EQ(values["zset-max-ziplist-value"], "64");
  EXPECT_EQ(values["list-max-listpack-size"], "-2");
  EXPECT_EQ(values["list-max-ziplist-size"], "-2");
  EXPECT_EQ(ConfigGet("list-compress-depth")["list-compress-depth"], "0");

  // Setting the alias sets the option; memory values take units.
  ASSERT_OK(client_.Command({"CONFIG", "SET", "hash-max-ziplist-value", "1kb"}));
  EXPECT_EQ(ConfigGet("hash-max-listpack-value")["hash-max-listpack-value"], "1024");
  ASSERT_OK(client_.Command({"CONFIG", "SET", "list-max-listpack-size", "-5"}));
  EXPECT_EQ(ConfigGet("list-max-ziplist-size")["list-max-ziplist-size"], "-5");
  ASSERT_OK(client_.Command({"CONFIG", "SET", "list-compress-depth", "3"}));
  EXPECT_EQ(ConfigGet("list-compress-depth")["list-compress-depth"], "3");
}

TEST_F(CollectionEncodingTest, OptionErrorsAreRedisOnes) {
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "hash-max-listpack-entries", "-1"}),
               SetFailed("hash-max-listpack-entries",
                         "argument must be between 0 and 9223372036854775807 inclusive"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "set-max-intset-entries", "1kb"}),
               SetFailed("set-max-intset-entries", "argument couldn't be parsed into an integer"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "zset-max-listpack-value", "-5"}),
               SetFailed("zset-max-listpack-value", "argument must be a memory value"));
  EXPECT_ERROR(
      client_.Command({"CONFIG", "SET", "list-compress-depth", "-1"}),
      SetFailed("list-compress-depth", "argument must be between 0 and 2147483647 inclusive"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "list-max-listpack-size", "99999999999"}),
               SetFailed("list-max-listpack-size",
                         "argument must be between -2147483648 and 2147483647 inclusive"));
}

TEST_F(CollectionEncodingTest, LimitsGivenAtStartUpApply) {
  ServerProcess other;
  ASSERT_TRUE(other.Start({"--zset-max-ziplist-entries", "2", "--set-max-intset-entries", "1"}));
  Client client;
  ASSERT_TRUE(client.Connect(other.port()));
  ASSERT_INTEGER(client.Command({"ZADD", "z", "1", "a", "2", "b"}), 2);
  EXPECT_BULK(client.Command({"OBJECT", "ENCODING", "z"}), "listpack");
  ASSERT_INTEGER(client.Command({"ZADD", "z", "3", "c"}), 1);
  EXPECT_BULK(client.Command({"OBJECT", "ENCODING", "z"}), "skiplist");
  ASSERT_INTEGER(client.Command({"SADD", "s", "1", "2"}), 2);
  EXPECT_BULK(client.Command({"OBJECT", "ENCODING", "s"}), "hashtable");
}

}  // namespace
}  // namespace cairn::test
