// The hot cache's window of a long list's head elements (member_cache.h): LRANGE of the head
// fills it and is then served without RocksDB, short reads use it but do not fill it, reads
// past it go to RocksDB, and every list write leaves no stale window behind.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/list.h"
#include "engine/member_cache.h"
#include "engine/transaction_batch.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

using Strings = std::vector<std::string>;

class ListWindowTest : public EngineTest {
 protected:
  Lists& lists() { return storage_->lists(); }

  void Check(const Status& s) { ASSERT_TRUE(s.ok()) << s.ToString(); }

  // A list "l" of `count` elements e0, e1, ...
  void Fill(int count) {
    Strings elements;
    for (int i = 0; i < count; ++i) elements.push_back("e" + std::to_string(i));
    uint64_t length = 0;
    Check(lists().Push(0, "l", ListEnd::kRight, elements, false, &length));
  }

  std::string Range(int64_t start, int64_t stop) {
    Strings elements;
    Status s = lists().Range(0, "l", start, stop, &elements);
    if (!s.ok()) return s.ToString();
    std::string out;
    for (const std::string& element : elements) out += element + ",";
    return out;
  }
  // What RocksDB itself holds: a transaction's reads bypass the cache.
  std::string Truth(int64_t start, int64_t stop) {
    TransactionBatch transaction(storage_.get());
    return Range(start, stop);
  }

  bool WindowCached() {
    CollectionKey list;
    if (!list.Load(*storage_, 0, "l", ValueType::kList).ok() || !list.exists()) return false;
    HotCache::Ticket ticket;
    auto cached = std::static_pointer_cast<const MemberSnapshot>(storage_->hot_cache().LookupValue(
        MemberSnapshotKey(MemberColumn::kSub, list.member_prefix()), &ticket));
    return cached != nullptr && cached->window();
  }

  uint64_t Misses() { return storage_->hot_cache().Stats().misses; }
};

TEST_F(ListWindowTest, HeadRangesFillTheWindowAndThenTouchNoRocksDB) {
  Fill(500);
  EXPECT_FALSE(WindowCached());
  std::string head = Range(0, 99);
  EXPECT_EQ(head, Truth(0, 99));
  ASSERT_TRUE(WindowCached());
  // Behind the engine's back: only a read that goes to RocksDB could notice.
  CollectionKey list;
  Check(list.Load(*storage_, 0, "l", ValueType::kList));
  MemberIterator it(*storage_, storage_->sub_cf(), list.member_prefix());
  it.SeekToFirst();
  for (int i = 0; i < 5; ++i) it.Next();
  ASSERT_TRUE(
      storage_->rocks()->Delete(rocksdb::WriteOptions(), storage_->sub_cf(), it.raw_key()).ok());
  EXPECT_NE(Truth(0, 99), head);
  uint64_t misses = Misses();
  EXPECT_EQ(Range(0, 99), head);
  EXPECT_EQ(Range(10, 20), Truth(10, 20));
  EXPECT_EQ(Misses(), misses) << "served from the window";
  // Past the window: RocksDB answers.
  EXPECT_EQ(Range(100, 300), Truth(100, 300));
  EXPECT_EQ(Range(-10, -1), Truth(-10, -1));
}

TEST_F(ListWindowTest, ShortReadsDoNotFillAndShortListsAreCachedWhole) {
  Fill(500);
  EXPECT_EQ(Range(0, 3), "e0,e1,e2,e3,");
  EXPECT_FALSE(WindowCached()) << "a read of a few elements costs less than a window";
  EXPECT_EQ(Range(0, kWindowMinFillRead - 1), Truth(0, kWindowMinFillRead - 1));
  EXPECT_TRUE(WindowCached());
  uint64_t length = 0;
  Check(lists().Trim(0, "l", 0, 9, &length));
  EXPECT_EQ(Range(0, -1), "e0,e1,e2,e3,e4,e5,e6,e7,e8,e9,");
  EXPECT_FALSE(WindowCached()) << "ten elements: a whole snapshot, no window";
}

TEST_F(ListWindowTest, EveryWriteLeavesNoStaleWindow) {
  Fill(300);
  uint64_t length = 0;
  uint64_t removed = 0;
  Strings popped;
  struct Step {
    const char* name;
    std::function<void()> write;
  };
  std::vector<Step> steps = {
      {"LPUSH",
       [&] {
         Check(lists().Push(0, "l", ListEnd::kLeft, Strings{"a", "b"}, false, &length));
       }},
      {"RPUSH",
       [&] { Check(lists().Push(0, "l", ListEnd::kRight, Strings{"z"}, false, &length)); }},
      {"LPOP", [&] { Check(lists().Pop(0, "l", ListEnd::kLeft, 3, &popped)); }},
      {"RPOP", [&] { Check(lists().Pop(0, "l", ListEnd::kRight, 1, &popped)); }},
      {"LSET", [&] { Check(lists().Set(0, "l", 7, "seven")); }},
      {"LINSERT",
       [&] {
         int64_t size = 0;
         Check(lists().Insert(0, "l", /*after=*/true, "e10", "after-e10", &size));
       }},
      {"LMOVE",
       [&] {
         std::optional<std::string> moved;
         Check(lists().Move(0, "l", "l", ListEnd::kRight, ListEnd::kLeft, &moved));
       }},
      {"LREM", [&] { Check(lists().Remove(0, "l", 1, "e20", &removed, &length)); }},
      {"LTRIM", [&] { Check(lists().Trim(0, "l", 2, 250, &length)); }},
  };
  for (const Step& step : steps) {
    Range(0, 99);
    EXPECT_TRUE(WindowCached()) << "before " << step.name;
    step.write();
    EXPECT_EQ(Range(0, 99), Truth(0, 99)) << "after " << step.name;
    EXPECT_EQ(Range(0, 127), Truth(0, 127)) << "after " << step.name;
  }
}

}  // namespace
}  // namespace cairn
