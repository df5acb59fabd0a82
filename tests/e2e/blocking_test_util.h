// The fixture of the blocking-command e2e tests (tests/e2e/blocking_*_test.cc): a server with
// three workers, so that successive connections sit on different workers, and helpers to
// start a blocking command on a connection, wait until the server reports the client as
// blocked (polling INFO, never asserting on time), and read its reply later.
#pragma once

#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {

class BlockingTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "3"}; }

  long long BlockedClients() { return InfoNumber(client_, "clients", "blocked_clients"); }

  // Polls INFO until exactly `count` clients are blocked.
  ::testing::AssertionResult WaitForBlocked(long long count) {
    long long seen = -1;
    bool reached = EventuallyTrue([&] {
      seen = BlockedClients();
      return seen == count;
    });
    if (reached) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "blocked_clients stayed " << seen << ", expected " << count;
  }

  // Sends `command` on `waiter` without reading the reply, then waits until the server
  // reports `blocked_after` blocked clients (so the order of several waiters is fixed).
  void StartBlocking(Client& waiter, const std::vector<std::string>& command,
                     long long blocked_after) {
    waiter.Append(command);
    ASSERT_TRUE(waiter.Flush());
    ASSERT_TRUE(WaitForBlocked(blocked_after));
  }

  // A new connection whose waits fail the test rather than hang it.
  Client ConnectWaiter() {
    Client waiter = Connect();
    waiter.SetTimeout(std::chrono::seconds(20));
    return waiter;
  }

  static long long ClientId(Client& client) {
    Reply id = client.Command({"CLIENT", "ID"});
    EXPECT_EQ(id.type(), ReplyType::kInteger) << id;
    return id.integer();
  }
};

}  // namespace cairn::test
