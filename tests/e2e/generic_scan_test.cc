// E2E tests of keyspace iteration: KEYS and SCAN (MATCH with full glob patterns and hash
// tags, COUNT, TYPE, cursor parsing, made-up cursors, errors), SCAN's guarantee under
// concurrent writes, and iteration per db.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/e2e/generic_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

// A full SCAN pass can never need more calls than this here (the tests hold few keys).
constexpr int kMaxScanCalls = 100000;

class GenericScanTest : public ServerTest {
 protected:
  void Set(const std::string& key) { ASSERT_OK(client_.Command({"SET", key, "v"})); }

  // Runs SCAN from `cursor` until it returns 0, collecting every key; `options` follow the
  // cursor. Fails the test on a malformed reply or a scan that does not end.
  static std::set<std::string> ScanAll(Client& client, const std::vector<std::string>& options,
                                       const std::string& cursor = "0") {
    std::set<std::string> keys;
    std::string next = cursor;
    for (int calls = 0; calls < kMaxScanCalls; ++calls) {
      std::vector<std::string> command = {"SCAN", next};
      command.insert(command.end(), options.begin(), options.end());
      Reply reply = client.Command(command);
      if (reply.type() != ReplyType::kArray || reply.size() != 2 ||
          reply[0].type() != ReplyType::kString || reply[1].type() != ReplyType::kArray) {
        ADD_FAILURE() << "bad SCAN reply: " << reply;
        return keys;
      }
      for (const Reply& key : reply[1].elements()) keys.insert(key.text());
      next = reply[0].text();
      if (next == "0") return keys;
    }
    ADD_FAILURE() << "SCAN did not end after " << kMaxScanCalls << " calls";
    return keys;
  }
};

std::set<std::string> TextsOf(const Reply& reply) {
  std::set<std::string> texts;
  for (const Reply& element : reply.elements()) texts.insert(element.text());
  return texts;
}

TEST_F(GenericScanTest, KeysAndScanMatchFollowGlobRules) {
  const std::vector<std::string> keys = {
      "hello", "hallo",  "hxllo",  "hllo",    "heeeello", "h*llo",  "Hello",   "a[b",
      "a\\b",  "user:1", "user:2", "user:10", "{tag}a",   "{tag}b", "x{tag}c", ""};
  for (const std::string& key : keys) Set(key);
  const std::vector<std::pair<std::string, std::set<std::string>>> cases = {
      {"*", std::set<std::string>(keys.begin(), keys.end())},
      {"h?llo", {"h*llo", "hallo", "hello", "hxllo"}},
      {"h*llo", {"h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo"}},
      {"*llo", {"Hello", "h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo"}},
      {"h[ae]llo", {"hallo", "hello"}},
      {"h[^e]llo", {"h*llo", "hallo", "hxllo"}},
      {"h[a-b]llo", {"hallo"}},
      {"[Hh]ello", {"Hello", "hello"}},
      {"[^a-z]*", {"Hello", "{tag}a", "{tag}b"}},
      {"h\\*llo", {"h*llo"}},
      {"a\\[b", {"a[b"}},
      {"a[\\[]b", {"a[b"}},
      {"a\\\\b", {"a\\b"}},
      {"h[a-", {}},
      {"user:?", {"user:1", "user:2"}},
      {"user:*", {"user:1", "user:10", "user:2"}},
      {"{tag}*", {"{tag}a", "{tag}b"}},
      {"*{tag}*", {"x{tag}c", "{tag}a", "{tag}b"}},
      {"?", {}},
      {"nomatch*", {}},
      {"", {""}},
  };
  for (const auto& [pattern, expected] : cases) {
    Reply reply = client_.Command({"KEYS", pattern});
    ASSERT_EQ(reply.type(), ReplyType::kArray) << reply;
    EXPECT_EQ(reply.size(), expected.size()) << "KEYS " << pattern << ": " << reply;
    EXPECT_EQ(TextsOf(reply), expected) << "KEYS " << pattern;
    EXPECT_EQ(ScanAll(client_, {"MATCH", pattern}), expected) << "SCAN MATCH " << pattern;
    EXPECT_EQ(ScanAll(client_, {"COUNT", "1", "MATCH", pattern}), expected)
        << "SCAN COUNT 1 MATCH " << pattern;
  }
}

TEST_F(GenericScanTest, ScanReturnsEveryKeyWithAnyCount) {
  EXPECT_TRUE(ScanAll(client_, {}).empty());
  std::set<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    std::string key = "key:" + std::to_string(i);
    Set(key);
    expected.insert(key);
  }
  EXPECT_EQ(ScanAll(client_, {}), expected);
  EXPECT_EQ(ScanAll(client_, {"COUNT", "1"}), expected);
  EXPECT_EQ(ScanAll(client_, {"count", "3"}), expected);
  EXPECT_EQ(ScanAll(client_, {"COUNT", "1000000"}), expected);
  EXPECT_EQ(ScanAll(client_, {"COUNT", "9223372036854775807"}), expected);
  EXPECT_EQ(ScanAll(client_, {"MATCH", "*", "COUNT", "5", "MATCH", "key:1*"}).size(), 111u);
  // The RESP3 reply has the same shape.
  ASSERT_FALSE(client_.Command({"HELLO", "3"}).is_error());
  EXPECT_EQ(ScanAll(client_, {"COUNT", "7"}), expected);
}

TEST_F(GenericScanTest, ScanTypeFilters) {
  Set("s1");
  Set("s2");
  EXPECT_EQ(ScanAll(client_, {"TYPE", "string"}), (std::set<std::string>{"s1", "s2"}));
  EXPECT_EQ(ScanAll(client_, {"TYPE", "STRING", "COUNT", "1"}),
            (std::set<std::string>{"s1", "s2"}));
  EXPECT_EQ(ScanAll(client_, {"TYPE", "string", "MATCH", "*2"}), (std::set<std::string>{"s2"}));
  for (const char* type : {"hash", "list", "set", "zset", "stream", "none", "foo"}) {
    EXPECT_TRUE(ScanAll(client_, {"TYPE", type}).empty()) << type;
    EXPECT_TRUE(ScanAll(client_, {"COUNT", "1", "TYPE", type}).empty()) << type;
  }
}

TEST_F(GenericScanTest, CursorParsing) {
  Set("k");
  EXPECT_EQ(ScanAll(client_, {}, "+0"), (std::set<std::string>{"k"}));
  EXPECT_EQ(ScanAll(client_, {}, ""), (std::set<std::string>{"k"}));
  for (const char* bad : {"abc", " 1", "1 ", "1x", "0x10", "18446744073709551616", "1.5"}) {
    EXPECT_ERROR(client_.Command({"SCAN", bad}), "ERR invalid cursor") << "'" << bad << "'";
  }
  // The cursor is checked before the options.
  EXPECT_ERROR(client_.Command({"SCAN", "abc", "COUNT", "0"}), "ERR invalid cursor");
}

TEST_F(GenericScanTest, MadeUpCursorsTerminate) {
  for (int i = 0; i < 100; ++i) Set("key:" + std::to_string(i));
  for (const char* cursor : {"123456789", "18446744073709551615", "-1", "007", "1099511627776",
                             "1099511627777", "18014398509481984000", "9223372036854775807"}) {
    std::set<std::string> keys = ScanAll(client_, {"COUNT", "10"}, cursor);
    EXPECT_LE(keys.size(), 100u) << cursor;
  }
  // A made-up token in the first slot resumes at that slot's start: nothing is skipped.
  EXPECT_EQ(ScanAll(client_, {}, "123456789").size(), ScanAll(client_, {}).size());
}

TEST_F(GenericScanTest, OptionErrors) {
  Set("k");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "COUNT", "0"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "COUNT", "-1"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "COUNT", "abc"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "COUNT", "9223372036854775808"}),
               "ERR value is not an integer or out of range");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "COUNT"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "MATCH"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "TYPE"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "foo", "bar"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN", "0", "MATCH", "*", "extra"}), "ERR syntax error");
  EXPECT_ERROR(client_.Command({"SCAN"}), "ERR wrong number of arguments for 'scan' command");
  EXPECT_ERROR(client_.Command({"KEYS"}), "ERR wrong number of arguments for 'keys' command");
  EXPECT_ERROR(client_.Command({"KEYS", "*", "x"}),
               "ERR wrong number of arguments for 'keys' command");
}

TEST_F(GenericScanTest, IterationIsPerDatabaseAndSkipsExpiredKeys) {
  Set("zero");
  ASSERT_OK(client_.Command({"SELECT", "6"}));
  Set("six:a");
  Set("six:b");
  ASSERT_OK(client_.Command({"SET", "six:expired", "v", "PX", "1"}));
  EXPECT_TRUE(EventuallyTrue([&] {
    return IntegerOf(client_.Command({"PTTL", "six:expired"})) == -2;
  }));
  EXPECT_EQ(ScanAll(client_, {}), (std::set<std::string>{"six:a", "six:b"}));
  EXPECT_STRINGS_UNORDERED(client_.Command({"KEYS", "*"}), {"six:a", "six:b"});
  ASSERT_OK(client_.Command({"SELECT", "0"}));
  EXPECT_EQ(ScanAll(client_, {}), (std::set<std::string>{"zero"}));
  EXPECT_STRINGS(client_.Command({"KEYS", "*"}), {"zero"});
  ASSERT_OK(client_.Command({"SELECT", "7"}));
  EXPECT_TRUE(ScanAll(client_, {}).empty());
  Reply none = client_.Command({"KEYS", "*"});
  EXPECT_EQ(none.type(), ReplyType::kArray) << none;
  EXPECT_EQ(none.size(), 0u) << none;
}

// Keys present for the whole scan are returned at least once while another client keeps
// adding and removing other keys.
TEST_F(GenericScanTest, ScanSeesStableKeysDuringConcurrentWrites) {
  std::set<std::string> stable;
  for (int i = 0; i < 400; ++i) {
    std::string key = "stable:" + std::to_string(i);
    Set(key);
    stable.insert(key);
  }
  Client writer = Connect();
  std::atomic<bool> stop{false};
  std::atomic<int> writer_errors{0};
  std::thread churn([&] {
    for (int i = 0; !stop.load(); ++i) {
      Reply set = writer.Command({"SET", "churn:" + std::to_string(i), "v"});
      Reply del = writer.Command({"DEL", "churn:" + std::to_string(i - 40)});
      if (set.is_error() || set.is_io_error() || del.is_error() || del.is_io_error()) {
        writer_errors++;
        return;
      }
    }
  });
  for (int pass = 0; pass < 3; ++pass) {
    std::set<std::string> keys = ScanAll(client_, {"COUNT", std::to_string(1 + pass * 5)});
    for (const std::string& key : stable) EXPECT_EQ(keys.count(key), 1u) << key;
  }
  std::set<std::string> seen = ScanAll(client_, {"MATCH", "stable:*", "COUNT", "3"});
  stop = true;
  churn.join();
  EXPECT_EQ(writer_errors.load(), 0);
  EXPECT_EQ(seen, stable);
}

}  // namespace
}  // namespace cairn::test
