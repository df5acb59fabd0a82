// E2E tests of the counters: INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT, with Redis's
// integer and float parsing rules, overflow errors and the stored text INCRBYFLOAT replies.
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr char kOverflow[] = "ERR increment or decrement would overflow";

class StringCounterTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }
};

TEST_F(StringCounterTest, IncrAndDecr) {
  EXPECT_INTEGER(Run({"INCR", "n"}), 1);
  EXPECT_INTEGER(Run({"INCR", "n"}), 2);
  EXPECT_INTEGER(Run({"DECR", "n"}), 1);
  EXPECT_INTEGER(Run({"DECR", "fresh"}), -1);
  EXPECT_BULK(Run({"GET", "n"}), "1");
  EXPECT_OK(Run({"SET", "n", "-5"}));
  EXPECT_INTEGER(Run({"INCR", "n"}), -4);
  EXPECT_BULK(Run({"GET", "n"}), "-4");
  EXPECT_ERROR(Run({"INCR"}), "ERR wrong number of arguments for 'incr' command");
  EXPECT_ERROR(Run({"DECR", "a", "b"}), "ERR wrong number of arguments for 'decr' command");
}

TEST_F(StringCounterTest, IncrByAndDecrBy) {
  EXPECT_INTEGER(Run({"INCRBY", "n", "10"}), 10);
  EXPECT_INTEGER(Run({"INCRBY", "n", "-25"}), -15);
  EXPECT_INTEGER(Run({"DECRBY", "n", "5"}), -20);
  EXPECT_INTEGER(Run({"DECRBY", "n", "-30"}), 10);
  EXPECT_INTEGER(Run({"INCRBY", "n", "0"}), 10);
  EXPECT_INTEGER(Run({"INCRBY", "m", "9223372036854775807"}), 9223372036854775807LL);
  EXPECT_INTEGER(Run({"DECRBY", "low", "9223372036854775807"}), -9223372036854775807LL);
}

TEST_F(StringCounterTest, CountersKeepTheDeadline) {
  EXPECT_OK(Run({"SET", "n", "5", "EX", "100"}));
  EXPECT_INTEGER(Run({"INCR", "n"}), 6);
  EXPECT_INTEGER(Run({"INCRBY", "n", "4"}), 10);
  EXPECT_BULK(Run({"INCRBYFLOAT", "n", "0.5"}), "10.5");
  Reply ttl = Run({"TTL", "n"});
  EXPECT_GT(ttl.integer(), 0) << ttl;
}

TEST_F(StringCounterTest, StoredValueMustBeAnInteger) {
  for (const char* stored : {"abc", "1.5", " 1", "1 ", "010", "+1", "-0", "", "0x10",
                             "99999999999999999999", "12345678901234567890"}) {
    EXPECT_OK(Run({"SET", "s", stored}));
    EXPECT_ERROR(Run({"INCR", "s"}), kNotInteger) << stored;
    EXPECT_ERROR(Run({"DECRBY", "s", "1"}), kNotInteger) << stored;
    EXPECT_BULK(Run({"GET", "s"}), stored);
  }
}

TEST_F(StringCounterTest, IncrementMustBeAnInteger) {
  for (const char* increment :
       {"abc", "1.5", " 1", "+1", "010", "", "9223372036854775808", "-9223372036854775809"}) {
    EXPECT_ERROR(Run({"INCRBY", "n", increment}), kNotInteger) << increment;
    EXPECT_ERROR(Run({"DECRBY", "n", increment}), kNotInteger) << increment;
  }
  EXPECT_INTEGER(Run({"EXISTS", "n"}), 0);
}

TEST_F(StringCounterTest, Overflow) {
  EXPECT_OK(Run({"SET", "max", "9223372036854775807"}));
  EXPECT_ERROR(Run({"INCR", "max"}), kOverflow);
  EXPECT_ERROR(Run({"INCRBY", "max", "1"}), kOverflow);
  EXPECT_ERROR(Run({"DECRBY", "max", "-1"}), kOverflow);
  EXPECT_BULK(Run({"GET", "max"}), "9223372036854775807");
  EXPECT_INTEGER(Run({"DECR", "max"}), 9223372036854775806LL);
  EXPECT_OK(Run({"SET", "min", "-9223372036854775808"}));
  EXPECT_ERROR(Run({"DECR", "min"}), kOverflow);
  EXPECT_ERROR(Run({"INCRBY", "min", "-1"}), kOverflow);
  EXPECT_ERROR(Run({"DECRBY", "min", "1"}), kOverflow);
  EXPECT_BULK(Run({"GET", "min"}), "-9223372036854775808");
  // DECRBY cannot negate the smallest int64, whatever the stored value.
  EXPECT_ERROR(Run({"DECRBY", "zero", "-9223372036854775808"}), "ERR decrement would overflow");
  EXPECT_INTEGER(Run({"EXISTS", "zero"}), 0);
  EXPECT_INTEGER(Run({"INCRBY", "min", "9223372036854775807"}), -1);
}

TEST_F(StringCounterTest, IncrByFloat) {
  EXPECT_BULK(Run({"INCRBYFLOAT", "f", "10.5"}), "10.5");
  EXPECT_BULK(Run({"INCRBYFLOAT", "f", "0.1"}), "10.6");
  // The stored text is long double "%.17Lf" without trailing zeros, as Redis writes it.
  EXPECT_BULK(Run({"INCRBYFLOAT", "f", "-5.0e3"}), "-4989.39999999999999991");
  EXPECT_BULK(Run({"GET", "f"}), "-4989.39999999999999991");
  EXPECT_BULK(Run({"INCRBYFLOAT", "g", "3e3"}), "3000");
  EXPECT_BULK(Run({"INCRBYFLOAT", "g", "-3000"}), "0");
  EXPECT_OK(Run({"SET", "i", "5"}));
  EXPECT_BULK(Run({"INCRBYFLOAT", "i", "1"}), "6");
  EXPECT_INTEGER(Run({"INCR", "i"}), 7);
  EXPECT_OK(Run({"SET", "e", "5.0e3"}));
  EXPECT_BULK(Run({"INCRBYFLOAT", "e", "0"}), "5000");
  EXPECT_BULK(Run({"INCRBYFLOAT", "h", "1e20"}), "100000000000000000000");
  EXPECT_BULK(Run({"INCRBYFLOAT", "tiny", "1e-20"}), "0");
  EXPECT_BULK(Run({"INCRBYFLOAT", "r", "0.30000000000000004"}), "0.30000000000000004");
}

TEST_F(StringCounterTest, IncrByFloatErrors) {
  for (const char* increment : {"abc", " 1", "1 ", "nan", "", "1.5.5"}) {
    EXPECT_ERROR(Run({"INCRBYFLOAT", "f", increment}), kNotFloat) << increment;
  }
  EXPECT_INTEGER(Run({"EXISTS", "f"}), 0);
  EXPECT_OK(Run({"SET", "s", "hello"}));
  EXPECT_ERROR(Run({"INCRBYFLOAT", "s", "1"}), kNotFloat);
  EXPECT_ERROR(Run({"INCRBYFLOAT", "s", "abc"}), kNotFloat);
  EXPECT_OK(Run({"SET", "sp", " 1"}));
  EXPECT_ERROR(Run({"INCRBYFLOAT", "sp", "1"}), kNotFloat);
  EXPECT_OK(Run({"SET", "x", "1.5"}));
  EXPECT_ERROR(Run({"INCRBYFLOAT", "x", "inf"}), "ERR increment would produce NaN or Infinity");
  EXPECT_ERROR(Run({"INCRBYFLOAT", "x", "-inf"}), "ERR increment would produce NaN or Infinity");
  EXPECT_BULK(Run({"GET", "x"}), "1.5");
  EXPECT_ERROR(Run({"INCRBYFLOAT", "x"}),
               "ERR wrong number of arguments for 'incrbyfloat' command");
}

TEST_F(StringCounterTest, Resp3Replies) {
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_INTEGER(Run({"INCR", "n"}), 1);
  // INCRBYFLOAT replies with a bulk string in RESP3 too, as Redis 7.0 does.
  Reply reply = Run({"INCRBYFLOAT", "f", "1.5"});
  EXPECT_EQ(reply.type(), ReplyType::kString) << reply;
  EXPECT_EQ(reply.text(), "1.5");
}

}  // namespace
}  // namespace cairn::test
