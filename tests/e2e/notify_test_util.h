// The fixture of the keyspace notification e2e tests (tests/e2e/notify_*_test.cc): a server
// with two workers, client_ issuing commands and a second connection subscribed to every
// keyspace and keyevent channel. After a batch of commands client_ publishes a sentinel; as a
// publisher's messages reach each subscriber in publish order, everything received before the
// sentinel is exactly what the commands emitted — no waiting on time.
#pragma once

#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

inline constexpr char kSentinelChannel[] = "notify-test-sentinel";

// Both messages of one event in one db, as Redis sends them with K and E on:
// "__keyspace@<db>__:<key> <event>" then "__keyevent@<db>__:<event> <key>".
inline std::vector<std::string> Both(const std::string& event, const std::string& key, int db = 0) {
  std::string at = "@" + std::to_string(db) + "__:";
  return {"__keyspace" + at + key + " " + event, "__keyevent" + at + event + " " + key};
}

// Concatenates event lists: Events({Both("new", "a"), Both("set", "a")}).
inline std::vector<std::string> Events(const std::vector<std::vector<std::string>>& parts) {
  std::vector<std::string> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

class NotifyTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "2"}; }

  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    subscriber_ = Connect();
    ASSERT_NO_FATAL_FAILURE(Subscribe(subscriber_));
  }

  // PSUBSCRIBE to every keyspace/keyevent channel and to the sentinel.
  static void Subscribe(Client& client) {
    client.Append({"PSUBSCRIBE", "__key*__:*", kSentinelChannel});
    for (int i = 1; i <= 2; ++i) {
      Reply confirmation = client.GetReply();
      ASSERT_TRUE(confirmation.size() == 3 && confirmation[0].text() == "psubscribe")
          << confirmation;
      ASSERT_EQ(confirmation[2].integer(), i) << confirmation;
    }
  }

  void SetFlags(const std::string& flags) {
    ASSERT_OK(client_.Command({"CONFIG", "SET", "notify-keyspace-events", flags}));
  }

  // One received pub/sub message as "<channel> <message>", or the reply's rendering when it
  // is not a pmessage (a failure shows it).
  static std::string NextMessage(Client& subscriber) {
    Reply message = subscriber.GetReply();
    bool is_pmessage = message.size() == 4 && message[0].text() == "pmessage";
    if (!is_pmessage) return "unexpected: " + message.ToString();
    return message[2].text() + " " + message[3].text();
  }

  // Runs the commands on `client` (their replies are not checked here), then publishes the
  // sentinel and returns every event `subscriber` received before it.
  static std::vector<std::string> EventsOf(Client& client, Client& subscriber,
                                           const std::vector<std::vector<std::string>>& commands) {
    for (const auto& command : commands) {
      Reply reply = client.Command(command);
      EXPECT_FALSE(reply.is_io_error()) << reply;
    }
    Reply receivers = client.Command({"PUBLISH", kSentinelChannel, "end"});
    EXPECT_TRUE(receivers.type() == ReplyType::kInteger && receivers.integer() >= 1) << receivers;
    std::vector<std::string> events;
    const std::string sentinel = std::string(kSentinelChannel) + " end";
    for (std::string message = NextMessage(subscriber); message != sentinel;
         message = NextMessage(subscriber)) {
      events.push_back(message);
      if (message.starts_with("unexpected: ")) break;
    }
    return events;
  }

  std::vector<std::string> EventsOf(const std::vector<std::vector<std::string>>& commands) {
    return EventsOf(client_, subscriber_, commands);
  }

  // Reads messages until `expected` arrives (the client's timeout bounds the wait); returns
  // false, with the messages seen, if the connection ends first. For events that do not
  // come from a command (active expiry).
  static ::testing::AssertionResult AwaitMessage(Client& subscriber, const std::string& expected) {
    std::vector<std::string> seen;
    for (;;) {
      std::string message = NextMessage(subscriber);
      if (message == expected) return ::testing::AssertionSuccess();
      seen.push_back(message);
      if (message.starts_with("unexpected: ")) break;
    }
    auto failure = ::testing::AssertionFailure() << "no \"" << expected << "\"; got:";
    for (const auto& message : seen) failure << " [" << message << "]";
    return failure;
  }

  Client subscriber_;
};

}  // namespace cairn::test
