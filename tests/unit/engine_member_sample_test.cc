// Position sampling (uniform, distinct or with repeats) and the one-pass member visit.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/member_sample.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

TEST(MemberSampleTest, DistinctPositionsAreSortedUniqueAndInRange) {
  for (uint64_t size : {1u, 5u, 100u, 10000u}) {
    for (uint64_t count : {0u, 1u, 3u, 50u, 20000u}) {
      std::vector<uint64_t> positions = SampleDistinctPositions(size, count);
      ASSERT_EQ(positions.size(), std::min(size, count));
      for (size_t i = 0; i < positions.size(); ++i) {
        ASSERT_LT(positions[i], size);
        if (i > 0) {
          ASSERT_LT(positions[i - 1], positions[i]);
        }
      }
    }
  }
}

TEST(MemberSampleTest, DistinctPositionsCoverEveryPosition) {
  // Over many draws of 2 out of 10 (Floyd's branch) and 8 out of 10 (selection sampling),
  // every position must come up: a biased sampler that never picks some would fail.
  for (uint64_t count : {2u, 8u}) {
    std::set<uint64_t> seen;
    for (int round = 0; round < 2000; ++round) {
      for (uint64_t p : SampleDistinctPositions(10, count)) seen.insert(p);
    }
    EXPECT_EQ(seen.size(), 10u) << "count " << count;
  }
}

TEST(MemberSampleTest, PositionsWithRepeats) {
  EXPECT_TRUE(SamplePositions(0, 5).empty());
  std::vector<uint64_t> positions = SamplePositions(3, 300);
  ASSERT_EQ(positions.size(), 300u);
  std::set<uint64_t> seen(positions.begin(), positions.end());
  EXPECT_EQ(seen, (std::set<uint64_t>{0, 1, 2}));
}

class MemberVisitTest : public EngineTest {};

TEST_F(MemberVisitTest, VisitsChosenMembersInTheCallersOrder) {
  CollectionKey key;
  ASSERT_TRUE(key.Load(*storage_, 0, "s", ValueType::kSet).ok());
  KeyBatch batch(storage_.get());
  for (char c = 'a'; c <= 'j'; ++c) {
    batch.batch()->Put(storage_->sub_cf(), key.MemberKey(std::string(1, c)),
                       "v" + std::string(1, c));
  }
  key.Update(&batch, 10);
  ASSERT_TRUE(batch.Commit().ok());

  MemberIterator iterator(*storage_, storage_->sub_cf(), key.member_prefix());
  std::vector<uint64_t> positions = {7, 0, 7, 3, 42};
  std::vector<std::string> visited;
  Status s = VisitMembersAt(
      iterator, positions, [&](uint64_t position, std::string_view member, std::string_view value) {
        visited.push_back(std::to_string(position) + std::string(member) + std::string(value));
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(visited, (std::vector<std::string>{"7hvh", "0ava", "7hvh", "3dvd"}));
}

}  // namespace
}  // namespace cairn
