// E2E tests of the sorted-set ranges: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES) and its
// older forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT and ZREMRANGEBYRANK/SCORE/LEX, with the
// errors (and their order) of redis-server 7.0.
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr char kNotFloatRange[] = "ERR min or max is not a float";
constexpr char kBadLex[] = "ERR min or max not valid string range item";

class ZSetRangeTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }
  void Seed() {
    ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}), 5);
    ASSERT_INTEGER(Run({"ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"}), 5);
    ASSERT_OK(Run({"SET", "s", "x"}));
  }
};

TEST_F(ZSetRangeTest, ByRank) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1"}), {"a", "b", "c", "d", "e"});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "1", "2", "WITHSCORES"}), {"b", "2", "c", "3"});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "-2", "100"}), {"d", "e"});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "1", "REV"}), {"e", "d"});
  EXPECT_STRINGS(Run({"ZREVRANGE", "z", "0", "1", "WITHSCORES"}), {"e", "5", "d", "4"});
  EXPECT_STRINGS(Run({"ZREVRANGE", "z", "3", "-1"}), {"b", "a"});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "3", "1"}), {});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "5", "10"}), {});
  EXPECT_STRINGS(Run({"ZRANGE", "missing", "0", "-1"}), {});
  // "LIMIT x -1" is no limit, so Redis lets it through a rank range.
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "0", "LIMIT", "0", "-1"}), {"a"});
}

TEST_F(ZSetRangeTest, ByScore) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_STRINGS(Run({"ZRANGE", "z", "(1", "3", "BYSCORE"}), {"b", "c"});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "2"}), {"b", "c"});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "(1", "(5", "LIMIT", "1", "-1"}), {"c", "d"});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "(1", "(5", "LIMIT", "-1", "2"}), {});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "(1", "(5", "LIMIT", "1", "0"}), {});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "(-inf", "(+inf", "WITHSCORES"}),
                 {"a", "1", "b", "2", "c", "3", "d", "4", "e", "5"});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "5", "1"}), {});
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "(", "1"}), {"a"}) << "\"(\" is an exclusive 0";
  EXPECT_STRINGS(Run({"ZREVRANGEBYSCORE", "z", "inf", "-inf", "WITHSCORES", "LIMIT", "0", "1"}),
                 {"e", "5"});
  EXPECT_STRINGS(Run({"ZREVRANGEBYSCORE", "z", "(4", "2"}), {"c", "b"});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "4", "(2", "BYSCORE", "REV", "LIMIT", "1", "5"}), {"c"});
  EXPECT_STRINGS(Run({"ZRANGE", "z", "1", "1", "LIMIT", "0", "1", "BYSCORE"}), {"a"});
}

TEST_F(ZSetRangeTest, ByLex) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_STRINGS(Run({"ZRANGE", "lex", "[b", "(d", "BYLEX"}), {"b", "c"});
  EXPECT_STRINGS(Run({"ZRANGEBYLEX", "lex", "-", "+", "LIMIT", "1", "2"}), {"b", "c"});
  EXPECT_STRINGS(Run({"ZREVRANGEBYLEX", "lex", "+", "-", "LIMIT", "1", "2"}), {"d", "c"});
  EXPECT_STRINGS(Run({"ZREVRANGEBYLEX", "lex", "(d", "[aa"}), {"c", "b"});
  EXPECT_STRINGS(Run({"ZRANGEBYLEX", "lex", "+", "-"}), {});
  EXPECT_STRINGS(Run({"ZRANGEBYLEX", "lex", "(e", "+"}), {});
  EXPECT_STRINGS(Run({"ZRANGE", "lex", "[c", "-", "BYLEX", "REV"}), {"c", "b", "a"});
}

TEST_F(ZSetRangeTest, Errors) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_ERROR(Run({"ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"}),
               "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
               "BYLEX");
  EXPECT_ERROR(Run({"ZRANGE", "z", "a", "b", "BYLEX", "WITHSCORES"}),
               "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  EXPECT_ERROR(Run({"ZRANGE", "z", "x", "y"}), kNotInteger);
  EXPECT_ERROR(Run({"ZRANGE", "z", "x", "2", "BYSCORE"}), kNotFloatRange);
  EXPECT_ERROR(Run({"ZRANGEBYSCORE", "z", "nan", "1"}), kNotFloatRange);
  EXPECT_ERROR(Run({"ZRANGEBYSCORE", "z", "(nan", "1"}), kNotFloatRange);
  EXPECT_ERROR(Run({"ZRANGE", "z", "a", "b", "BYLEX"}), kBadLex);
  EXPECT_ERROR(Run({"ZRANGE", "z", "[a", "b", "BYLEX"}), kBadLex);
  EXPECT_ERROR(Run({"ZRANGEBYLEX", "z", "+x", "+"}), kBadLex);
  EXPECT_ERROR(Run({"ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANGE", "z", "0", "1", "REV", "REV"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANGE", "z", "0", "1", "LIMIT", "1"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "a", "b"}), kNotInteger);
  EXPECT_ERROR(Run({"ZRANGE", "z", "0", "1", "foo", "LIMIT", "a", "b"}), kSyntax);
  EXPECT_ERROR(Run({"ZREVRANGE", "z", "0", "1", "BYSCORE"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANGEBYSCORE", "z", "0", "1", "REV"}), kSyntax);
  EXPECT_ERROR(Run({"ZRANGEBYLEX", "lex", "-", "+", "WITHSCORES"}),
               "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  // Argument errors come before the type check.
  EXPECT_ERROR(Run({"ZRANGE", "s", "x", "y"}), kNotInteger);
  EXPECT_ERROR(Run({"ZRANGE", "s", "0", "1"}), kWrongType);
  EXPECT_ERROR(Run({"ZRANGE", "z"}), "ERR wrong number of arguments for 'zrange' command");
}

TEST_F(ZSetRangeTest, Counts) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_INTEGER(Run({"ZCOUNT", "z", "(1", "5"}), 4);
  EXPECT_INTEGER(Run({"ZCOUNT", "z", "-inf", "+inf"}), 5);
  EXPECT_INTEGER(Run({"ZCOUNT", "missing", "0", "1"}), 0);
  EXPECT_ERROR(Run({"ZCOUNT", "z", "x", "1"}), kNotFloatRange);
  EXPECT_ERROR(Run({"ZCOUNT", "missing", "x", "1"}), kNotFloatRange);
  EXPECT_ERROR(Run({"ZCOUNT", "s", "0", "1"}), kWrongType);
  EXPECT_INTEGER(Run({"ZLEXCOUNT", "lex", "-", "+"}), 5);
  EXPECT_INTEGER(Run({"ZLEXCOUNT", "lex", "(a", "[c"}), 2);
  EXPECT_ERROR(Run({"ZLEXCOUNT", "lex", "x", "+"}), kBadLex);
  EXPECT_ERROR(Run({"ZLEXCOUNT", "s", "-", "+"}), kWrongType);
}

TEST_F(ZSetRangeTest, RemoveRanges) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_INTEGER(Run({"ZREMRANGEBYRANK", "z", "0", "0"}), 1);
  EXPECT_INTEGER(Run({"ZREMRANGEBYRANK", "z", "-1", "-1"}), 1);
  EXPECT_INTEGER(Run({"ZREMRANGEBYRANK", "z", "5", "10"}), 0);
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1"}), {"b", "c", "d"});
  EXPECT_INTEGER(Run({"ZREMRANGEBYSCORE", "z", "(2", "3"}), 1);
  EXPECT_INTEGER(Run({"ZREMRANGEBYLEX", "lex", "(a", "[c"}), 2);
  EXPECT_STRINGS(Run({"ZRANGE", "lex", "0", "-1"}), {"a", "d", "e"});
  EXPECT_INTEGER(Run({"ZREMRANGEBYSCORE", "z", "-inf", "+inf"}), 2);
  EXPECT_INTEGER(Run({"EXISTS", "z"}), 0);
  EXPECT_INTEGER(Run({"ZREMRANGEBYLEX", "lex", "-", "+"}), 3);
  EXPECT_INTEGER(Run({"DBSIZE"}), 1);
  EXPECT_INTEGER(Run({"ZREMRANGEBYRANK", "missing", "0", "-1"}), 0);
  EXPECT_ERROR(Run({"ZREMRANGEBYRANK", "s", "0", "-1"}), kWrongType);
  EXPECT_ERROR(Run({"ZREMRANGEBYRANK", "s", "x", "-1"}), kNotInteger);
  EXPECT_ERROR(Run({"ZREMRANGEBYSCORE", "s", "x", "1"}), kNotFloatRange);
  EXPECT_ERROR(Run({"ZREMRANGEBYLEX", "s", "x", "+"}), kBadLex);
}

TEST_F(ZSetRangeTest, TrimmingALeaderboardKeepsTheTop) {
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> args = {"ZADD", "board"};
    for (int i = 0; i < 100; ++i) {
      int score = round * 100 + i;
      args.push_back(std::to_string(score));
      args.push_back("p" + std::to_string(score));
    }
    ASSERT_INTEGER(Run(args), 100);
    Reply removed = Run({"ZREMRANGEBYRANK", "board", "0", "-51"});
    ASSERT_EQ(removed.type(), ReplyType::kInteger) << removed;
  }
  EXPECT_INTEGER(Run({"ZCARD", "board"}), 50);
  EXPECT_STRINGS(Run({"ZREVRANGE", "board", "0", "1"}), {"p1999", "p1998"});
  EXPECT_STRINGS(Run({"ZRANGE", "board", "0", "0", "WITHSCORES"}), {"p1950", "1950"});
}

TEST_F(ZSetRangeTest, RangeStore) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_INTEGER(Run({"ZRANGESTORE", "d", "z", "0", "-1"}), 5);
  EXPECT_INTEGER(Run({"ZRANGESTORE", "d", "z", "0", "1", "REV"}), 2);
  EXPECT_STRINGS(Run({"ZRANGE", "d", "0", "-1", "WITHSCORES"}), {"d", "4", "e", "5"});
  EXPECT_INTEGER(Run({"ZRANGESTORE", "d", "z", "(1", "3", "BYSCORE", "LIMIT", "1", "1"}), 1);
  EXPECT_STRINGS(Run({"ZRANGE", "d", "0", "-1"}), {"c"});
  EXPECT_INTEGER(Run({"ZRANGESTORE", "d", "lex", "[b", "[c", "BYLEX"}), 2);
  // Overwrites any type, and an empty result deletes the destination.
  EXPECT_INTEGER(Run({"ZRANGESTORE", "s", "z", "0", "0"}), 1);
  EXPECT_STATUS(Run({"TYPE", "s"}), "zset");
  EXPECT_INTEGER(Run({"ZRANGESTORE", "s", "missing", "0", "-1"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "s"}), 0);
  EXPECT_INTEGER(Run({"ZRANGESTORE", "z", "z", "1", "1"}), 1);
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1"}), {"b"});
  EXPECT_ERROR(Run({"ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES"}), kSyntax);
  ASSERT_OK(Run({"SET", "str", "x"}));
  EXPECT_ERROR(Run({"ZRANGESTORE", "d", "str", "0", "-1"}), kWrongType);
}

TEST_F(ZSetRangeTest, Resp3PairsWithScores) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply pairs = Run({"ZRANGE", "z", "0", "1", "WITHSCORES"});
  ASSERT_EQ(pairs.size(), 2u) << pairs;
  ASSERT_EQ(pairs[1].size(), 2u) << pairs;
  EXPECT_BULK(pairs[1][0], "b");
  EXPECT_DOUBLE_REPLY(pairs[1][1], 2);
  Reply by_score = Run({"ZREVRANGEBYSCORE", "z", "inf", "-inf", "WITHSCORES", "LIMIT", "0", "1"});
  ASSERT_EQ(by_score.size(), 1u) << by_score;
  EXPECT_DOUBLE_REPLY(by_score[0][1], 5);
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "1"}), {"a", "b"});
}

}  // namespace
}  // namespace cairn::test
