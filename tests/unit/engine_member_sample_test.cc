// MemberSampler: the exact walk for small collections and large shares, the seek-based picks
// for large collections (real members, exact distinct counts, spread over the key space,
// wrap-around, long shared prefixes, binary members, tiny sizes) and the bounded iterator
// work per pick. Every test seeds its own generator, so the outcomes are fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/member_sample.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

using Members = std::vector<std::string>;

std::string Numbered(const char* format, int i) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), format, i);
  return buffer;
}

Members NumberedMembers(const char* format, int count) {
  Members members;
  for (int i = 0; i < count; ++i) members.push_back(Numbered(format, i));
  return members;
}

class MemberSampleTest : public EngineTest {
 protected:
  // Stores `members` as the set "c", each with the value "v" + member.
  void Fill(const Members& members) {
    ASSERT_TRUE(key_.Load(*storage_, 0, "c", ValueType::kSet).ok());
    KeyBatch batch(storage_.get());
    for (const std::string& member : members) {
      batch.batch()->Put(storage_->sub_cf(), key_.MemberKey(member), "v" + member);
    }
    key_.Update(&batch, members.size());
    ASSERT_TRUE(batch.Commit().ok());
    members_ = std::set<std::string>(members.begin(), members.end());
    ASSERT_EQ(members_.size(), members.size());
  }

  // Picks through a fresh iterator and sampler; checks every pick is a stored member with
  // its own value.
  Members Pick(bool distinct, uint64_t count, SampleMethod method = SampleMethod::kAuto,
               SampleCounters* counters = nullptr) {
    MemberIterator iterator(*storage_, storage_->sub_cf(), key_.member_prefix());
    MemberSampler sampler(iterator, members_.size(), random_, method);
    Members picked;
    auto visit = [&](std::string_view member, std::string_view value) {
      EXPECT_TRUE(members_.contains(std::string(member)));
      EXPECT_EQ(value, "v" + std::string(member));
      picked.emplace_back(member);
    };
    Status s =
        distinct ? sampler.PickDistinct(count, visit) : sampler.PickWithRepeats(count, visit);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (counters != nullptr) *counters = sampler.counters();
    return picked;
  }

  // `calls` requests of `count` picks each, all by seeking.
  Members SeekMany(bool distinct, uint64_t count, int calls) {
    Members all;
    for (int call = 0; call < calls; ++call) {
      Members picks = Pick(distinct, count, SampleMethod::kSeek);
      all.insert(all.end(), picks.begin(), picks.end());
    }
    return all;
  }

  // How many picks fall into each run of `width` consecutive members (in member order).
  std::vector<int> Buckets(const Members& picks, size_t width) {
    Members order(members_.begin(), members_.end());
    std::vector<int> buckets((order.size() + width - 1) / width, 0);
    for (const std::string& pick : picks) {
      auto at = std::lower_bound(order.begin(), order.end(), pick) - order.begin();
      buckets[static_cast<size_t>(at) / width]++;
    }
    return buckets;
  }

  CollectionKey key_;
  std::set<std::string> members_;
  std::mt19937_64 random_{20240531};
};

TEST_F(MemberSampleTest, DistinctPicksAreExactAndDistinct) {
  Fill(NumberedMembers("m:%06d", 20000));
  // 1..6000 seek, 7000 is past a third and walks, 20000 and more is the whole collection.
  for (uint64_t count : {1u, 10u, 1000u, 6000u, 7000u, 20000u, 30000u}) {
    Members picks = Pick(true, count);
    ASSERT_EQ(picks.size(), std::min<uint64_t>(count, 20000)) << count;
    EXPECT_EQ(std::set<std::string>(picks.begin(), picks.end()).size(), picks.size()) << count;
  }
  Members whole = Pick(true, 20000);
  EXPECT_TRUE(std::is_sorted(whole.begin(), whole.end()));
  Members sample = Pick(true, 1000);
  EXPECT_FALSE(std::is_sorted(sample.begin(), sample.end()));
}

TEST_F(MemberSampleTest, PicksWithRepeatsAreExactInNumber) {
  Fill(NumberedMembers("m:%06d", 20000));
  for (uint64_t count : {1u, 5u, 3000u, 50000u}) {
    EXPECT_EQ(Pick(false, count).size(), count);
  }
}

TEST_F(MemberSampleTest, EvenlySpreadMembersArePickedEvenly) {
  Fill(NumberedMembers("m:%06d", 20000));
  // 20000 picks over 20 buckets of 1000 members: 1000 expected in each; the seek targets
  // are near uniform over this key space, so every bucket lands well inside [600, 1400].
  for (int bucket : Buckets(SeekMany(false, 1000, 20), 1000)) {
    EXPECT_GT(bucket, 600);
    EXPECT_LT(bucket, 1400);
  }
  for (int bucket : Buckets(SeekMany(true, 1000, 20), 1000)) EXPECT_GT(bucket, 600);
}

TEST_F(MemberSampleTest, IteratorWorkPerPickIsBounded) {
  Fill(NumberedMembers("m:%06d", 20000));
  SampleCounters counters;
  // SPOP without a count: the two bounds and one seek (a few more past the last member).
  ASSERT_EQ(Pick(true, 1, SampleMethod::kAuto, &counters).size(), 1u);
  EXPECT_LE(counters.seeks, 7u);
  EXPECT_EQ(counters.steps, 0u);
  // Many picks: one seek each but for the rare target past the end; never a step.
  ASSERT_EQ(Pick(false, 2000, SampleMethod::kAuto, &counters).size(), 2000u);
  EXPECT_LE(counters.seeks, 2u + 2000 + 100);
  EXPECT_EQ(counters.steps, 0u);
  ASSERT_EQ(Pick(true, 2000, SampleMethod::kAuto, &counters).size(), 2000u);
  EXPECT_LE(counters.seeks, 2u + 2000 + 300);  // a few members come up twice
  EXPECT_EQ(counters.steps, 0u);
  // A large share walks once, no further than the collection.
  ASSERT_EQ(Pick(true, 10000, SampleMethod::kAuto, &counters).size(), 10000u);
  EXPECT_EQ(counters.seeks, 1u);
  EXPECT_LT(counters.steps, 20000u);
}

TEST_F(MemberSampleTest, BoundsAreRememberedAndWidenedByAdds) {
  Fill(NumberedMembers("m:%06d", 5000));
  SampleCounters first;
  SampleCounters second;
  ASSERT_EQ(Pick(true, 1, SampleMethod::kAuto, &first).size(), 1u);
  ASSERT_EQ(Pick(true, 1, SampleMethod::kAuto, &second).size(), 1u);
  EXPECT_EQ(second.seeks + 2, first.seeks) << "the second pick seeks neither end";
  // A member added past the remembered last one widens the bounds (the write-through
  // replay tells DeadRanges), so later targets reach it like any other.
  KeyBatch batch(storage_.get());
  batch.batch()->Put(storage_->sub_cf(), key_.MemberKey("zz"), "vzz");
  key_.Update(&batch, members_.size() + 1);
  ASSERT_TRUE(batch.Commit().ok());
  MemberIterator iterator(*storage_, storage_->sub_cf(), key_.member_prefix());
  std::string low;
  std::string high;
  ASSERT_TRUE(iterator.KnownBounds(&low, &high));
  EXPECT_EQ(low, "m:000000");
  EXPECT_EQ(high, "zz");
}

TEST_F(MemberSampleTest, SmallCollectionsWalkExactly) {
  Fill(NumberedMembers("%d", 10));
  std::map<std::string, int> counts;
  for (const std::string& pick : Pick(false, 2000)) counts[pick]++;
  ASSERT_EQ(counts.size(), 10u);
  // 200 expected each; an exact uniform draw falls below 100 with probability far under 1e-12.
  for (const auto& [member, count] : counts) EXPECT_GT(count, 100) << member;
  SampleCounters counters;
  Pick(true, 3, SampleMethod::kAuto, &counters);
  EXPECT_LE(counters.steps, 10u);
}

TEST_F(MemberSampleTest, PastTheLastMemberWrapsAround) {
  // Every seek target is above "a": only the wrap-around, after targets past "b" a few times
  // in a row, can reach it.
  Fill({"a", "b"});
  Members picks = Pick(false, 200, SampleMethod::kSeek);
  std::set<std::string> seen(picks.begin(), picks.end());
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b"}));
}

TEST_F(MemberSampleTest, SizesOneAndTwoBySeeking) {
  Fill({"only"});
  EXPECT_EQ(Pick(true, 1, SampleMethod::kSeek), (Members{"only"}));
  EXPECT_EQ(Pick(true, 5, SampleMethod::kSeek), (Members{"only"}));
  EXPECT_EQ(Pick(false, 3, SampleMethod::kSeek), (Members{"only", "only", "only"}));
  EXPECT_TRUE(Pick(true, 0, SampleMethod::kSeek).empty());
}

TEST_F(MemberSampleTest, SizeTwoBySeeking) {
  Fill({"k1", "k2"});
  std::set<std::string> seen;
  for (int round = 0; round < 100; ++round) {
    Members picks = Pick(true, 1, SampleMethod::kSeek);
    ASSERT_EQ(picks.size(), 1u);
    seen.insert(picks[0]);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"k1", "k2"}));
  Members both = Pick(true, 2, SampleMethod::kSeek);
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (Members{"k1", "k2"}));
}

TEST_F(MemberSampleTest, LongSharedPrefix) {
  Fill(NumberedMembers((std::string(300, 'p') + "%06d").c_str(), 20000));
  for (int bucket : Buckets(SeekMany(false, 1000, 20), 1000)) EXPECT_GT(bucket, 600);
  Members distinct = Pick(true, 3000, SampleMethod::kSeek);
  EXPECT_EQ(std::set<std::string>(distinct.begin(), distinct.end()).size(), 3000u);
}

TEST_F(MemberSampleTest, BinaryMembers) {
  Members members;
  for (int i = 0; i < 20000; ++i) {
    int spread = i * 3;  // over most of the two-byte range
    members.push_back(std::string{static_cast<char>(spread >> 8), static_cast<char>(spread & 0xff),
                                  '\0', static_cast<char>(0xff)});
  }
  members.push_back(std::string(3, '\0'));
  members.push_back(std::string(3, static_cast<char>(0xff)));
  Fill(members);
  // The last bucket (the largest regular member and "\xff\xff\xff") follows the gap from
  // 0xea to 0xff in the first byte: it is favoured, as the approximation allows.
  std::vector<int> buckets = Buckets(SeekMany(false, 1000, 20), 1000);
  for (size_t i = 0; i + 1 < buckets.size(); ++i) EXPECT_GT(buckets[i], 500) << i;
  Members distinct = Pick(true, 5000, SampleMethod::kSeek);
  EXPECT_EQ(std::set<std::string>(distinct.begin(), distinct.end()).size(), 5000u);
}

TEST_F(MemberSampleTest, VariableLengthMembersAreAllReachable) {
  // "user:1" < "user:10" < "user:100" ...: members that prefix others, of lengths 6 to 10.
  Fill(NumberedMembers("user:%d", 20000));
  std::map<std::string, int> by_length;
  std::vector<int> thousands(20, 0);
  for (const std::string& pick : SeekMany(false, 2000, 20)) {
    by_length[std::string(1, static_cast<char>('0' + pick.size()))]++;
    thousands[std::stoi(pick.substr(5)) / 1000]++;
  }
  EXPECT_EQ(by_length.size(), 5u);
  for (int count : thousands) EXPECT_GT(count, 40);
}

TEST_F(MemberSampleTest, SkewedKeySpaceFallsBackToTheWalkForDistinctPicks) {
  // Seek targets over "a".."z" land on three members almost always; the bytes 0x01 make the
  // rest nearly unreachable by seeking, so distinct picks must finish with the walk.
  Members members = NumberedMembers("q\x01%04d", 1000);
  members.push_back("a");
  members.push_back("z");
  Fill(members);
  SampleCounters counters;
  Members picks = Pick(true, 100, SampleMethod::kAuto, &counters);
  EXPECT_EQ(picks.size(), 100u);
  EXPECT_EQ(std::set<std::string>(picks.begin(), picks.end()).size(), 100u);
  EXPECT_GT(counters.steps, 0u);
}

}  // namespace
}  // namespace cairn
