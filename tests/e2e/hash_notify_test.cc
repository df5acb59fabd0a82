// E2E tests of the keyspace events of the hash commands: the events, their order and their
// channels are those redis-server 7.0 emits for the same commands (each expectation was
// taken from a real redis-server 7.0 with `psubscribe '__key*'`).
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"

namespace cairn::test {
namespace {

using NotifyHashTest = NotifyTest;

TEST_F(NotifyHashTest, WritesEmitTheirEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"HSET", "n", "a", "1", "b", "2"},
      {"HSET", "n", "a", "1"},  // nothing changes, the event goes out all the same
      {"HMSET", "n", "c", "3"},
      {"HSETNX", "n", "a", "1"},  // refused: nothing
      {"HSETNX", "n", "d", "1"},
      {"HDEL", "n", "zz"},  // nothing removed: nothing
      {"HDEL", "n", "a", "b"},
      {"HINCRBY", "n", "c", "1"},
      {"HINCRBYFLOAT", "n", "c", "1"},
      {"HINCRBY", "n", "c", "x"},  // an error: nothing
      {"HDEL", "n", "c", "d"},     // the last fields: hdel, then del
      {"HDEL", "n", "c", "d"},
      {"HINCRBY", "n2", "x", "1"},
  });
  EXPECT_EQ(events,
            Events({Both("hset", "n"), Both("hset", "n"), Both("hset", "n"), Both("hset", "n"),
                    Both("hdel", "n"), Both("hincrby", "n"), Both("hincrbyfloat", "n"),
                    Both("hdel", "n"), Both("del", "n"), Both("hincrby", "n2")}));
}

TEST_F(NotifyHashTest, NewComesBeforeTheWriteThatCreatesAHash) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"HSET", "a", "f", "1"},
      {"HSET", "a", "g", "1"},
      {"HSETNX", "b", "f", "1"},
      {"HINCRBY", "c", "f", "1"},
      {"HINCRBYFLOAT", "d", "f", "1"},
      {"HMSET", "e", "f", "1"},
  });
  EXPECT_EQ(events,
            Events({Both("new", "a"), Both("hset", "a"), Both("hset", "a"), Both("new", "b"),
                    Both("hset", "b"), Both("new", "c"), Both("hincrby", "c"), Both("new", "d"),
                    Both("hincrbyfloat", "d"), Both("new", "e"), Both("hset", "e")}));
}

TEST_F(NotifyHashTest, ReadsOfMissingKeysEmitKeymiss) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEm"));
  std::vector<std::string> events = EventsOf({
      {"HSET", "h", "f", "1"},
      {"HGET", "nokey", "f"},
      {"HGET", "h", "zz"},  // the key exists: no miss
      {"HMGET", "nokey", "a"},
      {"HRANDFIELD", "nokey", "0"},
      {"HDEL", "nokey", "a"},  // a write: no miss
      {"HGETALL", "nokey"},
      {"HLEN", "h"},
  });
  EXPECT_EQ(events, Events({Both("keymiss", "nokey"), Both("keymiss", "nokey"),
                            Both("keymiss", "nokey"), Both("keymiss", "nokey")}));
}

}  // namespace
}  // namespace cairn::test
