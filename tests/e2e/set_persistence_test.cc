// E2E tests that sets survive a clean restart and a kill -9 (appendfsync always and everysec)
// with every acknowledged write of every set command found again, that MULTI/EXEC reads its
// own pending set writes and commits them together, and that an expiring set goes away.
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/e2e/set_test_util.h"

namespace cairn::test {
namespace {

class SetPersistenceTest : public SetCommandTest {
 protected:
  // One acknowledged write through every set command that writes.
  void WriteEverything() {
    ASSERT_INTEGER(Run({"SADD", "s", "a", "b", "c", "d"}), 4);
    ASSERT_INTEGER(Run({"SREM", "s", "d"}), 1);
    ASSERT_INTEGER(Run({"SADD", "gone", "x"}), 1);
    ASSERT_INTEGER(Run({"SREM", "gone", "x"}), 1);
    ASSERT_INTEGER(Run({"SADD", "t", "b", "c", "e"}), 3);
    ASSERT_INTEGER(Run({"SINTERSTORE", "inter", "s", "t"}), 2);
    ASSERT_INTEGER(Run({"SUNIONSTORE", "union", "s", "t"}), 4);
    ASSERT_INTEGER(Run({"SDIFFSTORE", "diff", "s", "t"}), 1);
    ASSERT_OK(Run({"SET", "replaced", "string"}));
    ASSERT_INTEGER(Run({"SUNIONSTORE", "replaced", "t"}), 3);
    ASSERT_INTEGER(Run({"SMOVE", "t", "moved", "e"}), 1);
    ASSERT_INTEGER(Run({"SADD", "popped", "only"}), 1);
    ASSERT_BULK(Run({"SPOP", "popped"}), "only");
    ASSERT_INTEGER(Run({"SADD", "half", "1", "2", "3", "4"}), 4);
    Reply two = Run({"SPOP", "half", "2"});
    ASSERT_EQ(two.size(), 2u) << two;
    half_left_ = {"1", "2", "3", "4"};
    for (const Reply& member : two.elements()) {
      std::erase(half_left_, member.text());
    }
    ASSERT_EQ(half_left_.size(), 2u);
  }

  void CheckEverything() {
    EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "s"}), {"a", "b", "c"});
    EXPECT_INTEGER(Run({"SCARD", "s"}), 3);
    EXPECT_INTEGER(Run({"EXISTS", "gone"}), 0);
    EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "t"}), {"b", "c"});
    EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "inter"}), {"b", "c"});
    EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "union"}), {"a", "b", "c", "e"});
    EXPECT_STRINGS(Run({"SMEMBERS", "diff"}), {"a"});
    EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "replaced"}), {"b", "c", "e"});
    EXPECT_STRINGS(Run({"SMEMBERS", "moved"}), {"e"});
    EXPECT_INTEGER(Run({"EXISTS", "popped"}), 0);
    EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "half"}), half_left_);
    EXPECT_INTEGER(Run({"DBSIZE"}), 8);
    // The data is usable, not just readable.
    EXPECT_INTEGER(Run({"SADD", "s", "z"}), 1);
    EXPECT_INTEGER(Run({"SCARD", "s"}), 4);
  }

  std::vector<std::string> half_left_;
};

TEST_F(SetPersistenceTest, SurvivesCleanRestart) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  CheckEverything();
}

TEST_F(SetPersistenceTest, TransactionReadsItsOwnWrites) {
  ASSERT_INTEGER(Run({"SADD", "s", "a"}), 1);
  ASSERT_OK(Run({"MULTI"}));
  const std::vector<std::vector<std::string>> queued = {
      {"SADD", "s", "b"},   {"SADD", "t", "b", "c"},
      {"SINTER", "s", "t"}, {"SUNIONSTORE", "u", "s", "t"},
      {"SMEMBERS", "u"},    {"SMOVE", "t", "s", "c"},
      {"SCARD", "s"},       {"SREM", "t", "b"},
      {"EXISTS", "t"},      {"SISMEMBER", "s", "c"},
  };
  for (const auto& command : queued) ASSERT_TRUE(IsStatus(Run(command), "QUEUED"));
  Reply exec = Run({"EXEC"});
  ASSERT_EQ(exec.size(), queued.size()) << exec;
  EXPECT_INTEGER(exec[0], 1);
  EXPECT_INTEGER(exec[1], 2);
  EXPECT_STRINGS(exec[2], {"b"});
  EXPECT_INTEGER(exec[3], 3);
  EXPECT_STRINGS_UNORDERED(exec[4], {"a", "b", "c"});
  EXPECT_INTEGER(exec[5], 1);
  EXPECT_INTEGER(exec[6], 3);
  EXPECT_INTEGER(exec[7], 1);
  EXPECT_INTEGER(exec[8], 0);
  EXPECT_INTEGER(exec[9], 1);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "s"}), {"a", "b", "c"});
  EXPECT_INTEGER(Run({"EXISTS", "t"}), 0);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "u"}), {"a", "b", "c"});
}

TEST_F(SetPersistenceTest, ExpiringSetGoesAway) {
  ASSERT_INTEGER(Run({"SADD", "s", "a", "b"}), 2);
  ASSERT_INTEGER(Run({"PEXPIRE", "s", "200"}), 1);
  ASSERT_INTEGER(Run({"SADD", "s", "c"}), 1);  // a write keeps the deadline
  EXPECT_GT(Run({"PTTL", "s"}).integer(), 0);
  bool gone = false;
  for (int attempt = 0; attempt < 3000 && !gone; ++attempt) {
    gone = Run({"SCARD", "s"}).integer() == 0;
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone);
  EXPECT_INTEGER(Run({"SADD", "s", "new"}), 1);  // a fresh set without the old members
  EXPECT_STRINGS(Run({"SMEMBERS", "s"}), {"new"});
  EXPECT_INTEGER(Run({"PTTL", "s"}), -1);
}

class SetKill9AlwaysTest : public SetPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(SetKill9AlwaysTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

TEST_F(SetKill9AlwaysTest, PipelinedAddsSurviveKill9) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) commands.push_back({"SADD", "many", "m" + std::to_string(i)});
  std::vector<Reply> replies = client_.Pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  EXPECT_INTEGER(replies.back(), 1);
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_INTEGER(Run({"SCARD", "many"}), 1000);
  EXPECT_INTEGER(Run({"SISMEMBER", "many", "m999"}), 1);
}

class SetKill9EverySecTest : public SetPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "everysec"}; }
};

TEST_F(SetKill9EverySecTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

}  // namespace
}  // namespace cairn::test
