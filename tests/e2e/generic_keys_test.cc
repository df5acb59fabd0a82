// E2E tests of the generic key commands that are not about deadlines or iteration: DEL,
// UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX, COPY, MOVE, RANDOMKEY, keys across dbs
// with SELECT, and these commands' effects surviving a restart and a kill -9.
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/generic_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr char kOutOfIntRange[] =
    "ERR value is out of range, value must between -2147483648 and 2147483647";

class GenericKeysTest : public ServerTest {
 protected:
  void Set(const std::string& key, const std::string& value) {
    ASSERT_OK(client_.Command({"SET", key, value}));
  }
  void Select(int db) { ASSERT_OK(client_.Command({"SELECT", std::to_string(db)})); }
};

TEST_F(GenericKeysTest, DelCountsEachExistingKeyOnce) {
  Set("a", "1");
  Set("b", "2");
  Set("c", "3");
  EXPECT_INTEGER(client_.Command({"DEL", "a", "a", "missing", "b"}), 2);
  EXPECT_INTEGER(client_.Command({"EXISTS", "a", "b", "c"}), 1);
  EXPECT_INTEGER(client_.Command({"DEL", "a"}), 0);
  EXPECT_INTEGER(client_.Command({"DEL", "c"}), 1);
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
  EXPECT_ERROR(client_.Command({"DEL"}), "ERR wrong number of arguments for 'del' command");
}

TEST_F(GenericKeysTest, UnlinkBehavesLikeDel) {
  Set("a", "1");
  Set("", "empty name");
  EXPECT_INTEGER(client_.Command({"UNLINK", "a", "", "", "missing"}), 2);
  EXPECT_INTEGER(client_.Command({"EXISTS", "a", ""}), 0);
  EXPECT_INTEGER(client_.Command({"UNLINK", "a"}), 0);
  EXPECT_ERROR(client_.Command({"UNLINK"}), "ERR wrong number of arguments for 'unlink' command");
}

TEST_F(GenericKeysTest, ExistsCountsRepeatsAndIgnoresMissingKeys) {
  Set("a", "1");
  Set("bin\r\nkey", "2");
  EXPECT_INTEGER(client_.Command({"EXISTS", "a"}), 1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "a", "a", "a", "missing"}), 3);
  EXPECT_INTEGER(client_.Command({"EXISTS", "bin\r\nkey"}), 1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "missing"}), 0);
  EXPECT_ERROR(client_.Command({"EXISTS"}), "ERR wrong number of arguments for 'exists' command");
}

TEST_F(GenericKeysTest, ExistsAndTypeCountKeyspaceHitsAndMisses) {
  Set("a", "1");
  ASSERT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  EXPECT_INTEGER(client_.Command({"EXISTS", "a", "missing", "a"}), 2);
  EXPECT_STATUS(client_.Command({"TYPE", "missing"}), "none");
  Reply info = client_.Command({"INFO", "stats"});
  ASSERT_EQ(info.type(), ReplyType::kString) << info;
  EXPECT_NE(info.text().find("keyspace_hits:2\r\n"), std::string::npos) << info.text();
  EXPECT_NE(info.text().find("keyspace_misses:2\r\n"), std::string::npos) << info.text();
}

TEST_F(GenericKeysTest, TypeNamesStringsAndNone) {
  Set("s", "value");
  EXPECT_STATUS(client_.Command({"TYPE", "s"}), "string");
  EXPECT_STATUS(client_.Command({"TYPE", "missing"}), "none");
  EXPECT_ERROR(client_.Command({"TYPE"}), "ERR wrong number of arguments for 'type' command");
  EXPECT_ERROR(client_.Command({"TYPE", "a", "b"}),
               "ERR wrong number of arguments for 'type' command");
  ASSERT_FALSE(client_.Command({"HELLO", "3"}).is_error());
  EXPECT_STATUS(client_.Command({"TYPE", "s"}), "string");
  EXPECT_STATUS(client_.Command({"TYPE", "missing"}), "none");
}

TEST_F(GenericKeysTest, TouchCountsExistingKeys) {
  Set("a", "1");
  Set("b", "2");
  EXPECT_INTEGER(client_.Command({"TOUCH", "a", "b", "a", "missing"}), 3);
  EXPECT_INTEGER(client_.Command({"TOUCH", "missing"}), 0);
  EXPECT_ERROR(client_.Command({"TOUCH"}), "ERR wrong number of arguments for 'touch' command");
}

TEST_F(GenericKeysTest, RenameMovesValueAndOverwritesDestination) {
  Set("src", "value");
  Set("dst", "old");
  ASSERT_INTEGER(client_.Command({"PEXPIRE", "dst", "1000000"}), 1);
  EXPECT_OK(client_.Command({"RENAME", "src", "dst"}));
  EXPECT_BULK(client_.Command({"GET", "dst"}), "value");
  EXPECT_NIL(client_.Command({"GET", "src"}));
  // The destination takes the source's (absent) deadline.
  EXPECT_INTEGER(client_.Command({"TTL", "dst"}), -1);
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
}

TEST_F(GenericKeysTest, RenameErrorsAndSameKey) {
  EXPECT_ERROR(client_.Command({"RENAME", "missing", "x"}), "ERR no such key");
  EXPECT_ERROR(client_.Command({"RENAME", "missing", "missing"}), "ERR no such key");
  Set("k", "v");
  EXPECT_OK(client_.Command({"RENAME", "k", "k"}));
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
  EXPECT_ERROR(client_.Command({"RENAME", "k"}),
               "ERR wrong number of arguments for 'rename' command");
  EXPECT_ERROR(client_.Command({"RENAME", "k", "a", "b"}),
               "ERR wrong number of arguments for 'rename' command");
}

TEST_F(GenericKeysTest, RenameNxOnlyWhenDestinationIsFree) {
  Set("src", "1");
  Set("taken", "2");
  EXPECT_INTEGER(client_.Command({"RENAMENX", "src", "taken"}), 0);
  EXPECT_BULK(client_.Command({"GET", "src"}), "1");
  EXPECT_BULK(client_.Command({"GET", "taken"}), "2");
  EXPECT_INTEGER(client_.Command({"RENAMENX", "src", "free"}), 1);
  EXPECT_NIL(client_.Command({"GET", "src"}));
  EXPECT_BULK(client_.Command({"GET", "free"}), "1");
  EXPECT_INTEGER(client_.Command({"RENAMENX", "free", "free"}), 0);
  EXPECT_ERROR(client_.Command({"RENAMENX", "missing", "x"}), "ERR no such key");
  EXPECT_ERROR(client_.Command({"RENAMENX", "missing", "missing"}), "ERR no such key");
}

TEST_F(GenericKeysTest, CopyWithinAndAcrossDatabases) {
  Set("src", "value");
  EXPECT_INTEGER(client_.Command({"COPY", "src", "dst"}), 1);
  EXPECT_BULK(client_.Command({"GET", "dst"}), "value");
  EXPECT_BULK(client_.Command({"GET", "src"}), "value");
  EXPECT_INTEGER(client_.Command({"COPY", "missing", "other"}), 0);
  EXPECT_INTEGER(client_.Command({"EXISTS", "other"}), 0);

  Set("src", "newer");
  EXPECT_INTEGER(client_.Command({"COPY", "src", "dst"}), 0);
  EXPECT_BULK(client_.Command({"GET", "dst"}), "value");
  EXPECT_INTEGER(client_.Command({"COPY", "src", "dst", "replace"}), 1);
  EXPECT_BULK(client_.Command({"GET", "dst"}), "newer");

  // The same name in another db is a different key; the last DB option wins.
  EXPECT_INTEGER(client_.Command({"COPY", "src", "src", "DB", "3", "REPLACE", "db", "2"}), 1);
  Select(2);
  EXPECT_BULK(client_.Command({"GET", "src"}), "newer");
  Select(3);
  EXPECT_INTEGER(client_.Command({"EXISTS", "src"}), 0);
  Select(0);
  Set("src", "changed");
  EXPECT_INTEGER(client_.Command({"COPY", "src", "src", "DB", "2"}), 0);
  EXPECT_INTEGER(client_.Command({"COPY", "src", "src", "DB", "2", "REPLACE"}), 1);
  Select(2);
  EXPECT_BULK(client_.Command({"GET", "src"}), "changed");
}

TEST_F(GenericKeysTest, CopyErrors) {
  Set("k", "v");
  EXPECT_ERROR(client_.Command({"COPY", "k", "k"}),
               "ERR source and destination objects are the same");
  EXPECT_ERROR(client_.Command({"COPY", "k", "k", "DB", "0"}),
               "ERR source and destination objects are the same");
  EXPECT_ERROR(client_.Command({"COPY", "k", "x", "DB", "16"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"COPY", "k", "x", "DB", "-1"}), "ERR DB index is out of range");
  // The db index is checked before the same-key check.
  EXPECT_ERROR(client_.Command({"COPY", "k", "k", "DB", "16"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"COPY", "k", "x", "DB", "abc"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"COPY", "k", "x", "DB", "99999999999"}), kOutOfIntRange);
  EXPECT_ERROR(client_.Command({"COPY", "k", "x", "DB"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"COPY", "k", "x", "foo"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"COPY", "missing", "x", "REPLACE", "bar"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"COPY", "k"}), "ERR wrong number of arguments for 'copy' command");
  EXPECT_INTEGER(client_.Command({"EXISTS", "x"}), 0);
}

TEST_F(GenericKeysTest, MoveToAnotherDatabase) {
  Set("k", "v");
  EXPECT_INTEGER(client_.Command({"MOVE", "k", "1"}), 1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "k"}), 0);
  EXPECT_INTEGER(client_.Command({"MOVE", "k", "1"}), 0);
  Select(1);
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
  // The destination already holds the key: nothing moves.
  Select(0);
  Set("k", "zero");
  EXPECT_INTEGER(client_.Command({"MOVE", "k", "1"}), 0);
  EXPECT_BULK(client_.Command({"GET", "k"}), "zero");
  Select(1);
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
}

TEST_F(GenericKeysTest, MoveErrors) {
  Set("k", "v");
  EXPECT_ERROR(client_.Command({"MOVE", "k", "0"}),
               "ERR source and destination objects are the same");
  EXPECT_ERROR(client_.Command({"MOVE", "missing", "0"}),
               "ERR source and destination objects are the same");
  EXPECT_ERROR(client_.Command({"MOVE", "k", "16"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"MOVE", "k", "-1"}), "ERR DB index is out of range");
  EXPECT_ERROR(client_.Command({"MOVE", "k", "abc"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"MOVE", "k", "1.0"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"MOVE", "k", "99999999999"}), kOutOfIntRange);
  EXPECT_ERROR(client_.Command({"MOVE", "k"}), "ERR wrong number of arguments for 'move' command");
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
}

TEST_F(GenericKeysTest, RandomKeyReturnsAnExistingKeyOrNil) {
  EXPECT_NIL(client_.Command({"RANDOMKEY"}));
  Set("only", "1");
  EXPECT_BULK(client_.Command({"RANDOMKEY"}), "only");
  std::set<std::string> keys = {"only"};
  for (int i = 0; i < 50; ++i) {
    std::string key = "key:" + std::to_string(i);
    Set(key, "v");
    keys.insert(key);
  }
  for (int i = 0; i < 20; ++i) {
    Reply reply = client_.Command({"RANDOMKEY"});
    ASSERT_EQ(reply.type(), ReplyType::kString) << reply;
    EXPECT_EQ(keys.count(reply.text()), 1u) << reply.text();
  }
  ASSERT_FALSE(client_.Command({"HELLO", "3"}).is_error());
  Select(5);
  EXPECT_NIL(client_.Command({"RANDOMKEY"}));
  EXPECT_ERROR(client_.Command({"RANDOMKEY", "x"}),
               "ERR wrong number of arguments for 'randomkey' command");
}

TEST_F(GenericKeysTest, DatabasesAreSeparateKeyspaces) {
  Set("shared", "db0");
  Select(1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "shared"}), 0);
  Set("shared", "db1");
  Set("only1", "x");
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 2);
  EXPECT_STRINGS_UNORDERED(client_.Command({"KEYS", "*"}), {"shared", "only1"});
  EXPECT_INTEGER(client_.Command({"DEL", "shared"}), 1);
  Select(0);
  EXPECT_BULK(client_.Command({"GET", "shared"}), "db0");
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
  EXPECT_INTEGER(client_.Command({"DEL", "only1"}), 0);
  EXPECT_OK(client_.Command({"RENAME", "shared", "renamed"}));
  Select(1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "renamed"}), 0);
  EXPECT_STATUS(client_.Command({"TYPE", "only1"}), "string");

  // Another connection has its own selected db.
  Client other = Connect();
  EXPECT_BULK(other.Command({"GET", "renamed"}), "db0");
  EXPECT_NIL(other.Command({"GET", "only1"}));
}

// The state every mutation below leaves, checked after a restart and after a kill -9.
class GenericKeysDurabilityTest : public GenericKeysTest {
 protected:
  void MutateAcrossDatabases() {
    for (int i = 0; i < 20; ++i) Set("k" + std::to_string(i), std::to_string(i));
    ASSERT_INTEGER(client_.Command({"DEL", "k0", "k1"}), 2);
    ASSERT_INTEGER(client_.Command({"UNLINK", "k2"}), 1);
    ASSERT_OK(client_.Command({"RENAME", "k3", "renamed"}));
    ASSERT_INTEGER(client_.Command({"RENAMENX", "k4", "renamednx"}), 1);
    ASSERT_INTEGER(client_.Command({"COPY", "k5", "copied"}), 1);
    ASSERT_INTEGER(client_.Command({"COPY", "k6", "k6", "DB", "7"}), 1);
    ASSERT_INTEGER(client_.Command({"MOVE", "k7", "9"}), 1);
  }

  void ExpectMutatedState() {
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), 17);
    EXPECT_INTEGER(client_.Command({"EXISTS", "k0", "k1", "k2", "k3", "k4", "k7"}), 0);
    EXPECT_BULK(client_.Command({"GET", "renamed"}), "3");
    EXPECT_BULK(client_.Command({"GET", "renamednx"}), "4");
    EXPECT_BULK(client_.Command({"GET", "copied"}), "5");
    EXPECT_BULK(client_.Command({"GET", "k5"}), "5");
    EXPECT_BULK(client_.Command({"GET", "k19"}), "19");
    Select(7);
    EXPECT_BULK(client_.Command({"GET", "k6"}), "6");
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
    Select(9);
    EXPECT_BULK(client_.Command({"GET", "k7"}), "7");
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
  }
};

TEST_F(GenericKeysDurabilityTest, SurvivesRestart) {
  ASSERT_NO_FATAL_FAILURE(MutateAcrossDatabases());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  ExpectMutatedState();
}

class GenericKeysKill9AlwaysTest : public GenericKeysDurabilityTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(GenericKeysKill9AlwaysTest, AcknowledgedChangesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(MutateAcrossDatabases());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  ExpectMutatedState();
}

class GenericKeysKill9EverySecTest : public GenericKeysDurabilityTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "everysec"}; }
};

TEST_F(GenericKeysKill9EverySecTest, AcknowledgedChangesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(MutateAcrossDatabases());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  ExpectMutatedState();
}

}  // namespace
}  // namespace cairn::test
