// DeadRanges on its own (recording, merging, splitting on puts, growing on deletes, bounds)
// and through MemberIterator on a real Storage: walks over many deleted members record
// ranges, later walks skip them, and a randomized run of puts, deletes and positionings
// always agrees with a reference map.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/dead_ranges.h"
#include "engine/key_batch.h"
#include "engine/transaction_batch.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

RangeEnd End(std::string part) { return RangeEnd{std::move(part), false}; }
RangeEnd Infinite() { return RangeEnd{{}, true}; }

// "where a forward seek to `part` resumes", "-" when it is not inside a range.
std::string Forward(const DeadRanges& ranges, std::string_view part) {
  RangeEnd resume;
  if (!ranges.SkipForward("k", part, &resume)) return "-";
  return resume.infinite ? "inf" : resume.part;
}

TEST(DeadRangesTest, RecordedRangesAnswerSeeksInsideThemOnly) {
  DeadRanges ranges;
  EXPECT_EQ(Forward(ranges, "a"), "-");
  ranges.Record("k", "b", End("d"));
  EXPECT_EQ(Forward(ranges, "a"), "-");
  EXPECT_EQ(Forward(ranges, "b"), "d");
  EXPECT_EQ(Forward(ranges, "c"), "d");
  EXPECT_EQ(Forward(ranges, "d"), "-");
  EXPECT_TRUE(ranges.Has("k"));
  EXPECT_FALSE(ranges.Has("other"));
  std::string resume;
  EXPECT_TRUE(ranges.SkipBackward("k", "c", false, &resume));
  EXPECT_EQ(resume, "b");
  EXPECT_FALSE(ranges.SkipBackward("k", "d", false, &resume));
  EXPECT_FALSE(ranges.SkipBackward("k", "", true, &resume));
  ranges.Record("k", "x", Infinite());
  EXPECT_TRUE(ranges.SkipBackward("k", "", true, &resume));
  EXPECT_EQ(resume, "x");
  EXPECT_EQ(Forward(ranges, "zzz"), "inf");
}

TEST(DeadRangesTest, OverlappingAndTouchingRangesMerge) {
  DeadRanges ranges;
  ranges.Record("k", "c", End("e"));
  ranges.Record("k", "a", End("c"));  // touches
  EXPECT_EQ(Forward(ranges, "a"), "e");
  ranges.Record("k", "d", End("g"));  // overlaps
  EXPECT_EQ(Forward(ranges, "b"), "g");
  ranges.Record("k", "h", End("j"));  // apart
  EXPECT_EQ(Forward(ranges, "g"), "-");
  ranges.Record("k", "f", Infinite());  // swallows the rest
  EXPECT_EQ(Forward(ranges, "a"), "inf");
  ranges.Record("k", "q", End("q"));  // empty: ignored
  EXPECT_EQ(ranges.keys(), 1u);
}

TEST(DeadRangesTest, APutSplitsItsRangeAndADeleteNextToOneExtendsIt) {
  DeadRanges ranges;
  ranges.Record("k", "a", End("m"));
  ranges.Put("k", "f");
  EXPECT_EQ(Forward(ranges, "b"), "f");
  EXPECT_EQ(Forward(ranges, "f"), "-");
  EXPECT_EQ(Forward(ranges, std::string("f\0", 2)), "m");
  // Deleting the member again joins both halves.
  ranges.Delete("k", "f");
  EXPECT_EQ(Forward(ranges, "b"), "m");
  // A delete right at a range's end extends it; one away from every range does nothing.
  ranges.Delete("k", "m");
  EXPECT_EQ(Forward(ranges, "b"), std::string("m\0", 2));
  ranges.Delete("k", "t");
  EXPECT_EQ(Forward(ranges, "t"), "-");
  // A put outside every range, or of a range's first member, keeps what is still true.
  ranges.Put("k", "z");
  ranges.Put("k", "a");
  EXPECT_EQ(Forward(ranges, "a"), "-");
  EXPECT_EQ(Forward(ranges, "b"), std::string("m\0", 2));
  // Split until nothing is left: the key is forgotten.
  ranges.Clear();
  ranges.Record("k", "a", End(std::string("a\0", 2)));
  ranges.Put("k", "a");
  EXPECT_FALSE(ranges.Has("k"));
  EXPECT_EQ(ranges.keys(), 0u);
}

TEST(DeadRangesTest, BoundsAreKeptAndWidenedByPuts) {
  DeadRanges ranges;
  std::string first;
  std::string last;
  EXPECT_FALSE(ranges.Bounds("k", &first, &last));
  ranges.SetBounds("k", "c", "m");
  EXPECT_FALSE(ranges.Has("k")) << "bounds are no dead ranges";
  ranges.Delete("k", "c");
  ranges.Put("k", "f");
  ASSERT_TRUE(ranges.Bounds("k", &first, &last));
  EXPECT_EQ(first + "-" + last, "c-m");
  ranges.Put("k", "a");
  ranges.Put("k", "x");
  ASSERT_TRUE(ranges.Bounds("k", &first, &last));
  EXPECT_EQ(first + "-" + last, "a-x");
  // A put that empties the dead ranges keeps the bounds.
  ranges.Record("k", "p", End(std::string("p\0", 2)));
  ranges.Put("k", "p");
  EXPECT_TRUE(ranges.Bounds("k", &first, &last));
}

TEST(DeadRangesTest, MemoryStaysBounded) {
  DeadRanges ranges;
  char low[16];
  char high[16];
  for (size_t i = 0; i < DeadRanges::kMaxRangesPerKey + 50; ++i) {
    std::snprintf(low, sizeof(low), "m%06zu", 2 * i);
    std::snprintf(high, sizeof(high), "m%06zu", 2 * i + 1);
    ranges.Record("k", low, End(high));
  }
  std::snprintf(low, sizeof(low), "m%06zu", 2 * (DeadRanges::kMaxRangesPerKey + 10));
  EXPECT_EQ(Forward(ranges, low), "-") << "ranges past the cap are not recorded";
  EXPECT_EQ(Forward(ranges, "m000000"), "m000001");
  // Old incarnations are forgotten once a shard holds too many.
  for (int i = 0; i < 2000; ++i) ranges.Record("key" + std::to_string(i), "a", End("b"));
  EXPECT_LE(ranges.keys(), 16 * DeadRanges::kMaxKeysPerShard);
}

// A set of numbered members in a real Storage, walked through MemberIterator.
class DeadRangesWalkTest : public EngineTest {
 protected:
  static std::string Member(int i) {
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "m%06d", i);
    return buffer;
  }

  void Write(const std::vector<int>& puts, const std::vector<int>& deletes) {
    ASSERT_TRUE(key_.Load(*storage_, 0, "s", ValueType::kSet).ok());
    KeyBatch batch(storage_.get());
    for (int i : puts) {
      batch.batch()->Put(storage_->sub_cf(), key_.MemberKey(Member(i)), "v");
      reference_[Member(i)] = true;
    }
    for (int i : deletes) {
      batch.batch()->Delete(storage_->sub_cf(), key_.MemberKey(Member(i)));
      reference_.erase(Member(i));
    }
    // The size only has to keep the key alive; the walks read members.
    key_.Update(&batch, reference_.empty() ? 1 : reference_.size());
    ASSERT_TRUE(batch.Commit().ok());
  }

  std::string Found(const MemberIterator& it) {
    return it.Valid() ? std::string(it.member_part()) : std::string("<none>");
  }
  std::string ExpectedAtOrAfter(const std::string& part) {
    auto it = reference_.lower_bound(part);
    return it == reference_.end() ? "<none>" : it->first;
  }
  std::string ExpectedAtOrBefore(const std::string& part) {
    auto it = reference_.upper_bound(part);
    return it == reference_.begin() ? "<none>" : std::prev(it)->first;
  }

  std::unique_ptr<MemberIterator> Open() {
    return std::make_unique<MemberIterator>(*storage_, storage_->sub_cf(), key_.member_prefix());
  }

  DeadRanges& dead() { return *storage_->WalkDeadRanges(); }

  CollectionKey key_;
  std::map<std::string, bool> reference_;
};

TEST_F(DeadRangesWalkTest, AWalkOverManyDeletedMembersRecordsThemAndStaysCorrect) {
  std::vector<int> all;
  for (int i = 0; i < 1000; ++i) all.push_back(i);
  Write(all, {});
  std::vector<int> front(all.begin(), all.begin() + 600);
  std::vector<int> back(all.end() - 300, all.end());
  Write({}, front);
  Write({}, back);
  EXPECT_EQ(dead().keys(), 0u);
  auto it_owner = Open();
  MemberIterator& it = *it_owner;
  it.SeekToFirst();
  EXPECT_EQ(Found(it), Member(600));
  EXPECT_EQ(dead().keys(), 1u) << "600 deleted members skipped: recorded";
  it.SeekToLast();
  EXPECT_EQ(Found(it), Member(699));
  // The recorded ranges now answer; the members read back the same.
  auto again_owner = Open();
  MemberIterator& again = *again_owner;
  again.SeekToFirst();
  EXPECT_EQ(Found(again), Member(600));
  again.Seek(Member(10));
  EXPECT_EQ(Found(again), Member(600));
  again.SeekToLast();
  EXPECT_EQ(Found(again), Member(699));
  again.SeekForPrev(Member(950));
  EXPECT_EQ(Found(again), Member(699));
  // A member written back inside a dead range is seen at once.
  Write({5, 990}, {});
  auto after_owner = Open();
  MemberIterator& after = *after_owner;
  after.SeekToFirst();
  EXPECT_EQ(Found(after), Member(5));
  after.Next();
  EXPECT_EQ(Found(after), Member(600));
  after.SeekToLast();
  EXPECT_EQ(Found(after), Member(990));
  after.Seek(Member(6));
  EXPECT_EQ(Found(after), Member(600));
}

TEST_F(DeadRangesWalkTest, TransactionsNeitherUseNorRecordRanges) {
  std::vector<int> all;
  for (int i = 0; i < 200; ++i) all.push_back(i);
  Write(all, {});
  Write({}, std::vector<int>(all.begin(), all.begin() + 150));
  {
    TransactionBatch transaction(storage_.get());
    EXPECT_EQ(storage_->WalkDeadRanges(), nullptr);
    auto it_owner = Open();
    MemberIterator& it = *it_owner;
    it.SeekToFirst();
    EXPECT_EQ(Found(it), Member(150));
  }  // dropped without a commit
  EXPECT_EQ(dead().keys(), 0u);
}

TEST_F(DeadRangesWalkTest, RandomChurnAlwaysReadsLikeTheReference) {
  std::mt19937 random(7);
  std::vector<int> all;
  for (int i = 0; i < 3000; ++i) all.push_back(i);
  Write(all, {});
  for (int round = 0; round < 300; ++round) {
    // Delete a run (sometimes a long one), put a few members back, then walk.
    int start = std::uniform_int_distribution<int>(0, 2999)(random);
    int length = std::uniform_int_distribution<int>(0, round % 3 == 0 ? 400 : 20)(random);
    std::vector<int> deletes;
    for (int i = start; i < std::min(3000, start + length); ++i) deletes.push_back(i);
    std::vector<int> puts;
    for (int i = 0; i < 3; ++i) puts.push_back(std::uniform_int_distribution<int>(0, 2999)(random));
    Write({}, deletes);
    Write(puts, {});
    auto it_owner = Open();
    MemberIterator& it = *it_owner;
    for (int probe = 0; probe < 10; ++probe) {
      std::string target = Member(std::uniform_int_distribution<int>(0, 3000)(random));
      it.Seek(target);
      ASSERT_EQ(Found(it), ExpectedAtOrAfter(target)) << "round " << round;
      if (it.Valid()) {
        std::string from(it.member_part());
        it.Next();
        ASSERT_EQ(Found(it), ExpectedAtOrAfter(from + '\0')) << "round " << round;
      }
      it.SeekForPrev(target);
      ASSERT_EQ(Found(it), ExpectedAtOrBefore(target)) << "round " << round;
    }
    it.SeekToFirst();
    ASSERT_EQ(Found(it), ExpectedAtOrAfter("")) << "round " << round;
    it.SeekToLast();
    ASSERT_EQ(Found(it), ExpectedAtOrBefore("z")) << "round " << round;
  }
  EXPECT_EQ(dead().keys(), 1u) << "long deleted runs were recorded";
}

}  // namespace
}  // namespace cairn
