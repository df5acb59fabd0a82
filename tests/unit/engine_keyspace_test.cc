// Tests for engine/keyspace.h: EXISTS/TYPE/DEL, the EXPIRE family, RENAME/COPY/MOVE,
// FLUSHDB/FLUSHALL/SWAPDB and TOUCH, with counts and the expire index checked throughout.
#include "engine_test_env.h"

namespace cairn {
namespace {

class KeyspaceTest : public EngineTest {
 protected:
  // The expire index holds exactly one entry per key with a deadline.
  void ExpectExpireIndexConsistent() {
    int64_t total = 0;
    for (int db = 0; db < storage_->databases(); db++) total += keys().ExpiresCount(db);
    EXPECT_EQ(CountEntries(storage_->expire_cf()), static_cast<size_t>(total));
  }
  int64_t ExistsCount(int db, std::vector<std::string> names) {
    int64_t count = -1;
    EXPECT_TRUE(keys().Exists(db, names, &count).ok());
    return count;
  }
};

TEST_F(KeyspaceTest, ExistsCountsRepeats) {
  Set(0, "a", "1");
  Set(0, "b", "2");
  EXPECT_EQ(ExistsCount(0, {"a", "b", "a", "nope"}), 3);
  EXPECT_EQ(ExistsCount(1, {"a"}), 0);
}

TEST_F(KeyspaceTest, TypeOfStringAndMissing) {
  Set(0, "s", "v");
  ValueType type;
  ASSERT_TRUE(keys().Type(0, "s", &type).ok());
  EXPECT_EQ(ValueTypeName(type), "string");
  EXPECT_TRUE(keys().Type(0, "missing", &type).IsNotFound());
}

TEST_F(KeyspaceTest, DeleteCountsDistinctExistingKeys) {
  Set(0, "a", "1");
  Set(0, "b", "2", kStartMs + 1000);
  Set(0, "c", "3");
  int64_t deleted = 0;
  std::vector<std::string> names = {"a", "b", "a", "missing"};
  ASSERT_TRUE(keys().Delete(0, names, &deleted).ok());
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  EXPECT_EQ(Get(0, "a"), "(nil)");
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, DeleteOfAnExpiredKeyReclaimsButReportsZero) {
  Set(0, "gone", "v", kStartMs + 10);
  clock_.AdvanceMs(10);
  int64_t deleted = -1;
  std::vector<std::string> names = {"gone"};
  ASSERT_TRUE(keys().Delete(0, names, &deleted).ok());
  EXPECT_EQ(deleted, 0);
  EXPECT_EQ(keys().DbSize(0), 0);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, ExpireSetsAndReplacesDeadlines) {
  Set(0, "k", "v");
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "k", kStartMs + 5000, {}, &applied).ok());
  EXPECT_TRUE(applied);
  EXPECT_EQ(Ttl(0, "k"), 5000);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  ASSERT_TRUE(keys().Expire(0, "k", kStartMs + 9000, {}, &applied).ok());
  EXPECT_EQ(Ttl(0, "k"), 9000);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  ExpectExpireIndexConsistent();
  ASSERT_TRUE(keys().Expire(0, "missing", kStartMs + 9000, {}, &applied).ok());
  EXPECT_FALSE(applied);
  EXPECT_EQ(Ttl(0, "missing"), -2);
}

TEST_F(KeyspaceTest, ExpireInThePastDeletes) {
  Set(0, "k", "v");
  bool applied = false;
  ASSERT_TRUE(keys().Expire(0, "k", static_cast<int64_t>(kStartMs), {}, &applied).ok());
  EXPECT_TRUE(applied);
  EXPECT_EQ(Get(0, "k"), "(nil)");
  EXPECT_EQ(keys().DbSize(0), 0);
  Set(0, "n", "v");
  ASSERT_TRUE(keys().Expire(0, "n", -5, {}, &applied).ok());
  EXPECT_TRUE(applied);
  EXPECT_EQ(keys().DbSize(0), 0);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, ExpireConditions) {
  Set(0, "k", "v");
  bool applied = false;
  const int64_t t = static_cast<int64_t>(kStartMs);
  ASSERT_TRUE(keys().Expire(0, "k", t + 100, {.xx = true}, &applied).ok());
  EXPECT_FALSE(applied);  // XX: no deadline yet
  ASSERT_TRUE(keys().Expire(0, "k", t + 100, {.gt = true}, &applied).ok());
  EXPECT_FALSE(applied);  // GT: none counts as infinite
  ASSERT_TRUE(keys().Expire(0, "k", t + 100, {.lt = true}, &applied).ok());
  EXPECT_TRUE(applied);  // LT: anything beats infinite
  ASSERT_TRUE(keys().Expire(0, "k", t + 50, {.nx = true}, &applied).ok());
  EXPECT_FALSE(applied);
  ASSERT_TRUE(keys().Expire(0, "k", t + 50, {.gt = true}, &applied).ok());
  EXPECT_FALSE(applied);
  ASSERT_TRUE(keys().Expire(0, "k", t + 200, {.gt = true}, &applied).ok());
  EXPECT_TRUE(applied);
  ASSERT_TRUE(keys().Expire(0, "k", t + 300, {.lt = true}, &applied).ok());
  EXPECT_FALSE(applied);
  ASSERT_TRUE(keys().Expire(0, "k", t + 150, {.xx = true, .lt = true}, &applied).ok());
  EXPECT_TRUE(applied);
  EXPECT_EQ(Ttl(0, "k"), 150);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, PersistRemovesTheDeadline) {
  Set(0, "k", "v", kStartMs + 1000);
  bool removed = false;
  ASSERT_TRUE(keys().Persist(0, "k", &removed).ok());
  EXPECT_TRUE(removed);
  EXPECT_EQ(Ttl(0, "k"), -1);
  ASSERT_TRUE(keys().Persist(0, "k", &removed).ok());
  EXPECT_FALSE(removed);
  ASSERT_TRUE(keys().Persist(0, "missing", &removed).ok());
  EXPECT_FALSE(removed);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, RenameMovesValueAndDeadline) {
  Set(0, "src", "value", kStartMs + 7000);
  Set(0, "dst", "old");
  bool renamed = false;
  ASSERT_TRUE(keys().Rename(0, "src", "dst", false, &renamed).ok());
  EXPECT_TRUE(renamed);
  EXPECT_EQ(Get(0, "src"), "(nil)");
  EXPECT_EQ(Get(0, "dst"), "value");
  EXPECT_EQ(Ttl(0, "dst"), 7000);
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, RenameEdgeCases) {
  bool renamed = true;
  Status s = keys().Rename(0, "missing", "x", false, &renamed);
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.message(), "ERR no such key");
  Set(0, "a", "1");
  ASSERT_TRUE(keys().Rename(0, "a", "a", false, &renamed).ok());
  EXPECT_TRUE(renamed);
  ASSERT_TRUE(keys().Rename(0, "a", "a", true, &renamed).ok());
  EXPECT_FALSE(renamed);
  EXPECT_TRUE(keys().Rename(0, "missing", "missing", true, &renamed).IsNotFound());
  Set(0, "b", "2");
  ASSERT_TRUE(keys().Rename(0, "a", "b", true, &renamed).ok());
  EXPECT_FALSE(renamed);
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Get(0, "b"), "2");
  // An expired destination counts as absent for RENAMENX.
  Set(0, "stale", "x", kStartMs + 5);
  clock_.AdvanceMs(5);
  ASSERT_TRUE(keys().Rename(0, "a", "stale", true, &renamed).ok());
  EXPECT_TRUE(renamed);
  EXPECT_EQ(Get(0, "stale"), "1");
  EXPECT_EQ(Ttl(0, "stale"), -1);
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, CopyWithinAndAcrossDbs) {
  Set(0, "src", "v", kStartMs + 3000);
  bool copied = false;
  ASSERT_TRUE(keys().Copy(0, "src", 0, "dst", false, &copied).ok());
  EXPECT_TRUE(copied);
  EXPECT_EQ(Get(0, "dst"), "v");
  EXPECT_EQ(Ttl(0, "dst"), 3000);
  EXPECT_EQ(Get(0, "src"), "v");
  ASSERT_TRUE(keys().Copy(0, "src", 5, "src", false, &copied).ok());
  EXPECT_TRUE(copied);
  EXPECT_EQ(Get(5, "src"), "v");
  Set(0, "src", "new");
  ASSERT_TRUE(keys().Copy(0, "src", 0, "dst", false, &copied).ok());
  EXPECT_FALSE(copied);
  EXPECT_EQ(Get(0, "dst"), "v");
  ASSERT_TRUE(keys().Copy(0, "src", 0, "dst", true, &copied).ok());
  EXPECT_TRUE(copied);
  EXPECT_EQ(Get(0, "dst"), "new");
  EXPECT_EQ(Ttl(0, "dst"), -1);
  ASSERT_TRUE(keys().Copy(0, "missing", 0, "x", true, &copied).ok());
  EXPECT_FALSE(copied);
  Status same = keys().Copy(0, "src", 0, "src", true, &copied);
  EXPECT_TRUE(same.IsInvalidArgument());
  EXPECT_EQ(same.message(), "ERR source and destination objects are the same");
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().DbSize(5), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  EXPECT_EQ(keys().ExpiresCount(5), 1);
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, MoveBetweenDbs) {
  Set(0, "k", "v", kStartMs + 2000);
  bool moved = false;
  ASSERT_TRUE(keys().Move(0, 1, "k", &moved).ok());
  EXPECT_TRUE(moved);
  EXPECT_EQ(Get(0, "k"), "(nil)");
  EXPECT_EQ(Get(1, "k"), "v");
  EXPECT_EQ(Ttl(1, "k"), 2000);
  EXPECT_EQ(keys().DbSize(0), 0);
  EXPECT_EQ(keys().DbSize(1), 1);
  EXPECT_EQ(keys().ExpiresCount(1), 1);
  Set(0, "k", "other");
  ASSERT_TRUE(keys().Move(0, 1, "k", &moved).ok());
  EXPECT_FALSE(moved);  // exists in the target
  ASSERT_TRUE(keys().Move(0, 1, "missing", &moved).ok());
  EXPECT_FALSE(moved);
  EXPECT_TRUE(keys().Move(1, 1, "k", &moved).IsInvalidArgument());
  EXPECT_TRUE(keys().Move(0, 99, "k", &moved).IsInvalidArgument());
  ExpectExpireIndexConsistent();
}

TEST_F(KeyspaceTest, FlushDbClearsOnlyThatDb) {
  for (int i = 0; i < 50; i++) Set(0, "k" + std::to_string(i), "v", kStartMs + 1000 + i);
  Set(1, "keep", "v");
  ASSERT_TRUE(keys().FlushDB(0).ok());
  EXPECT_EQ(keys().DbSize(0), 0);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  EXPECT_EQ(Get(0, "k1"), "(nil)");
  EXPECT_EQ(Get(1, "keep"), "v");
  EXPECT_EQ(keys().DbSize(1), 1);
  // Counts stay right after a restart and new writes.
  Set(0, "k1", "again");
  Reopen();
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  std::vector<std::string> all;
  ASSERT_TRUE(keys().Keys(0, "*", &all).ok());
  EXPECT_EQ(all, std::vector<std::string>{"k1"});
}

TEST_F(KeyspaceTest, FlushAllClearsEverything) {
  Set(0, "a", "1", kStartMs + 1000);
  Set(7, "b", "2");
  ASSERT_TRUE(keys().FlushAll().ok());
  EXPECT_EQ(keys().DbSize(0), 0);
  EXPECT_EQ(keys().DbSize(7), 0);
  EXPECT_EQ(keys().ExpiresCount(0), 0);
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 0u);
  EXPECT_EQ(CountEntries(storage_->meta_cf()), 0u);
  Reopen();
  EXPECT_EQ(keys().DbSize(0), 0);
  EXPECT_EQ(keys().DbSize(7), 0);
}

TEST_F(KeyspaceTest, SwapDbSwapsContentsAndCountsDurably) {
  Set(0, "zero", "0", kStartMs + 1000);
  Set(1, "one", "1");
  Set(1, "uno", "1");
  ASSERT_TRUE(keys().SwapDB(0, 1).ok());
  EXPECT_EQ(Get(0, "one"), "1");
  EXPECT_EQ(Get(1, "zero"), "0");
  EXPECT_EQ(Get(0, "zero"), "(nil)");
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().DbSize(1), 1);
  EXPECT_EQ(keys().ExpiresCount(1), 1);
  Reopen();
  EXPECT_EQ(Get(0, "uno"), "1");
  EXPECT_EQ(Get(1, "zero"), "0");
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().ExpiresCount(1), 1);
  ASSERT_TRUE(keys().SwapDB(1, 1).ok());
  EXPECT_TRUE(keys().SwapDB(0, 16).IsInvalidArgument());
  // FLUSHDB after a swap empties the logical db the client sees.
  ASSERT_TRUE(keys().FlushDB(1).ok());
  EXPECT_EQ(Get(1, "zero"), "(nil)");
  EXPECT_EQ(Get(0, "uno"), "1");
}

TEST_F(KeyspaceTest, DatabasesCountCanGrowBetweenRuns) {
  Set(2, "k", "v");
  ASSERT_TRUE(keys().SwapDB(2, 3).ok());
  ASSERT_TRUE(storage_->Close().ok());
  storage_.reset();
  options_.databases = 4;
  Open();
  EXPECT_EQ(Get(3, "k"), "v");
  ASSERT_TRUE(storage_->Close().ok());
  storage_.reset();
  options_.databases = 32;
  Open();
  EXPECT_EQ(Get(3, "k"), "v");
  EXPECT_EQ(keys().DbSize(3), 1);
  Set(31, "high", "v");
  EXPECT_EQ(Get(31, "high"), "v");
}

TEST_F(KeyspaceTest, TouchCountsAndRecordsAccess) {
  Set(0, "a", "1");
  clock_.AdvanceMs(5000);
  EXPECT_GE(storage_->IdleMs(0, "a"), 5000u);
  int64_t touched = 0;
  std::vector<std::string> names = {"a", "a", "missing"};
  ASSERT_TRUE(keys().Touch(0, names, &touched).ok());
  EXPECT_EQ(touched, 2);
  EXPECT_EQ(storage_->IdleMs(0, "a"), 0u);
}

TEST_F(KeyspaceTest, AccessHistoryFollowsSwapDbAndEndsWithDelete) {
  Set(0, "a", "1");
  storage_->RecordAccess(0, "a");
  clock_.AdvanceMs(3000);
  ASSERT_TRUE(keys().SwapDB(0, 1).ok());
  EXPECT_EQ(storage_->IdleMs(1, "a"), 3000u);
  int64_t deleted = 0;
  std::vector<std::string> names = {"a"};
  ASSERT_TRUE(keys().Delete(1, names, &deleted).ok());
  EXPECT_EQ(storage_->access_tracker().size(), 0u);
}

}  // namespace
}  // namespace cairn
