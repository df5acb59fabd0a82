// Tests for engine/set.h: every set operation, missing and expired keys, WRONGTYPE, the
// intset/hashtable encoding flag, key deletion when a set empties, the algebra (including a
// destination that is also a source), random picks, persistence and transactions.
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "encoding/collection_layout.h"
#include "encoding/metadata.h"
#include "engine/key_batch.h"
#include "engine/set.h"
#include "engine/transaction_batch.h"
#include "engine_test_env.h"

namespace cairn {
namespace {

using Strings = std::vector<std::string>;

class SetTest : public EngineTest {
 protected:
  Sets& sets() { return storage_->sets(); }

  uint64_t Add(const std::string& key, const Strings& members, bool* created = nullptr) {
    uint64_t added = 0;
    bool was_created = false;
    Status s = sets().Add(0, key, members, &added, &was_created);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (created != nullptr) *created = was_created;
    return added;
  }

  uint64_t Remove(const std::string& key, const Strings& members, bool* deleted = nullptr) {
    uint64_t removed = 0;
    bool was_deleted = false;
    Status s = sets().Remove(0, key, members, &removed, &was_deleted);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (deleted != nullptr) *deleted = was_deleted;
    return removed;
  }

  uint64_t Card(const std::string& key) {
    uint64_t size = 0;
    Status s = sets().Card(0, key, &size);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return size;
  }

  // The members, sorted.
  Strings Members(const std::string& key) { return Combine(SetOperation::kUnion, {key}); }

  Strings Combine(SetOperation op, const Strings& keys, KeyLookups* lookups = nullptr) {
    Strings members;
    KeyLookups seen;
    Status s = sets().Combine(0, op, keys, &members, &seen);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (lookups != nullptr) *lookups = seen;
    std::sort(members.begin(), members.end());
    return members;
  }

  SetStoreResult Store(SetOperation op, const std::string& destination, const Strings& keys) {
    SetStoreResult result;
    KeyLookups lookups;
    Status s = sets().Store(0, op, destination, keys, &result, &lookups);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return result;
  }

  bool LargeEncoding(const std::string& key) {
    Metadata meta;
    EXPECT_TRUE(keys().Describe(0, key, &meta).ok());
    return (meta.flags & kMetaFlagLargeEncoding) != 0;
  }

  bool Exists(const std::string& key) {
    ValueType type;
    return keys().Type(0, key, &type).ok();
  }

  static Strings Numbers(int from, int to) {
    Strings out;
    for (int i = from; i <= to; ++i) out.push_back(std::to_string(i));
    return out;
  }
};

TEST_F(SetTest, AddCountsNewMembersOnce) {
  bool created = false;
  EXPECT_EQ(Add("s", {"a", "b", "a"}, &created), 2u);
  EXPECT_TRUE(created);
  EXPECT_EQ(Add("s", {"b", "c", "c"}, &created), 1u);
  EXPECT_FALSE(created);
  EXPECT_EQ(Add("s", {"a"}), 0u);
  EXPECT_EQ(Card("s"), 3u);
  EXPECT_EQ(Members("s"), (Strings{"a", "b", "c"}));
  EXPECT_EQ(keys().DbSize(0), 1);
  Add("bin", {std::string("x\0y", 3), ""});
  EXPECT_EQ(Members("bin"), (Strings{"", std::string("x\0y", 3)}));
}

TEST_F(SetTest, RemoveDeletesTheKeyWithTheLastMember) {
  Add("s", {"a", "b", "c"});
  bool deleted = true;
  EXPECT_EQ(Remove("s", {"x"}, &deleted), 0u);
  EXPECT_FALSE(deleted);
  EXPECT_EQ(Remove("s", {"a", "a", "b"}, &deleted), 2u);
  EXPECT_FALSE(deleted);
  EXPECT_EQ(Card("s"), 1u);
  EXPECT_EQ(Remove("s", {"c", "zz"}, &deleted), 1u);
  EXPECT_TRUE(deleted);
  EXPECT_FALSE(Exists("s"));
  EXPECT_EQ(keys().DbSize(0), 0);
  EXPECT_EQ(Remove("missing", {"a"}, &deleted), 0u);
  EXPECT_FALSE(deleted);
  // A re-created key does not see the members of the deleted incarnation.
  Add("s", {"z"});
  EXPECT_EQ(Members("s"), (Strings{"z"}));
}

TEST_F(SetTest, MembershipIsAPointLookup) {
  Add("s", {"a", "b"});
  std::vector<bool> flags;
  bool exists = false;
  ASSERT_TRUE(sets().IsMember(0, "s", Strings{"a", "x", "b"}, &flags, &exists).ok());
  EXPECT_TRUE(exists);
  EXPECT_EQ(flags, (std::vector<bool>{true, false, true}));
  ASSERT_TRUE(sets().IsMember(0, "nope", Strings{"a", "b"}, &flags, &exists).ok());
  EXPECT_FALSE(exists);
  EXPECT_EQ(flags, (std::vector<bool>{false, false}));
}

TEST_F(SetTest, WrongTypeEverywhere) {
  Set(0, "str", "v");
  Add("s", {"a"});
  uint64_t n = 0;
  bool flag = false;
  std::vector<bool> flags;
  Strings out;
  KeyLookups lookups;
  SetStoreResult stored;
  SetMoveResult moved;
  EXPECT_TRUE(sets().Add(0, "str", Strings{"a"}, &n, &flag).IsWrongType());
  EXPECT_TRUE(sets().Remove(0, "str", Strings{"a"}, &n, &flag).IsWrongType());
  EXPECT_TRUE(sets().Card(0, "str", &n).IsWrongType());
  EXPECT_TRUE(sets().IsMember(0, "str", Strings{"a"}, &flags, &flag).IsWrongType());
  EXPECT_TRUE(sets().Pop(0, "str", 1, &out, &flag).IsWrongType());
  EXPECT_TRUE(sets().RandomMembers(0, "str", -3, &out, &flag).IsWrongType());
  EXPECT_TRUE(sets().Move(0, "s", "str", "a", &moved).IsWrongType());
  EXPECT_TRUE(sets().Move(0, "str", "s", "a", &moved).IsWrongType());
  // A missing source answers 0 before the destination's type is looked at.
  EXPECT_TRUE(sets().Move(0, "missing", "str", "a", &moved).ok());
  EXPECT_FALSE(moved.moved);
  // The algebra looks keys up in order and stops at the first of another type.
  Status s = sets().Combine(0, SetOperation::kInter, Strings{"missing", "s", "str", "later"}, &out,
                            &lookups);
  EXPECT_TRUE(s.IsWrongType());
  EXPECT_EQ(lookups, (KeyLookups{false, true, true}));
  EXPECT_TRUE(sets().InterCard(0, Strings{"s", "str"}, 0, &n, &lookups).IsWrongType());
  EXPECT_TRUE(sets()
                  .Store(0, SetOperation::kUnion, "d", Strings{"s", "str"}, &stored, &lookups)
                  .IsWrongType());
  EXPECT_FALSE(Exists("d"));
  EXPECT_EQ(Get(0, "str"), "v");
}

TEST_F(SetTest, IntsetEncodingFlag) {
  Add("ints", {"1", "-5", "9223372036854775807", "-9223372036854775808", "0"});
  EXPECT_FALSE(LargeEncoding("ints"));
  for (const char* text : {"01", "+1", "-0", " 1", "1.0", "9223372036854775808", "a"}) {
    SCOPED_TRACE(text);
    Add(text, {"1"});
    EXPECT_FALSE(LargeEncoding(text));
    Add(text, {text});
    EXPECT_TRUE(LargeEncoding(text));
    // Never cleared, as Redis never converts back.
    Remove(text, {text});
    EXPECT_TRUE(LargeEncoding(text));
  }
  storage_->encoding_limits().set_max_intset_entries = 4;
  Add("many", Numbers(1, 4));
  EXPECT_FALSE(LargeEncoding("many"));
  Add("many", {"5"});
  EXPECT_TRUE(LargeEncoding("many"));
  // Stores and moves follow the same rule.
  Store(SetOperation::kUnion, "copy", {"ints"});
  EXPECT_TRUE(LargeEncoding("copy"));  // 5 members > 4
  Store(SetOperation::kInter, "small", {"ints", "many"});
  EXPECT_FALSE(LargeEncoding("small"));
  Add("words", {"w"});
  SetMoveResult moved;
  ASSERT_TRUE(sets().Move(0, "words", "small", "w", &moved).ok());
  EXPECT_TRUE(LargeEncoding("small"));
}

TEST_F(SetTest, MoveBetweenKeys) {
  Add("src", {"a", "b"});
  Add("dst", {"b"});
  SetMoveResult r;
  ASSERT_TRUE(sets().Move(0, "src", "dst", "zz", &r).ok());
  EXPECT_FALSE(r.moved);
  ASSERT_TRUE(sets().Move(0, "src", "dst", "a", &r).ok());
  EXPECT_TRUE(r.moved && r.added && !r.source_deleted && !r.destination_created);
  EXPECT_EQ(Members("dst"), (Strings{"a", "b"}));
  // Already in the destination: only the source changes.
  ASSERT_TRUE(sets().Move(0, "src", "dst", "b", &r).ok());
  EXPECT_TRUE(r.moved && !r.added && r.source_deleted);
  EXPECT_FALSE(Exists("src"));
  ASSERT_TRUE(sets().Move(0, "dst", "fresh", "a", &r).ok());
  EXPECT_TRUE(r.moved && r.added && r.destination_created);
  EXPECT_EQ(Members("fresh"), (Strings{"a"}));
  EXPECT_EQ(Members("dst"), (Strings{"b"}));
  // The same key: nothing changes, the reply says whether the member is there.
  ASSERT_TRUE(sets().Move(0, "dst", "dst", "b", &r).ok());
  EXPECT_TRUE(r.moved && !r.added && !r.source_deleted);
  ASSERT_TRUE(sets().Move(0, "dst", "dst", "a", &r).ok());
  EXPECT_FALSE(r.moved);
  EXPECT_EQ(Members("dst"), (Strings{"b"}));
  EXPECT_EQ(keys().DbSize(0), 2);
}

TEST_F(SetTest, PopTakesDistinctMembersAndDeletesWhenEmpty) {
  Strings all = Numbers(1, 50);
  Add("s", all);
  Strings popped;
  bool deleted = false;
  ASSERT_TRUE(sets().Pop(0, "s", 0, &popped, &deleted).ok());
  EXPECT_TRUE(popped.empty());
  ASSERT_TRUE(sets().Pop(0, "s", 20, &popped, &deleted).ok());
  EXPECT_FALSE(deleted);
  ASSERT_EQ(popped.size(), 20u);
  std::set<std::string> distinct(popped.begin(), popped.end());
  EXPECT_EQ(distinct.size(), 20u);
  EXPECT_EQ(Card("s"), 30u);
  Strings rest = Members("s");
  for (const std::string& member : popped) {
    EXPECT_TRUE(std::find(all.begin(), all.end(), member) != all.end());
    EXPECT_FALSE(std::binary_search(rest.begin(), rest.end(), member));
  }
  ASSERT_TRUE(sets().Pop(0, "s", 100, &popped, &deleted).ok());
  EXPECT_TRUE(deleted);
  EXPECT_EQ(popped.size(), 30u);
  EXPECT_FALSE(Exists("s"));
  ASSERT_TRUE(sets().Pop(0, "s", 1, &popped, &deleted).ok());
  EXPECT_TRUE(popped.empty());
  EXPECT_FALSE(deleted);
}

TEST_F(SetTest, PopIsRoughlyUniform) {
  Add("s", Numbers(0, 9));
  std::map<std::string, int> counts;
  for (int round = 0; round < 2000; ++round) {
    Strings popped;
    bool deleted = false;
    ASSERT_TRUE(sets().Pop(0, "s", 1, &popped, &deleted).ok());
    ASSERT_EQ(popped.size(), 1u);
    counts[popped[0]]++;
    Add("s", popped);
  }
  // Each of 10 members is expected 200 times; a correct sampler falls below 100 with a
  // probability far under 1e-12.
  ASSERT_EQ(counts.size(), 10u);
  for (const auto& [member, count] : counts) EXPECT_GT(count, 100) << member;
}

TEST_F(SetTest, RandomMembers) {
  Add("s", {"a", "b", "c", "d", "e"});
  Strings out;
  bool exists = false;
  ASSERT_TRUE(sets().RandomMembers(0, "s", 3, &out, &exists).ok());
  EXPECT_TRUE(exists);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(std::set<std::string>(out.begin(), out.end()).size(), 3u);
  ASSERT_TRUE(sets().RandomMembers(0, "s", 50, &out, &exists).ok());
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (Strings{"a", "b", "c", "d", "e"}));
  ASSERT_TRUE(sets().RandomMembers(0, "s", -40, &out, &exists).ok());
  EXPECT_EQ(out.size(), 40u);
  for (const std::string& member : out) EXPECT_TRUE(member >= "a" && member <= "e") << member;
  EXPECT_LT(std::set<std::string>(out.begin(), out.end()).size(), 40u);  // repeats
  ASSERT_TRUE(sets().RandomMembers(0, "s", 0, &out, &exists).ok());
  EXPECT_TRUE(exists);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(sets().RandomMembers(0, "nope", -3, &out, &exists).ok());
  EXPECT_FALSE(exists);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(Card("s"), 5u);  // reads change nothing
}

TEST_F(SetTest, Algebra) {
  Add("a", {"1", "2", "3", "4"});
  Add("b", {"3", "4", "5"});
  Add("c", {"4", "6"});
  using Op = SetOperation;
  EXPECT_EQ(Combine(Op::kInter, {"a", "b"}), (Strings{"3", "4"}));
  EXPECT_EQ(Combine(Op::kInter, {"a", "b", "c"}), (Strings{"4"}));
  EXPECT_EQ(Combine(Op::kInter, {"a", "a"}), (Strings{"1", "2", "3", "4"}));
  KeyLookups lookups;
  EXPECT_EQ(Combine(Op::kInter, {"a", "missing", "b"}, &lookups), Strings{});
  EXPECT_EQ(lookups, (KeyLookups{true, false, true}));
  EXPECT_EQ(Combine(Op::kUnion, {"a", "b", "c", "missing", "a"}),
            (Strings{"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(Combine(Op::kDiff, {"a", "b"}), (Strings{"1", "2"}));
  EXPECT_EQ(Combine(Op::kDiff, {"a", "b", "c", "missing"}), (Strings{"1", "2"}));
  EXPECT_EQ(Combine(Op::kDiff, {"a", "missing"}), (Strings{"1", "2", "3", "4"}));
  EXPECT_EQ(Combine(Op::kDiff, {"missing", "a"}), Strings{});
  EXPECT_EQ(Combine(Op::kDiff, {"a", "b", "a"}), Strings{});
  uint64_t n = 0;
  ASSERT_TRUE(sets().InterCard(0, Strings{"a", "b"}, 0, &n, &lookups).ok());
  EXPECT_EQ(n, 2u);
  ASSERT_TRUE(sets().InterCard(0, Strings{"a", "b"}, 1, &n, &lookups).ok());
  EXPECT_EQ(n, 1u);
  ASSERT_TRUE(sets().InterCard(0, Strings{"a"}, 10, &n, &lookups).ok());
  EXPECT_EQ(n, 4u);
}

TEST_F(SetTest, StoreReplacesTheDestination) {
  Add("a", {"1", "2", "3"});
  Add("b", {"2", "3", "4"});
  Set(0, "d", "a string", kStartMs + 100000);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  SetStoreResult r = Store(SetOperation::kInter, "d", {"a", "b"});
  EXPECT_EQ(r.size, 2u);
  EXPECT_TRUE(r.destination_existed);
  EXPECT_EQ(Members("d"), (Strings{"2", "3"}));
  EXPECT_EQ(Ttl(0, "d"), -1);  // a stored set has no deadline
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  // The destination as a source: read before it is replaced.
  r = Store(SetOperation::kUnion, "a", {"a", "b"});
  EXPECT_EQ(r.size, 4u);
  EXPECT_EQ(Members("a"), (Strings{"1", "2", "3", "4"}));
  r = Store(SetOperation::kDiff, "a", {"a", "d"});
  EXPECT_EQ(Members("a"), (Strings{"1", "4"}));
  // An empty result deletes the destination.
  r = Store(SetOperation::kInter, "a", {"a", "missing"});
  EXPECT_EQ(r.size, 0u);
  EXPECT_TRUE(r.destination_existed);
  EXPECT_FALSE(Exists("a"));
  r = Store(SetOperation::kInter, "never", {"missing"});
  EXPECT_FALSE(r.destination_existed);
  EXPECT_FALSE(Exists("never"));
  EXPECT_EQ(keys().DbSize(0), 2);
}

TEST_F(SetTest, ExpiredKeyIsAnEmptySet) {
  Add("s", {"old1", "old2"});
  int64_t at = static_cast<int64_t>(kStartMs) + 1000;
  bool changed = false;
  ASSERT_TRUE(keys().Expire(0, "s", at, ExpireCondition{}, &changed).ok());
  clock_.AdvanceMs(2000);
  EXPECT_EQ(Card("s"), 0u);
  EXPECT_EQ(Members("s"), Strings{});
  bool created = false;
  EXPECT_EQ(Add("s", {"new"}, &created), 1u);
  EXPECT_TRUE(created);
  EXPECT_EQ(Members("s"), (Strings{"new"}));
  EXPECT_EQ(Ttl(0, "s"), -1);
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
}

TEST_F(SetTest, SurvivesReopen) {
  Add("s", {"a", "b", "c"});
  Remove("s", {"b"});
  Store(SetOperation::kUnion, "u", {"s"});
  Reopen();
  EXPECT_EQ(Members("s"), (Strings{"a", "c"}));
  EXPECT_EQ(Members("u"), (Strings{"a", "c"}));
  EXPECT_EQ(Card("u"), 2u);
}

TEST_F(SetTest, TransactionSeesItsPendingWrites) {
  Add("s", {"a"});
  {
    TransactionBatch txn(storage_.get());
    Add("s", {"b"});
    Add("t", {"b", "c"});
    EXPECT_EQ(Combine(SetOperation::kInter, {"s", "t"}), (Strings{"b"}));
    Store(SetOperation::kUnion, "u", {"s", "t"});
    EXPECT_EQ(Members("u"), (Strings{"a", "b", "c"}));
    Remove("s", {"a", "b"});
    EXPECT_FALSE(Exists("s"));
    ASSERT_TRUE(txn.Commit().ok());
  }
  EXPECT_FALSE(Exists("s"));
  EXPECT_EQ(Members("u"), (Strings{"a", "b", "c"}));
  EXPECT_EQ(Members("t"), (Strings{"b", "c"}));
}

// Iterator steps over the memtable (where these tests' few megabytes stay) while `run` ran;
// point lookups take none.
template <typename Fn>
uint64_t IteratorSteps(Fn run) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  run();
  uint64_t steps = rocksdb::get_perf_context()->next_on_memtable_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  return steps;
}

TEST_F(SetTest, LargeSetIsNotReadWhole) {
  Strings big;
  for (int i = 0; i < 20000; ++i) big.push_back("member:" + std::to_string(i));
  Add("big", big);
  Add("tiny", {"member:7", "member:19999", "absent"});
  const uint64_t whole = IteratorSteps([&] { EXPECT_EQ(Members("big").size(), 20000u); });
  EXPECT_GE(whole, 20000u);
  // The intersection walks the tiny set and probes the big one.
  uint64_t steps = IteratorSteps([&] {
    EXPECT_EQ(Combine(SetOperation::kInter, {"big", "tiny"}),
              (Strings{"member:19999", "member:7"}));
    EXPECT_EQ(Combine(SetOperation::kDiff, {"tiny", "big"}), (Strings{"absent"}));
  });
  EXPECT_LT(steps, 10u);
  steps = IteratorSteps([&] {
    std::vector<bool> flags;
    bool exists = false;
    ASSERT_TRUE(sets().IsMember(0, "big", Strings{"member:5", "x"}, &flags, &exists).ok());
    EXPECT_EQ(flags, (std::vector<bool>{true, false}));
    EXPECT_EQ(Card("big"), 20000u);
    EXPECT_EQ(Add("big", {"member:1", "new"}), 1u);
    EXPECT_EQ(Remove("big", {"new"}), 1u);
  });
  EXPECT_EQ(steps, 0u);
  Strings out;
  bool exists = false;
  ASSERT_TRUE(sets().RandomMembers(0, "big", 100, &out, &exists).ok());
  EXPECT_EQ(std::set<std::string>(out.begin(), out.end()).size(), 100u);
  bool deleted = false;
  ASSERT_TRUE(sets().Pop(0, "big", 19990, &out, &deleted).ok());
  EXPECT_EQ(Card("big"), 10u);
  EXPECT_EQ(Members("big").size(), 10u);
}

}  // namespace
}  // namespace cairn
