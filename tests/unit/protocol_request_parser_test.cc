// RequestParser: multibulk and inline requests, fed whole, in chunks and byte by byte, and
// every protocol error with the exact text redis-server 7.0 replies.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/protocol/request_parser.h"

namespace cairn {
namespace {

using Args = std::vector<std::string>;

struct Outcome {
  std::vector<Args> commands;
  bool failed = false;
  std::string error;
  size_t unconsumed = 0;  // bytes left in the caller's buffer at the end
};

// Plays a connection: appends stream to a query buffer chunk bytes at a time, parses all it
// can after each append, and drops what the parser consumed.
Outcome Feed(std::string_view stream, size_t chunk, const ParserLimits& limits = {}) {
  RequestParser parser;
  parser.set_limits(limits);
  std::string buffer;
  Outcome outcome;
  for (size_t offset = 0; offset < stream.size() && !outcome.failed; offset += chunk) {
    buffer.append(stream.substr(offset, chunk));
    while (true) {
      size_t consumed = 0;
      Args args = {"left", "over"};
      ParseResult result = parser.Parse(buffer, &consumed, &args);
      EXPECT_LE(consumed, buffer.size());
      buffer.erase(0, consumed);
      if (result == ParseResult::kCommand) {
        outcome.commands.push_back(args);
        continue;
      }
      if (result == ParseResult::kProtocolError) {
        outcome.failed = true;
        outcome.error = parser.error();
      }
      break;
    }
  }
  outcome.unconsumed = buffer.size();
  return outcome;
}

// Every way of chunking the stream must give the same commands.
std::vector<Args> ParseAll(std::string_view stream, const ParserLimits& limits = {}) {
  Outcome whole = Feed(stream, stream.size() + 1, limits);
  EXPECT_FALSE(whole.failed) << whole.error;
  for (size_t chunk : {1, 2, 3, 7, 64}) {
    Outcome pieces = Feed(stream, chunk, limits);
    EXPECT_FALSE(pieces.failed) << "chunk " << chunk << ": " << pieces.error;
    EXPECT_EQ(pieces.commands, whole.commands) << "chunk " << chunk;
    EXPECT_EQ(pieces.unconsumed, whole.unconsumed) << "chunk " << chunk;
  }
  return whole.commands;
}

// The stream must fail with message however it is chunked, after the commands before it.
void ExpectError(std::string_view stream, const std::string& message,
                 const ParserLimits& limits = {}, size_t commands_before = 0) {
  for (size_t chunk : {stream.size() + 1, size_t{1}, size_t{5}}) {
    Outcome outcome = Feed(stream, chunk, limits);
    EXPECT_TRUE(outcome.failed) << "chunk " << chunk;
    EXPECT_EQ(outcome.error, message) << "chunk " << chunk;
    EXPECT_EQ(outcome.commands.size(), commands_before) << "chunk " << chunk;
  }
}

// Feeds the stream whole and expects it to wait for more, without an error or a command.
void ExpectIncomplete(std::string_view stream, const ParserLimits& limits = {}) {
  Outcome outcome = Feed(stream, stream.size() + 1, limits);
  EXPECT_FALSE(outcome.failed) << outcome.error;
  EXPECT_TRUE(outcome.commands.empty());
}

// Concatenates by appending (GCC 12 warns falsely on "literal" + std::string at -O3).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

std::string Multibulk(const Args& args) {
  std::string out = Cat("*", std::to_string(args.size()), "\r\n");
  for (const std::string& arg : args) {
    out += Cat("$", std::to_string(arg.size()), "\r\n", arg, "\r\n");
  }
  return out;
}

TEST(RequestParserTest, MultibulkCommand) {
  EXPECT_EQ(ParseAll("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"),
            (std::vector<Args>{{"SET", "k", "value"}}));
  EXPECT_EQ(ParseAll("*2\r\n$4\r\necho\r\n$0\r\n\r\n"), (std::vector<Args>{{"echo", ""}}));
}

TEST(RequestParserTest, BulksAreBinarySafe) {
  Args command = {"SET", std::string("a\0b", 3), "x\r\ny", "$3\r\n*1\r\n", std::string(1, '\0')};
  EXPECT_EQ(ParseAll(Multibulk(command)), std::vector<Args>{command});
}

TEST(RequestParserTest, PipelinedCommandsInOneBuffer) {
  std::string stream = Multibulk({"SET", "a", "1"}) + "GET a\r\n" + Multibulk({"INCR", "a"}) +
                       "PING\n" + Multibulk({"GET", "a"});
  EXPECT_EQ(
      ParseAll(stream),
      (std::vector<Args>{{"SET", "a", "1"}, {"GET", "a"}, {"INCR", "a"}, {"PING"}, {"GET", "a"}}));
}

TEST(RequestParserTest, IncompleteCommandsWait) {
  Outcome outcome = Feed(Multibulk({"SET", "k", "v"}) + "*2\r\n$3\r\nGET\r\n$1\r", 1000);
  EXPECT_EQ(outcome.commands, (std::vector<Args>{{"SET", "k", "v"}}));
  EXPECT_FALSE(outcome.failed);
  ExpectIncomplete("*1\r\n$3\r\nfoo");
  ExpectIncomplete("*1\r\n$3\r\nfoo\r");
  ExpectIncomplete("PING");
  ExpectIncomplete("*2\r\n$4\r\nPING\r\n");
}

TEST(RequestParserTest, EmptyCommandsAreSkipped) {
  EXPECT_EQ(ParseAll("*0\r\n*-1\r\n*-5\r\nPING\r\n"), (std::vector<Args>{{"PING"}}));
  EXPECT_EQ(ParseAll("\r\n\n   \r\n\t\nPING\r\n*0\r\n"), (std::vector<Args>{{"PING"}}));
  Outcome outcome = Feed("*0\r\n\r\n*-1\r\n", 100);
  EXPECT_TRUE(outcome.commands.empty());
  EXPECT_FALSE(outcome.failed);
  EXPECT_EQ(outcome.unconsumed, 0u);
}

TEST(RequestParserTest, InlineCommands) {
  EXPECT_EQ(ParseAll("set key \"a b\\x41\\n\" 'it\\'s'\r\nget key\n"),
            (std::vector<Args>{{"set", "key", "a bA\n", "it's"}, {"get", "key"}}));
  // A lone CR is part of the line and, as a blank, separates arguments.
  EXPECT_EQ(ParseAll("echo a\rb\r\r\n"), (std::vector<Args>{{"echo", "a", "b"}}));
}

TEST(RequestParserTest, BulkTerminatorIsSkippedUncheckedLikeRedis) {
  EXPECT_EQ(ParseAll("*1\r\n$4\r\npingXY*1\r\n$4\r\nping\r\n"),
            (std::vector<Args>{{"ping"}, {"ping"}}));
  // The count line ends at its first CR; the two bytes after it are skipped.
  EXPECT_EQ(ParseAll("*1\r\n$4\r\r\nping\r\n"), (std::vector<Args>{{"\npin"}}));
}

TEST(RequestParserTest, PartialBulkIsConsumedAsItArrives) {
  RequestParser parser;
  size_t consumed = 0;
  Args args;
  std::string head = "*2\r\n$3\r\nGET\r\n$10\r\nabc";
  EXPECT_EQ(parser.Parse(head, &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, head.size());
  EXPECT_EQ(parser.pending_bytes(), 6u);
  EXPECT_EQ(parser.Parse("defghij\r", &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, 8u);
  EXPECT_EQ(parser.pending_bytes(), 13u);
  EXPECT_EQ(parser.Parse("\n", &consumed, &args), ParseResult::kCommand);
  EXPECT_EQ(consumed, 1u);
  EXPECT_EQ(args, (Args{"GET", "abcdefghij"}));
  EXPECT_EQ(parser.pending_bytes(), 0u);
}

TEST(RequestParserTest, PartialLinesAreNotConsumed) {
  RequestParser parser;
  size_t consumed = 0;
  Args args;
  EXPECT_EQ(parser.Parse("*1\r", &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(parser.Parse("*1\r\n$4\r\nPI", &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, 10u);
  EXPECT_EQ(parser.Parse("NG\r\nECHO", &consumed, &args), ParseResult::kCommand);
  EXPECT_EQ(consumed, 4u);
  EXPECT_EQ(args, (Args{"PING"}));
  EXPECT_EQ(parser.Parse("ECHO", &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(parser.Parse("ECHO x\r\n", &consumed, &args), ParseResult::kCommand);
  EXPECT_EQ(consumed, 8u);
  EXPECT_EQ(args, (Args{"ECHO", "x"}));
}

TEST(RequestParserTest, LargeBulkInChunks) {
  std::string value(2 << 20, 'v');
  for (size_t i = 0; i < value.size(); i += 4097) value[i] = static_cast<char>(i % 251);
  std::string stream = Multibulk({"SET", "big", value});
  Outcome outcome = Feed(stream, 64 * 1024);
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0][2], value);
  EXPECT_EQ(outcome.unconsumed, 0u);

  RequestParser parser;
  size_t consumed = 0;
  Args args;
  std::string header = Cat("*1\r\n$", std::to_string(value.size()), "\r\n");
  EXPECT_EQ(parser.Parse(header, &consumed, &args), ParseResult::kNeedMore);
  EXPECT_EQ(consumed, header.size());
  for (size_t offset = 0; offset < value.size(); offset += 65536) {
    std::string_view piece = std::string_view(value).substr(offset, 65536);
    EXPECT_EQ(parser.Parse(piece, &consumed, &args), ParseResult::kNeedMore);
    EXPECT_EQ(consumed, piece.size());  // nothing is left behind to be scanned again
  }
  EXPECT_EQ(parser.Parse("\r\n", &consumed, &args), ParseResult::kCommand);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args[0], value);
  EXPECT_LE(args[0].capacity(), 2 * value.size());
}

TEST(RequestParserTest, MultibulkLengthErrors) {
  const std::string invalid = "Protocol error: invalid multibulk length";
  for (const char* stream :
       {"*abc\r\n", "*01\r\n", "*-0\r\n", "*+1\r\n", "* 1\r\n", "*1 \r\n", "*\r\n",
        "*2147483648\r\n", "*99999999999999999999\r\n", "*1\n$4\r\nping\r\n"}) {
    ExpectError(stream, invalid);
  }
  ExpectIncomplete("*2147483647\r\n");
  ParserLimits limits;
  limits.max_multibulk_length = 3;
  ExpectError("*4\r\n", invalid, limits);
  ExpectIncomplete("*3\r\n", limits);
}

TEST(RequestParserTest, BulkLengthErrors) {
  const std::string invalid = "Protocol error: invalid bulk length";
  for (const char* stream : {"*1\r\n$-1\r\n", "*1\r\n$ 4\r\n", "*1\r\n$4 \r\n", "*1\r\n$\r\n",
                             "*1\r\n$04\r\n", "*1\r\n$536870913\r\n"}) {
    ExpectError(stream, invalid);
  }
  ExpectIncomplete("*1\r\n$536870912\r\n");
  ParserLimits limits;
  limits.max_bulk_length = 5;
  ExpectError("*1\r\n$6\r\n", invalid, limits);
  EXPECT_EQ(ParseAll("*1\r\n$5\r\nhello\r\n", limits), (std::vector<Args>{{"hello"}}));
}

TEST(RequestParserTest, ExpectedDollar) {
  ExpectError("*1\r\nx3\r\n", "Protocol error: expected '$', got 'x'");
  ExpectError("*2\r\n$1\r\na\r\n:1\r\n", "Protocol error: expected '$', got ':'");
  // Redis replaces the CR with a space on the error line.
  ExpectError("*1\r\n\r\n", "Protocol error: expected '$', got ' '");
}

TEST(RequestParserTest, UnauthenticatedLimits) {
  ParserLimits limits;
  limits.unauthenticated = true;
  ExpectError("*11\r\n", "Protocol error: unauthenticated multibulk length", limits);
  ExpectIncomplete("*10\r\n", limits);
  ExpectError("*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length", limits);
  ExpectIncomplete("*1\r\n$16384\r\n", limits);
  ExpectError("*1\r\n$536870913\r\n", "Protocol error: invalid bulk length", limits);
  ExpectError("*2147483648\r\n", "Protocol error: invalid multibulk length", limits);
  EXPECT_EQ(ParseAll("AUTH secret\r\n", limits), (std::vector<Args>{{"AUTH", "secret"}}));
}

TEST(RequestParserTest, TooBigLines) {
  const size_t limit = ParserLimits().max_inline_length;
  ExpectError(std::string(limit + 1, 'a'), "Protocol error: too big inline request");
  ExpectIncomplete(std::string(limit, 'a'));
  ExpectError(Cat("*", std::string(limit, '1')), "Protocol error: too big mbulk count string");
  ExpectIncomplete(Cat("*", std::string(limit - 1, '1')));
  ExpectError(Cat("*1\r\n$", std::string(limit, '1')), "Protocol error: too big bulk count string");
  ExpectIncomplete(Cat("*1\r\n$", std::string(limit - 1, '1')));
  // Like Redis, the limit applies while the line is incomplete, not to a line that arrived.
  std::string long_line = Cat("ECHO ", std::string(limit + 10, 'x'), "\r\n");
  Outcome outcome = Feed(long_line, long_line.size());
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0][1].size(), limit + 10);

  ParserLimits small;
  small.max_inline_length = 8;
  ExpectError("PING PING", "Protocol error: too big inline request", small);
  // What counts is the incomplete line: one that arrives whole is accepted.
  EXPECT_EQ(Feed("PING PIN\r\n", 100, small).commands, (std::vector<Args>{{"PING", "PIN"}}));
  EXPECT_TRUE(Feed("PING PIN\r\n", 1, small).failed);
}

TEST(RequestParserTest, UnbalancedQuotes) {
  ExpectError("PING\r\necho \"abc\r\n", "Protocol error: unbalanced quotes in request", {}, 1);
  ExpectError("echo 'abc'd\n", "Protocol error: unbalanced quotes in request");
}

TEST(RequestParserTest, ErrorIsStickyUntilReset) {
  RequestParser parser;
  size_t consumed = 0;
  Args args;
  EXPECT_EQ(parser.Parse("*x\r\n", &consumed, &args), ParseResult::kProtocolError);
  EXPECT_EQ(parser.Parse("PING\r\n", &consumed, &args), ParseResult::kProtocolError);
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(parser.error(), "Protocol error: invalid multibulk length");
  parser.Reset();
  EXPECT_TRUE(parser.error().empty());
  EXPECT_EQ(parser.Parse("PING\r\n", &consumed, &args), ParseResult::kCommand);
  EXPECT_EQ(args, (Args{"PING"}));
}

TEST(RequestParserTest, ResetDropsAPartialCommand) {
  RequestParser parser;
  size_t consumed = 0;
  Args args;
  EXPECT_EQ(parser.Parse("*2\r\n$3\r\nGET\r\n$5\r\nab", &consumed, &args), ParseResult::kNeedMore);
  parser.Reset();
  EXPECT_EQ(parser.pending_bytes(), 0u);
  EXPECT_EQ(parser.Parse("*1\r\n$4\r\nPING\r\n", &consumed, &args), ParseResult::kCommand);
  EXPECT_EQ(args, (Args{"PING"}));
}

TEST(RequestParserTest, LimitsAreKeptAndReplaced) {
  RequestParser parser;
  EXPECT_EQ(parser.limits().max_bulk_length, 512LL << 20);
  EXPECT_FALSE(parser.limits().unauthenticated);
  ParserLimits limits;
  limits.unauthenticated = true;
  parser.set_limits(limits);
  parser.Reset();
  EXPECT_TRUE(parser.limits().unauthenticated);
  size_t consumed = 0;
  Args args;
  EXPECT_EQ(parser.Parse("*11\r\n", &consumed, &args), ParseResult::kProtocolError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated multibulk length");
}

}  // namespace
}  // namespace cairn
