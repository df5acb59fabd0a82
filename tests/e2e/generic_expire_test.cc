// E2E tests of deadlines: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX XX GT LT, overflow and
// past deadlines), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST; active expiry and DBSIZE;
// deadlines kept by RENAME, COPY and MOVE; deadlines surviving a restart and a kill -9.
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/generic_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

// 2100-01-01T00:00:00Z: a deadline far enough for any test run.
constexpr long long kFarSeconds = 4102444800LL;
constexpr long long kFarMs = kFarSeconds * 1000;

class GenericExpireTest : public ServerTest {
 protected:
  void Set(const std::string& key, const std::string& value = "v") {
    ASSERT_OK(client_.Command({"SET", key, value}));
  }
  long long PExpireTime(const std::string& key) {
    return IntegerOf(client_.Command({"PEXPIRETIME", key}));
  }
};

TEST_F(GenericExpireTest, RelativeDeadlines) {
  Set("k");
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100"}), 1);
  long long ttl = IntegerOf(client_.Command({"TTL", "k"}));
  EXPECT_GE(ttl, 1);
  EXPECT_LE(ttl, 100);
  long long pttl = IntegerOf(client_.Command({"PTTL", "k"}));
  EXPECT_GT(pttl, 0);
  EXPECT_LE(pttl, 100000);
  EXPECT_INTEGER(client_.Command({"PEXPIRE", "k", "500000"}), 1);
  pttl = IntegerOf(client_.Command({"PTTL", "k"}));
  EXPECT_GT(pttl, 100000);
  EXPECT_LE(pttl, 500000);
  EXPECT_INTEGER(client_.Command({"EXPIRE", "missing", "100"}), 0);
  EXPECT_INTEGER(client_.Command({"PEXPIRE", "missing", "100"}), 0);
  EXPECT_INTEGER(client_.Command({"EXISTS", "missing"}), 0);
}

TEST_F(GenericExpireTest, AbsoluteDeadlinesAndTheirRounding) {
  Set("k");
  EXPECT_INTEGER(client_.Command({"EXPIREAT", "k", std::to_string(kFarSeconds)}), 1);
  EXPECT_INTEGER(client_.Command({"EXPIRETIME", "k"}), kFarSeconds);
  EXPECT_INTEGER(client_.Command({"PEXPIRETIME", "k"}), kFarMs);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs + 499)}), 1);
  EXPECT_INTEGER(client_.Command({"EXPIRETIME", "k"}), kFarSeconds);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs + 500)}), 1);
  EXPECT_INTEGER(client_.Command({"EXPIRETIME", "k"}), kFarSeconds + 1);
  EXPECT_INTEGER(client_.Command({"PEXPIRETIME", "k"}), kFarMs + 500);
  EXPECT_INTEGER(client_.Command({"EXPIREAT", "missing", std::to_string(kFarSeconds)}), 0);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "missing", std::to_string(kFarMs)}), 0);
}

TEST_F(GenericExpireTest, MissingKeysAndKeysWithoutDeadline) {
  Set("k");
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"TTL", "ttl"},
      {"PTTL", "pttl"},
      {"EXPIRETIME", "expiretime"},
      {"PEXPIRETIME", "pexpiretime"}};
  for (const auto& [command, name] : commands) {
    EXPECT_INTEGER(client_.Command({command, "k"}), -1) << command;
    EXPECT_INTEGER(client_.Command({command, "missing"}), -2) << command;
    EXPECT_ERROR(client_.Command({command}),
                 "ERR wrong number of arguments for '" + name + "' command");
  }
}

TEST_F(GenericExpireTest, DeadlinesNotInTheFutureDeleteTheKey) {
  const std::vector<std::vector<std::string>> deleting = {
      {"EXPIRE", "k", "-1"},
      {"EXPIRE", "k", "0"},
      {"PEXPIRE", "k", "0"},
      {"PEXPIRE", "k", "-100000"},
      {"EXPIREAT", "k", "1"},
      {"EXPIREAT", "k", "-5"},
      {"PEXPIREAT", "k", "0"},
      {"PEXPIREAT", "k", "-9223372036854775808"},
      {"EXPIRE", "k", "-9223372036854775"}};
  for (const auto& command : deleting) {
    Set("k");
    EXPECT_INTEGER(client_.Command(command), 1) << command[0] << " " << command[2];
    EXPECT_INTEGER(client_.Command({"EXISTS", "k"}), 0) << command[0] << " " << command[2];
    EXPECT_INTEGER(client_.Command({"TTL", "k"}), -2);
  }
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 0);
}

TEST_F(GenericExpireTest, NxAndXx) {
  Set("k");
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100", "XX"}), 0);
  EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100", "nx"}), 1);
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "200", "NX"}), 0);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs), "xx"}), 1);
  EXPECT_EQ(PExpireTime("k"), kFarMs);
  // XX with a past deadline still deletes.
  EXPECT_INTEGER(client_.Command({"PEXPIRE", "k", "-1", "XX"}), 1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "k"}), 0);
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100", "NX"}), 0);
}

TEST_F(GenericExpireTest, GtAndLtTreatNoDeadlineAsInfinite) {
  Set("k");
  EXPECT_INTEGER(client_.Command({"EXPIREAT", "k", std::to_string(kFarSeconds), "GT"}), 0);
  EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
  EXPECT_INTEGER(client_.Command({"EXPIREAT", "k", std::to_string(kFarSeconds), "LT"}), 1);
  EXPECT_EQ(PExpireTime("k"), kFarMs);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs), "GT"}), 0);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs), "LT"}), 0);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs + 1), "gt"}), 1);
  EXPECT_EQ(PExpireTime("k"), kFarMs + 1);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs + 2), "LT"}), 0);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs - 1), "lt"}), 1);
  EXPECT_EQ(PExpireTime("k"), kFarMs - 1);
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs), "XX", "GT"}), 1);
  EXPECT_EQ(PExpireTime("k"), kFarMs);
  // GT refuses a past deadline (it is earlier); LT accepts it and deletes.
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "-1", "GT"}), 0);
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "-1", "LT"}), 1);
  EXPECT_INTEGER(client_.Command({"EXISTS", "k"}), 0);
}

TEST_F(GenericExpireTest, OptionErrorsComeBeforeTheTimeArgument) {
  Set("k");
  const char* kIncompatible = "ERR NX and XX, GT or LT options at the same time are not compatible";
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "10", "NX", "XX"}), kIncompatible);
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "10", "nx", "gt"}), kIncompatible);
  EXPECT_ERROR(client_.Command({"PEXPIRE", "k", "10", "LT", "NX"}), kIncompatible);
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "10", "GT", "LT"}),
               "ERR GT and LT options at the same time are not compatible");
  EXPECT_ERROR(client_.Command({"EXPIREAT", "k", "10", "foo"}), "ERR Unsupported option foo");
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "abc", "foo"}), "ERR Unsupported option foo");
  EXPECT_ERROR(client_.Command({"EXPIRE", "missing", "abc", "NX", "XX"}), kIncompatible);
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "10", "NX", "NX", "bar"}),
               "ERR Unsupported option bar");
  // Repeating a compatible option is fine.
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100", "XX", "GT", "XX"}), 0);
  EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
}

TEST_F(GenericExpireTest, NotAnIntegerAndOverflow) {
  Set("k");
  for (const char* command : {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"}) {
    for (const char* bad : {"abc", "1.5", " 1", "1 ", "", "+1", "01", "9223372036854775808"}) {
      EXPECT_ERROR(client_.Command({command, "k", bad}),
                   "ERR value is not an integer or out of range")
          << command << " '" << bad << "'";
    }
  }
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "9223372036854775807"}),
               "ERR invalid expire time in 'expire' command");
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "9223372036854776"}),
               "ERR invalid expire time in 'expire' command");
  EXPECT_ERROR(client_.Command({"EXPIRE", "k", "-9223372036854776"}),
               "ERR invalid expire time in 'expire' command");
  EXPECT_ERROR(client_.Command({"PEXPIRE", "k", "9223372036854775807"}),
               "ERR invalid expire time in 'pexpire' command");
  EXPECT_ERROR(client_.Command({"EXPIREAT", "k", "9223372036854775807"}),
               "ERR invalid expire time in 'expireat' command");
  EXPECT_ERROR(client_.Command({"EXPIREAT", "k", "-9223372036854775808"}),
               "ERR invalid expire time in 'expireat' command");
  // Overflow is checked even for a missing key; the key is left alone by errors.
  EXPECT_ERROR(client_.Command({"PEXPIRE", "missing", "9223372036854775807"}),
               "ERR invalid expire time in 'pexpire' command");
  EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
  // PEXPIREAT takes any int64 as is.
  EXPECT_INTEGER(client_.Command({"PEXPIREAT", "k", "9223372036854775807"}), 1);
  EXPECT_EQ(PExpireTime("k"), 9223372036854775807LL);
  EXPECT_ERROR(client_.Command({"EXPIRE", "k"}),
               "ERR wrong number of arguments for 'expire' command");
  EXPECT_ERROR(client_.Command({"PEXPIREAT", "k"}),
               "ERR wrong number of arguments for 'pexpireat' command");
}

TEST_F(GenericExpireTest, Persist) {
  Set("k");
  EXPECT_INTEGER(client_.Command({"PERSIST", "k"}), 0);
  ASSERT_INTEGER(client_.Command({"EXPIRE", "k", "100"}), 1);
  EXPECT_INTEGER(client_.Command({"PERSIST", "k"}), 1);
  EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
  EXPECT_INTEGER(client_.Command({"PERSIST", "k"}), 0);
  EXPECT_INTEGER(client_.Command({"PERSIST", "missing"}), 0);
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
  EXPECT_ERROR(client_.Command({"PERSIST"}), "ERR wrong number of arguments for 'persist' command");
}

TEST_F(GenericExpireTest, ActiveExpiryRemovesUntouchedKeys) {
  Set("keep");
  ASSERT_OK(client_.Command({"SET", "short", "v", "PX", "100"}));
  ASSERT_OK(client_.Command({"SET", "short2", "v"}));
  ASSERT_INTEGER(client_.Command({"PEXPIRE", "short2", "100"}), 1);
  // Only DBSIZE is asked: it counts keys physically present, so reaching 1 means the server
  // reclaimed the others on its own.
  EXPECT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"DBSIZE"})) == 1; }));
  EXPECT_STRINGS(client_.Command({"KEYS", "*"}), {"keep"});
  EXPECT_INTEGER(client_.Command({"EXISTS", "short", "short2"}), 0);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 1);
}

TEST_F(GenericExpireTest, ExpiredKeysAreGoneForReads) {
  Set("k");
  ASSERT_INTEGER(client_.Command({"PEXPIRE", "k", "50"}), 1);
  EXPECT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"PTTL", "k"})) == -2; }));
  EXPECT_INTEGER(client_.Command({"EXISTS", "k"}), 0);
  EXPECT_STATUS(client_.Command({"TYPE", "k"}), "none");
  EXPECT_INTEGER(client_.Command({"PERSIST", "k"}), 0);
  EXPECT_INTEGER(client_.Command({"EXPIRE", "k", "100"}), 0);
  EXPECT_ERROR(client_.Command({"RENAME", "k", "x"}), "ERR no such key");
}

TEST_F(GenericExpireTest, DbSizeIsExactAfterExpiryAndRestart) {
  for (int i = 0; i < 30; ++i) Set("persistent:" + std::to_string(i));
  for (int i = 0; i < 20; ++i) {
    ASSERT_OK(client_.Command({"SET", "volatile:" + std::to_string(i), "v", "PX", "50"}));
  }
  EXPECT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"DBSIZE"})) == 30; }));
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), 30);
  Reply keys = client_.Command({"KEYS", "volatile:*"});
  EXPECT_EQ(keys.size(), 0u) << keys;
  Reply info = client_.Command({"INFO", "keyspace"});
  EXPECT_NE(info.text().find("db0:keys=30,expires=0"), std::string::npos) << info;
}

TEST_F(GenericExpireTest, RenameCopyAndMoveKeepTheDeadline) {
  Set("k");
  ASSERT_INTEGER(client_.Command({"PEXPIREAT", "k", std::to_string(kFarMs + 7)}), 1);
  ASSERT_OK(client_.Command({"RENAME", "k", "renamed"}));
  EXPECT_EQ(PExpireTime("renamed"), kFarMs + 7);
  ASSERT_INTEGER(client_.Command({"RENAMENX", "renamed", "renamednx"}), 1);
  EXPECT_EQ(PExpireTime("renamednx"), kFarMs + 7);
  ASSERT_INTEGER(client_.Command({"COPY", "renamednx", "copied"}), 1);
  EXPECT_EQ(PExpireTime("copied"), kFarMs + 7);
  EXPECT_EQ(PExpireTime("renamednx"), kFarMs + 7);
  ASSERT_INTEGER(client_.Command({"COPY", "copied", "copied", "DB", "4"}), 1);
  ASSERT_INTEGER(client_.Command({"MOVE", "renamednx", "5"}), 1);
  ASSERT_OK(client_.Command({"SELECT", "4"}));
  EXPECT_EQ(PExpireTime("copied"), kFarMs + 7);
  ASSERT_OK(client_.Command({"SELECT", "5"}));
  EXPECT_EQ(PExpireTime("renamednx"), kFarMs + 7);
  // Replacing a key that had a deadline gives it the source's (none).
  ASSERT_OK(client_.Command({"SET", "plain", "p"}));
  ASSERT_INTEGER(client_.Command({"COPY", "plain", "renamednx", "REPLACE"}), 1);
  EXPECT_EQ(PExpireTime("renamednx"), -1);
}

TEST_F(GenericExpireTest, ExpiryWorksPerDatabase) {
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  Set("k");
  ASSERT_INTEGER(client_.Command({"PEXPIRE", "k", "50"}), 1);
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  Set("k");
  EXPECT_INTEGER(client_.Command({"TTL", "k"}), -1);
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  EXPECT_TRUE(EventuallyTrue([&] { return IntegerOf(client_.Command({"DBSIZE"})) == 0; }));
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
}

// Deadlines set by every command, checked after a restart and after a kill -9.
class GenericExpireDurabilityTest : public GenericExpireTest {
 protected:
  void SetDeadlines() {
    for (const char* key : {"a", "b", "c", "d", "e", "gone"}) Set(key);
    ASSERT_INTEGER(client_.Command({"EXPIREAT", "a", std::to_string(kFarSeconds)}), 1);
    ASSERT_INTEGER(client_.Command({"PEXPIREAT", "b", std::to_string(kFarMs + 1)}), 1);
    ASSERT_INTEGER(client_.Command({"EXPIRE", "c", "100000"}), 1);
    ASSERT_INTEGER(client_.Command({"PEXPIRE", "d", "100000000"}), 1);
    ASSERT_INTEGER(client_.Command({"EXPIRE", "e", "100"}), 1);
    ASSERT_INTEGER(client_.Command({"PERSIST", "e"}), 1);
    ASSERT_INTEGER(client_.Command({"EXPIRE", "gone", "-1"}), 1);
    c_deadline_ = PExpireTime("c");
    d_deadline_ = PExpireTime("d");
  }

  void ExpectDeadlines() {
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), 5);
    EXPECT_EQ(PExpireTime("a"), kFarMs);
    EXPECT_EQ(PExpireTime("b"), kFarMs + 1);
    EXPECT_EQ(PExpireTime("c"), c_deadline_);
    EXPECT_EQ(PExpireTime("d"), d_deadline_);
    EXPECT_EQ(PExpireTime("e"), -1);
    EXPECT_EQ(PExpireTime("gone"), -2);
  }

  long long c_deadline_ = 0;
  long long d_deadline_ = 0;
};

TEST_F(GenericExpireDurabilityTest, SurvivesRestart) {
  ASSERT_NO_FATAL_FAILURE(SetDeadlines());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  ExpectDeadlines();
}

class GenericExpireKill9AlwaysTest : public GenericExpireDurabilityTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "always"}; }
};

TEST_F(GenericExpireKill9AlwaysTest, DeadlinesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(SetDeadlines());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  ExpectDeadlines();
}

class GenericExpireKill9EverySecTest : public GenericExpireDurabilityTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", "everysec"}; }
};

TEST_F(GenericExpireKill9EverySecTest, DeadlinesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(SetDeadlines());
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  ExpectDeadlines();
}

}  // namespace
}  // namespace cairn::test
