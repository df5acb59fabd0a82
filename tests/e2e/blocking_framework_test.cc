// E2E tests of the blocking framework (src/blocking.h) with clients on different workers:
// FIFO serving order, CLIENT UNBLOCK, disconnect cleanup, INFO / CLIENT LIST / commandstats,
// keyspace events of served clients, wake-ups from writes other than pushes (EXEC, RENAME,
// MOVE, SWAPDB), and the BLMOVE reliable queue across kill -9.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/blocking_test_util.h"
#include "tests/e2e/notify_test_util.h"

namespace cairn::test {
namespace {

using BlockingFrameworkTest = BlockingTest;

TEST_F(BlockingFrameworkTest, LongestWaitingClientIsServedFirst) {
  std::vector<Client> waiters;
  for (int i = 0; i < 4; ++i) waiters.push_back(ConnectWaiter());
  for (int i = 0; i < 4; ++i) {
    ASSERT_NO_FATAL_FAILURE(StartBlocking(waiters[i], {"BLPOP", "q", "0"}, i + 1));
  }
  // One push at a time: each element goes to the next waiter in blocking order.
  for (const char* element : {"e0", "e1"}) client_.Command({"RPUSH", "q", element});
  // Then one push of two elements.
  client_.Command({"RPUSH", "q", "e2", "e3"});
  for (int i = 0; i < 4; ++i) {
    EXPECT_STRINGS(waiters[i].GetReply(), {"q", "e" + std::to_string(i)});
  }
  EXPECT_INTEGER(client_.Command({"EXISTS", "q"}), 0);
  EXPECT_TRUE(WaitForBlocked(0));
}

TEST_F(BlockingFrameworkTest, FifoAcrossCommandKinds) {
  Client first = ConnectWaiter();
  Client second = ConnectWaiter();
  Client third = ConnectWaiter();
  StartBlocking(first, {"BLMPOP", "0", "2", "other", "q", "LEFT", "COUNT", "2"}, 1);
  StartBlocking(second, {"BRPOPLPUSH", "q", "done", "0"}, 2);
  StartBlocking(third, {"BRPOP", "q", "0"}, 3);
  client_.Command({"RPUSH", "q", "a", "b", "c", "d"});
  Reply mpop = first.GetReply();
  ASSERT_EQ(mpop.size(), 2u) << mpop;
  EXPECT_STRINGS(mpop[1], {"a", "b"});
  EXPECT_BULK(second.GetReply(), "d");
  EXPECT_STRINGS(third.GetReply(), {"q", "c"});
}

TEST_F(BlockingFrameworkTest, InfoAndClientListShowBlockedClients) {
  Client waiter = ConnectWaiter();
  long long id = ClientId(waiter);
  EXPECT_EQ(InfoNumber(client_, "clients", "clients_in_timeout_table"), 0);
  StartBlocking(waiter, {"BZPOPMIN", "z", "1000"}, 1);
  EXPECT_EQ(InfoNumber(client_, "clients", "clients_in_timeout_table"), 1);
  bool found = false;
  for (const auto& fields : ClientList(client_)) {
    if (fields.at("id") != std::to_string(id)) {
      EXPECT_EQ(fields.at("flags").find('b'), std::string::npos);
      continue;
    }
    found = true;
    EXPECT_EQ(fields.at("flags"), "b");
    EXPECT_EQ(fields.at("cmd"), "bzpopmin");
  }
  EXPECT_TRUE(found);
  // Other clients on every worker are still served while one is blocked.
  for (int i = 0; i < 3; ++i) {
    Client other = Connect();
    EXPECT_STATUS(other.Command({"PING"}), "PONG");
  }
  client_.Command({"ZADD", "z", "1", "m"});
  EXPECT_STRINGS(waiter.GetReply(), {"z", "m", "1"});
  EXPECT_TRUE(WaitForBlocked(0));
  EXPECT_EQ(InfoNumber(client_, "clients", "clients_in_timeout_table"), 0);
  for (const auto& fields : ClientList(client_, {"ID", std::to_string(id)})) {
    EXPECT_EQ(fields.at("flags"), "N");
  }
}

TEST_F(BlockingFrameworkTest, ClientUnblock) {
  Client waiter = ConnectWaiter();
  std::string id = std::to_string(ClientId(waiter));
  StartBlocking(waiter, {"BLPOP", "q", "0"}, 1);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", id}), 1);
  EXPECT_NIL(waiter.GetReply());
  EXPECT_TRUE(WaitForBlocked(0));
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", id}), 0);

  StartBlocking(waiter, {"BLMOVE", "q", "d", "LEFT", "LEFT", "0"}, 1);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", id, "timeout"}), 1);
  EXPECT_NIL(waiter.GetReply());

  StartBlocking(waiter, {"BZMPOP", "0", "1", "z", "MIN"}, 1);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", id, "ERROR"}), 1);
  EXPECT_ERROR(waiter.GetReply(), "UNBLOCKED client unblocked via CLIENT UNBLOCK");
  // The unblocked client's later push is not taken by anyone.
  client_.Command({"RPUSH", "q", "kept"});
  EXPECT_STRINGS(client_.Command({"LRANGE", "q", "0", "-1"}), {"kept"});

  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", "999999"}), 0);
  EXPECT_ERROR(client_.Command({"CLIENT", "UNBLOCK", id, "LATER"}),
               "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  EXPECT_ERROR(client_.Command({"CLIENT", "UNBLOCK", "x"}),
               "ERR value is not an integer or out of range");
}

TEST_F(BlockingFrameworkTest, UnblockedWaiterPassesItsTurnOn) {
  Client first = ConnectWaiter();
  Client second = ConnectWaiter();
  std::string first_id = std::to_string(ClientId(first));
  StartBlocking(first, {"BLPOP", "q", "0"}, 1);
  StartBlocking(second, {"BLPOP", "q", "0"}, 2);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", first_id}), 1);
  EXPECT_NIL(first.GetReply());
  client_.Command({"RPUSH", "q", "x"});
  EXPECT_STRINGS(second.GetReply(), {"q", "x"});
}

TEST_F(BlockingFrameworkTest, DisconnectedWaiterIsForgotten) {
  Client gone = ConnectWaiter();
  Client next = ConnectWaiter();
  StartBlocking(gone, {"BLPOP", "q", "0"}, 1);
  StartBlocking(next, {"BLPOP", "q", "0"}, 2);
  gone.Close();
  ASSERT_TRUE(WaitForBlocked(1));
  client_.Command({"RPUSH", "q", "a", "b"});
  EXPECT_STRINGS(next.GetReply(), {"q", "a"});
  // Nothing was popped for the closed connection.
  EXPECT_STRINGS(client_.Command({"LRANGE", "q", "0", "-1"}), {"b"});

  Client alone = ConnectWaiter();
  StartBlocking(alone, {"BZPOPMIN", "z", "0"}, 1);
  alone.Close();
  ASSERT_TRUE(WaitForBlocked(0));
  client_.Command({"ZADD", "z", "1", "m"});
  EXPECT_INTEGER(client_.Command({"ZCARD", "z"}), 1);
}

TEST_F(BlockingFrameworkTest, CommandStatsCountABlockedCallOnce) {
  ASSERT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLPOP", "q", "0"}, 1);
  // A push that another client takes first: the waiter runs again, finds nothing, waits on.
  ASSERT_OK(client_.Command({"MULTI"}));
  client_.Command({"RPUSH", "q", "x"});
  client_.Command({"LPOP", "q"});
  client_.Command({"EXEC"});
  client_.Command({"RPUSH", "q", "y"});
  EXPECT_STRINGS(waiter.GetReply(), {"q", "y"});
  std::string stats = InfoText(client_, "commandstats");
  std::optional<std::string> blpop = InfoField(stats, "cmdstat_blpop");
  ASSERT_TRUE(blpop.has_value()) << stats;
  EXPECT_EQ(blpop->rfind("calls=1,", 0), 0u) << *blpop;
}

TEST_F(BlockingFrameworkTest, WokenByTransactionsRenameMoveAndSwapdb) {
  Client waiter = ConnectWaiter();
  StartBlocking(waiter, {"BLPOP", "q", "0"}, 1);
  ASSERT_OK(client_.Command({"MULTI"}));
  client_.Command({"RPUSH", "q", "from-exec"});
  client_.Command({"SET", "unrelated", "1"});
  EXPECT_EQ(client_.Command({"EXEC"}).size(), 2u);
  EXPECT_STRINGS(waiter.GetReply(), {"q", "from-exec"});

  StartBlocking(waiter, {"BLPOP", "q", "0"}, 1);
  client_.Command({"RPUSH", "tmp", "renamed"});
  ASSERT_OK(client_.Command({"RENAME", "tmp", "q"}));
  EXPECT_STRINGS(waiter.GetReply(), {"q", "renamed"});

  StartBlocking(waiter, {"BZPOPMIN", "z", "0"}, 1);
  ASSERT_OK(client_.Command({"SELECT", "1"}));
  client_.Command({"ZADD", "z", "3", "moved"});
  EXPECT_INTEGER(client_.Command({"MOVE", "z", "0"}), 1);
  EXPECT_STRINGS(waiter.GetReply(), {"z", "moved", "3"});

  StartBlocking(waiter, {"BLPOP", "s", "0"}, 1);
  client_.Command({"RPUSH", "s", "swapped"});  // in db 1
  ASSERT_OK(client_.Command({"SWAPDB", "0", "1"}));
  EXPECT_STRINGS(waiter.GetReply(), {"s", "swapped"});
}

TEST_F(BlockingFrameworkTest, ReplySkippedByClientReplySkip) {
  Client waiter = ConnectWaiter();
  waiter.Append({"CLIENT", "REPLY", "SKIP"});
  waiter.Append({"BLPOP", "q", "0"});
  waiter.Append({"PING"});
  ASSERT_TRUE(waiter.Flush());
  ASSERT_TRUE(WaitForBlocked(1));
  client_.Command({"RPUSH", "q", "a"});
  EXPECT_STATUS(waiter.GetReply(), "PONG");
  EXPECT_INTEGER(client_.Command({"EXISTS", "q"}), 0);
}

class BlockingNotifyTest : public NotifyTest {};

TEST_F(BlockingNotifyTest, ServedClientEmitsTheNonBlockingEvents) {
  SetFlags("KEA");
  Client waiter = Connect();
  waiter.SetTimeout(std::chrono::seconds(20));
  auto wait_blocked = [&] {
    return EventuallyTrue([&] { return InfoNumber(client_, "clients", "blocked_clients") == 1; });
  };
  waiter.Append({"BLPOP", "q", "0"});
  ASSERT_TRUE(waiter.Flush());
  ASSERT_TRUE(wait_blocked());
  client_.Command({"RPUSH", "q", "a"});
  EXPECT_STRINGS(waiter.GetReply(), {"q", "a"});
  waiter.Append({"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"});
  ASSERT_TRUE(waiter.Flush());
  ASSERT_TRUE(wait_blocked());
  client_.Command({"RPUSH", "src", "x"});
  EXPECT_BULK(waiter.GetReply(), "x");
  waiter.Append({"BZPOPMIN", "z", "0"});
  ASSERT_TRUE(waiter.Flush());
  ASSERT_TRUE(wait_blocked());
  client_.Command({"ZADD", "z", "1", "m"});
  EXPECT_STRINGS(waiter.GetReply(), {"z", "m", "1"});
  // The sequence redis-server 7.0 emits for the same script.
  std::vector<std::string> expected =
      Events({Both("rpush", "q"), Both("lpop", "q"), Both("del", "q"), Both("rpush", "src"),
              Both("lpush", "dst"), Both("rpop", "src"), Both("del", "src"), Both("zadd", "z"),
              Both("zpopmin", "z"), Both("del", "z")});
  EXPECT_EQ(EventsOf(client_, subscriber_, {}), expected);
}

class BlockingDurabilityTest : public BlockingTest {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--workers", "3", "--appendfsync", "always"};
  }
};

// The reliable-queue pattern: BLMOVE from a queue into a processing list. Whatever instant
// the process dies, every element is in exactly one of the two lists, and each move a client
// was told about is on disk.
TEST_F(BlockingDurabilityTest, BlmoveReliableQueueSurvivesKill9) {
  constexpr int kElements = 300;
  std::vector<std::string> push = {"RPUSH", "queue"};
  for (int i = 0; i < kElements; ++i) push.push_back("job" + std::to_string(i));
  ASSERT_INTEGER(client_.Command(push), kElements);

  Client consumer = ConnectWaiter();
  for (int i = 0; i < kElements + 20; ++i) {
    consumer.Append({"BLMOVE", "queue", "processing", "LEFT", "RIGHT", "0"});
  }
  ASSERT_TRUE(consumer.Flush());
  std::vector<std::string> acknowledged;
  for (int i = 0; i < 100; ++i) {
    Reply moved = consumer.GetReply();
    ASSERT_EQ(moved.type(), ReplyType::kString) << moved;
    acknowledged.push_back(moved.text());
  }
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  Client after = Connect();
  Reply queue = after.Command({"LRANGE", "queue", "0", "-1"});
  Reply processing = after.Command({"LRANGE", "processing", "0", "-1"});
  std::vector<std::string> all;
  for (const Reply& r : queue.elements()) all.push_back(r.text());
  for (const Reply& r : processing.elements()) all.push_back(r.text());
  ASSERT_EQ(all.size(), static_cast<size_t>(kElements));
  std::set<std::string> distinct(all.begin(), all.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kElements));
  ASSERT_GE(processing.size(), acknowledged.size());
  for (size_t i = 0; i < acknowledged.size(); ++i) {
    EXPECT_EQ(processing[i].text(), acknowledged[i]);
  }
}

TEST_F(BlockingDurabilityTest, ServedBlockedMoveSurvivesKill9) {
  Client consumer = ConnectWaiter();
  StartBlocking(consumer, {"BLMOVE", "queue", "processing", "LEFT", "RIGHT", "0"}, 1);
  client_.Command({"RPUSH", "queue", "job"});
  EXPECT_BULK(consumer.GetReply(), "job");
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  Client after = Connect();
  EXPECT_STRINGS(after.Command({"LRANGE", "processing", "0", "-1"}), {"job"});
  EXPECT_INTEGER(after.Command({"EXISTS", "queue"}), 0);
  EXPECT_EQ(InfoNumber(after, "clients", "blocked_clients"), 0);
}

}  // namespace
}  // namespace cairn::test
