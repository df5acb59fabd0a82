// E2E tests of the sorted-set member commands: ZADD (NX XX GT LT CH INCR), ZINCRBY, ZREM,
// ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZRANDMEMBER. Replies and error texts are those
// of redis-server 7.0 for the same commands.
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class ZSetMembersTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }
};

TEST_F(ZSetMembersTest, ZAddAddsAndUpdates) {
  EXPECT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b"}), 2);
  EXPECT_INTEGER(Run({"ZADD", "z", "3", "a", "1", "c"}), 1);
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), {"c", "1", "b", "2", "a", "3"});
  EXPECT_INTEGER(Run({"ZADD", "z", "CH", "5", "a", "1", "c", "7", "q"}), 2);
  EXPECT_INTEGER(Run({"ZCARD", "z"}), 4);
  EXPECT_BULK(Run({"ZSCORE", "z", "a"}), "5");
  EXPECT_BULK(Run({"ZSCORE", "z", "q"}), "7");
  // A repeated member takes its last score.
  EXPECT_INTEGER(Run({"ZADD", "r", "1", "m", "2", "m"}), 1);
  EXPECT_BULK(Run({"ZSCORE", "r", "m"}), "2");
}

TEST_F(ZSetMembersTest, ZAddConditions) {
  ASSERT_INTEGER(Run({"ZADD", "z", "5", "a"}), 1);
  EXPECT_INTEGER(Run({"ZADD", "z", "NX", "1", "a", "1", "b"}), 1);
  EXPECT_BULK(Run({"ZSCORE", "z", "a"}), "5");
  EXPECT_INTEGER(Run({"ZADD", "z", "XX", "CH", "2", "a", "9", "new"}), 1);
  EXPECT_NIL(Run({"ZSCORE", "z", "new"}));
  EXPECT_INTEGER(Run({"ZADD", "z", "GT", "CH", "1", "a", "3", "b", "0", "c"}), 2);
  EXPECT_BULK(Run({"ZSCORE", "z", "a"}), "2");
  EXPECT_BULK(Run({"ZSCORE", "z", "b"}), "3");
  EXPECT_INTEGER(Run({"ZADD", "z", "LT", "CH", "1", "a", "9", "b"}), 1);
  EXPECT_BULK(Run({"ZSCORE", "z", "a"}), "1");
  EXPECT_INTEGER(Run({"ZADD", "z", "XX", "GT", "CH", "10", "a", "10", "zz"}), 1);
  EXPECT_INTEGER(Run({"ZADD", "missing", "XX", "1", "a"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "missing"}), 0);
}

TEST_F(ZSetMembersTest, ZAddIncrAndZIncrBy) {
  EXPECT_BULK(Run({"ZADD", "z", "INCR", "1.5", "a"}), "1.5");
  EXPECT_BULK(Run({"ZINCRBY", "z", "2", "a"}), "3.5");
  EXPECT_BULK(Run({"ZINCRBY", "z", "0.1", "b"}), "0.10000000000000001");
  EXPECT_NIL(Run({"ZADD", "z", "NX", "INCR", "1", "a"}));
  EXPECT_NIL(Run({"ZADD", "z", "XX", "INCR", "1", "nope"}));
  EXPECT_NIL(Run({"ZADD", "z", "GT", "INCR", "-1", "a"}));
  EXPECT_NIL(Run({"ZADD", "z", "GT", "INCR", "0", "a"})) << "3.5 is not greater than 3.5";
  EXPECT_BULK(Run({"ZADD", "z", "INCR", "0", "a"}), "3.5");
  EXPECT_INTEGER(Run({"ZADD", "z", "inf", "i"}), 1);
  EXPECT_BULK(Run({"ZINCRBY", "z", "1", "i"}), "inf");
}

TEST_F(ZSetMembersTest, ZAddErrors) {
  ASSERT_OK(Run({"SET", "s", "x"}));
  EXPECT_ERROR(Run({"ZADD", "z", "NX", "XX", "1", "a"}),
               "ERR XX and NX options at the same time are not compatible");
  EXPECT_ERROR(Run({"ZADD", "z", "NX", "GT", "1", "a"}),
               "ERR GT, LT, and/or NX options at the same time are not compatible");
  EXPECT_ERROR(Run({"ZADD", "z", "GT", "LT", "1", "a"}),
               "ERR GT, LT, and/or NX options at the same time are not compatible");
  EXPECT_ERROR(Run({"ZADD", "z", "INCR", "1", "a", "2", "b"}),
               "ERR INCR option supports a single increment-element pair");
  EXPECT_ERROR(Run({"ZADD", "z", "1", "a", "2"}), kSyntax);
  EXPECT_ERROR(Run({"ZADD", "z", "XX", "abc", "a", "NX"}), kSyntax);
  EXPECT_ERROR(Run({"ZADD", "z", "1", "a", "abc", "b"}), kNotFloat);
  EXPECT_ERROR(Run({"ZADD", "z", "nan", "a"}), kNotFloat);
  EXPECT_ERROR(Run({"ZADD", "z", " 1", "a"}), kNotFloat);
  EXPECT_ERROR(Run({"ZADD", "z", "NX"}), "ERR wrong number of arguments for 'zadd' command");
  EXPECT_ERROR(Run({"ZADD", "s", "1", "a"}), kWrongType);
  EXPECT_INTEGER(Run({"EXISTS", "z"}), 0) << "a failed ZADD writes nothing";
  EXPECT_ERROR(Run({"ZINCRBY", "z", "NX", "b"}), kSyntax);
  EXPECT_ERROR(Run({"ZINCRBY", "z", "abc", "b"}), kNotFloat);
  EXPECT_ERROR(Run({"ZINCRBY", "s", "1", "b"}), kWrongType);
  ASSERT_INTEGER(Run({"ZADD", "z", "inf", "x"}), 1);
  EXPECT_ERROR(Run({"ZINCRBY", "z", "-inf", "x"}), "ERR resulting score is not a number (NaN)");
  EXPECT_BULK(Run({"ZSCORE", "z", "x"}), "inf");
}

TEST_F(ZSetMembersTest, NegativeZeroIsStoredAsZero) {
  ASSERT_INTEGER(Run({"ZADD", "z", "-0", "m", "0", "a"}), 2);
  EXPECT_BULK(Run({"ZSCORE", "z", "m"}), "0");
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "-0", "-0"}), {"a", "m"});
}

TEST_F(ZSetMembersTest, ZRemDeletesTheEmptyKey) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), 3);
  EXPECT_INTEGER(Run({"ZREM", "z", "a", "a", "nope"}), 1);
  EXPECT_INTEGER(Run({"ZREM", "missing", "a"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 1);
  EXPECT_INTEGER(Run({"ZREM", "z", "b", "c"}), 2);
  EXPECT_INTEGER(Run({"EXISTS", "z"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 0);
  ASSERT_OK(Run({"SET", "s", "x"}));
  EXPECT_ERROR(Run({"ZREM", "s", "a"}), kWrongType);
  EXPECT_ERROR(Run({"ZREM", "z"}), "ERR wrong number of arguments for 'zrem' command");
}

TEST_F(ZSetMembersTest, PointReads) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), 3);
  ASSERT_INTEGER(Run({"SADD", "set", "x"}), 1);
  EXPECT_INTEGER(Run({"ZCARD", "z"}), 3);
  EXPECT_INTEGER(Run({"ZCARD", "missing"}), 0);
  EXPECT_ERROR(Run({"ZCARD", "set"}), kWrongType);
  EXPECT_NIL(Run({"ZSCORE", "z", "nope"}));
  EXPECT_NIL(Run({"ZSCORE", "missing", "a"}));
  EXPECT_ERROR(Run({"ZSCORE", "set", "a"}), kWrongType);
  Reply scores = Run({"ZMSCORE", "z", "c", "nope", "a"});
  ASSERT_EQ(scores.size(), 3u) << scores;
  EXPECT_BULK(scores[0], "3");
  EXPECT_NIL(scores[1]);
  EXPECT_BULK(scores[2], "1");
  Reply none = Run({"ZMSCORE", "missing", "a"});
  ASSERT_EQ(none.size(), 1u) << none;
  EXPECT_NIL(none[0]);
  EXPECT_ERROR(Run({"ZMSCORE", "set", "a"}), kWrongType);
  EXPECT_INTEGER(Run({"ZRANK", "z", "a"}), 0);
  EXPECT_INTEGER(Run({"ZRANK", "z", "c"}), 2);
  EXPECT_INTEGER(Run({"ZREVRANK", "z", "c"}), 0);
  EXPECT_INTEGER(Run({"ZREVRANK", "z", "a"}), 2);
  EXPECT_NIL(Run({"ZRANK", "z", "nope"}));
  EXPECT_NIL(Run({"ZREVRANK", "missing", "a"}));
  EXPECT_ERROR(Run({"ZRANK", "set", "a"}), kWrongType);
  EXPECT_ERROR(Run({"ZRANK", "z", "a", "WITHSCORE"}),
               "ERR wrong number of arguments for 'zrank' command");
}

TEST_F(ZSetMembersTest, RanksInALargerSet) {
  std::vector<std::string> args = {"ZADD", "big"};
  for (int i = 0; i < 300; ++i) {
    args.push_back(std::to_string(i));
    args.push_back("m" + std::to_string(1000 + i));
  }
  ASSERT_INTEGER(Run(args), 300);
  EXPECT_INTEGER(Run({"ZRANK", "big", "m1007"}), 7);
  EXPECT_INTEGER(Run({"ZRANK", "big", "m1290"}), 290);
  EXPECT_INTEGER(Run({"ZREVRANK", "big", "m1290"}), 9);
}

TEST_F(ZSetMembersTest, ZRandMember) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), 3);
  Reply one = Run({"ZRANDMEMBER", "z"});
  ASSERT_EQ(one.type(), ReplyType::kString) << one;
  EXPECT_TRUE(one.text() >= "a" && one.text() <= "c");
  EXPECT_NIL(Run({"ZRANDMEMBER", "missing"}));
  EXPECT_STRINGS(Run({"ZRANDMEMBER", "missing", "3"}), {});
  EXPECT_STRINGS(Run({"ZRANDMEMBER", "z", "0"}), {});
  EXPECT_STRINGS(Run({"ZRANDMEMBER", "z", "10", "WITHSCORES"}), {"a", "1", "b", "2", "c", "3"});
  Reply two = Run({"ZRANDMEMBER", "z", "2"});
  ASSERT_EQ(two.size(), 2u) << two;
  EXPECT_NE(two[0].text(), two[1].text());
  Reply many = Run({"ZRANDMEMBER", "z", "-20", "withscores"});
  ASSERT_EQ(many.size(), 40u) << many;
  std::set<std::string> seen;
  for (size_t i = 0; i < many.size(); i += 2) {
    seen.insert(many[i].text());
    EXPECT_EQ(many[i + 1].text(), std::string(1, static_cast<char>(many[i].text()[0] - 'a' + '1')));
  }
  EXPECT_LE(seen.size(), 3u);
  ASSERT_OK(Run({"SET", "s", "x"}));
  EXPECT_ERROR(Run({"ZRANDMEMBER", "s"}), kWrongType);
  EXPECT_ERROR(Run({"ZRANDMEMBER", "s", "abc"}), "ERR value is not an integer or out of range");
  EXPECT_ERROR(Run({"ZRANDMEMBER", "z", "1", "foo"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANDMEMBER", "z", "1", "WITHSCORES", "foo"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANDMEMBER", "z", "-9223372036854775808"}),
               "ERR value is out of range, value must between -9223372036854775807 and "
               "9223372036854775807");
  EXPECT_ERROR(Run({"ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"}),
               "ERR value is out of range");
}

TEST_F(ZSetMembersTest, Resp3Shapes) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2.5", "b"}), 2);
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_DOUBLE_REPLY(Run({"ZSCORE", "z", "b"}), 2.5);
  EXPECT_NIL(Run({"ZSCORE", "z", "nope"}));
  EXPECT_DOUBLE_REPLY(Run({"ZINCRBY", "z", "1", "a"}), 2);
  Reply scores = Run({"ZMSCORE", "z", "a", "nope"});
  ASSERT_EQ(scores.size(), 2u) << scores;
  EXPECT_DOUBLE_REPLY(scores[0], 2);
  EXPECT_NIL(scores[1]);
  Reply pairs = Run({"ZRANDMEMBER", "z", "5", "WITHSCORES"});
  ASSERT_EQ(pairs.size(), 2u) << pairs;
  ASSERT_EQ(pairs[0].size(), 2u) << pairs;
  EXPECT_EQ(pairs[0][1].type(), ReplyType::kDouble) << pairs;
  EXPECT_NIL(Run({"ZRANDMEMBER", "missing"}));
  EXPECT_NIL(Run({"ZADD", "z", "XX", "INCR", "1", "nope"}));
}

}  // namespace
}  // namespace cairn::test
