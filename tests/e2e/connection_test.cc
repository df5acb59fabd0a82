// End-to-end tests of the connection group: PING, ECHO, SELECT, HELLO, AUTH (requirepass),
// RESET and QUIT, with Redis 7.0's replies and error texts.
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

constexpr char kWrongPass[] = "WRONGPASS invalid username-password pair or user is disabled.";
constexpr char kNoAuth[] = "NOAUTH Authentication required.";

class ConnectionTest : public ServerTest {};

TEST_F(ConnectionTest, PingRepliesPongOrItsArgument) {
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  EXPECT_STATUS(client_.Command({"ping"}), "PONG");
  EXPECT_BULK(client_.Command({"PING", "hello world"}), "hello world");
  EXPECT_BULK(client_.Command({"PING", ""}), "");
  EXPECT_ERROR(client_.Command({"PING", "a", "b"}),
               "ERR wrong number of arguments for 'ping' command");
}

TEST_F(ConnectionTest, EchoIsBinarySafe) {
  std::string binary("a\0b\r\nc\xff", 7);
  EXPECT_BULK(client_.Command({"ECHO", binary}), binary);
  EXPECT_BULK(client_.Command({"ECHO", ""}), "");
  EXPECT_ERROR(client_.Command({"ECHO"}), "ERR wrong number of arguments for 'echo' command");
  EXPECT_ERROR(client_.Command({"ECHO", "a", "b"}),
               "ERR wrong number of arguments for 'echo' command");
}

TEST_F(ConnectionTest, SelectSwitchesDatabases) {
  ASSERT_OK(client_.Command({"SET", "k", "in-db0"}));
  ASSERT_OK(client_.Command({"SELECT", "15"}));
  EXPECT_NIL(client_.Command({"GET", "k"}));
  ASSERT_OK(client_.Command({"SET", "k", "in-db15"}));
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  EXPECT_BULK(client_.Command({"GET", "k"}), "in-db0");
  // The selection belongs to the connection.
  Client other = Connect();
  EXPECT_BULK(other.Command({"GET", "k"}), "in-db0");
  ASSERT_OK(client_.Command({"SELECT", "15"}));
  EXPECT_BULK(client_.Command({"GET", "k"}), "in-db15");
  EXPECT_BULK(other.Command({"GET", "k"}), "in-db0");
}

TEST_F(ConnectionTest, SelectRejectsBadIndexes) {
  EXPECT_ERROR(client_.Command({"SELECT", "16"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"SELECT", "-1"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"SELECT", "x"}), "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SELECT", "1.5"}), "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SELECT", " 1"}), "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SELECT", "2147483648"}),
               "ERR value is out of range, value must between -2147483648 and 2147483647");
  EXPECT_ERROR(client_.Command({"SELECT", "99999999999999999999"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SELECT"}), "ERR wrong number of arguments for 'select' command");
  EXPECT_ERROR(client_.Command({"SELECT", "1", "2"}),
               "ERR wrong number of arguments for 'select' command");
  // A failed SELECT leaves the selection alone.
  ASSERT_OK(client_.Command({"SET", "still", "db0"}));
  EXPECT_ERROR_PREFIX(client_.Command({"SELECT", "16"}), "ERR");
  EXPECT_BULK(client_.Command({"GET", "still"}), "db0");
}

class SmallDatabaseCountTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--databases", "4"}; }
};

TEST_F(SmallDatabaseCountTest, SelectFollowsTheDatabasesOption) {
  EXPECT_OK(client_.Command({"SELECT", "3"}));
  EXPECT_ERROR(client_.Command({"SELECT", "4"}), "ERR DB index is out of range");
}

TEST_F(ConnectionTest, HelloWithoutArgumentsKeepsResp2) {
  Reply hello = client_.Command({"HELLO"});
  ASSERT_EQ(hello.type(), ReplyType::kArray) << hello;
  ASSERT_EQ(hello.size(), 14u) << hello;
  std::vector<std::string> keys;
  for (size_t i = 0; i < hello.size(); i += 2) keys.push_back(hello[i].text());
  EXPECT_EQ(keys, (std::vector<std::string>{"server", "version", "proto", "id", "mode", "role",
                                            "modules"}));
  EXPECT_BULK(*hello.Find("server"), "redis");
  EXPECT_BULK(*hello.Find("version"), "7.0.15");
  EXPECT_INTEGER(*hello.Find("proto"), 2);
  EXPECT_BULK(*hello.Find("mode"), "standalone");
  EXPECT_BULK(*hello.Find("role"), "master");
  EXPECT_EQ(*hello.Find("modules"), Reply::Array({}));
  Reply id = client_.Command({"CLIENT", "ID"});
  EXPECT_INTEGER(*hello.Find("id"), id.integer());
}

TEST_F(ConnectionTest, Hello3SwitchesToResp3Maps) {
  Reply hello = client_.Command({"HELLO", "3"});
  ASSERT_EQ(hello.type(), ReplyType::kMap) << hello;
  EXPECT_EQ(hello.size(), 14u);  // 7 entries, flattened
  EXPECT_INTEGER(*hello.Find("proto"), 3);
  EXPECT_BULK(*hello.Find("server"), "redis");
  // Replies now use RESP3 types: a map for CONFIG GET, a null for a missing key.
  Reply config = client_.Command({"CONFIG", "GET", "maxclients"});
  EXPECT_EQ(config.type(), ReplyType::kMap) << config;
  Reply missing = client_.Command({"GET", "no-such-key"});
  EXPECT_NIL(missing);
  // HELLO 2 goes back to RESP2 (flat arrays).
  Reply back = client_.Command({"HELLO", "2"});
  ASSERT_EQ(back.type(), ReplyType::kArray) << back;
  EXPECT_INTEGER(*back.Find("proto"), 2);
  EXPECT_EQ(client_.Command({"CONFIG", "GET", "maxclients"}).type(), ReplyType::kArray);
}

TEST_F(ConnectionTest, HelloSetnameNamesTheConnection) {
  Reply hello = client_.Command({"HELLO", "3", "SETNAME", "conn-name"});
  ASSERT_EQ(hello.type(), ReplyType::kMap) << hello;
  EXPECT_BULK(client_.Command({"CLIENT", "GETNAME"}), "conn-name");
  EXPECT_ERROR(client_.Command({"HELLO", "3", "SETNAME", "bad name"}),
               "ERR Client names cannot contain spaces, newlines or special characters.");
  EXPECT_BULK(client_.Command({"CLIENT", "GETNAME"}), "conn-name");
}

TEST_F(ConnectionTest, HelloRejectsBadVersionsAndOptions) {
  EXPECT_ERROR(client_.Command({"HELLO", "1"}), "NOPROTO unsupported protocol version");
  EXPECT_ERROR(client_.Command({"HELLO", "4"}), "NOPROTO unsupported protocol version");
  EXPECT_ERROR(client_.Command({"HELLO", "x"}),
               "ERR Protocol version is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"HELLO", "3", "foo"}), "ERR Syntax error in HELLO option 'foo'");
  EXPECT_ERROR(client_.Command({"HELLO", "3", "auth", "default"}),
               "ERR Syntax error in HELLO option 'auth'");
  EXPECT_ERROR(client_.Command({"HELLO", "3", "SETNAME"}),
               "ERR Syntax error in HELLO option 'SETNAME'");
  // A failed HELLO leaves the protocol as it was.
  EXPECT_EQ(client_.Command({"CONFIG", "GET", "maxclients"}).type(), ReplyType::kArray);
}

TEST_F(ConnectionTest, AuthWithoutRequirepassIsAnError) {
  EXPECT_ERROR(client_.Command({"AUTH", "anything"}),
               "ERR AUTH <password> called without any password configured for the default "
               "user. Are you sure your configuration is correct?");
  // The two-argument form checks the user: default has no password, anything goes.
  EXPECT_OK(client_.Command({"AUTH", "default", "anything"}));
  EXPECT_ERROR(client_.Command({"AUTH", "nobody", "anything"}), kWrongPass);
  EXPECT_ERROR(client_.Command({"AUTH", "a", "b", "c"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"AUTH"}), "ERR wrong number of arguments for 'auth' command");
}

TEST_F(ConnectionTest, QuitRepliesOkThenCloses) {
  EXPECT_OK(client_.Command({"QUIT"}));
  Reply after = client_.Command({"PING"});
  EXPECT_TRUE(after.is_io_error()) << after;
  // Commands pipelined after QUIT are not run.
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  ASSERT_TRUE(raw.Send("SET after-quit 1\r\nQUIT\r\nSET after-quit 2\r\n"));
  EXPECT_EQ(raw.ReadUntilClosed(), "+OK\r\n+OK\r\n");
  EXPECT_TRUE(raw.peer_closed());
  Client check = Connect();
  EXPECT_BULK(check.Command({"GET", "after-quit"}), "1");
}

TEST_F(ConnectionTest, ResetRestoresTheConnectionDefaults) {
  ASSERT_EQ(client_.Command({"HELLO", "3", "SETNAME", "before-reset"}).type(), ReplyType::kMap);
  ASSERT_OK(client_.Command({"SELECT", "5"}));
  ASSERT_OK(client_.Command({"CLIENT", "NO-EVICT", "ON"}));
  Reply id = client_.Command({"CLIENT", "ID"});
  EXPECT_STATUS(client_.Command({"RESET"}), "RESET");
  EXPECT_NIL(client_.Command({"CLIENT", "GETNAME"}));
  EXPECT_EQ(client_.Command({"CONFIG", "GET", "maxclients"}).type(), ReplyType::kArray);
  std::map<std::string, std::string> info =
      ClientFields(client_.Command({"CLIENT", "INFO"}).text());
  EXPECT_EQ(info["db"], "0");
  EXPECT_EQ(info["flags"], "e");  // Redis 7.0's RESET keeps CLIENT NO-EVICT
  EXPECT_EQ(info["resp"], "2");
  EXPECT_EQ(info["name"], "");
  // RESET keeps the connection: same client id.
  EXPECT_INTEGER(client_.Command({"CLIENT", "ID"}), id.integer());
  EXPECT_ERROR(client_.Command({"RESET", "x"}),
               "ERR wrong number of arguments for 'reset' command");
}

TEST_F(ConnectionTest, ResetTurnsRepliesBackOn) {
  client_.Append({"CLIENT", "REPLY", "OFF"});
  client_.Append({"RESET"});
  EXPECT_STATUS(client_.GetReply(), "RESET");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

class RequirePassTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--requirepass", "s3cret"}; }
};

TEST_F(RequirePassTest, CommandsNeedAuthentication) {
  EXPECT_ERROR(client_.Command({"PING"}), kNoAuth);
  EXPECT_ERROR(client_.Command({"GET", "k"}), kNoAuth);
  EXPECT_ERROR(client_.Command({"SET", "k", "v"}), kNoAuth);
  // Arity is checked before authentication, like Redis.
  EXPECT_ERROR(client_.Command({"GET"}), "ERR wrong number of arguments for 'get' command");
  EXPECT_ERROR(client_.Command({"AUTH", "wrong"}), kWrongPass);
  EXPECT_ERROR(client_.Command({"AUTH", "default", "wrong"}), kWrongPass);
  EXPECT_ERROR(client_.Command({"AUTH", "nobody", "s3cret"}), kWrongPass);
  EXPECT_ERROR(client_.Command({"PING"}), kNoAuth);
  EXPECT_OK(client_.Command({"AUTH", "s3cret"}));
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  EXPECT_OK(client_.Command({"SET", "k", "v"}));

  Client other = Connect();
  EXPECT_ERROR(other.Command({"GET", "k"}), kNoAuth);
  EXPECT_OK(other.Command({"AUTH", "default", "s3cret"}));
  EXPECT_BULK(other.Command({"GET", "k"}), "v");
  // A wrong password later does not log an authenticated client out.
  EXPECT_ERROR(other.Command({"AUTH", "wrong"}), kWrongPass);
  EXPECT_BULK(other.Command({"GET", "k"}), "v");
}

TEST_F(RequirePassTest, HelloAuthenticates) {
  EXPECT_ERROR(client_.Command({"HELLO", "3"}),
               "NOAUTH HELLO must be called with the client already authenticated, otherwise "
               "the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
               "select the RESP protocol version at the same time");
  EXPECT_ERROR(client_.Command({"HELLO", "2", "AUTH", "default", "wrong"}), kWrongPass);
  EXPECT_ERROR(client_.Command({"PING"}), kNoAuth);
  Reply hello = client_.Command({"HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "named"});
  ASSERT_EQ(hello.type(), ReplyType::kMap) << hello;
  EXPECT_INTEGER(*hello.Find("proto"), 3);
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  EXPECT_BULK(client_.Command({"CLIENT", "GETNAME"}), "named");
}

TEST_F(RequirePassTest, ResetLogsOut) {
  ASSERT_OK(client_.Command({"AUTH", "s3cret"}));
  EXPECT_STATUS(client_.Command({"RESET"}), "RESET");
  EXPECT_ERROR(client_.Command({"PING"}), kNoAuth);
}

TEST_F(RequirePassTest, QuitWorksWithoutAuthentication) {
  EXPECT_OK(client_.Command({"QUIT"}));
  EXPECT_TRUE(client_.Command({"PING"}).is_io_error());
}

TEST_F(RequirePassTest, PasswordChangesAtRuntime) {
  ASSERT_OK(client_.Command({"AUTH", "s3cret"}));
  ASSERT_OK(client_.Command({"CONFIG", "SET", "requirepass", "other"}));
  // Existing connections stay authenticated; new ones need the new password.
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  Client fresh = Connect();
  EXPECT_ERROR(fresh.Command({"AUTH", "s3cret"}), kWrongPass);
  EXPECT_OK(fresh.Command({"AUTH", "other"}));
  ASSERT_OK(client_.Command({"CONFIG", "SET", "requirepass", ""}));
  Client open = Connect();
  EXPECT_STATUS(open.Command({"PING"}), "PONG");
}

}  // namespace
}  // namespace cairn::test
