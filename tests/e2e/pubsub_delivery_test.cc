// End-to-end tests of pub/sub delivery across workers: per-publisher order, no message lost
// or duplicated while other subscribers come and go, and the `client-output-buffer-limit
// pubsub` limits disconnecting a subscriber that does not read (hard and soft limits).
#include <atomic>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

class PubSubDeliveryTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "3"}; }

  // Subscribes `client` (RESP2 or RESP3) to channel, consuming the confirmation.
  static void Subscribe(Client& client, const std::string& channel) {
    Reply reply = client.Command({"SUBSCRIBE", channel});
    ASSERT_TRUE(reply.is_aggregate() && reply.size() == 3) << reply;
    ASSERT_EQ(reply[0].text(), "subscribe");
  }

  // The payload of a "message" (RESP2 array or RESP3 push) on channel; fails otherwise.
  static std::string NextPayload(Client& client, const std::string& channel) {
    Reply message = client.GetReply();
    bool ok = message.is_aggregate() && message.size() == 3 && message[0].text() == "message" &&
              message[1].text() == channel;
    EXPECT_TRUE(ok) << message;
    return ok ? message[2].text() : "";
  }

  // A subscriber connection that never reads: its output piles up in the server.
  void StartStalledSubscriber(RawConnection* raw, const std::string& channel) {
    ASSERT_TRUE(raw->Connect(server_.port()));
    std::string command =
        "*2\r\n$9\r\nSUBSCRIBE\r\n$" + std::to_string(channel.size()) + "\r\n" + channel + "\r\n";
    ASSERT_TRUE(raw->Send(command));
    Reply confirmation = raw->ReadReply();
    ASSERT_TRUE(confirmation.is_aggregate() && confirmation.size() == 3) << confirmation;
  }
};

// Several publishers on different workers, several subscribers on different workers (RESP2
// and RESP3): each subscriber gets every message exactly once, each publisher's in order.
TEST_F(PubSubDeliveryTest, EachPublishersMessagesArriveInOrder) {
  constexpr int kPublishers = 3;
  constexpr int kSubscribers = 3;
  constexpr int kMessages = 400;
  std::vector<Client> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.push_back(Connect());
    if (i == 0) {
      ASSERT_EQ(subscribers.back().Command({"HELLO", "3"}).type(), ReplyType::kMap);
    }
    ASSERT_NO_FATAL_FAILURE(Subscribe(subscribers.back(), "ordered"));
  }
  std::atomic<int> wrong_counts{0};
  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&, p] {
      Client publisher;
      if (!publisher.Connect(server_.port())) {
        wrong_counts += kMessages;
        return;
      }
      for (int seq = 0; seq < kMessages; ++seq) {
        Reply count = publisher.Command(
            {"PUBLISH", "ordered", std::to_string(p) + ":" + std::to_string(seq)});
        if (count.type() != ReplyType::kInteger || count.integer() != kSubscribers) ++wrong_counts;
      }
    });
  }
  for (std::thread& thread : publishers) thread.join();
  EXPECT_EQ(wrong_counts.load(), 0);
  for (Client& subscriber : subscribers) {
    std::vector<int> next(kPublishers, 0);
    for (int i = 0; i < kPublishers * kMessages; ++i) {
      std::string payload = NextPayload(subscriber, "ordered");
      size_t colon = payload.find(':');
      ASSERT_NE(colon, std::string::npos) << payload;
      int p = std::stoi(payload.substr(0, colon));
      ASSERT_TRUE(p >= 0 && p < kPublishers) << payload;
      ASSERT_EQ(std::stoi(payload.substr(colon + 1)), next[p]) << "publisher " << p;
      ++next[p];
    }
  }
}

// A steady subscriber keeps getting every message while other connections subscribe,
// unsubscribe, connect and disconnect on every worker.
TEST_F(PubSubDeliveryTest, NothingLostOrDuplicatedWhileSubscribersComeAndGo) {
  constexpr int kMessages = 1000;
  Client steady = Connect();
  ASSERT_NO_FATAL_FAILURE(Subscribe(steady, "churn"));
  std::atomic<bool> done{false};
  std::atomic<int> order_violations{0};
  std::atomic<long> churn_cycles{0};
  std::vector<std::thread> churners;
  for (int c = 0; c < 3; ++c) {
    churners.emplace_back([&, c] {
      int last_seen = -1;
      // Reads until the confirmation `verb`, checking the order of messages met on the way.
      auto await = [&](Client& client, const char* verb) {
        for (;;) {
          Reply reply = client.GetReply();
          if (!reply.is_aggregate() || reply.size() < 3) return false;
          if (reply[0].text() == verb) return true;
          int seq = std::stoi(reply[reply.size() - 1].text());
          if (seq <= last_seen) ++order_violations;
          last_seen = seq;
        }
      };
      Client churner;
      if (!churner.Connect(server_.port())) return;
      while (!done.load()) {
        churner.Append({c == 0 ? "PSUBSCRIBE" : "SUBSCRIBE", c == 0 ? "ch*" : "churn"});
        if (!await(churner, c == 0 ? "psubscribe" : "subscribe")) return;
        churner.Append({c == 0 ? "PUNSUBSCRIBE" : "UNSUBSCRIBE"});
        if (!await(churner, c == 0 ? "punsubscribe" : "unsubscribe")) return;
        Client passing;  // a connection that subscribes and goes away
        if (passing.Connect(server_.port())) passing.Command({"SUBSCRIBE", "churn"});
        ++churn_cycles;
      }
    });
  }
  Client publisher = Connect();
  int under_one = 0;
  for (int seq = 0; seq < kMessages; ++seq) {
    Reply count = publisher.Command({"PUBLISH", "churn", std::to_string(seq)});
    if (count.type() != ReplyType::kInteger || count.integer() < 1) ++under_one;
  }
  done = true;
  for (std::thread& thread : churners) thread.join();
  EXPECT_EQ(under_one, 0);
  EXPECT_EQ(order_violations.load(), 0);
  EXPECT_GT(churn_cycles.load(), 0);
  for (int seq = 0; seq < kMessages; ++seq) {
    ASSERT_EQ(NextPayload(steady, "churn"), std::to_string(seq));
  }
  // Nothing extra: the next message is one published after all the others.
  // (A just-closed passing connection may still count as a receiver.)
  EXPECT_GE(IntegerOf(publisher.Command({"PUBLISH", "churn", "last"})), 1);
  EXPECT_EQ(NextPayload(steady, "churn"), "last");
}

// Messages published concurrently with an UNSUBSCRIBE never arrive after its confirmation:
// a RESP2 client back in normal mode gets only ordinary replies.
TEST_F(PubSubDeliveryTest, NoMessageFollowsTheUnsubscribeConfirmation) {
  ASSERT_OK(client_.Command({"SET", "k", "v"}));
  std::atomic<bool> done{false};
  std::thread publisher([&] {
    Client connection;
    if (!connection.Connect(server_.port())) return;
    while (!done.load()) connection.Command({"PUBLISH", "busy", "m"});
  });
  Client subscriber = Connect();
  int messages = 0;
  // Reads until the confirmation `verb`, counting the messages met on the way.
  auto await = [&](const char* verb) {
    for (;;) {
      Reply reply = subscriber.GetReply();
      if (!reply.is_aggregate() || reply.size() != 3) return false;
      if (reply[0].text() == verb) return true;
      ++messages;
    }
  };
  for (int round = 0; round < 200; ++round) {
    subscriber.Append({"SUBSCRIBE", "busy"});
    ASSERT_TRUE(await("subscribe"));
    subscriber.Append({"UNSUBSCRIBE"});
    ASSERT_TRUE(await("unsubscribe"));
    ASSERT_BULK(subscriber.Command({"GET", "k"}), "v") << "round " << round;
  }
  done = true;
  publisher.join();
  std::cout << "messages received between subscribe and unsubscribe: " << messages << "\n";
}

// Redis's default `pubsub 32mb 8mb 60`: a subscriber that never reads is disconnected once
// its pending output passes 32mb; the others keep being served.
TEST_F(PubSubDeliveryTest, StalledSubscriberHitsTheHardLimit) {
  Reply limits = client_.Command({"CONFIG", "GET", "client-output-buffer-limit"});
  ASSERT_EQ(limits.size(), 2u) << limits;
  EXPECT_NE(limits[1].text().find("pubsub 33554432 8388608 60"), std::string::npos) << limits;
  RawConnection stalled;
  ASSERT_NO_FATAL_FAILURE(StartStalledSubscriber(&stalled, "flood"));
  Client healthy = Connect();
  ASSERT_NO_FATAL_FAILURE(Subscribe(healthy, "flood"));
  const std::string payload(256 * 1024, 'x');
  int published = 0;
  long long receivers = 2;
  // 1000 x 256kb is far past the limit plus any socket buffers.
  while (receivers == 2 && published < 1000) {
    receivers = IntegerOf(client_.Command({"PUBLISH", "flood", payload}));
    ++published;
    EXPECT_EQ(NextPayload(healthy, "flood").size(), payload.size());
  }
  EXPECT_EQ(receivers, 1) << "after " << published << " messages";
  EXPECT_GE(InfoNumber(client_, "stats", "client_output_buffer_limit_disconnections"), 1);
  stalled.ReadUntilClosed();
  EXPECT_TRUE(stalled.peer_closed());
  EXPECT_INTEGER(client_.Command({"PUBLISH", "flood", "small"}), 1);
  EXPECT_EQ(NextPayload(healthy, "flood"), "small");
  EXPECT_EQ(ClientList(client_, {"TYPE", "pubsub"}).size(), 1u);
}

// The soft limit: pending output above it for longer than its seconds disconnects; CONFIG SET
// changes the pubsub class without touching normal clients.
TEST_F(PubSubDeliveryTest, StalledSubscriberHitsTheSoftLimit) {
  ASSERT_OK(client_.Command({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 1mb 1"}));
  RawConnection stalled;
  ASSERT_NO_FATAL_FAILURE(StartStalledSubscriber(&stalled, "trickle"));
  const std::string payload(64 * 1024, 'y');
  // Keeps the output above the soft limit until the server gives up on the subscriber.
  EXPECT_TRUE(EventuallyTrue([&] {
    return IntegerOf(client_.Command({"PUBLISH", "trickle", payload})) == 0;
  }));
  stalled.ReadUntilClosed();
  EXPECT_TRUE(stalled.peer_closed());
  EXPECT_GE(InfoNumber(client_, "stats", "client_output_buffer_limit_disconnections"), 1);
  // A normal client is not held to the pubsub limits: a large reply goes through.
  ASSERT_OK(client_.Command({"SET", "big", std::string(4 * 1024 * 1024, 'z')}));
  Reply big = client_.Command({"GET", "big"});
  EXPECT_EQ(big.text().size(), 4u * 1024 * 1024);
}

}  // namespace
}  // namespace cairn::test
