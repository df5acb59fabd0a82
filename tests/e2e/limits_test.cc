// End-to-end tests of the limits that protect the server: client-query-buffer-limit,
// maxclients, client-output-buffer-limit for normal clients, the backpressure on clients that
// do not read their replies, and the idle timeout. Each time the offending client goes and
// the others keep working.
#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

class LimitsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    // The harness's readiness probe may still be connected; counts below assume it is gone.
    ASSERT_TRUE(EventuallyTrue([&] { return ConnectedClients(client_) == 1; }));
  }

  long long Stat(const std::string& name) { return InfoNumber(client_, "stats", name); }
};

TEST_F(LimitsTest, QueryBufferLimitClosesAFloodingClient) {
  ASSERT_OK(client_.Command({"CONFIG", "SET", "client-query-buffer-limit", "1mb"}));
  RawConnection flooder;
  ASSERT_TRUE(flooder.Connect(server_.port()));
  // One argument announced at 100 MB (within proto-max-bulk-len), sent in 64 KB pieces.
  ASSERT_TRUE(flooder.Send("*2\r\n$4\r\nECHO\r\n$100000000\r\n"));
  std::string piece(64 * 1024, 'q');
  for (int i = 0; i < 64 && flooder.Send(piece); ++i) {
  }
  EXPECT_EQ(flooder.ReadUntilClosed(), "");
  EXPECT_TRUE(flooder.peer_closed());
  EXPECT_EQ(Stat("client_query_buffer_limit_disconnections"), 1);
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  // Below the limit a large argument is fine.
  std::string value(900 * 1024, 'v');
  EXPECT_BULK(client_.Command({"ECHO", value}), value);
}

class QueryBufferStartOptionTest : public LimitsTest {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--client-query-buffer-limit", "1mb"};
  }
};

TEST_F(QueryBufferStartOptionTest, LimitFromTheCommandLine) {
  EXPECT_EQ(client_.Command({"CONFIG", "GET", "client-query-buffer-limit"})[1].text(), "1048576");
  RawConnection flooder;
  ASSERT_TRUE(flooder.Connect(server_.port()));
  // An inline-looking flood never ends its line: refused at 64 KB already.
  std::string line(2 * 1024 * 1024, 'i');
  flooder.Send(line);
  flooder.ReadUntilClosed();
  EXPECT_TRUE(flooder.peer_closed());
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

class MaxClientsTest : public LimitsTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--maxclients", "2"}; }
};

TEST_F(MaxClientsTest, ThirdConnectionIsTurnedAway) {
  Client second = Connect();
  ASSERT_TRUE(IsStatus(second.Command({"PING"}), "PONG"));
  RawConnection third;
  ASSERT_TRUE(third.Connect(server_.port()));
  EXPECT_EQ(third.ReadUntilClosed(), "-ERR max number of clients reached\r\n");
  EXPECT_TRUE(third.peer_closed());
  EXPECT_GE(Stat("rejected_connections"), 1);
  EXPECT_STATUS(second.Command({"PING"}), "PONG");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  // Once a client leaves, a new one gets in.
  second.Close();
  ASSERT_TRUE(EventuallyTrue([&] { return ConnectedClients(client_) == 1; }));
  Client fourth = Connect();
  EXPECT_STATUS(fourth.Command({"PING"}), "PONG");
  // CONFIG SET maxclients applies to new connections.
  ASSERT_OK(client_.Command({"CONFIG", "SET", "maxclients", "3"}));
  Client fifth = Connect();
  EXPECT_STATUS(fifth.Command({"PING"}), "PONG");
}

TEST_F(LimitsTest, OutputBufferHardLimitDisconnectsAClientThatDoesNotRead) {
  ASSERT_OK(client_.Command({"SET", "big", std::string(1024 * 1024, 'b')}));
  ASSERT_OK(client_.Command({"CONFIG", "SET", "client-output-buffer-limit", "normal 2mb 0 0"}));
  RawConnection reader;
  ASSERT_TRUE(reader.Connect(server_.port()));
  ASSERT_TRUE(reader.Send("CLIENT SETNAME never-reads\r\n"));
  std::string requests;
  for (int i = 0; i < 100; ++i) requests += "GET big\r\n";
  ASSERT_TRUE(reader.Send(requests));
  // The server gives up on it without the test reading a byte. (Waiting for the client to
  // vanish from CLIENT LIST alone could pass before its SETNAME ran.)
  ASSERT_TRUE(
      EventuallyTrue([&] { return Stat("client_output_buffer_limit_disconnections") == 1; }));
  for (const auto& client : ClientList(client_)) EXPECT_NE(client.at("name"), "never-reads");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  // The client got some of its replies, then the connection ended.
  std::string received = reader.ReadUntilClosed();
  EXPECT_TRUE(reader.peer_closed());
  EXPECT_LT(received.size(), 100u * 1024 * 1024);
}

TEST_F(LimitsTest, ClientThatDoesNotReadIsHeldBackNotBuffered) {
  // No output limit for normal clients (the default): the server stops reading from a
  // client whose replies pile up, so its memory stays bounded, and every reply arrives
  // once the client reads.
  std::string value(1024 * 1024, 'x');
  ASSERT_OK(client_.Command({"SET", "big", value}));
  long long rss_before = InfoNumber(client_, "memory", "used_memory_rss");
  std::string my_id = std::to_string(client_.Command({"CLIENT", "ID"}).integer());
  RawConnection lazy;
  ASSERT_TRUE(lazy.Connect(server_.port()));
  std::string requests;
  constexpr int kRequests = 100;
  for (int i = 0; i < kRequests; ++i) requests += "GET big\r\n";
  ASSERT_TRUE(lazy.Send(requests));
  // Wait until the server holds the client back: requests unread, replies unsent.
  ASSERT_TRUE(EventuallyTrue([&] {
    for (const auto& client : ClientList(client_)) {
      if (client.at("id") != my_id && client.at("qbuf") != "0" && client.at("omem") != "0") {
        return true;
      }
    }
    return false;
  }));
  EXPECT_LT(InfoNumber(client_, "memory", "used_memory_rss") - rss_before, 150LL << 20);
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  for (int i = 0; i < kRequests; ++i) {
    Reply reply = lazy.ReadReply();
    ASSERT_EQ(reply.type(), ReplyType::kString) << i << ": " << reply.ToString().substr(0, 100);
    ASSERT_EQ(reply.text().size(), value.size()) << i;
  }
}

class IdleTimeoutTest : public LimitsTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--timeout", "1"}; }
};

TEST_F(IdleTimeoutTest, IdleClientIsClosed) {
  RawConnection idle;
  ASSERT_TRUE(idle.Connect(server_.port()));
  ASSERT_TRUE(idle.Send("PING\r\n"));
  EXPECT_EQ(idle.ReadLine(), "+PONG");
  // The server closes it after a second of silence; the wait only bounds the test.
  EXPECT_EQ(idle.ReadUntilClosed(std::chrono::seconds(60)), "");
  EXPECT_TRUE(idle.peer_closed());
  Client fresh = Connect();
  EXPECT_STATUS(fresh.Command({"PING"}), "PONG");
}

}  // namespace
}  // namespace cairn::test
