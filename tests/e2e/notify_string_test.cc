// E2E tests of the keyspace events of the string commands: the events, their order and
// their channels are those redis-server 7.0 emits for the same commands (each expectation
// was taken from a real redis-server 7.0 with `psubscribe '*'`).
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"

namespace cairn::test {
namespace {

using NotifyStringTest = NotifyTest;

TEST_F(NotifyStringTest, SetFamilyEmitsSetAndExpire) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"SET", "a", "1"},
      {"SET", "a", "2", "EX", "100"},
      {"SETNX", "a", "3"},  // refused: nothing
      {"SETNX", "d", "2"},
      {"SETEX", "e", "100", "v"},
      {"PSETEX", "f", "100000", "v"},
      {"GETSET", "g", "1"},
      {"GETSET", "g", "2"},
      {"SET", "c", "1", "GET"},
      {"SET", "a", "x", "NX"},  // refused: nothing
      {"SET", "a", "y", "XX", "KEEPTTL"},
      {"SET", "a", "z", "PXAT", "99999999999999"},
      {"SET", "missing", "v", "XX"},  // refused: nothing
      {"SETEX", "e", "-1", "v"},      // an error: nothing
  });
  EXPECT_EQ(events,
            Events({Both("set", "a"), Both("set", "a"), Both("expire", "a"), Both("set", "d"),
                    Both("set", "e"), Both("expire", "e"), Both("set", "f"), Both("expire", "f"),
                    Both("set", "g"), Both("set", "g"), Both("set", "c"), Both("set", "a"),
                    Both("set", "a"), Both("expire", "a")}));
}

TEST_F(NotifyStringTest, NewGoesOutBeforeTheWriteThatCreatesAKey) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"SET", "a", "1"},
      {"SET", "a", "2", "EX", "100"},
      {"SETNX", "d", "2"},
      {"SETEX", "e", "100", "v"},
      {"GETSET", "g", "1"},
      {"GETSET", "g", "2"},
      {"APPEND", "h", "x"},
      {"SETRANGE", "i", "1", "x"},
      {"INCR", "j"},
      {"INCRBYFLOAT", "k", "1.5"},
  });
  EXPECT_EQ(events, Events({Both("new", "a"),      Both("set", "a"),        Both("set", "a"),
                            Both("expire", "a"),   Both("new", "d"),        Both("set", "d"),
                            Both("new", "e"),      Both("set", "e"),        Both("expire", "e"),
                            Both("new", "g"),      Both("set", "g"),        Both("set", "g"),
                            Both("new", "h"),      Both("append", "h"),     Both("new", "i"),
                            Both("setrange", "i"), Both("new", "j"),        Both("incrby", "j"),
                            Both("new", "k"),      Both("incrbyfloat", "k")}));
}

// Redis lets a SET whose absolute deadline has already passed store the key and expiry take
// it; Cairn drops it at once, so "expired" follows right away.
TEST_F(NotifyStringTest, SetWithAPastDeadlineExpiresTheKey) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  EXPECT_EQ(
      EventsOf({{"SET", "b", "1", "EXAT", "1"}, {"GET", "b"}}),
      Events({Both("new", "b"), Both("set", "b"), Both("expire", "b"), Both("expired", "b")}));
  EXPECT_NIL(client_.Command({"GET", "b"}));
}

TEST_F(NotifyStringTest, GetDelAndGetExEmitGenericEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"SET", "a", "1"},
      {"GETDEL", "a"},
      {"GETDEL", "a"},  // missing: nothing
      {"SET", "a", "1"},
      {"GETEX", "a", "EX", "100"},
      {"GETEX", "a", "PERSIST"},
      {"GETEX", "a", "PERSIST"},  // no deadline to remove: nothing
      {"GETEX", "a"},
      {"GETEX", "a", "PX", "100000"},
      {"GETEX", "a", "EX", "0"},  // an error: nothing
      {"GETEX", "a", "PXAT", "1"},
      {"GETEX", "missing", "EX", "10"},
  });
  EXPECT_EQ(events,
            Events({Both("set", "a"), Both("del", "a"), Both("set", "a"), Both("expire", "a"),
                    Both("persist", "a"), Both("expire", "a"), Both("del", "a")}));
}

TEST_F(NotifyStringTest, MSetEmitsOneSetPerPair) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"MSET", "a", "1", "b", "2", "a", "3"},
      {"MSETNX", "a", "1", "z", "2"},  // a exists: nothing
      {"MSETNX", "x", "1", "y", "2", "x", "3"},
      {"MSET", "a"},  // an error: nothing
  });
  EXPECT_EQ(events, Events({Both("new", "a"), Both("set", "a"), Both("new", "b"), Both("set", "b"),
                            Both("set", "a"), Both("new", "x"), Both("set", "x"), Both("new", "y"),
                            Both("set", "y"), Both("set", "x")}));
}

TEST_F(NotifyStringTest, AppendSetRangeAndCounters) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"APPEND", "a", "x"},
      {"APPEND", "a", "y"},
      {"SETRANGE", "b", "0", ""},  // creates nothing: nothing
      {"SETRANGE", "b", "2", "x"},
      {"SETRANGE", "b", "0", "y"},
      {"SETRANGE", "a", "0", ""},  // changes nothing: nothing
      {"SETRANGE", "a", "-1", "x"},
      {"INCR", "c"},
      {"INCRBY", "c", "2"},
      {"DECR", "c"},
      {"DECRBY", "c", "5"},
      {"INCRBYFLOAT", "c", "1.5"},
      {"INCR", "a"},  // not an integer: nothing
      {"SET", "i", "9223372036854775807"},
      {"INCR", "i"},  // overflow: nothing
      {"INCRBYFLOAT", "a", "1"},
      {"INCRBYFLOAT", "c", "abc"},
  });
  EXPECT_EQ(events, Events({Both("append", "a"), Both("append", "a"), Both("setrange", "b"),
                            Both("setrange", "b"), Both("incrby", "c"), Both("incrby", "c"),
                            Both("incrby", "c"), Both("incrby", "c"), Both("incrbyfloat", "c"),
                            Both("set", "i")}));
}

TEST_F(NotifyStringTest, ReadsEmitNothing) {
  ASSERT_OK(client_.Command({"MSET", "a", "hello", "b", "help"}));
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAmn"));
  std::vector<std::string> events = EventsOf({
      {"GET", "a"},
      {"MGET", "a", "b"},
      {"STRLEN", "a"},
      {"GETRANGE", "a", "0", "2"},
      {"SUBSTR", "a", "0", "2"},
      {"LCS", "a", "b"},
      {"GETEX", "a"},
  });
  EXPECT_EQ(events, std::vector<std::string>{});
}

// The events of a command reach the subscriber before those of the next command, whatever
// worker each connection is on, and every subscriber gets them.
TEST_F(NotifyStringTest, EverySubscriberReceivesEveryEventInOrder) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("E$"));
  Client second = Connect();
  ASSERT_NO_FATAL_FAILURE(Subscribe(second));
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    std::string key = "k" + std::to_string(i % 7);
    commands.push_back({"INCR", key});
    expected.push_back("__keyevent@0__:incrby " + key);
  }
  EXPECT_EQ(EventsOf(commands), expected);
  std::vector<std::string> seen_by_second;
  for (size_t i = 0; i <= expected.size(); ++i) seen_by_second.push_back(NextMessage(second));
  expected.push_back(std::string(kSentinelChannel) + " end");
  EXPECT_EQ(seen_by_second, expected);
}

}  // namespace
}  // namespace cairn::test
