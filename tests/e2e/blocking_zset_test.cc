// E2E tests of the blocking sorted-set pops: BZPOPMIN BZPOPMAX BZMPOP — served at once,
// served after a ZADD from another worker, several keys, timeouts, errors in Redis 7.0's
// order, RESP2/RESP3 shapes and MULTI.
#include <string>
#include <vector>

#include "tests/e2e/blocking_test_util.h"

namespace cairn::test {
namespace {

using BlockingZSetTest = BlockingTest;

TEST_F(BlockingZSetTest, ServedAtOnceWhenDataIsThere) {
  ASSERT_INTEGER(client_.Command({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}), 4);
  EXPECT_STRINGS(client_.Command({"BZPOPMIN", "missing", "z", "0"}), {"z", "a", "1"});
  EXPECT_STRINGS(client_.Command({"BZPOPMAX", "z", "0"}), {"z", "d", "4"});
  Reply mpop = client_.Command({"BZMPOP", "0", "2", "missing", "z", "MAX", "COUNT", "5"});
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  EXPECT_BULK(mpop[0], "z");
  ASSERT_EQ(mpop[1].size(), 2u) << mpop;
  EXPECT_STRINGS(mpop[1][0], {"c", "3"});
  EXPECT_STRINGS(mpop[1][1], {"b", "2"});
  EXPECT_INTEGER(client_.Command({"EXISTS", "z"}), 0);
}

TEST_F(BlockingZSetTest, ZaddFromAnotherWorkerWakesWaiter) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BZPOPMIN", "z", "0"}, 1);
  client_.Command({"ZADD", "z", "2.5", "m", "7", "n"});
  EXPECT_STRINGS(waiter.GetReply(), {"z", "m", "2.5"});

  StartBlocking(waiter, {"BZPOPMAX", "empty", "z2", "0"}, 1);
  client_.Command({"ZADD", "z2", "-1", "x"});
  EXPECT_STRINGS(waiter.GetReply(), {"z2", "x", "-1"});

  StartBlocking(waiter, {"BZMPOP", "0", "1", "z3", "MIN", "COUNT", "2"}, 1);
  client_.Command({"ZADD", "z3", "1", "p", "2", "q", "3", "r"});
  Reply mpop = waiter.GetReply();
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  EXPECT_BULK(mpop[0], "z3");
  ASSERT_EQ(mpop[1].size(), 2u) << mpop;
  EXPECT_STRINGS(mpop[1][0], {"p", "1"});
  EXPECT_STRINGS(mpop[1][1], {"q", "2"});
  EXPECT_STRINGS(client_.Command({"ZRANGE", "z3", "0", "-1"}), {"r"});
  EXPECT_STRINGS(client_.Command({"ZRANGE", "z", "0", "-1"}), {"n"});
}

TEST_F(BlockingZSetTest, WaiterOnSeveralKeysIsServedByTheKeyThatGetsData) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BZPOPMIN", "z1", "z2", "z3", "0"}, 1);
  client_.Command({"ZADD", "z2", "5", "five"});
  EXPECT_STRINGS(waiter.GetReply(), {"z2", "five", "5"});
}

TEST_F(BlockingZSetTest, TimeoutsAndErrors) {
  EXPECT_NIL(client_.Command({"BZPOPMIN", "missing", "0.02"}));
  EXPECT_NIL(client_.Command({"BZPOPMAX", "missing", "0.01"}));
  EXPECT_NIL(client_.Command({"BZMPOP", "0.01", "1", "missing", "MIN"}));
  const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
  ASSERT_OK(client_.Command({"SET", "s", "x"}));
  client_.Command({"RPUSH", "l", "x"});
  EXPECT_ERROR(client_.Command({"BZPOPMIN", "s", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BZPOPMAX", "missing", "l", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BZMPOP", "0", "1", "l", "MIN"}), kWrongType);
  EXPECT_ERROR(client_.Command({"BZPOPMIN", "z", "-1"}), "ERR timeout is negative");
  EXPECT_ERROR(client_.Command({"BZPOPMAX", "z", "x"}),
               "ERR timeout is not a float or out of range");
  EXPECT_ERROR(client_.Command({"BZMPOP", "x", "1", "z", "MIN"}),
               "ERR timeout is not a float or out of range");
  EXPECT_ERROR(client_.Command({"BZMPOP", "0", "0", "z", "MIN"}),
               "ERR numkeys should be greater than 0");
  EXPECT_ERROR(client_.Command({"BZMPOP", "0", "1", "z", "UP"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BZMPOP", "0", "1", "z", "MIN", "COUNT"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"}),
               "ERR count should be greater than 0");
  EXPECT_ERROR(client_.Command({"BZPOPMIN", "z"}),
               "ERR wrong number of arguments for 'bzpopmin' command");
  EXPECT_ERROR(client_.Command({"BZMPOP", "0", "1", "z"}),
               "ERR wrong number of arguments for 'bzmpop' command");
  EXPECT_EQ(BlockedClients(), 0);
}

TEST_F(BlockingZSetTest, KeyTurningIntoAnotherTypeKeepsWaiterBlocked) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BZPOPMIN", "k", "0"}, 1);
  client_.Command({"RPUSH", "k", "list"});
  client_.Command({"DEL", "k"});
  client_.Command({"ZADD", "k", "1", "m"});
  EXPECT_STRINGS(waiter.GetReply(), {"k", "m", "1"});
}

TEST_F(BlockingZSetTest, Resp3Shapes) {
  ASSERT_TRUE(client_.Command({"HELLO", "3"}).type() == ReplyType::kMap);
  client_.Command({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  Reply pop = client_.Command({"BZPOPMIN", "z", "0"});
  ASSERT_EQ(pop.size(), 3u) << pop;
  EXPECT_BULK(pop[0], "z");
  EXPECT_BULK(pop[1], "a");
  EXPECT_DOUBLE_REPLY(pop[2], 1);
  Reply mpop = client_.Command({"BZMPOP", "0", "1", "z", "MAX", "COUNT", "1"});
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  ASSERT_EQ(mpop[1].size(), 1u) << mpop;
  EXPECT_BULK(mpop[1][0][0], "c");
  EXPECT_DOUBLE_REPLY(mpop[1][0][1], 3);
  EXPECT_NIL(client_.Command({"BZPOPMAX", "missing", "0.01"}));
}

TEST_F(BlockingZSetTest, InsideMultiActsAsNonBlockingForm) {
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  ASSERT_TRUE(raw.Send("MULTI\r\nBZPOPMIN m 0\r\nBZPOPMAX m 0\r\nBZMPOP 0 1 m MIN\r\nEXEC\r\n"));
  EXPECT_EQ(raw.ReadLines(4), "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n");
  EXPECT_EQ(raw.ReadLines(4), "*3\r\n*-1\r\n*-1\r\n*-1\r\n");
  ASSERT_OK(client_.Command({"MULTI"}));
  client_.Command({"ZADD", "t", "1", "a"});
  client_.Command({"BZPOPMIN", "t", "0"});
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 2u) << exec;
  EXPECT_STRINGS(exec[1], {"t", "a", "1"});
  EXPECT_EQ(BlockedClients(), 0);
}

}  // namespace
}  // namespace cairn::test
