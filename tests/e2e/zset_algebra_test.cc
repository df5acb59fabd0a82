// E2E tests of the sorted-set algebra and pops: ZUNION/ZINTER/ZDIFF (WITHSCORES), their
// STORE forms (WEIGHTS, AGGREGATE), ZINTERCARD (LIMIT) with set inputs, and ZPOPMIN,
// ZPOPMAX, ZMPOP in RESP2 and RESP3, with redis-server 7.0's replies and errors.
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class ZSetAlgebraTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }
  void Seed() {
    ASSERT_INTEGER(Run({"ZADD", "z1", "1", "a", "2", "b", "3", "c"}), 3);
    ASSERT_INTEGER(Run({"ZADD", "z2", "10", "b", "20", "c", "30", "d"}), 3);
    ASSERT_INTEGER(Run({"SADD", "set", "c", "x"}), 2);
    ASSERT_OK(Run({"SET", "str", "v"}));
  }
};

TEST_F(ZSetAlgebraTest, UnionInterDiff) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_STRINGS(Run({"ZUNION", "2", "z1", "z2", "WITHSCORES"}),
                 {"a", "1", "b", "12", "c", "23", "d", "30"});
  EXPECT_STRINGS(Run({"ZUNION", "3", "z1", "z2", "set"}), {"a", "x", "b", "c", "d"});
  EXPECT_STRINGS(Run({"ZINTER", "2", "z1", "z2", "WITHSCORES", "AGGREGATE", "MAX"}),
                 {"b", "10", "c", "20"});
  EXPECT_STRINGS(Run({"ZINTER", "2", "z1", "z2", "WEIGHTS", "2", "0.5", "WITHSCORES"}),
                 {"b", "9", "c", "16"});
  EXPECT_STRINGS(Run({"ZINTER", "2", "set", "z1", "WITHSCORES", "AGGREGATE", "MIN"}), {"c", "1"});
  EXPECT_STRINGS(Run({"ZINTER", "2", "z1", "missing"}), {});
  EXPECT_STRINGS(Run({"ZDIFF", "2", "z1", "z2", "WITHSCORES"}), {"a", "1"});
  EXPECT_STRINGS(Run({"ZDIFF", "2", "set", "z1", "WITHSCORES"}), {"x", "1"});
  EXPECT_STRINGS(Run({"ZDIFF", "1", "missing"}), {});
  // Redis's NaN rules: inf * 0 and inf + -inf become 0.
  ASSERT_INTEGER(Run({"ZADD", "i", "1", "x"}), 1);
  ASSERT_INTEGER(Run({"ZADD", "j", "-inf", "x"}), 1);
  ASSERT_INTEGER(Run({"ZADD", "k", "inf", "x"}), 1);
  EXPECT_STRINGS(Run({"ZUNION", "2", "i", "j", "WEIGHTS", "inf", "0", "WITHSCORES"}), {"x", "inf"});
  EXPECT_STRINGS(Run({"ZUNION", "2", "j", "k", "WITHSCORES"}), {"x", "0"});
  EXPECT_STRINGS(Run({"ZUNION", "2", "j", "k", "WITHSCORES", "AGGREGATE", "MIN"}), {"x", "-inf"});
  // Repeated options: the last one wins.
  EXPECT_STRINGS(Run({"ZUNION", "1", "z1", "AGGREGATE", "MIN", "AGGREGATE", "MAX", "WITHSCORES",
                      "WITHSCORES"}),
                 {"a", "1", "b", "2", "c", "3"});
}

TEST_F(ZSetAlgebraTest, Errors) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_ERROR(Run({"ZINTER", "0", "z1"}),
               "ERR at least 1 input key is needed for 'zinter' command");
  EXPECT_ERROR(Run({"ZUNIONSTORE", "d", "0", "z1"}),
               "ERR at least 1 input key is needed for 'zunionstore' command");
  EXPECT_ERROR(Run({"ZUNION", "x", "z1"}), "ERR value is not an integer or out of range");
  EXPECT_ERROR(Run({"ZUNION", "2", "z1"}), kSyntax);
  EXPECT_ERROR(Run({"ZUNION", "1", "z1", "WEIGHTS"}), kSyntax);
  EXPECT_ERROR(Run({"ZUNION", "1", "z1", "WEIGHTS", "x"}), "ERR weight value is not a float");
  EXPECT_ERROR(Run({"ZUNION", "1", "z1", "AGGREGATE", "foo"}), kSyntax);
  EXPECT_ERROR(Run({"ZUNION", "1", "z1", "AGGREGATE"}), kSyntax);
  EXPECT_ERROR(Run({"ZDIFF", "1", "z1", "WEIGHTS", "1"}), kSyntax);
  EXPECT_ERROR(Run({"ZDIFF", "1", "z1", "AGGREGATE", "SUM"}), kSyntax);
  EXPECT_ERROR(Run({"ZUNIONSTORE", "d", "1", "z1", "WITHSCORES"}), kSyntax);
  // The inputs' types are checked before the options.
  EXPECT_ERROR(Run({"ZUNION", "2", "z1", "str", "WEIGHTS", "x"}), kWrongType);
  EXPECT_ERROR(Run({"ZINTERSTORE", "d", "2", "str", "z1", "AGGREGATE", "foo"}), kWrongType);
  EXPECT_ERROR(Run({"ZINTERCARD", "0", "z1"}),
               "ERR at least 1 input key is needed for 'zintercard' command");
  EXPECT_ERROR(Run({"ZINTERCARD", "1", "z1", "LIMIT", "-1"}), "ERR LIMIT can't be negative");
  EXPECT_ERROR(Run({"ZINTERCARD", "1", "z1", "LIMIT", "x"}), "ERR LIMIT can't be negative");
  EXPECT_ERROR(Run({"ZINTERCARD", "1", "z1", "WEIGHTS", "1"}), kSyntax);
  EXPECT_ERROR(Run({"ZINTERCARD", "1", "str"}), kWrongType);
}

TEST_F(ZSetAlgebraTest, StoresAndInterCard) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  EXPECT_INTEGER(Run({"ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "-1"}), 4);
  EXPECT_STRINGS(Run({"ZRANGE", "d", "0", "-1", "WITHSCORES"}),
                 {"d", "-30", "c", "-17", "b", "-8", "a", "1"});
  EXPECT_INTEGER(Run({"ZINTERSTORE", "d", "2", "z1", "set"}), 1);
  EXPECT_STRINGS(Run({"ZRANGE", "d", "0", "-1", "WITHSCORES"}), {"c", "4"});
  EXPECT_INTEGER(Run({"ZDIFFSTORE", "str", "2", "z2", "z1"}), 1);
  EXPECT_STATUS(Run({"TYPE", "str"}), "zset");
  EXPECT_INTEGER(Run({"ZINTERSTORE", "str", "2", "z1", "missing"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "str"}), 0);
  EXPECT_INTEGER(Run({"ZUNIONSTORE", "z1", "2", "z1", "z1"}), 3);
  EXPECT_STRINGS(Run({"ZRANGE", "z1", "0", "-1", "WITHSCORES"}), {"a", "2", "b", "4", "c", "6"});
  EXPECT_INTEGER(Run({"ZINTERCARD", "2", "z1", "z2"}), 2);
  EXPECT_INTEGER(Run({"ZINTERCARD", "2", "z1", "z2", "LIMIT", "1"}), 1);
  EXPECT_INTEGER(Run({"ZINTERCARD", "2", "z1", "z2", "LIMIT", "0"}), 2);
  EXPECT_INTEGER(Run({"ZINTERCARD", "2", "z2", "set"}), 1);
  EXPECT_INTEGER(Run({"ZINTERCARD", "2", "z2", "missing"}), 0);
}

TEST_F(ZSetAlgebraTest, Resp3Pairs) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply pairs = Run({"ZUNION", "1", "z1", "WITHSCORES"});
  ASSERT_EQ(pairs.size(), 3u) << pairs;
  EXPECT_BULK(pairs[2][0], "c");
  EXPECT_DOUBLE_REPLY(pairs[2][1], 3);
  EXPECT_STRINGS(Run({"ZINTER", "2", "z1", "z2"}), {"b", "c"});
}

TEST_F(ZSetAlgebraTest, PopMinMax) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}), 4);
  EXPECT_STRINGS(Run({"ZPOPMIN", "z"}), {"a", "1"});
  EXPECT_STRINGS(Run({"ZPOPMAX", "z", "2"}), {"d", "4", "c", "3"});
  EXPECT_STRINGS(Run({"ZPOPMIN", "z", "0"}), {});
  EXPECT_STRINGS(Run({"ZPOPMIN", "missing"}), {});
  EXPECT_STRINGS(Run({"ZPOPMIN", "z", "10"}), {"b", "2"});
  EXPECT_INTEGER(Run({"EXISTS", "z"}), 0);
  EXPECT_ERROR(Run({"ZPOPMIN", "z", "1", "2"}), kSyntax);
  EXPECT_ERROR(Run({"ZPOPMIN", "z", "-1"}), "ERR value is out of range, must be positive");
  EXPECT_ERROR(Run({"ZPOPMAX", "z", "abc"}), "ERR value is out of range, must be positive");
  ASSERT_OK(Run({"SET", "s", "x"}));
  EXPECT_ERROR(Run({"ZPOPMIN", "s"}), kWrongType);
  EXPECT_ERROR(Run({"ZPOPMIN", "s", "0"}), kWrongType);
}

TEST_F(ZSetAlgebraTest, MPop) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), 3);
  ASSERT_OK(Run({"SET", "s", "x"}));
  Reply popped = Run({"ZMPOP", "2", "missing", "z", "MAX", "COUNT", "2"});
  ASSERT_EQ(popped.size(), 2u) << popped;
  EXPECT_BULK(popped[0], "z");
  ASSERT_EQ(popped[1].size(), 2u) << popped;
  EXPECT_STRINGS(popped[1][0], {"c", "3"});
  EXPECT_STRINGS(popped[1][1], {"b", "2"});
  Reply last = Run({"ZMPOP", "1", "z", "min"});
  ASSERT_EQ(last.size(), 2u) << last;
  EXPECT_STRINGS(last[1][0], {"a", "1"});
  EXPECT_INTEGER(Run({"EXISTS", "z"}), 0);
  EXPECT_EQ(Run({"ZMPOP", "1", "z", "MIN"}).type(), ReplyType::kNil);
  EXPECT_ERROR(Run({"ZMPOP", "2", "s", "z", "MIN"}), kWrongType);
  EXPECT_ERROR(Run({"ZMPOP", "0", "z", "MIN"}), "ERR numkeys should be greater than 0");
  EXPECT_ERROR(Run({"ZMPOP", "abc", "z", "MIN"}), "ERR numkeys should be greater than 0");
  EXPECT_ERROR(Run({"ZMPOP", "2", "z", "MIN"}), kSyntax);
  EXPECT_ERROR(Run({"ZMPOP", "1", "z", "foo"}), kSyntax);
  EXPECT_ERROR(Run({"ZMPOP", "1", "z", "MIN", "COUNT", "0"}), "ERR count should be greater than 0");
  EXPECT_ERROR(Run({"ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "2"}), kSyntax);
  EXPECT_ERROR(Run({"ZMPOP", "1", "z"}), "ERR wrong number of arguments for 'zmpop' command");
}

TEST_F(ZSetAlgebraTest, PopShapesInResp3) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}), 4);
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply flat = Run({"ZPOPMIN", "z"});
  ASSERT_EQ(flat.size(), 2u) << flat;
  EXPECT_BULK(flat[0], "a");
  EXPECT_DOUBLE_REPLY(flat[1], 1);
  Reply nested = Run({"ZPOPMIN", "z", "1"});
  ASSERT_EQ(nested.size(), 1u) << nested;
  ASSERT_EQ(nested[0].size(), 2u) << nested;
  EXPECT_DOUBLE_REPLY(nested[0][1], 2);
  Reply mpop = Run({"ZMPOP", "1", "z", "MAX"});
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  EXPECT_DOUBLE_REPLY(mpop[1][0][1], 4);
  EXPECT_NIL(Run({"ZMPOP", "1", "missing", "MAX"}));
}

}  // namespace
}  // namespace cairn::test
