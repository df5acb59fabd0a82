// E2E tests that hashes survive a clean restart and a kill -9 (appendfsync always and
// everysec: every acknowledged write of every hash command is found again), and that a
// MULTI/EXEC reads the pending writes of its own earlier commands.
#include <string>
#include <vector>

#include "tests/e2e/hash_test_util.h"

namespace cairn::test {
namespace {

class HashPersistenceTest : public HashTest {
 protected:
  // One acknowledged write through every hash command that writes.
  void WriteEverything() {
    std::string binary("bin\0ary\r\n", 9);
    ASSERT_INTEGER(Run({"HSET", "h", "a", "1", "b", "2", binary, binary}), 3);
    ASSERT_OK(Run({"HMSET", "h", "c", "3", "a", "10"}));
    ASSERT_INTEGER(Run({"HSETNX", "h", "d", "4"}), 1);
    ASSERT_INTEGER(Run({"HDEL", "h", "b"}), 1);
    ASSERT_INTEGER(Run({"HINCRBY", "h", "n", "41"}), 41);
    ASSERT_BULK(Run({"HINCRBYFLOAT", "h", "x", "2.5"}), "2.5");
    ASSERT_INTEGER(Run({"HSET", "emptied", "f", "v"}), 1);
    ASSERT_INTEGER(Run({"HDEL", "emptied", "f"}), 1);
    ASSERT_NO_FATAL_FAILURE(MakeHash("big", 600));
    ASSERT_INTEGER(Run({"HDEL", "big", "f0", "f599"}), 2);
  }

  void CheckEverything() {
    std::string binary("bin\0ary\r\n", 9);
    EXPECT_INTEGER(Run({"HLEN", "h"}), 6);
    EXPECT_BULK(Run({"HGET", "h", "a"}), "10");
    EXPECT_NIL(Run({"HGET", "h", "b"}));
    EXPECT_BULK(Run({"HGET", "h", binary}), binary);
    EXPECT_BULK(Run({"HGET", "h", "c"}), "3");
    EXPECT_BULK(Run({"HGET", "h", "d"}), "4");
    EXPECT_BULK(Run({"HGET", "h", "n"}), "41");
    EXPECT_BULK(Run({"HGET", "h", "x"}), "2.5");
    EXPECT_INTEGER(Run({"EXISTS", "emptied"}), 0);
    EXPECT_INTEGER(Run({"HLEN", "big"}), 598);
    EXPECT_EQ(Run({"HKEYS", "big"}).size(), 598u);
    EXPECT_NIL(Run({"HGET", "big", "f0"}));
    EXPECT_BULK(Run({"HGET", "big", "f300"}), "v300");
    EXPECT_INTEGER(Run({"DBSIZE"}), 2);
    // The data is usable, not just readable.
    EXPECT_INTEGER(Run({"HINCRBY", "h", "n", "1"}), 42);
    EXPECT_BULK(Run({"HINCRBYFLOAT", "h", "x", "0.5"}), "3");
  }
};

TEST_F(HashPersistenceTest, SurvivesCleanRestart) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  CheckEverything();
}

TEST_F(HashPersistenceTest, TransactionReadsItsOwnPendingWrites) {
  ASSERT_INTEGER(Run({"HSET", "h", "a", "1"}), 1);
  ASSERT_OK(Run({"MULTI"}));
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"HSET", "h", "b", "2"},
           {"HINCRBY", "h", "b", "3"},
           {"HGET", "h", "b"},
           {"HLEN", "h"},
           {"HKEYS", "h"},
           {"HDEL", "h", "a", "b"},
           {"EXISTS", "h"},
           {"HSETNX", "h", "c", "1"},
           {"HGETALL", "h"},
       }) {
    EXPECT_STATUS(Run(command), "QUEUED");
  }
  Reply results = Run({"EXEC"});
  ASSERT_EQ(results.size(), 9u) << results;
  EXPECT_INTEGER(results[0], 1);
  EXPECT_INTEGER(results[1], 5);
  EXPECT_BULK(results[2], "5");
  EXPECT_INTEGER(results[3], 2);
  EXPECT_STRINGS(results[4], {"a", "b"});
  EXPECT_INTEGER(results[5], 2);
  EXPECT_INTEGER(results[6], 0);
  EXPECT_INTEGER(results[7], 1);
  EXPECT_STRINGS(results[8], {"c", "1"});
  EXPECT_STRINGS(Run({"HGETALL", "h"}), {"c", "1"});
}

class HashKill9AlwaysTest : public HashPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(HashKill9AlwaysTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

TEST_F(HashKill9AlwaysTest, PipelinedIncrementsSurviveKill9) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) {
    commands.push_back({"HINCRBY", "counters", "hits", "1"});
    commands.push_back({"HSET", "fields", "f" + std::to_string(i), "v"});
  }
  std::vector<Reply> replies = client_.Pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  EXPECT_INTEGER(replies[replies.size() - 2], 1000);
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_BULK(Run({"HGET", "counters", "hits"}), "1000");
  EXPECT_INTEGER(Run({"HLEN", "fields"}), 1000);
}

class HashKill9EverySecTest : public HashPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "everysec"}; }
};

TEST_F(HashKill9EverySecTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

}  // namespace
}  // namespace cairn::test
