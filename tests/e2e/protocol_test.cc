// End-to-end tests of the wire protocol: inline commands, deep pipelining, binary-safe
// values, malformed RESP (error, then the connection closes), bulk and multibulk lengths
// refused without allocating, and the tighter limits for unauthenticated clients.
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

class ProtocolTest : public ServerTest {
 protected:
  // Sends bytes on a fresh connection and returns everything the server sent back before
  // closing it; a connection the server keeps open fails the test.
  std::string SendAndReadUntilClosed(const std::string& bytes) {
    RawConnection raw;
    EXPECT_TRUE(raw.Connect(server_.port()));
    EXPECT_TRUE(raw.Send(bytes));
    std::string reply = raw.ReadUntilClosed();
    EXPECT_TRUE(raw.peer_closed()) << "still open after " << Reply::String(bytes);
    return reply;
  }

  // The server still serves other clients.
  void ExpectServing() {
    Client other = Connect();
    EXPECT_STATUS(other.Command({"PING"}), "PONG");
  }

  long long ResidentBytes() { return InfoNumber(client_, "memory", "used_memory_rss"); }
};

TEST_F(ProtocolTest, InlineCommands) {
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  ASSERT_TRUE(raw.Send("PING\r\n"));
  EXPECT_EQ(raw.ReadLine(), "+PONG");
  ASSERT_TRUE(raw.Send("SET greeting \"hello world\"\r\nGET greeting\r\n"));
  EXPECT_EQ(raw.ReadLine(), "+OK");
  EXPECT_EQ(raw.ReadLines(2), "$11\r\nhello world\r\n");
  // A bare LF ends a line too; empty lines are skipped; escapes work inside double quotes.
  ASSERT_TRUE(raw.Send("\r\n\r\nPING\n"));
  EXPECT_EQ(raw.ReadLine(), "+PONG");
  ASSERT_TRUE(raw.Send("ECHO \"a\\x41\\tb\" 'single'\r\n"));
  EXPECT_EQ(raw.ReadLine(), "-ERR wrong number of arguments for 'echo' command");
  ASSERT_TRUE(raw.Send("ECHO \"a\\x41\\tb\"\r\n"));
  EXPECT_EQ(raw.ReadLines(2), "$4\r\naA\tb\r\n");
  // Empty multibulks are skipped like empty lines.
  ASSERT_TRUE(raw.Send("*0\r\n*-1\r\nPING\r\n"));
  EXPECT_EQ(raw.ReadLine(), "+PONG");
}

TEST_F(ProtocolTest, InlineErrorsCloseTheConnection) {
  EXPECT_EQ(SendAndReadUntilClosed("SET k \"abc\r\n"),
            "-ERR Protocol error: unbalanced quotes in request\r\n");
  EXPECT_EQ(SendAndReadUntilClosed(std::string(70000, 'x')),
            "-ERR Protocol error: too big inline request\r\n");
  ExpectServing();
}

TEST_F(ProtocolTest, MalformedMultibulkClosesTheConnection) {
  EXPECT_EQ(SendAndReadUntilClosed("*1\r\n$x\r\n"), "-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_EQ(SendAndReadUntilClosed("*2\r\n$3\r\nfoo\r\n+x\r\n"),
            "-ERR Protocol error: expected '$', got '+'\r\n");
  EXPECT_EQ(SendAndReadUntilClosed("*abc\r\n"),
            "-ERR Protocol error: invalid multibulk length\r\n");
  EXPECT_EQ(SendAndReadUntilClosed("*1\r\n$-1\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_EQ(SendAndReadUntilClosed("*1\r\n$01\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
  // Commands before the bad one are answered first.
  EXPECT_EQ(SendAndReadUntilClosed("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n"),
            "+PONG\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
  ExpectServing();
}

TEST_F(ProtocolTest, OverlongLengthsAreRefusedWithoutAllocating) {
  long long rss_before = ResidentBytes();
  // Lengths over the limits are refused at once.
  EXPECT_EQ(SendAndReadUntilClosed("*1\r\n$536870913\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_EQ(SendAndReadUntilClosed("*2147483648\r\n"),
            "-ERR Protocol error: invalid multibulk length\r\n");
  // Lengths within the limits cost nothing until the bytes arrive: the server keeps these
  // connections open, waiting, without reserving what they claim.
  std::vector<RawConnection> claimers(4);
  for (RawConnection& claimer : claimers) {
    ASSERT_TRUE(claimer.Connect(server_.port()));
    ASSERT_TRUE(claimer.Send("*2147483647\r\n$536870912\r\nabc"));
  }
  ExpectServing();
  EXPECT_LT(ResidentBytes() - rss_before, 256LL << 20);
  // A smaller proto-max-bulk-len applies to new requests.
  ASSERT_OK(client_.Command({"CONFIG", "SET", "proto-max-bulk-len", "1mb"}));
  EXPECT_EQ(SendAndReadUntilClosed("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
  RawConnection fits;
  ASSERT_TRUE(fits.Connect(server_.port()));
  ASSERT_TRUE(
      fits.Send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n" + std::string(1048576, 'v') + "\r\n"));
  EXPECT_EQ(fits.ReadLine(), "+OK");
  EXPECT_INTEGER(client_.Command({"STRLEN", "k"}), 1048576);
}

TEST_F(ProtocolTest, PipelineOfOneHundredThousandCommands) {
  constexpr int kCommands = 100000;
  for (int i = 0; i < kCommands; ++i) {
    if (i % 2 == 0) {
      client_.Append({"SET", "pipe:" + std::to_string(i), "value:" + std::to_string(i)});
    } else {
      client_.Append({"INCR", "pipe:counter"});
    }
  }
  int wrong = 0;
  for (int i = 0; i < kCommands; ++i) {
    Reply reply = client_.GetReply();
    bool right = i % 2 == 0 ? IsOk(reply) : IsInteger(reply, (i + 1) / 2);
    if (!right && ++wrong <= 5) ADD_FAILURE() << "reply " << i << ": " << reply;
    if (reply.is_io_error()) break;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), kCommands / 2 + 1);
  EXPECT_BULK(client_.Command({"GET", "pipe:0"}), "value:0");
  EXPECT_BULK(client_.Command({"GET", "pipe:99998"}), "value:99998");
  EXPECT_BULK(client_.Command({"GET", "pipe:counter"}), std::to_string(kCommands / 2));
}

TEST_F(ProtocolTest, PipelinedRepliesFollowTheRequestOrderOfMixedCommands) {
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  std::string batch;
  for (int i = 0; i < 1000; ++i) {
    batch += "*2\r\n$4\r\nECHO\r\n$" + std::to_string(std::to_string(i).size()) + "\r\n" +
             std::to_string(i) + "\r\n";
    batch += "PING\r\n";  // inline and multibulk requests mixed in one stream
  }
  ASSERT_TRUE(raw.Send(batch));
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(raw.ReadReply(), Reply::String(std::to_string(i))) << i;
    ASSERT_EQ(raw.ReadReply(), Reply::Status("PONG")) << i;
  }
}

// The worker looks ahead in a pipeline to prefetch the next commands' keys: a pipeline that
// switches databases, rewrites and deletes the keys it reads, carries a command too long to
// look into, an inline command and finally bad bytes is still answered exactly in order.
TEST_F(ProtocolTest, PipelineLookAheadKeepsEveryReplyRight) {
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  auto multibulk = [](const std::vector<std::string>& args) {
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (const std::string& arg : args) {
      out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
    }
    return out;
  };
  std::vector<std::string> mset = {"MSET"};
  for (int i = 0; i < 40; i++) {
    mset.push_back("wide:" + std::to_string(i));
    mset.push_back(std::to_string(i));
  }
  std::string batch;
  for (int db : {0, 3, 0}) {
    batch += multibulk({"SELECT", std::to_string(db)});
    batch += multibulk({"SET", "k", "in " + std::to_string(db)});
    batch += multibulk({"GET", "k"});
  }
  batch += multibulk({"DEL", "k"}) + multibulk({"GET", "k"}) + multibulk({"SET", "k", "back"});
  batch += multibulk(mset) + multibulk({"GET", "wide:39"}) + "GET k\r\n";
  batch += multibulk({"SELECT", "3"}) + multibulk({"GET", "k"});
  batch += "*2\r\n$3\r\nGET\r\n$x\r\n";
  ASSERT_TRUE(raw.Send(batch));
  for (int db : {0, 3, 0}) {
    EXPECT_EQ(raw.ReadReply(), Reply::Status("OK"));
    EXPECT_EQ(raw.ReadReply(), Reply::Status("OK"));
    EXPECT_EQ(raw.ReadReply(), Reply::String("in " + std::to_string(db)));
  }
  EXPECT_EQ(raw.ReadReply(), Reply::Integer(1));
  EXPECT_EQ(raw.ReadReply(), Reply::Nil());
  EXPECT_EQ(raw.ReadReply(), Reply::Status("OK"));
  EXPECT_EQ(raw.ReadReply(), Reply::Status("OK"));
  EXPECT_EQ(raw.ReadReply(), Reply::String("39"));
  EXPECT_EQ(raw.ReadReply(), Reply::String("back"));
  EXPECT_EQ(raw.ReadReply(), Reply::Status("OK"));
  EXPECT_EQ(raw.ReadReply(), Reply::String("in 3"));
  EXPECT_EQ(raw.ReadUntilClosed(), "-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_TRUE(raw.peer_closed());
  ExpectServing();
}

TEST_F(ProtocolTest, ValuesAndKeysAreBinarySafe) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  std::string binary_key = std::string("key\0with\r\nnul", 13);
  ASSERT_OK(client_.Command({"SET", binary_key, every_byte}));
  EXPECT_BULK(client_.Command({"GET", binary_key}), every_byte);
  EXPECT_NIL(client_.Command({"GET", "key"}));
  EXPECT_INTEGER(client_.Command({"STRLEN", binary_key}), 256);
  std::string large(3 * 1024 * 1024 + 7, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>((i * 131) % 251);
  ASSERT_OK(client_.Command({"SET", "large", large}));
  EXPECT_BULK(client_.Command({"GET", "large"}), large);
  ASSERT_OK(client_.Command({"SET", "empty", ""}));
  EXPECT_BULK(client_.Command({"GET", "empty"}), "");
  // The values survive a restart byte for byte.
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(client_.Command({"GET", binary_key}), every_byte);
  EXPECT_BULK(client_.Command({"GET", "large"}), large);
}

class UnauthenticatedProtocolTest : public ProtocolTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--requirepass", "pw"}; }
};

TEST_F(UnauthenticatedProtocolTest, SmallRequestsOnlyUntilAuthenticated) {
  EXPECT_EQ(SendAndReadUntilClosed("*11\r\n"),
            "-ERR Protocol error: unauthenticated multibulk length\r\n");
  EXPECT_EQ(SendAndReadUntilClosed("*1\r\n$16385\r\n"),
            "-ERR Protocol error: unauthenticated bulk length\r\n");
  // At the limits the request is read (and refused for want of authentication).
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  std::string ten = "*10\r\n$4\r\nMGET\r\n";
  for (int i = 0; i < 9; ++i) ten += "$1\r\nx\r\n";
  ASSERT_TRUE(raw.Send(ten));
  EXPECT_EQ(raw.ReadLine(), "-NOAUTH Authentication required.");
  ASSERT_TRUE(raw.Send("*2\r\n$4\r\nECHO\r\n$16384\r\n" + std::string(16384, 'y') + "\r\n"));
  EXPECT_EQ(raw.ReadLine(), "-NOAUTH Authentication required.");
  // Once authenticated, the same connection may send large requests.
  ASSERT_TRUE(raw.Send("AUTH pw\r\n"));
  EXPECT_EQ(raw.ReadLine(), "+OK");
  std::string big(100000, 'z');
  ASSERT_TRUE(raw.Send("*2\r\n$4\r\nECHO\r\n$100000\r\n" + big + "\r\n"));
  EXPECT_EQ(raw.ReadReply(), Reply::String(big));
  std::string many = "*12\r\n$4\r\nMSET\r\n";
  for (int i = 0; i < 11; ++i) many += "$1\r\n" + std::to_string(i % 10) + "\r\n";
  ASSERT_TRUE(raw.Send(many));
  EXPECT_EQ(raw.ReadLine(), "-ERR wrong number of arguments for 'mset' command");
}

}  // namespace
}  // namespace cairn::test
