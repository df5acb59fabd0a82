// E2E tests of the generic key commands on collections (hash, list, set, sorted set): TYPE
// and SCAN TYPE, COPY (DB, REPLACE), RENAME, RENAMENX, MOVE, EXPIRE/TTL/PERSIST with lazy
// and active expiry (members follow the key; a re-created key starts empty), DEL/UNLINK of
// a million-member hash, overwrite by SET, FLUSHDB, restart and kill -9.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "tests/e2e/generic_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

struct CollectionKind {
  const char* type;                 // TYPE's name
  std::vector<std::string> create;  // creates the key "k" with three members
  std::vector<std::string> add;     // adds one member to "k"
  std::vector<std::string> read;    // the whole content of "k", in a stable order
  std::vector<std::string> count;   // its member count
};

// Commands name the key "k"; Replace swaps in another key name.
std::vector<std::string> Replace(std::vector<std::string> command, const std::string& key) {
  std::replace(command.begin(), command.end(), std::string("k"), key);
  return command;
}

const std::vector<CollectionKind>& Kinds() {
  static const std::vector<CollectionKind> kinds = {
      {"hash",
       {"HSET", "k", "f1", "v1", "f2", "v2", "f3", "v3"},
       {"HSET", "k", "f4", "v4"},
       {"HGETALL", "k"},
       {"HLEN", "k"}},
      {"list",
       {"RPUSH", "k", "a", "b", "c"},
       {"RPUSH", "k", "d"},
       {"LRANGE", "k", "0", "-1"},
       {"LLEN", "k"}},
      {"set", {"SADD", "k", "a", "b", "c"}, {"SADD", "k", "d"}, {"SMEMBERS", "k"}, {"SCARD", "k"}},
      {"zset",
       {"ZADD", "k", "1", "a", "2", "b", "3", "c"},
       {"ZADD", "k", "4", "d"},
       {"ZRANGE", "k", "0", "-1", "WITHSCORES"},
       {"ZCARD", "k"}},
  };
  return kinds;
}

class CollectionKeyspaceTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& command, const std::string& key) {
    return client_.Command(Replace(command, key));
  }

  void Create(const CollectionKind& kind, const std::string& key) {
    Reply reply = Run(kind.create, key);
    ASSERT_EQ(reply.type(), ReplyType::kInteger) << kind.type << ": " << reply;
  }

  // The content of `key` as its kind reads it; hash pairs as "field=value". Hashes and sets
  // have no stable order: sorted here.
  std::vector<std::string> Content(const CollectionKind& kind, const std::string& key) {
    Reply reply = Run(kind.read, key);
    std::vector<std::string> items;
    bool hash = std::string(kind.type) == "hash";
    for (size_t i = 0; i < reply.size(); i += hash ? 2 : 1) {
      items.push_back(hash ? reply[i].text() + "=" + reply[i + 1].text() : reply[i].text());
    }
    if (hash || std::string(kind.type) == "set") std::sort(items.begin(), items.end());
    return items;
  }

  long long Count(const CollectionKind& kind, const std::string& key) {
    return IntegerOf(Run(kind.count, key));
  }

  long long DbSize() { return IntegerOf(client_.Command({"DBSIZE"})); }
};

TEST_F(CollectionKeyspaceTest, TypeAndScanType) {
  for (const CollectionKind& kind : Kinds()) {
    ASSERT_NO_FATAL_FAILURE(Create(kind, std::string("key-") + kind.type));
  }
  ASSERT_OK(client_.Command({"SET", "key-string", "x"}));
  for (const CollectionKind& kind : Kinds()) {
    std::string key = std::string("key-") + kind.type;
    EXPECT_STATUS(client_.Command({"TYPE", key}), kind.type);
    std::vector<std::string> found;
    std::string cursor = "0";
    do {
      Reply scan = client_.Command({"SCAN", cursor, "TYPE", kind.type, "COUNT", "1000"});
      ASSERT_EQ(scan.size(), 2u) << scan;
      for (const Reply& name : scan[1].elements()) found.push_back(name.text());
      cursor = scan[0].text();
    } while (cursor != "0");
    EXPECT_EQ(found, std::vector<std::string>{key});
  }
}

TEST_F(CollectionKeyspaceTest, CopyWithDbAndReplace) {
  for (const CollectionKind& kind : Kinds()) {
    SCOPED_TRACE(kind.type);
    ASSERT_OK(client_.Command({"FLUSHALL"}));
    ASSERT_NO_FATAL_FAILURE(Create(kind, "src"));
    std::vector<std::string> original = Content(kind, "src");
    EXPECT_INTEGER(client_.Command({"COPY", "src", "dst"}), 1);
    EXPECT_EQ(Content(kind, "dst"), original);
    // The copy is independent of its source.
    ASSERT_FALSE(Run(kind.add, "dst").is_error());
    EXPECT_EQ(Count(kind, "dst"), 4);
    EXPECT_EQ(Content(kind, "src"), original);
    // An existing destination needs REPLACE.
    EXPECT_INTEGER(client_.Command({"COPY", "src", "dst"}), 0);
    EXPECT_INTEGER(client_.Command({"COPY", "src", "dst", "REPLACE"}), 1);
    EXPECT_EQ(Count(kind, "dst"), 3);
    ASSERT_OK(client_.Command({"SET", "str", "x"}));
    EXPECT_INTEGER(client_.Command({"COPY", "src", "str", "REPLACE"}), 1);
    EXPECT_STATUS(client_.Command({"TYPE", "str"}), kind.type);
    // Into another db.
    EXPECT_INTEGER(client_.Command({"COPY", "src", "other", "DB", "1"}), 1);
    ASSERT_OK(client_.Command({"SELECT", "1"}));
    EXPECT_EQ(Content(kind, "other"), original);
    ASSERT_OK(client_.Command({"SELECT", "0"}));
  }
}

TEST_F(CollectionKeyspaceTest, RenameRenamenxAndMove) {
  for (const CollectionKind& kind : Kinds()) {
    SCOPED_TRACE(kind.type);
    ASSERT_OK(client_.Command({"FLUSHALL"}));
    ASSERT_NO_FATAL_FAILURE(Create(kind, "a"));
    std::vector<std::string> original = Content(kind, "a");
    ASSERT_OK(client_.Command({"RENAME", "a", "b"}));
    EXPECT_INTEGER(client_.Command({"EXISTS", "a"}), 0);
    EXPECT_EQ(Content(kind, "b"), original);
    ASSERT_OK(client_.Command({"SET", "c", "x"}));
    EXPECT_INTEGER(client_.Command({"RENAMENX", "b", "c"}), 0);
    EXPECT_INTEGER(client_.Command({"RENAMENX", "b", "d"}), 1);
    EXPECT_EQ(Content(kind, "d"), original);
    // RENAME over another collection replaces it whole.
    ASSERT_INTEGER(client_.Command({"HSET", "h", "x", "y"}), 1);
    ASSERT_OK(client_.Command({"RENAME", "d", "h"}));
    EXPECT_EQ(Content(kind, "h"), original);
    EXPECT_EQ(DbSize(), 2);  // h and c
    EXPECT_INTEGER(client_.Command({"MOVE", "h", "2"}), 1);
    EXPECT_EQ(DbSize(), 1);
    ASSERT_OK(client_.Command({"SELECT", "2"}));
    EXPECT_EQ(Content(kind, "h"), original);
    ASSERT_OK(client_.Command({"SELECT", "0"}));
  }
}

TEST_F(CollectionKeyspaceTest, ExpireTtlPersistAndLazyExpiry) {
  for (const CollectionKind& kind : Kinds()) {
    SCOPED_TRACE(kind.type);
    ASSERT_NO_FATAL_FAILURE(Create(kind, "k"));
    EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
    EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100"}), 1);
    long long ttl = IntegerOf(client_.Command({"TTL", "k"}));
    EXPECT_TRUE(ttl > 0 && ttl <= 100) << ttl;
    // A write keeps the deadline.
    ASSERT_FALSE(Run(kind.add, "k").is_error());
    EXPECT_GT(IntegerOf(client_.Command({"TTL", "k"})), 0);
    EXPECT_INTEGER(client_.Command({"PERSIST", "k"}), 1);
    EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
    // Lazy expiry: the key reads as gone once its deadline passed.
    EXPECT_INTEGER(client_.Command({"PEXPIRE", "k", "1"}), 1);
    EXPECT_TRUE(EventuallyTrue([&] { return Count(kind, "k") == 0; }));
    EXPECT_INTEGER(client_.Command({"EXISTS", "k"}), 0);
    // Re-created, it starts empty: no member of the expired incarnation comes back.
    ASSERT_FALSE(Run(kind.add, "k").is_error());
    EXPECT_EQ(Count(kind, "k"), 1);
    EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
    ASSERT_INTEGER(client_.Command({"DEL", "k"}), 1);
  }
}

TEST_F(CollectionKeyspaceTest, ActiveExpiryReclaimsCollections) {
  for (const CollectionKind& kind : Kinds()) {
    ASSERT_NO_FATAL_FAILURE(Create(kind, std::string("k-") + kind.type));
    EXPECT_INTEGER(client_.Command({"PEXPIRE", std::string("k-") + kind.type, "1"}), 1);
  }
  ASSERT_OK(client_.Command({"SET", "stays", "x"}));
  // No command touches the expiring keys: only the background expiry can bring DBSIZE down.
  EXPECT_TRUE(EventuallyTrue([&] { return DbSize() == 1; })) << DbSize();
  for (const CollectionKind& kind : Kinds()) {
    std::string key = std::string("k-") + kind.type;
    ASSERT_FALSE(Run(kind.add, key).is_error());
    EXPECT_EQ(Count(kind, key), 1) << kind.type;
  }
}

TEST_F(CollectionKeyspaceTest, OverwriteBySetAndWrongTypeAfterwards) {
  for (const CollectionKind& kind : Kinds()) {
    SCOPED_TRACE(kind.type);
    ASSERT_NO_FATAL_FAILURE(Create(kind, "k"));
    ASSERT_OK(client_.Command({"SET", "k", "now a string"}));
    EXPECT_STATUS(client_.Command({"TYPE", "k"}), "string");
    EXPECT_ERROR_PREFIX(Run(kind.add, "k"), "WRONGTYPE");
    ASSERT_INTEGER(client_.Command({"DEL", "k"}), 1);
    ASSERT_FALSE(Run(kind.add, "k").is_error());
    EXPECT_EQ(Count(kind, "k"), 1);
    ASSERT_INTEGER(client_.Command({"DEL", "k"}), 1);
  }
}

TEST_F(CollectionKeyspaceTest, FlushDbDropsCollections) {
  for (const CollectionKind& kind : Kinds()) {
    ASSERT_NO_FATAL_FAILURE(Create(kind, std::string("k-") + kind.type));
  }
  ASSERT_OK(client_.Command({"SELECT", "1"}));
  ASSERT_INTEGER(client_.Command({"SADD", "other-db", "x"}), 1);
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  EXPECT_EQ(DbSize(), 4);
  ASSERT_OK(client_.Command({"FLUSHDB"}));
  EXPECT_EQ(DbSize(), 0);
  for (const CollectionKind& kind : Kinds()) {
    std::string key = std::string("k-") + kind.type;
    EXPECT_EQ(Count(kind, key), 0);
    ASSERT_FALSE(Run(kind.add, key).is_error());
    EXPECT_EQ(Count(kind, key), 1) << kind.type;
  }
  ASSERT_OK(client_.Command({"SELECT", "1"}));
  EXPECT_INTEGER(client_.Command({"SCARD", "other-db"}), 1);
}

class CollectionBigDeleteTest : public CollectionKeyspaceTest,
                                public ::testing::WithParamInterface<const char*> {
 protected:
  static constexpr int kFields = 1000000;

  // HSET of 1000 fields per command, 50 commands per pipeline.
  void FillBigHash() {
    constexpr int kFieldsPerCommand = 1000;
    constexpr int kCommandsPerPipeline = 50;
    for (int first = 0; first < kFields;) {
      std::vector<std::vector<std::string>> commands;
      for (int c = 0; c < kCommandsPerPipeline && first < kFields; ++c) {
        std::vector<std::string> command = {"HSET", "big"};
        for (int i = first; i < first + kFieldsPerCommand; ++i) {
          command.push_back("field:" + std::to_string(i));
          command.push_back("v");
        }
        first += kFieldsPerCommand;
        commands.push_back(std::move(command));
      }
      for (const Reply& reply : client_.Pipeline(commands)) {
        ASSERT_INTEGER(reply, kFieldsPerCommand);
      }
    }
    ASSERT_INTEGER(client_.Command({"HLEN", "big"}), kFields);
  }
};

TEST_P(CollectionBigDeleteTest, DeleteOfAMillionMemberHashReturnsAndTheNameStartsEmpty) {
  const char* command = GetParam();
  ASSERT_NO_FATAL_FAILURE(FillBigHash());
  ASSERT_OK(client_.Command({"SET", "other", "x"}));
  ASSERT_INTEGER(client_.Command({"EXPIRE", "other", "1000"}), 1);
  auto start = std::chrono::steady_clock::now();
  EXPECT_INTEGER(client_.Command({command, "big"}), 1);
  auto elapsed = std::chrono::steady_clock::now() - start;
  std::cout << command << " of a " << kFields << "-field hash took "
            << std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() << " us\n";
  EXPECT_INTEGER(client_.Command({"EXISTS", "big"}), 0);
  EXPECT_INTEGER(client_.Command({"HLEN", "big"}), 0);
  EXPECT_EQ(DbSize(), 1);
  // A new hash under the same name starts empty.
  ASSERT_INTEGER(client_.Command({"HSET", "big", "field:1", "new"}), 1);
  EXPECT_INTEGER(client_.Command({"HLEN", "big"}), 1);
  Reply scan = client_.Command({"HSCAN", "big", "0", "COUNT", "1000"});
  EXPECT_STRINGS(scan[1], {"field:1", "new"});
  EXPECT_EQ(DbSize(), 2);
  EXPECT_GT(IntegerOf(client_.Command({"TTL", "other"})), 0);
}

INSTANTIATE_TEST_SUITE_P(Command, CollectionBigDeleteTest, ::testing::Values("DEL", "UNLINK"));

class CollectionDurabilityTest : public CollectionKeyspaceTest,
                                 public ::testing::WithParamInterface<const char*> {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--appendfsync", GetParam(), "--save", ""};
  }

  void CreateAll() {
    for (const CollectionKind& kind : Kinds()) {
      ASSERT_NO_FATAL_FAILURE(Create(kind, std::string("k-") + kind.type));
      ASSERT_FALSE(Run(kind.add, std::string("k-") + kind.type).is_error());
    }
    ASSERT_INTEGER(client_.Command({"EXPIRE", "k-set", "100000"}), 1);
  }

  void CheckAll() {
    for (const CollectionKind& kind : Kinds()) {
      std::string key = std::string("k-") + kind.type;
      EXPECT_EQ(Count(kind, key), 4) << kind.type;
      EXPECT_STATUS(client_.Command({"TYPE", key}), kind.type);
    }
    EXPECT_EQ(Content(Kinds()[2], "k-set"), (std::vector<std::string>{"a", "b", "c", "d"}));
    EXPECT_GT(IntegerOf(client_.Command({"TTL", "k-set"})), 0);
    EXPECT_EQ(DbSize(), 4);
  }
};

TEST_P(CollectionDurabilityTest, CollectionsSurviveARestart) {
  ASSERT_NO_FATAL_FAILURE(CreateAll());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  CheckAll();
}

TEST_P(CollectionDurabilityTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(CreateAll());
  ASSERT_INTEGER(client_.Command({"HDEL", "k-hash", "f1"}), 1);
  ASSERT_INTEGER(client_.Command({"HSET", "k-hash", "f1", "again"}), 1);
  // Both policies keep a process crash's acknowledged writes: the WAL is written before
  // the reply, and only an OS crash could lose everysec's last second.
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  CheckAll();
  EXPECT_BULK(client_.Command({"HGET", "k-hash", "f1"}), "again");
}

INSTANTIATE_TEST_SUITE_P(Fsync, CollectionDurabilityTest, ::testing::Values("always", "everysec"));

}  // namespace
}  // namespace cairn::test
