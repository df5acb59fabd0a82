// E2E tests of OBJECT: ENCODING and REFCOUNT as Redis 7.0 reports them for strings,
// IDLETIME and FREQ with the maxmemory-policy rules and errors, HELP, a missing key's null
// reply in RESP2 and RESP3, and the subcommand errors.
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/generic_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr long long kSharedRefcount = 2147483647;

class GenericObjectTest : public ServerTest {
 protected:
  void Set(const std::string& key, const std::string& value) {
    ASSERT_OK(client_.Command({"SET", key, value}));
  }
  void ConfigSet(const std::string& name, const std::string& value) {
    ASSERT_OK(client_.Command({"CONFIG", "SET", name, value}));
  }
  long long IdleTime(const std::string& key) {
    return IntegerOf(client_.Command({"OBJECT", "IDLETIME", key}));
  }
};

TEST_F(GenericObjectTest, StringEncodings) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0", "int"},
      {"100", "int"},
      {"-5", "int"},
      {"9223372036854775807", "int"},
      {"-9223372036854775808", "int"},
      {"9223372036854775808", "embstr"},
      {"12345678901234567890", "embstr"},
      {"0123", "embstr"},
      {"+1", "embstr"},
      {" 1", "embstr"},
      {"-0", "embstr"},
      {"1.5", "embstr"},
      {"", "embstr"},
      {"hello", "embstr"},
      {std::string(44, 'a'), "embstr"},
      {std::string(45, 'a'), "raw"},
      {std::string(10000, 'x'), "raw"},
  };
  for (const auto& [value, encoding] : cases) {
    Set("k", value);
    EXPECT_BULK(client_.Command({"OBJECT", "ENCODING", "k"}), encoding) << "'" << value << "'";
  }
  ASSERT_FALSE(client_.Command({"HELLO", "3"}).is_error());
  EXPECT_BULK(client_.Command({"object", "encoding", "k"}), "raw");
}

TEST_F(GenericObjectTest, MissingKeyIsNullForEverySubcommand) {
  for (int protocol : {2, 3}) {
    ASSERT_FALSE(client_.Command({"HELLO", std::to_string(protocol)}).is_error());
    for (const char* sub : {"ENCODING", "REFCOUNT", "IDLETIME"}) {
      EXPECT_NIL(client_.Command({"OBJECT", sub, "missing"})) << sub;
    }
    // FREQ looks the key up before it checks the policy.
    EXPECT_NIL(client_.Command({"OBJECT", "FREQ", "missing"}));
  }
  ConfigSet("maxmemory-policy", "allkeys-lfu");
  EXPECT_NIL(client_.Command({"OBJECT", "IDLETIME", "missing"}));
  EXPECT_NIL(client_.Command({"OBJECT", "FREQ", "missing"}));
}

TEST_F(GenericObjectTest, RefcountOfSharedSmallIntegers) {
  const std::vector<std::pair<std::string, long long>> cases = {{"0", kSharedRefcount},
                                                                {"100", kSharedRefcount},
                                                                {"9999", kSharedRefcount},
                                                                {"10000", 1},
                                                                {"-1", 1},
                                                                {"0100", 1},
                                                                {"abc", 1},
                                                                {std::string(100, 'z'), 1}};
  for (const auto& [value, refcount] : cases) {
    Set("k", value);
    EXPECT_INTEGER(client_.Command({"OBJECT", "REFCOUNT", "k"}), refcount) << value;
  }
}

TEST_F(GenericObjectTest, RefcountWithEvictionPolicies) {
  // Shared integers are off only with maxmemory set and an LRU or LFU policy. Redis decides
  // when the value is stored, so each case stores it again.
  const std::vector<std::pair<std::pair<std::string, std::string>, long long>> cases = {
      {{"0", "allkeys-lru"}, kSharedRefcount},
      {{"1gb", "allkeys-lru"}, 1},
      {{"1gb", "volatile-lru"}, 1},
      {{"1gb", "volatile-lfu"}, 1},
      {{"1gb", "allkeys-lfu"}, 1},
      {{"1gb", "allkeys-random"}, kSharedRefcount},
      {{"1gb", "volatile-ttl"}, kSharedRefcount},
      {{"1gb", "noeviction"}, kSharedRefcount},
      {{"0", "allkeys-lfu"}, kSharedRefcount},
  };
  for (const auto& [config, refcount] : cases) {
    ConfigSet("maxmemory", config.first);
    ConfigSet("maxmemory-policy", config.second);
    Set("k", "100");
    EXPECT_INTEGER(client_.Command({"OBJECT", "REFCOUNT", "k"}), refcount)
        << config.first << " " << config.second;
  }
}

// Reads that Redis does not count as accesses leave the idle time growing; TOUCH resets it.
TEST_F(GenericObjectTest, IdleTimeGrowsUntilTheKeyIsAccessed) {
  Set("k", "v");
  long long idle = IdleTime("k");
  EXPECT_GE(idle, 0);
  ASSERT_TRUE(EventuallyTrue([&] {
    for (const auto& command : std::vector<std::vector<std::string>>{{"TYPE", "k"},
                                                                     {"EXISTS", "k"},
                                                                     {"TTL", "k"},
                                                                     {"PTTL", "k"},
                                                                     {"EXPIRETIME", "k"},
                                                                     {"OBJECT", "ENCODING", "k"},
                                                                     {"OBJECT", "REFCOUNT", "k"},
                                                                     {"KEYS", "*"},
                                                                     {"SCAN", "0"},
                                                                     {"RANDOMKEY"}}) {
      EXPECT_FALSE(client_.Command(command).is_error()) << command[0];
    }
    idle = IdleTime("k");
    return idle >= 2;
  }));
  EXPECT_INTEGER(client_.Command({"TOUCH", "k"}), 1);
  EXPECT_LT(IdleTime("k"), idle);
}

TEST_F(GenericObjectTest, IdleTimeAndFreqDependOnThePolicy) {
  Set("k", "v");
  EXPECT_ERROR(client_.Command({"OBJECT", "FREQ", "k"}),
               "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
               "Please note that when switching between policies at runtime LRU and LFU data "
               "will take some time to adjust.");
  for (const char* policy : {"allkeys-lfu", "volatile-lfu"}) {
    ConfigSet("maxmemory-policy", policy);
    EXPECT_ERROR(client_.Command({"OBJECT", "IDLETIME", "k"}),
                 "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                 "that when switching between policies at runtime LRU and LFU data will take "
                 "some time to adjust.")
        << policy;
    long long freq = IntegerOf(client_.Command({"OBJECT", "FREQ", "k"}));
    EXPECT_GE(freq, 0);
    EXPECT_LE(freq, 255);
  }
  for (const char* policy : {"allkeys-lru", "volatile-ttl", "noeviction"}) {
    ConfigSet("maxmemory-policy", policy);
    EXPECT_GE(IdleTime("k"), 0) << policy;
    EXPECT_ERROR_PREFIX(client_.Command({"OBJECT", "FREQ", "k"}),
                        "ERR An LFU maxmemory policy is not selected")
        << policy;
  }
}

TEST_F(GenericObjectTest, FreqCountsAccesses) {
  ConfigSet("maxmemory-policy", "allkeys-lfu");
  Set("cold", "v");
  Set("hot", "v");
  for (int i = 0; i < 100; ++i) ASSERT_INTEGER(client_.Command({"TOUCH", "hot"}), 1);
  long long hot = IntegerOf(client_.Command({"OBJECT", "FREQ", "hot"}));
  long long cold = IntegerOf(client_.Command({"OBJECT", "FREQ", "cold"}));
  // The first access of a fresh key always increments Redis's logarithmic counter from its
  // initial 5; asking for FREQ is not an access.
  EXPECT_GE(hot, cold);
  EXPECT_GE(hot, 5);
  EXPECT_LE(hot, 255);
  EXPECT_EQ(IntegerOf(client_.Command({"OBJECT", "FREQ", "cold"})), cold);
}

TEST_F(GenericObjectTest, Help) {
  std::vector<std::string> expected = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help."};
  Reply reply = client_.Command({"object", "help"});
  ASSERT_EQ(reply.type(), ReplyType::kArray) << reply;
  ASSERT_EQ(reply.size(), expected.size()) << reply;
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_STATUS(reply[i], expected[i]) << i;
}

TEST_F(GenericObjectTest, SubcommandAndArityErrors) {
  Set("k", "v");
  EXPECT_ERROR(client_.Command({"OBJECT", "foo", "k"}),
               "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
  EXPECT_ERROR(client_.Command({"OBJECT"}), "ERR wrong number of arguments for 'object' command");
  EXPECT_ERROR(client_.Command({"OBJECT", "ENCODING"}),
               "ERR wrong number of arguments for 'object|encoding' command");
  EXPECT_ERROR(client_.Command({"OBJECT", "ENCODING", "k", "extra"}),
               "ERR wrong number of arguments for 'object|encoding' command");
  EXPECT_ERROR(client_.Command({"OBJECT", "REFCOUNT"}),
               "ERR wrong number of arguments for 'object|refcount' command");
  EXPECT_ERROR(client_.Command({"OBJECT", "IDLETIME", "a", "b"}),
               "ERR wrong number of arguments for 'object|idletime' command");
  EXPECT_ERROR(client_.Command({"OBJECT", "FREQ"}),
               "ERR wrong number of arguments for 'object|freq' command");
  EXPECT_ERROR(client_.Command({"OBJECT", "HELP", "x"}),
               "ERR wrong number of arguments for 'object|help' command");
}

TEST_F(GenericObjectTest, LookupsCountAsKeyspaceHitsAndMisses) {
  Set("k", "v");
  ASSERT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  ASSERT_BULK(client_.Command({"OBJECT", "ENCODING", "k"}), "embstr");
  ASSERT_INTEGER(client_.Command({"OBJECT", "REFCOUNT", "k"}), 1);
  EXPECT_NIL(client_.Command({"OBJECT", "ENCODING", "missing"}));
  Reply info = client_.Command({"INFO", "stats"});
  EXPECT_NE(info.text().find("keyspace_hits:2\r\n"), std::string::npos) << info;
  EXPECT_NE(info.text().find("keyspace_misses:1\r\n"), std::string::npos) << info;
}

}  // namespace
}  // namespace cairn::test
