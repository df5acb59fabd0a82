// Smoke tests: stock Redis tools (redis-cli, redis-benchmark) work against cairn-server, and
// the harness's own RESP reader decodes what servers send, so other e2e tests can trust it.
#include <algorithm>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class SmokeTest : public ServerTest {};

TEST_F(SmokeTest, RedisCliPingSetGet) {
  ProgramResult ping = RunCli(server_.port(), {"PING"});
  EXPECT_EQ(ping.exit_code, 0) << ping.err;
  EXPECT_EQ(ping.out, "PONG\n");

  ProgramResult set = RunCli(server_.port(), {"SET", "smoke:key", "hello world"});
  EXPECT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "OK\n");

  ProgramResult get = RunCli(server_.port(), {"GET", "smoke:key"});
  EXPECT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(get.out, "hello world\n");

  // What redis-cli wrote, a hiredis client reads back byte for byte.
  EXPECT_BULK(client_.Command({"GET", "smoke:key"}), "hello world");
}

TEST_F(SmokeTest, RedisCliReadsCommandsFromStdin) {
  ProgramResult result =
      RunCli(server_.port(), {}, "SET smoke:stdin 42\nINCR smoke:stdin\nGET smoke:stdin\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "OK\n43\n43\n");
}

// Splits on both CR and LF: redis-benchmark redraws its progress line with CR.
std::vector<std::string> OutputLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\r' || c == '\n') {
      if (!line.empty()) lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

TEST_F(SmokeTest, RedisBenchmarkRunsWithoutErrors) {
  ProgramResult bench =
      RunBenchmark(server_.port(), {"-t", "set,get,incr,mset", "-n", "100000", "-q"});
  EXPECT_FALSE(bench.timed_out);
  EXPECT_EQ(bench.exit_code, 0) << bench.err;

  std::vector<std::string> lines = OutputLines(bench.out + "\n" + bench.err);
  for (const auto& line : lines) {
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    EXPECT_EQ(line.find("ERR"), std::string::npos) << line;
    EXPECT_EQ(lower.find("error"), std::string::npos) << line;
  }
  for (const std::string test : {"SET", "GET", "INCR", "MSET \\(10 keys\\)"}) {
    std::regex summary("^\\s*" + test + ": [0-9.]+ requests per second.*");
    bool reported = std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
      return std::regex_match(line, summary);
    });
    EXPECT_TRUE(reported) << "no requests-per-second line for " << test << " in:\n" << bench.out;
  }
}

// -- The harness's RESP reader ---------------------------------------------------------------

std::vector<Reply> DecodeByteByByte(const std::string& bytes, RespReader::Result* last) {
  RespReader reader;
  std::vector<Reply> replies;
  *last = RespReader::Result::kNeedMore;
  for (char c : bytes) {
    reader.Feed(std::string_view(&c, 1));
    Reply reply;
    while ((*last = reader.Next(&reply)) == RespReader::Result::kReply) {
      replies.push_back(reply);
    }
    if (*last == RespReader::Result::kProtocolError) break;
  }
  return replies;
}

TEST(RespReaderTest, DecodesEveryTypeAcrossArbitrarySplits) {
  std::string wire =
      "+OK\r\n-ERR bad\r\n:-42\r\n$5\r\na\r\nbc\r\n$-1\r\n*-1\r\n*0\r\n_\r\n"
      ",1.5\r\n,-inf\r\n#t\r\n(12345678901234567890\r\n!10\r\nERR x\r\ny z\r\n"
      "=8\r\ntxt:some\r\n*2\r\n:1\r\n*1\r\n$0\r\n\r\n%1\r\n+k\r\n~2\r\n:1\r\n:2\r\n"
      ">2\r\n$7\r\nmessage\r\n_\r\n|1\r\n+ttl\r\n:3\r\n:7\r\n";
  std::vector<Reply> expected = {
      Reply::Status("OK"),
      Reply::Error("ERR bad"),
      Reply::Integer(-42),
      Reply::String("a\r\nbc"),
      Reply::Nil(),
      Reply::Nil(),
      Reply::Array({}),
      Reply::Nil(),
      Reply::Double(1.5),
      Reply::Double(-HUGE_VAL),
      Reply::Bool(true),
      Reply::BigNumber("12345678901234567890"),
      Reply::Error("ERR x\r\ny z"),
      Reply::Verbatim("txt", "some"),
      Reply::Array({Reply::Integer(1), Reply::Strings({""})}),
      Reply::Map({Reply::Status("k"), Reply::Set({Reply::Integer(1), Reply::Integer(2)})}),
      Reply::Push({Reply::String("message"), Reply::Nil()}),
      Reply::Integer(7),
  };
  RespReader::Result last;
  std::vector<Reply> decoded = DecodeByteByByte(wire, &last);
  EXPECT_EQ(last, RespReader::Result::kNeedMore);
  ASSERT_EQ(decoded.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(decoded[i], expected[i]) << i;
  EXPECT_EQ(decoded.back().attributes(),
            (std::vector<Reply>{Reply::Status("ttl"), Reply::Integer(3)}));
  const Reply* set = decoded[15].Find("k");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->size(), 2u);
}

TEST(RespReaderTest, RejectsMalformedReplies) {
  for (const std::string bad : {"?\r\n", ":12x\r\n", "$3\r\nabcd\r\n", "#x\r\n", ",1.5.5\r\n",
                                "=3\r\nabc\r\n", "$?\r\n", "*-2\r\n", "_x\r\n"}) {
    RespReader::Result last;
    DecodeByteByByte(bad, &last);
    EXPECT_EQ(last, RespReader::Result::kProtocolError) << Reply::String(bad);
  }
}

TEST(RespReaderTest, ChecksPrintTheActualReply) {
  Reply reply = Reply::Array({Reply::String("a"), Reply::Nil(), Reply::Integer(2)});
  ::testing::AssertionResult check = IsStrings(reply, {"a", "b"});
  EXPECT_FALSE(check);
  EXPECT_NE(std::string(check.message()).find("[\"a\", (nil), (integer) 2]"), std::string::npos)
      << check.message();
  EXPECT_TRUE(IsStringsUnordered(Reply::Strings({"b", "a"}), {"a", "b"}));
  EXPECT_FALSE(IsOk(Reply::IoError("closed")));
  EXPECT_FALSE(IsErrorPrefix(Reply::IoError("ERR lookalike"), "ERR"));
}

}  // namespace
}  // namespace cairn::test
