// The collection skeleton: CollectionKey (lookup, type check, versions, metadata rewrite,
// delete of the last member, the large-encoding flag), MemberIterator's bounds, and the
// member collector reclaiming the members of dead key versions at compaction.
#include <rocksdb/db.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/keyspace.h"
#include "tests/unit/engine_collection_util.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

class CollectionTest : public EngineTest {
 protected:
  uint64_t SubSstBytes() {
    uint64_t bytes = 0;
    EXPECT_TRUE(storage_->rocks()->GetIntProperty(storage_->sub_cf(),
                                                  "rocksdb.total-sst-files-size", &bytes));
    return bytes;
  }

  void CompactSub() {
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    ASSERT_TRUE(
        storage_->rocks()->CompactRange(options, storage_->sub_cf(), nullptr, nullptr).ok());
  }

  void DeleteKey(const std::string& key, ValueType type = ValueType::kHash) {
    CollectionKey collection;
    ASSERT_TRUE(collection.Load(*storage_, 0, key, type).ok());
    ASSERT_TRUE(collection.exists());
    KeyBatch batch(storage_.get());
    collection.Update(&batch, 0);
    ASSERT_TRUE(batch.Commit().ok());
  }

  // Members of the key's live incarnation, through MemberIterator.
  std::vector<std::string> Members(const std::string& key, ValueType type) {
    CollectionKey collection;
    EXPECT_TRUE(collection.Load(*storage_, 0, key, type).ok());
    std::vector<std::string> members;
    MemberIterator it(*storage_, storage_->sub_cf(), collection.member_prefix());
    for (it.SeekToFirst(); it.Valid(); it.Next()) members.emplace_back(it.member_part());
    EXPECT_TRUE(it.status().ok());
    return members;
  }

  static RawMembers Numbered(const std::string& tag, int count) {
    RawMembers members;
    for (int i = 0; i < count; i++) {
      char name[32];
      snprintf(name, sizeof(name), "%s%07d", tag.c_str(), i);
      members.emplace_back(name, "value-" + std::to_string(i));
    }
    return members;
  }
};

TEST_F(CollectionTest, LoadOfMissingKeyIsAnEmptyCollectionWithAFreshVersion) {
  CollectionKey a;
  ASSERT_TRUE(a.Load(*storage_, 0, "h", ValueType::kHash).ok());
  EXPECT_FALSE(a.exists());
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.meta().type, ValueType::kHash);
  EXPECT_FALSE(a.large_encoding());
  CollectionKey b;
  ASSERT_TRUE(b.Load(*storage_, 0, "h", ValueType::kHash).ok());
  EXPECT_NE(a.meta().version, b.meta().version);
  EXPECT_EQ(keys().DbSize(0), 0);  // a lookup never creates the key
}

TEST_F(CollectionTest, UpdateWritesSizeAndFlagAndDeletesAtZero) {
  uint64_t version = WriteRawMembers(*storage_, 0, "h", ValueType::kHash, {{"f", "v"}}, true);
  CollectionKey key;
  ASSERT_TRUE(key.Load(*storage_, 0, "h", ValueType::kHash).ok());
  EXPECT_TRUE(key.exists());
  EXPECT_EQ(key.size(), 1u);
  EXPECT_EQ(key.meta().version, version);
  EXPECT_TRUE(key.large_encoding());
  EXPECT_EQ(keys().DbSize(0), 1);

  CollectionKey as_set;
  EXPECT_TRUE(as_set.Load(*storage_, 0, "h", ValueType::kSet).IsWrongType());
  Set(0, "str", "x");
  CollectionKey over_string;
  EXPECT_TRUE(over_string.Load(*storage_, 0, "str", ValueType::kHash).IsWrongType());

  KeyBatch batch(storage_.get());
  batch.batch()->Delete(storage_->sub_cf(), key.MemberKey("f"));
  key.Update(&batch, 0);
  ASSERT_TRUE(batch.Commit().ok());
  ValueType type;
  EXPECT_TRUE(keys().Type(0, "h", &type).IsNotFound());
  EXPECT_EQ(keys().DbSize(0), 1);  // only "str" is left
}

TEST_F(CollectionTest, ExpiredKeyGetsANewVersionAndStartsEmpty) {
  uint64_t old_version = WriteRawMembers(*storage_, 0, "h", ValueType::kHash, {{"f", "v"}});
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "h", kStartMs + 1000, {}, &applied).ok());
  ASSERT_TRUE(applied);
  clock_.AdvanceMs(2000);
  CollectionKey key;
  ASSERT_TRUE(key.Load(*storage_, 0, "h", ValueType::kSet).ok());  // expired: no type clash
  EXPECT_FALSE(key.exists());
  EXPECT_NE(key.meta().version, old_version);
  EXPECT_TRUE(Members("h", ValueType::kSet).empty());
}

TEST_F(CollectionTest, DeletedHugeCollectionIsReclaimedByCompaction) {
  constexpr int kMembers = 200000;
  WriteRawMembers(*storage_, 0, "big", ValueType::kHash, Numbered("field-", kMembers));
  ASSERT_TRUE(storage_->rocks()->Flush(rocksdb::FlushOptions(), storage_->sub_cf()).ok());
  uint64_t before = SubSstBytes();
  EXPECT_GT(before, 1000000u);
  EXPECT_EQ(CountEntries(storage_->sub_cf()), static_cast<size_t>(kMembers));

  DeleteKey("big");
  EXPECT_EQ(keys().DbSize(0), 0);
  CompactSub();
  uint64_t after = SubSstBytes();
  std::cout << "sub CF: " << before << " bytes before, " << after << " after compaction\n";
  EXPECT_LT(after, before / 100);
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 0u);
}

TEST_F(CollectionTest, RecreatedKeyKeepsItsMembersThroughCompaction) {
  WriteRawMembers(*storage_, 0, "h", ValueType::kHash, Numbered("old-", 1000));
  DeleteKey("h");
  WriteRawMembers(*storage_, 0, "h", ValueType::kHash, Numbered("new-", 300));
  WriteRawMembers(*storage_, 0, "other", ValueType::kHash, Numbered("x-", 50));
  CompactSub();
  std::vector<std::string> members = Members("h", ValueType::kHash);
  ASSERT_EQ(members.size(), 300u);
  EXPECT_EQ(members.front(), "new-0000000");
  EXPECT_EQ(Members("other", ValueType::kHash).size(), 50u);
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 350u);  // the old version's members are gone
}

TEST_F(CollectionTest, ExpiredButPresentKeyKeepsMembersUntilReclaimed) {
  WriteRawMembers(*storage_, 0, "h", ValueType::kHash, Numbered("f-", 500));
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "h", kStartMs + 1000, {}, &applied).ok());
  clock_.AdvanceMs(5000);
  CompactSub();
  // Logically gone, but its metadata (and so its version) is still there: the collector
  // keeps the members until expiry removes the metadata.
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 500u);
  EXPECT_EQ(keys().DbSize(0), 1);

  EXPECT_EQ(storage_->RunExpiryPass(), 1u);
  EXPECT_EQ(keys().DbSize(0), 0);
  CompactSub();
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 0u);
}

TEST_F(CollectionTest, StringOverwriteKillsTheMembers) {
  WriteRawMembers(*storage_, 0, "k", ValueType::kSet, Numbered("m", 100));
  Set(0, "k", "now a string");
  CompactSub();
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 0u);
  EXPECT_EQ(Get(0, "k"), "now a string");
}

class MemberIteratorTest : public CollectionTest {
 protected:
  void SetUp() override {
    CollectionTest::SetUp();
    // Neighbours on every side: a dead older version of the same key, keys whose names
    // extend or prefix it, and the same name in another db.
    WriteRawMembers(*storage_, 0, "k", ValueType::kSet, {{"dead", ""}});
    DeleteKey("k", ValueType::kSet);
    WriteRawMembers(*storage_, 0, "k", ValueType::kSet, {{"b", ""}, {"d", ""}, {"f", ""}});
    WriteRawMembers(*storage_, 0, "k\x01", ValueType::kSet, {{"a", ""}, {"z", ""}});
    WriteRawMembers(*storage_, 0, "", ValueType::kSet, {{"a", ""}});
    WriteRawMembers(*storage_, 1, "k", ValueType::kSet, {{"a", ""}, {"z", ""}});
    ASSERT_TRUE(key_.Load(*storage_, 0, "k", ValueType::kSet).ok());
    iterator_ =
        std::make_unique<MemberIterator>(*storage_, storage_->sub_cf(), key_.member_prefix());
  }

  void TearDown() override {
    iterator_.reset();  // before the database closes
    CollectionTest::TearDown();
  }

  std::string At() { return iterator_->Valid() ? std::string(iterator_->member_part()) : "-"; }

  CollectionKey key_;
  std::unique_ptr<MemberIterator> iterator_;
};

TEST_F(MemberIteratorTest, ForwardAndReverseStayInsideTheKey) {
  std::string forward;
  for (iterator_->SeekToFirst(); iterator_->Valid(); iterator_->Next()) forward += At();
  EXPECT_EQ(forward, "bdf");
  std::string reverse;
  for (iterator_->SeekToLast(); iterator_->Valid(); iterator_->Prev()) reverse += At();
  EXPECT_EQ(reverse, "fdb");
  EXPECT_TRUE(iterator_->status().ok());
}

TEST_F(MemberIteratorTest, SeekAndSeekForPrevLandOnNeighboursOrNothing) {
  iterator_->Seek("c");
  EXPECT_EQ(At(), "d");
  iterator_->Seek("d");
  EXPECT_EQ(At(), "d");
  iterator_->Seek("");
  EXPECT_EQ(At(), "b");
  iterator_->Seek("g");
  EXPECT_EQ(At(), "-");
  iterator_->SeekForPrev("e");
  EXPECT_EQ(At(), "d");
  iterator_->SeekForPrev("d");
  EXPECT_EQ(At(), "d");
  iterator_->SeekForPrev("a");
  EXPECT_EQ(At(), "-");
  iterator_->SeekForPrev("\xff\xff");
  EXPECT_EQ(At(), "f");
  iterator_->Seek("b");
  iterator_->Prev();
  EXPECT_EQ(At(), "-");
  iterator_->Seek("f");
  iterator_->Next();
  EXPECT_EQ(At(), "-");
}

TEST_F(MemberIteratorTest, ValueAndRawKeyOfTheCurrentMember) {
  WriteRawMembers(*storage_, 0, "h", ValueType::kHash, {{"field", "value"}});
  CollectionKey hash;
  ASSERT_TRUE(hash.Load(*storage_, 0, "h", ValueType::kHash).ok());
  MemberIterator it(*storage_, storage_->sub_cf(), hash.member_prefix());
  it.SeekToFirst();
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(it.value(), "value");
  EXPECT_EQ(it.raw_key().ToString(), hash.MemberKey("field"));
}

}  // namespace
}  // namespace cairn
