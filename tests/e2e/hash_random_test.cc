// E2E tests of HRANDFIELD against redis-server 7.0: the single-field form, positive counts
// (distinct fields, at most HLEN), negative counts (repeats), WITHVALUES in RESP2 (flat) and
// RESP3 (nested pairs), and the count range and syntax errors in Redis's order.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/hash_test_util.h"

namespace cairn::test {
namespace {

using HashRandomTest = HashTest;

// "f<i>" holds "v<i>" in every hash MakeHash builds.
std::string ValueOf(const std::string& field) { return "v" + field.substr(1); }

TEST_F(HashRandomTest, SingleFieldForm) {
  EXPECT_NIL(Run({"HRANDFIELD", "nokey"}));
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 5));
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    Reply field = Run({"HRANDFIELD", "h"});
    ASSERT_EQ(field.type(), ReplyType::kString) << field;
    seen.insert(field.text());
  }
  // 200 uniform draws out of 5 fields miss one with probability 5 * 0.8^200 (about 1e-19).
  EXPECT_EQ(seen, (std::set<std::string>{"f0", "f1", "f2", "f3", "f4"}));
}

TEST_F(HashRandomTest, PositiveCountGivesDistinctFields) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 10));
  Reply three = Run({"HRANDFIELD", "h", "3"});
  ASSERT_EQ(three.type(), ReplyType::kArray) << three;
  ASSERT_EQ(three.size(), 3u);
  std::set<std::string> distinct;
  for (const Reply& field : three.elements()) distinct.insert(field.text());
  EXPECT_EQ(distinct.size(), 3u);
  Reply all = Run({"HRANDFIELD", "h", "100"});
  EXPECT_STRINGS_UNORDERED(all, {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"});
  EXPECT_STRINGS(Run({"HRANDFIELD", "h", "0"}), {});
  EXPECT_STRINGS(Run({"HRANDFIELD", "nokey", "3"}), {});
  EXPECT_STRINGS(Run({"HRANDFIELD", "nokey", "-3", "WITHVALUES"}), {});
}

TEST_F(HashRandomTest, NegativeCountRepeats) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 2));
  Reply many = Run({"HRANDFIELD", "h", "-50"});
  ASSERT_EQ(many.size(), 50u) << many;
  std::map<std::string, int> counts;
  for (const Reply& field : many.elements()) counts[field.text()]++;
  EXPECT_EQ(counts.size(), 2u);  // both fields, with repeats: 2 * 0.5^50 odds against
  Reply one = Run({"HRANDFIELD", "h", "-1"});
  ASSERT_EQ(one.size(), 1u) << one;
}

TEST_F(HashRandomTest, WithValuesInRespTwoIsFlat) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 4));
  for (const char* count : {"3", "-7", "10"}) {
    Reply pairs = Run({"HRANDFIELD", "h", count, "withvalues"});
    ASSERT_EQ(pairs.type(), ReplyType::kArray) << pairs;
    long long n = std::stoll(count);
    size_t expected = static_cast<size_t>(n < 0 ? -n : std::min(n, 4LL));
    ASSERT_EQ(pairs.size(), 2 * expected) << count << " " << pairs;
    for (size_t i = 0; i < pairs.size(); i += 2) {
      EXPECT_EQ(pairs[i + 1].text(), ValueOf(pairs[i].text())) << pairs;
    }
  }
}

TEST_F(HashRandomTest, WithValuesInRespThreeNestsPairs) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 4));
  ASSERT_EQ(Run({"HELLO", "3"}).type(), ReplyType::kMap);
  for (const char* count : {"2", "-5", "1", "-1"}) {
    Reply pairs = Run({"HRANDFIELD", "h", count, "WITHVALUES"});
    ASSERT_EQ(pairs.type(), ReplyType::kArray) << pairs;
    long long n = std::stoll(count);
    ASSERT_EQ(pairs.size(), static_cast<size_t>(n < 0 ? -n : n)) << pairs;
    for (const Reply& pair : pairs.elements()) {
      ASSERT_EQ(pair.type(), ReplyType::kArray) << pairs;
      ASSERT_EQ(pair.size(), 2u) << pairs;
      EXPECT_EQ(pair[1].text(), ValueOf(pair[0].text()));
    }
  }
  // Without WITHVALUES: a flat array of fields; the single form: a bulk string or null.
  Reply fields = Run({"HRANDFIELD", "h", "2"});
  ASSERT_EQ(fields.size(), 2u) << fields;
  EXPECT_EQ(fields[0].type(), ReplyType::kString);
  EXPECT_NIL(Run({"HRANDFIELD", "nokey"}));
  EXPECT_EQ(Run({"HRANDFIELD", "h"}).type(), ReplyType::kString);
}

TEST_F(HashRandomTest, CountErrorsInRedisOrder) {
  ASSERT_NO_FATAL_FAILURE(MakeHash("h", 2));
  ASSERT_NO_FATAL_FAILURE(MakeOtherTypes());
  const std::string kRange =
      "ERR value is out of range, value must between -9223372036854775807 and "
      "9223372036854775807";
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "1.0"}), kNotInteger);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "9223372036854775808"}), kNotInteger);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "-9223372036854775808"}), kRange);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "-9223372036854775808", "foo"}), kRange);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "1", "foo"}), kSyntax);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "1", "WITHVALUES", "x"}), kSyntax);
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"}),
               "ERR value is out of range");
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"}),
               "ERR value is out of range");
  EXPECT_ERROR(Run({"HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"}),
               "ERR value is out of range");
  Reply at_limit = Run({"HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"});
  EXPECT_EQ(at_limit.size(), 4u) << at_limit;
  Reply huge = Run({"HRANDFIELD", "h", "9223372036854775807"});
  EXPECT_EQ(huge.size(), 2u) << huge;
  // The count is parsed before the key's type is checked.
  EXPECT_ERROR(Run({"HRANDFIELD", "string", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"HRANDFIELD", "string", "1", "foo"}), kSyntax);
}

TEST_F(HashRandomTest, LargeHashSampling) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 2000; ++i) {
    commands.push_back({"HSET", "big", "f" + std::to_string(i), "v" + std::to_string(i)});
  }
  ASSERT_EQ(client_.Pipeline(commands).size(), commands.size());
  Reply sample = Run({"HRANDFIELD", "big", "1500", "WITHVALUES"});
  ASSERT_EQ(sample.size(), 3000u);
  std::set<std::string> distinct;
  for (size_t i = 0; i < sample.size(); i += 2) {
    distinct.insert(sample[i].text());
    EXPECT_EQ(sample[i + 1].text(), ValueOf(sample[i].text()));
  }
  EXPECT_EQ(distinct.size(), 1500u);
  EXPECT_EQ(Run({"HRANDFIELD", "big", "-3000"}).size(), 3000u);
}

}  // namespace
}  // namespace cairn::test
