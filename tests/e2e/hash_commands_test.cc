// E2E tests of the hash commands' replies and errors, checked against redis-server 7.0:
// HSET, HMSET, HSETNX, HDEL, HGET, HMGET, HLEN, HEXISTS, HSTRLEN, HGETALL, HKEYS, HVALS,
// HINCRBY, HINCRBYFLOAT, in RESP2 and RESP3.
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/e2e/hash_test_util.h"

namespace cairn::test {
namespace {

using HashCommandsTest = HashTest;

TEST_F(HashCommandsTest, SetGetAndOverwrite) {
  EXPECT_INTEGER(Run({"HSET", "h", "a", "1", "b", "2"}), 2);
  EXPECT_INTEGER(Run({"HSET", "h", "a", "10", "c", "3", "c", "4"}), 1);
  EXPECT_BULK(Run({"HGET", "h", "a"}), "10");
  EXPECT_BULK(Run({"HGET", "h", "c"}), "4");
  EXPECT_NIL(Run({"HGET", "h", "nofield"}));
  EXPECT_NIL(Run({"HGET", "nokey", "a"}));
  EXPECT_INTEGER(Run({"HLEN", "h"}), 3);
  EXPECT_INTEGER(Run({"HLEN", "nokey"}), 0);
  EXPECT_OK(Run({"HMSET", "h", "d", "4", "a", "11"}));
  EXPECT_BULK(Run({"HGET", "h", "a"}), "11");
  EXPECT_INTEGER(Run({"HLEN", "h"}), 4);
  std::string binary("x\0y\r\n", 5);
  EXPECT_INTEGER(Run({"HSET", "h", binary, binary, "", "empty"}), 2);
  EXPECT_BULK(Run({"HGET", "h", binary}), binary);
  EXPECT_BULK(Run({"HGET", "h", ""}), "empty");
  EXPECT_STATUS(Run({"TYPE", "h"}), "hash");
}

TEST_F(HashCommandsTest, SetNxOnlyAddsNewFields) {
  EXPECT_INTEGER(Run({"HSETNX", "h", "f", "1"}), 1);
  EXPECT_INTEGER(Run({"HSETNX", "h", "f", "2"}), 0);
  EXPECT_BULK(Run({"HGET", "h", "f"}), "1");
  EXPECT_INTEGER(Run({"HSETNX", "h", "g", "2"}), 1);
  EXPECT_INTEGER(Run({"HLEN", "h"}), 2);
}

TEST_F(HashCommandsTest, DelRemovesFieldsAndTheEmptiedKey) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 3));
  EXPECT_INTEGER(Run({"HDEL", "h", "f0", "f0", "nofield"}), 1);
  EXPECT_INTEGER(Run({"HLEN", "h"}), 2);
  EXPECT_INTEGER(Run({"HDEL", "nokey", "f0"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 1);
  EXPECT_INTEGER(Run({"HDEL", "h", "f1", "f2", "f3"}), 2);
  EXPECT_INTEGER(Run({"EXISTS", "h"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 0);
  EXPECT_STATUS(Run({"TYPE", "h"}), "none");
  // A new hash under the same name does not see the old fields.
  EXPECT_INTEGER(Run({"HSET", "h", "new", "1"}), 1);
  EXPECT_STRINGS(Run({"HKEYS", "h"}), {"new"});
}

TEST_F(HashCommandsTest, DelOfWholeKeyForgetsFields) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 50));
  EXPECT_INTEGER(Run({"DEL", "h"}), 1);
  EXPECT_INTEGER(Run({"HLEN", "h"}), 0);
  EXPECT_INTEGER(Run({"HSET", "h", "f1", "x"}), 1);
  EXPECT_INTEGER(Run({"HLEN", "h"}), 1);
  EXPECT_NIL(Run({"HGET", "h", "f2"}));
}

TEST_F(HashCommandsTest, MGetExistsStrLen) {
  ASSERT_OK(Run({"HMSET", "h", "a", "hello", "b", ""}));
  EXPECT_TRUE(IsStrings(Run({"HMGET", "h", "a", "b"}), {"hello", ""}));
  Reply mixed = Run({"HMGET", "h", "zz", "a"});
  ASSERT_EQ(mixed.size(), 2u) << mixed;
  EXPECT_NIL(mixed[0]);
  EXPECT_BULK(mixed[1], "hello");
  Reply missing = Run({"HMGET", "nokey", "a", "b"});
  ASSERT_EQ(missing.size(), 2u) << missing;
  EXPECT_NIL(missing[0]);
  EXPECT_NIL(missing[1]);
  EXPECT_INTEGER(Run({"HEXISTS", "h", "a"}), 1);
  EXPECT_INTEGER(Run({"HEXISTS", "h", "zz"}), 0);
  EXPECT_INTEGER(Run({"HEXISTS", "nokey", "a"}), 0);
  EXPECT_INTEGER(Run({"HSTRLEN", "h", "a"}), 5);
  EXPECT_INTEGER(Run({"HSTRLEN", "h", "b"}), 0);
  EXPECT_INTEGER(Run({"HSTRLEN", "h", "zz"}), 0);
  EXPECT_INTEGER(Run({"HSTRLEN", "nokey", "a"}), 0);
}

TEST_F(HashCommandsTest, GetAllKeysValsInRespTwo) {
  ASSERT_OK(Run({"HMSET", "h", "b", "2", "a", "1", "c", "3"}));
  Reply all = Run({"HGETALL", "h"});
  ASSERT_EQ(all.type(), ReplyType::kArray) << all;
  ASSERT_EQ(all.size(), 6u) << all;
  for (size_t i = 0; i < all.size(); i += 2) {
    EXPECT_EQ(all[i + 1].text(), all[i].text() == "a" ? "1" : all[i].text() == "b" ? "2" : "3");
  }
  EXPECT_STRINGS_UNORDERED(Run({"HKEYS", "h"}), {"a", "b", "c"});
  EXPECT_STRINGS_UNORDERED(Run({"HVALS", "h"}), {"1", "2", "3"});
  EXPECT_STRINGS(Run({"HGETALL", "nokey"}), {});
  EXPECT_STRINGS(Run({"HKEYS", "nokey"}), {});
  EXPECT_STRINGS(Run({"HVALS", "nokey"}), {});
}

TEST_F(HashCommandsTest, RespThreeShapes) {
  ASSERT_OK(Run({"HMSET", "h", "a", "1", "b", "2"}));
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_MAP(Run({"HGETALL", "h"}), {{"a", Reply::String("1")}, {"b", Reply::String("2")}});
  Reply empty = Run({"HGETALL", "nokey"});
  EXPECT_EQ(empty.type(), ReplyType::kMap) << empty;
  EXPECT_EQ(empty.size(), 0u);
  Reply keys = Run({"HKEYS", "h"});
  EXPECT_EQ(keys.type(), ReplyType::kArray) << keys;
  EXPECT_STRINGS_UNORDERED(keys, {"a", "b"});
  Reply mget = Run({"HMGET", "h", "a", "zz"});
  ASSERT_EQ(mget.size(), 2u) << mget;
  EXPECT_BULK(mget[0], "1");
  EXPECT_NIL(mget[1]);
  EXPECT_NIL(Run({"HGET", "h", "zz"}));
  // HINCRBYFLOAT replies a bulk string, not a RESP3 double.
  EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "a", "0.5"}), "1.5");
  EXPECT_INTEGER(Run({"HLEN", "h"}), 2);
}

TEST_F(HashCommandsTest, IncrBy) {
  EXPECT_INTEGER(Run({"HINCRBY", "h", "n", "-5"}), -5);
  EXPECT_INTEGER(Run({"HINCRBY", "h", "n", "7"}), 2);
  EXPECT_BULK(Run({"HGET", "h", "n"}), "2");
  ASSERT_INTEGER(Run({"HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808",
                      "float", "1.5", "space", " 1", "word", "x"}),
                 5);
  EXPECT_ERROR(Run({"HINCRBY", "h", "max", "1"}), "ERR increment or decrement would overflow");
  EXPECT_ERROR(Run({"HINCRBY", "h", "min", "-1"}), "ERR increment or decrement would overflow");
  EXPECT_INTEGER(Run({"HINCRBY", "h", "min", "9223372036854775807"}), -1);
  for (const char* field : {"float", "space", "word"}) {
    EXPECT_ERROR(Run({"HINCRBY", "h", field, "1"}), "ERR hash value is not an integer");
  }
  for (const char* bad : {"x", "1.5", "01", " 1", "9223372036854775808", ""}) {
    EXPECT_ERROR(Run({"HINCRBY", "h", "n", bad}), kNotInteger) << bad;
  }
  EXPECT_BULK(Run({"HGET", "h", "n"}), "2");
}

TEST_F(HashCommandsTest, IncrByFloat) {
  EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "f", "10.50"}), "10.5");
  EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "f", "-10.5"}), "0");
  EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "f", "1e3"}), "1000");
  EXPECT_BULK(Run({"HGET", "h", "f"}), "1000");
  ASSERT_INTEGER(Run({"HSET", "h", "e", "1.0e3", "i", "inf", "w", "abc", "int", "5"}), 4);
  EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "e", "1"}), "1001");
  EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "int", "0.1"}), "5.1");
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "w", "1"}), "ERR hash value is not a float");
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "i", "1"}), "ERR increment would produce NaN or Infinity");
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "f", "x"}), kNotFloat);
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "f", "nan"}), kNotFloat);
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "f", "inf"}), "ERR value is NaN or Infinity");
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "f", "-inf"}), "ERR value is NaN or Infinity");
  EXPECT_BULK(Run({"HGET", "h", "f"}), "1000");
  // HINCRBY on a float result is refused, as in Redis.
  EXPECT_ERROR(Run({"HINCRBY", "h", "int", "1"}), "ERR hash value is not an integer");
}

TEST_F(HashCommandsTest, WrongTypeForEveryCommand) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherTypes());
  for (const std::string key : {"string", "list"}) {
    for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
             {"HSET", key, "f", "v"},
             {"HMSET", key, "f", "v"},
             {"HSETNX", key, "f", "v"},
             {"HDEL", key, "f"},
             {"HGET", key, "f"},
             {"HMGET", key, "f"},
             {"HLEN", key},
             {"HEXISTS", key, "f"},
             {"HSTRLEN", key, "f"},
             {"HGETALL", key},
             {"HKEYS", key},
             {"HVALS", key},
             {"HINCRBY", key, "f", "1"},
             {"HINCRBYFLOAT", key, "f", "1"},
             {"HRANDFIELD", key},
             {"HRANDFIELD", key, "0"},
             {"HRANDFIELD", key, "2", "WITHVALUES"},
         }) {
      EXPECT_ERROR(Run(command), kWrongType) << command[0] << " " << key;
    }
  }
  EXPECT_BULK(Run({"GET", "string"}), "v");
  // Argument errors come before the type check, as in Redis.
  EXPECT_ERROR(Run({"HINCRBY", "string", "f", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "string", "f", "x"}), kNotFloat);
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "string", "f", "inf"}), "ERR value is NaN or Infinity");
  EXPECT_ERROR(Run({"HSET", "string", "f", "v", "g"}),
               "ERR wrong number of arguments for 'hset' command");
}

TEST_F(HashCommandsTest, ArityErrors) {
  EXPECT_ERROR(Run({"HSET", "h"}), "ERR wrong number of arguments for 'hset' command");
  EXPECT_ERROR(Run({"HSET", "h", "f"}), "ERR wrong number of arguments for 'hset' command");
  EXPECT_ERROR(Run({"HSET", "h", "f", "v", "g"}),
               "ERR wrong number of arguments for 'hset' command");
  EXPECT_ERROR(Run({"hmset", "h", "f", "v", "g"}),
               "ERR wrong number of arguments for 'hmset' command");
  EXPECT_ERROR(Run({"HSETNX", "h", "f"}), "ERR wrong number of arguments for 'hsetnx' command");
  EXPECT_ERROR(Run({"HDEL", "h"}), "ERR wrong number of arguments for 'hdel' command");
  EXPECT_ERROR(Run({"HGET", "h"}), "ERR wrong number of arguments for 'hget' command");
  EXPECT_ERROR(Run({"HMGET", "h"}), "ERR wrong number of arguments for 'hmget' command");
  EXPECT_ERROR(Run({"HLEN"}), "ERR wrong number of arguments for 'hlen' command");
  EXPECT_ERROR(Run({"HEXISTS", "h"}), "ERR wrong number of arguments for 'hexists' command");
  EXPECT_ERROR(Run({"HSTRLEN", "h"}), "ERR wrong number of arguments for 'hstrlen' command");
  EXPECT_ERROR(Run({"HGETALL", "h", "x"}), "ERR wrong number of arguments for 'hgetall' command");
  EXPECT_ERROR(Run({"HKEYS"}), "ERR wrong number of arguments for 'hkeys' command");
  EXPECT_ERROR(Run({"HVALS", "h", "x"}), "ERR wrong number of arguments for 'hvals' command");
  EXPECT_ERROR(Run({"HINCRBY", "h", "f"}), "ERR wrong number of arguments for 'hincrby' command");
  EXPECT_ERROR(Run({"HINCRBYFLOAT", "h", "f"}),
               "ERR wrong number of arguments for 'hincrbyfloat' command");
  EXPECT_ERROR(Run({"HRANDFIELD"}), "ERR wrong number of arguments for 'hrandfield' command");
  EXPECT_INTEGER(Run({"DBSIZE"}), 0);
}

TEST_F(HashCommandsTest, ExpiredHashIsGoneAndRecreatedEmpty) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 3));
  ASSERT_INTEGER(Run({"PEXPIRE", "h", "1"}), 1);
  bool gone = false;
  for (int attempt = 0; attempt < 3000 && !gone; ++attempt) {
    gone = Run({"HLEN", "h"}).integer() == 0;
    if (!gone) usleep(1000);
  }
  ASSERT_TRUE(gone);
  EXPECT_NIL(Run({"HGET", "h", "f0"}));
  EXPECT_INTEGER(Run({"HSET", "h", "x", "1"}), 1);
  EXPECT_INTEGER(Run({"HLEN", "h"}), 1);
  EXPECT_NIL(Run({"HGET", "h", "f0"}));
  EXPECT_INTEGER(Run({"TTL", "h"}), -1);
}

TEST_F(HashCommandsTest, WritesKeepTheDeadline) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 2));
  ASSERT_INTEGER(Run({"EXPIRE", "h", "1000"}), 1);
  EXPECT_INTEGER(Run({"HSET", "h", "x", "1"}), 1);
  EXPECT_INTEGER(Run({"HINCRBY", "h", "n", "1"}), 1);
  EXPECT_INTEGER(Run({"HDEL", "h", "f0"}), 1);
  Reply ttl = Run({"TTL", "h"});
  EXPECT_GT(ttl.integer(), 0) << ttl;
}

TEST_F(HashCommandsTest, ReadsCountKeyspaceHitsAndMisses) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 1));
  long long hits = InfoStat("keyspace_hits");
  long long misses = InfoStat("keyspace_misses");
  Run({"HGET", "h", "f0"});
  Run({"HGET", "h", "nofield"});  // the key was found: a hit
  Run({"HMGET", "nokey", "a", "b"});
  Run({"HLEN", "nokey"});
  Run({"HSET", "h", "f1", "v"});  // writes count neither
  EXPECT_EQ(InfoStat("keyspace_hits"), hits + 2);
  EXPECT_EQ(InfoStat("keyspace_misses"), misses + 2);
}

TEST_F(HashCommandsTest, LargeHashReadsAndWrites) {
  const int kFields = 3000;
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < kFields; ++i) {
    commands.push_back({"HSET", "big", "field:" + std::to_string(i), std::to_string(i)});
  }
  std::vector<Reply> replies = client_.Pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  EXPECT_INTEGER(Run({"HLEN", "big"}), kFields);
  EXPECT_BULK(Run({"HGET", "big", "field:2999"}), "2999");
  EXPECT_EQ(Run({"HKEYS", "big"}).size(), static_cast<size_t>(kFields));
  EXPECT_EQ(Run({"HGETALL", "big"}).size(), static_cast<size_t>(2 * kFields));
  EXPECT_INTEGER(Run({"HDEL", "big", "field:0", "field:1"}), 2);
  EXPECT_INTEGER(Run({"HLEN", "big"}), kFields - 2);
}

}  // namespace
}  // namespace cairn::test
