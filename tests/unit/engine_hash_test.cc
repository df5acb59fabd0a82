// Hashes: field writes and reads, counters, deletion of the emptied key, expired keys, the
// large-encoding flag, random fields, transactions and persistence across a reopen.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "encoding/metadata.h"
#include "engine/collection.h"
#include "engine/hash.h"
#include "engine/transaction_batch.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

class HashTest : public EngineTest {
 protected:
  Hashes& hashes() { return storage_->hashes(); }

  int64_t HSet(const std::string& key, const std::vector<std::string>& field_values) {
    int64_t added = -1;
    Status s = hashes().Set(0, key, field_values, &added);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return added;
  }

  // The field's value, "(nil)" for a missing field, "(no key)" for a missing key, or the
  // error's text.
  std::string HGet(const std::string& key, const std::string& field) {
    std::optional<std::string> value;
    Status s = hashes().Get(0, key, field, &value);
    if (s.IsNotFound()) return "(no key)";
    if (!s.ok()) return s.message();
    return value.value_or("(nil)");
  }

  uint64_t HLen(const std::string& key) {
    uint64_t length = 0;
    Status s = hashes().Length(0, key, &length);
    EXPECT_TRUE(s.ok() || s.IsNotFound()) << s.ToString();
    return length;
  }

  std::vector<std::string> GetAll(const std::string& key, HashParts parts) {
    std::vector<std::string> out;
    Status s = hashes().GetAll(0, key, parts, &out);
    EXPECT_TRUE(s.ok() || s.IsNotFound()) << s.ToString();
    return out;
  }

  bool KeyExists(const std::string& key) {
    ValueType type;
    return keys().Type(0, key, &type).ok();
  }

  bool LargeEncoding(const std::string& key) {
    CollectionKey hash;
    EXPECT_TRUE(hash.Load(*storage_, 0, key, ValueType::kHash).ok());
    return hash.large_encoding();
  }

  // Every member entry in `sub` whatever its version: what compaction has not reclaimed.
  size_t SubEntries() { return CountEntries(storage_->sub_cf()); }
};

TEST_F(HashTest, SetCountsNewFieldsAndLastValueWins) {
  EXPECT_EQ(HSet("h", {"a", "1", "b", "2"}), 2);
  EXPECT_EQ(HSet("h", {"a", "10", "c", "3", "c", "4"}), 1);
  EXPECT_EQ(HGet("h", "a"), "10");
  EXPECT_EQ(HGet("h", "c"), "4");
  EXPECT_EQ(HGet("h", "zz"), "(nil)");
  EXPECT_EQ(HGet("missing", "a"), "(no key)");
  EXPECT_EQ(HLen("h"), 3u);
  EXPECT_EQ(GetAll("h", HashParts::kFieldsAndValues),
            (std::vector<std::string>{"a", "10", "b", "2", "c", "4"}));
  EXPECT_EQ(GetAll("h", HashParts::kFields), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(GetAll("h", HashParts::kValues), (std::vector<std::string>{"10", "2", "4"}));
}

TEST_F(HashTest, EmptyAndBinaryFieldsAreKeptApart) {
  std::string binary("a\0b", 3);
  EXPECT_EQ(HSet("h", {"", "empty", "a", "plain", binary, "bin"}), 3);
  EXPECT_EQ(HGet("h", ""), "empty");
  EXPECT_EQ(HGet("h", binary), "bin");
  EXPECT_EQ(HGet("h", "a"), "plain");
  uint64_t length = 0;
  ASSERT_TRUE(hashes().ValueLength(0, "h", "a", &length).ok());
  EXPECT_EQ(length, 5u);
  ASSERT_TRUE(hashes().ValueLength(0, "h", "nope", &length).ok());
  EXPECT_EQ(length, 0u);
  EXPECT_TRUE(hashes().ValueLength(0, "missing", "a", &length).IsNotFound());
}

TEST_F(HashTest, OtherTypesAreWrongType) {
  Set(0, "s", "v");
  int64_t n = 0;
  bool flag = false;
  std::optional<std::string> value;
  std::string text;
  std::vector<std::string> out;
  std::vector<HashField> fields;
  std::vector<std::string> args{"f", "v"};
  EXPECT_TRUE(hashes().Set(0, "s", args, &n).IsWrongType());
  EXPECT_TRUE(hashes().SetIfAbsent(0, "s", "f", "v", &flag).IsWrongType());
  EXPECT_TRUE(hashes().Delete(0, "s", args, &n, &flag).IsWrongType());
  EXPECT_TRUE(hashes().IncrBy(0, "s", "f", 1, &n).IsWrongType());
  EXPECT_TRUE(hashes().IncrByFloat(0, "s", "f", 1, &text).IsWrongType());
  EXPECT_TRUE(hashes().Get(0, "s", "f", &value).IsWrongType());
  EXPECT_TRUE(hashes().Exists(0, "s", "f", &flag).IsWrongType());
  EXPECT_TRUE(hashes().GetAll(0, "s", HashParts::kFields, &out).IsWrongType());
  EXPECT_TRUE(hashes().RandomFields(0, "s", 0, &fields).IsWrongType());
  EXPECT_EQ(Get(0, "s"), "v");
}

TEST_F(HashTest, SetIfAbsentWritesOnlyNewFields) {
  bool written = false;
  ASSERT_TRUE(hashes().SetIfAbsent(0, "h", "f", "1", &written).ok());
  EXPECT_TRUE(written);
  ASSERT_TRUE(hashes().SetIfAbsent(0, "h", "f", "2", &written).ok());
  EXPECT_FALSE(written);
  EXPECT_EQ(HGet("h", "f"), "1");
  EXPECT_EQ(HLen("h"), 1u);
}

TEST_F(HashTest, DeleteCountsDistinctFieldsAndRemovesTheEmptiedKey) {
  HSet("h", {"a", "1", "b", "2", "c", "3"});
  std::vector<std::string> fields{"a", "a", "zz"};
  int64_t removed = 0;
  bool key_removed = true;
  ASSERT_TRUE(hashes().Delete(0, "h", fields, &removed, &key_removed).ok());
  EXPECT_EQ(removed, 1);
  EXPECT_FALSE(key_removed);
  EXPECT_EQ(HLen("h"), 2u);
  EXPECT_EQ(HGet("h", "a"), "(nil)");
  fields = {"b", "c", "d"};
  ASSERT_TRUE(hashes().Delete(0, "h", fields, &removed, &key_removed).ok());
  EXPECT_EQ(removed, 2);
  EXPECT_TRUE(key_removed);
  EXPECT_FALSE(KeyExists("h"));
  EXPECT_EQ(keys().DbSize(0), 0);
  ASSERT_TRUE(hashes().Delete(0, "h", fields, &removed, &key_removed).ok());
  EXPECT_EQ(removed, 0);
  EXPECT_FALSE(key_removed);
}

TEST_F(HashTest, RecreatedKeyDoesNotSeeOldFields) {
  HSet("h", {"a", "1", "b", "2"});
  int64_t removed = 0;
  std::vector<std::string> doomed{"h"};
  ASSERT_TRUE(keys().Delete(0, doomed, &removed).ok());
  EXPECT_EQ(HSet("h", {"c", "3"}), 1);
  EXPECT_EQ(HGet("h", "a"), "(nil)");
  EXPECT_EQ(HLen("h"), 1u);
  EXPECT_EQ(GetAll("h", HashParts::kFields), (std::vector<std::string>{"c"}));
}

TEST_F(HashTest, ExpiredHashIsMissingAndStartsAfresh) {
  HSet("h", {"a", "1"});
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "h", kStartMs + 1000, ExpireCondition{}, &applied).ok());
  clock_.AdvanceMs(2000);
  EXPECT_EQ(HGet("h", "a"), "(no key)");
  EXPECT_EQ(HSet("h", {"b", "2"}), 1);
  EXPECT_EQ(HGet("h", "a"), "(nil)");
  EXPECT_EQ(HLen("h"), 1u);
  EXPECT_EQ(Ttl(0, "h"), -1);
}

TEST_F(HashTest, WritesKeepTheDeadline) {
  HSet("h", {"a", "1"});
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "h", kStartMs + 100000, ExpireCondition{}, &applied).ok());
  HSet("h", {"b", "2"});
  int64_t result = 0;
  ASSERT_TRUE(hashes().IncrBy(0, "h", "c", 5, &result).ok());
  EXPECT_EQ(Ttl(0, "h"), 100000);
}

TEST_F(HashTest, IncrByParsesStoredIntegersStrictly) {
  int64_t result = 0;
  ASSERT_TRUE(hashes().IncrBy(0, "h", "n", -5, &result).ok());
  EXPECT_EQ(result, -5);
  ASSERT_TRUE(hashes().IncrBy(0, "h", "n", 7, &result).ok());
  EXPECT_EQ(result, 2);
  EXPECT_EQ(HGet("h", "n"), "2");
  for (const char* bad : {"1.5", " 1", "01", "x", ""}) {
    HSet("h", {"bad", bad});
    Status s = hashes().IncrBy(0, "h", "bad", 1, &result);
    EXPECT_EQ(s.message(), "ERR hash value is not an integer") << bad;
  }
  HSet("h", {"max", "9223372036854775807", "min", "-9223372036854775808"});
  EXPECT_EQ(hashes().IncrBy(0, "h", "max", 1, &result).message(),
            "ERR increment or decrement would overflow");
  EXPECT_EQ(hashes().IncrBy(0, "h", "min", -1, &result).message(),
            "ERR increment or decrement would overflow");
  ASSERT_TRUE(hashes().IncrBy(0, "h", "min", std::numeric_limits<int64_t>::max(), &result).ok());
  EXPECT_EQ(result, -1);
}

TEST_F(HashTest, IncrByFloatStoresRedisText) {
  std::string stored;
  ASSERT_TRUE(hashes().IncrByFloat(0, "h", "f", 10.5L, &stored).ok());
  EXPECT_EQ(stored, "10.5");
  ASSERT_TRUE(hashes().IncrByFloat(0, "h", "f", -10.5L, &stored).ok());
  EXPECT_EQ(stored, "0");
  HSet("h", {"e", "1.0e3", "i", "inf", "x", "abc"});
  ASSERT_TRUE(hashes().IncrByFloat(0, "h", "e", 1, &stored).ok());
  EXPECT_EQ(stored, "1001");
  EXPECT_EQ(HGet("h", "e"), "1001");
  EXPECT_EQ(hashes().IncrByFloat(0, "h", "x", 1, &stored).message(),
            "ERR hash value is not a float");
  EXPECT_EQ(hashes().IncrByFloat(0, "h", "i", 1, &stored).message(),
            "ERR increment would produce NaN or Infinity");
  EXPECT_EQ(HGet("h", "i"), "inf");
}

TEST_F(HashTest, MultiGetAndExists) {
  HSet("h", {"a", "1", "b", "2"});
  std::vector<std::string> fields{"b", "zz", "a"};
  std::vector<std::optional<std::string>> values;
  ASSERT_TRUE(hashes().MultiGet(0, "h", fields, &values).ok());
  EXPECT_EQ(values, (std::vector<std::optional<std::string>>{"2", std::nullopt, "1"}));
  EXPECT_TRUE(hashes().MultiGet(0, "missing", fields, &values).IsNotFound());
  EXPECT_EQ(values, (std::vector<std::optional<std::string>>(3, std::nullopt)));
  bool exists = false;
  ASSERT_TRUE(hashes().Exists(0, "h", "a", &exists).ok());
  EXPECT_TRUE(exists);
  ASSERT_TRUE(hashes().Exists(0, "h", "c", &exists).ok());
  EXPECT_FALSE(exists);
  EXPECT_TRUE(hashes().Exists(0, "missing", "a", &exists).IsNotFound());
}

TEST_F(HashTest, DefaultLimitsAreRedisDefaults) {
  // Redis 7.0's hash-max-listpack-entries and hash-max-listpack-value.
  EXPECT_EQ(storage_->encoding_limits().hash_max_listpack_entries.load(), 512u);
  EXPECT_EQ(storage_->encoding_limits().hash_max_listpack_value.load(), 64u);
  std::vector<std::string> args;
  for (int i = 0; i < 512; ++i) {
    args.push_back(std::to_string(i));
    args.push_back(std::string(64, 'v'));
  }
  HSet("h", args);
  EXPECT_FALSE(LargeEncoding("h"));
  HSet("h", {"one-more", "v"});
  EXPECT_TRUE(LargeEncoding("h"));
}

TEST_F(HashTest, LargeEncodingFollowsRedisThresholds) {
  storage_->encoding_limits().hash_max_listpack_entries = 3;
  storage_->encoding_limits().hash_max_listpack_value = 4;
  HSet("small", {"a", "1234", "b", "2", "c", "3"});
  EXPECT_FALSE(LargeEncoding("small"));
  HSet("small", {"d", "4"});  // four entries > 3
  EXPECT_TRUE(LargeEncoding("small"));
  int64_t removed = 0;
  bool key_removed = false;
  std::vector<std::string> fields{"a", "b", "c"};
  ASSERT_TRUE(hashes().Delete(0, "small", fields, &removed, &key_removed).ok());
  EXPECT_TRUE(LargeEncoding("small"));  // never converted back

  HSet("longvalue", {"a", "12345"});
  EXPECT_TRUE(LargeEncoding("longvalue"));
  HSet("longfield", {"abcde", "1"});
  EXPECT_TRUE(LargeEncoding("longfield"));
  std::string stored;
  ASSERT_TRUE(hashes().IncrByFloat(0, "float", "f", 0.5L, &stored).ok());
  EXPECT_FALSE(LargeEncoding("float"));
  ASSERT_TRUE(hashes().IncrByFloat(0, "float", "f", 1.0L / 3, &stored).ok());
  EXPECT_TRUE(LargeEncoding("float"));  // the stored result outgrew the value limit
}

TEST_F(HashTest, RandomFieldsDistinctAndRepeated) {
  std::vector<std::string> args;
  for (int i = 0; i < 20; ++i) {
    args.push_back("f" + std::to_string(i));
    args.push_back("v" + std::to_string(i));
  }
  HSet("h", args);
  std::vector<HashField> fields;
  ASSERT_TRUE(hashes().RandomFields(0, "h", 5, &fields).ok());
  ASSERT_EQ(fields.size(), 5u);
  std::set<std::string> distinct;
  for (const HashField& entry : fields) {
    distinct.insert(entry.field);
    EXPECT_EQ("v" + entry.field.substr(1), entry.value);
  }
  EXPECT_EQ(distinct.size(), 5u);
  ASSERT_TRUE(hashes().RandomFields(0, "h", 100, &fields).ok());
  EXPECT_EQ(fields.size(), 20u);
  ASSERT_TRUE(hashes().RandomFields(0, "h", -300, &fields).ok());
  EXPECT_EQ(fields.size(), 300u);
  std::map<std::string, int> seen;
  for (const HashField& entry : fields) seen[entry.field]++;
  EXPECT_GT(seen.size(), 5u);  // 300 uniform draws out of 20 hit far more than 5 fields
  ASSERT_TRUE(hashes().RandomFields(0, "h", 0, &fields).ok());
  EXPECT_TRUE(fields.empty());
  EXPECT_TRUE(hashes().RandomFields(0, "missing", 3, &fields).IsNotFound());
}

TEST_F(HashTest, TransactionReadsItsPendingWrites) {
  HSet("h", {"a", "1"});
  {
    TransactionBatch transaction(storage_.get());
    HSet("h", {"b", "2"});
    int64_t result = 0;
    ASSERT_TRUE(hashes().IncrBy(0, "h", "b", 3, &result).ok());
    EXPECT_EQ(result, 5);
    EXPECT_EQ(HLen("h"), 2u);
    EXPECT_EQ(GetAll("h", HashParts::kFields), (std::vector<std::string>{"a", "b"}));
    ASSERT_TRUE(transaction.Commit().ok());
  }
  EXPECT_EQ(HGet("h", "b"), "5");
}

TEST_F(HashTest, SurvivesReopen) {
  HSet("h", {"a", "1", "b", "2"});
  int64_t removed = 0;
  bool key_removed = false;
  std::vector<std::string> fields{"a"};
  ASSERT_TRUE(hashes().Delete(0, "h", fields, &removed, &key_removed).ok());
  Reopen();
  EXPECT_EQ(HGet("h", "a"), "(nil)");
  EXPECT_EQ(HGet("h", "b"), "2");
  EXPECT_EQ(HLen("h"), 1u);
}

}  // namespace
}  // namespace cairn
