// E2E tests of LCS: the subsequence, LEN, IDX with MINMATCHLEN and WITHMATCHLEN (RESP2 flat
// array, RESP3 map), missing keys, option errors and the proto-max-bulk-len memory bound.
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class StringLcsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    ASSERT_OK(Run({"MSET", "a", "ohmytext", "b", "mynewtext"}));
  }

  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  static Reply Range(long long start, long long end) {
    return Reply::Array({Reply::Integer(start), Reply::Integer(end)});
  }
  static Reply Match(long long a_start, long long a_end, long long b_start, long long b_end) {
    return Reply::Array({Range(a_start, a_end), Range(b_start, b_end)});
  }
  static Reply Match(long long a_start, long long a_end, long long b_start, long long b_end,
                     long long length) {
    return Reply::Array({Range(a_start, a_end), Range(b_start, b_end), Reply::Integer(length)});
  }
  // IDX's reply as RESP2 sends it: "matches", [...], "len", n.
  static Reply Resp2Idx(std::vector<Reply> matches, long long length) {
    return Reply::Array({Reply::String("matches"), Reply::Array(std::move(matches)),
                         Reply::String("len"), Reply::Integer(length)});
  }
};

TEST_F(StringLcsTest, SubsequenceAndLength) {
  EXPECT_BULK(Run({"LCS", "a", "b"}), "mytext");
  EXPECT_BULK(Run({"LCS", "b", "a"}), "mytext");
  EXPECT_INTEGER(Run({"LCS", "a", "b", "LEN"}), 6);
  EXPECT_INTEGER(Run({"LCS", "a", "b", "len"}), 6);
  EXPECT_BULK(Run({"LCS", "a", "a"}), "ohmytext");
  ASSERT_OK(
      Run({"MSET", "x", "ACCGGTCGAGTGCGCGGAAGCCGGCCGAA", "y", "GTCGTTCGGAATGCCGTTGCTCTGTAAA"}));
  EXPECT_BULK(Run({"LCS", "x", "y"}), "GTCGTCGGAAGCCGGCCGAA");
  EXPECT_INTEGER(Run({"LCS", "x", "y", "LEN"}), 20);
  ASSERT_OK(Run({"MSET", "p", "abc", "q", "xyz"}));
  EXPECT_BULK(Run({"LCS", "p", "q"}), "");
  EXPECT_INTEGER(Run({"LCS", "p", "q", "LEN"}), 0);
}

TEST_F(StringLcsTest, MissingKeysAreEmptyStrings) {
  EXPECT_BULK(Run({"LCS", "missing", "other"}), "");
  EXPECT_BULK(Run({"LCS", "a", "missing"}), "");
  EXPECT_INTEGER(Run({"LCS", "missing", "a", "LEN"}), 0);
  EXPECT_EQ(Run({"LCS", "a", "missing", "IDX"}), Resp2Idx({}, 0));
}

TEST_F(StringLcsTest, IdxRanges) {
  EXPECT_EQ(Run({"LCS", "a", "b", "IDX"}), Resp2Idx({Match(4, 7, 5, 8), Match(2, 3, 0, 1)}, 6));
  EXPECT_EQ(Run({"LCS", "a", "b", "IDX", "WITHMATCHLEN"}),
            Resp2Idx({Match(4, 7, 5, 8, 4), Match(2, 3, 0, 1, 2)}, 6));
  EXPECT_EQ(Run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"}),
            Resp2Idx({Match(4, 7, 5, 8, 4)}, 6));
  EXPECT_EQ(Run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "5"}), Resp2Idx({}, 6));
  // A negative MINMATCHLEN counts as 0.
  EXPECT_EQ(Run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"}),
            Resp2Idx({Match(4, 7, 5, 8), Match(2, 3, 0, 1)}, 6));
  // MINMATCHLEN and WITHMATCHLEN without IDX do not change the plain reply.
  EXPECT_BULK(Run({"LCS", "a", "b", "MINMATCHLEN", "3", "WITHMATCHLEN"}), "mytext");
  EXPECT_INTEGER(Run({"LCS", "a", "b", "LEN", "MINMATCHLEN", "3"}), 6);
}

TEST_F(StringLcsTest, IdxRangesOfALongerPair) {
  ASSERT_OK(
      Run({"MSET", "x", "ACCGGTCGAGTGCGCGGAAGCCGGCCGAA", "y", "GTCGTTCGGAATGCCGTTGCTCTGTAAA"}));
  EXPECT_EQ(
      Run({"LCS", "x", "y", "IDX", "MINMATCHLEN", "3", "WITHMATCHLEN"}),
      Resp2Idx({Match(19, 22, 12, 15, 4), Match(14, 18, 6, 10, 5), Match(4, 6, 0, 2, 3)}, 20));
}

TEST_F(StringLcsTest, Resp3IdxIsAMap) {
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply reply = Run({"LCS", "a", "b", "IDX", "WITHMATCHLEN"});
  EXPECT_MAP(reply, {{"matches", Reply::Array({Match(4, 7, 5, 8, 4), Match(2, 3, 0, 1, 2)})},
                     {"len", Reply::Integer(6)}});
  EXPECT_MAP(Run({"LCS", "missing", "a", "IDX"}),
             {{"matches", Reply::Array({})}, {"len", Reply::Integer(0)}});
  EXPECT_BULK(Run({"LCS", "a", "b"}), "mytext");
  EXPECT_INTEGER(Run({"LCS", "a", "b", "LEN"}), 6);
}

TEST_F(StringLcsTest, OptionErrors) {
  EXPECT_ERROR(Run({"LCS", "a", "b", "IDX", "LEN"}),
               "ERR If you want both the length and indexes, please just use IDX.");
  EXPECT_ERROR(Run({"LCS", "a", "b", "LEN", "IDX"}),
               "ERR If you want both the length and indexes, please just use IDX.");
  EXPECT_ERROR(Run({"LCS", "a", "b", "FOO"}), "ERR syntax error");
  EXPECT_ERROR(Run({"LCS", "a", "b", "MINMATCHLEN"}), "ERR syntax error");
  EXPECT_ERROR(Run({"LCS", "a", "b", "MINMATCHLEN", "abc"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(Run({"LCS", "a"}), "ERR wrong number of arguments for 'lcs' command");
}

TEST_F(StringLcsTest, TableLargerThanProtoMaxBulkLenIsRefused) {
  ASSERT_OK(Run({"CONFIG", "SET", "proto-max-bulk-len", "1mb"}));
  // (600 + 1)^2 cells of 4 bytes exceed 1 MB; (500 + 1)^2 do not.
  ASSERT_OK(Run({"MSET", "big1", std::string(600, 'a'), "big2", std::string(600, 'a')}));
  EXPECT_ERROR(Run({"LCS", "big1", "big2"}),
               "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  EXPECT_ERROR(Run({"LCS", "big1", "big2", "LEN"}),
               "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  ASSERT_OK(Run({"MSET", "ok1", std::string(500, 'a'), "ok2", std::string(500, 'a')}));
  EXPECT_INTEGER(Run({"LCS", "ok1", "ok2", "LEN"}), 500);
  // Option errors come before the size check.
  EXPECT_ERROR(Run({"LCS", "big1", "big2", "FOO"}), "ERR syntax error");
}

TEST_F(StringLcsTest, BinaryStrings) {
  ASSERT_OK(Run({"MSET", "x", std::string("a\0b\0c", 5), "y", std::string("\0\0c", 3)}));
  EXPECT_BULK(Run({"LCS", "x", "y"}), std::string("\0\0c", 3));
}

}  // namespace
}  // namespace cairn::test
