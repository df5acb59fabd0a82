// End-to-end tests of CONFIG: GET with globs, SET (several parameters at once, all or
// nothing, Redis's error texts), HELP, and REWRITE round trips against a config file.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

std::string SetFailed(const std::string& name, const std::string& reason) {
  return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
}

class ConfigCommandTest : public ServerTest {
 protected:
  // CONFIG GET <pattern> as name -> value.
  std::map<std::string, std::string> Get(const std::vector<std::string>& patterns) {
    std::vector<std::string> command = {"CONFIG", "GET"};
    command.insert(command.end(), patterns.begin(), patterns.end());
    Reply reply = client_.Command(command);
    EXPECT_EQ(reply.type(), ReplyType::kArray) << reply;
    EXPECT_EQ(reply.size() % 2, 0u) << reply;
    std::map<std::string, std::string> values;
    for (size_t i = 0; i + 1 < reply.size(); i += 2) values[reply[i].text()] = reply[i + 1].text();
    return values;
  }

  std::string GetOne(const std::string& name) {
    std::map<std::string, std::string> values = Get({name});
    EXPECT_EQ(values.size(), 1u) << name;
    return values.empty() ? "" : values.begin()->second;
  }
};

TEST_F(ConfigCommandTest, GetExactNamesAndGlobs) {
  EXPECT_EQ(Get({"port"}),
            (std::map<std::string, std::string>{{"port", std::to_string(server_.port())}}));
  EXPECT_EQ(GetOne("dir"), server_.dir());
  EXPECT_EQ(GetOne("maxclients"), "10000");
  EXPECT_EQ(GetOne("appendfsync"), "everysec");
  EXPECT_EQ(GetOne("save"), "3600 1 300 100 60 10000");
  // An exact name answers under the spelling asked for, as in Redis.
  EXPECT_EQ(Get({"MaxClients"}), (std::map<std::string, std::string>{{"MaxClients", "10000"}}));

  std::map<std::string, std::string> max = Get({"max*"});
  for (const char* name : {"maxclients", "maxmemory", "maxmemory-policy"}) {
    EXPECT_EQ(max.count(name), 1u) << name;
  }
  for (const auto& [name, value] : max) EXPECT_TRUE(name.starts_with("max")) << name;
  std::map<std::string, std::string> several = Get({"port", "time?ut", "slowlog-*"});
  EXPECT_EQ(several.count("port"), 1u);
  EXPECT_EQ(several.count("timeout"), 1u);
  EXPECT_EQ(several.count("slowlog-log-slower-than"), 1u);
  EXPECT_EQ(several.count("slowlog-max-len"), 1u);
  // A name matched twice is listed once.
  EXPECT_EQ(client_.Command({"CONFIG", "GET", "port", "port", "p*rt"}).size(), 2u);
  EXPECT_TRUE(Get({"no-such-option"}).empty());
  EXPECT_GT(Get({"*"}).size(), 20u);
  EXPECT_ERROR(client_.Command({"CONFIG", "GET"}),
               "ERR wrong number of arguments for 'config|get' command");
}

TEST_F(ConfigCommandTest, GetRepliesWithAMapUnderResp3) {
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_MAP(client_.Command({"CONFIG", "GET", "timeout"}), {{"timeout", Reply::String("0")}});
}

TEST_F(ConfigCommandTest, SetSeveralParametersAtOnce) {
  EXPECT_OK(client_.Command(
      {"CONFIG", "SET", "timeout", "100", "maxclients", "50", "slowlog-max-len", "7"}));
  EXPECT_EQ(GetOne("timeout"), "100");
  EXPECT_EQ(GetOne("maxclients"), "50");
  EXPECT_EQ(GetOne("slowlog-max-len"), "7");
  EXPECT_OK(
      client_.Command({"config", "set", "MAXMEMORY", "10mb", "maxmemory-policy", "ALLKEYS-LRU"}));
  EXPECT_EQ(GetOne("maxmemory"), "10485760");
  EXPECT_EQ(GetOne("maxmemory-policy"), "allkeys-lru");
  EXPECT_OK(client_.Command({"CONFIG", "SET", "save", "100 10 20 5"}));
  EXPECT_EQ(GetOne("save"), "100 10 20 5");
  EXPECT_OK(client_.Command({"CONFIG", "SET", "save", ""}));
  EXPECT_EQ(GetOne("save"), "");
  EXPECT_OK(client_.Command({"CONFIG", "SET", "hz", "1000"}));
  EXPECT_EQ(GetOne("hz"), "500");  // stored within 1..500, like Redis
  EXPECT_OK(client_.Command(
      {"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 512kb 10 pubsub 0 0 0"}));
  std::string limits = GetOne("client-output-buffer-limit");
  EXPECT_NE(limits.find("normal 1048576 524288 10"), std::string::npos) << limits;
  EXPECT_NE(limits.find("pubsub 0 0 0"), std::string::npos) << limits;
}

TEST_F(ConfigCommandTest, SetIsAllOrNothing) {
  ASSERT_OK(client_.Command({"CONFIG", "SET", "timeout", "100"}));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "timeout", "5", "maxclients", "x"}),
               SetFailed("maxclients", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(GetOne("timeout"), "100");
  EXPECT_EQ(GetOne("maxclients"), "10000");
}

TEST_F(ConfigCommandTest, SetRejectsUnknownImmutableAndBadValues) {
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "no-such-option", "1"}),
               "ERR Unknown option or number of arguments for CONFIG SET - 'no-such-option'");
  // An unknown name wins over every other problem.
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "timeout", "x", "no-such-option", "1"}),
               "ERR Unknown option or number of arguments for CONFIG SET - 'no-such-option'");
  for (const char* immutable : {"databases", "daemonize", "dir", "logfile", "compression"}) {
    EXPECT_ERROR(client_.Command({"CONFIG", "SET", immutable, "5"}),
                 SetFailed(immutable, "can't set immutable config"));
  }
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "maxclients", "10", "maxclients", "20"}),
               SetFailed("maxclients", "duplicate parameter"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "port", "99999"}),
               SetFailed("port", "argument must be between 0 and 65535 inclusive"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "timeout", "-1"}),
               SetFailed("timeout", "argument must be between 0 and 2147483647 inclusive"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "maxclients", "0"}),
               SetFailed("maxclients", "argument must be between 1 and 4294967295 inclusive"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "slowlog-log-slower-than", "-2"}),
               SetFailed("slowlog-log-slower-than",
                         "argument must be between -1 and 9223372036854775807 inclusive"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "proto-max-bulk-len", "10"}),
               SetFailed("proto-max-bulk-len",
                         "argument must be between 1048576 and 9223372036854775807 inclusive"));
  EXPECT_ERROR(
      client_.Command({"CONFIG", "SET", "appendfsync", "sometimes"}),
      SetFailed("appendfsync", "argument(s) must be one of the following: everysec, always, no"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "maxmemory", "1zb"}),
               SetFailed("maxmemory", "argument must be a memory value"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "save", "1"}),
               SetFailed("save", "Invalid save parameters"));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "client-output-buffer-limit", "foo"}),
               SetFailed("client-output-buffer-limit",
                         "Wrong number of arguments in buffer limit configuration."));
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "timeout", "1", "maxclients"}),
               "ERR syntax error");
  EXPECT_ERROR(client_.Command({"CONFIG", "SET", "timeout"}),
               "ERR wrong number of arguments for 'config|set' command");
  EXPECT_EQ(GetOne("maxclients"), "10000");
  EXPECT_EQ(GetOne("timeout"), "0");
}

TEST_F(ConfigCommandTest, HelpAndUnknownSubcommand) {
  Reply help = client_.Command({"CONFIG", "HELP"});
  ASSERT_EQ(help.type(), ReplyType::kArray) << help;
  EXPECT_STATUS(help[0], "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_ERROR(client_.Command({"CONFIG", "foo"}),
               "ERR unknown subcommand 'foo'. Try CONFIG HELP.");
  EXPECT_ERROR(client_.Command({"CONFIG"}), "ERR wrong number of arguments for 'config' command");
}

TEST_F(ConfigCommandTest, RewriteNeedsAConfigFile) {
  EXPECT_ERROR(client_.Command({"CONFIG", "REWRITE"}),
               "ERR The server is running without a config file");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::vector<std::string> NonBlankLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// A server started from a config file of its own.
class ConfigRewriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_path_ = server_.WriteFile("cairn.conf",
                                     "# kept comment\n"
                                     "maxclients 100\n"
                                     "\n"
                                     "timeout 0\n"
                                     "save 900 1\n"
                                     "save 300 10\n");
    ASSERT_TRUE(server_.StartWithConfig(config_path_));
    ASSERT_TRUE(client_.Connect(server_.port()));
  }

  ServerProcess server_;
  Client client_;
  std::string config_path_;
};

TEST_F(ConfigRewriteTest, RewriteRoundTrip) {
  Reply info = client_.Command({"INFO", "server"});
  EXPECT_EQ(InfoField(info.text(), "config_file"), config_path_);
  ASSERT_BULK(client_.Command({"CONFIG", "GET", "maxclients"})[1], "100");
  ASSERT_BULK(client_.Command({"CONFIG", "GET", "save"})[1], "900 1 300 10");
  ASSERT_OK(client_.Command({"CONFIG", "SET", "maxclients", "222", "timeout", "7",
                             "slowlog-max-len", "99", "save", "60 5"}));
  EXPECT_OK(client_.Command({"CONFIG", "REWRITE"}));

  std::string text = ReadFile(config_path_);
  EXPECT_NE(text.find("# kept comment\n"), std::string::npos) << text;
  EXPECT_NE(text.find("maxclients 222\n"), std::string::npos) << text;
  EXPECT_NE(text.find("timeout 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("save 60 5\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("save 300 10"), std::string::npos) << text;
  size_t signature = text.find("# Generated by CONFIG REWRITE\n");
  ASSERT_NE(signature, std::string::npos) << text;
  EXPECT_GT(text.find("slowlog-max-len 99\n"), signature) << text;
  EXPECT_LT(text.find("maxclients 222"), signature) << text;

  // The rewritten file starts the server with the same settings.
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(client_.Connect(server_.port()));
  EXPECT_BULK(client_.Command({"CONFIG", "GET", "maxclients"})[1], "222");
  EXPECT_BULK(client_.Command({"CONFIG", "GET", "timeout"})[1], "7");
  EXPECT_BULK(client_.Command({"CONFIG", "GET", "slowlog-max-len"})[1], "99");
  EXPECT_BULK(client_.Command({"CONFIG", "GET", "save"})[1], "60 5");
  // A second rewrite with nothing changed keeps every line (blank lines aside, like Redis).
  EXPECT_OK(client_.Command({"CONFIG", "REWRITE"}));
  EXPECT_EQ(NonBlankLines(ReadFile(config_path_)), NonBlankLines(text));
}

}  // namespace
}  // namespace cairn::test
