// SplitInlineArguments against Redis's sdssplitargs rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/protocol/inline_args.h"

namespace cairn {
namespace {

using Args = std::vector<std::string>;

Args Split(std::string_view line) {
  Args args;
  EXPECT_TRUE(SplitInlineArguments(line, &args)) << line;
  return args;
}

bool Unbalanced(std::string_view line) {
  Args args = {"stale"};
  bool ok = SplitInlineArguments(line, &args);
  if (!ok) {
    EXPECT_TRUE(args.empty());
  }
  return !ok;
}

TEST(InlineArgsTest, SplitsOnBlanks) {
  EXPECT_EQ(Split("SET key value"), (Args{"SET", "key", "value"}));
  EXPECT_EQ(Split("  ping\t \t x  "), (Args{"ping", "x"}));
  EXPECT_EQ(Split(""), Args{});
  EXPECT_EQ(Split(" \t\v\f "), Args{});
  // \v and \f are skipped between arguments but do not end one, as in sdssplitargs.
  EXPECT_EQ(Split("\v\fping"), (Args{"ping"}));
  EXPECT_EQ(Split("echo a\vb"), (Args{"echo", "a\vb"}));
}

TEST(InlineArgsTest, DoubleQuotesAndEscapes) {
  EXPECT_EQ(Split("set k \"a b\""), (Args{"set", "k", "a b"}));
  EXPECT_EQ(Split("\"\""), (Args{""}));
  EXPECT_EQ(Split("\"\\n\\r\\t\\b\\a\\\\\\\"\\q\""), (Args{std::string("\n\r\t\b\a\\\"q")}));
  EXPECT_EQ(Split("\"\\x41\\x6a\\xFF\\x00z\""), (Args{std::string("Aj\xff\0z", 5)}));
  // An incomplete \x escape is an ordinary escaped 'x'.
  EXPECT_EQ(Split("\"\\x4g\""), (Args{"x4g"}));
  EXPECT_EQ(Split("\"a'b\""), (Args{"a'b"}));
}

TEST(InlineArgsTest, SingleQuotes) {
  EXPECT_EQ(Split("'a b' 'it\\'s' '\\n'"), (Args{"a b", "it's", "\\n"}));
  EXPECT_EQ(Split("''"), (Args{""}));
  EXPECT_EQ(Split("'a\"b'"), (Args{"a\"b"}));
}

TEST(InlineArgsTest, QuoteInsideAnArgument) {
  EXPECT_EQ(Split("echo ab\"cd\" x"), (Args{"echo", "abcd", "x"}));
  EXPECT_EQ(Split("ab'c d'"), (Args{"abc d"}));
}

TEST(InlineArgsTest, UnbalancedQuotes) {
  EXPECT_TRUE(Unbalanced("echo \"abc"));
  EXPECT_TRUE(Unbalanced("echo 'abc"));
  EXPECT_TRUE(Unbalanced("echo \"abc\"d"));
  EXPECT_TRUE(Unbalanced("echo 'abc'd"));
  EXPECT_TRUE(Unbalanced("echo \"abc\\\""));
  EXPECT_TRUE(Unbalanced("\"abc\\"));
  EXPECT_FALSE(Unbalanced("echo \"abc\"\t'd'"));
  EXPECT_FALSE(Unbalanced("echo \"abc\"\v"));
}

TEST(InlineArgsTest, LineEndsAtNulLikeACString) {
  EXPECT_EQ(Split(std::string_view("set a\0b c", 9)), (Args{"set", "a"}));
  EXPECT_TRUE(Unbalanced(std::string_view("\"ab\0c\"", 6)));
}

}  // namespace
}  // namespace cairn
