// E2E tests that strings and their deadlines survive a clean restart and a kill -9, with
// appendfsync always and everysec: every acknowledged write of every string command is
// found again, and deadlines stay absolute (they keep counting down, they do not reset).
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class StringPersistenceTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  long long Pttl(const std::string& key) {
    Reply reply = Run({"PTTL", key});
    EXPECT_EQ(reply.type(), ReplyType::kInteger) << reply;
    return reply.integer();
  }

  // One acknowledged write through every string command that writes.
  void WriteEverything() {
    std::string binary("bin\0ary\r\n", 9);
    ASSERT_OK(Run({"SET", "plain", binary}));
    ASSERT_OK(Run({"SET", "ex", "v", "EX", "1000"}));
    ASSERT_OK(Run({"SET", "pxat", "v", "PXAT", "9223372036854775807"}));
    ASSERT_OK(Run({"SET", "keep", "v", "PX", "1000000"}));
    ASSERT_OK(Run({"SET", "keep", "v2", "KEEPTTL"}));
    ASSERT_OK(Run({"SET", "cleared", "v", "EX", "1000"}));
    ASSERT_OK(Run({"SET", "cleared", "v2"}));
    ASSERT_OK(Run({"SET", "deleted", "v"}));
    ASSERT_OK(Run({"SET", "deleted", "v", "EXAT", "1"}));
    ASSERT_INTEGER(Run({"SETNX", "setnx", "v"}), 1);
    ASSERT_OK(Run({"SETEX", "setex", "1000", "v"}));
    ASSERT_OK(Run({"PSETEX", "psetex", "1000000", "v"}));
    ASSERT_OK(Run({"SET", "getset", "old", "EX", "1000"}));
    ASSERT_BULK(Run({"GETSET", "getset", "new"}), "old");
    ASSERT_OK(Run({"SET", "getdel", "v"}));
    ASSERT_BULK(Run({"GETDEL", "getdel"}), "v");
    ASSERT_OK(Run({"SET", "getex", "v"}));
    ASSERT_BULK(Run({"GETEX", "getex", "EX", "1000"}), "v");
    ASSERT_OK(Run({"SET", "persist", "v", "EX", "1000"}));
    ASSERT_BULK(Run({"GETEX", "persist", "PERSIST"}), "v");
    ASSERT_OK(Run({"MSET", "m1", "a", "m2", "b"}));
    ASSERT_INTEGER(Run({"MSETNX", "n1", "c", "n2", "d"}), 1);
    ASSERT_INTEGER(Run({"APPEND", "append", "hello"}), 5);
    ASSERT_INTEGER(Run({"APPEND", "append", " world"}), 11);
    ASSERT_INTEGER(Run({"SETRANGE", "range", "3", "xyz"}), 6);
    ASSERT_INTEGER(Run({"INCRBY", "counter", "41"}), 41);
    ASSERT_INTEGER(Run({"INCR", "counter"}), 42);
    ASSERT_INTEGER(Run({"DECRBY", "down", "7"}), -7);
    ASSERT_BULK(Run({"INCRBYFLOAT", "float", "2.5"}), "2.5");
    ASSERT_OK(Run({"SET", "ttl_counter", "1", "EX", "1000"}));
    ASSERT_INTEGER(Run({"INCR", "ttl_counter"}), 2);
  }

  void CheckEverything() {
    EXPECT_BULK(Run({"GET", "plain"}), std::string("bin\0ary\r\n", 9));
    EXPECT_EQ(Pttl("plain"), -1);
    long long ttl = Pttl("ex");
    EXPECT_GT(ttl, 0);
    EXPECT_LE(ttl, 1000000);
    EXPECT_GT(Pttl("pxat"), 1000000000000LL);
    EXPECT_BULK(Run({"GET", "keep"}), "v2");
    EXPECT_GT(Pttl("keep"), 0);
    EXPECT_EQ(Pttl("cleared"), -1);
    EXPECT_INTEGER(Run({"EXISTS", "deleted"}), 0);
    EXPECT_BULK(Run({"GET", "setnx"}), "v");
    EXPECT_GT(Pttl("setex"), 0);
    EXPECT_GT(Pttl("psetex"), 0);
    EXPECT_BULK(Run({"GET", "getset"}), "new");
    EXPECT_EQ(Pttl("getset"), -1);
    EXPECT_INTEGER(Run({"EXISTS", "getdel"}), 0);
    EXPECT_GT(Pttl("getex"), 0);
    EXPECT_EQ(Pttl("persist"), -1);
    EXPECT_STRINGS(Run({"MGET", "m1", "m2", "n1", "n2"}), {"a", "b", "c", "d"});
    EXPECT_BULK(Run({"GET", "append"}), "hello world");
    EXPECT_BULK(Run({"GET", "range"}), std::string("\0\0\0xyz", 6));
    EXPECT_BULK(Run({"GET", "counter"}), "42");
    EXPECT_BULK(Run({"GET", "down"}), "-7");
    EXPECT_BULK(Run({"GET", "float"}), "2.5");
    EXPECT_BULK(Run({"GET", "ttl_counter"}), "2");
    EXPECT_GT(Pttl("ttl_counter"), 0);
    // The data is usable, not just readable.
    EXPECT_INTEGER(Run({"INCR", "counter"}), 43);
    EXPECT_BULK(Run({"INCRBYFLOAT", "float", "0.5"}), "3");
  }
};

TEST_F(StringPersistenceTest, SurvivesCleanRestart) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  CheckEverything();
}

TEST_F(StringPersistenceTest, DeadlinesKeepCountingAcrossRestart) {
  ASSERT_OK(Run({"SET", "short", "v", "PX", "300"}));
  ASSERT_OK(Run({"SET", "long", "v", "EX", "1000"}));
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  // The short deadline passes after the restart (polled, never timed).
  bool gone = false;
  for (int attempt = 0; attempt < 3000 && !gone; ++attempt) {
    gone = Run({"EXISTS", "short"}).integer() == 0;
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone);
  EXPECT_LE(Pttl("long"), 1000000);
  EXPECT_GT(Pttl("long"), 0);
}

class StringKill9AlwaysTest : public StringPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(StringKill9AlwaysTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

class StringKill9EverySecTest : public StringPersistenceTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "everysec"}; }
};

TEST_F(StringKill9EverySecTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteEverything());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckEverything();
}

TEST_F(StringKill9EverySecTest, PipelinedCountersSurviveKill9) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) {
    commands.push_back({"INCR", "pipelined"});
    commands.push_back({"APPEND", "log", "x"});
  }
  std::vector<Reply> replies = client_.Pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  EXPECT_INTEGER(replies[replies.size() - 2], 1000);
  EXPECT_INTEGER(replies.back(), 1000);
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_BULK(Run({"GET", "pipelined"}), "1000");
  EXPECT_INTEGER(Run({"STRLEN", "log"}), 1000);
}

}  // namespace
}  // namespace cairn::test
