// E2E tests of the blocking list commands: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH — served at
// once, served after a push from a client on another worker, timeouts, several keys, the
// errors (arity, timeout, syntax, WRONGTYPE) in Redis 7.0's order, RESP3 shapes and MULTI.
#include <string>
#include <vector>

#include "tests/e2e/blocking_test_util.h"

namespace cairn::test {
namespace {

using BlockingListTest = BlockingTest;

TEST_F(BlockingListTest, ServedAtOnceWhenDataIsThere) {
  ASSERT_INTEGER(client_.Command({"RPUSH", "l", "a", "b", "c", "d", "e", "f"}), 6);
  EXPECT_STRINGS(client_.Command({"BLPOP", "missing", "l", "0"}), {"l", "a"});
  EXPECT_STRINGS(client_.Command({"BRPOP", "l", "0"}), {"l", "f"});
  EXPECT_BULK(client_.Command({"BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"}), "b");
  EXPECT_BULK(client_.Command({"BRPOPLPUSH", "l", "l2", "0"}), "e");
  Reply mpop = client_.Command({"BLMPOP", "0", "2", "missing", "l2", "LEFT", "COUNT", "5"});
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  EXPECT_BULK(mpop[0], "l2");
  EXPECT_STRINGS(mpop[1], {"e", "b"});
  EXPECT_INTEGER(client_.Command({"EXISTS", "l2"}), 0);
  EXPECT_STRINGS(client_.Command({"LRANGE", "l", "0", "-1"}), {"c", "d"});
  EXPECT_EQ(BlockedClients(), 0);
}

TEST_F(BlockingListTest, PushFromAnotherWorkerWakesWaiter) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLPOP", "q", "0"}, 1);
  ASSERT_INTEGER(client_.Command({"RPUSH", "q", "job"}), 1);
  EXPECT_STRINGS(waiter.GetReply(), {"q", "job"});
  EXPECT_INTEGER(client_.Command({"EXISTS", "q"}), 0);
  EXPECT_TRUE(WaitForBlocked(0));
  // The connection goes on normally after being served.
  EXPECT_STATUS(waiter.Command({"PING"}), "PONG");
}

TEST_F(BlockingListTest, EachBlockingCommandIsServedAfterAPush) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BRPOP", "q", "0"}, 1);
  client_.Command({"RPUSH", "q", "a", "b"});
  EXPECT_STRINGS(waiter.GetReply(), {"q", "b"});

  StartBlocking(waiter, {"BLMPOP", "0", "1", "m", "RIGHT", "COUNT", "10"}, 1);
  client_.Command({"LPUSH", "m", "x", "y", "z"});
  Reply mpop = waiter.GetReply();
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  EXPECT_BULK(mpop[0], "m");
  EXPECT_STRINGS(mpop[1], {"x", "y", "z"});

  StartBlocking(waiter, {"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"}, 1);
  client_.Command({"RPUSH", "src", "1", "2"});
  EXPECT_BULK(waiter.GetReply(), "2");
  EXPECT_STRINGS(client_.Command({"LRANGE", "dst", "0", "-1"}), {"2"});
  EXPECT_STRINGS(client_.Command({"LRANGE", "src", "0", "-1"}), {"1"});

  client_.Command({"DEL", "src"});
  StartBlocking(waiter, {"BRPOPLPUSH", "src", "dst", "0"}, 1);
  client_.Command({"LPUSH", "src", "3"});
  EXPECT_BULK(waiter.GetReply(), "3");
  EXPECT_STRINGS(client_.Command({"LRANGE", "dst", "0", "-1"}), {"3", "2"});
}

TEST_F(BlockingListTest, BlmoveToItselfRotatesOnceServed) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLMOVE", "ring", "ring", "LEFT", "RIGHT", "0"}, 1);
  client_.Command({"RPUSH", "ring", "a", "b", "c"});
  EXPECT_BULK(waiter.GetReply(), "a");
  EXPECT_STRINGS(client_.Command({"LRANGE", "ring", "0", "-1"}), {"b", "c", "a"});
}

TEST_F(BlockingListTest, WaiterOnSeveralKeysIsServedByTheKeyThatGetsData) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLPOP", "a", "b", "c", "0"}, 1);
  client_.Command({"RPUSH", "c", "from-c"});
  EXPECT_STRINGS(waiter.GetReply(), {"c", "from-c"});
  EXPECT_TRUE(WaitForBlocked(0));
  // It no longer waits on the other keys: a later push stays in the list.
  client_.Command({"RPUSH", "a", "stays"});
  EXPECT_STRINGS(client_.Command({"LRANGE", "a", "0", "-1"}), {"stays"});
}

TEST_F(BlockingListTest, TimeoutRepliesNullArray) {
  EXPECT_NIL(client_.Command({"BLPOP", "missing", "0.05"}));
  EXPECT_NIL(client_.Command({"BRPOP", "missing", "other", "0.01"}));
  EXPECT_NIL(client_.Command({"BLMPOP", "0.02", "1", "missing", "LEFT"}));
  EXPECT_NIL(client_.Command({"BLMOVE", "missing", "d", "LEFT", "LEFT", "0.02"}));
  EXPECT_NIL(client_.Command({"BRPOPLPUSH", "missing", "d", "0.02"}));
  EXPECT_INTEGER(client_.Command({"EXISTS", "missing", "d"}), 0);
  EXPECT_EQ(BlockedClients(), 0);
  // The timeout reply is a null array (not a null bulk) for every blocking command.
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  ASSERT_TRUE(raw.Send("BLMOVE missing d LEFT LEFT 0.01\r\nBLPOP missing 0.01\r\n"));
  EXPECT_EQ(raw.ReadLine(), "*-1");
  EXPECT_EQ(raw.ReadLine(), "*-1");
  ASSERT_TRUE(raw.Send("HELLO 3\r\n"));
  EXPECT_EQ(raw.ReadReply().type(), ReplyType::kMap);
  ASSERT_TRUE(raw.Send("BRPOPLPUSH missing d 0.01\r\n"));
  EXPECT_EQ(raw.ReadLine(), "_");
}

TEST_F(BlockingListTest, TimeoutZeroWaitsUntilAPush) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLPOP", "q", "0"}, 1);
  // Sub-millisecond timeouts round to 0 in Redis: wait forever too.
  Client second = ConnectWaiter();
  StartBlocking(second, {"BLPOP", "q", "0.0001"}, 2);
  client_.Command({"RPUSH", "q", "1", "2"});
  EXPECT_STRINGS(waiter.GetReply(), {"q", "1"});
  EXPECT_STRINGS(second.GetReply(), {"q", "2"});
}

TEST_F(BlockingListTest, TimeoutErrors) {
  const char* kNotFloat = "ERR timeout is not a float or out of range";
  const char* kNegative = "ERR timeout is negative";
  EXPECT_ERROR(client_.Command({"BLPOP", "l", "abc"}), kNotFloat);
  EXPECT_ERROR(client_.Command({"BLPOP", "l", "nan"}), kNotFloat);
  EXPECT_ERROR(client_.Command({"BLPOP", "l", " 1"}), kNotFloat);
  EXPECT_ERROR(client_.Command({"BLPOP", "l", "-1"}), kNegative);
  EXPECT_ERROR(client_.Command({"BRPOP", "l", "-0.5"}), kNegative);
  // Redis's cast of out-of-range milliseconds to long long gives a negative number.
  EXPECT_ERROR(client_.Command({"BLPOP", "l", "inf"}), kNegative);
  EXPECT_ERROR(client_.Command({"BLPOP", "l", "1e30"}), kNegative);
  EXPECT_ERROR(client_.Command({"BLMOVE", "l", "d", "LEFT", "LEFT", "x"}), kNotFloat);
  EXPECT_ERROR(client_.Command({"BRPOPLPUSH", "l", "d", "-1"}), kNegative);
  EXPECT_ERROR(client_.Command({"BLMPOP", "x", "1", "l", "LEFT"}), kNotFloat);
  // BLMPOP checks the timeout before anything else.
  EXPECT_ERROR(client_.Command({"BLMPOP", "-1", "0", "l", "UP"}), kNegative);
}

TEST_F(BlockingListTest, ArityAndSyntaxErrors) {
  EXPECT_ERROR(client_.Command({"BLPOP", "l"}),
               "ERR wrong number of arguments for 'blpop' command");
  EXPECT_ERROR(client_.Command({"BRPOP"}), "ERR wrong number of arguments for 'brpop' command");
  EXPECT_ERROR(client_.Command({"BLMOVE", "a", "b", "LEFT", "LEFT"}),
               "ERR wrong number of arguments for 'blmove' command");
  EXPECT_ERROR(client_.Command({"BRPOPLPUSH", "a", "b"}),
               "ERR wrong number of arguments for 'brpoplpush' command");
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l"}),
               "ERR wrong number of arguments for 'blmpop' command");
  // BLMOVE parses the directions before the timeout.
  EXPECT_ERROR(client_.Command({"BLMOVE", "a", "b", "UP", "LEFT", "x"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BLMOVE", "a", "b", "LEFT", "DOWN", "0"}), "ERR syntax error");
  const char* kNumkeys = "ERR numkeys should be greater than 0";
  const char* kCount = "ERR count should be greater than 0";
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "0", "l", "LEFT"}), kNumkeys);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "x", "l", "LEFT"}), kNumkeys);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "-1", "l", "LEFT"}), kNumkeys);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "3", "l", "LEFT"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "UP"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "LEFT", "0"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "LEFT", "COUNT"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0"}), kCount);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "-2"}), kCount);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "99999999999999999999"}),
               kCount);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "1", "COUNT", "2"}),
               "ERR syntax error");
  EXPECT_EQ(BlockedClients(), 0);
}

TEST_F(BlockingListTest, WrongType) {
  const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
  ASSERT_OK(client_.Command({"SET", "s", "x"}));
  ASSERT_INTEGER(client_.Command({"ZADD", "z", "1", "m"}), 1);
  ASSERT_INTEGER(client_.Command({"RPUSH", "l", "a"}), 1);
  EXPECT_ERROR(client_.Command({"BLPOP", "s", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BRPOP", "missing", "z", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BLMPOP", "0", "2", "missing", "s", "LEFT"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BLMOVE", "s", "l", "LEFT", "LEFT", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BLMOVE", "l", "z", "LEFT", "LEFT", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BRPOPLPUSH", "l", "s", "0"}), kWrongType);
  // A non-empty list met first is served before the wrong type is seen.
  EXPECT_STRINGS(client_.Command({"BLPOP", "l", "s", "0"}), {"l", "a"});
  // A missing source blocks whatever the destination holds (Redis 7.0).
  EXPECT_NIL(client_.Command({"BLMOVE", "missing", "s", "LEFT", "LEFT", "0.02"}));
  EXPECT_EQ(BlockedClients(), 0);
}

TEST_F(BlockingListTest, KeyTurningIntoAnotherTypeKeepsWaiterBlocked) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLPOP", "k", "0"}, 1);
  ASSERT_OK(client_.Command({"SET", "k", "string"}));
  ASSERT_INTEGER(client_.Command({"DEL", "k"}), 1);
  ASSERT_INTEGER(client_.Command({"RPUSH", "k", "v"}), 1);
  // Had the SET answered WRONGTYPE, that would be the first reply.
  EXPECT_STRINGS(waiter.GetReply(), {"k", "v"});
}

TEST_F(BlockingListTest, BlmoveIntoWrongTypeDestinationFailsWhenServed) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLMOVE", "src", "dst", "LEFT", "LEFT", "0"}, 1);
  ASSERT_OK(client_.Command({"SET", "dst", "string"}));
  client_.Command({"RPUSH", "src", "e"});
  EXPECT_ERROR(waiter.GetReply(),
               "WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_STRINGS(client_.Command({"LRANGE", "src", "0", "-1"}), {"e"});
}

TEST_F(BlockingListTest, Resp3Shapes) {
  ASSERT_TRUE(client_.Command({"HELLO", "3"}).type() == ReplyType::kMap);
  client_.Command({"RPUSH", "l", "a", "b", "c"});
  Reply blpop = client_.Command({"BLPOP", "l", "0"});
  EXPECT_EQ(blpop.type(), ReplyType::kArray);
  EXPECT_STRINGS(blpop, {"l", "a"});
  Reply mpop = client_.Command({"BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "2"});
  ASSERT_EQ(mpop.type(), ReplyType::kArray);
  ASSERT_EQ(mpop.size(), 2u);
  EXPECT_STRINGS(mpop[1], {"c", "b"});
  EXPECT_NIL(client_.Command({"BLPOP", "l", "0.01"}));
}

TEST_F(BlockingListTest, InsideMultiActsAsNonBlockingForm) {
  // Exact bytes: BLMOVE/BRPOPLPUSH give LMOVE's null bulk, the pops a null array.
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  ASSERT_TRUE(
      raw.Send("MULTI\r\nBLPOP m 0\r\nBLMOVE m d LEFT LEFT 0\r\nBLMPOP 0 1 m LEFT\r\n"
               "BRPOPLPUSH m d 0\r\nBRPOP m 0\r\nEXEC\r\n"));
  EXPECT_EQ(raw.ReadLines(6), "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n");
  EXPECT_EQ(raw.ReadLines(6), "*5\r\n*-1\r\n$-1\r\n*-1\r\n$-1\r\n*-1\r\n");
  // A transaction sees its own pending push.
  ASSERT_OK(client_.Command({"MULTI"}));
  client_.Command({"RPUSH", "t", "a", "b"});
  client_.Command({"BLPOP", "t", "0"});
  client_.Command({"BLMOVE", "t", "u", "LEFT", "RIGHT", "0"});
  client_.Command({"BLPOP", "t", "0"});
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 4u) << exec;
  EXPECT_INTEGER(exec[0], 2);
  EXPECT_STRINGS(exec[1], {"t", "a"});
  EXPECT_BULK(exec[2], "b");
  EXPECT_NIL(exec[3]);
  EXPECT_EQ(BlockedClients(), 0);
}

TEST_F(BlockingListTest, PipelinedCommandsWaitForTheBlockedOne) {
  Client waiter = ConnectWaiter();
  waiter.Append({"BLPOP", "q", "0"});
  waiter.Append({"RPUSH", "after", "x"});
  ASSERT_TRUE(waiter.Flush());
  ASSERT_TRUE(WaitForBlocked(1));
  // The command queued behind the blocked one has not run.
  EXPECT_INTEGER(client_.Command({"EXISTS", "after"}), 0);
  client_.Command({"RPUSH", "q", "go"});
  EXPECT_STRINGS(waiter.GetReply(), {"q", "go"});
  EXPECT_INTEGER(waiter.GetReply(), 1);
}

}  // namespace
}  // namespace cairn::test
