// E2E tests of the set algebra: SINTER, SUNION, SDIFF, their *STORE forms and SINTERCARD
// (LIMIT, numkeys errors), with missing keys as empty sets, WRONGTYPE from any key, a
// destination of any type replaced (or deleted by an empty result), and RESP3 set replies.
#include <string>
#include <vector>

#include "tests/e2e/set_test_util.h"

namespace cairn::test {
namespace {

class SetAlgebra : public SetCommandTest {
 protected:
  void SetUp() override {
    SetCommandTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_INTEGER(Run({"SADD", "a", "1", "2", "3", "4"}), 4);
    ASSERT_INTEGER(Run({"SADD", "b", "3", "4", "5"}), 3);
    ASSERT_INTEGER(Run({"SADD", "c", "4", "x"}), 2);
  }
};

TEST_F(SetAlgebra, Intersection) {
  EXPECT_STRINGS_UNORDERED(Run({"SINTER", "a", "b"}), {"3", "4"});
  EXPECT_STRINGS_UNORDERED(Run({"SINTER", "a", "b", "c"}), {"4"});
  EXPECT_STRINGS_UNORDERED(Run({"SINTER", "a"}), {"1", "2", "3", "4"});
  EXPECT_STRINGS_UNORDERED(Run({"SINTER", "a", "a"}), {"1", "2", "3", "4"});
  EXPECT_STRINGS(Run({"SINTER", "a", "missing"}), {});
  EXPECT_STRINGS(Run({"SINTER", "missing"}), {});
}

TEST_F(SetAlgebra, UnionAndDifference) {
  EXPECT_STRINGS_UNORDERED(Run({"SUNION", "a", "b", "c", "missing", "a"}),
                           {"1", "2", "3", "4", "5", "x"});
  EXPECT_STRINGS(Run({"SUNION", "missing"}), {});
  EXPECT_STRINGS_UNORDERED(Run({"SDIFF", "a", "b"}), {"1", "2"});
  EXPECT_STRINGS_UNORDERED(Run({"SDIFF", "a", "b", "c", "missing"}), {"1", "2"});
  EXPECT_STRINGS_UNORDERED(Run({"SDIFF", "a"}), {"1", "2", "3", "4"});
  EXPECT_STRINGS_UNORDERED(Run({"SDIFF", "a", "missing"}), {"1", "2", "3", "4"});
  EXPECT_STRINGS(Run({"SDIFF", "missing", "a"}), {});
  EXPECT_STRINGS(Run({"SDIFF", "a", "b", "a"}), {});
}

TEST_F(SetAlgebra, WrongTypeFromAnyKey) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherTypes());
  for (const std::string other : {"string", "hash"}) {
    SCOPED_TRACE(other);
    for (const std::string command : {"SINTER", "SUNION", "SDIFF"}) {
      EXPECT_ERROR(Run({command, "a", other}), kWrongType) << command;
      // Still an error after a missing key made the result empty.
      EXPECT_ERROR(Run({command, "missing", other}), kWrongType) << command;
      EXPECT_ERROR(Run({command + "STORE", "dest", "a", other}), kWrongType) << command;
    }
    EXPECT_ERROR(Run({"SINTERCARD", "2", "missing", other}), kWrongType);
  }
  EXPECT_INTEGER(Run({"EXISTS", "dest"}), 0);
}

TEST_F(SetAlgebra, StoreReplacesTheDestination) {
  ASSERT_OK(Run({"SET", "dest", "a string", "EX", "1000"}));
  EXPECT_INTEGER(Run({"SINTERSTORE", "dest", "a", "b"}), 2);
  EXPECT_STATUS(Run({"TYPE", "dest"}), "set");
  EXPECT_INTEGER(Run({"TTL", "dest"}), -1);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "dest"}), {"3", "4"});
  EXPECT_INTEGER(Run({"SUNIONSTORE", "dest", "b", "c"}), 4);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "dest"}), {"3", "4", "5", "x"});
  EXPECT_INTEGER(Run({"SDIFFSTORE", "dest", "a", "b"}), 2);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "dest"}), {"1", "2"});
  EXPECT_INTEGER(Run({"SCARD", "dest"}), 2);
  ASSERT_INTEGER(Run({"HSET", "hash", "f", "v"}), 1);
  EXPECT_INTEGER(Run({"SUNIONSTORE", "hash", "c"}), 2);
  EXPECT_STATUS(Run({"TYPE", "hash"}), "set");
}

TEST_F(SetAlgebra, DestinationMayBeASource) {
  EXPECT_INTEGER(Run({"SUNIONSTORE", "a", "a", "b"}), 5);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "a"}), {"1", "2", "3", "4", "5"});
  EXPECT_INTEGER(Run({"SINTERSTORE", "a", "a", "c"}), 1);
  EXPECT_STRINGS(Run({"SMEMBERS", "a"}), {"4"});
  EXPECT_INTEGER(Run({"SDIFFSTORE", "b", "b", "a"}), 2);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "b"}), {"3", "5"});
}

TEST_F(SetAlgebra, EmptyResultDeletesTheDestination) {
  ASSERT_INTEGER(Run({"DBSIZE"}), 3);
  ASSERT_INTEGER(Run({"SADD", "dest", "old"}), 1);
  EXPECT_INTEGER(Run({"SINTERSTORE", "dest", "a", "missing"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "dest"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 3);
  ASSERT_OK(Run({"SET", "dest", "v"}));
  EXPECT_INTEGER(Run({"SDIFFSTORE", "dest", "a", "a"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "dest"}), 0);
  EXPECT_INTEGER(Run({"SUNIONSTORE", "dest", "missing"}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "dest"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 3);
  // A re-created destination holds only the new result.
  EXPECT_INTEGER(Run({"SINTERSTORE", "dest", "b", "c"}), 1);
  EXPECT_STRINGS(Run({"SMEMBERS", "dest"}), {"4"});
}

TEST_F(SetAlgebra, InterCard) {
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "a", "b"}), 2);
  EXPECT_INTEGER(Run({"SINTERCARD", "3", "a", "b", "c"}), 1);
  EXPECT_INTEGER(Run({"SINTERCARD", "1", "a"}), 4);
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "a", "missing"}), 0);
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "a", "b", "LIMIT", "1"}), 1);
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "a", "b", "limit", "0"}), 2);  // 0: no limit
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "a", "b", "LIMIT", "100"}), 2);
  EXPECT_INTEGER(Run({"SINTERCARD", "1", "a", "LIMIT", "3", "LIMIT", "2"}), 2);  // last wins
}

TEST_F(SetAlgebra, InterCardErrors) {
  const char* numkeys = "ERR numkeys should be greater than 0";
  EXPECT_ERROR(Run({"SINTERCARD", "0", "a"}), numkeys);
  EXPECT_ERROR(Run({"SINTERCARD", "-1", "a"}), numkeys);
  EXPECT_ERROR(Run({"SINTERCARD", "abc", "a"}), numkeys);
  EXPECT_ERROR(Run({"SINTERCARD", "9223372036854775808", "a"}), numkeys);
  EXPECT_ERROR(Run({"SINTERCARD", "3", "a", "b"}),
               "ERR Number of keys can't be greater than number of args");
  EXPECT_ERROR(Run({"SINTERCARD", "2", "a", "b", "LIMIT"}), kSyntax);
  EXPECT_ERROR(Run({"SINTERCARD", "2", "a", "b", "FOO", "1"}), kSyntax);
  EXPECT_ERROR(Run({"SINTERCARD", "1", "a", "b"}), kSyntax);
  const char* negative = "ERR LIMIT can't be negative";
  EXPECT_ERROR(Run({"SINTERCARD", "2", "a", "b", "LIMIT", "-1"}), negative);
  EXPECT_ERROR(Run({"SINTERCARD", "2", "a", "b", "LIMIT", "abc"}), negative);
  EXPECT_ERROR(Run({"SINTERCARD", "1"}), SetArityError("sintercard"));
}

TEST_F(SetAlgebra, ArityErrors) {
  for (const std::string command : {"SINTER", "SUNION", "SDIFF"}) {
    std::string lower = command;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_ERROR(Run({command}), SetArityError(lower));
    EXPECT_ERROR(Run({command + "STORE", "dest"}), SetArityError(lower + "store"));
  }
}

TEST_F(SetAlgebra, Resp3Sets) {
  ASSERT_NO_FATAL_FAILURE(Resp3());
  for (const std::string command : {"SINTER", "SUNION", "SDIFF"}) {
    Reply reply = Run({command, "a", "b"});
    EXPECT_EQ(reply.type(), ReplyType::kSet) << command << " " << reply;
    Reply empty = Run({command, "missing", "b"});
    EXPECT_EQ(empty.type(), ReplyType::kSet) << command << " " << empty;
  }
  EXPECT_STRINGS_UNORDERED(Run({"SUNION", "a", "b"}), {"1", "2", "3", "4", "5"});
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "a", "b"}), 2);
  EXPECT_INTEGER(Run({"SUNIONSTORE", "dest", "a"}), 4);
}

}  // namespace
}  // namespace cairn::test
