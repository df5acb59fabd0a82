// DUMP and RESTORE end to end: round trips of every type in its compact and large encodings
// (the restored copy DUMPs to the same bytes), REPLACE / ABSTTL / IDLETIME / FREQ, every error
// Redis 7.0 gives in its order, keyspace events, restart and kill -9 keeping restored keys,
// and DUMP inside MULTI/EXEC seeing the transaction's own writes.
#include <cstdint>
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

// Redis's crc64 (Jones, reflected), to build payloads with a valid footer and a bad body.
uint64_t Crc64(const std::string& data) {
  uint64_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
  }
  return crc;
}

std::string WithFooter(const std::string& body, char version = 10) {
  std::string payload = body + std::string(1, version) + std::string(1, '\0');
  uint64_t crc = Crc64(payload);
  for (int i = 0; i < 8; ++i) payload.push_back(static_cast<char>(crc >> (8 * i)));
  return payload;
}

class DumpRestoreTest : public ServerTest {
 protected:
  std::string Dump(const std::string& key) {
    Reply reply = client_.Command({"DUMP", key});
    EXPECT_EQ(reply.type(), ReplyType::kString) << key << ": " << reply;
    return reply.text();
  }

  // RESTOREs key's DUMP as `copy` and checks the copy DUMPs to the same bytes.
  void ExpectCopyEqual(const std::string& key, const std::string& copy) {
    std::string payload = Dump(key);
    ASSERT_OK(client_.Command({"RESTORE", copy, "0", payload, "REPLACE"}));
    EXPECT_EQ(Dump(copy), payload) << key;
    Reply type = client_.Command({"TYPE", key});
    EXPECT_STATUS(client_.Command({"TYPE", copy}), type.text());
  }

  void Run(const std::vector<std::string>& command) {
    Reply reply = client_.Command(command);
    ASSERT_FALSE(reply.is_error()) << reply;
  }

  // Keys of every type in both encodings.
  void MakeSamples() {
    Run({"SET", "str", "hello"});
    Run({"SET", "int", "-12345"});
    Run({"SET", "long", std::string(5000, 'x')});
    Run({"RPUSH", "list", "a", "1", "-70000", "9223372036854775807", "", "a"});
    std::vector<std::string> big_list = {"RPUSH", "biglist"};
    for (int i = 0; i < 3000; ++i) big_list.push_back("element-" + std::to_string(i));
    Run(big_list);
    Run({"SADD", "intset", "3", "-1", "100000", "5000000000"});
    Run({"SADD", "set", "b", "a", std::string("\0\xff", 2)});
    Run({"HSET", "hash", "f", "v", "n", "42"});
    Run({"HSET", "bighash", "f", std::string(100, 'v')});
    Run({"ZADD", "zset", "1", "a", "-inf", "b", "2.5", "c", "inf", "d"});
    Run({"ZADD", "bigzset", "0.1", std::string(100, 'm'), "1e300", "n"});
  }
};

TEST_F(DumpRestoreTest, EveryTypeRoundTrips) {
  MakeSamples();
  for (const char* key : {"str", "int", "long", "list", "biglist", "intset", "set", "hash",
                          "bighash", "zset", "bigzset"}) {
    ASSERT_NO_FATAL_FAILURE(ExpectCopyEqual(key, std::string("copy:") + key));
  }
  EXPECT_STRINGS(client_.Command({"LRANGE", "copy:list", "0", "-1"}),
                 {"a", "1", "-70000", "9223372036854775807", "", "a"});
  EXPECT_BULK(client_.Command({"HGET", "copy:hash", "n"}), "42");
  EXPECT_BULK(client_.Command({"ZSCORE", "copy:zset", "b"}), "-inf");
  EXPECT_INTEGER(client_.Command({"SISMEMBER", "copy:set", std::string("\0\xff", 2)}), 1);
  EXPECT_BULK(client_.Command({"OBJECT", "ENCODING", "copy:intset"}), "intset");
  EXPECT_BULK(client_.Command({"OBJECT", "ENCODING", "copy:set"}), "hashtable");
  EXPECT_BULK(client_.Command({"OBJECT", "ENCODING", "copy:bighash"}), "hashtable");
  EXPECT_BULK(client_.Command({"OBJECT", "ENCODING", "copy:hash"}), "listpack");
  EXPECT_NIL(client_.Command({"DUMP", "missing"}));
}

TEST_F(DumpRestoreTest, ReplaceAbsttlAndTtl) {
  Run({"SET", "s", "v"});
  std::string payload = Dump("s");
  Run({"RPUSH", "l", "x"});
  EXPECT_ERROR(client_.Command({"RESTORE", "l", "0", payload}),
               "BUSYKEY Target key name already exists.");
  EXPECT_OK(client_.Command({"RESTORE", "l", "0", payload, "REPLACE"}));
  EXPECT_BULK(client_.Command({"GET", "l"}), "v");
  EXPECT_OK(client_.Command({"RESTORE", "t", "100000", payload}));
  Reply pttl = client_.Command({"PTTL", "t"});
  EXPECT_TRUE(pttl.integer() > 0 && pttl.integer() <= 100000) << pttl;
  EXPECT_OK(client_.Command({"RESTORE", "a", "4102444800000", payload, "ABSTTL"}));
  EXPECT_INTEGER(client_.Command({"PEXPIRETIME", "a"}), 4102444800000LL);
  // A deadline in the past: nothing is created; with REPLACE the old key goes.
  EXPECT_OK(client_.Command({"RESTORE", "gone", "1", payload, "ABSTTL"}));
  EXPECT_INTEGER(client_.Command({"EXISTS", "gone"}), 0);
  EXPECT_OK(client_.Command({"RESTORE", "a", "1", payload, "ABSTTL", "REPLACE"}));
  EXPECT_INTEGER(client_.Command({"EXISTS", "a"}), 0);
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 3);
}

TEST_F(DumpRestoreTest, IdletimeAndFreq) {
  Run({"SET", "s", "v"});
  std::string payload = Dump("s");
  EXPECT_OK(client_.Command({"RESTORE", "idle", "0", payload, "IDLETIME", "1000"}));
  Reply idle = client_.Command({"OBJECT", "IDLETIME", "idle"});
  EXPECT_GE(idle.integer(), 1000) << idle;
  ASSERT_OK(client_.Command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}));
  EXPECT_OK(client_.Command({"RESTORE", "freq", "0", payload, "FREQ", "200"}));
  EXPECT_INTEGER(client_.Command({"OBJECT", "FREQ", "freq"}), 200);
}

TEST_F(DumpRestoreTest, ErrorsInRedisOrder) {
  Run({"SET", "s", "v"});
  std::string payload = Dump("s");
  const char* kSyntax = "ERR syntax error";
  EXPECT_ERROR(client_.Command({"RESTORE", "s", "abc", payload, "BLAH"}), kSyntax);
  EXPECT_ERROR(client_.Command({"RESTORE", "s", "abc", payload}),
               "BUSYKEY Target key name already exists.");
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "abc", payload}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "-1", payload}),
               "ERR Invalid TTL value, must be >= 0");
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", payload, "IDLETIME", "-1"}),
               "ERR Invalid IDLETIME value, must be >= 0");
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", payload, "IDLETIME", "x"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", payload, "FREQ", "256"}),
               "ERR Invalid FREQ value, must be >= 0 and <= 255");
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", payload, "IDLETIME", "1", "FREQ", "1"}),
               kSyntax);
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", payload, "FREQ", "1", "IDLETIME", "1"}),
               kSyntax);
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", payload, "IDLETIME"}), kSyntax);
  const char* kFooter = "ERR DUMP payload version or checksum are wrong";
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", "garbage"}), kFooter);
  std::string flipped = payload;
  flipped[2] ^= 1;
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", flipped}), kFooter);
  std::string newer_payload = WithFooter(payload.substr(0, payload.size() - 10), 11);
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", newer_payload}), kFooter);
  const char* kFormat = "ERR Bad data format";
  for (const std::string& body : {std::string("\x00\x05"
                                              "abc",
                                              5),              // string shorter than its length
                                  std::string("\x01\x00", 2),  // empty list
                                  std::string("\x02\x02\x01z\x01z", 6),  // duplicate set member
                                  std::string("\x0f\x00", 2)}) {         // a stream
    EXPECT_ERROR(client_.Command({"RESTORE", "n", "0", WithFooter(body)}), kFormat);
  }
  EXPECT_ERROR(client_.Command({"RESTORE", "n", "0"}),
               "ERR wrong number of arguments for 'restore' command");
  EXPECT_ERROR(client_.Command({"DUMP"}), "ERR wrong number of arguments for 'dump' command");
  EXPECT_INTEGER(client_.Command({"EXISTS", "n"}), 0);
}

TEST_F(DumpRestoreTest, DumpInsideMultiSeesPendingWrites) {
  ASSERT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"RPUSH", "l", "a", "b"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"DUMP", "l"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 2u) << exec;
  ASSERT_EQ(exec[1].type(), ReplyType::kString) << exec;
  EXPECT_OK(client_.Command({"RESTORE", "copy", "0", exec[1].text()}));
  EXPECT_STRINGS(client_.Command({"LRANGE", "copy", "0", "-1"}), {"a", "b"});
}

class DumpRestoreDurabilityTest : public DumpRestoreTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(DumpRestoreDurabilityTest, RestoredKeysSurviveRestartAndKill9) {
  MakeSamples();
  std::vector<std::string> keys = {"list",    "biglist", "intset",  "set", "hash",
                                   "bighash", "zset",    "bigzset", "long"};
  std::vector<std::string> payloads;
  for (const std::string& key : keys) {
    payloads.push_back(Dump(key));
    ASSERT_OK(client_.Command({"RESTORE", "r:" + key, "0", payloads.back()}));
  }
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(Dump("r:" + keys[i]), payloads[i]);
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_OK(client_.Command({"RESTORE", "k:" + keys[i], "0", payloads[i]}));
  }
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  client_ = Connect();
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(Dump("k:" + keys[i]), payloads[i]);
}

class DumpNotifyTest : public NotifyTest {};

TEST_F(DumpNotifyTest, RestoreEventsMatchRedis) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  ASSERT_OK(client_.Command({"SET", "s", "v"}));
  Reply payload = client_.Command({"DUMP", "s"});
  std::vector<std::string> events =
      EventsOf(client_, subscriber_,
               {{"RESTORE", "n", "0", payload.text()},
                {"RESTORE", "s", "0", payload.text(), "REPLACE"},
                {"RESTORE", "s", "1", payload.text(), "REPLACE", "ABSTTL"},
                {"RESTORE", "x", "1", payload.text(), "ABSTTL"},
                {"RESTORE", "n", "0", payload.text()}});
  // The SET that made the payload was published before the commands above.
  EXPECT_EQ(events, Events({Both("set", "s"), Both("restore", "n"), Both("restore", "s"),
                            Both("del", "s")}));
}

}  // namespace
}  // namespace cairn::test
