// End-to-end tests of INFO: the default, named, "all" and "everything" section sets, the
// fields clients and tools read (server, clients, stats, persistence), commandstats,
// errorstats, the keyspace lines, CONFIG RESETSTAT, and the RESP3 verbatim reply.
#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

class InfoTest : public ServerTest {
 protected:
  // The "# Title" lines of an INFO text, in order.
  static std::vector<std::string> SectionTitles(const std::string& info) {
    std::vector<std::string> titles;
    std::istringstream lines(info);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.starts_with("# ")) titles.push_back(line.substr(2));
    }
    return titles;
  }

  static bool Contains(const std::vector<std::string>& titles, const std::string& title) {
    return std::find(titles.begin(), titles.end(), title) != titles.end();
  }

  std::string Info(const std::vector<std::string>& sections = {}) {
    std::vector<std::string> command = {"INFO"};
    command.insert(command.end(), sections.begin(), sections.end());
    Reply reply = client_.Command(command);
    EXPECT_EQ(reply.type(), ReplyType::kString) << reply;
    return reply.text();
  }

  // The value of cmdstat_<name> split into its fields (calls, usec, ...); empty if absent.
  std::map<std::string, std::string> CommandStats(const std::string& name) {
    std::map<std::string, std::string> fields;
    std::optional<std::string> value = InfoField(Info({"commandstats"}), "cmdstat_" + name);
    if (!value) return fields;
    std::istringstream parts(*value);
    std::string part;
    while (std::getline(parts, part, ',')) {
      size_t equals = part.find('=');
      if (equals != std::string::npos) fields[part.substr(0, equals)] = part.substr(equals + 1);
    }
    return fields;
  }
};

TEST_F(InfoTest, DefaultSections) {
  std::vector<std::string> titles = SectionTitles(Info());
  std::vector<std::string> expected_order = {"Server",     "Clients",     "Memory",  "Persistence",
                                             "Stats",      "Replication", "CPU",     "Modules",
                                             "Errorstats", "Cluster",     "Keyspace"};
  std::vector<std::string> known;
  for (const std::string& title : titles) {
    if (Contains(expected_order, title)) known.push_back(title);
  }
  EXPECT_EQ(known, expected_order);
  EXPECT_FALSE(Contains(titles, "Commandstats"));
  EXPECT_EQ(SectionTitles(Info({"default"})), titles);
}

TEST_F(InfoTest, NamedSections) {
  EXPECT_EQ(SectionTitles(Info({"server"})), (std::vector<std::string>{"Server"}));
  EXPECT_EQ(SectionTitles(Info({"KEYSPACE"})), (std::vector<std::string>{"Keyspace"}));
  EXPECT_EQ(SectionTitles(Info({"server", "Clients"})),
            (std::vector<std::string>{"Server", "Clients"}));
  EXPECT_EQ(SectionTitles(Info({"commandstats"})), (std::vector<std::string>{"Commandstats"}));
  EXPECT_EQ(Info({"no-such-section"}), "");
  std::vector<std::string> with_stats = SectionTitles(Info({"default", "commandstats"}));
  EXPECT_TRUE(Contains(with_stats, "Commandstats"));
  EXPECT_TRUE(Contains(with_stats, "Keyspace"));
}

TEST_F(InfoTest, AllAndEverything) {
  for (const char* which : {"all", "everything", "EVERYTHING"}) {
    std::vector<std::string> titles = SectionTitles(Info({which}));
    for (const char* section :
         {"Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
          "Commandstats", "Errorstats", "Cluster", "Keyspace"}) {
      EXPECT_TRUE(Contains(titles, section)) << which << " lacks " << section;
    }
  }
}

TEST_F(InfoTest, ServerFields) {
  std::string info = Info({"server"});
  EXPECT_EQ(InfoField(info, "redis_version"), "7.0.15");
  EXPECT_EQ(InfoField(info, "redis_mode"), "standalone");
  EXPECT_EQ(InfoField(info, "tcp_port"), std::to_string(server_.port()));
  EXPECT_EQ(InfoField(info, "process_id"), std::to_string(server_.pid()));
  EXPECT_EQ(InfoField(info, "config_file"), "");
  std::optional<std::string> run_id = InfoField(info, "run_id");
  ASSERT_TRUE(run_id.has_value());
  EXPECT_TRUE(std::regex_match(*run_id, std::regex("[0-9a-f]{40}"))) << *run_id;
  EXPECT_GE(std::stoll(InfoField(info, "uptime_in_seconds").value_or("-1")), 0);
  // Lines end in CRLF.
  EXPECT_NE(info.find("# Server\r\n"), std::string::npos);
}

TEST_F(InfoTest, ClientsAndStatsFields) {
  ASSERT_TRUE(EventuallyTrue([&] { return ConnectedClients(client_) == 1; }));
  Client other = Connect();
  ASSERT_TRUE(IsStatus(other.Command({"PING"}), "PONG"));
  EXPECT_EQ(ConnectedClients(client_), 2);
  EXPECT_GE(InfoNumber(client_, "clients", "maxclients"), 2);

  long long connections = InfoNumber(client_, "stats", "total_connections_received");
  long long commands = InfoNumber(client_, "stats", "total_commands_processed");
  Client third = Connect();
  ASSERT_TRUE(IsStatus(third.Command({"PING"}), "PONG"));
  EXPECT_EQ(InfoNumber(client_, "stats", "total_connections_received"), connections + 1);
  // PING on the third connection and the INFO calls in between.
  EXPECT_GE(InfoNumber(client_, "stats", "total_commands_processed"), commands + 3);

  long long hits = InfoNumber(client_, "stats", "keyspace_hits");
  long long misses = InfoNumber(client_, "stats", "keyspace_misses");
  ASSERT_OK(client_.Command({"SET", "present", "1"}));
  ASSERT_BULK(client_.Command({"GET", "present"}), "1");
  ASSERT_BULK(client_.Command({"GET", "present"}), "1");
  EXPECT_NIL(client_.Command({"GET", "absent"}));
  EXPECT_EQ(InfoNumber(client_, "stats", "keyspace_hits"), hits + 2);
  EXPECT_EQ(InfoNumber(client_, "stats", "keyspace_misses"), misses + 1);
  EXPECT_GT(InfoNumber(client_, "stats", "total_net_input_bytes"), 0);
  EXPECT_GT(InfoNumber(client_, "stats", "total_net_output_bytes"), 0);
}

TEST_F(InfoTest, CommandStatsCountCallsFailuresAndRejections) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(client_.Command({"SET", "k", "v"}));
  std::map<std::string, std::string> set = CommandStats("set");
  EXPECT_EQ(set["calls"], "3");
  EXPECT_EQ(set["rejected_calls"], "0");
  EXPECT_EQ(set["failed_calls"], "0");
  EXPECT_EQ(set.count("usec"), 1u);
  EXPECT_EQ(set.count("usec_per_call"), 1u);
  // A failure inside the command counts as a call that failed; an arity error as rejected.
  EXPECT_ERROR(client_.Command({"INCR", "k"}), "ERR value is not an integer or out of range");
  EXPECT_ERROR_PREFIX(client_.Command({"SET", "k"}), "ERR wrong number of arguments");
  std::map<std::string, std::string> incr = CommandStats("incr");
  EXPECT_EQ(incr["calls"], "1");
  EXPECT_EQ(incr["failed_calls"], "1");
  set = CommandStats("set");
  EXPECT_EQ(set["calls"], "3");
  EXPECT_EQ(set["rejected_calls"], "1");
  // Subcommands are counted under container|subcommand.
  ASSERT_EQ(client_.Command({"CLIENT", "ID"}).type(), ReplyType::kInteger);
  EXPECT_EQ(CommandStats("client|id")["calls"], "1");
  // Commands never called are not listed.
  EXPECT_TRUE(CommandStats("getrange").empty());
}

TEST_F(InfoTest, ErrorStatsCountByPrefix) {
  ASSERT_OK(client_.Command({"SET", "k", "v"}));
  EXPECT_ERROR_PREFIX(client_.Command({"INCR", "k"}), "ERR");
  EXPECT_ERROR_PREFIX(client_.Command({"NOSUCHCOMMAND"}), "ERR unknown command");
  EXPECT_ERROR(client_.Command({"HELLO", "9"}), "NOPROTO unsupported protocol version");
  std::string errors = Info({"errorstats"});
  EXPECT_EQ(InfoField(errors, "errorstat_ERR"), "count=2");
  EXPECT_EQ(InfoField(errors, "errorstat_NOPROTO"), "count=1");
  EXPECT_EQ(InfoNumber(client_, "stats", "total_error_replies"), 3);
  ASSERT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  EXPECT_EQ(InfoField(Info({"errorstats"}), "errorstat_ERR"), std::nullopt);
  EXPECT_EQ(InfoNumber(client_, "stats", "total_error_replies"), 0);
}

TEST_F(InfoTest, ResetStatClearsCommandStats) {
  ASSERT_OK(client_.Command({"SET", "k", "v"}));
  ASSERT_FALSE(CommandStats("set").empty());
  EXPECT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  EXPECT_TRUE(CommandStats("set").empty());
  EXPECT_EQ(InfoNumber(client_, "stats", "keyspace_hits"), 0);
  EXPECT_ERROR(client_.Command({"CONFIG", "RESETSTAT", "x"}),
               "ERR wrong number of arguments for 'config|resetstat' command");
}

TEST_F(InfoTest, KeyspaceLines) {
  EXPECT_EQ(InfoField(Info({"keyspace"}), "db0"), std::nullopt);
  ASSERT_OK(client_.Command({"SET", "a", "1"}));
  ASSERT_OK(client_.Command({"SET", "b", "1", "EX", "1000"}));
  ASSERT_OK(client_.Command({"SET", "c", "1", "PX", "1000000"}));
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  ASSERT_OK(client_.Command({"SET", "d", "1"}));
  std::string keyspace = Info({"keyspace"});
  std::optional<std::string> db0 = InfoField(keyspace, "db0");
  ASSERT_TRUE(db0.has_value()) << keyspace;
  EXPECT_TRUE(db0->starts_with("keys=3,expires=2,avg_ttl=")) << *db0;
  std::optional<std::string> db3 = InfoField(keyspace, "db3");
  ASSERT_TRUE(db3.has_value()) << keyspace;
  EXPECT_TRUE(db3->starts_with("keys=1,expires=0,")) << *db3;
  EXPECT_EQ(InfoField(keyspace, "db1"), std::nullopt);
  // PERSIST and DEL move the counts.
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  ASSERT_INTEGER(client_.Command({"PERSIST", "b"}), 1);
  ASSERT_INTEGER(client_.Command({"DEL", "a"}), 1);
  EXPECT_TRUE(InfoField(Info({"keyspace"}), "db0").value_or("").starts_with("keys=2,expires=1,"));
  ASSERT_OK(client_.Command({"FLUSHALL"}));
  EXPECT_EQ(SectionTitles(Info({"keyspace"})), (std::vector<std::string>{"Keyspace"}));
  EXPECT_EQ(InfoField(Info({"keyspace"}), "db3"), std::nullopt);
}

TEST_F(InfoTest, PersistenceFields) {
  std::string persistence = Info({"persistence"});
  EXPECT_EQ(InfoField(persistence, "loading"), "0");
  EXPECT_EQ(InfoField(persistence, "rdb_bgsave_in_progress"), "0");
  EXPECT_EQ(InfoField(persistence, "aof_fsync_policy"), "everysec");
  ASSERT_OK(client_.Command({"CONFIG", "SET", "appendfsync", "always"}));
  EXPECT_EQ(InfoField(Info({"persistence"}), "aof_fsync_policy"), "always");
}

TEST_F(InfoTest, Resp3RepliesWithVerbatimText) {
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply info = client_.Command({"INFO", "server"});
  ASSERT_EQ(info.type(), ReplyType::kVerbatim) << info;
  EXPECT_EQ(info.format(), "txt");
  EXPECT_EQ(InfoField(info.text(), "redis_version"), "7.0.15");
}

}  // namespace
}  // namespace cairn::test
