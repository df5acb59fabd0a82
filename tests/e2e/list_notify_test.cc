// E2E tests of the keyspace events of the list commands, in the order Redis 7.0 emits them
// (checked against redis-server 7.0 with notify-keyspace-events KEA / KEAn): pushes, pops with
// "del" when the list empties, LMOVE's destination push before its source pop, LINSERT, LSET,
// LREM, LTRIM, and no event for commands that change nothing.
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"

namespace cairn::test {
namespace {

using ListNotifyTest = NotifyTest;

TEST_F(ListNotifyTest, PushesAndPops) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  EXPECT_EQ(EventsOf({{"RPUSH", "a", "x", "y"},
                      {"LPUSH", "a", "z"},
                      {"RPUSHX", "a", "w"},
                      {"LPUSHX", "none", "w"},
                      {"LPOP", "a", "0"},
                      {"LPOP", "a"},
                      {"RPOP", "a", "5"},
                      {"RPOP", "a"}}),
            Events({Both("rpush", "a"), Both("lpush", "a"), Both("rpush", "a"), Both("lpop", "a"),
                    Both("rpop", "a"), Both("del", "a")}));
}

TEST_F(ListNotifyTest, MovesPushBeforeTheyPop) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  EXPECT_EQ(EventsOf({{"SET", "str", "v"},
                      {"RPUSH", "a", "x", "y"},
                      {"LMOVE", "a", "b", "LEFT", "RIGHT"},
                      {"LMOVE", "b", "b", "LEFT", "LEFT"},
                      {"RPOPLPUSH", "b", "a"},
                      {"LMOVE", "b", "c", "LEFT", "LEFT"},
                      {"LMOVE", "a", "str", "LEFT", "LEFT"}}),
            Events({Both("set", "str"), Both("rpush", "a"), Both("rpush", "b"), Both("lpop", "a"),
                    Both("lpush", "b"), Both("lpop", "b"), Both("lpush", "a"), Both("rpop", "b"),
                    Both("del", "b")}));
}

TEST_F(ListNotifyTest, NewKeyEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  EXPECT_EQ(EventsOf({{"RPUSH", "a", "x", "y"},
                      {"RPUSH", "a", "z"},
                      {"LMOVE", "a", "b", "LEFT", "LEFT"},
                      {"LMOVE", "a", "b", "LEFT", "LEFT"}}),
            Events({Both("new", "a"), Both("rpush", "a"), Both("rpush", "a"), Both("new", "b"),
                    Both("lpush", "b"), Both("lpop", "a"), Both("lpush", "b"), Both("lpop", "a")}));
}

TEST_F(ListNotifyTest, MultiPop) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  EXPECT_EQ(EventsOf({{"RPUSH", "b", "1", "2", "3"},
                      {"LMPOP", "2", "a", "b", "LEFT", "COUNT", "2"},
                      {"LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"},
                      {"LMPOP", "2", "a", "b", "RIGHT"}}),
            Events({Both("rpush", "b"), Both("lpop", "b"), Both("rpop", "b"), Both("del", "b")}));
}

TEST_F(ListNotifyTest, MiddleWrites) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  EXPECT_EQ(EventsOf({{"RPUSH", "a", "1", "2", "3"},
                      {"LINSERT", "a", "BEFORE", "2", "x"},
                      {"LINSERT", "a", "BEFORE", "zz", "x"},
                      {"LSET", "a", "0", "q"},
                      {"LREM", "a", "0", "zz"},
                      {"LREM", "a", "1", "q"},
                      {"LTRIM", "a", "0", "-1"},
                      {"LTRIM", "a", "5", "10"},
                      {"LTRIM", "none", "0", "1"},
                      {"RPUSH", "a", "1"},
                      {"LREM", "a", "0", "1"}}),
            Events({Both("rpush", "a"), Both("linsert", "a"), Both("lset", "a"), Both("lrem", "a"),
                    Both("ltrim", "a"), Both("ltrim", "a"), Both("del", "a"), Both("rpush", "a"),
                    Both("lrem", "a"), Both("del", "a")}));
}

TEST_F(ListNotifyTest, ReadsOfMissingKeysAreKeyMisses) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEm"));
  EXPECT_EQ(EventsOf({{"LLEN", "none"},
                      {"LRANGE", "none", "0", "-1"},
                      {"LPOP", "none"},
                      {"LINDEX", "none", "0"}}),
            Events({Both("keymiss", "none"), Both("keymiss", "none"), Both("keymiss", "none")}));
}

}  // namespace
}  // namespace cairn::test
