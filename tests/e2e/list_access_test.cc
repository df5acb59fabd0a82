// E2E tests of the list reads and middle writes: LLEN LINDEX LRANGE LPOS LINSERT LSET LREM
// LTRIM — index rules, options, every error Redis 7.0 gives in its order (LINDEX and LSET look
// the key up before they parse the index, the others parse first), RESP3 shapes and deletion
// of the emptied key.
#include <string>
#include <vector>

#include "tests/e2e/list_test_util.h"

namespace cairn::test {
namespace {

using ListAccessTest = ListTest;

TEST_F(ListAccessTest, LenAndIndex) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c"}), 3);
  EXPECT_INTEGER(Run({"LLEN", "l"}), 3);
  EXPECT_INTEGER(Run({"LLEN", "none"}), 0);
  EXPECT_BULK(Run({"LINDEX", "l", "0"}), "a");
  EXPECT_BULK(Run({"LINDEX", "l", "-1"}), "c");
  EXPECT_BULK(Run({"LINDEX", "l", "-3"}), "a");
  EXPECT_NIL(Run({"LINDEX", "l", "3"}));
  EXPECT_NIL(Run({"LINDEX", "l", "-4"}));
  EXPECT_NIL(Run({"LINDEX", "l", "-9223372036854775808"}));
  EXPECT_NIL(Run({"LINDEX", "none", "0"}));
  EXPECT_NIL(Run({"LINDEX", "none", "x"}));  // the key is looked up first
  EXPECT_ERROR(Run({"LINDEX", "l", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"LINDEX", "l", "1.5"}), kNotInteger);
  EXPECT_EQ(RawFirstLine("LINDEX l 9", /*resp3=*/true), "_");
}

TEST_F(ListAccessTest, Range) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c", "d"}), 4);
  EXPECT_STRINGS(Run({"LRANGE", "l", "1", "2"}), {"b", "c"});
  EXPECT_STRINGS(Run({"LRANGE", "l", "-100", "100"}), {"a", "b", "c", "d"});
  EXPECT_STRINGS(Run({"LRANGE", "l", "-2", "-1"}), {"c", "d"});
  EXPECT_STRINGS(Run({"LRANGE", "l", "3", "1"}), {});
  EXPECT_STRINGS(Run({"LRANGE", "l", "-1", "-2"}), {});
  EXPECT_STRINGS(Run({"LRANGE", "l", "4", "9"}), {});
  EXPECT_STRINGS(Run({"LRANGE", "l", "-9223372036854775808", "9223372036854775807"}),
                 {"a", "b", "c", "d"});
  EXPECT_STRINGS(Run({"LRANGE", "none", "0", "-1"}), {});
  EXPECT_EQ(RawFirstLine("LRANGE none 0 -1"), "*0");
  EXPECT_ERROR(Run({"LRANGE", "l", "x", "1"}), kNotInteger);
  EXPECT_ERROR(Run({"LRANGE", "l", "0", "y"}), kNotInteger);
  EXPECT_ERROR(Run({"LRANGE", "none", "x", "1"}), kNotInteger);
}

TEST_F(ListAccessTest, LargeListRangeFromTheMiddle) {
  std::vector<std::string> push{"RPUSH", "big"};
  for (int i = 0; i < 5000; ++i) push.push_back(std::to_string(i));
  ASSERT_INTEGER(Run(push), 5000);
  EXPECT_STRINGS(Run({"LRANGE", "big", "2500", "2502"}), {"2500", "2501", "2502"});
  EXPECT_STRINGS(Run({"LRANGE", "big", "-2", "-1"}), {"4998", "4999"});
  EXPECT_BULK(Run({"LINDEX", "big", "4321"}), "4321");
  ASSERT_OK(Run({"LTRIM", "big", "1000", "-1001"}));
  EXPECT_INTEGER(Run({"LLEN", "big"}), 3000);
  EXPECT_BULK(Run({"LINDEX", "big", "0"}), "1000");
  EXPECT_BULK(Run({"LINDEX", "big", "-1"}), "3999");
  EXPECT_INTEGER(Run({"LPOS", "big", "3999"}), 2999);
}

TEST_F(ListAccessTest, PosOptions) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "a", "c", "a"}), 5);
  EXPECT_INTEGER(Run({"LPOS", "l", "a"}), 0);
  EXPECT_INTEGER(Run({"LPOS", "l", "c"}), 3);
  EXPECT_NIL(Run({"LPOS", "l", "z"}));
  EXPECT_INTEGER(Run({"LPOS", "l", "a", "RANK", "2"}), 2);
  EXPECT_INTEGER(Run({"LPOS", "l", "a", "RANK", "-1"}), 4);
  EXPECT_NIL(Run({"LPOS", "l", "a", "RANK", "4"}));
  EXPECT_NIL(Run({"LPOS", "l", "a", "RANK", "9223372036854775807"}));
  EXPECT_INTEGER(Run({"LPOS", "l", "a", "RANK", "-9223372036854775808"}), 4);
  EXPECT_INTEGER(Run({"LPOS", "l", "a", "rank", "1", "RANK", "-1"}), 4);  // the last one wins
  Reply reply = Run({"LPOS", "l", "a", "COUNT", "0"});
  EXPECT_EQ(reply, Reply::Array({Reply::Integer(0), Reply::Integer(2), Reply::Integer(4)}))
      << reply;
  reply = Run({"LPOS", "l", "a", "RANK", "-1", "COUNT", "2"});
  EXPECT_EQ(reply, Reply::Array({Reply::Integer(4), Reply::Integer(2)})) << reply;
  reply = Run({"LPOS", "l", "a", "RANK", "2", "COUNT", "2", "MAXLEN", "3"});
  EXPECT_EQ(reply, Reply::Array({Reply::Integer(2)})) << reply;
  EXPECT_NIL(Run({"LPOS", "l", "c", "MAXLEN", "3"}));
  EXPECT_STRINGS(Run({"LPOS", "l", "z", "COUNT", "1"}), {});
  EXPECT_STRINGS(Run({"LPOS", "none", "a", "COUNT", "0"}), {});
  EXPECT_NIL(Run({"LPOS", "none", "a"}));
  EXPECT_EQ(RawFirstLine("LPOS none a COUNT 1"), "*0");
  EXPECT_EQ(RawFirstLine("LPOS none a", /*resp3=*/true), "_");
}

TEST_F(ListAccessTest, PosErrors) {
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  ASSERT_INTEGER(Run({"RPUSH", "l", "a"}), 1);
  const char* kRankZero =
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
      "negative to start from the end of the list";
  EXPECT_ERROR(Run({"LPOS", "l", "a", "RANK", "0"}), kRankZero);
  EXPECT_ERROR(Run({"LPOS", "str", "a", "RANK", "0"}), kRankZero);  // options come first
  EXPECT_ERROR(Run({"LPOS", "l", "a", "RANK", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"LPOS", "l", "a", "COUNT", "-1"}), "ERR COUNT can't be negative");
  EXPECT_ERROR(Run({"LPOS", "l", "a", "COUNT", "x"}), "ERR COUNT can't be negative");
  EXPECT_ERROR(Run({"LPOS", "l", "a", "MAXLEN", "-1"}), "ERR MAXLEN can't be negative");
  EXPECT_ERROR(Run({"LPOS", "l", "a", "MAXLEN", "x"}), "ERR MAXLEN can't be negative");
  EXPECT_ERROR(Run({"LPOS", "l", "a", "RANK"}), kSyntax);
  EXPECT_ERROR(Run({"LPOS", "l", "a", "foo", "1"}), kSyntax);
  EXPECT_ERROR(Run({"LPOS", "str", "a"}), kWrongType);
  EXPECT_ERROR(Run({"LPOS", "hash", "a", "COUNT", "0"}), kWrongType);
  EXPECT_ERROR(Run({"LPOS", "l"}), "ERR wrong number of arguments for 'lpos' command");
}

TEST_F(ListAccessTest, Insert) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c"}), 3);
  EXPECT_INTEGER(Run({"LINSERT", "l", "BEFORE", "b", "x"}), 4);
  EXPECT_INTEGER(Run({"LINSERT", "l", "after", "c", "y"}), 5);
  EXPECT_INTEGER(Run({"LINSERT", "l", "Before", "a", "h"}), 6);
  EXPECT_INTEGER(Run({"LINSERT", "l", "AFTER", "zz", "q"}), -1);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"h", "a", "x", "b", "c", "y"});
  EXPECT_INTEGER(Run({"LINSERT", "none", "BEFORE", "a", "b"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "none"}), 0);
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  EXPECT_ERROR(Run({"LINSERT", "l", "MIDDLE", "a", "b"}), kSyntax);
  EXPECT_ERROR(Run({"LINSERT", "str", "MIDDLE", "a", "b"}), kSyntax);
  EXPECT_ERROR(Run({"LINSERT", "str", "BEFORE", "a", "b"}), kWrongType);
  EXPECT_ERROR(Run({"LINSERT", "hash", "AFTER", "a", "b"}), kWrongType);
  EXPECT_ERROR(Run({"LINSERT", "l", "BEFORE", "a"}),
               "ERR wrong number of arguments for 'linsert' command");
}

TEST_F(ListAccessTest, Set) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c"}), 3);
  EXPECT_OK(Run({"LSET", "l", "1", "B"}));
  EXPECT_OK(Run({"LSET", "l", "-1", "C"}));
  EXPECT_OK(Run({"LSET", "l", "0", "A"}));
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"A", "B", "C"});
  EXPECT_ERROR(Run({"LSET", "l", "3", "x"}), "ERR index out of range");
  EXPECT_ERROR(Run({"LSET", "l", "-4", "x"}), "ERR index out of range");
  EXPECT_ERROR(Run({"LSET", "l", "x", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"LSET", "none", "0", "x"}), "ERR no such key");
  EXPECT_ERROR(Run({"LSET", "none", "x", "x"}), "ERR no such key");  // the key comes first
  EXPECT_INTEGER(Run({"EXISTS", "none"}), 0);
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  EXPECT_ERROR(Run({"LSET", "str", "0", "x"}), kWrongType);
  EXPECT_ERROR(Run({"LSET", "hash", "x", "x"}), kWrongType);
}

TEST_F(ListAccessTest, Rem) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "x", "a", "x", "b", "x", "c", "x"}), 7);
  EXPECT_INTEGER(Run({"LREM", "l", "1", "x"}), 1);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"a", "x", "b", "x", "c", "x"});
  EXPECT_INTEGER(Run({"LREM", "l", "-2", "x"}), 2);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"a", "x", "b", "c"});
  EXPECT_INTEGER(Run({"LREM", "l", "0", "zz"}), 0);
  EXPECT_INTEGER(Run({"LREM", "l", "0", "x"}), 1);
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"a", "b", "c"});
  EXPECT_INTEGER(Run({"LREM", "none", "0", "x"}), 0);
  ASSERT_INTEGER(Run({"RPUSH", "same", "x", "x"}), 2);
  EXPECT_INTEGER(Run({"LREM", "same", "0", "x"}), 2);
  EXPECT_INTEGER(Run({"EXISTS", "same"}), 0);
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  EXPECT_ERROR(Run({"LREM", "l", "x", "a"}), kNotInteger);
  EXPECT_ERROR(Run({"LREM", "str", "x", "a"}), kNotInteger);
  EXPECT_ERROR(Run({"LREM", "str", "0", "a"}), kWrongType);
  EXPECT_ERROR(Run({"LREM", "hash", "0", "a"}), kWrongType);
}

TEST_F(ListAccessTest, Trim) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a", "b", "c", "d", "e"}), 5);
  EXPECT_OK(Run({"LTRIM", "l", "1", "-2"}));
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"b", "c", "d"});
  EXPECT_OK(Run({"LTRIM", "l", "-100", "100"}));
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"b", "c", "d"});
  EXPECT_OK(Run({"LTRIM", "l", "1", "1"}));
  EXPECT_STRINGS(Run({"LRANGE", "l", "0", "-1"}), {"c"});
  EXPECT_OK(Run({"LTRIM", "l", "1", "0"}));
  EXPECT_INTEGER(Run({"EXISTS", "l"}), 0);
  EXPECT_OK(Run({"LTRIM", "none", "0", "1"}));
  EXPECT_INTEGER(Run({"EXISTS", "none"}), 0);
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  EXPECT_ERROR(Run({"LTRIM", "str", "0", "1"}), kWrongType);
  EXPECT_ERROR(Run({"LTRIM", "hash", "0", "1"}), kWrongType);
  EXPECT_ERROR(Run({"LTRIM", "str", "x", "1"}), kNotInteger);
  EXPECT_ERROR(Run({"LTRIM", "none", "0", "y"}), kNotInteger);
}

TEST_F(ListAccessTest, ReadsOfOtherTypesAreWrongType) {
  ASSERT_NO_FATAL_FAILURE(MakeWrongTypes());
  for (const char* key : {"str", "hash"}) {
    EXPECT_ERROR(Run({"LLEN", key}), kWrongType);
    EXPECT_ERROR(Run({"LINDEX", key, "0"}), kWrongType);
    EXPECT_ERROR(Run({"LINDEX", key, "x"}), kWrongType);
    EXPECT_ERROR(Run({"LRANGE", key, "0", "-1"}), kWrongType);
  }
  EXPECT_ERROR(Run({"LLEN"}), "ERR wrong number of arguments for 'llen' command");
  EXPECT_ERROR(Run({"LRANGE", "l", "0"}), "ERR wrong number of arguments for 'lrange' command");
}

TEST_F(ListAccessTest, ReadsCountKeyspaceHitsAndMisses) {
  ASSERT_INTEGER(Run({"RPUSH", "l", "a"}), 1);
  ASSERT_OK(Run({"CONFIG", "RESETSTAT"}));
  Run({"LLEN", "l"});
  Run({"LRANGE", "l", "5", "6"});  // an empty answer from an existing list is a hit
  Run({"LPOS", "l", "zz"});
  Run({"LINDEX", "none", "0"});
  Run({"LRANGE", "none", "0", "-1"});
  Reply info = Run({"INFO", "stats"});
  EXPECT_NE(info.text().find("keyspace_hits:3"), std::string::npos) << info.text();
  EXPECT_NE(info.text().find("keyspace_misses:2"), std::string::npos) << info.text();
}

}  // namespace
}  // namespace cairn::test
