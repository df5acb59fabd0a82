// End-to-end tests of COMMAND and its subcommands: COUNT, INFO, DOCS, LIST (FILTERBY),
// GETKEYS, GETKEYSANDFLAGS and HELP, against Redis 7.0's reply shapes and errors.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

class CommandCommandTest : public ServerTest {
 protected:
  std::vector<std::string> List(const std::vector<std::string>& filter = {}) {
    std::vector<std::string> command = {"COMMAND", "LIST"};
    command.insert(command.end(), filter.begin(), filter.end());
    Reply reply = client_.Command(command);
    EXPECT_EQ(reply.type(), ReplyType::kArray) << reply;
    return reply.ElementTexts().value_or(std::vector<std::string>{});
  }

  static bool Has(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }
};

TEST_F(CommandCommandTest, CountMatchesTheImplementedCommands) {
  Reply count = client_.Command({"COMMAND", "COUNT"});
  ASSERT_EQ(count.type(), ReplyType::kInteger) << count;
  // COMMAND LIST has subcommands too; COUNT only top-level commands.
  std::vector<std::string> names = List();
  size_t top_level = std::count_if(names.begin(), names.end(), [](const std::string& name) {
    return name.find('|') == std::string::npos;
  });
  EXPECT_EQ(static_cast<size_t>(count.integer()), top_level);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  Reply all = client_.Command({"COMMAND"});
  ASSERT_EQ(all.type(), ReplyType::kArray);
  EXPECT_EQ(static_cast<long long>(all.size()), count.integer());
  EXPECT_EQ(client_.Command({"COMMAND", "INFO"}).size(), all.size());
  // The commands this server core implements are there.
  for (const char* name :
       {"ping",          "echo",   "select",      "hello",    "auth",       "quit",
        "reset",         "client", "client|kill", "config",   "config|get", "command",
        "command|count", "info",   "dbsize",      "flushall", "swapdb",     "slowlog",
        "monitor",       "get",    "set",         "shutdown", "bgsave"}) {
    EXPECT_TRUE(Has(names, name)) << name;
  }
  // Every listed command resolves (no "unknown command" for it).
  for (const std::string& name : names) {
    if (name.find('|') != std::string::npos) continue;
    Reply info = client_.Command({"COMMAND", "INFO", name});
    ASSERT_EQ(info.size(), 1u) << name;
    EXPECT_FALSE(info[0].is_nil()) << name;
  }
  EXPECT_ERROR(client_.Command({"COMMAND", "COUNT", "x"}),
               "ERR wrong number of arguments for 'command|count' command");
}

TEST_F(CommandCommandTest, InfoOfGetAndSet) {
  Reply info = client_.Command({"COMMAND", "INFO", "get", "SET", "no-such-command"});
  ASSERT_EQ(info.type(), ReplyType::kArray) << info;
  ASSERT_EQ(info.size(), 3u);
  const Reply& get = info[0];
  ASSERT_EQ(get.size(), 10u) << get;
  EXPECT_BULK(get[0], "get");
  EXPECT_INTEGER(get[1], 2);
  EXPECT_EQ(get[2], Reply::Array({Reply::Status("readonly"), Reply::Status("fast")}));
  EXPECT_INTEGER(get[3], 1);
  EXPECT_INTEGER(get[4], 1);
  EXPECT_INTEGER(get[5], 1);
  EXPECT_EQ(get[6], Reply::Array({Reply::Status("@read"), Reply::Status("@string"),
                                  Reply::Status("@fast")}));
  EXPECT_EQ(get[7], Reply::Array({}));  // tips
  ASSERT_EQ(get[8].size(), 1u);         // one key spec
  const Reply* flags = get[8][0].Find("flags");
  ASSERT_NE(flags, nullptr) << get[8];
  EXPECT_EQ(*flags, Reply::Array({Reply::Status("RO"), Reply::Status("access")}));
  ASSERT_NE(get[8][0].Find("begin_search"), nullptr);
  ASSERT_NE(get[8][0].Find("find_keys"), nullptr);
  EXPECT_EQ(get[9], Reply::Array({}));  // subcommands

  const Reply& set = info[1];
  ASSERT_EQ(set.size(), 10u) << set;
  EXPECT_BULK(set[0], "set");
  EXPECT_INTEGER(set[1], -3);
  EXPECT_EQ(set[2], Reply::Array({Reply::Status("write"), Reply::Status("denyoom")}));
  EXPECT_INTEGER(set[3], 1);
  EXPECT_INTEGER(set[4], 1);
  EXPECT_INTEGER(set[5], 1);
  EXPECT_NIL(info[2]);
}

TEST_F(CommandCommandTest, InfoOfAContainerListsItsSubcommands) {
  Reply info = client_.Command({"COMMAND", "INFO", "client"});
  ASSERT_EQ(info.size(), 1u);
  const Reply& client = info[0];
  ASSERT_EQ(client.size(), 10u) << client;
  EXPECT_BULK(client[0], "client");
  EXPECT_INTEGER(client[1], -2);
  std::vector<std::string> subcommands;
  for (const Reply& sub : client[9].elements()) {
    ASSERT_GE(sub.size(), 2u);
    subcommands.push_back(sub[0].text());
    if (sub[0].text() == "client|kill") {
      EXPECT_INTEGER(sub[1], -3);
    }
  }
  for (const char* name : {"client|id", "client|kill", "client|list", "client|pause",
                           "client|reply", "client|setname", "client|getname"}) {
    EXPECT_TRUE(Has(subcommands, name)) << name;
  }
}

TEST_F(CommandCommandTest, InfoUnderResp3) {
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply info = client_.Command({"COMMAND", "INFO", "get"});
  ASSERT_EQ(info.size(), 1u);
  ASSERT_EQ(info[0].size(), 10u);
  // RESP3 shows flags and categories as sets and key specs as maps.
  EXPECT_EQ(info[0][2].type(), ReplyType::kSet) << info[0][2];
  EXPECT_EQ(info[0][6].type(), ReplyType::kSet) << info[0][6];
  EXPECT_EQ(info[0][8][0].type(), ReplyType::kMap) << info[0][8][0];
}

TEST_F(CommandCommandTest, DocsDescribeCommands) {
  Reply docs = client_.Command({"COMMAND", "DOCS", "get", "no-such-command"});
  ASSERT_EQ(docs.type(), ReplyType::kArray) << docs;
  ASSERT_EQ(docs.size(), 2u) << docs;  // name, documentation; unknown names are skipped
  EXPECT_BULK(docs[0], "get");
  const Reply& get = docs[1];
  // The embedded facts carry no summary or complexity texts; the rest is Redis's.
  ASSERT_NE(get.Find("since"), nullptr) << get;
  EXPECT_BULK(*get.Find("since"), "1.0.0");
  ASSERT_NE(get.Find("group"), nullptr) << get;
  EXPECT_BULK(*get.Find("group"), "string");
  const Reply* arguments = get.Find("arguments");
  ASSERT_NE(arguments, nullptr);
  ASSERT_EQ(arguments->size(), 1u);
  EXPECT_BULK(*(*arguments)[0].Find("name"), "key");
  EXPECT_BULK(*(*arguments)[0].Find("type"), "key");

  EXPECT_EQ(client_.Command({"COMMAND", "DOCS", "no-such-command"}), Reply::Array({}));
  // RESP3 (read by the harness's own reader: the docs nest deeper than hiredis 0.14 reads).
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply map = client_.Command({"COMMAND", "DOCS", "set"});
  EXPECT_EQ(map.type(), ReplyType::kMap) << map;
  ASSERT_NE(map.Find("set"), nullptr);
  EXPECT_EQ(map.Find("set")->type(), ReplyType::kMap);
  Reply everything = client_.Command({"COMMAND", "DOCS"});
  ASSERT_EQ(everything.type(), ReplyType::kMap) << everything.ToString().substr(0, 200);
  EXPECT_EQ(static_cast<long long>(everything.size()),
            2 * client_.Command({"COMMAND", "COUNT"}).integer());
}

TEST_F(CommandCommandTest, ListFilters) {
  std::vector<std::string> pattern = List({"FILTERBY", "PATTERN", "cl*"});
  EXPECT_TRUE(Has(pattern, "client"));
  EXPECT_TRUE(Has(pattern, "client|kill"));
  for (const std::string& name : pattern) EXPECT_TRUE(name.starts_with("cl")) << name;

  std::vector<std::string> connection = List({"FILTERBY", "ACLCAT", "connection"});
  for (const char* name : {"ping", "echo", "auth", "hello", "select", "client|id"}) {
    EXPECT_TRUE(Has(connection, name)) << name;
  }
  EXPECT_FALSE(Has(connection, "get"));
  EXPECT_TRUE(Has(List({"filterby", "aclcat", "STRING"}), "get"));
  EXPECT_TRUE(List({"FILTERBY", "ACLCAT", "no-such-category"}).empty());
  EXPECT_TRUE(List({"FILTERBY", "MODULE", "some-module"}).empty());

  EXPECT_ERROR(client_.Command({"COMMAND", "LIST", "FILTERBY"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"COMMAND", "LIST", "FILTERBY", "PATTERN"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"COMMAND", "LIST", "FILTERBY", "foo", "bar"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"COMMAND", "LIST", "foo"}), "ERR syntax error");
}

TEST_F(CommandCommandTest, GetKeys) {
  EXPECT_STRINGS(client_.Command({"COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"}), {"a", "b"});
  EXPECT_STRINGS(client_.Command({"COMMAND", "GETKEYS", "set", "k", "v", "EX", "10"}), {"k"});
  EXPECT_STRINGS(client_.Command({"COMMAND", "GETKEYS", "MGET", "x", "y", "z"}), {"x", "y", "z"});
  EXPECT_STRINGS(client_.Command({"COMMAND", "GETKEYS", "RENAME", "from", "to"}), {"from", "to"});
  EXPECT_ERROR(client_.Command({"COMMAND", "GETKEYS", "no-such-command", "a"}),
               "ERR Invalid command specified");
  EXPECT_ERROR(client_.Command({"COMMAND", "GETKEYS", "PING", "a"}),
               "ERR The command has no key arguments");
  EXPECT_ERROR(client_.Command({"COMMAND", "GETKEYS", "GET", "a", "b"}),
               "ERR Invalid number of arguments specified for command");
  EXPECT_ERROR(client_.Command({"COMMAND", "GETKEYS", "GET"}),
               "ERR wrong number of arguments for 'command|getkeys' command");

  Reply flags = client_.Command({"COMMAND", "GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2"});
  ASSERT_EQ(flags.size(), 2u) << flags;
  EXPECT_EQ(flags[0], Reply::Array({Reply::String("a"),
                                    Reply::Array({Reply::Status("OW"), Reply::Status("update")})}));
  EXPECT_BULK(flags[1][0], "b");
}

TEST_F(CommandCommandTest, HelpAndErrors) {
  Reply help = client_.Command({"COMMAND", "HELP"});
  ASSERT_EQ(help.type(), ReplyType::kArray) << help;
  EXPECT_STATUS(help[0], "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  std::string text;
  for (const Reply& line : help.elements()) text += line.text() + "\n";
  for (const char* sub : {"COUNT", "LIST", "INFO", "DOCS", "GETKEYS", "GETKEYSANDFLAGS"}) {
    EXPECT_NE(text.find(std::string("\n") + sub), std::string::npos) << sub;
  }
  EXPECT_ERROR(client_.Command({"COMMAND", "foo"}),
               "ERR unknown subcommand 'foo'. Try COMMAND HELP.");
}

}  // namespace
}  // namespace cairn::test
