// SORT and SORT_RO end to end: numeric and ALPHA order, ASC/DESC, LIMIT, BY patterns (string
// keys, hash fields, "nosort" keeping list and score order), GET patterns ("#", strings, hash
// fields, missing keys as nil), STORE (a list; an empty result deletes the destination; the
// "sortstore" event), SORT_RO refusing STORE, every error, RESP3 nulls, and — when
// redis-server is installed — the same command script replied identically by both servers.
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

// The data every SORT test works on, the same on Cairn and on the reference.
const std::vector<std::vector<std::string>>& Fixture() {
  static const std::vector<std::vector<std::string>> commands = {
      {"RPUSH", "nums", "3", "10", "-1.5", "2", "10", "inf"},
      {"RPUSH", "words", "pear", "apple", "fig", "Banana", ""},
      {"RPUSH", "ids", "1", "2", "3", "4"},
      {"SET", "w_1", "40"},
      {"SET", "w_2", "10"},
      {"SET", "w_3", "30"},
      {"SET", "name_1", "one"},
      {"SET", "name_3", "three"},
      {"HSET", "obj_1", "rank", "b", "score", "9"},
      {"HSET", "obj_2", "rank", "a", "score", "-3"},
      {"HSET", "obj_4", "rank", "c", "score", "5"},
      {"SADD", "set", "5", "1", "30", "-2"},
      {"SADD", "wordset", "x", "b", "a"},
      {"ZADD", "z", "3", "c", "1", "a", "2", "b", "0", "d"},
      {"RPUSH", "mixed", "1", "x"},
      {"SET", "str", "v"},
      {"HSET", "hash", "f", "v"},
  };
  return commands;
}

// Commands whose replies must equal Redis's, in order (STORE results read back too).
const std::vector<std::vector<std::string>>& Script() {
  static const std::vector<std::vector<std::string>> commands = {
      {"SORT", "nums"},
      {"SORT", "nums", "DESC"},
      {"SORT", "nums", "LIMIT", "1", "3"},
      {"SORT", "nums", "LIMIT", "-5", "2"},
      {"SORT", "nums", "LIMIT", "4", "100"},
      {"SORT", "nums", "LIMIT", "10", "2"},
      {"SORT", "nums", "LIMIT", "0", "-1"},
      {"SORT", "words", "ALPHA"},
      {"SORT", "words", "ALPHA", "DESC", "LIMIT", "0", "2"},
      {"SORT", "words"},
      {"SORT", "mixed"},
      {"SORT", "ids", "BY", "w_*"},
      {"SORT", "ids", "BY", "w_*", "DESC"},
      {"SORT", "ids", "BY", "obj_*->score"},
      {"SORT", "ids", "BY", "obj_*->rank", "ALPHA"},
      {"SORT", "ids", "BY", "obj_*->rank", "ALPHA", "DESC", "LIMIT", "1", "2"},
      {"SORT", "ids", "BY", "nosort"},
      {"SORT", "ids", "BY", "nosort", "DESC", "LIMIT", "1", "2"},
      {"SORT", "z", "BY", "nosort"},
      {"SORT", "z", "BY", "nosort", "DESC"},
      {"SORT", "z", "BY", "nosort", "LIMIT", "1", "2"},
      {"SORT", "z", "ALPHA"},
      {"SORT", "z", "ALPHA", "BY", "nosort", "DESC", "LIMIT", "1", "10"},
      {"SORT", "set"},
      {"SORT", "set", "DESC", "LIMIT", "1", "2"},
      {"SORT", "wordset", "ALPHA"},
      {"SORT", "ids", "GET", "#", "GET", "name_*", "GET", "obj_*->rank"},
      {"SORT", "ids", "BY", "w_*", "GET", "name_*"},
      {"SORT", "ids", "GET", "nopattern"},
      {"SORT", "ids", "GET", "obj_*->"},
      {"SORT", "missing"},
      {"SORT", "missing", "GET", "#"},
      {"SORT_RO", "nums", "DESC", "LIMIT", "0", "3"},
      {"SORT_RO", "ids", "BY", "w_*", "GET", "#"},
      {"SORT", "nums", "STORE", "dest"},
      {"LRANGE", "dest", "0", "-1"},
      {"SORT", "ids", "GET", "name_*", "STORE", "dest"},
      {"LRANGE", "dest", "0", "-1"},
      {"SORT", "wordset", "BY", "nosort", "STORE", "dest"},
      {"LRANGE", "dest", "0", "-1"},
      {"SORT", "missing", "STORE", "dest"},
      {"EXISTS", "dest"},
      {"SORT", "mixed", "STORE", "dest2"},
      {"SORT", "str"},
      {"SORT", "hash"},
      {"SORT", "nums", "LIMIT", "x", "1"},
      {"SORT", "nums", "LIMIT", "0"},
      {"SORT", "nums", "BOGUS"},
      {"SORT_RO", "nums", "STORE", "dest"},
      {"SORT", "ids", "BY"},
      {"SORT"},
  };
  return commands;
}

class SortTest : public ServerTest {
 protected:
  void Load(Client& client) {
    for (const auto& command : Fixture()) {
      Reply reply = client.Command(command);
      ASSERT_FALSE(reply.is_error()) << reply;
    }
  }
};

TEST_F(SortTest, OptionsAndErrors) {
  ASSERT_NO_FATAL_FAILURE(Load(client_));
  EXPECT_STRINGS(client_.Command({"SORT", "nums"}), {"-1.5", "2", "3", "10", "10", "inf"});
  EXPECT_STRINGS(client_.Command({"SORT", "nums", "DESC", "LIMIT", "0", "2"}), {"inf", "10"});
  EXPECT_STRINGS(client_.Command({"SORT", "words", "ALPHA"}),
                 {"", "Banana", "apple", "fig", "pear"});
  EXPECT_STRINGS(client_.Command({"SORT", "ids", "BY", "w_*"}), {"4", "2", "3", "1"});
  EXPECT_STRINGS(client_.Command({"SORT", "ids", "BY", "obj_*->score"}), {"2", "3", "4", "1"});
  EXPECT_STRINGS(client_.Command({"SORT", "z", "BY", "nosort"}), {"d", "a", "b", "c"});
  EXPECT_STRINGS(client_.Command({"SORT", "ids", "BY", "nosort", "DESC"}), {"4", "3", "2", "1"});
  Reply got = client_.Command({"SORT", "ids", "GET", "#", "GET", "name_*"});
  ASSERT_EQ(got.size(), 8u) << got;
  EXPECT_BULK(got[0], "1");
  EXPECT_BULK(got[1], "one");
  EXPECT_NIL(got[3]);
  EXPECT_INTEGER(client_.Command({"SORT", "nums", "STORE", "dest"}), 6);
  EXPECT_STRINGS(client_.Command({"LRANGE", "dest", "0", "-1"}),
                 {"-1.5", "2", "3", "10", "10", "inf"});
  EXPECT_INTEGER(client_.Command({"SORT", "ids", "GET", "name_*", "STORE", "dest"}), 4);
  EXPECT_STRINGS(client_.Command({"LRANGE", "dest", "0", "-1"}), {"one", "", "three", ""});
  EXPECT_INTEGER(client_.Command({"SORT", "missing", "STORE", "dest"}), 0);
  EXPECT_INTEGER(client_.Command({"EXISTS", "dest"}), 0);
  EXPECT_ERROR(client_.Command({"SORT", "mixed"}),
               "ERR One or more scores can't be converted into double");
  EXPECT_ERROR(client_.Command({"SORT", "str"}),
               "WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_ERROR(client_.Command({"SORT", "hash"}),
               "WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_ERROR(client_.Command({"SORT", "nums", "LIMIT", "x", "1"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SORT", "nums", "LIMIT", "0"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SORT_RO", "nums", "STORE", "dest"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SORT"}), "ERR wrong number of arguments for 'sort' command");
}

TEST_F(SortTest, Resp3NullsAndTransactions) {
  ASSERT_NO_FATAL_FAILURE(Load(client_));
  ASSERT_FALSE(client_.Command({"HELLO", "3"}).is_error());
  Reply got = client_.Command({"SORT", "ids", "GET", "name_*"});
  ASSERT_EQ(got.size(), 4u) << got;
  EXPECT_EQ(got[1].type(), ReplyType::kNil) << got;
  ASSERT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"RPUSH", "fresh", "2", "1"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SORT", "fresh", "STORE", "sorted"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"LRANGE", "sorted", "0", "-1"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 3u) << exec;
  EXPECT_INTEGER(exec[1], 2);
  EXPECT_STRINGS(exec[2], {"1", "2"});
}

TEST_F(SortTest, StoredResultSurvivesKill9) {
  ASSERT_NO_FATAL_FAILURE(Load(client_));
  ASSERT_OK(client_.Command({"CONFIG", "SET", "appendfsync", "always"}));
  EXPECT_INTEGER(client_.Command({"SORT", "set", "STORE", "kept"}), 4);
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  client_ = Connect();
  EXPECT_STRINGS(client_.Command({"LRANGE", "kept", "0", "-1"}), {"-2", "1", "5", "30"});
}

TEST_F(SortTest, RepliesMatchRedis) {
  if (RunProgram({"redis-server", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "redis-server is not installed; nothing to compare with";
  }
  ServerProcess redis("redis-server");
  ASSERT_TRUE(redis.Start({"--save", "", "--appendonly", "no"}));
  Client reference;
  ASSERT_TRUE(reference.Connect(redis.port()));
  ASSERT_NO_FATAL_FAILURE(Load(client_));
  ASSERT_NO_FATAL_FAILURE(Load(reference));
  for (const auto& command : Script()) {
    Reply ours = client_.Command(command);
    Reply theirs = reference.Command(command);
    std::string shown;
    for (const std::string& word : command) shown += word + " ";
    EXPECT_EQ(ours.ToString(), theirs.ToString()) << shown;
  }
}

class SortNotifyTest : public NotifyTest {};

TEST_F(SortNotifyTest, StoreEventsMatchRedis) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  ASSERT_INTEGER(client_.Command({"RPUSH", "l", "2", "1"}), 2);
  std::vector<std::string> events = EventsOf({{"SORT", "l", "STORE", "d"},
                                              {"SORT", "l", "STORE", "d"},
                                              {"SORT", "l"},
                                              {"SORT", "missing", "STORE", "d"},
                                              {"SORT", "missing", "STORE", "d"}});
  // The RPUSH above was published before the commands.
  EXPECT_EQ(events, Events({Both("rpush", "l"), Both("sortstore", "d"), Both("sortstore", "d"),
                            Both("del", "d")}));
}

}  // namespace
}  // namespace cairn::test
