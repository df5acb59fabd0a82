// E2E tests of the string reads and multi-key commands: GET, GETDEL, GETEX (EX PX EXAT PXAT
// PERSIST), MGET, MSET, MSETNX, and the keyspace hit/miss counters they feed.
#include <cstdint>
#include <string>
#include <vector>

#include "tests/e2e/string_test_util.h"

namespace cairn::test {
namespace {

constexpr char kInvalidGetExExpire[] = "ERR invalid expire time in 'getex' command";

class StringGetTest : public StringTest {
 protected:
  // A field of INFO stats as a number.
  long long StatsField(const std::string& name) {
    Reply info = Run({"INFO", "stats"});
    std::string needle = name + ":";
    size_t at = info.text().find(needle);
    EXPECT_NE(at, std::string::npos) << info;
    if (at == std::string::npos) return -1;
    return std::stoll(info.text().substr(at + needle.size()));
  }
};

TEST_F(StringGetTest, GetDel) {
  EXPECT_OK(Run({"SET", "k", "v"}));
  EXPECT_BULK(Run({"GETDEL", "k"}), "v");
  EXPECT_INTEGER(Run({"EXISTS", "k"}), 0);
  EXPECT_NIL(Run({"GETDEL", "k"}));
  EXPECT_OK(Run({"SET", "t", "v", "EX", "100"}));
  EXPECT_BULK(Run({"GETDEL", "t"}), "v");
  EXPECT_EQ(Pttl("t"), -2);
  EXPECT_ERROR(Run({"GETDEL"}), "ERR wrong number of arguments for 'getdel' command");
}

TEST_F(StringGetTest, GetExWithoutOptionsKeepsTheDeadline) {
  EXPECT_NIL(Run({"GETEX", "missing"}));
  EXPECT_OK(Run({"SET", "k", "v", "EX", "100"}));
  EXPECT_BULK(Run({"GETEX", "k"}), "v");
  EXPECT_GT(Pttl("k"), 90000);
  EXPECT_OK(Run({"SET", "plain", "v"}));
  EXPECT_BULK(Run({"GETEX", "plain"}), "v");
  EXPECT_EQ(Pttl("plain"), -1);
}

TEST_F(StringGetTest, GetExSetsDeadlines) {
  EXPECT_OK(Run({"SET", "k", "v"}));
  EXPECT_BULK(Run({"GETEX", "k", "EX", "100"}), "v");
  long long ttl = Pttl("k");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  EXPECT_BULK(Run({"GETEX", "k", "PX", "200000"}), "v");
  EXPECT_GT(Pttl("k"), 190000);
  long long now_ms = ServerNowMs();
  EXPECT_BULK(Run({"GETEX", "k", "EXAT", std::to_string(now_ms / 1000 + 300)}), "v");
  EXPECT_GT(Pttl("k"), 290000);
  EXPECT_BULK(Run({"GETEX", "k", "pxat", std::to_string(now_ms + 400000)}), "v");
  EXPECT_GT(Pttl("k"), 390000);
  EXPECT_BULK(Run({"GETEX", "k", "PX", "10", "PX", "500000"}), "v");
  EXPECT_GT(Pttl("k"), 490000);
  EXPECT_BULK(Run({"GETEX", "k", "PXAT", "9223372036854775807"}), "v");
  EXPECT_GT(Pttl("k"), 0);
}

TEST_F(StringGetTest, GetExPersist) {
  EXPECT_OK(Run({"SET", "k", "v", "EX", "100"}));
  EXPECT_BULK(Run({"GETEX", "k", "PERSIST"}), "v");
  EXPECT_EQ(Pttl("k"), -1);
  EXPECT_BULK(Run({"GETEX", "k", "persist"}), "v");
  EXPECT_EQ(Pttl("k"), -1);
  EXPECT_BULK(Run({"GETEX", "k", "PERSIST", "PERSIST"}), "v");
}

TEST_F(StringGetTest, GetExPastDeadlineRepliesThenDeletes) {
  EXPECT_OK(Run({"SET", "k", "v"}));
  EXPECT_BULK(Run({"GETEX", "k", "EXAT", "1"}), "v");
  EXPECT_INTEGER(Run({"EXISTS", "k"}), 0);
  EXPECT_OK(Run({"SET", "k", "v"}));
  EXPECT_BULK(Run({"GETEX", "k", "PXAT", "1"}), "v");
  EXPECT_NIL(Run({"GET", "k"}));
}

TEST_F(StringGetTest, GetExErrors) {
  EXPECT_OK(Run({"SET", "k", "v", "EX", "100"}));
  const std::vector<std::vector<std::string>> bad = {
      {"GETEX", "k", "PERSIST", "EX", "10"},
      {"GETEX", "k", "EX", "10", "PERSIST"},
      {"GETEX", "k", "EX", "10", "PX", "10"},
      {"GETEX", "k", "NX"},
      {"GETEX", "k", "XX"},
      {"GETEX", "k", "KEEPTTL"},
      {"GETEX", "k", "GET"},
      {"GETEX", "k", "EX"},
      {"GETEX", "k", "FOO"},
  };
  for (const auto& args : bad) EXPECT_ERROR(Run(args), kSyntax) << args[2];
  for (const char* option : {"EX", "PX", "EXAT", "PXAT"}) {
    EXPECT_ERROR(Run({"GETEX", "k", option, "0"}), kInvalidGetExExpire) << option;
    EXPECT_ERROR(Run({"GETEX", "k", option, "-1"}), kInvalidGetExExpire) << option;
    EXPECT_ERROR(Run({"GETEX", "k", option, "x"}), kNotInteger) << option;
  }
  EXPECT_ERROR(Run({"GETEX", "k", "EX", "9223372036854775807"}), kInvalidGetExExpire);
  EXPECT_ERROR(Run({"GETEX", "k", "EXAT", "9223372036854775807"}), kInvalidGetExExpire);
  EXPECT_ERROR(Run({"GETEX", "k", "PX", "9223372036854775807"}), kInvalidGetExExpire);
  // Nothing changed.
  EXPECT_GT(Pttl("k"), 0);
  EXPECT_ERROR(Run({"GETEX"}), "ERR wrong number of arguments for 'getex' command");
}

TEST_F(StringGetTest, GetExLooksUpTheKeyBeforeCheckingTheTime) {
  // Redis replies nil for a missing key whatever the expire argument holds.
  EXPECT_NIL(Run({"GETEX", "missing", "EX", "-1"}));
  EXPECT_NIL(Run({"GETEX", "missing", "PX", "abc"}));
  EXPECT_NIL(Run({"GETEX", "missing", "EX", "9223372036854775807"}));
  // The syntax is still checked first.
  EXPECT_ERROR(Run({"GETEX", "missing", "EX"}), kSyntax);
}

TEST_F(StringGetTest, MSetAndMGet) {
  EXPECT_OK(Run({"MSET", "a", "1", "b", "2", "c", "3"}));
  EXPECT_STRINGS(Run({"MGET", "a", "b", "c"}), {"1", "2", "3"});
  Reply mixed = Run({"MGET", "a", "missing", "c", "a"});
  ASSERT_EQ(mixed.size(), 4u) << mixed;
  EXPECT_BULK(mixed[0], "1");
  EXPECT_NIL(mixed[1]);
  EXPECT_BULK(mixed[2], "3");
  EXPECT_BULK(mixed[3], "1");
  // The last value of a repeated key wins; MSET clears deadlines.
  EXPECT_OK(Run({"SET", "t", "v", "EX", "100"}));
  EXPECT_OK(Run({"MSET", "a", "x", "t", "y", "a", "z"}));
  EXPECT_BULK(Run({"GET", "a"}), "z");
  EXPECT_BULK(Run({"GET", "t"}), "y");
  EXPECT_EQ(Pttl("t"), -1);
}

TEST_F(StringGetTest, MSetArityErrors) {
  EXPECT_ERROR(Run({"MSET", "a"}), "ERR wrong number of arguments for 'mset' command");
  EXPECT_ERROR(Run({"MSET", "a", "1", "b"}), "ERR wrong number of arguments for 'mset' command");
  EXPECT_ERROR(Run({"MSETNX", "a", "1", "b"}),
               "ERR wrong number of arguments for 'msetnx' command");
  EXPECT_ERROR(Run({"MSETNX", "a"}), "ERR wrong number of arguments for 'msetnx' command");
  EXPECT_ERROR(Run({"MGET"}), "ERR wrong number of arguments for 'mget' command");
  EXPECT_INTEGER(Run({"EXISTS", "a", "b"}), 0);
}

TEST_F(StringGetTest, MSetNxIsAllOrNothing) {
  EXPECT_INTEGER(Run({"MSETNX", "a", "1", "b", "2"}), 1);
  EXPECT_STRINGS(Run({"MGET", "a", "b"}), {"1", "2"});
  EXPECT_INTEGER(Run({"MSETNX", "c", "3", "a", "9"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "c"}), 0);
  EXPECT_BULK(Run({"GET", "a"}), "1");
  // A repeated new key is written once, with its last value.
  EXPECT_INTEGER(Run({"MSETNX", "d", "1", "d", "2"}), 1);
  EXPECT_BULK(Run({"GET", "d"}), "2");
  // An expired key does not block MSETNX.
  EXPECT_OK(Run({"SET", "gone", "v", "PXAT", "1"}));
  EXPECT_INTEGER(Run({"MSETNX", "gone", "back"}), 1);
  EXPECT_BULK(Run({"GET", "gone"}), "back");
}

TEST_F(StringGetTest, Resp3Shapes) {
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_OK(Run({"SET", "a", "1"}));
  Reply mget = Run({"MGET", "a", "missing"});
  ASSERT_EQ(mget.type(), ReplyType::kArray) << mget;
  ASSERT_EQ(mget.size(), 2u);
  EXPECT_BULK(mget[0], "1");
  EXPECT_EQ(mget[1].type(), ReplyType::kNil);
  EXPECT_EQ(Run({"GET", "missing"}).type(), ReplyType::kNil);
  EXPECT_EQ(Run({"GETDEL", "missing"}).type(), ReplyType::kNil);
  EXPECT_EQ(Run({"GETEX", "missing", "PERSIST"}).type(), ReplyType::kNil);
  EXPECT_INTEGER(Run({"MSETNX", "a", "2"}), 0);
}

TEST_F(StringGetTest, ReadsCountKeyspaceHitsAndMisses) {
  EXPECT_OK(Run({"SET", "k", "v"}));
  long long hits = StatsField("keyspace_hits");
  long long misses = StatsField("keyspace_misses");
  Run({"GET", "k"});
  Run({"GET", "missing"});
  Run({"MGET", "k", "missing", "missing2"});
  Run({"GETEX", "k"});
  Run({"GETDEL", "missing"});
  EXPECT_EQ(StatsField("keyspace_hits"), hits + 3);
  EXPECT_EQ(StatsField("keyspace_misses"), misses + 4);
  // Writes are not lookups.
  Run({"SET", "k", "w"});
  Run({"INCR", "counter"});
  EXPECT_EQ(StatsField("keyspace_hits"), hits + 3);
  EXPECT_EQ(StatsField("keyspace_misses"), misses + 4);
}

}  // namespace
}  // namespace cairn::test
