// PeekCommand: what it reports for whole multibulk commands, and that everything else
// (partial, inline, malformed, too many arguments) is left to the parser.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/protocol/command_peek.h"

namespace cairn {
namespace {

std::string Multibulk(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args)
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  return out;
}

TEST(CommandPeekTest, ReportsAWholeCommandAndItsFirstArgument) {
  std::string get = Multibulk({"GET", "key:1"});
  std::string input = get + Multibulk({"SET", "other", "value"});
  PeekedCommand peeked;
  ASSERT_TRUE(PeekCommand(input, &peeked));
  EXPECT_EQ(peeked.bytes, get.size());
  EXPECT_EQ(peeked.argument_count, 2u);
  EXPECT_EQ(peeked.first_argument, "key:1");
  ASSERT_TRUE(PeekCommand(std::string_view(input).substr(peeked.bytes), &peeked));
  EXPECT_EQ(peeked.argument_count, 3u);
  EXPECT_EQ(peeked.first_argument, "other");
}

TEST(CommandPeekTest, CommandsWithoutArgumentsAndEmptyArguments) {
  PeekedCommand peeked;
  ASSERT_TRUE(PeekCommand(Multibulk({"PING"}), &peeked));
  EXPECT_EQ(peeked.argument_count, 1u);
  EXPECT_TRUE(peeked.first_argument.empty());
  std::string binary("a\r\nb\0c", 6);
  ASSERT_TRUE(PeekCommand(Multibulk({"GET", binary}), &peeked));
  EXPECT_EQ(peeked.first_argument, binary);
  ASSERT_TRUE(PeekCommand(Multibulk({"GET", ""}), &peeked));
  EXPECT_EQ(peeked.argument_count, 2u);
  EXPECT_TRUE(peeked.first_argument.empty());
}

TEST(CommandPeekTest, PartialCommandsAreNotReported) {
  std::string whole = Multibulk({"SET", "key", "value"});
  PeekedCommand peeked;
  for (size_t length = 0; length < whole.size(); length++) {
    EXPECT_FALSE(PeekCommand(whole.substr(0, length), &peeked)) << length;
  }
  EXPECT_TRUE(PeekCommand(whole, &peeked));
}

TEST(CommandPeekTest, InlineMalformedAndHugeCommandsAreLeftToTheParser) {
  PeekedCommand peeked;
  for (const char* input :
       {"GET key\r\n", "*0\r\n", "*-1\r\n", "*2\r\n$3\r\nGET\r\n+x\r\n", "*1\r\n$x\r\n",
        "*1\r\n$3\r\nGETX\r\n", "*1\r\n$-1\r\n", "*1\r\n$99999999999\r\nx\r\n", "*99999999999\r\n",
        "*1\n$3\r\nGET\r\n"}) {
    EXPECT_FALSE(PeekCommand(input, &peeked)) << input;
  }
  std::vector<std::string> args(kMaxPeekedArguments, "x");
  EXPECT_TRUE(PeekCommand(Multibulk(args), &peeked));
  args.push_back("x");
  EXPECT_FALSE(PeekCommand(Multibulk(args), &peeked));
}

}  // namespace
}  // namespace cairn
