// End-to-end tests of start-up and shutdown: configuration errors (file and command line)
// stop the server with Redis's report naming the line; a second server on the same data
// directory is refused; the shipped conf/cairn.conf starts as is; SIGTERM and SIGINT shut
// down cleanly (exit 0) with the data kept.
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

// Runs cairn-server with `args` (a fresh --dir is added) and expects it to refuse to start.
class StartupErrorTest : public ::testing::Test {
 protected:
  ProgramResult RunServer(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {DefaultServerBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--bind", "127.0.0.1", "--dir", scratch_.dir()});
    // A server that wrongly starts is killed when the wait ends, and the test fails.
    return RunProgram(argv, "", std::chrono::seconds(60));
  }

  // Exit status non-zero and Redis's three-line report on stderr.
  static void ExpectFatalConfigError(const ProgramResult& result, int line,
                                     const std::string& quoted_line, const std::string& reason) {
    EXPECT_FALSE(result.timed_out) << "the server started";
    EXPECT_NE(result.exit_code, 0);
    std::string expected =
        "*** FATAL CONFIG FILE ERROR (Cairn 0.1.0) ***\n"
        "Reading the configuration file, at line " +
        std::to_string(line) + "\n>>> '" + quoted_line + "'\n" + reason + "\n";
    EXPECT_NE(result.err.find(expected), std::string::npos) << result.err << result.out;
  }

  ServerProcess scratch_;  // never started: provides a temp dir and config files
};

TEST_F(StartupErrorTest, UnknownOptionOnTheCommandLine) {
  ExpectFatalConfigError(RunServer({"--port", "0", "--no-such-option", "1"}), 3,
                         "no-such-option \"1\"", "Bad directive or wrong number of arguments");
}

TEST_F(StartupErrorTest, BadValuesOnTheCommandLine) {
  ExpectFatalConfigError(RunServer({"--port", "99999"}), 2, "port \"99999\"",
                         "argument must be between 0 and 65535 inclusive");
  ExpectFatalConfigError(RunServer({"--port", "0", "--maxclients", "x"}), 3, "maxclients \"x\"",
                         "argument couldn't be parsed into an integer");
  ExpectFatalConfigError(RunServer({"--port", "0", "--appendfsync", "sometimes"}), 3,
                         "appendfsync \"sometimes\"",
                         "argument(s) must be one of the following: everysec, always, no");
}

TEST_F(StartupErrorTest, ErrorsInTheConfigFileNameTheLine) {
  std::string bad_value = scratch_.WriteFile("bad.conf", "port 0\n# comment\nmaxclients x\n");
  ExpectFatalConfigError(RunServer({bad_value}), 3, "maxclients x",
                         "argument couldn't be parsed into an integer");
  std::string unknown = scratch_.WriteFile("unknown.conf", "\n\nport 0\nfrobnicate yes\n");
  ExpectFatalConfigError(RunServer({unknown}), 4, "frobnicate yes",
                         "Bad directive or wrong number of arguments");
  std::string quotes = scratch_.WriteFile("quotes.conf", "requirepass \"open\n");
  ExpectFatalConfigError(RunServer({quotes}), 1, "requirepass \"open",
                         "Unbalanced quotes in configuration line");
  // Command-line lines are numbered after the file's.
  std::string good = scratch_.WriteFile("good.conf", "port 0\n");
  ExpectFatalConfigError(RunServer({good, "--timeout", "-5"}), 3, "timeout \"-5\"",
                         "argument must be between 0 and 2147483647 inclusive");
}

TEST_F(StartupErrorTest, MissingConfigFile) {
  ProgramResult result = RunServer({scratch_.root() + "/does-not-exist.conf"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("Fatal error, can't open config file '" + scratch_.root() +
                            "/does-not-exist.conf'"),
            std::string::npos)
      << result.err;
}

TEST_F(StartupErrorTest, VersionAndHelp) {
  ProgramResult version = RunProgram({DefaultServerBinary(), "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("v=0.1.0"), std::string::npos) << version.out;
  ProgramResult help = RunProgram({DefaultServerBinary(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.err.find("Usage:"), std::string::npos) << help.err;
}

class StartupTest : public ServerTest {};

TEST_F(StartupTest, SecondServerOnTheSameDirectoryIsRefused) {
  ASSERT_OK(client_.Command({"SET", "owner", "first"}));
  ProgramResult second = RunProgram(
      {DefaultServerBinary(), "--port", "0", "--bind", "127.0.0.1", "--dir", server_.dir()}, "",
      std::chrono::seconds(60));
  EXPECT_FALSE(second.timed_out) << "the second server started";
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.err.find("is locked by another cairn-server"), std::string::npos)
      << second.err << second.out;
  // The first server is unharmed.
  EXPECT_BULK(client_.Command({"GET", "owner"}), "first");
  ASSERT_OK(client_.Command({"SET", "owner", "still-first"}));
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(client_.Command({"GET", "owner"}), "still-first");
}

TEST_F(StartupTest, SigtermShutsDownCleanly) {
  ASSERT_OK(client_.Command({"SET", "term", "kept"}));
  EXPECT_EQ(server_.Stop(), 0) << server_.LogTail();
  EXPECT_NE(server_.log().find("Received SIGTERM"), std::string::npos) << server_.LogTail();
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(client_.Command({"GET", "term"}), "kept");
}

TEST_F(StartupTest, SigintShutsDownCleanly) {
  ASSERT_OK(client_.Command({"SET", "int", "kept"}));
  ASSERT_EQ(kill(server_.pid(), SIGINT), 0);
  ASSERT_TRUE(EventuallyTrue([&] { return !server_.running(); }));
  EXPECT_EQ(server_.exit_status(), 0) << server_.LogTail();
  EXPECT_NE(server_.log().find("Received SIGINT"), std::string::npos) << server_.LogTail();
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(client_.Command({"GET", "int"}), "kept");
}

TEST_F(StartupTest, ShutdownWithClientsConnected) {
  std::vector<Client> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(Connect());
    ASSERT_OK(clients.back().Command({"SET", "c" + std::to_string(i), "v"}));
  }
  EXPECT_EQ(server_.Stop(), 0) << server_.LogTail();
  for (Client& client : clients) EXPECT_TRUE(client.Command({"PING"}).is_io_error());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 5);
}

TEST(ShippedConfigTest, ConfCairnConfStartsAsIs) {
  std::string path = std::string(CAIRN_SOURCE_DIR) + "/conf/cairn.conf";
  ServerProcess server;
  // The harness adds --port, --bind and --dir after the file, as an operator would.
  ASSERT_TRUE(server.StartWithConfig(path));
  Client client;
  ASSERT_TRUE(client.Connect(server.port()));
  EXPECT_STATUS(client.Command({"PING"}), "PONG");
  EXPECT_OK(client.Command({"SET", "k", "v"}));
  EXPECT_BULK(client.Command({"GET", "k"}), "v");
  Reply port = client.Command({"CONFIG", "GET", "port"});
  ASSERT_EQ(port.size(), 2u);
  EXPECT_BULK(port[1], std::to_string(server.port()));
  Reply dir = client.Command({"CONFIG", "GET", "dir"});
  ASSERT_EQ(dir.size(), 2u);
  EXPECT_BULK(dir[1], server.dir());
  EXPECT_EQ(InfoField(client.Command({"INFO", "server"}).text(), "config_file"), path);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace cairn::test
