// E2E tests of HSCAN, SSCAN and ZSCAN: whole replies for compact collections, paged scans of
// large ones that return every member, MATCH and COUNT, scores as Redis 7.0 prints them in
// scan replies (listpack vs skiplist), Redis's order of argument checks and its errors,
// RESP3 shapes, cursors surviving a restart, and MULTI/EXEC reading its own writes.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/notify_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr int kMaxScanCalls = 100000;

struct ScanPass {
  std::vector<std::string> items;  // every element of every page, in order
  int calls = 0;
  size_t largest_page = 0;  // in members (pairs count once)
};

class CollectionScanTest : public ServerTest {
 protected:
  // Runs `command key cursor options...` from cursor 0 until it returns 0.
  ScanPass ScanAll(const std::string& command, const std::string& key,
                   const std::vector<std::string>& options = {}, std::string cursor = "0") {
    ScanPass pass;
    size_t per_member = command == "SSCAN" ? 1 : 2;
    for (; pass.calls < kMaxScanCalls; ++pass.calls) {
      std::vector<std::string> args = {command, key, cursor};
      args.insert(args.end(), options.begin(), options.end());
      Reply reply = client_.Command(args);
      if (reply.type() != ReplyType::kArray || reply.size() != 2 ||
          reply[0].type() != ReplyType::kString || reply[1].type() != ReplyType::kArray) {
        ADD_FAILURE() << "bad reply: " << reply;
        return pass;
      }
      for (const Reply& item : reply[1].elements()) pass.items.push_back(item.text());
      pass.largest_page = std::max(pass.largest_page, reply[1].size() / per_member);
      cursor = reply[0].text();
      if (cursor == "0") {
        pass.calls++;
        return pass;
      }
    }
    ADD_FAILURE() << command << " did not end";
    return pass;
  }

  // Fills `key` with fields f0..f(n-1) (value v<i>) in pipelined HSETs.
  void FillHash(const std::string& key, int fields, const std::string& prefix = "f") {
    std::vector<std::vector<std::string>> commands;
    for (int i = 0; i < fields; i += 100) {
      std::vector<std::string> command = {"HSET", key};
      for (int j = i; j < std::min(fields, i + 100); ++j) {
        command.push_back(prefix + std::to_string(j));
        command.push_back("v" + std::to_string(j));
      }
      commands.push_back(command);
    }
    for (const Reply& reply : client_.Pipeline(commands)) ASSERT_FALSE(reply.is_error()) << reply;
  }

  void FillSet(const std::string& key, int members, const std::string& prefix = "m") {
    std::vector<std::string> command = {"SADD", key};
    for (int i = 0; i < members; ++i) command.push_back(prefix + std::to_string(i));
    ASSERT_INTEGER(client_.Command(command), members);
  }

  static std::map<std::string, std::string> Pairs(const std::vector<std::string>& items) {
    std::map<std::string, std::string> pairs;
    for (size_t i = 0; i + 1 < items.size(); i += 2) pairs[items[i]] = items[i + 1];
    return pairs;
  }
};

TEST_F(CollectionScanTest, CompactHashComesWholeWithCursorZero) {
  ASSERT_INTEGER(client_.Command({"HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3"}), 3);
  Reply reply = client_.Command({"HSCAN", "h", "0", "COUNT", "1"});
  ASSERT_EQ(reply.size(), 2u) << reply;
  EXPECT_BULK(reply[0], "0");
  EXPECT_EQ(Pairs(*reply[1].ElementTexts()),
            (std::map<std::string, std::string>{{"f1", "v1"}, {"f2", "v2"}, {"f3", "v3"}}));
  // Like a listpack in Redis: any cursor returns everything.
  reply = client_.Command({"HSCAN", "h", "123456"});
  EXPECT_BULK(reply[0], "0");
  EXPECT_EQ(reply[1].size(), 6u);
  reply = client_.Command({"HSCAN", "h", "0", "MATCH", "*2"});
  EXPECT_STRINGS(reply[1], {"f2", "v2"});
}

TEST_F(CollectionScanTest, LargeHashIsPagedAndEveryFieldComesBack) {
  ASSERT_NO_FATAL_FAILURE(FillHash("h", 2000));
  ScanPass pass = ScanAll("HSCAN", "h", {"COUNT", "50"});
  std::map<std::string, std::string> pairs = Pairs(pass.items);
  ASSERT_EQ(pairs.size(), 2000u);
  EXPECT_EQ(pass.items.size(), 4000u);  // nothing changed meanwhile: no repeats either
  EXPECT_EQ(pairs["f1234"], "v1234");
  EXPECT_GT(pass.calls, 1);
  EXPECT_LE(pass.largest_page, 50u);
  // The default COUNT is 10.
  ScanPass default_pass = ScanAll("HSCAN", "h");
  EXPECT_EQ(Pairs(default_pass.items).size(), 2000u);
  EXPECT_LE(default_pass.largest_page, 10u);
}

TEST_F(CollectionScanTest, SetScanWithMatchAndCount) {
  ASSERT_INTEGER(client_.Command({"SADD", "small", "1", "2", "3"}), 3);
  Reply reply = client_.Command({"SSCAN", "small", "0"});
  EXPECT_BULK(reply[0], "0");
  EXPECT_STRINGS_UNORDERED(reply[1], {"1", "2", "3"});
  reply = client_.Command({"SSCAN", "small", "0", "MATCH", "[12]"});
  EXPECT_STRINGS_UNORDERED(reply[1], {"1", "2"});

  ASSERT_NO_FATAL_FAILURE(FillSet("big", 3000));
  ScanPass pass = ScanAll("SSCAN", "big", {"MATCH", "m1*", "COUNT", "100"});
  std::set<std::string> seen(pass.items.begin(), pass.items.end());
  EXPECT_EQ(seen.size(), 1111u);  // m1, m10-m19, m100-m199, m1000-m1999
  for (const std::string& member : seen) EXPECT_EQ(member.rfind("m1", 0), 0u) << member;
  EXPECT_EQ(ScanAll("SSCAN", "big", {"MATCH", "*"}).items.size(), 3000u);
  EXPECT_TRUE(ScanAll("SSCAN", "big", {"MATCH", ""}).items.empty());
}

TEST_F(CollectionScanTest, ZSetScoresAreFormattedAsRedisScansPrintThem) {
  const std::vector<std::string> scores = {
      "1.5", "0.1", "3", "inf", "-inf", "1e20", "123456789012345678", "-0"};
  std::vector<std::string> zadd = {"ZADD", "z"};
  for (size_t i = 0; i < scores.size(); ++i) {
    zadd.push_back(scores[i]);
    zadd.push_back("m" + std::to_string(i));
  }
  ASSERT_INTEGER(client_.Command(zadd), 8);
  // A listpack holds whole scores as integers, others as %.17g.
  std::map<std::string, std::string> compact = Pairs(ScanAll("ZSCAN", "z").items);
  EXPECT_EQ(compact, (std::map<std::string, std::string>{{"m0", "1.5"},
                                                         {"m1", "0.10000000000000001"},
                                                         {"m2", "3"},
                                                         {"m3", "inf"},
                                                         {"m4", "-inf"},
                                                         {"m5", "1e+20"},
                                                         {"m6", "123456789012345680"},
                                                         {"m7", "0"}}));
  // A skiplist prints every score with %.17g.
  zadd[1] = "big";
  ASSERT_INTEGER(client_.Command(zadd), 8);
  std::vector<std::string> more = {"ZADD", "big"};
  for (int i = 0; i < 200; ++i) {
    more.push_back(std::to_string(i));
    more.push_back("n" + std::to_string(i));
  }
  ASSERT_INTEGER(client_.Command(more), 200);
  ASSERT_BULK(client_.Command({"OBJECT", "ENCODING", "big"}), "skiplist");
  std::map<std::string, std::string> large = Pairs(ScanAll("ZSCAN", "big", {"COUNT", "7"}).items);
  EXPECT_EQ(large.size(), 208u);
  EXPECT_EQ(large["m6"], "1.2345678901234568e+17");
  EXPECT_EQ(large["m1"], "0.10000000000000001");
  EXPECT_EQ(large["m2"], "3");
  EXPECT_EQ(large["m3"], "inf");
  EXPECT_EQ(large["n199"], "199");
}

TEST_F(CollectionScanTest, ArgumentErrorsInRedisOrder) {
  ASSERT_INTEGER(client_.Command({"HSET", "h", "f", "v"}), 1);
  ASSERT_OK(client_.Command({"SET", "str", "x"}));
  ASSERT_INTEGER(client_.Command({"SADD", "s", "a"}), 1);
  // The cursor is parsed first, before the key is looked at.
  EXPECT_ERROR(client_.Command({"HSCAN", "nokey", "abc"}), "ERR invalid cursor");
  EXPECT_ERROR(client_.Command({"HSCAN", "str", "1x"}), "ERR invalid cursor");
  EXPECT_ERROR(client_.Command({"SSCAN", "s", "18446744073709551616"}), "ERR invalid cursor");
  EXPECT_ERROR(client_.Command({"SSCAN", "s", " 1"}), "ERR invalid cursor");
  // Then the key: a missing key is an empty scan even with bad options; the wrong type wins
  // over bad options.
  for (const auto& options : std::vector<std::vector<std::string>>{
           {"COUNT", "0"}, {"COUNT", "x"}, {"TYPE", "hash"}, {"MATCH"}, {"BOGUS", "1"}}) {
    std::vector<std::string> args = {"HSCAN", "nokey", "0"};
    args.insert(args.end(), options.begin(), options.end());
    Reply reply = client_.Command(args);
    ASSERT_EQ(reply.size(), 2u) << reply;
    EXPECT_BULK(reply[0], "0");
    EXPECT_EQ(reply[1].size(), 0u);
    args[1] = "str";
    EXPECT_ERROR(client_.Command(args), kWrongType);
  }
  EXPECT_ERROR(client_.Command({"HSCAN", "h", "0", "COUNT", "0"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"HSCAN", "h", "0", "COUNT", "-1"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SSCAN", "s", "0", "COUNT", "x"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SSCAN", "s", "0", "TYPE", "set"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"HSCAN", "h", "0", "MATCH"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"HSCAN", "h", "0", "COUNT", "5", "bogus"}), "ERR syntax error");
  // Wrong type against a string and against another collection type.
  EXPECT_ERROR(client_.Command({"SSCAN", "str", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"ZSCAN", "h", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"HSCAN", "s", "0"}), kWrongType);
  EXPECT_ERROR(client_.Command({"HSCAN", "h"}),
               "ERR wrong number of arguments for 'hscan' command");
  EXPECT_ERROR(client_.Command({"ZSCAN"}), "ERR wrong number of arguments for 'zscan' command");
  // A cursor Redis accepts: "-1" wraps around, "+0" and "" are 0.
  EXPECT_FALSE(client_.Command({"HSCAN", "h", "-1"}).is_error());
  EXPECT_BULK(client_.Command({"HSCAN", "h", ""})[0], "0");
  // Options are case-insensitive and may repeat (the last one wins).
  Reply reply = client_.Command({"HSCAN", "h", "0", "match", "x*", "MATCH", "f*", "count", "3"});
  EXPECT_STRINGS(reply[1], {"f", "v"});
}

TEST_F(CollectionScanTest, Resp3ShapesAreArrays) {
  ASSERT_INTEGER(client_.Command({"HSET", "h", "f", "v"}), 1);
  ASSERT_INTEGER(client_.Command({"ZADD", "z", "2.5", "m"}), 1);
  ASSERT_FALSE(client_.Command({"HELLO", "3"}).is_error());
  Reply reply = client_.Command({"HSCAN", "h", "0"});
  ASSERT_EQ(reply.type(), ReplyType::kArray) << reply;
  EXPECT_BULK(reply[0], "0");
  EXPECT_STRINGS(reply[1], {"f", "v"});
  reply = client_.Command({"ZSCAN", "z", "0"});
  EXPECT_STRINGS(reply[1], {"m", "2.5"});  // the score is a bulk string, not a RESP3 double
  reply = client_.Command({"SSCAN", "missing", "0"});
  ASSERT_EQ(reply.type(), ReplyType::kArray) << reply;
  EXPECT_EQ(reply[1].type(), ReplyType::kArray);
}

TEST_F(CollectionScanTest, MembersPresentThroughoutSurviveConcurrentChanges) {
  ASSERT_NO_FATAL_FAILURE(FillSet("s", 2000));
  std::set<std::string> seen;
  std::string cursor = "0";
  int step = 0;
  do {
    Reply reply = client_.Command({"SSCAN", "s", cursor, "COUNT", "40"});
    ASSERT_EQ(reply.size(), 2u) << reply;
    for (const Reply& member : reply[1].elements()) seen.insert(member.text());
    cursor = reply[0].text();
    // Add members around the position and remove some that were never returned yet.
    ASSERT_INTEGER(
        client_.Command({"SADD", "s", "a" + std::to_string(step), "z" + std::to_string(step)}), 2);
    client_.Command({"SREM", "s", "m9" + std::to_string(step)});
    ++step;
  } while (cursor != "0" && step < kMaxScanCalls);
  std::set<std::string> removed;
  for (int k = 0; k < step; ++k) removed.insert("m9" + std::to_string(k));
  for (int i = 0; i < 2000; ++i) {
    std::string member = "m" + std::to_string(i);
    if (removed.count(member) == 0) {
      EXPECT_TRUE(seen.count(member)) << member;
    }
  }
}

TEST_F(CollectionScanTest, CursorResumesAfterARestart) {
  ASSERT_NO_FATAL_FAILURE(FillHash("h", 1000, "field:"));
  Reply first = client_.Command({"HSCAN", "h", "0", "COUNT", "100"});
  ASSERT_EQ(first.size(), 2u) << first;
  std::string cursor = first[0].text();
  ASSERT_NE(cursor, "0");
  std::map<std::string, std::string> pairs = Pairs(*first[1].ElementTexts());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  // The cursor table is gone; the cursor still leads to the end without skipping anything.
  ScanPass rest = ScanAll("HSCAN", "h", {"COUNT", "100"}, cursor);
  for (const auto& [field, value] : Pairs(rest.items)) pairs[field] = value;
  EXPECT_EQ(pairs.size(), 1000u);
}

TEST_F(CollectionScanTest, TransactionSeesItsOwnPendingWrites) {
  ASSERT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"HSET", "h", "f", "v"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"HSCAN", "h", "0"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SADD", "s", "x"}), "QUEUED");
  EXPECT_STATUS(client_.Command({"SSCAN", "s", "0"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.size(), 4u) << exec;
  EXPECT_STRINGS(exec[1][1], {"f", "v"});
  EXPECT_STRINGS(exec[3][1], {"x"});
}

TEST_F(CollectionScanTest, ScanCountsKeyspaceHitsAndMisses) {
  ASSERT_INTEGER(client_.Command({"SADD", "s", "x"}), 1);
  ASSERT_OK(client_.Command({"CONFIG", "RESETSTAT"}));
  client_.Command({"SSCAN", "s", "0"});
  client_.Command({"SSCAN", "nope", "0"});
  client_.Command({"SSCAN", "nope", "0", "COUNT", "0"});
  std::string info = client_.Command({"INFO", "stats"}).text();
  EXPECT_NE(info.find("keyspace_hits:1\r\n"), std::string::npos) << info;
  EXPECT_NE(info.find("keyspace_misses:2\r\n"), std::string::npos) << info;
}

class CollectionScanNotifyTest : public NotifyTest {};

// Scans change nothing: the only events are "keymiss" for a missing key (also when the
// options are bad, as Redis looks the key up first), as redis-server 7.0 emits them.
TEST_F(CollectionScanNotifyTest, OnlyKeyMissEvents) {
  ASSERT_NO_FATAL_FAILURE(SetFlags("KEAm"));
  std::vector<std::string> events = EventsOf({
      {"HSET", "h", "f", "v"},
      {"HSCAN", "h", "0"},
      {"HSCAN", "nokey", "0"},
      {"SSCAN", "nokey", "0", "COUNT", "0"},
      {"ZSCAN", "h", "0"},
      {"SSCAN", "h", "bad-cursor"},
  });
  EXPECT_EQ(events,
            Events({Both("hset", "h"), Both("keymiss", "nokey"), Both("keymiss", "nokey")}));
}

}  // namespace
}  // namespace cairn::test
