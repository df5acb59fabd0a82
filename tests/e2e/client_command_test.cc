// End-to-end tests of CLIENT: ID, INFO, LIST, KILL (filters and the old form), SETNAME,
// GETNAME, PAUSE/UNPAUSE, REPLY, UNBLOCK, NO-EVICT and HELP, with Redis 7.0's error texts.
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

constexpr char kBadName[] =
    "ERR Client names cannot contain spaces, newlines or special characters.";

class ClientCommandTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    // The harness's readiness probe may still be connected; counts below assume it is gone.
    ASSERT_TRUE(EventuallyTrue([&] { return ConnectedClients(client_) == 1; }));
  }

  // A new connection the server has registered (accepting is asynchronous).
  Client ConnectRegistered() {
    Client client = Connect();
    EXPECT_STATUS(client.Command({"PING"}), "PONG");
    return client;
  }

  std::map<std::string, std::string> InfoOf(Client& client) {
    Reply info = client.Command({"CLIENT", "INFO"});
    EXPECT_TRUE(info.type() == ReplyType::kString || info.type() == ReplyType::kVerbatim) << info;
    return ClientFields(info.text());
  }

  // True once `client`'s connection has been closed by the server.
  static bool ClosedByServer(Client& client) {
    return EventuallyTrue([&] { return client.Command({"PING"}).is_io_error(); });
  }
};

TEST_F(ClientCommandTest, IdIsUniquePerConnection) {
  Reply first = client_.Command({"CLIENT", "ID"});
  ASSERT_EQ(first.type(), ReplyType::kInteger) << first;
  EXPECT_GT(first.integer(), 0);
  EXPECT_INTEGER(client_.Command({"CLIENT", "ID"}), first.integer());
  Client other = Connect();
  Reply second = other.Command({"CLIENT", "ID"});
  ASSERT_EQ(second.type(), ReplyType::kInteger) << second;
  EXPECT_GT(second.integer(), first.integer());
  EXPECT_ERROR(client_.Command({"CLIENT", "ID", "x"}),
               "ERR wrong number of arguments for 'client|id' command");
}

TEST_F(ClientCommandTest, InfoDescribesThisConnection) {
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  std::map<std::string, std::string> info = InfoOf(client_);
  EXPECT_EQ(info["id"], std::to_string(client_.Command({"CLIENT", "ID"}).integer()));
  EXPECT_EQ(info["addr"].rfind("127.0.0.1:", 0), 0u) << info["addr"];
  EXPECT_EQ(info["laddr"], "127.0.0.1:" + std::to_string(server_.port()));
  EXPECT_EQ(info["db"], "3");
  EXPECT_EQ(info["name"], "");
  EXPECT_EQ(info["flags"], "N");
  EXPECT_EQ(info["cmd"], "client|info");
  EXPECT_EQ(info["user"], "default");
  EXPECT_EQ(info["resp"], "2");
  for (const char* field : {"fd", "age", "idle", "sub", "psub", "multi", "qbuf", "obl", "omem",
                            "tot-mem", "events", "redir"}) {
    EXPECT_EQ(info.count(field), 1u) << field;
  }
  // RESP3 sends the text as a verbatim string.
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply verbatim = client_.Command({"CLIENT", "INFO"});
  EXPECT_EQ(verbatim.type(), ReplyType::kVerbatim) << verbatim;
  EXPECT_EQ(verbatim.format(), "txt");
  EXPECT_EQ(ClientFields(verbatim.text())["resp"], "3");
}

TEST_F(ClientCommandTest, ListShowsEveryConnection) {
  Client other = Connect();
  ASSERT_OK(other.Command({"CLIENT", "SETNAME", "the-other"}));
  std::string my_id = InfoOf(client_)["id"];
  std::string other_id = InfoOf(other)["id"];
  std::vector<std::map<std::string, std::string>> all = ClientList(client_);
  ASSERT_EQ(all.size(), 2u);
  std::map<std::string, std::map<std::string, std::string>> by_id;
  for (const auto& fields : all) by_id[fields.at("id")] = fields;
  ASSERT_EQ(by_id.count(my_id), 1u);
  ASSERT_EQ(by_id.count(other_id), 1u);
  EXPECT_EQ(by_id[my_id]["cmd"], "client|list");
  EXPECT_EQ(by_id[other_id]["name"], "the-other");
  EXPECT_EQ(by_id[other_id]["cmd"], "client|info");
}

TEST_F(ClientCommandTest, ListFiltersByTypeAndId) {
  Client other = Connect();
  Client third = Connect();
  std::string other_id = InfoOf(other)["id"];
  std::string third_id = InfoOf(third)["id"];
  EXPECT_EQ(ClientList(client_, {"TYPE", "normal"}).size(), 3u);
  EXPECT_EQ(ClientList(client_, {"type", "NORMAL"}).size(), 3u);
  for (const char* type : {"pubsub", "master", "replica", "slave"}) {
    EXPECT_EQ(ClientList(client_, {"TYPE", type}).size(), 0u) << type;
  }
  std::vector<std::map<std::string, std::string>> picked =
      ClientList(client_, {"ID", other_id, third_id, "999999"});
  ASSERT_EQ(picked.size(), 2u);
  EXPECT_NE(picked[0]["id"], picked[1]["id"]);
  for (const auto& fields : picked) {
    EXPECT_TRUE(fields.at("id") == other_id || fields.at("id") == third_id) << fields.at("id");
  }
  // Ids that cannot belong to a client are accepted and match nothing, as in Redis.
  EXPECT_EQ(ClientList(client_, {"ID", "0", "-5"}).size(), 0u);
}

TEST_F(ClientCommandTest, ListRejectsBadFilters) {
  EXPECT_ERROR(client_.Command({"CLIENT", "LIST", "TYPE", "foo"}), "ERR Unknown client type 'foo'");
  EXPECT_ERROR(client_.Command({"CLIENT", "LIST", "ID", "1", "x"}), "ERR Invalid client ID");
  EXPECT_ERROR(client_.Command({"CLIENT", "LIST", "ID"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CLIENT", "LIST", "foo"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CLIENT", "LIST", "TYPE", "normal", "x"}), "ERR syntax error");
}

TEST_F(ClientCommandTest, KillById) {
  Client victim = Connect();
  std::string victim_id = InfoOf(victim)["id"];
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", victim_id}), 1);
  EXPECT_TRUE(ClosedByServer(victim));
  EXPECT_TRUE(EventuallyTrue([&] { return ConnectedClients(client_) == 1; }));
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", victim_id}), 0);
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", "999999"}), 0);
}

TEST_F(ClientCommandTest, KillByAddressAndLocalAddress) {
  Client victim = Connect();
  Client bystander = ConnectRegistered();
  std::string victim_addr = InfoOf(victim)["addr"];
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ADDR", victim_addr}), 1);
  EXPECT_TRUE(ClosedByServer(victim));
  EXPECT_STATUS(bystander.Command({"PING"}), "PONG");
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ADDR", "10.1.2.3:4"}), 0);

  // Every connection came in on the same local address; SKIPME (yes by default) spares us.
  std::string laddr = InfoOf(client_)["laddr"];
  Client another = ConnectRegistered();
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "LADDR", laddr}), 2);
  EXPECT_TRUE(ClosedByServer(bystander));
  EXPECT_TRUE(ClosedByServer(another));
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "LADDR", "127.0.0.1:1"}), 0);
}

TEST_F(ClientCommandTest, KillCombinesFilters) {
  Client victim = Connect();
  std::map<std::string, std::string> info = InfoOf(victim);
  // Both filters must match.
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", info["id"], "ADDR", "10.1.2.3:4"}), 0);
  EXPECT_STATUS(victim.Command({"PING"}), "PONG");
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", info["id"], "ADDR", info["addr"], "TYPE",
                                  "normal", "USER", "default"}),
                 1);
  EXPECT_TRUE(ClosedByServer(victim));
  Client other = ConnectRegistered();
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "TYPE", "pubsub"}), 0);
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "TYPE", "normal"}), 1);
  EXPECT_TRUE(ClosedByServer(other));
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

TEST_F(ClientCommandTest, KillSelfWithSkipmeNo) {
  std::string my_id = InfoOf(client_)["id"];
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", my_id}), 0);  // SKIPME yes
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "ID", my_id, "SKIPME", "no"}), 1);
  EXPECT_TRUE(client_.Command({"PING"}).is_io_error());
}

TEST_F(ClientCommandTest, KillOldFormTakesAnAddress) {
  Client victim = Connect();
  EXPECT_OK(client_.Command({"CLIENT", "KILL", InfoOf(victim)["addr"]}));
  EXPECT_TRUE(ClosedByServer(victim));
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "10.1.2.3:4"}), "ERR No such client");
  // The old form does not skip the caller.
  EXPECT_OK(client_.Command({"CLIENT", "KILL", InfoOf(client_)["addr"]}));
  EXPECT_TRUE(client_.Command({"PING"}).is_io_error());
}

TEST_F(ClientCommandTest, KillRejectsBadFilters) {
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL"}),
               "ERR wrong number of arguments for 'client|kill' command");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "ID", "x"}),
               "ERR client-id should be greater than 0");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "ID", "0"}),
               "ERR client-id should be greater than 0");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "TYPE", "foo"}), "ERR Unknown client type 'foo'");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "USER", "foo"}), "ERR No such user 'foo'");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "SKIPME", "maybe"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "foo", "bar"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CLIENT", "KILL", "ID", "1", "ADDR"}), "ERR syntax error");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

TEST_F(ClientCommandTest, SetNameAndGetName) {
  EXPECT_NIL(client_.Command({"CLIENT", "GETNAME"}));
  EXPECT_OK(client_.Command({"CLIENT", "SETNAME", "worker-1"}));
  EXPECT_BULK(client_.Command({"CLIENT", "GETNAME"}), "worker-1");
  EXPECT_EQ(InfoOf(client_)["name"], "worker-1");
  for (const std::string& bad :
       std::vector<std::string>{"a b", "a\nb", std::string("a\0b", 3), "caf\xc3\xa9", "tab\t"}) {
    EXPECT_ERROR(client_.Command({"CLIENT", "SETNAME", bad}), kBadName);
  }
  EXPECT_BULK(client_.Command({"CLIENT", "GETNAME"}), "worker-1");
  // Every printable character but the space is allowed.
  EXPECT_OK(client_.Command({"CLIENT", "SETNAME", "!~{}[]:;'\"@#"}));
  EXPECT_BULK(client_.Command({"CLIENT", "GETNAME"}), "!~{}[]:;'\"@#");
  // An empty name removes the name.
  EXPECT_OK(client_.Command({"CLIENT", "SETNAME", ""}));
  EXPECT_NIL(client_.Command({"CLIENT", "GETNAME"}));
  EXPECT_ERROR(client_.Command({"CLIENT", "SETNAME", "a", "b"}),
               "ERR wrong number of arguments for 'client|setname' command");
  EXPECT_ERROR(client_.Command({"CLIENT", "GETNAME", "x"}),
               "ERR wrong number of arguments for 'client|getname' command");
}

TEST_F(ClientCommandTest, PauseWriteHoldsWritesButNotReads) {
  Client writer = Connect();
  Client reader = Connect();
  ASSERT_OK(reader.Command({"SET", "paused-key", "before"}));
  ASSERT_OK(client_.Command({"CLIENT", "PAUSE", "3600000", "WRITE"}));
  // One write of both commands: once PING is answered the server has read the SET too.
  writer.Append({"PING"});
  writer.Append({"SET", "paused-key", "after"});
  EXPECT_STATUS(writer.GetReply(), "PONG");
  // Reads go on and do not see the held write.
  EXPECT_BULK(reader.Command({"GET", "paused-key"}), "before");
  EXPECT_INTEGER(reader.Command({"EXISTS", "paused-key"}), 1);
  EXPECT_STATUS(reader.Command({"PING"}), "PONG");
  // Another write from another client is held as well.
  reader.Append({"INCR", "paused-counter"});
  ASSERT_TRUE(reader.Flush());
  EXPECT_OK(client_.Command({"CLIENT", "UNPAUSE"}));
  EXPECT_OK(writer.GetReply());
  EXPECT_INTEGER(reader.GetReply(), 1);
  EXPECT_BULK(reader.Command({"GET", "paused-key"}), "after");
}

TEST_F(ClientCommandTest, PauseAllEndsWhenItsTimeoutPasses) {
  Client other = Connect();
  ASSERT_OK(client_.Command({"CLIENT", "PAUSE", "200", "ALL"}));
  // Held until the pause ends, then answered in order.
  other.Append({"SET", "after-pause", "1"});
  other.Append({"GET", "after-pause"});
  EXPECT_OK(other.GetReply());
  EXPECT_BULK(other.GetReply(), "1");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

TEST_F(ClientCommandTest, PauseRejectsBadArguments) {
  EXPECT_ERROR(client_.Command({"CLIENT", "PAUSE", "x"}),
               "ERR timeout is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"CLIENT", "PAUSE", "-1"}), "ERR timeout is negative");
  EXPECT_ERROR(client_.Command({"CLIENT", "PAUSE", "10", "foo"}),
               "ERR CLIENT PAUSE mode must be WRITE or ALL");
  EXPECT_ERROR(client_.Command({"CLIENT", "PAUSE", "10", "WRITE", "x"}),
               "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT "
               "HELP.");
  EXPECT_ERROR(client_.Command({"CLIENT", "PAUSE"}),
               "ERR wrong number of arguments for 'client|pause' command");
  EXPECT_OK(client_.Command({"CLIENT", "UNPAUSE"}));  // no pause: still OK
  EXPECT_ERROR(client_.Command({"CLIENT", "UNPAUSE", "x"}),
               "ERR wrong number of arguments for 'client|unpause' command");
}

TEST_F(ClientCommandTest, ReplyOffHidesRepliesUntilOn) {
  client_.Append({"CLIENT", "REPLY", "OFF"});
  client_.Append({"SET", "quiet", "1"});
  client_.Append({"GET", "quiet"});
  client_.Append({"NOSUCHCOMMAND"});
  client_.Append({"CLIENT", "REPLY", "ON"});
  EXPECT_OK(client_.GetReply());  // the first reply is ON's own
  EXPECT_BULK(client_.Command({"GET", "quiet"}), "1");
}

TEST_F(ClientCommandTest, ReplySkipHidesOnlyTheNextReply) {
  client_.Append({"CLIENT", "REPLY", "SKIP"});
  client_.Append({"SET", "skipped", "1"});
  client_.Append({"GET", "skipped"});
  EXPECT_BULK(client_.GetReply(), "1");
  // A rejected command consumes the skip as well.
  client_.Append({"CLIENT", "REPLY", "SKIP"});
  client_.Append({"NOSUCHCOMMAND"});
  client_.Append({"PING"});
  EXPECT_STATUS(client_.GetReply(), "PONG");
  // SKIP then ON: ON's own reply is sent.
  client_.Append({"CLIENT", "REPLY", "SKIP"});
  client_.Append({"CLIENT", "REPLY", "ON"});
  EXPECT_OK(client_.GetReply());
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

TEST_F(ClientCommandTest, ReplyRejectsBadModes) {
  EXPECT_ERROR(client_.Command({"CLIENT", "REPLY", "foo"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CLIENT", "REPLY"}),
               "ERR wrong number of arguments for 'client|reply' command");
  EXPECT_OK(client_.Command({"CLIENT", "REPLY", "on"}));
}

TEST_F(ClientCommandTest, UnblockOfAClientThatIsNotBlocked) {
  Client other = Connect();
  std::string other_id = InfoOf(other)["id"];
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", other_id}), 0);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", other_id, "TIMEOUT"}), 0);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", other_id, "error"}), 0);
  EXPECT_INTEGER(client_.Command({"CLIENT", "UNBLOCK", "999999"}), 0);
  EXPECT_ERROR(client_.Command({"CLIENT", "UNBLOCK", "x"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"CLIENT", "UNBLOCK", other_id, "foo"}),
               "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  EXPECT_ERROR(client_.Command({"CLIENT", "UNBLOCK", other_id, "TIMEOUT", "x"}),
               "ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT "
               "HELP.");
  EXPECT_STATUS(other.Command({"PING"}), "PONG");
}

TEST_F(ClientCommandTest, NoEvictSetsTheFlag) {
  EXPECT_OK(client_.Command({"CLIENT", "NO-EVICT", "ON"}));
  EXPECT_EQ(InfoOf(client_)["flags"], "e");
  EXPECT_OK(client_.Command({"CLIENT", "NO-EVICT", "off"}));
  EXPECT_EQ(InfoOf(client_)["flags"], "N");
  EXPECT_ERROR(client_.Command({"CLIENT", "NO-EVICT", "maybe"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CLIENT", "NO-EVICT"}),
               "ERR wrong number of arguments for 'client|no-evict' command");
}

TEST_F(ClientCommandTest, HelpAndUnknownSubcommands) {
  Reply help = client_.Command({"CLIENT", "HELP"});
  ASSERT_EQ(help.type(), ReplyType::kArray) << help;
  ASSERT_GT(help.size(), 10u);
  EXPECT_STATUS(help[0], "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_STATUS(help[help.size() - 2], "HELP");
  std::string all;
  for (const Reply& line : help.elements()) {
    EXPECT_EQ(line.type(), ReplyType::kStatus) << line;
    all += line.text() + "\n";
  }
  for (const char* subcommand : {"GETNAME", "ID", "INFO", "KILL", "LIST", "PAUSE", "REPLY",
                                 "SETNAME", "UNBLOCK", "UNPAUSE", "NO-EVICT"}) {
    EXPECT_NE(all.find("\n" + std::string(subcommand)), std::string::npos) << subcommand;
  }
  EXPECT_ERROR(client_.Command({"CLIENT", "foo"}),
               "ERR unknown subcommand 'foo'. Try CLIENT HELP.");
  EXPECT_ERROR(client_.Command({"CLIENT"}), "ERR wrong number of arguments for 'client' command");
}

}  // namespace
}  // namespace cairn::test
