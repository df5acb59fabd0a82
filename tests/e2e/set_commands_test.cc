// E2E tests of the single-key set commands against the real server: SADD, SREM, SCARD,
// SISMEMBER, SMISMEMBER, SMEMBERS, SMOVE, SPOP and SRANDMEMBER with every option, Redis 7.0's
// errors and their order, RESP3 reply shapes, empty-key deletion, keyspace hits/misses and a
// set large enough that reads must not load it whole.
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/set_test_util.h"

namespace cairn::test {
namespace {

using SetCommands = SetCommandTest;

std::set<std::string> TextsOf(const Reply& reply) {
  std::set<std::string> texts;
  for (const Reply& element : reply.elements()) texts.insert(element.text());
  return texts;
}

TEST_F(SetCommands, AddCardAndMembers) {
  EXPECT_INTEGER(Run({"SADD", "s", "a", "b", "a", "c"}), 3);
  EXPECT_INTEGER(Run({"SADD", "s", "c", "d"}), 1);
  EXPECT_INTEGER(Run({"SADD", "s", "a"}), 0);
  EXPECT_INTEGER(Run({"SCARD", "s"}), 4);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "s"}), {"a", "b", "c", "d"});
  EXPECT_STATUS(Run({"TYPE", "s"}), "set");
  std::string binary("x\0y\r\n", 5);
  EXPECT_INTEGER(Run({"SADD", "bin", binary, ""}), 2);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "bin"}), {"", binary});
  EXPECT_INTEGER(Run({"SCARD", "missing"}), 0);
  EXPECT_STRINGS(Run({"SMEMBERS", "missing"}), {});
  EXPECT_INTEGER(Run({"DBSIZE"}), 2);
}

TEST_F(SetCommands, RemovingTheLastMemberDeletesTheKey) {
  ASSERT_INTEGER(Run({"SADD", "s", "a", "b", "c"}), 3);
  ASSERT_OK(Run({"SET", "other", "v"}));
  EXPECT_INTEGER(Run({"SREM", "s", "x", "y"}), 0);
  EXPECT_INTEGER(Run({"SREM", "s", "a", "a", "b"}), 2);
  EXPECT_INTEGER(Run({"SCARD", "s"}), 1);
  EXPECT_INTEGER(Run({"DBSIZE"}), 2);
  EXPECT_INTEGER(Run({"SREM", "s", "c", "zz"}), 1);
  EXPECT_INTEGER(Run({"EXISTS", "s"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 1);
  EXPECT_INTEGER(Run({"SREM", "s", "c"}), 0);
  EXPECT_INTEGER(Run({"SADD", "s", "new"}), 1);  // a fresh set, no old members
  EXPECT_STRINGS(Run({"SMEMBERS", "s"}), {"new"});
}

TEST_F(SetCommands, Membership) {
  ASSERT_INTEGER(Run({"SADD", "s", "a", "1"}), 2);
  EXPECT_INTEGER(Run({"SISMEMBER", "s", "a"}), 1);
  EXPECT_INTEGER(Run({"SISMEMBER", "s", "b"}), 0);
  EXPECT_INTEGER(Run({"SISMEMBER", "missing", "a"}), 0);
  Reply many = Run({"SMISMEMBER", "s", "a", "b", "1", "a"});
  ASSERT_EQ(many.type(), ReplyType::kArray) << many;
  ASSERT_EQ(many.size(), 4u);
  EXPECT_INTEGER(many[0], 1);
  EXPECT_INTEGER(many[1], 0);
  EXPECT_INTEGER(many[2], 1);
  EXPECT_INTEGER(many[3], 1);
  Reply none = Run({"SMISMEMBER", "missing", "a", "b"});
  ASSERT_EQ(none.size(), 2u) << none;
  EXPECT_INTEGER(none[0], 0);
  EXPECT_INTEGER(none[1], 0);
}

TEST_F(SetCommands, WrongTypeFromEveryCommand) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherTypes());
  ASSERT_INTEGER(Run({"SADD", "s", "a"}), 1);
  for (const std::string other : {"string", "hash"}) {
    SCOPED_TRACE(other);
    const std::vector<std::vector<std::string>> commands = {
        {"SADD", other, "a"},
        {"SREM", other, "a"},
        {"SCARD", other},
        {"SISMEMBER", other, "a"},
        {"SMISMEMBER", other, "a"},
        {"SMEMBERS", other},
        {"SPOP", other},
        {"SPOP", other, "0"},
        {"SRANDMEMBER", other},
        {"SRANDMEMBER", other, "0"},
        {"SRANDMEMBER", other, "-2"},
        {"SMOVE", other, "s", "a"},
        {"SMOVE", "s", other, "a"},
    };
    for (const auto& command : commands) EXPECT_ERROR(Run(command), kWrongType) << command[0];
  }
  // Nothing changed.
  EXPECT_BULK(Run({"GET", "string"}), "v");
  EXPECT_STRINGS(Run({"SMEMBERS", "s"}), {"a"});
  // A missing source answers 0 before the destination's type is looked at.
  EXPECT_INTEGER(Run({"SMOVE", "missing", "string", "a"}), 0);
}

TEST_F(SetCommands, ArityErrors) {
  const std::vector<std::vector<std::string>> commands = {
      {"SADD", "s"},       {"SREM", "s"},
      {"SCARD"},           {"SCARD", "a", "b"},
      {"SISMEMBER", "s"},  {"SMISMEMBER", "s"},
      {"SMEMBERS"},        {"SMEMBERS", "a", "b"},
      {"SMOVE", "a", "b"}, {"SPOP"},
      {"SRANDMEMBER"},     {"SISMEMBER", "s", "a", "b"},
  };
  for (const auto& command : commands) {
    std::string name = command[0];
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_ERROR(Run(command), SetArityError(name)) << command.size();
  }
}

TEST_F(SetCommands, Move) {
  ASSERT_INTEGER(Run({"SADD", "src", "a", "b", "c"}), 3);
  ASSERT_INTEGER(Run({"SADD", "dst", "b"}), 1);
  EXPECT_INTEGER(Run({"SMOVE", "src", "dst", "zz"}), 0);
  EXPECT_INTEGER(Run({"SMOVE", "src", "dst", "a"}), 1);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "src"}), {"b", "c"});
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "dst"}), {"a", "b"});
  EXPECT_INTEGER(Run({"SMOVE", "src", "dst", "b"}), 1);  // already there: only leaves src
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "dst"}), {"a", "b"});
  EXPECT_INTEGER(Run({"SMOVE", "src", "fresh", "c"}), 1);  // empties src, creates fresh
  EXPECT_INTEGER(Run({"EXISTS", "src"}), 0);
  EXPECT_STRINGS(Run({"SMEMBERS", "fresh"}), {"c"});
  EXPECT_INTEGER(Run({"SMOVE", "dst", "dst", "a"}), 1);  // same key: is it there?
  EXPECT_INTEGER(Run({"SMOVE", "dst", "dst", "zz"}), 0);
  EXPECT_STRINGS_UNORDERED(Run({"SMEMBERS", "dst"}), {"a", "b"});
  EXPECT_INTEGER(Run({"SMOVE", "missing", "dst", "a"}), 0);
  EXPECT_INTEGER(Run({"DBSIZE"}), 2);
}

TEST_F(SetCommands, Pop) {
  ASSERT_INTEGER(Run({"SADD", "s", "1", "2", "3", "4", "5"}), 5);
  Reply one = Run({"SPOP", "s"});
  ASSERT_EQ(one.type(), ReplyType::kString) << one;
  EXPECT_INTEGER(Run({"SISMEMBER", "s", one.text()}), 0);
  EXPECT_INTEGER(Run({"SCARD", "s"}), 4);
  EXPECT_STRINGS(Run({"SPOP", "s", "0"}), {});
  Reply two = Run({"SPOP", "s", "2"});
  ASSERT_EQ(two.size(), 2u) << two;
  EXPECT_EQ(TextsOf(two).size(), 2u);
  EXPECT_EQ(TextsOf(two).count(one.text()), 0u);
  EXPECT_INTEGER(Run({"SCARD", "s"}), 2);
  Reply rest = Run({"SPOP", "s", "10"});
  EXPECT_EQ(rest.size(), 2u) << rest;
  EXPECT_INTEGER(Run({"EXISTS", "s"}), 0);
  EXPECT_NIL(Run({"SPOP", "s"}));
  EXPECT_STRINGS(Run({"SPOP", "s", "3"}), {});
  // Every member came out exactly once.
  std::set<std::string> all = TextsOf(two);
  all.insert(one.text());
  for (const std::string& member : TextsOf(rest)) all.insert(member);
  EXPECT_EQ(all, (std::set<std::string>{"1", "2", "3", "4", "5"}));
  ASSERT_INTEGER(Run({"SADD", "last", "x"}), 1);
  EXPECT_BULK(Run({"SPOP", "last"}), "x");
  EXPECT_INTEGER(Run({"EXISTS", "last"}), 0);
}

TEST_F(SetCommands, PopErrors) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherTypes());
  ASSERT_INTEGER(Run({"SADD", "s", "a"}), 1);
  EXPECT_ERROR(Run({"SPOP", "s", "-1"}), kSetNotPositive);
  EXPECT_ERROR(Run({"SPOP", "s", "abc"}), kSetNotPositive);
  EXPECT_ERROR(Run({"SPOP", "s", "9223372036854775808"}), kSetNotPositive);
  EXPECT_ERROR(Run({"SPOP", "s", "1", "2"}), kSyntax);
  // The count is checked before the key's type.
  EXPECT_ERROR(Run({"SPOP", "string", "-1"}), kSetNotPositive);
  EXPECT_STRINGS(Run({"SMEMBERS", "s"}), {"a"});
}

TEST_F(SetCommands, RandomMember) {
  ASSERT_INTEGER(Run({"SADD", "s", "a", "b", "c", "d", "e"}), 5);
  const std::set<std::string> all = {"a", "b", "c", "d", "e"};
  Reply one = Run({"SRANDMEMBER", "s"});
  ASSERT_EQ(one.type(), ReplyType::kString) << one;
  EXPECT_EQ(all.count(one.text()), 1u);
  Reply three = Run({"SRANDMEMBER", "s", "3"});
  ASSERT_EQ(three.size(), 3u) << three;
  EXPECT_EQ(TextsOf(three).size(), 3u);
  EXPECT_STRINGS_UNORDERED(Run({"SRANDMEMBER", "s", "5"}), {"a", "b", "c", "d", "e"});
  EXPECT_STRINGS_UNORDERED(Run({"SRANDMEMBER", "s", "100"}), {"a", "b", "c", "d", "e"});
  Reply repeats = Run({"SRANDMEMBER", "s", "-50"});
  ASSERT_EQ(repeats.size(), 50u) << repeats;
  for (const std::string& member : TextsOf(repeats)) EXPECT_EQ(all.count(member), 1u) << member;
  EXPECT_LT(TextsOf(repeats).size(), 50u);
  EXPECT_STRINGS(Run({"SRANDMEMBER", "s", "0"}), {});
  EXPECT_INTEGER(Run({"SCARD", "s"}), 5);  // nothing removed
  EXPECT_NIL(Run({"SRANDMEMBER", "missing"}));
  EXPECT_STRINGS(Run({"SRANDMEMBER", "missing", "3"}), {});
  EXPECT_STRINGS(Run({"SRANDMEMBER", "missing", "-3"}), {});
}

TEST_F(SetCommands, RandomMemberErrors) {
  ASSERT_INTEGER(Run({"SADD", "s", "a"}), 1);
  EXPECT_ERROR(Run({"SRANDMEMBER", "s", "abc"}), kNotInteger);
  EXPECT_ERROR(Run({"SRANDMEMBER", "s", "9223372036854775808"}), kNotInteger);
  EXPECT_ERROR(Run({"SRANDMEMBER", "s", "-9223372036854775808"}),
               "ERR value is out of range, value must between -9223372036854775807 and "
               "9223372036854775807");
  EXPECT_ERROR(Run({"SRANDMEMBER", "s", "1", "2"}), kSyntax);
  ASSERT_OK(Run({"SET", "string", "v"}));
  EXPECT_ERROR(Run({"SRANDMEMBER", "string", "abc"}), kNotInteger);  // count first
}

TEST_F(SetCommands, Resp3Shapes) {
  ASSERT_INTEGER(Run({"SADD", "s", "a", "b", "c"}), 3);
  ASSERT_NO_FATAL_FAILURE(Resp3());
  Reply members = Run({"SMEMBERS", "s"});
  EXPECT_EQ(members.type(), ReplyType::kSet) << members;
  EXPECT_STRINGS_UNORDERED(members, {"a", "b", "c"});
  EXPECT_EQ(Run({"SMEMBERS", "missing"}).type(), ReplyType::kSet);
  EXPECT_EQ(Run({"SPOP", "missing", "2"}).type(), ReplyType::kSet);
  EXPECT_EQ(Run({"SPOP", "s", "0"}).type(), ReplyType::kSet);
  Reply popped = Run({"SPOP", "s", "1"});
  EXPECT_EQ(popped.type(), ReplyType::kSet) << popped;
  EXPECT_EQ(popped.size(), 1u);
  EXPECT_EQ(Run({"SRANDMEMBER", "s", "2"}).type(), ReplyType::kArray);
  EXPECT_EQ(Run({"SRANDMEMBER", "s", "-2"}).type(), ReplyType::kArray);
  EXPECT_EQ(Run({"SRANDMEMBER", "missing", "2"}).type(), ReplyType::kArray);
  EXPECT_EQ(Run({"SMISMEMBER", "s", "a"}).type(), ReplyType::kArray);
  EXPECT_EQ(Run({"SISMEMBER", "s", "a"}).type(), ReplyType::kInteger);
  EXPECT_NIL(Run({"SPOP", "missing"}));
  EXPECT_NIL(Run({"SRANDMEMBER", "missing"}));
  EXPECT_EQ(Run({"SPOP", "s", "10"}).type(), ReplyType::kSet);
}

TEST_F(SetCommands, KeyspaceHitsAndMisses) {
  ASSERT_INTEGER(Run({"SADD", "s", "a"}), 1);
  long long hits = InfoStat("keyspace_hits");
  long long misses = InfoStat("keyspace_misses");
  ASSERT_INTEGER(Run({"SISMEMBER", "s", "a"}), 1);
  ASSERT_INTEGER(Run({"SCARD", "missing"}), 0);
  EXPECT_NIL(Run({"SRANDMEMBER", "missing"}));
  EXPECT_EQ(InfoStat("keyspace_hits"), hits + 1);
  EXPECT_EQ(InfoStat("keyspace_misses"), misses + 2);
  // Writes (SADD, SPOP, SMOVE) do not count.
  ASSERT_INTEGER(Run({"SADD", "t", "x"}), 1);
  EXPECT_NIL(Run({"SPOP", "missing"}));
  EXPECT_EQ(InfoStat("keyspace_hits"), hits + 1);
  EXPECT_EQ(InfoStat("keyspace_misses"), misses + 2);
}

TEST_F(SetCommands, IntsetOrHashtableEncoding) {
  ASSERT_INTEGER(Run({"SADD", "ints", "1", "-2", "300"}), 3);
  EXPECT_BULK(Run({"OBJECT", "ENCODING", "ints"}), "intset");
  ASSERT_INTEGER(Run({"SADD", "ints", "+4"}), 1);
  EXPECT_BULK(Run({"OBJECT", "ENCODING", "ints"}), "hashtable");
  ASSERT_INTEGER(Run({"SADD", "words", "w"}), 1);
  ASSERT_INTEGER(Run({"SINTERSTORE", "copy", "ints"}), 4);
  EXPECT_BULK(Run({"OBJECT", "ENCODING", "copy"}), "hashtable");
  ASSERT_INTEGER(Run({"SDIFFSTORE", "numbers", "ints", "words"}), 4);
  ASSERT_INTEGER(Run({"SREM", "numbers", "+4"}), 1);
  ASSERT_INTEGER(Run({"SUNIONSTORE", "numbers", "numbers"}), 3);
  EXPECT_BULK(Run({"OBJECT", "ENCODING", "numbers"}), "intset");
}

// Large enough that SISMEMBER, SRANDMEMBER, SPOP with a small count and an intersection
// with a tiny set must stay cheap; correctness is what is asserted.
TEST_F(SetCommands, LargeSet) {
  std::vector<std::vector<std::string>> batches;
  for (int batch = 0; batch < 20; ++batch) {
    std::vector<std::string> args = {"SADD", "big"};
    for (int i = 0; i < 1000; ++i) args.push_back("member:" + std::to_string(batch * 1000 + i));
    batches.push_back(args);
  }
  for (const Reply& reply : client_.Pipeline(batches)) ASSERT_INTEGER(reply, 1000);
  EXPECT_INTEGER(Run({"SCARD", "big"}), 20000);
  EXPECT_INTEGER(Run({"SISMEMBER", "big", "member:19999"}), 1);
  ASSERT_INTEGER(Run({"SADD", "tiny", "member:5", "member:12345", "nope"}), 3);
  EXPECT_STRINGS_UNORDERED(Run({"SINTER", "big", "tiny"}), {"member:5", "member:12345"});
  EXPECT_INTEGER(Run({"SINTERCARD", "2", "big", "tiny"}), 2);
  EXPECT_STRINGS(Run({"SDIFF", "tiny", "big"}), {"nope"});
  Reply sample = Run({"SRANDMEMBER", "big", "10"});
  EXPECT_EQ(TextsOf(sample).size(), 10u) << sample;
  Reply popped = Run({"SPOP", "big", "100"});
  EXPECT_EQ(TextsOf(popped).size(), 100u);
  EXPECT_INTEGER(Run({"SCARD", "big"}), 19900);
  EXPECT_INTEGER(Run({"SINTERCARD", "1", "big", "LIMIT", "7"}), 7);
  EXPECT_INTEGER(Run({"DEL", "big"}), 1);
  EXPECT_INTEGER(Run({"SCARD", "big"}), 0);
}

}  // namespace
}  // namespace cairn::test
