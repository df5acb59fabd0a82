// Engine tests of ZSets: adds with every condition, point reads, ranks, ranges by rank,
// score and lex, removals, pops, the set algebra (with set inputs written through the set
// layout), stores, random picks, the score bounds kept in metadata, and persistence.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "encoding/collection_layout.h"
#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/zset.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

class ZSetEngineTest : public EngineTest {
 protected:
  ZSets& zsets() { return storage_->zsets(); }

  ZAddResult Add(const std::string& key, const std::vector<ScoredMember>& members,
                 ZAddOptions options = {}) {
    ZAddResult result;
    Status s = zsets().Add(0, key, options, members, &result);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return result;
  }

  // "member:score ..." of a range.
  std::string Range(const std::string& key, const ZRangeSpec& spec) {
    std::vector<ScoredMember> members;
    Status s = zsets().Range(0, key, spec, &members);
    if (!s.ok()) return "(error) " + s.message();
    std::string out;
    for (const ScoredMember& m : members) {
      if (!out.empty()) out += ' ';
      char score[64];
      snprintf(score, sizeof(score), "%g", m.score);
      out += m.member + ":" + score;
    }
    return out;
  }

  std::string All(const std::string& key) { return Range(key, ZRangeSpec()); }

  uint64_t Card(const std::string& key) {
    uint64_t size = 0;
    EXPECT_TRUE(zsets().Card(0, key, &size).ok());
    return size;
  }

  // A set written through the set layout, as Sets does.
  void WriteSet(const std::string& key, const std::vector<std::string>& members) {
    CollectionKey set;
    ASSERT_TRUE(set.Load(*storage_, 0, key, ValueType::kSet).ok());
    KeyBatch batch(storage_.get());
    for (const std::string& m : members) {
      batch.batch()->Put(storage_->sub_cf(), set.MemberKey(m), rocksdb::Slice());
    }
    set.Update(&batch, set.size() + members.size());
    ASSERT_TRUE(batch.Commit().ok());
  }

  void Seed() { Add("z", {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5}}); }
};

ZRangeSpec Ranks(int64_t start, int64_t stop, bool reverse = false) {
  ZRangeSpec spec;
  spec.start = start;
  spec.stop = stop;
  spec.reverse = reverse;
  return spec;
}

ZRangeSpec Scores(double min, bool min_ex, double max, bool max_ex, bool reverse = false) {
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kScore;
  spec.score = {{min, min_ex}, {max, max_ex}};
  spec.reverse = reverse;
  return spec;
}

LexBound Lex(char kind, const std::string& value = "") {
  LexBound bound;
  bound.kind = kind == '-'   ? LexBound::Kind::kMinusInfinity
               : kind == '+' ? LexBound::Kind::kPlusInfinity
               : kind == '[' ? LexBound::Kind::kInclusive
                             : LexBound::Kind::kExclusive;
  bound.value = value;
  return bound;
}

ZRangeSpec LexSpec(LexBound min, LexBound max, bool reverse = false) {
  ZRangeSpec spec;
  spec.by = ZRangeSpec::By::kLex;
  spec.lex = {min, max};
  spec.reverse = reverse;
  return spec;
}

TEST_F(ZSetEngineTest, AddCountsAndConditions) {
  ZAddResult r = Add("z", {{"a", 1}, {"b", 2}, {"a", 3}});
  EXPECT_EQ(r.added, 2u);
  EXPECT_EQ(r.updated, 1u);  // the repeated member sees its own earlier add
  EXPECT_EQ(All("z"), "b:2 a:3");
  EXPECT_EQ(Card("z"), 2u);

  ZAddOptions nx;
  nx.condition = ZAddOptions::Condition::kIfAbsent;
  r = Add("z", {{"a", 10}, {"c", 1}}, nx);
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(r.updated, 0u);
  ZAddOptions xx;
  xx.condition = ZAddOptions::Condition::kIfPresent;
  r = Add("z", {{"a", 0}, {"d", 1}}, xx);
  EXPECT_EQ(r.added, 0u);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(All("z"), "a:0 c:1 b:2");

  ZAddOptions gt;
  gt.compare = ZAddOptions::Compare::kGreater;
  r = Add("z", {{"a", -5}, {"c", 7}, {"n", -1}}, gt);
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.processed, 2u);
  ZAddOptions lt;
  lt.compare = ZAddOptions::Compare::kLess;
  r = Add("z", {{"b", 5}, {"c", 6}}, lt);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(All("z"), "n:-1 a:0 b:2 c:6");

  // XX on a missing key creates nothing.
  Add("missing", {{"a", 1}}, xx);
  EXPECT_EQ(Card("missing"), 0u);
  EXPECT_EQ(keys().DbSize(0), 1);
}

TEST_F(ZSetEngineTest, IncrementAndNaN) {
  ZAddOptions incr;
  incr.increment = true;
  ZAddResult r = Add("z", {{"a", 1.5}}, incr);
  EXPECT_EQ(r.score, 1.5);
  r = Add("z", {{"a", 2}}, incr);
  EXPECT_EQ(r.score, 3.5);
  EXPECT_EQ(r.updated, 1u);
  r = Add("z", {{"a", 0}}, incr);
  EXPECT_EQ(r.processed, 1u);
  EXPECT_EQ(r.updated, 0u);

  Add("z", {{"a", kInf}});
  ZAddResult ignored;
  Status s = zsets().Add(0, "z", incr, std::vector<ScoredMember>{{"a", -kInf}}, &ignored);
  EXPECT_EQ(s.message(), "ERR resulting score is not a number (NaN)");
  std::optional<double> score;
  ASSERT_TRUE(zsets().Score(0, "z", "a", &score).ok());
  EXPECT_EQ(score, kInf);

  // -0 is stored as 0.
  Add("z", {{"m", -0.0}});
  ASSERT_TRUE(zsets().Score(0, "z", "m", &score).ok());
  EXPECT_FALSE(std::signbit(*score));
}

TEST_F(ZSetEngineTest, WrongTypeAndMissing) {
  Set(0, "s", "x");
  ZAddResult r;
  EXPECT_TRUE(zsets().Add(0, "s", {}, std::vector<ScoredMember>{{"a", 1}}, &r).IsWrongType());
  std::optional<double> score;
  EXPECT_TRUE(zsets().Score(0, "s", "a", &score).IsWrongType());
  std::vector<ScoredMember> popped;
  EXPECT_TRUE(zsets().Pop(0, "s", false, 1, &popped).IsWrongType());
  EXPECT_TRUE(zsets().Pop(0, "nothing", false, 1, &popped).ok());
  EXPECT_TRUE(popped.empty());
  EXPECT_EQ(All("nothing"), "");
  std::optional<uint64_t> rank;
  EXPECT_TRUE(zsets().Rank(0, "nothing", "a", false, &rank).ok());
  EXPECT_FALSE(rank.has_value());
}

TEST_F(ZSetEngineTest, ScoresAndRanks) {
  Seed();
  std::vector<std::optional<double>> scores;
  std::vector<std::string> members = {"a", "x", "e"};
  ASSERT_TRUE(zsets().Scores(0, "z", members, &scores).ok());
  EXPECT_EQ(scores, (std::vector<std::optional<double>>{1.0, std::nullopt, 5.0}));
  for (int i = 0; i < 5; ++i) {
    std::string member(1, static_cast<char>('a' + i));
    std::optional<uint64_t> rank;
    ASSERT_TRUE(zsets().Rank(0, "z", member, false, &rank).ok());
    EXPECT_EQ(rank, static_cast<uint64_t>(i));
    ASSERT_TRUE(zsets().Rank(0, "z", member, true, &rank).ok());
    EXPECT_EQ(rank, static_cast<uint64_t>(4 - i));
  }
}

TEST_F(ZSetEngineTest, RankRanges) {
  Seed();
  EXPECT_EQ(Range("z", Ranks(0, -1)), "a:1 b:2 c:3 d:4 e:5");
  EXPECT_EQ(Range("z", Ranks(1, 2)), "b:2 c:3");
  EXPECT_EQ(Range("z", Ranks(-2, -1)), "d:4 e:5");  // walked from the top
  EXPECT_EQ(Range("z", Ranks(0, 1, true)), "e:5 d:4");
  EXPECT_EQ(Range("z", Ranks(3, 10, true)), "b:2 a:1");  // walked from the bottom, reversed
  EXPECT_EQ(Range("z", Ranks(-100, 0)), "a:1");
  EXPECT_EQ(Range("z", Ranks(3, 1)), "");
  EXPECT_EQ(Range("z", Ranks(5, 10)), "");
}

TEST_F(ZSetEngineTest, ScoreRanges) {
  Seed();
  EXPECT_EQ(Range("z", Scores(2, false, 4, false)), "b:2 c:3 d:4");
  EXPECT_EQ(Range("z", Scores(2, true, 4, true)), "c:3");
  EXPECT_EQ(Range("z", Scores(-kInf, false, kInf, false)), "a:1 b:2 c:3 d:4 e:5");
  EXPECT_EQ(Range("z", Scores(2, false, 4, true, true)), "c:3 b:2");
  EXPECT_EQ(Range("z", Scores(4, false, 2, false)), "");
  ZRangeSpec limited = Scores(-kInf, false, kInf, false);
  limited.offset = 1;
  limited.limit = 2;
  EXPECT_EQ(Range("z", limited), "b:2 c:3");
  limited.reverse = true;
  EXPECT_EQ(Range("z", limited), "d:4 c:3");
  limited.offset = -1;
  EXPECT_EQ(Range("z", limited), "");
  uint64_t count = 0;
  ASSERT_TRUE(zsets().Count(0, "z", {{1, true}, {5, false}}, &count).ok());
  EXPECT_EQ(count, 4u);
}

TEST_F(ZSetEngineTest, LexRanges) {
  Add("l", {{"a", 0}, {"b", 0}, {"c", 0}, {"d", 0}, {"e", 0}});
  EXPECT_EQ(Range("l", LexSpec(Lex('['), Lex('+'))), "a:0 b:0 c:0 d:0 e:0");
  EXPECT_EQ(Range("l", LexSpec(Lex('(', "b"), Lex('[', "d"))), "c:0 d:0");
  EXPECT_EQ(Range("l", LexSpec(Lex('-'), Lex('(', "c"))), "a:0 b:0");
  EXPECT_EQ(Range("l", LexSpec(Lex('[', "b"), Lex('(', "e"), true)), "d:0 c:0 b:0");
  EXPECT_EQ(Range("l", LexSpec(Lex('+'), Lex('-'))), "");
  uint64_t count = 0;
  ASSERT_TRUE(zsets().LexCount(0, "l", {Lex('[', "aa"), Lex('[', "d")}, &count).ok());
  EXPECT_EQ(count, 3u);
  // Mixed scores: Redis's listpack rule, start at the first member >= min in score order.
  Add("m", {{"c", 1}, {"a", 2}, {"b", 3}});
  EXPECT_EQ(Range("m", LexSpec(Lex('[', "b"), Lex('+'))), "c:1 a:2 b:3");
}

TEST_F(ZSetEngineTest, RemoveAndRemoveRanges) {
  Seed();
  uint64_t removed = 0;
  std::vector<std::string> members = {"a", "a", "x"};
  ASSERT_TRUE(zsets().Remove(0, "z", members, &removed).ok());
  EXPECT_EQ(removed, 1u);
  ASSERT_TRUE(zsets().RemoveRange(0, "z", Ranks(0, 0), &removed).ok());
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(All("z"), "c:3 d:4 e:5");
  ASSERT_TRUE(zsets().RemoveRange(0, "z", Scores(4, false, kInf, false), &removed).ok());
  EXPECT_EQ(removed, 2u);
  EXPECT_EQ(All("z"), "c:3");
  ASSERT_TRUE(zsets().RemoveRange(0, "z", LexSpec(Lex('-'), Lex('+')), &removed).ok());
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(keys().DbSize(0), 0);
}

TEST_F(ZSetEngineTest, PopsFromBothEnds) {
  Seed();
  std::vector<ScoredMember> popped;
  ASSERT_TRUE(zsets().Pop(0, "z", false, 2, &popped).ok());
  ASSERT_EQ(popped.size(), 2u);
  EXPECT_EQ(popped[0].member, "a");
  EXPECT_EQ(popped[1].member, "b");
  ASSERT_TRUE(zsets().Pop(0, "z", true, 1, &popped).ok());
  EXPECT_EQ(popped[0].member, "e");
  EXPECT_EQ(popped[0].score, 5);
  // The bounds were tightened; adding below them widens them again.
  Add("z", {{"low", -1}, {"high", 9}});
  EXPECT_EQ(All("z"), "low:-1 c:3 d:4 high:9");
  ASSERT_TRUE(zsets().Pop(0, "z", false, 100, &popped).ok());
  EXPECT_EQ(popped.size(), 4u);
  EXPECT_EQ(keys().DbSize(0), 0);
}

TEST_F(ZSetEngineTest, TrimmedLeaderboardKeepsItsTop) {
  // ZADD + ZREMRANGEBYRANK 0 -11: the bounds follow the trimmed bottom.
  for (int i = 0; i < 500; ++i) {
    Add("board", {{"p" + std::to_string(i), static_cast<double>(i)}});
    uint64_t removed = 0;
    ASSERT_TRUE(zsets().RemoveRange(0, "board", Ranks(0, -11), &removed).ok());
  }
  EXPECT_EQ(Card("board"), 10u);
  EXPECT_EQ(Range("board", Ranks(0, 0)), "p490:490");
  EXPECT_EQ(Range("board", Ranks(0, 0, true)), "p499:499");
  std::optional<uint64_t> rank;
  ASSERT_TRUE(zsets().Rank(0, "board", "p495", false, &rank).ok());
  EXPECT_EQ(rank, 5u);
  // A score trim of the bottom, then a new lowest member still shows up first.
  uint64_t removed = 0;
  ASSERT_TRUE(zsets().RemoveRange(0, "board", Scores(-kInf, false, 494, false), &removed).ok());
  EXPECT_EQ(removed, 5u);
  Add("board", {{"new", 1}});
  EXPECT_EQ(Range("board", Ranks(0, 1)), "new:1 p495:495");
  EXPECT_EQ(Range("board", Scores(-kInf, false, 495, false)), "new:1 p495:495");
}

TEST_F(ZSetEngineTest, AlgebraWithSetInputs) {
  Add("z1", {{"a", 1}, {"b", 2}, {"c", 3}});
  Add("z2", {{"b", 10}, {"c", 20}, {"d", 30}});
  WriteSet("s", {"c", "x"});
  std::vector<std::string> keys = {"z1", "z2", "s"};
  ZCombineSpec spec;
  spec.keys = keys;
  std::vector<ScoredMember> result;
  ASSERT_TRUE(zsets().Combine(0, spec, &result).ok());
  ASSERT_EQ(result.size(), 5u);
  EXPECT_EQ(result[0].member, "a");
  EXPECT_EQ(result.back().member, "d");
  spec.op = ZSetOp::kInter;
  spec.weights = {1, 2, 100};
  spec.aggregate = ZAggregate::kSum;
  ASSERT_TRUE(zsets().Combine(0, spec, &result).ok());
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].member, "c");
  EXPECT_EQ(result[0].score, 3 + 40 + 100);
  spec.op = ZSetOp::kDiff;
  spec.weights.clear();
  ASSERT_TRUE(zsets().Combine(0, spec, &result).ok());
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].member, "a");
  uint64_t cardinality = 0;
  std::vector<std::string> two = {"z1", "z2"};
  ASSERT_TRUE(zsets().InterCard(0, two, 1, &cardinality).ok());
  EXPECT_EQ(cardinality, 1u);
  ASSERT_TRUE(zsets().InterCard(0, two, 0, &cardinality).ok());
  EXPECT_EQ(cardinality, 2u);

  Set(0, "str", "x");
  std::vector<std::string> bad = {"z1", "str"};
  EXPECT_TRUE(zsets().CheckCombineSources(0, bad).IsWrongType());
  std::vector<std::string> good = {"z1", "s", "missing"};
  std::vector<bool> found;
  EXPECT_TRUE(zsets().CheckCombineSources(0, good, &found).ok());
  EXPECT_EQ(found, (std::vector<bool>{true, true, false}));
}

TEST_F(ZSetEngineTest, StoresReplaceAndDelete) {
  Add("z1", {{"a", 1}, {"b", 2}});
  Set(0, "dst", "string");
  std::vector<std::string> inputs = {"z1", "z1"};
  ZCombineSpec spec;
  spec.keys = inputs;
  uint64_t stored = 0;
  ASSERT_TRUE(zsets().CombineStore(0, "dst", spec, &stored).ok());
  EXPECT_EQ(stored, 2u);
  EXPECT_EQ(All("dst"), "a:2 b:4");
  // The source may be the destination.
  ASSERT_TRUE(zsets().RangeStore(0, "z1", "z1", Ranks(1, 1), &stored).ok());
  EXPECT_EQ(All("z1"), "b:2");
  ASSERT_TRUE(zsets().RangeStore(0, "dst", "missing", Ranks(0, -1), &stored).ok());
  EXPECT_EQ(stored, 0u);
  EXPECT_EQ(Card("dst"), 0u);
  EXPECT_EQ(keys().DbSize(0), 1);
}

TEST_F(ZSetEngineTest, RandomMembers) {
  Seed();
  std::vector<ScoredMember> picks;
  ASSERT_TRUE(zsets().RandomMembers(0, "z", 3, &picks).ok());
  std::set<std::string> distinct;
  for (const ScoredMember& m : picks) distinct.insert(m.member);
  EXPECT_EQ(distinct.size(), 3u);
  ASSERT_TRUE(zsets().RandomMembers(0, "z", 10, &picks).ok());
  EXPECT_EQ(picks.size(), 5u);
  EXPECT_EQ(picks[0].member, "a");  // the whole set comes in order
  ASSERT_TRUE(zsets().RandomMembers(0, "z", -20, &picks).ok());
  EXPECT_EQ(picks.size(), 20u);
  for (const ScoredMember& m : picks) EXPECT_EQ(m.score, m.member[0] - 'a' + 1);
  EXPECT_FALSE(zsets().RandomMembers(0, "z", -(int64_t{1} << 40), &picks).ok());
}

TEST_F(ZSetEngineTest, SurvivesReopen) {
  Seed();
  std::vector<ScoredMember> popped;
  ASSERT_TRUE(zsets().Pop(0, "z", false, 1, &popped).ok());
  Reopen();
  EXPECT_EQ(All("z"), "b:2 c:3 d:4 e:5");
  EXPECT_EQ(Card("z"), 4u);
}

}  // namespace
}  // namespace cairn
