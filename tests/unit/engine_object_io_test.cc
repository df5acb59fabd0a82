// engine/object_io: whole values of every type written as keys and read back (order, scores,
// deadlines, the OBJECT ENCODING flag, a new incarnation on replace), RESTORE's rules (BUSYKEY,
// a deadline in the past), SORT ... STORE's replace-or-delete and the hash field lookup.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "encoding/collection_layout.h"
#include "engine/key_batch.h"
#include "engine/object_io.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

class ObjectIOTest : public EngineTest {
 protected:
  RdbValue Value(ValueType type) {
    RdbValue value;
    value.type = type;
    return value;
  }

  void Put(int db, const std::string& key, const RdbValue& value, uint64_t expire_ms = 0) {
    RestoreOptions options;
    options.replace = true;
    options.expire_at_ms = expire_ms;
    RestoreResult result;
    Status s = RestoreObject(*storage_, db, key, value, options, &result);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  RdbValue Read(int db, const std::string& key, uint64_t* expire_ms = nullptr) {
    RdbValue value;
    Status s = ReadObject(*storage_, db, key, &value, expire_ms);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }

  bool LargeFlag(int db, const std::string& key) {
    KeyRef ref;
    StoredKey stored;
    EXPECT_TRUE(LookupKey(*storage_, db, key, &ref, &stored).ok());
    return (stored.meta().flags & kMetaFlagLargeEncoding) != 0;
  }
};

TEST_F(ObjectIOTest, EveryTypeRoundTrips) {
  RdbValue text = Value(ValueType::kString);
  text.string = std::string("bin\0ary", 7);
  RdbValue list = Value(ValueType::kList);
  list.elements = {"z", "a", "z", "", "m"};  // order and repeats are kept
  RdbValue set = Value(ValueType::kSet);
  set.elements = {"b", "a", "c"};
  RdbValue hash = Value(ValueType::kHash);
  hash.fields = {{"f2", "v2"}, {"f1", ""}};
  RdbValue zset = Value(ValueType::kZSet);
  zset.scored = {{"high", INFINITY}, {"low", -INFINITY}, {"mid", 0.5}, {"tie", 0.5}};
  Put(0, "s", text);
  Put(0, "l", list);
  Put(0, "set", set);
  Put(0, "h", hash);
  Put(0, "z", zset);
  Reopen();
  EXPECT_EQ(Read(0, "s").string, text.string);
  EXPECT_EQ(Read(0, "l").elements, list.elements);
  EXPECT_EQ(Read(0, "set").elements, (std::vector<std::string>{"a", "b", "c"}));
  RdbValue h = Read(0, "h");
  EXPECT_EQ(h.type, ValueType::kHash);
  EXPECT_EQ(h.fields, (std::vector<std::pair<std::string, std::string>>{{"f1", ""}, {"f2", "v2"}}));
  RdbValue z = Read(0, "z");
  ASSERT_EQ(z.scored.size(), 4u);
  EXPECT_EQ(z.scored[0], (std::pair<std::string, double>{"low", -INFINITY}));
  EXPECT_EQ(z.scored[1].first, "mid");
  EXPECT_EQ(z.scored[2].first, "tie");
  EXPECT_EQ(z.scored[3].first, "high");
  EXPECT_EQ(keys().DbSize(0), 5);
  ValueType type;
  ASSERT_TRUE(keys().Type(0, "z", &type).ok());
  EXPECT_EQ(type, ValueType::kZSet);
}

TEST_F(ObjectIOTest, ReplaceStartsANewIncarnation) {
  RdbValue big = Value(ValueType::kHash);
  for (int i = 0; i < 10; ++i) big.fields.emplace_back("f" + std::to_string(i), "v");
  Put(0, "h", big);
  RdbValue small = Value(ValueType::kHash);
  small.fields = {{"only", "1"}};
  Put(0, "h", small);
  EXPECT_EQ(Read(0, "h").fields, small.fields);
  RdbValue list = Value(ValueType::kList);
  list.elements = {"x"};
  Put(0, "h", list);
  EXPECT_EQ(Read(0, "h").elements, list.elements);
  EXPECT_EQ(keys().DbSize(0), 1);
}

TEST_F(ObjectIOTest, RestoreRules) {
  RdbValue value = Value(ValueType::kSet);
  value.elements = {"1"};
  RestoreOptions options;
  RestoreResult result;
  ASSERT_TRUE(RestoreObject(*storage_, 0, "k", value, options, &result).ok());
  EXPECT_TRUE(result.created);
  Status busy = RestoreObject(*storage_, 0, "k", value, options, &result);
  EXPECT_EQ(busy.message(), "BUSYKEY Target key name already exists.");
  // A deadline already passed: with replace, the old key goes and nothing is created.
  options.replace = true;
  options.expire_at_ms = kStartMs - 1;
  ASSERT_TRUE(RestoreObject(*storage_, 0, "k", value, options, &result).ok());
  EXPECT_TRUE(result.deleted);
  EXPECT_FALSE(result.created);
  EXPECT_EQ(keys().DbSize(0), 0);
  options.expire_at_ms = kStartMs + 5000;
  ASSERT_TRUE(RestoreObject(*storage_, 0, "k", value, options, &result).ok());
  uint64_t expire_ms = 0;
  Read(0, "k", &expire_ms);
  EXPECT_EQ(expire_ms, kStartMs + 5000);
  EXPECT_EQ(Ttl(0, "k"), 5000);
  clock_.AdvanceMs(5000);
  RdbValue out;
  EXPECT_TRUE(ReadObject(*storage_, 0, "k", &out).IsNotFound());
  // An expired key does not block RESTORE without REPLACE.
  options.replace = false;
  options.expire_at_ms = 0;
  EXPECT_TRUE(RestoreObject(*storage_, 0, "k", value, options, &result).ok());
}

TEST_F(ObjectIOTest, LargeEncodingFlagFollowsRedisLimits) {
  RdbValue ints = Value(ValueType::kSet);
  for (int i = 0; i < 512; ++i) ints.elements.push_back(std::to_string(i));
  Put(0, "ints", ints);
  EXPECT_FALSE(LargeFlag(0, "ints"));
  ints.elements.push_back("512");
  Put(0, "ints", ints);
  EXPECT_TRUE(LargeFlag(0, "ints"));
  RdbValue words = Value(ValueType::kSet);
  words.elements = {"a"};
  Put(0, "words", words);
  EXPECT_TRUE(LargeFlag(0, "words"));
  RdbValue zset = Value(ValueType::kZSet);
  zset.scored = {{std::string(64, 'm'), 1}};
  Put(0, "z", zset);
  EXPECT_FALSE(LargeFlag(0, "z"));
  storage_->encoding_limits().zset_max_listpack_value = 10;
  Put(0, "z", zset);
  EXPECT_TRUE(LargeFlag(0, "z"));
  RdbValue list = Value(ValueType::kList);
  list.elements.assign(1000, std::string(100, 'x'));
  Put(0, "l", list);
  EXPECT_FALSE(LargeFlag(0, "l"));
}

TEST_F(ObjectIOTest, StoreObjectReplacesOrDeletes) {
  Set(0, "dest", "old", kStartMs + 100000);
  RdbValue list = Value(ValueType::kList);
  list.elements = {"1", "2"};
  bool existed = false;
  ASSERT_TRUE(StoreObject(*storage_, 0, "dest", list, &existed).ok());
  EXPECT_TRUE(existed);
  EXPECT_EQ(Ttl(0, "dest"), -1);  // the deadline goes with the old value
  EXPECT_EQ(Read(0, "dest").elements, list.elements);
  list.elements.clear();
  ASSERT_TRUE(StoreObject(*storage_, 0, "dest", list, &existed).ok());
  EXPECT_TRUE(existed);
  EXPECT_EQ(keys().DbSize(0), 0);
  ASSERT_TRUE(StoreObject(*storage_, 0, "dest", list, &existed).ok());
  EXPECT_FALSE(existed);
  EXPECT_EQ(keys().DbSize(0), 0);
}

TEST_F(ObjectIOTest, HashFieldLookup) {
  RdbValue hash = Value(ValueType::kHash);
  hash.fields = {{"weight", "3"}};
  Put(0, "h", hash);
  Set(0, "s", "x");
  std::string value;
  bool found = false;
  ASSERT_TRUE(ReadHashField(*storage_, 0, "h", "weight", &found, &value).ok());
  EXPECT_TRUE(found);
  EXPECT_EQ(value, "3");
  EXPECT_TRUE(ReadHashField(*storage_, 0, "h", "nope", &found, &value).IsNotFound());
  EXPECT_TRUE(found);
  EXPECT_TRUE(ReadHashField(*storage_, 0, "s", "weight", &found, &value).IsNotFound());
  EXPECT_TRUE(found);
  EXPECT_TRUE(ReadHashField(*storage_, 0, "missing", "weight", &found, &value).IsNotFound());
  EXPECT_FALSE(found);
}

TEST_F(ObjectIOTest, ManyMembersInOneBatch) {
  RdbValue zset = Value(ValueType::kZSet);
  for (int i = 0; i < 50000; ++i) zset.scored.emplace_back("m" + std::to_string(i), i % 1000);
  Put(3, "big", zset);
  RdbValue out = Read(3, "big");
  ASSERT_EQ(out.scored.size(), 50000u);
  for (size_t i = 1; i < out.scored.size(); ++i) {
    ASSERT_LE(out.scored[i - 1].second, out.scored[i].second);
  }
  KeyRef ref;
  StoredKey stored;
  ASSERT_TRUE(LookupKey(*storage_, 3, "big", &ref, &stored).ok());
  EXPECT_EQ(stored.meta().size, 50000u);
}

}  // namespace
}  // namespace cairn
