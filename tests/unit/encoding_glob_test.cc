// Tests for encoding/glob.h. The expectations of the main table were produced by running
// KEYS <pattern> against redis-server 7.0 with the single key <text>.
#include <gtest/gtest.h>

#include <string>

#include "encoding/glob.h"

namespace cairn {
namespace {

struct GlobCase {
  std::string pattern;
  std::string text;
  bool match;
};

TEST(GlobTest, MatchesLikeRedis) {
  const GlobCase cases[] = {
      {"*", "anything", true},
      {"", "", true},
      {"", "a", false},
      {"?", "a", true},
      {"?", "", false},
      {"??", "ab", true},
      {"a*", "abc", true},
      {"a*", "ba", false},
      {"*a", "ba", true},
      {"a*b", "aXXb", true},
      {"a*b", "aXXbc", false},
      {"h?llo", "hello", true},
      {"h?llo", "hllo", false},
      {"h*llo", "heeeello", true},
      {"h[ae]llo", "hello", true},
      {"h[ae]llo", "hillo", false},
      {"h[^e]llo", "hallo", true},
      {"h[^e]llo", "hello", false},
      {"h[a-b]llo", "hbllo", true},
      {"h[a-b]llo", "hcllo", false},
      {"h[b-a]llo", "hallo", true},
      {"\\*", "*", true},
      {"\\*", "a", false},
      {"a\\", "a\\", true},
      {"[", "[", false},
      {"[", "", false},
      {"[a", "a", true},
      {"[a", "b", false},
      {"[^", "x", true},
      {"[^", "", false},
      {"[]", "]", false},
      {"[]]", "]", false},
      {"[\\]]", "]", true},
      {"[a-]", "-", false},
      {"[a-]", "a", true},
      {"[-a]", "-", true},
      {"[\\-]", "-", true},
      {"a[", "a", false},
      {"a[", "ab", false},
      {"*[", "x[", false},
      {"[a-z]*", "hello", true},
      {"[A-Z]*", "hello", false},
      {"\\[a]", "[a]", true},
      {"[ab", "b", true},
      {"[ab", "ab", false},
      {"[!a]", "b", false},
      {"[^ab]x", "cx", true},
      {"*?", "a", true},
      {"*?", "", false},
      {"?*", "a", true},
      {"**a", "bba", true},
      {"a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
      {"*a*", "bab", true},
      {"*\\?", "a?", true},
      {"\xe9"
       "*",
       "\xe9"
       "t\xe9"
       "",
       true},
      {"[\x80"
       "-\xff"
       "]",
       "\x90"
       "",
       true},
      {"[a-\xff"
       "]",
       "b", false},
      {"[a-\xff"
       "]",
       "\xff"
       "",
       true},
      {"[a-\xff"
       "]",
       std::string("\0", 1), true},
      {"[a-\xff"
       "]",
       "~", false},
      {"[\\", "\\", true},
      {"[\\", "a", false},
      {"a?", "a", false},
      {"user:*:name", "user:1000:name", true},
      {"{a}*", "{a}b", true},
  };
  for (const GlobCase& c : cases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.text), c.match)
        << "pattern '" << c.pattern << "' text '" << c.text << "'";
  }
}

TEST(GlobTest, StarNeedsNoTextOnlyThroughKeysShortcut) {
  // stringmatchlen("*", "") is false in Redis; KEYS/SCAN special-case "*" themselves.
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("**", "x"));
}

TEST(GlobTest, EmbeddedZeroBytes) {
  std::string text("a\0b", 3);
  EXPECT_TRUE(GlobMatch("a?b", text));
  EXPECT_TRUE(GlobMatch(std::string("a\0*", 3), text));
  EXPECT_FALSE(GlobMatch("a", text));
}

TEST(GlobTest, NoCase) {
  EXPECT_TRUE(GlobMatch("HELLO", "hello", true));
  EXPECT_FALSE(GlobMatch("HELLO", "hello", false));
  EXPECT_TRUE(GlobMatch("h[A-Z]llo", "hello", true));
  EXPECT_FALSE(GlobMatch("h[^E]llo", "hello", true));
  EXPECT_TRUE(GlobMatch("h[E]llo", "hello", true));
  // An escaped character inside brackets is compared exactly, even with nocase.
  EXPECT_FALSE(GlobMatch("[\\A]", "a", true));
}

TEST(GlobTest, PathologicalPatternsFinish) {
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 40; i++) pattern += "a*";
  pattern += "b";
  EXPECT_FALSE(GlobMatch(pattern, text));
  // Nesting beyond Redis's limit of 1000 stars gives up (no match), like Redis.
  std::string deep;
  for (int i = 0; i < 1200; i++) deep += "*a";
  EXPECT_FALSE(GlobMatch(deep, std::string(1300, 'a')));
  std::string within_limit;
  for (int i = 0; i < 900; i++) within_limit += "*a";
  EXPECT_TRUE(GlobMatch(within_limit, std::string(1300, 'a')));
  EXPECT_TRUE(GlobMatch("*a*a*a*", text));
}

TEST(GlobTest, LiteralPrefix) {
  EXPECT_EQ(GlobLiteralPrefix("user:*"), "user:");
  EXPECT_EQ(GlobLiteralPrefix("user:?x"), "user:");
  EXPECT_EQ(GlobLiteralPrefix("a[bc]"), "a");
  EXPECT_EQ(GlobLiteralPrefix("*abc"), "");
  EXPECT_EQ(GlobLiteralPrefix("plain"), "plain");
  EXPECT_EQ(GlobLiteralPrefix("a\\*b*"), "a*b");
  EXPECT_EQ(GlobLiteralPrefix("a\\"), "a\\");
  EXPECT_EQ(GlobLiteralPrefix("{tag}:*"), "{tag}:");
  EXPECT_EQ(GlobLiteralPrefix(""), "");
}

TEST(GlobTest, EveryMatchStartsWithTheLiteralPrefix) {
  const char* patterns[] = {"ab*", "a\\*b?", "abc", "x[yz]", "a\\\\*"};
  const char* texts[] = {"abc", "a*bc", "abc", "xy", "a\\zz", "ab", "a*b", "xz"};
  for (const char* pattern : patterns) {
    for (const char* text : texts) {
      if (GlobMatch(pattern, text)) {
        EXPECT_TRUE(std::string(text).starts_with(GlobLiteralPrefix(pattern))) << pattern;
      }
    }
  }
}

}  // namespace
}  // namespace cairn
