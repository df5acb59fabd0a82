// Tests for engine/string.h: every string operation, its Redis edge cases, WRONGTYPE, and
// the key/TTL counts and expire index after each kind of write.
#include <limits>

#include "encoding/metadata.h"
#include "engine/key_batch.h"
#include "engine_test_env.h"

namespace cairn {
namespace {

class StringTest : public EngineTest {
 protected:
  // Stores a non-string key (a hash header with no members) to exercise WRONGTYPE.
  void MakeHash(int db, const std::string& key) {
    KeyRef ref;
    StoredKey stored;
    ASSERT_TRUE(LookupKey(*storage_, db, key, &ref, &stored).ok());
    Metadata meta;
    meta.type = ValueType::kHash;
    meta.version = storage_->NextVersion();
    meta.size = 0;
    KeyBatch batch(storage_.get());
    batch.Put(ref, stored, meta, {});
    ASSERT_TRUE(batch.Commit().ok());
  }
  void ExpectCounts(int db, int64_t keys_count, int64_t expires) {
    EXPECT_EQ(keys().DbSize(db), keys_count);
    EXPECT_EQ(keys().ExpiresCount(db), expires);
    EXPECT_EQ(CountEntries(storage_->expire_cf()), static_cast<size_t>(expires));
  }
  bool SetWith(const std::string& key, const std::string& value, SetOptions options,
               std::optional<std::string>* old = nullptr) {
    bool written = false;
    Status s = strings().Set(0, key, value, options, &written, old);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return written;
  }
};

TEST_F(StringTest, GetSetBasics) {
  EXPECT_EQ(Get(0, "k"), "(nil)");
  Set(0, "k", "v");
  EXPECT_EQ(Get(0, "k"), "v");
  Set(0, "k", std::string("bin\0ary", 7));
  EXPECT_EQ(Get(0, "k"), std::string("bin\0ary", 7));
  Set(0, "", "empty key");
  EXPECT_EQ(Get(0, ""), "empty key");
  Set(0, "big", std::string(1 << 20, 'x'));
  EXPECT_EQ(Get(0, "big").size(), size_t{1} << 20);
  ExpectCounts(0, 3, 0);
}

TEST_F(StringTest, SetConditions) {
  SetOptions nx{.condition = SetOptions::Condition::kIfAbsent};
  SetOptions xx{.condition = SetOptions::Condition::kIfPresent};
  EXPECT_FALSE(SetWith("k", "v", xx));
  EXPECT_EQ(Get(0, "k"), "(nil)");
  EXPECT_TRUE(SetWith("k", "v1", nx));
  EXPECT_FALSE(SetWith("k", "v2", nx));
  EXPECT_EQ(Get(0, "k"), "v1");
  EXPECT_TRUE(SetWith("k", "v3", xx));
  EXPECT_EQ(Get(0, "k"), "v3");
  ExpectCounts(0, 1, 0);
}

TEST_F(StringTest, SetNxOnAnExpiredKeySucceeds) {
  Set(0, "k", "old", kStartMs + 100);
  clock_.AdvanceMs(100);
  SetOptions nx{.condition = SetOptions::Condition::kIfAbsent};
  EXPECT_TRUE(SetWith("k", "new", nx));
  EXPECT_EQ(Get(0, "k"), "new");
  EXPECT_EQ(Ttl(0, "k"), -1);
  ExpectCounts(0, 1, 0);
}

TEST_F(StringTest, SetExpiryModes) {
  const int64_t t = static_cast<int64_t>(kStartMs);
  EXPECT_TRUE(SetWith("k", "v", {.expire = SetOptions::Expire::kAt, .expire_at_ms = t + 10000}));
  EXPECT_EQ(Ttl(0, "k"), 10000);
  ExpectCounts(0, 1, 1);
  EXPECT_TRUE(SetWith("k", "v2", {.expire = SetOptions::Expire::kKeep}));
  EXPECT_EQ(Ttl(0, "k"), 10000);
  EXPECT_EQ(Get(0, "k"), "v2");
  ExpectCounts(0, 1, 1);
  EXPECT_TRUE(SetWith("k", "v3", {}));
  EXPECT_EQ(Ttl(0, "k"), -1);
  ExpectCounts(0, 1, 0);
  EXPECT_TRUE(SetWith("k", "v4", {.expire = SetOptions::Expire::kKeep}));
  EXPECT_EQ(Ttl(0, "k"), -1);
  // A deadline that is not in the future leaves no key behind.
  EXPECT_TRUE(SetWith("k", "v5", {.expire = SetOptions::Expire::kAt, .expire_at_ms = t}));
  EXPECT_EQ(Get(0, "k"), "(nil)");
  ExpectCounts(0, 0, 0);
}

TEST_F(StringTest, SetGetOption) {
  std::optional<std::string> old;
  EXPECT_TRUE(SetWith("k", "v1", {.get_old = true}, &old));
  EXPECT_FALSE(old.has_value());
  EXPECT_TRUE(SetWith("k", "v2", {.get_old = true}, &old));
  EXPECT_EQ(old, "v1");
  // NX with GET: not written, but the old value is still returned.
  EXPECT_FALSE(
      SetWith("k", "v3", {.condition = SetOptions::Condition::kIfAbsent, .get_old = true}, &old));
  EXPECT_EQ(old, "v2");
  MakeHash(0, "h");
  bool written = true;
  Status s = strings().Set(0, "h", "x", {.get_old = true}, &written, &old);
  EXPECT_TRUE(s.IsWrongType());
  EXPECT_EQ(s.message(), "WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_FALSE(written);
  ValueType type;
  ASSERT_TRUE(keys().Type(0, "h", &type).ok());
  EXPECT_EQ(type, ValueType::kHash);
  // Without GET, SET overwrites any type.
  EXPECT_TRUE(SetWith("h", "x", {}));
  EXPECT_EQ(Get(0, "h"), "x");
}

TEST_F(StringTest, WrongTypeEverywhere) {
  MakeHash(0, "h");
  std::string value;
  int64_t n = 0;
  std::optional<std::string> old;
  EXPECT_TRUE(strings().Get(0, "h", &value).IsWrongType());
  EXPECT_TRUE(strings().GetDel(0, "h", &value).IsWrongType());
  EXPECT_TRUE(strings().GetEx(0, "h", {}, &value).IsWrongType());
  EXPECT_TRUE(strings().GetSet(0, "h", "v", &old).IsWrongType());
  EXPECT_TRUE(strings().Append(0, "h", "v", &n).IsWrongType());
  EXPECT_TRUE(strings().SetRange(0, "h", 0, "v", &n).IsWrongType());
  EXPECT_TRUE(strings().GetRange(0, "h", -1, -5, &value).IsWrongType());
  EXPECT_TRUE(strings().Strlen(0, "h", &n).IsWrongType());
  EXPECT_TRUE(strings().IncrBy(0, "h", 1, &n).IsWrongType());
  EXPECT_TRUE(strings().IncrByFloat(0, "h", 1, &value).IsWrongType());
  std::vector<std::optional<std::string>> values;
  std::vector<std::string> names = {"h"};
  ASSERT_TRUE(strings().MGet(0, names, &values).ok());
  EXPECT_EQ(values, std::vector<std::optional<std::string>>{std::nullopt});
}

TEST_F(StringTest, GetDelAndGetSet) {
  Set(0, "k", "v", kStartMs + 500);
  std::string value;
  ASSERT_TRUE(strings().GetDel(0, "k", &value).ok());
  EXPECT_EQ(value, "v");
  EXPECT_TRUE(strings().GetDel(0, "k", &value).IsNotFound());
  ExpectCounts(0, 0, 0);
  std::optional<std::string> old;
  Set(0, "g", "1", kStartMs + 500);
  ASSERT_TRUE(strings().GetSet(0, "g", "2", &old).ok());
  EXPECT_EQ(old, "1");
  EXPECT_EQ(Ttl(0, "g"), -1);  // GETSET clears the deadline
  ASSERT_TRUE(strings().GetSet(0, "new", "x", &old).ok());
  EXPECT_FALSE(old.has_value());
  ExpectCounts(0, 2, 0);
}

TEST_F(StringTest, GetExChangesDeadlines) {
  Set(0, "k", "v");
  std::string value;
  const int64_t t = static_cast<int64_t>(kStartMs);
  using Action = GetExOptions::Action;
  ASSERT_TRUE(strings().GetEx(0, "k", {Action::kSetAt, t + 3000}, &value).ok());
  EXPECT_EQ(value, "v");
  EXPECT_EQ(Ttl(0, "k"), 3000);
  ExpectCounts(0, 1, 1);
  ASSERT_TRUE(strings().GetEx(0, "k", {Action::kNone, 0}, &value).ok());
  EXPECT_EQ(Ttl(0, "k"), 3000);
  ASSERT_TRUE(strings().GetEx(0, "k", {Action::kPersist, 0}, &value).ok());
  EXPECT_EQ(Ttl(0, "k"), -1);
  ExpectCounts(0, 1, 0);
  ASSERT_TRUE(strings().GetEx(0, "k", {Action::kSetAt, t - 1}, &value).ok());
  EXPECT_EQ(value, "v");
  EXPECT_EQ(Get(0, "k"), "(nil)");
  ExpectCounts(0, 0, 0);
  EXPECT_TRUE(strings().GetEx(0, "k", {}, &value).IsNotFound());
}

TEST_F(StringTest, AppendKeepsDeadlineAndChecksSize) {
  int64_t length = 0;
  ASSERT_TRUE(strings().Append(0, "k", "hello", &length).ok());
  EXPECT_EQ(length, 5);
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "k", kStartMs + 1000, {}, &applied).ok());
  ASSERT_TRUE(strings().Append(0, "k", " world", &length).ok());
  EXPECT_EQ(length, 11);
  EXPECT_EQ(Get(0, "k"), "hello world");
  EXPECT_EQ(Ttl(0, "k"), 1000);
  Status s = strings().Append(0, "k", "!", &length, 11);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  ExpectCounts(0, 1, 1);
}

TEST_F(StringTest, SetRange) {
  int64_t length = -1;
  ASSERT_TRUE(strings().SetRange(0, "missing", 5, "", &length).ok());
  EXPECT_EQ(length, 0);
  EXPECT_EQ(Get(0, "missing"), "(nil)");
  ASSERT_TRUE(strings().SetRange(0, "k", 3, "abc", &length).ok());
  EXPECT_EQ(length, 6);
  EXPECT_EQ(Get(0, "k"), std::string("\0\0\0abc", 6));
  ASSERT_TRUE(strings().SetRange(0, "k", 1, "X", &length).ok());
  EXPECT_EQ(Get(0, "k"), std::string("\0X\0abc", 6));
  ASSERT_TRUE(strings().SetRange(0, "k", 0, "", &length).ok());
  EXPECT_EQ(length, 6);
  Status s = strings().SetRange(0, "k", -1, "x", &length);
  EXPECT_EQ(s.message(), "ERR offset is out of range");
  s = strings().SetRange(0, "k", 536870912, "x", &length);
  EXPECT_EQ(s.message(), "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  s = strings().SetRange(0, "k", 10, "abc", &length, 12);
  EXPECT_TRUE(s.IsInvalidArgument());
  ExpectCounts(0, 1, 0);
}

TEST_F(StringTest, GetRangeIndexRules) {
  Set(0, "s", "This is a string");
  auto range = [&](int64_t start, int64_t end) {
    std::string out;
    EXPECT_TRUE(strings().GetRange(0, "s", start, end, &out).ok());
    return out;
  };
  EXPECT_EQ(range(0, 3), "This");
  EXPECT_EQ(range(-3, -1), "ing");
  EXPECT_EQ(range(0, -1), "This is a string");
  EXPECT_EQ(range(10, 100), "string");
  EXPECT_EQ(range(-100, 3), "This");
  EXPECT_EQ(range(5, 2), "");
  EXPECT_EQ(range(-1, -5), "");
  EXPECT_EQ(range(100, 200), "");
  std::string out = "x";
  ASSERT_TRUE(strings().GetRange(0, "missing", 0, -1, &out).ok());
  EXPECT_EQ(out, "");
  Set(0, "empty", "");
  ASSERT_TRUE(strings().GetRange(0, "empty", 0, -1, &out).ok());
  EXPECT_EQ(out, "");
}

TEST_F(StringTest, Strlen) {
  int64_t length = -1;
  ASSERT_TRUE(strings().Strlen(0, "missing", &length).ok());
  EXPECT_EQ(length, 0);
  Set(0, "k", "12345");
  ASSERT_TRUE(strings().Strlen(0, "k", &length).ok());
  EXPECT_EQ(length, 5);
}

TEST_F(StringTest, IncrBy) {
  int64_t result = 0;
  ASSERT_TRUE(strings().IncrBy(0, "n", 5, &result).ok());
  EXPECT_EQ(result, 5);
  ASSERT_TRUE(strings().IncrBy(0, "n", -8, &result).ok());
  EXPECT_EQ(result, -3);
  EXPECT_EQ(Get(0, "n"), "-3");
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "n", kStartMs + 4000, {}, &applied).ok());
  ASSERT_TRUE(strings().IncrBy(0, "n", 1, &result).ok());
  EXPECT_EQ(Ttl(0, "n"), 4000);  // INCR keeps the deadline
  for (const char* bad : {" 1", "+1", "01", "-0", "1.5", "abc", "", "9223372036854775808"}) {
    Set(0, "bad", bad);
    Status s = strings().IncrBy(0, "bad", 1, &result);
    EXPECT_EQ(s.message(), "ERR value is not an integer or out of range") << bad;
  }
  Set(0, "max", "9223372036854775807");
  Status s = strings().IncrBy(0, "max", 1, &result);
  EXPECT_EQ(s.message(), "ERR increment or decrement would overflow");
  Set(0, "min", "-9223372036854775808");
  EXPECT_FALSE(strings().IncrBy(0, "min", -1, &result).ok());
  ASSERT_TRUE(strings().IncrBy(0, "min", std::numeric_limits<int64_t>::max(), &result).ok());
  EXPECT_EQ(result, -1);
  ExpectCounts(0, 4, 1);
}

TEST_F(StringTest, IncrByFloat) {
  std::string value;
  ASSERT_TRUE(strings().IncrByFloat(0, "f", 10.5L, &value).ok());
  EXPECT_EQ(value, "10.5");
  ASSERT_TRUE(strings().IncrByFloat(0, "f", 0.1L, &value).ok());
  EXPECT_EQ(value, "10.6");
  EXPECT_EQ(Get(0, "f"), "10.6");
  Set(0, "y", "1.5");
  ASSERT_TRUE(strings().IncrByFloat(0, "y", 1.0e3L, &value).ok());
  EXPECT_EQ(value, "1001.5");
  Set(0, "h", "0x10");
  ASSERT_TRUE(strings().IncrByFloat(0, "h", 1, &value).ok());
  EXPECT_EQ(value, "17");
  Set(0, "z", "3");
  ASSERT_TRUE(strings().IncrByFloat(0, "z", -3, &value).ok());
  EXPECT_EQ(value, "0");
  Set(0, "inf", "inf");
  Status s = strings().IncrByFloat(0, "inf", 1, &value);
  EXPECT_EQ(s.message(), "ERR increment would produce NaN or Infinity");
  Set(0, "bad", " 1.5");
  s = strings().IncrByFloat(0, "bad", 1, &value);
  EXPECT_EQ(s.message(), "ERR value is not a valid float");
}

TEST_F(StringTest, MGetMSetMSetNX) {
  std::vector<std::string> pairs = {"a", "1", "b", "2", "a", "3"};
  Set(0, "b", "old", kStartMs + 100);
  ASSERT_TRUE(strings().MSet(0, pairs).ok());
  EXPECT_EQ(Get(0, "a"), "3");  // the last value of a repeated key wins
  EXPECT_EQ(Ttl(0, "b"), -1);   // MSET clears deadlines
  ExpectCounts(0, 2, 0);
  std::vector<std::string> names = {"a", "missing", "b"};
  std::vector<std::optional<std::string>> values;
  ASSERT_TRUE(strings().MGet(0, names, &values).ok());
  EXPECT_EQ(values, (std::vector<std::optional<std::string>>{"3", std::nullopt, "2"}));
  bool written = true;
  std::vector<std::string> clash = {"c", "1", "a", "x"};
  ASSERT_TRUE(strings().MSetNX(0, clash, &written).ok());
  EXPECT_FALSE(written);
  EXPECT_EQ(Get(0, "c"), "(nil)");
  std::vector<std::string> fresh = {"c", "1", "d", "2", "c", "3"};
  ASSERT_TRUE(strings().MSetNX(0, fresh, &written).ok());
  EXPECT_TRUE(written);
  EXPECT_EQ(Get(0, "c"), "3");
  ExpectCounts(0, 4, 0);
  std::vector<std::string> odd = {"x"};
  EXPECT_TRUE(strings().MSet(0, odd).IsInvalidArgument());
}

}  // namespace
}  // namespace cairn
