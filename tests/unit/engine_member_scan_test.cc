// MemberScans (HSCAN/SSCAN/ZSCAN): one-shot replies for compact collections, paged scans
// that resume where they stopped, cursors that are made up, evicted or from another
// incarnation of the key, MATCH, members changing during a scan, and the cursor table's
// scopes (SCAN's db/slot API keeps working on the same ring).
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "encoding/collection_layout.h"
#include "engine/member_scan.h"
#include "engine/scan_cursors.h"
#include "tests/unit/engine_collection_util.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

class MemberScanTest : public EngineTest {
 protected:
  MemberScans& scans() { return storage_->member_scans(); }

  static RawMembers Numbered(int count, int first = 0) {
    RawMembers members;
    for (int i = first; i < first + count; i++) {
      char name[16];
      snprintf(name, sizeof(name), "m%05d", i);
      members.emplace_back(name, "");
    }
    return members;
  }

  // Follows the cursors from `cursor` to 0; returns every member seen, repeats included.
  std::vector<std::string> ScanAll(const std::string& key, ValueType type, uint64_t cursor,
                                   size_t count, std::optional<std::string_view> pattern = {},
                                   size_t* calls = nullptr) {
    std::vector<std::string> seen;
    size_t steps = 0;
    do {
      MemberScanResult result;
      Status s = scans().Scan(0, key, type, cursor, pattern, count, &result);
      EXPECT_TRUE(s.ok()) << s.ToString();
      if (!s.ok()) break;
      EXPECT_LE(result.members.size(), count);
      for (const ScannedMember& member : result.members) seen.push_back(member.member);
      cursor = result.next_cursor;
      steps++;
    } while (cursor != 0 && steps < 100000);
    if (calls != nullptr) *calls = steps;
    return seen;
  }
};

TEST_F(MemberScanTest, MissingKeyAndWrongType) {
  MemberScanResult result;
  EXPECT_TRUE(scans().Scan(0, "nope", ValueType::kHash, 0, {}, 10, &result).IsNotFound());
  Set(0, "str", "x");
  EXPECT_TRUE(scans().Scan(0, "str", ValueType::kSet, 0, {}, 10, &result).IsWrongType());
  WriteRawMembers(*storage_, 0, "h", ValueType::kHash, {{"f", "v"}});
  EXPECT_TRUE(scans().Scan(0, "h", ValueType::kZSet, 0, {}, 10, &result).IsWrongType());
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "h", kStartMs + 10, {}, &applied).ok());
  clock_.AdvanceMs(100);
  EXPECT_TRUE(scans().Scan(0, "h", ValueType::kHash, 0, {}, 10, &result).IsNotFound());
}

TEST_F(MemberScanTest, CompactCollectionComesWholeWithCursorZero) {
  RawMembers fields;
  for (int i = 0; i < 100; i++)
    fields.emplace_back("f" + std::to_string(i), "v" + std::to_string(i));
  WriteRawMembers(*storage_, 0, "h", ValueType::kHash, fields);
  for (uint64_t cursor : {uint64_t{0}, uint64_t{12345}, ~uint64_t{0}}) {
    MemberScanResult result;
    ASSERT_TRUE(scans().Scan(0, "h", ValueType::kHash, cursor, {}, 1, &result).ok());
    EXPECT_TRUE(result.compact);
    EXPECT_EQ(result.next_cursor, 0u);
    ASSERT_EQ(result.members.size(), 100u);
    std::map<std::string, std::string> got;
    for (const ScannedMember& member : result.members) got[member.member] = member.value;
    EXPECT_EQ(got["f42"], "v42");
  }
  MemberScanResult filtered;
  ASSERT_TRUE(scans().Scan(0, "h", ValueType::kHash, 0, "f1?", 10, &filtered).ok());
  EXPECT_EQ(filtered.members.size(), 10u);  // f10..f19
}

TEST_F(MemberScanTest, ZSetScoresAndSetValues) {
  WriteRawMembers(*storage_, 0, "z", ValueType::kZSet,
                  {{"a", EncodeScoreValue(1.5)}, {"b", EncodeScoreValue(-3)}});
  MemberScanResult result;
  ASSERT_TRUE(scans().Scan(0, "z", ValueType::kZSet, 0, {}, 10, &result).ok());
  ASSERT_EQ(result.members.size(), 2u);
  EXPECT_EQ(result.members[0].member, "a");
  EXPECT_EQ(result.members[0].score, 1.5);
  EXPECT_EQ(result.members[1].score, -3);
  EXPECT_TRUE(result.members[1].value.empty());
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, {{"1", ""}}, true);
  ASSERT_TRUE(scans().Scan(0, "s", ValueType::kSet, 0, {}, 10, &result).ok());
  EXPECT_FALSE(result.compact);
  ASSERT_EQ(result.members.size(), 1u);
  EXPECT_TRUE(result.members[0].value.empty());
}

TEST_F(MemberScanTest, LargeCollectionIsPagedAndEveryMemberComesOnce) {
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(5000), true);
  size_t calls = 0;
  std::vector<std::string> seen = ScanAll("s", ValueType::kSet, 0, 10, {}, &calls);
  EXPECT_EQ(seen.size(), 5000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5000u);
  EXPECT_EQ(calls, 500u);
}

TEST_F(MemberScanTest, CompactButHugeCollectionIsPagedToo) {
  int members = static_cast<int>(MemberScans::kOneShotLimit) + 1;
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(members));
  MemberScanResult result;
  ASSERT_TRUE(scans().Scan(0, "s", ValueType::kSet, 0, {}, 100, &result).ok());
  EXPECT_TRUE(result.compact);
  EXPECT_EQ(result.members.size(), 100u);
  EXPECT_NE(result.next_cursor, 0u);
  EXPECT_EQ(ScanAll("s", ValueType::kSet, 0, 1000).size(), static_cast<size_t>(members));
}

TEST_F(MemberScanTest, MatchFiltersTheExaminedMembers) {
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(1000), true);
  std::vector<std::string> seen = ScanAll("s", ValueType::kSet, 0, 50, "m001*");
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 100u);  // m00100 .. m00199
  EXPECT_EQ(seen.front(), "m00100");
  EXPECT_EQ(seen.back(), "m00199");
  EXPECT_EQ(ScanAll("s", ValueType::kSet, 0, 50, "*").size(), 1000u);
  EXPECT_TRUE(ScanAll("s", ValueType::kSet, 0, 50, "").empty());
}

TEST_F(MemberScanTest, MadeUpCursorRestartsAndTerminates) {
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(300), true);
  // No token of the table and a zero hint: the scan starts over.
  EXPECT_EQ(ScanAll("s", ValueType::kSet, 7, 20).size(), 300u);
  // A hint past every member ends the scan at once.
  MemberScanResult result;
  ASSERT_TRUE(scans().Scan(0, "s", ValueType::kSet, ~uint64_t{0}, {}, 20, &result).ok());
  EXPECT_TRUE(result.members.empty());
  EXPECT_EQ(result.next_cursor, 0u);
}

TEST_F(MemberScanTest, UnknownTokenResumesAtTheHintWithoutSkipping) {
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(300), true);
  // A cursor whose token was evicted: only the hint ("m00" of the last member) is left, so
  // the scan resumes at "m00" -- from the start here, as every member shares that prefix.
  uint64_t cursor = (MemberScans::HintOf("m00150") << ScanCursorTable::kTokenBits) | 12345;
  std::vector<std::string> seen = ScanAll("s", ValueType::kSet, cursor, 25);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 300u);

  WriteRawMembers(*storage_, 0, "t", ValueType::kSet,
                  {{"apple", ""}, {"berry", ""}, {"cherry", ""}}, true);
  cursor = (MemberScans::HintOf("berry") << ScanCursorTable::kTokenBits) | 99;
  EXPECT_EQ(ScanAll("t", ValueType::kSet, cursor, 1),
            (std::vector<std::string>{"berry", "cherry"}));
}

TEST_F(MemberScanTest, HintAndResumePoint) {
  EXPECT_EQ(MemberScans::HintOf(""), 0u);
  EXPECT_EQ(MemberScans::HintOf("a"), uint64_t{'a'} << 16);
  EXPECT_EQ(MemberScans::HintOf("abcdef"), (uint64_t{'a'} << 16) | (uint64_t{'b'} << 8) | 'c');
  auto cursor_of = [](std::string_view member) {
    return (MemberScans::HintOf(member) << ScanCursorTable::kTokenBits) | 1;
  };
  EXPECT_EQ(MemberScans::ResumePointOf(cursor_of("abcdef")), "abc");
  // Short members are padded with zero bytes; the resume point drops them, so "a\0" (which
  // sorts between "a" and "a\0\0") is never skipped.
  EXPECT_EQ(MemberScans::ResumePointOf(cursor_of("a")), "a");
  EXPECT_EQ(MemberScans::ResumePointOf(cursor_of(std::string("a\0", 2))), "a");
  EXPECT_EQ(MemberScans::ResumePointOf(cursor_of("")), "");
}

TEST_F(MemberScanTest, CursorOfAnotherIncarnationFallsBackToItsHint) {
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(100), true);
  MemberScanResult first;
  ASSERT_TRUE(scans().Scan(0, "s", ValueType::kSet, 0, {}, 10, &first).ok());
  ASSERT_NE(first.next_cursor, 0u);
  Set(0, "s", "gone");  // the set dies; a new one takes its name
  int64_t deleted = 0;
  ASSERT_TRUE(keys().Delete(0, std::vector<std::string>{"s"}, &deleted).ok());
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(50, 1000), true);
  std::vector<std::string> seen = ScanAll("s", ValueType::kSet, first.next_cursor, 10);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 50u);
  EXPECT_EQ(seen.front(), "m01000");
}

TEST_F(MemberScanTest, MembersPresentThroughoutAreReturnedDespiteChanges) {
  WriteRawMembers(*storage_, 0, "s", ValueType::kSet, Numbered(1000), true);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    MemberScanResult result;
    ASSERT_TRUE(scans().Scan(0, "s", ValueType::kSet, cursor, {}, 30, &result).ok());
    for (const ScannedMember& member : result.members) seen.insert(member.member);
    cursor = result.next_cursor;
    // Between calls: add members on both sides of the position and remove some ahead.
    CollectionKey key;
    ASSERT_TRUE(key.Load(*storage_, 0, "s", ValueType::kSet).ok());
    KeyBatch batch(storage_.get());
    batch.batch()->Put(storage_->sub_cf(), key.MemberKey("a" + std::to_string(step)), "");
    batch.batch()->Put(storage_->sub_cf(), key.MemberKey("z" + std::to_string(step)), "");
    char removed[16];
    snprintf(removed, sizeof(removed), "m%05d", 999 - step);
    batch.batch()->Delete(storage_->sub_cf(), key.MemberKey(removed));
    key.Update(&batch, key.size() + 1);
    ASSERT_TRUE(batch.Commit().ok());
    step++;
  } while (cursor != 0);
  // m00000 .. m(999 - steps) were there for the whole scan.
  for (int i = 0; i < 1000 - step; i++) {
    char name[16];
    snprintf(name, sizeof(name), "m%05d", i);
    EXPECT_EQ(seen.count(name), 1u) << name;
  }
}

TEST_F(MemberScanTest, ConcurrentScansDoNotDisturbEachOther) {
  WriteRawMembers(*storage_, 0, "a", ValueType::kSet, Numbered(200), true);
  WriteRawMembers(*storage_, 0, "b", ValueType::kSet, Numbered(200, 500), true);
  uint64_t cursor_a = 0, cursor_b = 0;
  std::set<std::string> seen_a, seen_b;
  do {
    MemberScanResult ra, rb;
    if (cursor_a != 0 || seen_a.empty()) {
      ASSERT_TRUE(scans().Scan(0, "a", ValueType::kSet, cursor_a, {}, 7, &ra).ok());
      for (const auto& m : ra.members) seen_a.insert(m.member);
      cursor_a = ra.next_cursor;
    }
    ASSERT_TRUE(scans().Scan(0, "b", ValueType::kSet, cursor_b, {}, 7, &rb).ok());
    for (const auto& m : rb.members) seen_b.insert(m.member);
    cursor_b = rb.next_cursor;
  } while (cursor_b != 0);
  EXPECT_EQ(seen_a.size(), 200u);
  EXPECT_EQ(seen_b.size(), 200u);
  EXPECT_EQ(*seen_b.begin(), "m00500");
}

TEST(ScanCursorTableScopeTest, TokensOnlyResumeTheirScope) {
  ScanCursorTable table;
  uint64_t token = table.Remember("scope-a", "last");
  std::string position;
  EXPECT_TRUE(table.Recall(token, "scope-a", &position));
  EXPECT_EQ(position, "last");
  EXPECT_FALSE(table.Recall(token, "scope-b", &position));
  EXPECT_FALSE(table.Recall(0, "scope-a", &position));
  uint64_t slot_token = table.Remember(3, 77, "key");
  EXPECT_TRUE(table.Recall(slot_token, 3, 77, &position));
  EXPECT_EQ(position, "key");
  EXPECT_FALSE(table.Recall(slot_token, 3, 78, &position));
  EXPECT_FALSE(table.Recall(slot_token, "scope-a", &position));
}

}  // namespace
}  // namespace cairn
