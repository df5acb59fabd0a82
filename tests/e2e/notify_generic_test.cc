// E2E tests of the keyspace events of the generic commands (DEL, UNLINK, the EXPIRE family,
// PERSIST, RENAME, RENAMENX, COPY, MOVE) and of the commands that emit none, checked
// against what redis-server 7.0 emits for the same commands.
#include <string>
#include <vector>

#include "tests/e2e/notify_test_util.h"

namespace cairn::test {
namespace {

using NotifyGenericTest = NotifyTest;

TEST_F(NotifyGenericTest, DelAndUnlinkEmitDelPerDeletedKey) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"MSET", "a", "1", "b", "2"},
      {"DEL", "a", "b", "c", "a"},
      {"DEL", "a"},  // missing: nothing
      {"SET", "a", "1"},
      {"UNLINK", "x", "a"},
  });
  EXPECT_EQ(events, Events({Both("set", "a"), Both("set", "b"), Both("del", "a"), Both("del", "b"),
                            Both("set", "a"), Both("del", "a")}));
}

TEST_F(NotifyGenericTest, ExpireFamilyAndPersist) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"SET", "a", "1"},
      {"EXPIRE", "a", "100"},
      {"EXPIRE", "a", "100", "NX"},  // condition fails: nothing
      {"PEXPIRE", "a", "5000000"},
      {"EXPIREAT", "a", "9999999999"},
      {"PEXPIREAT", "a", "99999999999"},  // in the past: the key is deleted
      {"PERSIST", "a"},                   // missing: nothing
      {"EXPIRE", "zz", "10"},             // missing: nothing
      {"SET", "a", "1"},
      {"EXPIRE", "a", "0"},
      {"SET", "a", "1"},
      {"PERSIST", "a"},  // no deadline: nothing
      {"EXPIRE", "a", "-5"},
      {"SET", "a", "1"},
      {"EXPIRE", "a", "100"},
      {"PERSIST", "a"},
      {"EXPIRE", "a", "abc"},  // an error: nothing
  });
  EXPECT_EQ(events, Events({Both("set", "a"), Both("expire", "a"), Both("expire", "a"),
                            Both("expire", "a"), Both("del", "a"), Both("set", "a"),
                            Both("del", "a"), Both("set", "a"), Both("del", "a"), Both("set", "a"),
                            Both("expire", "a"), Both("persist", "a")}));
}

TEST_F(NotifyGenericTest, RenameCopyAndMove) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"SET", "a", "1"},
      {"RENAME", "a", "b"},
      {"SET", "c", "1"},
      {"RENAME", "b", "c"},  // over an existing key: still "new"
      {"RENAME", "c", "c"},  // to itself: nothing
      {"RENAMENX", "c", "c"},
      {"RENAME", "nope", "x"},  // an error: nothing
      {"SET", "d", "1"},
      {"RENAMENX", "c", "d"},  // refused: nothing
      {"RENAMENX", "c", "e"},
      {"COPY", "e", "f"},
      {"COPY", "e", "f"},  // refused: nothing
      {"COPY", "e", "f", "REPLACE"},
      {"COPY", "e", "f", "DB", "1"},
      {"MOVE", "f", "2"},
      {"MOVE", "e", "0"},  // an error: nothing
  });
  EXPECT_EQ(events,
            Events({Both("new", "a"),         Both("set", "a"),         Both("new", "b"),
                    Both("rename_from", "a"), Both("rename_to", "b"),   Both("new", "c"),
                    Both("set", "c"),         Both("new", "c"),         Both("rename_from", "b"),
                    Both("rename_to", "c"),   Both("new", "d"),         Both("set", "d"),
                    Both("new", "e"),         Both("rename_from", "c"), Both("rename_to", "e"),
                    Both("new", "f"),         Both("copy_to", "f"),     Both("new", "f"),
                    Both("copy_to", "f"),     Both("new", "f", 1),      Both("copy_to", "f", 1),
                    Both("new", "f", 2),      Both("move_from", "f"),   Both("move_to", "f", 2)}));
}

TEST_F(NotifyGenericTest, EventsCarryTheSelectedDb) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  std::vector<std::string> events = EventsOf({
      {"SELECT", "5"},
      {"SET", "k", "v"},
      {"EXPIRE", "k", "100"},
      {"DEL", "k"},
  });
  EXPECT_EQ(events, Events({Both("set", "k", 5), Both("expire", "k", 5), Both("del", "k", 5)}));
}

TEST_F(NotifyGenericTest, CommandsThatEmitNothing) {
  ASSERT_OK(client_.Command({"MSET", "a", "1", "b", "2"}));
  ASSERT_OK(client_.Command({"SELECT", "1"}));
  ASSERT_OK(client_.Command({"SET", "c", "3"}));
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"EXISTS", "a", "zz"},
      {"TYPE", "a"},
      {"TTL", "a"},
      {"PTTL", "a"},
      {"EXPIRETIME", "a"},
      {"TOUCH", "a", "b"},
      {"OBJECT", "ENCODING", "a"},
      {"KEYS", "*"},
      {"SCAN", "0"},
      {"RANDOMKEY"},
      {"DBSIZE"},
      {"SWAPDB", "0", "1"},
      {"FLUSHDB"},
      {"FLUSHALL"},
  });
  EXPECT_EQ(events, std::vector<std::string>{});
}

// Each class letter lets through its own events only, and nothing goes out without K or E.
TEST_F(NotifyGenericTest, ClassFlagsSelectEvents) {
  const std::vector<std::vector<std::string>> commands = {
      {"SET", "k", "v", "EX", "100"}, {"DEL", "k"}, {"SET", "gone", "v", "PXAT", "1"}};
  struct Case {
    std::string flags;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"K$", {"__keyspace@0__:k set", "__keyspace@0__:gone set"}},
      {"Eg", {"__keyevent@0__:expire k", "__keyevent@0__:del k", "__keyevent@0__:expire gone"}},
      {"Kx", {"__keyspace@0__:gone expired"}},
      {"En", {"__keyevent@0__:new k", "__keyevent@0__:new gone"}},
      {"KA",
       {"__keyspace@0__:k set", "__keyspace@0__:k expire", "__keyspace@0__:k del",
        "__keyspace@0__:gone set", "__keyspace@0__:gone expire", "__keyspace@0__:gone expired"}},
      {"Ee", {}},  // Cairn evicts no keys
      {"g$xn", {}},
      {"", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("flags \"" + c.flags + "\"");
    ASSERT_NO_FATAL_FAILURE(SetFlags(c.flags));
    EXPECT_EQ(EventsOf(commands), c.expected);
  }
}

TEST_F(NotifyGenericTest, KeyMissOnReadsOnly) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("Km"));
  std::vector<std::string> events = EventsOf({
      {"GET", "m1"},
      {"MGET", "m2", "m3"},
      {"EXISTS", "m4", "m4"},
      {"TYPE", "m5"},
      {"TTL", "m6"},
      {"STRLEN", "m7"},
      {"GETRANGE", "m8", "0", "1"},
      {"OBJECT", "ENCODING", "m9"},  // Redis's OBJECT does not notify
      {"LCS", "m10", "m11"},
      {"SET", "m12", "1", "GET"},
      {"GETDEL", "m14"},
      {"GETEX", "m15"},
      {"GETEX", "m16", "EX", "-1"},  // looked up before the time is checked
      {"TOUCH", "m17"},
      {"INCR", "m20"},  // writes do not notify
      {"APPEND", "m21", "x"},
      {"RENAME", "m22", "x"},
      {"COPY", "m23", "x"},
      {"PTTL", "m24"},
      {"DEL", "m28"},
      {"EXPIRE", "m29", "10"},
      {"PERSIST", "m30"},
      {"MOVE", "m31", "1"},
      {"GET", "m20"},  // exists: nothing
  });
  std::vector<std::string> expected;
  for (const char* key : {"m1", "m2", "m3", "m4", "m4", "m5", "m6", "m7", "m8", "m10", "m11", "m12",
                          "m14", "m15", "m16", "m17", "m23", "m24"}) {
    expected.push_back(std::string("__keyspace@0__:") + key + " keymiss");
  }
  EXPECT_EQ(events, expected);
}

// The queued commands of a transaction emit their events as they run inside EXEC; "new"
// sees the transaction's own earlier writes.
TEST_F(NotifyGenericTest, TransactionEmitsTheEventsOfItsCommands) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAn"));
  std::vector<std::string> events = EventsOf({
      {"MULTI"},
      {"SET", "b", "1"},
      {"SET", "b", "2"},
      {"INCR", "b"},
      {"DEL", "b"},
      {"SET", "c", "1", "EX", "100"},
      {"EXEC"},
      {"MULTI"},
      {"SET", "d", "1"},
      {"DISCARD"},
  });
  EXPECT_EQ(events,
            Events({Both("new", "b"), Both("set", "b"), Both("set", "b"), Both("incrby", "b"),
                    Both("del", "b"), Both("new", "c"), Both("set", "c"), Both("expire", "c")}));
}

// Active expiry reclaims a key nobody touches and emits "expired" for it, in its db.
TEST_F(NotifyGenericTest, ExpiredArrivesWithoutAccess) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEx"));
  ASSERT_OK(client_.Command({"SET", "soon", "v", "PX", "50"}));
  EXPECT_TRUE(AwaitMessage(subscriber_, "__keyspace@0__:soon expired"));
  EXPECT_TRUE(AwaitMessage(subscriber_, "__keyevent@0__:expired soon"));
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  ASSERT_OK(client_.Command({"SET", "later", "v", "PX", "80"}));
  EXPECT_TRUE(AwaitMessage(subscriber_, "__keyspace@3__:later expired"));
  EXPECT_TRUE(AwaitMessage(subscriber_, "__keyevent@3__:expired later"));
  EXPECT_INTEGER(client_.Command({"EXISTS", "later"}), 0);
}

// The notify-keyspace-events option given at start-up applies without CONFIG SET.
class NotifyFromStartupTest : public NotifyTest {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--workers", "3", "--notify-keyspace-events", "Eg"};
  }
};

TEST_F(NotifyFromStartupTest, OptionFromTheCommandLine) {
  EXPECT_EQ(EventsOf({{"SET", "k", "v"}, {"DEL", "k"}}),
            std::vector<std::string>{"__keyevent@0__:del k"});
}

// A RESP3 client can subscribe and run commands on the same connection; its own writes send
// it the events as push messages besides the command's reply.
TEST_F(NotifyGenericTest, Resp3SubscriberReceivesPushes) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEA"));
  Client resp3 = Connect();
  ASSERT_EQ(resp3.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  Reply confirmation = resp3.Command({"SUBSCRIBE", "__keyevent@0__:set"});
  ASSERT_EQ(confirmation.type(), ReplyType::kPush) << confirmation;
  resp3.Append({"SET", "mine", "v"});
  std::vector<Reply> replies;
  for (int i = 0; i < 2; ++i) replies.push_back(resp3.GetReply());
  // The push may come before or after the reply, as in Redis's client-side caching.
  const Reply& push = replies[0].type() == ReplyType::kPush ? replies[0] : replies[1];
  const Reply& ok = replies[0].type() == ReplyType::kPush ? replies[1] : replies[0];
  EXPECT_OK(ok);
  EXPECT_TRUE(IsStrings(push, {"message", "__keyevent@0__:set", "mine"})) << push;
  EXPECT_EQ(push.type(), ReplyType::kPush);
  EXPECT_BULK(resp3.Command({"GET", "mine"}), "v");
}

}  // namespace
}  // namespace cairn::test
