// Whole small collections in the hot cache (engine/member_cache.h): snapshots filled by reads
// and then served without RocksDB, MemberIterator over a snapshot behaving as over RocksDB,
// every kind of member write erasing the snapshot, re-created keys, failed batches,
// transactions, large collections left out, and eviction under a tiny budget.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "encoding/collection_layout.h"
#include "encoding/sub_key.h"
#include "engine/collection.h"
#include "engine/hash.h"
#include "engine/hot_cache.h"
#include "engine/list.h"
#include "engine/member_cache.h"
#include "engine/set.h"
#include "engine/transaction_batch.h"
#include "engine/zset.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

using Strings = std::vector<std::string>;

TEST(MemberSnapshotTest, BuildsAndSearchesWithinTheLimits) {
  MemberSnapshot::Builder builder;
  ASSERT_TRUE(builder.Add("a", "1"));
  ASSERT_TRUE(builder.Add("c", ""));
  ASSERT_TRUE(builder.Add("e", "5"));
  std::shared_ptr<const MemberSnapshot> snapshot = builder.Finish();
  ASSERT_EQ(snapshot->size(), 3u);
  EXPECT_EQ(snapshot->LowerBound(""), 0u);
  EXPECT_EQ(snapshot->LowerBound("b"), 1u);
  EXPECT_EQ(snapshot->LowerBound("c"), 1u);
  EXPECT_EQ(snapshot->LowerBound("f"), 3u);
  std::string_view value;
  EXPECT_TRUE(snapshot->Find("e", &value));
  EXPECT_EQ(value, "5");
  EXPECT_FALSE(snapshot->Find("d", &value));

  MemberSnapshot::Builder too_many;
  for (uint64_t i = 0; i < kSnapshotMaxMembers; i++)
    ASSERT_TRUE(too_many.Add(EncodeListIndex(i), ""));
  EXPECT_FALSE(too_many.Add(EncodeListIndex(kSnapshotMaxMembers), ""));
  MemberSnapshot::Builder too_big;
  EXPECT_FALSE(too_big.Add("a", std::string(kSnapshotMaxBytes, 'x')));
}

TEST(MemberSnapshotTest, SnapshotKeysNeverMeetMetaKeys) {
  std::string prefix = EncodeSubKeyPrefix(254, 5, "k", 7);
  std::string key = MemberSnapshotKey(MemberColumn::kSub, prefix);
  EXPECT_EQ(key[0], kSnapshotKeyMarker);
  std::string of_member;
  ASSERT_TRUE(MemberSnapshotKeyOf(MemberColumn::kSub, prefix + "field", &of_member));
  EXPECT_EQ(of_member, key);
  EXPECT_NE(MemberSnapshotKey(MemberColumn::kZScore, prefix), key);
  EXPECT_FALSE(MemberSnapshotKeyOf(MemberColumn::kSub, "\x01", &of_member));
}

class MemberCacheTest : public EngineTest {
 protected:
  Hashes& hashes() { return storage_->hashes(); }
  Sets& sets() { return storage_->sets(); }
  Lists& lists() { return storage_->lists(); }
  ZSets& zsets() { return storage_->zsets(); }
  HotCacheStats Stats() { return storage_->hot_cache().Stats(); }

  void Check(const Status& s) { ASSERT_TRUE(s.ok()) << s.ToString(); }

  void HSet(const std::string& key, const Strings& field_values) {
    int64_t added = 0;
    Check(hashes().Set(0, key, field_values, &added));
  }
  void SAdd(const std::string& key, const Strings& members) {
    uint64_t added = 0;
    bool created = false;
    Check(sets().Add(0, key, members, &added, &created));
  }
  void RPush(const std::string& key, const Strings& elements) {
    uint64_t length = 0;
    Check(lists().Push(0, key, ListEnd::kRight, elements, false, &length));
  }
  void ZAdd(const std::string& key, const std::vector<ScoredMember>& members,
            bool increment = false) {
    ZAddOptions options;
    options.increment = increment;
    ZAddResult result;
    Check(zsets().Add(0, key, options, members, &result));
  }

  // Everything the read commands answer about a collection: the whole of it plus point
  // reads of a few members, so both paths are compared.
  std::string Dump(ValueType type, const std::string& key) {
    std::string out;
    switch (type) {
      case ValueType::kHash:
        DumpHash(key, &out);
        break;
      case ValueType::kSet:
        DumpSet(key, &out);
        break;
      case ValueType::kList:
        DumpList(key, &out);
        break;
      case ValueType::kZSet:
        DumpZSet(key, &out);
        break;
      default:
        ADD_FAILURE() << "no collection type";
    }
    return out;
  }

  // What RocksDB itself holds: a transaction's reads bypass the cache.
  std::string Truth(ValueType type, const std::string& key) {
    TransactionBatch txn(storage_.get());
    return Dump(type, key);
  }

  // Whether the snapshot of `key`'s current incarnation in `column` is cached (not just the
  // marker of an oversized collection).
  bool Snapshotted(ValueType type, const std::string& key,
                   MemberColumn column = MemberColumn::kSub) {
    CollectionKey collection;
    if (!collection.Load(*storage_, 0, key, type).ok() || !collection.exists()) return false;
    HotCache::Ticket ticket;
    auto snapshot =
        std::static_pointer_cast<const MemberSnapshot>(storage_->hot_cache().LookupValue(
            MemberSnapshotKey(column, collection.member_prefix()), &ticket));
    return snapshot != nullptr && !snapshot->oversized();
  }

 private:
  static const Strings& Probes() {
    static const Strings probes = {"a", "b", "c", "x", "new"};
    return probes;
  }

  void DumpHash(const std::string& key, std::string* out) {
    Strings all;
    Status s = hashes().GetAll(0, key, HashParts::kFieldsAndValues, &all);
    for (const std::string& part : all) *out += part + ",";
    std::vector<std::optional<std::string>> values;
    s = hashes().MultiGet(0, key, Probes(), &values);
    for (const auto& value : values) *out += "|" + value.value_or("(nil)");
    bool exists = false;
    s = hashes().Exists(0, key, "a", &exists);
    *out += exists ? "|a-exists" : "";
  }
  void DumpSet(const std::string& key, std::string* out) {
    Strings members;
    KeyLookups lookups;
    Status s = sets().Combine(0, SetOperation::kUnion, Strings{key}, &members, &lookups);
    for (const std::string& member : members) *out += member + ",";
    std::vector<bool> flags;
    bool exists = false;
    s = sets().IsMember(0, key, Probes(), &flags, &exists);
    for (bool flag : flags) *out += flag ? "|1" : "|0";
  }
  void DumpList(const std::string& key, std::string* out) {
    Strings elements;
    Status s = lists().Range(0, key, 0, -1, &elements);
    for (const std::string& element : elements) *out += element + ",";
    for (int64_t index : {0, 1, -1}) {
      std::optional<std::string> element;
      s = lists().Index(0, key, index, &element);
      *out += "|" + element.value_or("(nil)");
    }
  }
  void DumpZSet(const std::string& key, std::string* out) {
    std::vector<ScoredMember> members;
    Status s = zsets().Range(0, key, ZRangeSpec(), &members);
    for (const ScoredMember& member : members) {
      *out += member.member + ":" + std::to_string(member.score) + ",";
    }
    std::vector<std::optional<double>> scores;
    s = zsets().Scores(0, key, Probes(), &scores);
    for (const auto& score : scores) *out += score ? "|" + std::to_string(*score) : "|(nil)";
  }
};

TEST_F(MemberCacheTest, ReadsFillThenHitsTouchNoRocksDB) {
  HSet("h", {"a", "1", "b", "2"});
  std::string before = Dump(ValueType::kHash, "h");
  EXPECT_EQ(before, "a,1,b,2,|1|2|(nil)|(nil)|(nil)|a-exists");
  ASSERT_TRUE(Snapshotted(ValueType::kHash, "h"));
  // Behind the engine's back: only a read that goes to RocksDB could notice.
  CollectionKey hash;
  Check(hash.Load(*storage_, 0, "h", ValueType::kHash));
  ASSERT_TRUE(storage_->rocks()
                  ->Delete(rocksdb::WriteOptions(), storage_->sub_cf(), hash.MemberKey("a"))
                  .ok());
  storage_->hot_cache().ResetStats();
  EXPECT_EQ(Dump(ValueType::kHash, "h"), before);
  EXPECT_EQ(Stats().misses, 0u);
  EXPECT_GT(Stats().hits, 0u);
  EXPECT_NE(Truth(ValueType::kHash, "h"), before);
}

TEST_F(MemberCacheTest, EveryTypeIsServedFromItsSnapshot) {
  SAdd("s", {"a", "b"});
  RPush("l", {"a", "b", "c"});
  ZAdd("z", {{"a", 1}, {"b", 2}});
  for (auto [type, key] : {std::pair{ValueType::kSet, "s"}, std::pair{ValueType::kList, "l"},
                           std::pair{ValueType::kZSet, "z"}}) {
    std::string first = Dump(type, key);
    storage_->hot_cache().ResetStats();
    EXPECT_EQ(Dump(type, key), first) << key;
    EXPECT_EQ(Stats().misses, 0u) << key;
    EXPECT_TRUE(Snapshotted(type, key)) << key;
  }
  EXPECT_TRUE(Snapshotted(ValueType::kZSet, "z", MemberColumn::kZScore));
}

// One write step of a scenario: it runs between a read that cached the collection and a
// read that must see the write.
struct WriteStep {
  std::string name;
  std::function<void()> write;
};

class MemberWritesTest : public MemberCacheTest {
 protected:
  void Run(ValueType type, const std::string& key, const std::vector<WriteStep>& steps) {
    for (const WriteStep& step : steps) {
      Dump(type, key);
      EXPECT_TRUE(Snapshotted(type, key)) << "before " << step.name;
      step.write();
      EXPECT_EQ(Dump(type, key), Truth(type, key)) << "after " << step.name;
    }
  }
};

TEST_F(MemberWritesTest, HashWritesInvalidate) {
  HSet("h", {"a", "1", "b", "2"});
  int64_t removed = 0;
  bool key_removed = false;
  int64_t counter = 0;
  bool written = false;
  Run(ValueType::kHash, "h",
      {{"HSET new field",
        [&] {
          HSet("h", {"c", "3"});
        }},
       {"HSET existing field",
        [&] {
          HSet("h", {"a", "10"});
        }},
       {"HDEL", [&] { Check(hashes().Delete(0, "h", Strings{"b"}, &removed, &key_removed)); }},
       {"HINCRBY", [&] { Check(hashes().IncrBy(0, "h", "c", 5, &counter)); }},
       {"HSETNX", [&] { Check(hashes().SetIfAbsent(0, "h", "x", "9", &written)); }}});
  EXPECT_EQ(Dump(ValueType::kHash, "h"), "a,10,c,8,x,9,|10|(nil)|8|9|(nil)|a-exists");
}

TEST_F(MemberWritesTest, SetWritesInvalidate) {
  SAdd("s", {"a", "b", "c", "d"});
  uint64_t removed = 0;
  bool deleted = false;
  Strings popped;
  Run(ValueType::kSet, "s",
      {{"SADD", [&] { SAdd("s", {"x"}); }},
       {"SREM", [&] { Check(sets().Remove(0, "s", Strings{"a"}, &removed, &deleted)); }},
       {"SPOP", [&] { Check(sets().Pop(0, "s", 1, &popped, &deleted)); }}});
  EXPECT_EQ(popped.size(), 1u);
}

TEST_F(MemberWritesTest, ListWritesInvalidate) {
  Strings hundred;
  for (int i = 0; i < 100; i++) hundred.push_back("e" + std::to_string(i));
  RPush("l", hundred);
  uint64_t length = 0;
  uint64_t removed = 0;
  Strings popped;
  Run(ValueType::kList, "l",
      {{"LPUSH",
        [&] { Check(lists().Push(0, "l", ListEnd::kLeft, Strings{"a"}, false, &length)); }},
       {"RPOP", [&] { Check(lists().Pop(0, "l", ListEnd::kRight, 1, &popped)); }},
       {"LSET", [&] { Check(lists().Set(0, "l", 1, "b")); }},
       // Drops more than 64 elements: one range tombstone.
       {"LTRIM", [&] { Check(lists().Trim(0, "l", 0, 9, &length)); }},
       {"LREM", [&] { Check(lists().Remove(0, "l", 0, "b", &removed, &length)); }}});
  EXPECT_EQ(Dump(ValueType::kList, "l"), "a,e1,e2,e3,e4,e5,e6,e7,e8,|a|e1|e8");
}

TEST_F(MemberWritesTest, SortedSetWritesInvalidate) {
  ZAdd("z", {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});
  uint64_t removed = 0;
  Run(ValueType::kZSet, "z",
      {{"ZADD new",
        [&] {
          ZAdd("z", {{"x", 0.5}});
        }},
       {"ZADD existing",
        [&] {
          ZAdd("z", {{"a", 7}});
        }},
       {"ZINCRBY",
        [&] {
          ZAdd("z", {{"b", 10}}, /*increment=*/true);
        }},
       {"ZREM", [&] { Check(zsets().Remove(0, "z", Strings{"c"}, &removed)); }}});
  // ZREMRANGEBYRANK changes the order index: check the zscore snapshot as well.
  Dump(ValueType::kZSet, "z");
  ASSERT_TRUE(Snapshotted(ValueType::kZSet, "z", MemberColumn::kZScore));
  ZRangeSpec first_two;
  first_two.stop = 1;
  Check(zsets().RemoveRange(0, "z", first_two, &removed));
  EXPECT_EQ(removed, 2u);
  EXPECT_EQ(Dump(ValueType::kZSet, "z"), Truth(ValueType::kZSet, "z"));
  EXPECT_EQ(Dump(ValueType::kZSet, "z"),
            "a:7.000000,b:12.000000,|7.000000|12.000000|(nil)|(nil)|(nil)");
}

TEST_F(MemberCacheTest, DeletedAndRecreatedKeysNeverSeeOldMembers) {
  HSet("h", {"a", "1"});
  Dump(ValueType::kHash, "h");
  int64_t deleted = 0;
  Check(keys().Delete(0, Strings{"h"}, &deleted));
  HSet("h", {"b", "2"});
  EXPECT_EQ(Dump(ValueType::kHash, "h"), "b,2,|(nil)|2|(nil)|(nil)|(nil)");

  // Expired, then re-created by a write.
  bool applied = false;
  Check(keys().Expire(0, "h", static_cast<int64_t>(clock_.NowMs()) + 1000, ExpireCondition(),
                      &applied));
  Dump(ValueType::kHash, "h");
  clock_.AdvanceMs(2000);
  EXPECT_EQ(Dump(ValueType::kHash, "h"), "|(nil)|(nil)|(nil)|(nil)|(nil)");
  HSet("h", {"c", "3"});
  EXPECT_EQ(Dump(ValueType::kHash, "h"), "c,3,|(nil)|(nil)|3|(nil)|(nil)");
}

TEST_F(MemberCacheTest, RenamedCopiedAndFlushedKeysAreNeverStale) {
  SAdd("s", {"a"});
  SAdd("t", {"b"});
  Dump(ValueType::kSet, "s");
  Dump(ValueType::kSet, "t");
  bool renamed = false;
  Check(keys().Rename(0, "s", "t", false, &renamed));
  EXPECT_EQ(Dump(ValueType::kSet, "t"), "a,|1|0|0|0|0");
  bool copied = false;
  Check(keys().Copy(0, "t", 0, "u", false, &copied));
  SAdd("u", {"b"});
  EXPECT_EQ(Dump(ValueType::kSet, "t"), "a,|1|0|0|0|0");
  EXPECT_EQ(Dump(ValueType::kSet, "u"), "a,b,|1|1|0|0|0");
  Check(keys().FlushDB(0));
  EXPECT_FALSE(Snapshotted(ValueType::kSet, "u"));
  SAdd("u", {"c"});
  EXPECT_EQ(Dump(ValueType::kSet, "u"), "c,|0|0|1|0|0");
}

TEST_F(MemberCacheTest, FailedBatchInvalidates) {
  HSet("h", {"a", "1"});
  Dump(ValueType::kHash, "h");
  CollectionKey hash;
  Check(hash.Load(*storage_, 0, "h", ValueType::kHash));
  // A write that reached RocksDB while its commit reported failure.
  rocksdb::WriteBatch batch;
  batch.Put(storage_->sub_cf(), hash.MemberKey("a"), "2");
  ASSERT_TRUE(storage_->rocks()->Write(rocksdb::WriteOptions(), &batch).ok());
  EXPECT_EQ(Dump(ValueType::kHash, "h"), "a,1,|1|(nil)|(nil)|(nil)|(nil)|a-exists");
  storage_->hot_cache().Invalidate(batch, storage_->meta_cf()->GetID());
  EXPECT_FALSE(Snapshotted(ValueType::kHash, "h"));
  EXPECT_EQ(Dump(ValueType::kHash, "h"), "a,2,|2|(nil)|(nil)|(nil)|(nil)|a-exists");
}

TEST_F(MemberCacheTest, TransactionsReadTheirPendingWrites) {
  HSet("h", {"a", "1"});
  std::string committed = Dump(ValueType::kHash, "h");
  std::string inside;
  {
    TransactionBatch txn(storage_.get());
    HSet("h", {"b", "2"});
    inside = Dump(ValueType::kHash, "h");
    std::string elsewhere;
    std::thread reader([&] { elsewhere = Dump(ValueType::kHash, "h"); });
    reader.join();
    EXPECT_EQ(elsewhere, committed);
    Check(txn.Commit());
  }
  EXPECT_EQ(inside, "a,1,b,2,|1|2|(nil)|(nil)|(nil)|a-exists");
  EXPECT_EQ(Dump(ValueType::kHash, "h"), inside);
}

TEST_F(MemberCacheTest, LargeCollectionsAreNotSnapshotted) {
  Strings many;
  for (uint64_t i = 0; i <= kSnapshotMaxMembers; i++) {
    many.push_back("f" + std::to_string(i));
    many.push_back("v");
  }
  HSet("many", many);
  Dump(ValueType::kHash, "many");
  EXPECT_FALSE(Snapshotted(ValueType::kHash, "many"));
  // Few members, too many bytes.
  HSet("wide", {"a", std::string(kSnapshotMaxBytes, 'x'), "b", "1"});
  std::string wide = Dump(ValueType::kHash, "wide");
  EXPECT_FALSE(Snapshotted(ValueType::kHash, "wide"));
  EXPECT_EQ(Dump(ValueType::kHash, "wide"), wide);
  // Shrunk below the limit, it is cached whole again.
  int64_t removed = 0;
  bool key_removed = false;
  Check(hashes().Delete(0, "wide", Strings{"a"}, &removed, &key_removed));
  EXPECT_EQ(Dump(ValueType::kHash, "wide"), "b,1,|(nil)|1|(nil)|(nil)|(nil)");
  EXPECT_TRUE(Snapshotted(ValueType::kHash, "wide"));
}

TEST_F(MemberCacheTest, EvictionUnderATinyBudget) {
  options_.hot_cache_bytes = 64 << 10;
  options_.hot_cache_shards = 1;
  Reopen();
  const int kKeys = 200;
  for (int k = 0; k < kKeys; k++) {
    std::string key = "h" + std::to_string(k);
    HSet(key, {"a", std::to_string(k), "b", std::string(200, 'y')});
  }
  for (int round = 0; round < 3; round++) {
    for (int k = 0; k < kKeys; k++) {
      std::string key = "h" + std::to_string(k);
      ASSERT_EQ(Dump(ValueType::kHash, key).substr(0, 4 + std::to_string(k).size()),
                "a," + std::to_string(k) + ",b");
    }
  }
  HotCacheStats stats = Stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LE(stats.usage_bytes, stats.capacity_bytes);
}

// The same moves over a snapshot and over RocksDB land on the same members.
TEST_F(MemberCacheTest, SnapshotIteratorMatchesRocksDBIterator) {
  HSet("h", {"b", "1", "d", "2", "f", "3"});
  CollectionKey hash;
  Check(hash.Load(*storage_, 0, "h", ValueType::kHash, MemberReads::kCached));
  MemberIterator cached(hash, storage_->sub_cf());
  MemberIterator direct(*storage_, storage_->sub_cf(), hash.member_prefix());
  ASSERT_TRUE(Snapshotted(ValueType::kHash, "h"));
  auto same = [&](const std::string& what) {
    ASSERT_EQ(cached.Valid(), direct.Valid()) << what;
    if (!direct.Valid()) return;
    EXPECT_EQ(cached.member_part(), direct.member_part()) << what;
    EXPECT_EQ(cached.value(), direct.value()) << what;
    EXPECT_EQ(cached.raw_key().ToString(), direct.raw_key().ToString()) << what;
  };
  auto both = [&](const std::function<void(MemberIterator&)>& move, const std::string& what) {
    move(cached);
    move(direct);
    same(what);
  };
  both([](MemberIterator& it) { it.SeekToFirst(); }, "first");
  both([](MemberIterator& it) { it.Prev(); }, "before first");
  both([](MemberIterator& it) { it.SeekToLast(); }, "last");
  both([](MemberIterator& it) { it.Next(); }, "after last");
  for (const char* target : {"", "a", "b", "c", "f", "g"}) {
    both([&](MemberIterator& it) { it.Seek(target); }, std::string("seek ") + target);
    both([&](MemberIterator& it) { it.SeekForPrev(target); }, std::string("prev ") + target);
  }
  both([](MemberIterator& it) { it.Seek("c"); }, "seek c");
  both([](MemberIterator& it) { it.Next(); }, "next");
  both([](MemberIterator& it) { it.Prev(); }, "prev");
  EXPECT_TRUE(cached.status().ok());
}

}  // namespace
}  // namespace cairn
