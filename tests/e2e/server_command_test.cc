// End-to-end tests of the server group: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE,
// SAVE, BGSAVE (checkpoints under <dir>/checkpoints), SLOWLOG, MONITOR, SHUTDOWN and DEBUG.
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

class ServerCommandTest : public ServerTest {
 protected:
  void SetKeys(const std::string& prefix, int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_OK(client_.Command({"SET", prefix + std::to_string(i), "v"}));
    }
  }

  long long UnixSeconds() {
    Reply time = client_.Command({"TIME"});
    EXPECT_EQ(time.size(), 2u) << time;
    return time.size() == 2 ? std::stoll(time[0].text()) : 0;
  }

  // The checkpoint directories SAVE/BGSAVE left under <dir>/checkpoints.
  std::vector<fs::path> Checkpoints() {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(server_.dir() + "/checkpoints", ec)) {
      found.push_back(entry.path());
    }
    return found;
  }

  bool BackgroundSaveRunning() {
    return InfoNumber(client_, "persistence", "rdb_bgsave_in_progress") != 0;
  }
};

TEST_F(ServerCommandTest, DbSizeCountsKeysOfTheSelectedDatabase) {
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  SetKeys("k", 5);
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 5);
  ASSERT_OK(client_.Command({"SET", "k0", "overwritten"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 5);
  ASSERT_INTEGER(client_.Command({"DEL", "k1", "k2"}), 2);
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 3);
  ASSERT_OK(client_.Command({"SELECT", "1"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  EXPECT_ERROR(client_.Command({"DBSIZE", "x"}),
               "ERR wrong number of arguments for 'dbsize' command");
}

TEST_F(ServerCommandTest, FlushDbEmptiesOnlyTheSelectedDatabase) {
  SetKeys("a", 3);
  ASSERT_OK(client_.Command({"SELECT", "1"}));
  SetKeys("b", 2);
  EXPECT_OK(client_.Command({"FLUSHDB"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 3);
  EXPECT_OK(client_.Command({"FLUSHDB", "ASYNC"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  SetKeys("c", 2);
  EXPECT_OK(client_.Command({"flushdb", "sync"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  EXPECT_NIL(client_.Command({"GET", "c0"}));
  // The keys can be written again after the flush.
  ASSERT_OK(client_.Command({"SET", "c0", "again"}));
  EXPECT_BULK(client_.Command({"GET", "c0"}), "again");
  EXPECT_ERROR(client_.Command({"FLUSHDB", "x"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"FLUSHDB", "SYNC", "ASYNC"}), "ERR syntax error");
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
}

TEST_F(ServerCommandTest, FlushAllEmptiesEveryDatabase) {
  for (const char* db : {"0", "7", "15"}) {
    ASSERT_OK(client_.Command({"SELECT", db}));
    SetKeys("k", 2);
  }
  EXPECT_ERROR(client_.Command({"FLUSHALL", "x"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"FLUSHALL", "SYNC", "ASYNC"}), "ERR syntax error");
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 2);
  EXPECT_OK(client_.Command({"FLUSHALL"}));
  for (const char* db : {"0", "7", "15"}) {
    ASSERT_OK(client_.Command({"SELECT", db}));
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0) << db;
  }
  SetKeys("k", 1);
  EXPECT_OK(client_.Command({"FLUSHALL", "ASYNC"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  SetKeys("k", 1);
  EXPECT_OK(client_.Command({"FLUSHALL", "SYNC"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
}

TEST_F(ServerCommandTest, SwapDbSwapsTheData) {
  ASSERT_OK(client_.Command({"SET", "only-in-0", "zero"}));
  ASSERT_OK(client_.Command({"SET", "shared", "from-0"}));
  Client in_db1 = Connect();
  ASSERT_OK(in_db1.Command({"SELECT", "1"}));
  ASSERT_OK(in_db1.Command({"SET", "shared", "from-1"}));
  SetKeys("one", 3);  // db 0 now has 5 keys, db 1 has 1

  EXPECT_OK(client_.Command({"SWAPDB", "0", "1"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
  EXPECT_BULK(client_.Command({"GET", "shared"}), "from-1");
  EXPECT_NIL(client_.Command({"GET", "only-in-0"}));
  // A client with db 1 selected sees what was db 0.
  EXPECT_INTEGER(in_db1.Command({"DBSIZE"}), 5);
  EXPECT_BULK(in_db1.Command({"GET", "shared"}), "from-0");
  EXPECT_BULK(in_db1.Command({"GET", "only-in-0"}), "zero");
  // Writes after the swap land in the swapped databases.
  ASSERT_OK(in_db1.Command({"SET", "after-swap", "1"}));
  EXPECT_OK(client_.Command({"SWAPDB", "1", "0"}));
  EXPECT_BULK(client_.Command({"GET", "after-swap"}), "1");
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 6);
  // Swapping a database with itself changes nothing.
  EXPECT_OK(client_.Command({"SWAPDB", "0", "0"}));
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 6);
}

TEST_F(ServerCommandTest, SwapDbSurvivesARestart) {
  ASSERT_OK(client_.Command({"SET", "moved", "v"}));
  ASSERT_OK(client_.Command({"SWAPDB", "0", "9"}));
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_NIL(client_.Command({"GET", "moved"}));
  ASSERT_OK(client_.Command({"SELECT", "9"}));
  EXPECT_BULK(client_.Command({"GET", "moved"}), "v");
}

TEST_F(ServerCommandTest, SwapDbRejectsBadIndexes) {
  EXPECT_ERROR(client_.Command({"SWAPDB", "x", "1"}), "ERR invalid first DB index");
  EXPECT_ERROR(client_.Command({"SWAPDB", "0", "x"}), "ERR invalid second DB index");
  EXPECT_ERROR(client_.Command({"SWAPDB", "99999999999", "1"}), "ERR invalid first DB index");
  EXPECT_ERROR(client_.Command({"SWAPDB", "0", "16"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"SWAPDB", "-1", "0"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"SWAPDB", "0"}),
               "ERR wrong number of arguments for 'swapdb' command");
}

TEST_F(ServerCommandTest, TimeRepliesSecondsAndMicroseconds) {
  Reply time = client_.Command({"TIME"});
  ASSERT_EQ(time.type(), ReplyType::kArray) << time;
  ASSERT_EQ(time.size(), 2u);
  EXPECT_EQ(time[0].type(), ReplyType::kString);
  EXPECT_EQ(time[1].type(), ReplyType::kString);
  EXPECT_GT(std::stoll(time[0].text()), 1600000000LL);
  long long micros = std::stoll(time[1].text());
  EXPECT_GE(micros, 0);
  EXPECT_LT(micros, 1000000);
  EXPECT_ERROR(client_.Command({"TIME", "x"}), "ERR wrong number of arguments for 'time' command");
}

TEST_F(ServerCommandTest, SaveWritesACheckpointAndAdvancesLastSave) {
  Reply before = client_.Command({"LASTSAVE"});
  ASSERT_EQ(before.type(), ReplyType::kInteger) << before;
  EXPECT_EQ(InfoNumber(client_, "persistence", "rdb_last_save_time"), before.integer());
  ASSERT_OK(client_.Command({"SET", "saved", "1"}));
  EXPECT_GE(InfoNumber(client_, "persistence", "rdb_changes_since_last_save"), 1);
  // Wait for the clock to pass the last save's second, so the new one is later.
  ASSERT_TRUE(EventuallyTrue([&] { return UnixSeconds() > before.integer(); }));
  EXPECT_OK(client_.Command({"SAVE"}));
  Reply after = client_.Command({"LASTSAVE"});
  ASSERT_EQ(after.type(), ReplyType::kInteger) << after;
  EXPECT_GT(after.integer(), before.integer());
  EXPECT_EQ(InfoNumber(client_, "persistence", "rdb_last_save_time"), after.integer());
  EXPECT_EQ(InfoNumber(client_, "persistence", "rdb_changes_since_last_save"), 0);
  EXPECT_EQ(InfoField(InfoText(client_, "persistence"), "rdb_last_bgsave_status"), "ok");

  std::vector<fs::path> checkpoints = Checkpoints();
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_TRUE(fs::is_directory(checkpoints[0]));
  EXPECT_TRUE(fs::exists(checkpoints[0] / "CURRENT")) << checkpoints[0];
  // A second save replaces the first checkpoint.
  EXPECT_OK(client_.Command({"SAVE"}));
  std::vector<fs::path> replaced = Checkpoints();
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_TRUE(fs::exists(replaced[0] / "CURRENT")) << replaced[0];
  EXPECT_ERROR(client_.Command({"SAVE", "x"}), "ERR wrong number of arguments for 'save' command");
  EXPECT_ERROR(client_.Command({"LASTSAVE", "x"}),
               "ERR wrong number of arguments for 'lastsave' command");
}

TEST_F(ServerCommandTest, CheckpointIsASnapshotAnotherServerCanOpen) {
  ASSERT_OK(client_.Command({"SET", "snap", "at-save"}));
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  ASSERT_OK(client_.Command({"SET", "other-db", "x"}));
  ASSERT_OK(client_.Command({"SAVE"}));
  ASSERT_OK(client_.Command({"SET", "snap", "after-save"}));
  std::vector<fs::path> checkpoints = Checkpoints();
  ASSERT_EQ(checkpoints.size(), 1u);

  ServerProcess restored;
  fs::copy(checkpoints[0], restored.dir() + "/db", fs::copy_options::recursive);
  ASSERT_TRUE(restored.Start());
  Client reader;
  ASSERT_TRUE(reader.Connect(restored.port()));
  EXPECT_BULK(reader.Command({"GET", "snap"}), "at-save");
  ASSERT_OK(reader.Command({"SELECT", "3"}));
  EXPECT_BULK(reader.Command({"GET", "other-db"}), "x");
}

TEST_F(ServerCommandTest, BackgroundSave) {
  ASSERT_OK(client_.Command({"SET", "bg", "1"}));
  long long saves = InfoNumber(client_, "persistence", "rdb_saves");
  EXPECT_STATUS(client_.Command({"BGSAVE"}), "Background saving started");
  // A second one right away may find the first still running.
  Reply again = client_.Command({"BGSAVE"});
  if (again.is_error()) {
    EXPECT_ERROR(again, "ERR Background save already in progress");
  } else {
    EXPECT_STATUS(again, "Background saving started");
  }
  ASSERT_TRUE(EventuallyTrue([&] { return !BackgroundSaveRunning(); }));
  EXPECT_GT(InfoNumber(client_, "persistence", "rdb_saves"), saves);
  EXPECT_EQ(InfoField(InfoText(client_, "persistence"), "rdb_last_bgsave_status"), "ok");
  std::vector<fs::path> checkpoints = Checkpoints();
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_TRUE(fs::exists(checkpoints[0] / "CURRENT"));

  // SCHEDULE with nothing running starts one at once.
  EXPECT_STATUS(client_.Command({"BGSAVE", "SCHEDULE"}), "Background saving started");
  ASSERT_TRUE(EventuallyTrue([&] { return !BackgroundSaveRunning(); }));
  EXPECT_ERROR(client_.Command({"BGSAVE", "x"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"BGSAVE", "SCHEDULE", "x"}), "ERR syntax error");
}

TEST_F(ServerCommandTest, SlowLogRecordsCommands) {
  std::string my_addr = ClientFields(client_.Command({"CLIENT", "INFO"}).text())["addr"];
  ASSERT_OK(client_.Command({"CONFIG", "SET", "slowlog-log-slower-than", "0"}));
  ASSERT_OK(client_.Command({"SLOWLOG", "RESET"}));
  ASSERT_OK(client_.Command({"CLIENT", "SETNAME", "slow-client"}));
  ASSERT_OK(client_.Command({"SET", "slow-key", "slow-value"}));
  Reply entries = client_.Command({"SLOWLOG", "GET"});
  ASSERT_EQ(entries.type(), ReplyType::kArray) << entries;
  ASSERT_GE(entries.size(), 2u) << entries;
  // Newest first: SET, then CLIENT SETNAME (administrative commands are logged too).
  const Reply& newest = entries[0];
  ASSERT_EQ(newest.size(), 6u) << newest;
  EXPECT_EQ(newest[0].type(), ReplyType::kInteger);
  EXPECT_EQ(newest[1].type(), ReplyType::kInteger);
  EXPECT_EQ(newest[2].type(), ReplyType::kInteger);
  EXPECT_GE(newest[2].integer(), 0);
  EXPECT_STRINGS(newest[3], {"SET", "slow-key", "slow-value"});
  EXPECT_BULK(newest[4], my_addr);
  EXPECT_BULK(newest[5], "slow-client");
  EXPECT_STRINGS(entries[1][3], {"CLIENT", "SETNAME", "slow-client"});
  EXPECT_GT(newest[0].integer(), entries[1][0].integer());
  EXPECT_GT(newest[1].integer(), 1600000000LL);

  Reply len = client_.Command({"SLOWLOG", "LEN"});
  ASSERT_EQ(len.type(), ReplyType::kInteger);
  EXPECT_GE(len.integer(), 3);  // SET, CLIENT SETNAME, SLOWLOG GET and so on
  EXPECT_EQ(client_.Command({"SLOWLOG", "GET", "1"}).size(), 1u);
  EXPECT_EQ(client_.Command({"SLOWLOG", "GET", "0"}).size(), 0u);
  Reply all = client_.Command({"SLOWLOG", "GET", "-1"});
  EXPECT_GE(all.size(), static_cast<size_t>(len.integer()));
  ASSERT_OK(client_.Command({"CONFIG", "SET", "slowlog-log-slower-than", "-1"}));
  ASSERT_OK(client_.Command({"SLOWLOG", "RESET"}));
  EXPECT_INTEGER(client_.Command({"SLOWLOG", "LEN"}), 0);
  ASSERT_OK(client_.Command({"SET", "not-logged", "1"}));
  EXPECT_INTEGER(client_.Command({"SLOWLOG", "LEN"}), 0);
}

TEST_F(ServerCommandTest, SlowLogTrimsLongArgumentsAndHidesPasswords) {
  ASSERT_OK(client_.Command({"CONFIG", "SET", "slowlog-log-slower-than", "0"}));
  ASSERT_OK(client_.Command({"SLOWLOG", "RESET"}));
  std::vector<std::string> many = {"MSET"};
  for (int i = 0; i < 20; ++i) {
    many.push_back("key" + std::to_string(i));
    many.push_back(std::string(200, 'v'));
  }
  ASSERT_OK(client_.Command(many));
  Reply mset = client_.Command({"SLOWLOG", "GET", "1"});
  ASSERT_EQ(mset.size(), 1u);
  const Reply& args = mset[0][3];
  ASSERT_EQ(args.size(), 32u) << args;
  EXPECT_BULK(args[2], std::string(128, 'v') + "... (72 more bytes)");
  EXPECT_BULK(args[31], "... (10 more arguments)");

  ASSERT_OK(client_.Command({"AUTH", "default", "secret-password"}));
  Reply auth = client_.Command({"SLOWLOG", "GET", "1"});
  ASSERT_EQ(auth.size(), 1u);
  EXPECT_STRINGS(auth[0][3], {"AUTH", "(redacted)", "(redacted)"});
}

TEST_F(ServerCommandTest, SlowLogRejectsBadArguments) {
  EXPECT_ERROR(client_.Command({"SLOWLOG", "GET", "x"}),
               "ERR count should be greater than or equal to -1");
  EXPECT_ERROR(client_.Command({"SLOWLOG", "GET", "-2"}),
               "ERR count should be greater than or equal to -1");
  EXPECT_ERROR(client_.Command({"SLOWLOG", "GET", "1", "2"}),
               "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG "
               "HELP.");
  EXPECT_ERROR(client_.Command({"SLOWLOG", "foo"}),
               "ERR unknown subcommand 'foo'. Try SLOWLOG HELP.");
  EXPECT_ERROR(client_.Command({"SLOWLOG", "LEN", "x"}),
               "ERR wrong number of arguments for 'slowlog|len' command");
  Reply help = client_.Command({"SLOWLOG", "HELP"});
  ASSERT_EQ(help.type(), ReplyType::kArray) << help;
  EXPECT_STATUS(help[0], "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
}

TEST_F(ServerCommandTest, MonitorStreamsOtherClientsCommands) {
  Client monitor = Connect();
  EXPECT_OK(monitor.Command({"MONITOR"}));
  Client worker = Connect();
  // Administrative commands (CONFIG) are never shown.
  ASSERT_EQ(worker.Command({"CONFIG", "GET", "port"}).size(), 2u);
  ASSERT_OK(worker.Command({"SET", "mon-key", "a \"b\"\n"}));
  Reply line = monitor.GetReply();
  ASSERT_EQ(line.type(), ReplyType::kStatus) << line;
  std::string worker_addr = ClientFields(worker.Command({"CLIENT", "INFO"}).text())["addr"];
  EXPECT_NE(monitor.GetReply().text().find("\"CLIENT\" \"INFO\""), std::string::npos);
  std::regex expected(R"(\d+\.\d{6} \[0 )" +
                      std::regex_replace(worker_addr, std::regex(R"(\.)"), R"(\.)") +
                      R"(\] "SET" "mon-key" "a \\"b\\"\\n")");
  EXPECT_TRUE(std::regex_match(line.text(), expected)) << line.text();
  // Each line shows the client's database.
  ASSERT_OK(worker.Command({"SELECT", "2"}));
  EXPECT_NIL(worker.Command({"GET", "mon-key"}));
  Reply select = monitor.GetReply();
  EXPECT_NE(select.text().find("\"SELECT\" \"2\""), std::string::npos) << select;
  Reply get = monitor.GetReply();
  EXPECT_NE(get.text().find("[2 "), std::string::npos) << get;
  EXPECT_NE(get.text().find("\"GET\" \"mon-key\""), std::string::npos) << get;
}

TEST_F(ServerCommandTest, DebugSleepAndHelp) {
  EXPECT_OK(client_.Command({"DEBUG", "SLEEP", "0"}));
  EXPECT_OK(client_.Command({"debug", "sleep", "0.001"}));
  Reply help = client_.Command({"DEBUG", "HELP"});
  ASSERT_EQ(help.type(), ReplyType::kArray) << help;
  EXPECT_STATUS(help[0], "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_ERROR(client_.Command({"DEBUG", "foo"}),
               "ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.");
  EXPECT_ERROR(client_.Command({"DEBUG", "SLEEP", "0", "1"}),
               "ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.");
  EXPECT_ERROR(client_.Command({"DEBUG"}), "ERR wrong number of arguments for 'debug' command");
}

TEST_F(ServerCommandTest, ShutdownRejectsBadFlags) {
  EXPECT_ERROR(client_.Command({"SHUTDOWN", "ABORT"}), "ERR No shutdown in progress.");
  EXPECT_ERROR(client_.Command({"SHUTDOWN", "foo"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SHUTDOWN", "NOSAVE", "SAVE"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SHUTDOWN", "ABORT", "NOSAVE"}), "ERR syntax error");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  EXPECT_TRUE(server_.running());
}

TEST_F(ServerCommandTest, ShutdownNoSaveExitsCleanlyAndKeepsData) {
  ASSERT_OK(client_.Command({"SET", "survivor", "yes"}));
  ASSERT_INTEGER(client_.Command({"INCR", "counter"}), 1);
  Reply reply = client_.Command({"SHUTDOWN", "NOSAVE"});
  EXPECT_TRUE(reply.is_io_error()) << reply;  // no reply: the connection just closes
  ASSERT_TRUE(EventuallyTrue([&] { return !server_.running(); }));
  EXPECT_EQ(server_.exit_status(), 0) << server_.LogTail();
  EXPECT_TRUE(Checkpoints().empty());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(client_.Command({"GET", "survivor"}), "yes");
  EXPECT_BULK(client_.Command({"GET", "counter"}), "1");
}

TEST_F(ServerCommandTest, ShutdownSaveWritesACheckpoint) {
  ASSERT_OK(client_.Command({"SET", "k", "v"}));
  client_.Append({"SHUTDOWN", "SAVE"});
  EXPECT_TRUE(client_.GetReply().is_io_error());
  ASSERT_TRUE(EventuallyTrue([&] { return !server_.running(); }));
  EXPECT_EQ(server_.exit_status(), 0) << server_.LogTail();
  EXPECT_EQ(Checkpoints().size(), 1u);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
}

}  // namespace
}  // namespace cairn::test
