// Lists: pushes and pops at both ends, moves (including rotation and a wrong-typed
// destination), index/range rules, LPOS options, inserts and removals in the middle (checked
// against a std::deque model), trims, deletion of the emptied key, expired keys, a queue that
// leaves no members behind, transactions and persistence across a reopen.
#include <gtest/gtest.h>

#include <deque>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/keyspace.h"
#include "engine/list.h"
#include "engine/transaction_batch.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

using Strings_ = std::vector<std::string>;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

class ListTest : public EngineTest {
 protected:
  Lists& lists() { return storage_->lists(); }

  uint64_t Push(const std::string& key, ListEnd end, const Strings_& elements,
                bool only_if_exists = false) {
    uint64_t length = 0;
    Status s = lists().Push(0, key, end, elements, only_if_exists, &length);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return length;
  }
  uint64_t RPush(const std::string& key, const Strings_& elements) {
    return Push(key, ListEnd::kRight, elements);
  }

  Strings_ Pop(const std::string& key, ListEnd end, uint64_t count, uint64_t* remaining = nullptr) {
    Strings_ popped;
    Status s = lists().Pop(0, key, end, count, &popped, remaining);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return popped;
  }

  Strings_ Range(const std::string& key, int64_t start = 0, int64_t stop = -1) {
    Strings_ elements;
    Status s = lists().Range(0, key, start, stop, &elements);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return elements;
  }

  uint64_t Len(const std::string& key) {
    uint64_t length = 0;
    EXPECT_TRUE(lists().Length(0, key, &length).ok());
    return length;
  }

  std::string Index(const std::string& key, int64_t index) {
    std::optional<std::string> element;
    Status s = lists().Index(0, key, index, &element);
    if (!s.ok()) return s.message();
    return element.value_or("(nil)");
  }

  std::vector<int64_t> Pos(const std::string& key, const std::string& element, int64_t rank,
                           uint64_t count, uint64_t max_len = 0) {
    std::vector<int64_t> positions;
    ListPosOptions options{rank, count, max_len};
    Status s = lists().Positions(0, key, element, options, &positions);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return positions;
  }

  int64_t Exists(const std::string& key) {
    int64_t count = 0;
    Strings_ keys_list{key};
    EXPECT_TRUE(keys().Exists(0, keys_list, &count).ok());
    return count;
  }
};

TEST_F(ListTest, PushesAtBothEndsInRedisOrder) {
  EXPECT_EQ(Push("l", ListEnd::kLeft, {"a", "b", "c"}), 3u);
  EXPECT_EQ(Push("l", ListEnd::kRight, {"x", "y"}), 5u);
  EXPECT_EQ(Range("l"), (Strings_{"c", "b", "a", "x", "y"}));
  EXPECT_EQ(Len("l"), 5u);
  EXPECT_EQ(Len("missing"), 0u);
}

TEST_F(ListTest, PushIfExistsDoesNothingOnMissingKey) {
  EXPECT_EQ(Push("l", ListEnd::kLeft, {"a"}, /*only_if_exists=*/true), 0u);
  EXPECT_EQ(Exists("l"), 0);
  RPush("l", {"a"});
  EXPECT_EQ(Push("l", ListEnd::kLeft, {"b"}, /*only_if_exists=*/true), 2u);
  EXPECT_EQ(Range("l"), (Strings_{"b", "a"}));
}

TEST_F(ListTest, WrongTypeEverywhere) {
  Set(0, "s", "v");
  uint64_t length = 0;
  Strings_ out;
  Strings_ one{"a"};
  std::optional<std::string> element;
  std::vector<int64_t> positions;
  int64_t inserted = 0;
  uint64_t removed = 0;
  uint64_t remaining = 0;
  EXPECT_TRUE(lists().Push(0, "s", ListEnd::kLeft, one, false, &length).IsWrongType());
  EXPECT_TRUE(lists().Push(0, "s", ListEnd::kLeft, one, true, &length).IsWrongType());
  EXPECT_TRUE(lists().Pop(0, "s", ListEnd::kLeft, 1, &out).IsWrongType());
  EXPECT_TRUE(lists().Length(0, "s", &length).IsWrongType());
  EXPECT_TRUE(lists().Index(0, "s", 0, &element).IsWrongType());
  EXPECT_TRUE(lists().Range(0, "s", 0, -1, &out).IsWrongType());
  EXPECT_TRUE(lists().Positions(0, "s", "a", ListPosOptions{}, &positions).IsWrongType());
  EXPECT_TRUE(lists().Insert(0, "s", true, "a", "b", &inserted).IsWrongType());
  EXPECT_TRUE(lists().Set(0, "s", 0, "b").IsWrongType());
  EXPECT_TRUE(lists().Remove(0, "s", 0, "a", &removed, &remaining).IsWrongType());
  EXPECT_TRUE(lists().Trim(0, "s", 0, 1, &remaining).IsWrongType());
  EXPECT_EQ(Get(0, "s"), "v");
}

TEST_F(ListTest, PopsFromBothEndsAndDeletesTheEmptiedKey) {
  RPush("l", {"a", "b", "c", "d", "e"});
  uint64_t remaining = 99;
  EXPECT_EQ(Pop("l", ListEnd::kLeft, 2, &remaining), (Strings_{"a", "b"}));
  EXPECT_EQ(remaining, 3u);
  EXPECT_EQ(Pop("l", ListEnd::kRight, 1), (Strings_{"e"}));
  EXPECT_EQ(Pop("l", ListEnd::kLeft, 0), Strings_{});
  EXPECT_EQ(Pop("l", ListEnd::kRight, 100, &remaining), (Strings_{"d", "c"}));
  EXPECT_EQ(remaining, 0u);
  EXPECT_EQ(Exists("l"), 0);
  EXPECT_EQ(Pop("l", ListEnd::kLeft, 1, &remaining), Strings_{});
  EXPECT_EQ(remaining, 0u);
  // A long pop reads through the iterator path and drops members with a range delete.
  Strings_ many;
  for (int i = 0; i < 300; ++i) many.push_back(std::to_string(i));
  RPush("l", many);
  Strings_ popped = Pop("l", ListEnd::kRight, 200);
  ASSERT_EQ(popped.size(), 200u);
  EXPECT_EQ(popped.front(), "299");
  EXPECT_EQ(popped.back(), "100");
  EXPECT_EQ(Len("l"), 100u);
  // The emptied first incarnation left its two members to the collector: compaction drops
  // them, while the range tombstone already hides the 200 popped ones.
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 102u);
  rocksdb::CompactRangeOptions compact;
  ASSERT_TRUE(storage_->rocks()->CompactRange(compact, storage_->sub_cf(), nullptr, nullptr).ok());
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 100u);
}

TEST_F(ListTest, MoveBetweenKeysRotatesAndRefusesWrongTypes) {
  RPush("src", {"a", "b", "c"});
  std::optional<std::string> moved;
  uint64_t left = 0;
  ASSERT_TRUE(lists().Move(0, "src", "dst", ListEnd::kRight, ListEnd::kLeft, &moved, &left).ok());
  EXPECT_EQ(moved, "c");
  EXPECT_EQ(left, 2u);
  EXPECT_EQ(Range("dst"), Strings_{"c"});
  ASSERT_TRUE(lists().Move(0, "src", "src", ListEnd::kLeft, ListEnd::kRight, &moved).ok());
  EXPECT_EQ(moved, "a");
  EXPECT_EQ(Range("src"), (Strings_{"b", "a"}));
  Set(0, "str", "v");
  EXPECT_TRUE(lists().Move(0, "src", "str", ListEnd::kLeft, ListEnd::kLeft, &moved).IsWrongType());
  EXPECT_TRUE(lists().Move(0, "str", "src", ListEnd::kLeft, ListEnd::kLeft, &moved).IsWrongType());
  EXPECT_EQ(Range("src"), (Strings_{"b", "a"}));
  ASSERT_TRUE(lists().Move(0, "none", "str", ListEnd::kLeft, ListEnd::kLeft, &moved).ok());
  EXPECT_FALSE(moved.has_value());
  RPush("one", {"x"});
  ASSERT_TRUE(lists().Move(0, "one", "one", ListEnd::kLeft, ListEnd::kLeft, &moved, &left).ok());
  EXPECT_EQ(left, 1u);
  EXPECT_EQ(Range("one"), Strings_{"x"});
  ASSERT_TRUE(lists().Move(0, "one", "dst", ListEnd::kLeft, ListEnd::kRight, &moved, &left).ok());
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(Exists("one"), 0);
  EXPECT_EQ(Range("dst"), (Strings_{"c", "x"}));
}

TEST_F(ListTest, IndexAndRangeFollowRedisRules) {
  RPush("l", {"a", "b", "c", "d"});
  EXPECT_EQ(Index("l", 0), "a");
  EXPECT_EQ(Index("l", -1), "d");
  EXPECT_EQ(Index("l", -4), "a");
  EXPECT_EQ(Index("l", -5), "(nil)");
  EXPECT_EQ(Index("l", 4), "(nil)");
  EXPECT_EQ(Index("l", kMin), "(nil)");
  EXPECT_EQ(Index("l", kMax), "(nil)");
  EXPECT_EQ(Index("none", 0), "(nil)");
  EXPECT_EQ(Range("l", 1, 2), (Strings_{"b", "c"}));
  EXPECT_EQ(Range("l", -100, 100), (Strings_{"a", "b", "c", "d"}));
  EXPECT_EQ(Range("l", -2, -1), (Strings_{"c", "d"}));
  EXPECT_EQ(Range("l", 3, 1), Strings_{});
  EXPECT_EQ(Range("l", -1, -2), Strings_{});
  EXPECT_EQ(Range("l", 4, 10), Strings_{});
  EXPECT_EQ(Range("l", kMin, kMax), (Strings_{"a", "b", "c", "d"}));
  EXPECT_EQ(Range("l", 2, 2), Strings_{"c"});
  EXPECT_EQ(Range("none"), Strings_{});
}

TEST_F(ListTest, PositionsHonourRankCountAndMaxLen) {
  RPush("l", {"a", "b", "a", "c", "a"});
  EXPECT_EQ(Pos("l", "a", 1, 1), (std::vector<int64_t>{0}));
  EXPECT_EQ(Pos("l", "a", 1, 0), (std::vector<int64_t>{0, 2, 4}));
  EXPECT_EQ(Pos("l", "a", -1, 0), (std::vector<int64_t>{4, 2, 0}));
  EXPECT_EQ(Pos("l", "a", 2, 2), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(Pos("l", "a", -2, 1), (std::vector<int64_t>{2}));
  EXPECT_EQ(Pos("l", "a", 2, 2, 3), (std::vector<int64_t>{2}));
  EXPECT_EQ(Pos("l", "a", -1, 0, 2), (std::vector<int64_t>{4}));
  EXPECT_EQ(Pos("l", "a", 4, 1), std::vector<int64_t>{});
  EXPECT_EQ(Pos("l", "a", kMax, 1), std::vector<int64_t>{});
  EXPECT_EQ(Pos("l", "a", -kMax, 1), std::vector<int64_t>{});
  EXPECT_EQ(Pos("l", "a", kMin, 0), (std::vector<int64_t>{4, 2, 0}));  // as Redis: every match
  EXPECT_EQ(Pos("l", "z", 1, 0), std::vector<int64_t>{});
  EXPECT_EQ(Pos("none", "a", 1, 0), std::vector<int64_t>{});
}

TEST_F(ListTest, InsertFindsThePivotFromTheHead) {
  int64_t length = 0;
  ASSERT_TRUE(lists().Insert(0, "none", false, "a", "x", &length).ok());
  EXPECT_EQ(length, 0);
  EXPECT_EQ(Exists("none"), 0);
  RPush("l", {"a", "b", "c", "d", "b"});
  ASSERT_TRUE(lists().Insert(0, "l", false, "zz", "x", &length).ok());
  EXPECT_EQ(length, -1);
  ASSERT_TRUE(lists().Insert(0, "l", false, "b", "x", &length).ok());  // near the head
  EXPECT_EQ(length, 6);
  ASSERT_TRUE(lists().Insert(0, "l", true, "d", "y", &length).ok());  // near the tail
  ASSERT_TRUE(lists().Insert(0, "l", false, "a", "h", &length).ok());
  ASSERT_TRUE(lists().Insert(0, "l", true, "y", "t", &length).ok());
  EXPECT_EQ(length, 9);
  EXPECT_EQ(Range("l"), (Strings_{"h", "a", "x", "b", "c", "d", "y", "t", "b"}));
}

TEST_F(ListTest, SetByIndex) {
  EXPECT_EQ(lists().Set(0, "none", 0, "x").message(), "ERR no such key");
  EXPECT_EQ(Exists("none"), 0);
  RPush("l", {"a", "b", "c"});
  ASSERT_TRUE(lists().Set(0, "l", 1, "B").ok());
  ASSERT_TRUE(lists().Set(0, "l", -1, "C").ok());
  EXPECT_EQ(lists().Set(0, "l", 3, "x").message(), "ERR index out of range");
  EXPECT_EQ(lists().Set(0, "l", -4, "x").message(), "ERR index out of range");
  EXPECT_EQ(lists().Set(0, "l", kMin, "x").message(), "ERR index out of range");
  EXPECT_EQ(Range("l"), (Strings_{"a", "B", "C"}));
}

TEST_F(ListTest, RemoveByCountFromEitherSide) {
  RPush("l", {"a", "x", "b", "x", "c", "x", "d"});
  uint64_t removed = 0;
  uint64_t remaining = 0;
  ASSERT_TRUE(lists().Remove(0, "l", 1, "x", &removed, &remaining).ok());
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(remaining, 6u);
  EXPECT_EQ(Range("l"), (Strings_{"a", "b", "x", "c", "x", "d"}));
  ASSERT_TRUE(lists().Remove(0, "l", -1, "x", &removed, &remaining).ok());
  EXPECT_EQ(Range("l"), (Strings_{"a", "b", "x", "c", "d"}));
  ASSERT_TRUE(lists().Remove(0, "l", 0, "zz", &removed, &remaining).ok());
  EXPECT_EQ(removed, 0u);
  EXPECT_EQ(remaining, 5u);
  RPush("same", {"x", "x", "x"});
  ASSERT_TRUE(lists().Remove(0, "same", 0, "x", &removed, &remaining).ok());
  EXPECT_EQ(removed, 3u);
  EXPECT_EQ(remaining, 0u);
  EXPECT_EQ(Exists("same"), 0);
  ASSERT_TRUE(lists().Remove(0, "none", 0, "x", &removed, &remaining).ok());
  EXPECT_EQ(removed, 0u);
}

TEST_F(ListTest, TrimKeepsTheRangeAndDropsTheRest) {
  uint64_t remaining = 0;
  EXPECT_TRUE(lists().Trim(0, "none", 0, 1, &remaining).IsNotFound());
  Strings_ many;
  for (int i = 0; i < 500; ++i) many.push_back(std::to_string(i));
  RPush("l", many);
  ASSERT_TRUE(lists().Trim(0, "l", 100, -101, &remaining).ok());
  EXPECT_EQ(remaining, 300u);
  EXPECT_EQ(Index("l", 0), "100");
  EXPECT_EQ(Index("l", -1), "399");
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 300u);  // range tombstones hide both ends
  ASSERT_TRUE(lists().Trim(0, "l", 1, 2, &remaining).ok());
  EXPECT_EQ(Range("l"), (Strings_{"101", "102"}));
  ASSERT_TRUE(lists().Trim(0, "l", 0, -1, &remaining).ok());
  EXPECT_EQ(remaining, 2u);
  ASSERT_TRUE(lists().Trim(0, "l", 5, 10, &remaining).ok());
  EXPECT_EQ(remaining, 0u);
  EXPECT_EQ(Exists("l"), 0);
}

// Random inserts, removals, trims, sets and pops against a std::deque.
TEST_F(ListTest, MiddleEditsMatchAModel) {
  std::mt19937 random(42);
  std::deque<std::string> model;
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  for (int step = 0; step < 600; ++step) {
    std::string value = std::to_string(pick(6));
    int size = static_cast<int>(model.size());
    switch (pick(6)) {
      case 0:
      case 1: {
        bool left = pick(2) == 0;
        Push("m", left ? ListEnd::kLeft : ListEnd::kRight, {value});
        left ? model.push_front(value) : model.push_back(value);
        break;
      }
      case 2: {
        std::string pivot = std::to_string(pick(6));
        bool after = pick(2) == 0;
        int64_t length = 0;
        ASSERT_TRUE(lists().Insert(0, "m", after, pivot, value, &length).ok());
        auto it = std::find(model.begin(), model.end(), pivot);
        if (it != model.end()) model.insert(after ? it + 1 : it, value);
        break;
      }
      case 3: {
        int64_t count = pick(5) - 2;
        uint64_t removed = 0;
        uint64_t remaining = 0;
        ASSERT_TRUE(lists().Remove(0, "m", count, value, &removed, &remaining).ok());
        uint64_t expected = 0;
        if (count >= 0) {
          for (auto it = model.begin(); it != model.end();) {
            bool take = *it == value && (count == 0 || expected < static_cast<uint64_t>(count));
            if (take) ++expected;
            it = take ? model.erase(it) : it + 1;
          }
        } else {
          for (int i = size - 1; i >= 0 && expected < static_cast<uint64_t>(-count); --i) {
            if (model[static_cast<size_t>(i)] == value) {
              model.erase(model.begin() + i);
              ++expected;
            }
          }
        }
        EXPECT_EQ(removed, expected);
        break;
      }
      case 4:
        if (size > 0) {
          int index = pick(size);
          ASSERT_TRUE(lists().Set(0, "m", index, value).ok());
          model[static_cast<size_t>(index)] = value;
        }
        break;
      default:
        if (size > 20) {
          uint64_t remaining = 0;
          ASSERT_TRUE(lists().Trim(0, "m", 1, -2, &remaining).ok());
          model.pop_front();
          model.pop_back();
        }
        break;
    }
    ASSERT_EQ(Range("m"), Strings_(model.begin(), model.end())) << "step " << step;
    ASSERT_EQ(Len("m"), model.size());
  }
}

TEST_F(ListTest, QueueLeavesNoMembersBehind) {
  for (int i = 0; i < 2000; ++i) {
    Push("q", ListEnd::kLeft, {std::to_string(i)});
    if (i % 2 == 1) {
      EXPECT_EQ(Pop("q", ListEnd::kRight, 1), Strings_{std::to_string(i / 2)});
    }
  }
  EXPECT_EQ(Len("q"), 1000u);
  EXPECT_EQ(CountEntries(storage_->sub_cf()), 1000u);
  EXPECT_EQ(Index("q", -1), "1000");
}

TEST_F(ListTest, ExpiredKeyIsAFreshList) {
  RPush("l", {"old1", "old2"});
  bool applied = false;
  ASSERT_TRUE(
      keys()
          .Expire(0, "l", static_cast<int64_t>(kStartMs + 1000), ExpireCondition{}, &applied)
          .ok());
  clock_.AdvanceMs(2000);
  EXPECT_EQ(Len("l"), 0u);
  EXPECT_EQ(Push("l", ListEnd::kLeft, {"new"}, /*only_if_exists=*/true), 0u);
  EXPECT_EQ(RPush("l", {"new"}), 1u);
  EXPECT_EQ(Range("l"), Strings_{"new"});
}

TEST_F(ListTest, TransactionReadsItsPendingWrites) {
  RPush("l", {"a"});
  {
    TransactionBatch transaction(storage_.get());
    RPush("l", {"b", "c"});
    EXPECT_EQ(Range("l"), (Strings_{"a", "b", "c"}));
    EXPECT_EQ(Pop("l", ListEnd::kLeft, 1), Strings_{"a"});
    uint64_t remaining = 0;
    ASSERT_TRUE(lists().Trim(0, "l", 0, 0, &remaining).ok());
    EXPECT_EQ(Range("l"), Strings_{"b"});
    ASSERT_TRUE(transaction.Commit().ok());
  }
  EXPECT_EQ(Range("l"), Strings_{"b"});
}

TEST_F(ListTest, SurvivesReopen) {
  RPush("l", {"a", "b", "c"});
  Pop("l", ListEnd::kLeft, 1);
  Reopen();
  EXPECT_EQ(Range("l"), (Strings_{"b", "c"}));
  EXPECT_EQ(Len("l"), 2u);
}

}  // namespace
}  // namespace cairn
