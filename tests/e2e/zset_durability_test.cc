// E2E tests of sorted sets beyond single replies: acknowledged writes survive a restart and
// kill -9 (appendfsync always), MULTI/EXEC reads its own pending writes, keyspace events
// match redis-server 7.0's (taken from a real 7.0 with psubscribe), and expired keys act
// as missing.
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class ZSetDurabilityTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  void WriteEverything() {
    ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}), 4);
    ASSERT_BULK(Run({"ZINCRBY", "z", "10", "a"}), "11");
    ASSERT_INTEGER(Run({"ZREM", "z", "b"}), 1);
    ASSERT_EQ(Run({"ZPOPMIN", "z"}).size(), 2u);
    ASSERT_INTEGER(Run({"ZUNIONSTORE", "u", "1", "z", "WEIGHTS", "2"}), 2);
    ASSERT_INTEGER(Run({"ZADD", "gone", "1", "x"}), 1);
    ASSERT_INTEGER(Run({"ZREMRANGEBYSCORE", "gone", "-inf", "+inf"}), 1);
  }

  void CheckEverything() {
    EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), {"d", "4", "a", "11"});
    EXPECT_STRINGS(Run({"ZRANGE", "u", "0", "-1", "WITHSCORES"}), {"d", "8", "a", "22"});
    EXPECT_INTEGER(Run({"ZCARD", "z"}), 2);
    EXPECT_INTEGER(Run({"EXISTS", "gone"}), 0);
    EXPECT_INTEGER(Run({"DBSIZE"}), 2);
  }
};

TEST_F(ZSetDurabilityTest, SurvivesRestart) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  CheckEverything();
}

TEST_F(ZSetDurabilityTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

TEST_F(ZSetDurabilityTest, PipelinedLeaderboardSurvivesKill9) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 500; ++i) {
    commands.push_back({"ZADD", "board", std::to_string(i), "p" + std::to_string(i)});
    commands.push_back({"ZREMRANGEBYRANK", "board", "0", "-21"});
  }
  std::vector<Reply> replies = client_.Pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_INTEGER(Run({"ZCARD", "board"}), 20);
  EXPECT_STRINGS(Run({"ZRANGE", "board", "0", "0"}), {"p480"});
  EXPECT_STRINGS(Run({"ZREVRANGE", "board", "0", "0"}), {"p499"});
}

// Score changes inside the set's score bounds leave its metadata as it was: only the member
// entries change, and they must be what comes back.
TEST_F(ZSetDurabilityTest, ScoresChangedInPlaceSurviveKill9) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a", "5", "b", "9", "c"}), 3);
  ASSERT_INTEGER(Run({"ZADD", "z", "7", "a", "2", "c"}), 0);
  ASSERT_BULK(Run({"ZINCRBY", "z", "-1", "b"}), "4");
  const std::vector<std::string> expected = {"c", "2", "b", "4", "a", "7"};
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), expected);
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), expected);
  EXPECT_STRINGS(Run({"ZRANGEBYSCORE", "z", "3", "8"}), {"b", "a"});
  EXPECT_INTEGER(Run({"ZCARD", "z"}), 3);
}

TEST_F(ZSetDurabilityTest, TransactionsSeeTheirOwnWrites) {
  ASSERT_OK(Run({"MULTI"}));
  EXPECT_STATUS(Run({"ZADD", "z", "1", "a", "2", "b"}), "QUEUED");
  EXPECT_STATUS(Run({"ZINCRBY", "z", "5", "a"}), "QUEUED");
  EXPECT_STATUS(Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), "QUEUED");
  EXPECT_STATUS(Run({"ZPOPMIN", "z"}), "QUEUED");
  EXPECT_STATUS(Run({"ZUNIONSTORE", "d", "1", "z"}), "QUEUED");
  EXPECT_STATUS(Run({"ZRANK", "d", "a"}), "QUEUED");
  EXPECT_STATUS(Run({"ZCARD", "z"}), "QUEUED");
  Reply exec = Run({"EXEC"});
  ASSERT_EQ(exec.size(), 7u) << exec;
  EXPECT_INTEGER(exec[0], 2);
  EXPECT_BULK(exec[1], "6");
  EXPECT_STRINGS(exec[2], {"b", "2", "a", "6"});
  EXPECT_STRINGS(exec[3], {"b", "2"});
  EXPECT_INTEGER(exec[4], 1);
  EXPECT_INTEGER(exec[5], 0);
  EXPECT_INTEGER(exec[6], 1);
}

TEST_F(ZSetDurabilityTest, ExpiredKeysAreMissing) {
  ASSERT_INTEGER(Run({"ZADD", "z", "1", "a"}), 1);
  ASSERT_INTEGER(Run({"PEXPIRE", "z", "1"}), 1);
  bool gone = false;
  for (int attempt = 0; attempt < 3000 && !gone; ++attempt) {
    gone = Run({"ZCARD", "z"}).integer() == 0;
    if (!gone) usleep(10000);
  }
  ASSERT_TRUE(gone);
  EXPECT_INTEGER(Run({"ZADD", "z", "XX", "1", "a"}), 0);
  EXPECT_INTEGER(Run({"ZADD", "z", "2", "b"}), 1);
  EXPECT_STRINGS(Run({"ZRANGE", "z", "0", "-1"}), {"b"});
  EXPECT_INTEGER(Run({"TTL", "z"}), -1);
}

using ZSetNotifyTest = NotifyTest;

TEST_F(ZSetNotifyTest, WritesEmitRedisEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"ZADD", "z", "1", "a", "2", "b"},
      {"ZADD", "z", "1", "a"},           // nothing changed: nothing
      {"ZADD", "z", "XX", "5", "nope"},  // nothing
      {"ZADD", "z", "CH", "3", "a"},
      {"ZINCRBY", "z", "1", "a"},
      {"ZINCRBY", "n", "1", "a"},
      {"ZINCRBY", "n", "0", "a"},  // score unchanged: nothing
      {"ZREM", "z", "nope"},
      {"ZREM", "z", "a"},
      {"ZREM", "z", "b"},
  });
  EXPECT_EQ(events, Events({Both("new", "z"), Both("zadd", "z"), Both("zadd", "z"),
                            Both("zincr", "z"), Both("new", "n"), Both("zincr", "n"),
                            Both("zrem", "z"), Both("zrem", "z"), Both("del", "z")}));
}

TEST_F(ZSetNotifyTest, RangeRemovalsAndPopsEmitRedisEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"},
      {"ZREMRANGEBYRANK", "z", "0", "0"},
      {"ZREMRANGEBYSCORE", "z", "2", "2"},
      {"ZREMRANGEBYLEX", "z", "-", "+"},
      {"ZREMRANGEBYRANK", "z", "0", "0"},  // missing: nothing
      {"ZADD", "z", "1", "a", "2", "b", "3", "c"},
      {"ZPOPMIN", "z"},
      {"ZPOPMAX", "z", "5"},
      {"ZPOPMIN", "z"},  // missing: nothing
      {"ZADD", "z", "1", "a"},
      {"ZMPOP", "1", "z", "MIN", "COUNT", "5"},
  });
  EXPECT_EQ(events,
            Events({Both("zadd", "z"), Both("zremrangebyrank", "z"), Both("zremrangebyscore", "z"),
                    Both("zremrangebylex", "z"), Both("del", "z"), Both("zadd", "z"),
                    Both("zpopmin", "z"), Both("zpopmax", "z"), Both("del", "z"), Both("zadd", "z"),
                    Both("zpopmin", "z"), Both("del", "z")}));
}

TEST_F(ZSetNotifyTest, StoresEmitRedisEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"ZADD", "z", "1", "a", "2", "b"},
      {"ZADD", "y", "3", "c"},
      {"ZUNIONSTORE", "d", "2", "z", "y"},
      {"ZINTERSTORE", "d", "2", "z", "y"},
      {"ZINTERSTORE", "d", "2", "z", "y"},  // empty over missing: nothing
      {"ZDIFFSTORE", "e", "1", "z"},
      {"ZRANGESTORE", "f", "z", "0", "0"},
      {"ZRANGESTORE", "f", "z", "5", "6"},
      {"ZRANGESTORE", "f", "z", "5", "6"},
      {"SET", "str", "x"},
      {"ZUNIONSTORE", "str", "1", "z"},
  });
  EXPECT_EQ(events, Events({Both("new", "z"), Both("zadd", "z"), Both("new", "y"),
                            Both("zadd", "y"), Both("new", "d"), Both("zunionstore", "d"),
                            Both("del", "d"), Both("new", "e"), Both("zdiffstore", "e"),
                            Both("new", "f"), Both("zrangestore", "f"), Both("del", "f"),
                            Both("new", "str"), Both("set", "str"), Both("zunionstore", "str")}));
}

}  // namespace
}  // namespace cairn::test
