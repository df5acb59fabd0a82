// E2E test that the set commands emit exactly the keyspace events Redis 7.0 emits, in its
// order: the expected sequence below was recorded from redis-server 7.0 running the same
// script with notify-keyspace-events KEAnm ("new" for created keys, "del" when a command
// empties or clears a key, "keymiss" for read lookups that miss, nothing for no-ops).
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"

namespace cairn::test {
namespace {

using SetNotifyTest = NotifyTest;

TEST_F(SetNotifyTest, EventsMatchRedis) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAnm"));
  const std::vector<std::vector<std::string>> script = {{"SADD", "s", "1", "2", "3"},
                                                        {"SADD", "s", "1"},
                                                        {"SREM", "s", "9"},
                                                        {"SREM", "s", "1", "2"},
                                                        {"SREM", "s", "3"},
                                                        {"SADD", "a", "x", "y"},
                                                        {"SADD", "b", "y", "z"},
                                                        {"SINTERSTORE", "d", "a", "b"},
                                                        {"SINTERSTORE", "d", "a", "nokey"},
                                                        {"SUNIONSTORE", "d", "a", "b"},
                                                        {"SUNIONSTORE", "d", "nokey"},
                                                        {"SDIFFSTORE", "d", "a", "b"},
                                                        {"SDIFFSTORE", "d", "a", "a"},
                                                        {"SET", "str", "v"},
                                                        {"SUNIONSTORE", "str", "a"},
                                                        {"SADD", "str", "q"},
                                                        {"SMOVE", "a", "b", "x"},
                                                        {"SMOVE", "a", "b", "y"},
                                                        {"SMOVE", "b", "c", "z"},
                                                        {"SMOVE", "b", "b", "y"},
                                                        {"SMOVE", "b", "c", "nothere"},
                                                        {"SPOP", "c"},
                                                        {"SADD", "p", "1", "2", "3", "4"},
                                                        {"SPOP", "p", "0"},
                                                        {"SPOP", "p", "2"},
                                                        {"SPOP", "p", "5"},
                                                        {"SPOP", "nokey", "3"},
                                                        {"SRANDMEMBER", "nokey"},
                                                        {"SRANDMEMBER", "b", "-3"},
                                                        {"SISMEMBER", "nokey", "x"},
                                                        {"SINTER", "nokey", "x"},
                                                        {"SMOVE", "nokey", "x", "y"},
                                                        {"SCARD", "nokey"},
                                                        {"SMEMBERS", "nokey"},
                                                        {"SINTERCARD", "2", "nokey", "nokey2"}};
  std::vector<std::string> expected =
      Events({Both("new", "s"),         Both("sadd", "s"),          Both("srem", "s"),
              Both("srem", "s"),        Both("del", "s"),           Both("new", "a"),
              Both("sadd", "a"),        Both("new", "b"),           Both("sadd", "b"),
              Both("new", "d"),         Both("sinterstore", "d"),   Both("keymiss", "nokey"),
              Both("del", "d"),         Both("new", "d"),           Both("sunionstore", "d"),
              Both("keymiss", "nokey"), Both("del", "d"),           Both("new", "d"),
              Both("sdiffstore", "d"),  Both("del", "d"),           Both("new", "str"),
              Both("set", "str"),       Both("sunionstore", "str"), Both("sadd", "str"),
              Both("srem", "a"),        Both("sadd", "b"),          Both("srem", "a"),
              Both("del", "a"),         Both("srem", "b"),          Both("new", "c"),
              Both("sadd", "c"),        Both("spop", "c"),          Both("del", "c"),
              Both("new", "p"),         Both("sadd", "p"),          Both("spop", "p"),
              Both("spop", "p"),        Both("del", "p"),           Both("keymiss", "nokey"),
              Both("keymiss", "nokey"), Both("keymiss", "nokey"),   Both("keymiss", "x"),
              Both("keymiss", "nokey"), Both("keymiss", "nokey"),   Both("keymiss", "nokey"),
              Both("keymiss", "nokey2")});
  EXPECT_EQ(EventsOf(script), expected);
}

TEST_F(SetNotifyTest, OnlyTheSetClassWhenAskedFor) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("Ks"));
  std::vector<std::string> events = EventsOf({{"SADD", "k", "a"},
                                              {"SREM", "k", "a"},
                                              {"SADD", "k", "b"},
                                              {"SINTERSTORE", "d", "k"},
                                              {"SINTERSTORE", "d", "missing"},
                                              {"SPOP", "k"}});
  std::vector<std::string> expected = {
      "__keyspace@0__:k sadd",        "__keyspace@0__:k srem", "__keyspace@0__:k sadd",
      "__keyspace@0__:d sinterstore", "__keyspace@0__:k spop",
  };
  EXPECT_EQ(events, expected);
}

}  // namespace
}  // namespace cairn::test
