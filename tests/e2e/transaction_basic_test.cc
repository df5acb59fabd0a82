// MULTI/EXEC/DISCARD/WATCH/UNWATCH semantics against Redis 7.0: queuing, queue-time and
// run-time errors, nesting errors, RESP3 null, WATCH with changes from other clients
// (writes, DEL, expiry, FLUSHDB/FLUSHALL, SWAPDB, RENAME, MOVE), MONITOR and commandstats.
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class TransactionTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "2"}; }

  // MULTI, PING, EXEC: the EXEC reply tells whether the watches held.
  Reply ExecPing(Client& client) {
    EXPECT_OK(client.Command({"MULTI"}));
    EXPECT_STATUS(client.Command({"PING"}), "QUEUED");
    return client.Command({"EXEC"});
  }
  static bool Aborted(const Reply& exec) { return exec.is_nil(); }
  static bool Ran(const Reply& exec) {
    return exec.type() == ReplyType::kArray && exec.size() == 1 && IsStatus(exec[0], "PONG");
  }
};

TEST_F(TransactionTest, QueuesAndRunsCommandsInOrder) {
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"INCR", "a"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"GET", "a"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"UNWATCH"}), "QUEUED");
  // Nothing ran yet: another client sees no key.
  Client other = Connect();
  EXPECT_NIL(other.Command({"GET", "a"}));
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.type(), ReplyType::kArray) << exec;
  ASSERT_EQ(exec.size(), 4u);
  EXPECT_OK(exec[0]);
  EXPECT_INTEGER(exec[1], 2);
  EXPECT_BULK(exec[2], "2");
  EXPECT_OK(exec[3]);
  EXPECT_BULK(other.Command({"GET", "a"}), "2");
}

TEST_F(TransactionTest, EmptyTransactionRepliesEmptyArray) {
  EXPECT_OK(client_.Command({"MULTI"}));
  Reply exec = client_.Command({"EXEC"});
  EXPECT_EQ(exec.type(), ReplyType::kArray) << exec;
  EXPECT_EQ(exec.size(), 0u);
}

TEST_F(TransactionTest, RuntimeErrorsStayInPlace) {
  EXPECT_OK(client_.Command({"SET", "s", "text"}));
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"INCR", "s"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SELECT", "99999"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"INCR", "a"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 4u) << exec;
  EXPECT_OK(exec[0]);
  EXPECT_ERROR(exec[1], "ERR value is not an integer or out of range");
  EXPECT_ERROR(exec[2], "ERR DB index is out of range");
  EXPECT_INTEGER(exec[3], 2);
  EXPECT_BULK(client_.Command({"GET", "a"}), "2");
}

TEST_F(TransactionTest, QueueTimeErrorsAbortTheExec) {
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  EXPECT_ERROR_PREFIX(client_.Command({"NOSUCHCOMMAND", "x"}), "ERR unknown command");
  EXPECT_STATUS(client_.Command({"SET", "b", "1"}), "QUEUED");
  EXPECT_ERROR(client_.Command({"EXEC"}),
               "EXECABORT Transaction discarded because of previous errors.");
  EXPECT_INTEGER(client_.Command({"EXISTS", "a", "b"}), 0);

  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_ERROR(client_.Command({"GET"}), "ERR wrong number of arguments for 'get' command");
  EXPECT_ERROR(client_.Command({"EXEC"}),
               "EXECABORT Transaction discarded because of previous errors.");

  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_ERROR(client_.Command({"SAVE"}), "ERR Command not allowed inside a transaction");
  EXPECT_ERROR(client_.Command({"EXEC"}),
               "EXECABORT Transaction discarded because of previous errors.");
  // The client left MULTI: commands run again.
  EXPECT_OK(client_.Command({"SET", "c", "1"}));
}

TEST_F(TransactionTest, ControlErrorsDoNotAbort) {
  EXPECT_ERROR(client_.Command({"EXEC"}), "ERR EXEC without MULTI");
  EXPECT_ERROR(client_.Command({"DISCARD"}), "ERR DISCARD without MULTI");
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_ERROR(client_.Command({"MULTI"}), "ERR MULTI calls can not be nested");
  EXPECT_ERROR(client_.Command({"WATCH", "x"}), "ERR WATCH inside MULTI is not allowed");
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 1u) << exec;
  EXPECT_OK(exec[0]);
}

TEST_F(TransactionTest, DiscardDropsTheQueueAndTheWatches) {
  EXPECT_OK(client_.Command({"WATCH", "w"}));
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  EXPECT_OK(client_.Command({"DISCARD"}));
  EXPECT_INTEGER(client_.Command({"EXISTS", "a"}), 0);
  Client other = Connect();
  EXPECT_OK(other.Command({"SET", "w", "changed"}));
  EXPECT_TRUE(Ran(ExecPing(client_)));
}

TEST_F(TransactionTest, ResetLeavesMulti) {
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"RESET"}), "RESET");
  EXPECT_ERROR(client_.Command({"EXEC"}), "ERR EXEC without MULTI");
  EXPECT_INTEGER(client_.Command({"EXISTS", "a"}), 0);
}

TEST_F(TransactionTest, SelectInsideMultiMovesTheFollowingCommands) {
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SELECT", "3"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SET", "k", "in3"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"DBSIZE"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 3u) << exec;
  EXPECT_INTEGER(exec[2], 1);
  EXPECT_BULK(client_.Command({"GET", "k"}), "in3");
  EXPECT_OK(client_.Command({"SELECT", "0"}));
  EXPECT_NIL(client_.Command({"GET", "k"}));
}

TEST_F(TransactionTest, FlushAndSwapInsideMulti) {
  EXPECT_OK(client_.Command({"SET", "old", "1"}));
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "pending", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"FLUSHDB"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"EXISTS", "old", "pending"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SET", "new", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SWAPDB", "0", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"DBSIZE"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 6u) << exec;
  EXPECT_INTEGER(exec[2], 0);
  EXPECT_INTEGER(exec[5], 0);
  EXPECT_OK(client_.Command({"SELECT", "1"}));
  EXPECT_STRINGS(client_.Command({"KEYS", "*"}), {"new"});
}

TEST_F(TransactionTest, Resp3NullWhenAWatchedKeyChanged) {
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_OK(client_.Command({"WATCH", "k"}));
  Client other = Connect();
  EXPECT_OK(other.Command({"SET", "k", "v"}));
  Reply exec = ExecPing(client_);
  EXPECT_TRUE(Aborted(exec)) << exec;
  // RESP2 gets the null array.
  EXPECT_OK(other.Command({"WATCH", "k"}));
  EXPECT_OK(client_.Command({"SET", "k", "w"}));
  EXPECT_TRUE(Aborted(ExecPing(other)));
}

TEST_F(TransactionTest, AbortedExecOnTheWire) {
  for (int protocol : {2, 3}) {
    SCOPED_TRACE(protocol);
    RawConnection raw;
    ASSERT_TRUE(raw.Connect(server_.port()));
    if (protocol == 3) {
      ASSERT_TRUE(raw.Send("HELLO 3\r\n"));
      ASSERT_EQ(raw.ReadReply().type(), ReplyType::kMap);
    }
    ASSERT_TRUE(raw.Send("WATCH k\r\n"));
    EXPECT_EQ(raw.ReadLine(), "+OK");
    EXPECT_OK(client_.Command({"SET", "k", "v"}));
    ASSERT_TRUE(raw.Send("MULTI\r\nEXEC\r\n"));
    EXPECT_EQ(raw.ReadLine(), "+OK");
    EXPECT_EQ(raw.ReadLine(), protocol == 2 ? "*-1" : "_");
  }
}

TEST_F(TransactionTest, WatchSeesWritesOfOtherClients) {
  Client other = Connect();
  EXPECT_OK(client_.Command({"SET", "k", "1"}));
  EXPECT_OK(client_.Command({"WATCH", "k"}));
  EXPECT_OK(other.Command({"SET", "k", "1"}));  // same value still counts
  EXPECT_TRUE(Aborted(ExecPing(client_)));
  // The failed EXEC unwatched: the next one runs.
  EXPECT_OK(other.Command({"SET", "k", "2"}));
  EXPECT_TRUE(Ran(ExecPing(client_)));
}

// These writes leave the collection's metadata as it was (same size, same score bounds), so
// nothing but the member changes on disk: the key must still count as modified.
TEST_F(TransactionTest, WatchSeesMembersOverwrittenInPlace) {
  Client other = Connect();
  std::vector<std::vector<std::string>> overwrites = {{"ZADD", "z", "2", "b"},
                                                      {"ZINCRBY", "z", "0.5", "a"},
                                                      {"HSET", "h", "f", "new"},
                                                      {"HINCRBY", "h", "n", "1"},
                                                      {"LSET", "l", "0", "y"}};
  for (const std::vector<std::string>& overwrite : overwrites) {
    SCOPED_TRACE(overwrite[0]);
    ASSERT_OK(other.Command({"FLUSHALL"}));
    ASSERT_INTEGER(other.Command({"ZADD", "z", "1", "a", "3", "b", "5", "c"}), 3);
    ASSERT_INTEGER(other.Command({"HSET", "h", "f", "old", "n", "1"}), 2);
    ASSERT_INTEGER(other.Command({"RPUSH", "l", "x"}), 1);
    ASSERT_OK(client_.Command({"WATCH", overwrite[1]}));
    ASSERT_FALSE(other.Command(overwrite).is_error());
    EXPECT_TRUE(Aborted(ExecPing(client_)));
  }
}

TEST_F(TransactionTest, ReadsAndUnrelatedKeysDoNotAbort) {
  Client other = Connect();
  EXPECT_OK(client_.Command({"SET", "k", "1"}));
  EXPECT_OK(client_.Command({"WATCH", "k", "missing"}));
  EXPECT_BULK(other.Command({"GET", "k"}), "1");
  EXPECT_INTEGER(other.Command({"EXISTS", "k", "missing"}), 1);
  EXPECT_OK(other.Command({"SET", "unrelated", "1"}));
  EXPECT_INTEGER(other.Command({"DEL", "missing"}), 0);
  EXPECT_TRUE(Ran(ExecPing(client_)));
}

TEST_F(TransactionTest, WatchSeesDelRenameMoveAndExpire) {
  Client other = Connect();
  struct Case {
    std::string name;
    std::vector<std::string> command;
  };
  std::vector<Case> cases = {
      {"DEL", {"DEL", "k"}},
      {"RENAME from", {"RENAME", "k", "elsewhere"}},
      {"RENAME to", {"RENAME", "src", "k"}},
      {"MOVE", {"MOVE", "k", "5"}},
      {"EXPIRE", {"EXPIRE", "k", "100"}},
      {"INCR", {"INCR", "k"}},
      {"APPEND", {"APPEND", "k", "x"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_OK(other.Command({"FLUSHALL"}));
    ASSERT_OK(other.Command({"MSET", "k", "1", "src", "2"}));
    ASSERT_OK(client_.Command({"WATCH", "k"}));
    Reply changed = other.Command(c.command);
    ASSERT_FALSE(changed.is_error()) << changed;
    EXPECT_TRUE(Aborted(ExecPing(client_)));
  }
  // MOVE into the watched key's db touches it too.
  ASSERT_OK(other.Command({"FLUSHALL"}));
  ASSERT_OK(other.Command({"SET", "m", "1"}));
  ASSERT_OK(client_.Command({"SELECT", "5"}));
  ASSERT_OK(client_.Command({"WATCH", "m"}));
  EXPECT_INTEGER(other.Command({"MOVE", "m", "5"}), 1);
  EXPECT_TRUE(Aborted(ExecPing(client_)));
}

TEST_F(TransactionTest, WatchRemembersTheDbOfTheKey) {
  Client other = Connect();
  ASSERT_OK(client_.Command({"SELECT", "2"}));
  ASSERT_OK(client_.Command({"WATCH", "k"}));
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  ASSERT_OK(other.Command({"SET", "k", "db0"}));  // another db's k
  EXPECT_TRUE(Ran(ExecPing(client_)));
  ASSERT_OK(client_.Command({"SELECT", "2"}));
  ASSERT_OK(client_.Command({"WATCH", "k"}));
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  ASSERT_OK(other.Command({"SELECT", "2"}));
  ASSERT_OK(other.Command({"SET", "k", "db2"}));
  EXPECT_TRUE(Aborted(ExecPing(client_)));
}

TEST_F(TransactionTest, WatchedKeyExpiringCountsAsChanged) {
  ASSERT_OK(client_.Command({"SET", "k", "v", "PX", "50"}));
  ASSERT_OK(client_.Command({"WATCH", "k"}));
  ASSERT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"EXISTS", "k"})) == 0; }));
  EXPECT_TRUE(Aborted(ExecPing(client_)));
}

TEST_F(TransactionTest, StaleWatchedKeysDoNotAbort) {
  ASSERT_OK(client_.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "0"}));
  ASSERT_OK(client_.Command({"SET", "k", "v", "PX", "1"}));
  ASSERT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"EXISTS", "k"})) == 0; }));
  ASSERT_OK(client_.Command({"WATCH", "k"}));
  EXPECT_TRUE(Ran(ExecPing(client_)));
  // Deleting the stale entry is no change either.
  ASSERT_OK(client_.Command({"SET", "k2", "v", "PX", "1"}));
  ASSERT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"EXISTS", "k2"})) == 0; }));
  ASSERT_OK(client_.Command({"WATCH", "k2"}));
  Client other = Connect();
  EXPECT_INTEGER(other.Command({"DEL", "k2"}), 0);
  EXPECT_TRUE(Ran(ExecPing(client_)));
  ASSERT_OK(client_.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "1"}));
}

TEST_F(TransactionTest, FlushTouchesOnlyExistingWatchedKeys) {
  Client other = Connect();
  for (const char* flush : {"FLUSHALL", "FLUSHDB"}) {
    SCOPED_TRACE(flush);
    ASSERT_OK(other.Command({"SET", "x", "1"}));
    ASSERT_OK(client_.Command({"WATCH", "x"}));
    ASSERT_OK(other.Command({flush}));
    EXPECT_TRUE(Aborted(ExecPing(client_)));
    // Like Redis: a watched key that does not exist is not touched by a flush.
    ASSERT_OK(client_.Command({"WATCH", "x"}));
    ASSERT_OK(other.Command({flush}));
    EXPECT_TRUE(Ran(ExecPing(client_)));
  }
  // FLUSHDB of another db leaves the watch alone.
  ASSERT_OK(other.Command({"SET", "x", "1"}));
  ASSERT_OK(client_.Command({"WATCH", "x"}));
  ASSERT_OK(other.Command({"SELECT", "9"}));
  ASSERT_OK(other.Command({"FLUSHDB"}));
  EXPECT_TRUE(Ran(ExecPing(client_)));
}

TEST_F(TransactionTest, SwapDbTouchesWatchedKeysThatExistOnEitherSide) {
  Client other = Connect();
  // Exists in the watched db.
  ASSERT_OK(other.Command({"SET", "x", "1"}));
  ASSERT_OK(client_.Command({"WATCH", "x"}));
  ASSERT_OK(other.Command({"SWAPDB", "0", "1"}));
  EXPECT_TRUE(Aborted(ExecPing(client_)));
  // x now lives in db 1 only: watching it in db 0 (where it does not exist) still sees it
  // arrive with the swap.
  ASSERT_OK(client_.Command({"WATCH", "x"}));
  ASSERT_OK(other.Command({"SWAPDB", "0", "1"}));
  EXPECT_TRUE(Aborted(ExecPing(client_)));
  // Neither side has it: untouched.
  ASSERT_OK(client_.Command({"WATCH", "nothing"}));
  ASSERT_OK(other.Command({"SWAPDB", "0", "1"}));
  EXPECT_TRUE(Ran(ExecPing(client_)));
  // A failed SWAPDB touches nothing.
  ASSERT_OK(client_.Command({"WATCH", "x"}));
  EXPECT_ERROR(other.Command({"SWAPDB", "0", "100000"}), "ERR DB index is out of range");
  EXPECT_TRUE(Ran(ExecPing(client_)));
}

TEST_F(TransactionTest, OwnWritesAndRewatching) {
  ASSERT_OK(client_.Command({"WATCH", "k"}));
  ASSERT_OK(client_.Command({"SET", "k", "mine"}));  // like Redis, one's own write counts
  ASSERT_OK(client_.Command({"WATCH", "k"}));        // and re-watching does not forget it
  EXPECT_TRUE(Aborted(ExecPing(client_)));
  ASSERT_OK(client_.Command({"WATCH", "k"}));
  ASSERT_OK(client_.Command({"SET", "k", "again"}));
  ASSERT_OK(client_.Command({"UNWATCH"}));
  EXPECT_TRUE(Ran(ExecPing(client_)));
}

TEST_F(TransactionTest, WatchArityAndAuthStayChecked) {
  EXPECT_ERROR(client_.Command({"WATCH"}), "ERR wrong number of arguments for 'watch' command");
  EXPECT_ERROR(client_.Command({"MULTI", "x"}),
               "ERR wrong number of arguments for 'multi' command");
  EXPECT_ERROR(client_.Command({"EXEC", "x"}), "ERR wrong number of arguments for 'exec' command");
}

TEST_F(TransactionTest, MonitorAndCommandStatsCountExecutedCommands) {
  ASSERT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  Client monitor = Connect();
  ASSERT_OK(monitor.Command({"MONITOR"}));
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SET", "a", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"GET", "a"}), "QUEUED");
  ASSERT_EQ(client_.Command({"EXEC"}).size(), 2u);
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"GET", "a"}), "QUEUED");
  EXPECT_OK(client_.Command({"DISCARD"}));
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_ERROR_PREFIX(client_.Command({"NOPE"}), "ERR unknown command");
  EXPECT_ERROR_PREFIX(client_.Command({"EXEC"}), "EXECABORT");
  EXPECT_BULK(client_.Command({"PING", "end"}), "end");
  std::vector<std::string> seen;
  while (seen.empty() || seen.back().find("\"PING\"") == std::string::npos) {
    Reply line = monitor.GetReply();
    ASSERT_EQ(line.type(), ReplyType::kStatus) << line;
    size_t start = line.text().find(']');
    seen.push_back(line.text().substr(start + 2));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"\"MULTI\"", "\"SET\" \"a\" \"1\"", "\"GET\" \"a\"",
                                            "\"EXEC\"", "\"MULTI\"", "\"DISCARD\"", "\"MULTI\"",
                                            "\"EXEC\"", "\"PING\" \"end\""}));
  std::string stats = InfoText(client_, "commandstats");
  EXPECT_NE(stats.find("cmdstat_exec:calls=2,"), std::string::npos) << stats;
  EXPECT_NE(stats.find("cmdstat_multi:calls=3,"), std::string::npos) << stats;
  EXPECT_NE(stats.find("cmdstat_get:calls=1,"), std::string::npos) << stats;
  EXPECT_NE(stats.find("cmdstat_set:calls=1,"), std::string::npos) << stats;
  EXPECT_NE(stats.find("failed_calls=1"), std::string::npos) << stats;
}

}  // namespace
}  // namespace cairn::test
