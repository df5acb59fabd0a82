// E2E tests of the list ends: LPUSH RPUSH LPUSHX RPUSHX, LPOP/RPOP with and without COUNT,
// LMPOP, LMOVE and RPOPLPUSH — replies, every error Redis 7.0 gives (in its order), RESP2 and
// RESP3 shapes, and deletion of the emptied key.
#include <cctype>
#include <string>
#include <vector>

#include "tests/e2e/list_test_util.h"

namespace cairn::test {
namespace {

using ListPushPopTest = ListTest;

TEST_F(ListPushPopTest, PushesAtBothEnds) {
  EXPECT_INTEGER(Run({"LPUSH", "l", "a", "b", "c"}), 3);
  EXPECT_INTEGER(Run({"RPUSH", "l", "x", "y"}), 5);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"c", "b", "a", "x", "y"});
  EXPECT_INTEGER(Run({"LPUSHX", "l", "h"}), 6);
  EXPECT_INTEGER(Run({"RPUSHX", "l", "t1", "t2"}), 8);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"h", "c", "b", "a", "x", "y", "t1", "t2"});
  EXPECT_INTEGER(Run({"LPUSHX", "none", "a"}), 0);
  EXPECT_INTEGER(Run({"RPUSHX", "none", "a"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "none"}), 0);
  EXPECT_STATUS(Run({"TYPE", "l"}), "list");
  std::string binary("a\0b\r\n", 5);
  EXPECT_INTEGER(Run({"RPUSH", "bin", binary, ""}), 2);
  EXPECT_STRINGS(Run({"LRANGE", "bin", "0", "-1"}), {binary, ""});
}

TEST_F(ListPushPopTest, PushErrors) {
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  for (const char* command : {"LPUSH", "RPUSH", "LPUSHX", "RPUSHX"}) {
    EXPECT_ERROR(Run({command, "str", "a"}), kWrongType) << command;
    EXPECT_ERROR(Run({command, "hash", "a"}), kWrongType) << command;
    std::string lower = command;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    EXPECT_ERROR(Run({command, "l"}), "ERR wrong number of arguments for '" + lower + "' command");
  }
  EXPECT_BULK(Run({"GET", "str"}), "v");
}

TEST_F(ListPushPopTest, PopWithoutCount) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c"}), 3);
  EXPECT_BULK(Run({"LPOP", "l"}), "a");
  EXPECT_BULK(Run({"RPOP", "l"}), "c");
  EXPECT_BULK(Run({"RPOP", "l"}), "b");
  EXPECT_INTEGER(Run({"EXISTS", "l"}), 0);
  EXPECT_NIL(Run({"LPOP", "l"}));
  EXPECT_EQ(RawFirstLine("LPOP none"), "$-1");
  EXPECT_EQ(RawFirstLine("RPOP none", /*resp3=*/true), "_");
}

TEST_F(ListPushPopTest, PopWithCount) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c", "d", "e"}), 5);
  EXPECT_STRINGS(Run({"LPOP", "l", "2"}), {"a", "b"});
  EXPECT_STRINGS(Run({"RPOP", "l", "1"}), {"e"});
  EXPECT_STRINGS(Run({"LPOP", "l", "0"}), {});
  EXPECT_EQ(RawFirstLine("LPOP l 0"), "*0");
  EXPECT_STRINGS(Run({"RPOP", "l", "9223372036854775807"}), {"d", "c"});
  EXPECT_INTEGER(Run({"EXISTS", "l"}), 0);
  EXPECT_EQ(RawFirstLine("LPOP none 2"), "*-1");
  EXPECT_EQ(RawFirstLine("LPOP none 0"), "*-1");
  EXPECT_EQ(RawFirstLine("RPOP none 2", /*resp3=*/true), "_");
}

TEST_F(ListPushPopTest, PopErrorsInRedisOrder) {
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  ASSERT_INTEGER(Run({"RPUSH", "l", "a"}), 1);
  const char* kPositive = "ERR value is out of range, must be positive";
  for (const char* command : {"LPOP", "RPOP"}) {
    EXPECT_ERROR(Run({command, "l", "-1"}), kPositive);
    EXPECT_ERROR(Run({command, "l", "x"}), kPositive);
    EXPECT_ERROR(Run({command, "str", "-1"}), kPositive);  // before the type check
    EXPECT_ERROR(Run({command, "str"}), kWrongType);
    EXPECT_ERROR(Run({command, "hash", "0"}), kWrongType);
    EXPECT_ERROR(Run({command, "str", "2"}), kWrongType);
  }
  EXPECT_ERROR(Run({"LPOP", "l", "1", "2"}), "ERR wrong number of arguments for 'lpop' command");
  EXPECT_ERROR(Run({"RPOP", "l", "1", "2"}), "ERR wrong number of arguments for 'rpop' command");
  EXPECT_ERROR(Run({"LPOP"}), "ERR wrong number of arguments for 'lpop' command");
  EXPECT_INTEGER(Run({"LLEN", "l"}), 1);
}

TEST_F(ListPushPopTest, LMPopPopsFromTheFirstNonEmptyList) {
  ASSERT_INTEGER(Run({"RPUSH", "b", "1", "2", "3"}), 3);
  Reply reply = Run({"LMPOP", "2", "a", "b", "LEFT"});
  EXPECT_EQ(reply, Reply::Array({Reply::String("b"), Reply::Strings({"1"})})) << reply;
  reply = Run({"LMPOP", "3", "a", "b", "c", "right", "COUNT", "5"});
  EXPECT_EQ(reply, Reply::Array({Reply::String("b"), Reply::Strings({"3", "2"})})) << reply;
  EXPECT_INTEGER(Run({"EXISTS", "b"}), 0);
  EXPECT_EQ(RawFirstLine("LMPOP 2 a b LEFT"), "*-1");
  EXPECT_EQ(RawFirstLine("LMPOP 2 a b LEFT", /*resp3=*/true), "_");
  ASSERT_INTEGER(Run({"RPUSH", "a", "x", "y"}), 2);
  Client resp3 = Connect();
  ASSERT_EQ(resp3.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  reply = resp3.Command({"LMPOP", "1", "a", "LEFT", "count", "1"});
  EXPECT_EQ(reply, Reply::Array({Reply::String("a"), Reply::Strings({"x"})})) << reply;
}

TEST_F(ListPushPopTest, LMPopErrors) {
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  ASSERT_INTEGER(Run({"RPUSH", "l", "a"}), 1);
  const char* kNumkeys = "ERR numkeys should be greater than 0";
  const char* kCount = "ERR count should be greater than 0";
  EXPECT_ERROR(Run({"LMPOP", "0", "l", "LEFT"}), kNumkeys);
  EXPECT_ERROR(Run({"LMPOP", "-1", "l", "LEFT"}), kNumkeys);
  EXPECT_ERROR(Run({"LMPOP", "x", "l", "LEFT"}), kNumkeys);
  EXPECT_ERROR(Run({"LMPOP", "2", "l", "LEFT"}), kSyntax);
  EXPECT_ERROR(Run({"LMPOP", "9223372036854775807", "l", "LEFT"}), kSyntax);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "UP"}), kSyntax);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "LEFT", "COUNT", "0"}), kCount);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "LEFT", "COUNT", "-1"}), kCount);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "LEFT", "COUNT", "x"}), kCount);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"}), kSyntax);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "LEFT", "COUNT"}), kSyntax);
  EXPECT_ERROR(Run({"LMPOP", "1", "l", "LEFT", "foo"}), kSyntax);
  EXPECT_ERROR(Run({"LMPOP", "1", "str", "LEFT"}), kWrongType);
  EXPECT_ERROR(Run({"LMPOP", "2", "none", "hash", "LEFT"}), kWrongType);
  EXPECT_ERROR(Run({"LMPOP", "1"}), "ERR wrong number of arguments for 'lmpop' command");
  // A non-empty list before a key of another type is popped without looking further.
  Reply reply = Run({"LMPOP", "2", "l", "str", "LEFT"});
  EXPECT_EQ(reply, Reply::Array({Reply::String("l"), Reply::Strings({"a"})})) << reply;
}

TEST_F(ListPushPopTest, LMoveAllDirections) {
  ASSERT_INTEGER(Run({"RPUSH", "src", "a", "b", "c", "d"}), 4);
  EXPECT_BULK(Run({"LMOVE", "src", "dst", "LEFT", "RIGHT"}), "a");
  EXPECT_BULK(Run({"LMOVE", "src", "dst", "right", "left"}), "d");
  EXPECT_BULK(Run({"LMOVE", "src", "dst", "Left", "LEFT"}), "b");
  EXPECT_BULK(Run({"LMOVE", "src", "dst", "RIGHT", "RIGHT"}), "c");
  EXPECT_INTEGER(Run({"EXISTS", "src"}), 0);
  EXPECT_STRINGS(Run({"LRANGE", "dst", "0", "-1"}), {"b", "d", "a", "c"});
  EXPECT_NIL(Run({"LMOVE", "src", "dst", "LEFT", "LEFT"}));
  EXPECT_EQ(RawFirstLine("LMOVE src dst LEFT LEFT"), "$-1");
  // Same key: rotation.
  EXPECT_BULK(Run({"LMOVE", "dst", "dst", "LEFT", "RIGHT"}), "b");
  EXPECT_STRINGS(Run({"LRANGE", "dst", "0", "-1"}), {"d", "a", "c", "b"});
  EXPECT_BULK(Run({"RPOPLPUSH", "dst", "dst"}), "b");
  EXPECT_STRINGS(Run({"LRANGE", "dst", "0", "-1"}), {"b", "d", "a", "c"});
  ASSERT_INTEGER(Run({"RPUSH", "one", "x"}), 1);
  EXPECT_BULK(Run({"LMOVE", "one", "one", "LEFT", "LEFT"}), "x");
  EXPECT_STRINGS(Run({"LRANGE", "one", "0", "-1"}), {"x"});
}

TEST_F(ListPushPopTest, RPopLPush) {
  ASSERT_INTEGER(Run({"RPUSH", "src", "a", "b"}), 2);
  EXPECT_BULK(Run({"RPOPLPUSH", "src", "dst"}), "b");
  EXPECT_BULK(Run({"RPOPLPUSH", "src", "dst"}), "a");
  EXPECT_NIL(Run({"RPOPLPUSH", "src", "dst"}));
  EXPECT_INTEGER(Run({"EXISTS", "src"}), 0);
  EXPECT_STRINGS(Run({"LRANGE", "dst", "0", "-1"}), {"a", "b"});
}

TEST_F(ListPushPopTest, MoveErrorsLeaveEverythingInPlace) {
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  ASSERT_INTEGER(Run({"RPUSH", "l", "a"}), 1);
  EXPECT_ERROR(Run({"LMOVE", "l", "str", "LEFT", "LEFT"}), kWrongType);
  EXPECT_ERROR(Run({"LMOVE", "l", "hash", "LEFT", "LEFT"}), kWrongType);
  EXPECT_ERROR(Run({"RPOPLPUSH", "l", "str"}), kWrongType);
  EXPECT_ERROR(Run({"LMOVE", "str", "l", "LEFT", "LEFT"}), kWrongType);
  EXPECT_ERROR(Run({"RPOPLPUSH", "hash", "l"}), kWrongType);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"a"});
  // A missing source answers nil before the destination's type is looked at.
  EXPECT_NIL(Run({"LMOVE", "none", "str", "LEFT", "LEFT"}));
  EXPECT_NIL(Run({"RPOPLPUSH", "none", "str"}));
  EXPECT_ERROR(Run({"LMOVE", "l", "dst", "UP", "LEFT"}), kSyntax);
  EXPECT_ERROR(Run({"LMOVE", "l", "dst", "LEFT", "DOWN"}), kSyntax);
  EXPECT_ERROR(Run({"LMOVE", "none", "str", "UP", "LEFT"}), kSyntax);
  EXPECT_ERROR(Run({"LMOVE", "l", "dst", "LEFT"}),
               "ERR wrong number of arguments for 'lmove' command");
  EXPECT_ERROR(Run({"RPOPLPUSH", "l"}), "ERR wrong number of arguments for 'rpoplpush' command");
  EXPECT_INTEGER(Run({"EXISTS", "dst"}), 0);
  EXPECT_INTEGER(Run({"LLEN", "l"}), 1);
}

TEST_F(ListPushPopTest, EmptiedKeysLeaveTheKeyspace) {
  ASSERT_INTEGER(Run({"RPUSH", "a", "1"}), 1);
  ASSERT_INTEGER(Run({"RPUSH", "b", "1"}), 1);
  ASSERT_INTEGER(Run({"RPUSH", "c", "1"}), 1);
  ASSERT_INTEGER(Run({"DBSIZE"}), 3);
  ASSERT_BULK(Run({"LPOP", "a"}), "1");
  ASSERT_INTEGER(Run({"DBSIZE"}), 2);
  ASSERT_BULK(Run({"LMOVE", "b", "c", "LEFT", "LEFT"}), "1");
  EXPECT_INTEGER(Run({"DBSIZE"}), 1);
  EXPECT_INTEGER(Run({"EXISTS", "a", "b"}), 0);
  EXPECT_INTEGER(Run({"LLEN", "c"}), 2);
}

}  // namespace
}  // namespace cairn::test
