// E2E tests of SET with every option (EX PX EXAT PXAT NX XX KEEPTTL GET), SETNX, SETEX,
// PSETEX and GETSET: replies, deadlines and Redis 7.0's error texts and check order.
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/e2e/string_test_util.h"

namespace cairn::test {
namespace {

constexpr char kInvalidSetExpire[] = "ERR invalid expire time in 'set' command";

class StringSetTest : public StringTest {};

TEST_F(StringSetTest, SetAndGetAreBinarySafe) {
  std::string value("a\0b\r\nc", 6);
  EXPECT_OK(Run({"SET", "bin", value}));
  EXPECT_BULK(Run({"GET", "bin"}), value);
  EXPECT_OK(Run({"SET", "empty", ""}));
  EXPECT_BULK(Run({"GET", "empty"}), "");
  EXPECT_INTEGER(Run({"EXISTS", "empty"}), 1);
  EXPECT_NIL(Run({"GET", "missing"}));
}

TEST_F(StringSetTest, PlainSetOverwritesAndClearsDeadline) {
  EXPECT_OK(Run({"SET", "k", "v1", "EX", "100"}));
  EXPECT_GT(Pttl("k"), 0);
  EXPECT_OK(Run({"SET", "k", "v2"}));
  EXPECT_BULK(Run({"GET", "k"}), "v2");
  EXPECT_EQ(Pttl("k"), -1);
}

TEST_F(StringSetTest, RelativeExpireOptions) {
  EXPECT_OK(Run({"SET", "ex", "v", "EX", "100"}));
  long long ttl = Pttl("ex");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  EXPECT_OK(Run({"SET", "px", "v", "PX", "100000"}));
  ttl = Pttl("px");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  // Keywords are case-insensitive.
  EXPECT_OK(Run({"SET", "lower", "v", "ex", "100"}));
  EXPECT_GT(Pttl("lower"), 0);
}

TEST_F(StringSetTest, AbsoluteExpireOptions) {
  long long now_ms = ServerNowMs();
  std::string in_100s = std::to_string(now_ms / 1000 + 100);
  EXPECT_OK(Run({"SET", "exat", "v", "EXAT", in_100s}));
  long long ttl = Pttl("exat");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 101000);
  EXPECT_OK(Run({"SET", "pxat", "v", "PXAT", std::to_string(now_ms + 100000)}));
  ttl = Pttl("pxat");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  // The largest PXAT is a valid deadline, as in Redis.
  EXPECT_OK(Run({"SET", "far", "v", "PXAT", "9223372036854775807"}));
  EXPECT_BULK(Run({"GET", "far"}), "v");
}

TEST_F(StringSetTest, DeadlineInThePastDeletesTheKey) {
  EXPECT_OK(Run({"SET", "old", "v"}));
  EXPECT_OK(Run({"SET", "old", "new", "EXAT", "1"}));
  EXPECT_INTEGER(Run({"EXISTS", "old"}), 0);
  EXPECT_NIL(Run({"GET", "old"}));
  EXPECT_OK(Run({"SET", "old", "new", "PXAT", "1000"}));
  EXPECT_INTEGER(Run({"EXISTS", "old"}), 0);
}

TEST_F(StringSetTest, ShortExpiryEventuallyRemovesTheKey) {
  EXPECT_OK(Run({"SET", "short", "v", "PX", "50"}));
  bool gone = false;
  for (int attempt = 0; attempt < 3000 && !gone; ++attempt) {
    gone = Run({"GET", "short"}).is_nil();
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone);
}

TEST_F(StringSetTest, RepeatedExpireOfTheSameUnitKeepsTheLast) {
  EXPECT_OK(Run({"SET", "k", "v", "EX", "10", "EX", "200"}));
  EXPECT_GT(Pttl("k"), 100000);
  EXPECT_OK(Run({"SET", "k", "v", "PX", "10", "PX", "200000"}));
  EXPECT_GT(Pttl("k"), 100000);
}

TEST_F(StringSetTest, NxAndXxConditions) {
  EXPECT_NIL(Run({"SET", "k", "v", "XX"}));
  EXPECT_INTEGER(Run({"EXISTS", "k"}), 0);
  EXPECT_OK(Run({"SET", "k", "v1", "NX"}));
  EXPECT_NIL(Run({"SET", "k", "v2", "NX"}));
  EXPECT_BULK(Run({"GET", "k"}), "v1");
  EXPECT_OK(Run({"SET", "k", "v3", "XX"}));
  EXPECT_BULK(Run({"GET", "k"}), "v3");
  // A refused SET leaves the deadline alone.
  EXPECT_OK(Run({"SET", "t", "v", "EX", "100"}));
  EXPECT_NIL(Run({"SET", "t", "w", "NX", "EX", "5"}));
  EXPECT_GT(Pttl("t"), 90000);
  // An expired key counts as missing.
  EXPECT_OK(Run({"SET", "gone", "v", "EXAT", "1"}));
  EXPECT_OK(Run({"SET", "gone", "v", "NX"}));
  EXPECT_BULK(Run({"GET", "gone"}), "v");
}

TEST_F(StringSetTest, KeepTtl) {
  EXPECT_OK(Run({"SET", "k", "v", "PX", "100000"}));
  EXPECT_OK(Run({"SET", "k", "v2", "KEEPTTL"}));
  EXPECT_BULK(Run({"GET", "k"}), "v2");
  long long ttl = Pttl("k");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  EXPECT_OK(Run({"SET", "fresh", "v", "KEEPTTL"}));
  EXPECT_EQ(Pttl("fresh"), -1);
  EXPECT_OK(Run({"SET", "k", "v3", "XX", "KEEPTTL"}));
  EXPECT_GT(Pttl("k"), 0);
}

TEST_F(StringSetTest, GetOptionRepliesTheOldValue) {
  EXPECT_NIL(Run({"SET", "k", "v1", "GET"}));
  EXPECT_BULK(Run({"GET", "k"}), "v1");
  EXPECT_BULK(Run({"SET", "k", "v2", "GET"}), "v1");
  EXPECT_BULK(Run({"GET", "k"}), "v2");
  EXPECT_BULK(Run({"SET", "k", "v3", "GET", "GET"}), "v2");
  // Redis 7.0 allows GET with NX: the old value comes back and nothing is written.
  EXPECT_BULK(Run({"SET", "k", "v4", "NX", "GET"}), "v3");
  EXPECT_BULK(Run({"GET", "k"}), "v3");
  EXPECT_NIL(Run({"SET", "new", "v", "NX", "GET"}));
  EXPECT_BULK(Run({"GET", "new"}), "v");
  EXPECT_NIL(Run({"SET", "absent", "v", "XX", "GET"}));
  EXPECT_INTEGER(Run({"EXISTS", "absent"}), 0);
  EXPECT_BULK(Run({"SET", "k", "v5", "GET", "EX", "100"}), "v3");
  EXPECT_GT(Pttl("k"), 0);
  EXPECT_BULK(Run({"SET", "k", "v6", "GET", "EXAT", "1"}), "v5");
  EXPECT_INTEGER(Run({"EXISTS", "k"}), 0);
}

TEST_F(StringSetTest, OptionSyntaxErrors) {
  EXPECT_OK(Run({"SET", "k", "original"}));
  const std::vector<std::vector<std::string>> bad = {
      {"SET", "k", "v", "NX", "XX"},
      {"SET", "k", "v", "XX", "NX"},
      {"SET", "k", "v", "EX", "10", "PX", "20"},
      {"SET", "k", "v", "PX", "10", "EXAT", "20"},
      {"SET", "k", "v", "EXAT", "10", "PXAT", "20"},
      {"SET", "k", "v", "KEEPTTL", "EX", "10"},
      {"SET", "k", "v", "EX", "10", "KEEPTTL"},
      {"SET", "k", "v", "PXAT", "10", "KEEPTTL"},
      {"SET", "k", "v", "EX"},
      {"SET", "k", "v", "PX"},
      {"SET", "k", "v", "PERSIST"},
      {"SET", "k", "v", "FOO"},
      {"SET", "k", "v", "NXX"},
      {"SET", "k", "v", "EX", "abc", "FOO"},
  };
  for (const auto& args : bad) EXPECT_ERROR(Run(args), kSyntax) << args.back();
  EXPECT_BULK(Run({"GET", "k"}), "original");
  EXPECT_ERROR(Run({"SET", "k"}), "ERR wrong number of arguments for 'set' command");
}

TEST_F(StringSetTest, InvalidExpireTimes) {
  EXPECT_OK(Run({"SET", "k", "original"}));
  for (const char* option : {"EX", "PX", "EXAT", "PXAT"}) {
    EXPECT_ERROR(Run({"SET", "k", "v", option, "0"}), kInvalidSetExpire) << option;
    EXPECT_ERROR(Run({"SET", "k", "v", option, "-1"}), kInvalidSetExpire) << option;
    EXPECT_ERROR(Run({"SET", "k", "v", option, "abc"}), kNotInteger) << option;
    EXPECT_ERROR(Run({"SET", "k", "v", option, "1.5"}), kNotInteger) << option;
    EXPECT_ERROR(Run({"SET", "k", "v", option, "99999999999999999999"}), kNotInteger);
  }
  // Seconds that overflow when turned into milliseconds, and relative times that overflow
  // once the current time is added.
  EXPECT_ERROR(Run({"SET", "k", "v", "EX", "9223372036854775807"}), kInvalidSetExpire);
  EXPECT_ERROR(Run({"SET", "k", "v", "EXAT", "9223372036854775807"}), kInvalidSetExpire);
  EXPECT_ERROR(Run({"SET", "k", "v", "EX", "9223372036854776"}), kInvalidSetExpire);
  EXPECT_ERROR(Run({"SET", "k", "v", "EX", "9223372036854775"}), kInvalidSetExpire);
  EXPECT_ERROR(Run({"SET", "k", "v", "PX", "9223372036854775807"}), kInvalidSetExpire);
  // The expire time is checked before GET looks at the old value.
  EXPECT_ERROR(Run({"SET", "k", "v", "GET", "EX", "abc"}), kNotInteger);
  EXPECT_ERROR(Run({"SET", "k", "v", "GET", "PX", "0"}), kInvalidSetExpire);
  EXPECT_BULK(Run({"GET", "k"}), "original");
  EXPECT_EQ(Pttl("k"), -1);
}

TEST_F(StringSetTest, SetNx) {
  EXPECT_INTEGER(Run({"SETNX", "k", "v1"}), 1);
  EXPECT_INTEGER(Run({"SETNX", "k", "v2"}), 0);
  EXPECT_BULK(Run({"GET", "k"}), "v1");
  EXPECT_OK(Run({"SET", "t", "v", "EX", "100"}));
  EXPECT_INTEGER(Run({"SETNX", "t", "w"}), 0);
  EXPECT_GT(Pttl("t"), 0);
  EXPECT_ERROR(Run({"SETNX", "k"}), "ERR wrong number of arguments for 'setnx' command");
}

TEST_F(StringSetTest, SetExAndPSetEx) {
  EXPECT_OK(Run({"SETEX", "s", "100", "v"}));
  EXPECT_BULK(Run({"GET", "s"}), "v");
  long long ttl = Pttl("s");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  EXPECT_OK(Run({"PSETEX", "p", "100000", "w"}));
  EXPECT_BULK(Run({"GET", "p"}), "w");
  ttl = Pttl("p");
  EXPECT_GT(ttl, 90000);
  EXPECT_LE(ttl, 100000);
  EXPECT_OK(Run({"SETEX", "s", "200", "v2"}));  // overwrites value and deadline
  EXPECT_GT(Pttl("s"), 100000);
}

TEST_F(StringSetTest, SetExAndPSetExErrors) {
  const std::string setex_error = "ERR invalid expire time in 'setex' command";
  const std::string psetex_error = "ERR invalid expire time in 'psetex' command";
  EXPECT_ERROR(Run({"SETEX", "k", "0", "v"}), setex_error);
  EXPECT_ERROR(Run({"SETEX", "k", "-10", "v"}), setex_error);
  EXPECT_ERROR(Run({"SETEX", "k", "9223372036854775807", "v"}), setex_error);
  EXPECT_ERROR(Run({"SETEX", "k", "abc", "v"}), kNotInteger);
  EXPECT_ERROR(Run({"PSETEX", "k", "0", "v"}), psetex_error);
  EXPECT_ERROR(Run({"PSETEX", "k", "-5", "v"}), psetex_error);
  EXPECT_ERROR(Run({"PSETEX", "k", "9223372036854775807", "v"}), psetex_error);
  EXPECT_ERROR(Run({"PSETEX", "k", "1e3", "v"}), kNotInteger);
  EXPECT_INTEGER(Run({"EXISTS", "k"}), 0);
  EXPECT_ERROR(Run({"SETEX", "k", "10"}), "ERR wrong number of arguments for 'setex' command");
  EXPECT_ERROR(Run({"PSETEX", "k", "10"}), "ERR wrong number of arguments for 'psetex' command");
}

TEST_F(StringSetTest, GetSet) {
  EXPECT_NIL(Run({"GETSET", "k", "v1"}));
  EXPECT_BULK(Run({"GETSET", "k", "v2"}), "v1");
  EXPECT_BULK(Run({"GET", "k"}), "v2");
  // GETSET clears the deadline, as SET does.
  EXPECT_OK(Run({"SET", "t", "old", "EX", "100"}));
  EXPECT_BULK(Run({"GETSET", "t", "new"}), "old");
  EXPECT_EQ(Pttl("t"), -1);
  EXPECT_ERROR(Run({"GETSET", "k"}), "ERR wrong number of arguments for 'getset' command");
}

TEST_F(StringSetTest, Resp3NullReplies) {
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply nx = Run({"SET", "k", "v", "XX"});
  EXPECT_EQ(nx.type(), ReplyType::kNil) << nx;
  EXPECT_OK(Run({"SET", "k", "v"}));
  EXPECT_BULK(Run({"SET", "k", "w", "GET"}), "v");
  EXPECT_EQ(Run({"GETSET", "fresh", "v"}).type(), ReplyType::kNil);
}

TEST_F(StringSetTest, RawResp3NullIsUnderscore) {
  RawConnection raw;
  ASSERT_TRUE(raw.Connect(server_.port()));
  ASSERT_TRUE(raw.Send("HELLO 3\r\n"));
  ASSERT_EQ(raw.ReadReply().type(), ReplyType::kMap);
  ASSERT_TRUE(raw.Send("SET k v XX\r\nGET k\r\n"));
  EXPECT_EQ(raw.ReadLine(), "_");
  EXPECT_EQ(raw.ReadLine(), "_");
  RawConnection resp2;
  ASSERT_TRUE(resp2.Connect(server_.port()));
  ASSERT_TRUE(resp2.Send("SET k v XX\r\n"));
  EXPECT_EQ(resp2.ReadLine(), "$-1");
}

}  // namespace
}  // namespace cairn::test
