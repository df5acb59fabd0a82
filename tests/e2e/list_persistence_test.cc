// E2E tests that lists survive a clean restart and a kill -9 (appendfsync always and
// everysec) with every acknowledged write of every list command, that LMOVE under kill -9
// neither loses nor duplicates an element, and that MULTI/EXEC sees its own pending writes.
#include <string>
#include <vector>

#include "tests/e2e/list_test_util.h"

namespace cairn::test {
namespace {

class ListPersistenceTest : public ListTest {
 protected:
  void WriteEverything() {
    ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c", "d", "e", "f"}), 6);
    ASSERT_INTEGER(Run({"LPUSH", "l", "z"}), 7);
    ASSERT_INTEGER(Run({"LPUSHX", "l", "y"}), 8);
    ASSERT_INTEGER(Run({"RPUSHX", "l", "g"}), 9);
    ASSERT_BULK(Run({"LPOP", "l"}), "y");
    ASSERT_TRUE(IsStrings(Run({"RPOP", "l", "1"}), {"g"}));
    ASSERT_INTEGER(Run({"LINSERT", "l", "AFTER", "c", "c2"}), 8);
    ASSERT_OK(Run({"LSET", "l", "0", "Z"}));
    ASSERT_INTEGER(Run({"LREM", "l", "1", "d"}), 1);
    ASSERT_OK(Run({"LTRIM", "l", "0", "5"}));
    ASSERT_BULK(Run({"LMOVE", "l", "moved", "RIGHT", "LEFT"}), "e");
    ASSERT_BULK(Run({"RPOPLPUSH", "l", "moved"}), "c2");
    ASSERT_INTEGER(Run({"RPUSH", "gone", "x"}), 1);
    ASSERT_EQ(Run({"LMPOP", "1", "gone", "LEFT"}).size(), 2u);
  }

  void CheckEverything() {
    EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"Z", "a", "b", "c"});
    EXPECT_STRINGS(Run({"LRANGE", "moved", "0", "-1"}), {"c2", "e"});
    EXPECT_INTEGER(Run({"EXISTS", "gone"}), 0);
    EXPECT_INTEGER(Run({"LLEN", "l"}), 4);
    // Usable, not just readable.
    EXPECT_INTEGER(Run({"RPUSH", "l", "tail"}), 5);
    EXPECT_BULK(Run({"LINDEX", "l", "-1"}), "tail");
  }

  // LMOVEs a counted set of elements one by one between two lists, then checks after a
  // crash that every element is in exactly one of them, in order.
  void MoveManyAndCrash() {
    std::vector<std::string> push{"RPUSH", "from"};
    for (int i = 0; i < 200; ++i) push.push_back(std::to_string(i));
    ASSERT_INTEGER(Run(push), 200);
    std::vector<std::vector<std::string>> moves(150, {"LMOVE", "from", "to", "LEFT", "RIGHT"});
    std::vector<Reply> replies = client_.Pipeline(moves);
    ASSERT_EQ(replies.size(), moves.size());
    ASSERT_BULK(replies.back(), "149");
    ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
    EXPECT_INTEGER(Run({"LLEN", "from"}), 50);
    EXPECT_INTEGER(Run({"LLEN", "to"}), 150);
    EXPECT_BULK(Run({"LINDEX", "from", "0"}), "150");
    EXPECT_BULK(Run({"LINDEX", "to", "-1"}), "149");
    EXPECT_BULK(Run({"LINDEX", "to", "0"}), "0");
  }
};

TEST_F(ListPersistenceTest, SurvivesCleanRestart) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  CheckEverything();
}

TEST_F(ListPersistenceTest, MultiExecReadsItsOwnWrites) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a"}), 1);
  ASSERT_OK(Run({"MULTI"}));
  EXPECT_STATUS(Run({"RPUSH", "l", "b", "c"}), "QUEUED");
  EXPECT_STATUS(Run({"LRANGE", "l", "0", "-1"}), "QUEUED");
  EXPECT_STATUS(Run({"LMOVE", "l", "m", "LEFT", "LEFT"}), "QUEUED");
  EXPECT_STATUS(Run({"LINSERT", "l", "BEFORE", "c", "x"}), "QUEUED");
  EXPECT_STATUS(Run({"LPOS", "l", "c"}), "QUEUED");
  EXPECT_STATUS(Run({"LLEN", "m"}), "QUEUED");
  EXPECT_STATUS(Run({"RPOP", "l", "5"}), "QUEUED");
  EXPECT_STATUS(Run({"EXISTS", "l"}), "QUEUED");
  Reply exec = Run({"EXEC"});
  ASSERT_EQ(exec.size(), 8u) << exec;
  EXPECT_INTEGER(exec[0], 3);
  EXPECT_STRINGS(exec[1], {"a", "b", "c"});
  EXPECT_BULK(exec[2], "a");
  EXPECT_INTEGER(exec[3], 3);
  EXPECT_INTEGER(exec[4], 2);
  EXPECT_INTEGER(exec[5], 1);
  EXPECT_STRINGS(exec[6], {"c", "x", "b"});
  EXPECT_INTEGER(exec[7], 0);
  EXPECT_STRINGS(Run({"LRANGE", "m", "0", "-1"}), {"a"});
}

class ListKill9AlwaysTest : public ListPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(ListKill9AlwaysTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

TEST_F(ListKill9AlwaysTest, MovesNeitherLoseNorDuplicate) { MoveManyAndCrash(); }

class ListKill9EverySecTest : public ListPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "everysec"}; }
};

TEST_F(ListKill9EverySecTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

TEST_F(ListKill9EverySecTest, QueueSurvivesKill9) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) {
    commands.push_back({"LPUSH", "queue", std::to_string(i)});
    if (i % 2 == 1) commands.push_back({"RPOP", "queue"});
  }
  std::vector<Reply> replies = client_.Pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  ASSERT_BULK(replies.back(), "499");
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_INTEGER(Run({"LLEN", "queue"}), 500);
  EXPECT_BULK(Run({"RPOP", "queue"}), "500");
  EXPECT_BULK(Run({"LPOP", "queue"}), "999");
}

}  // namespace
}  // namespace cairn::test
