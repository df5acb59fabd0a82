// TransactionBatch: writes held until one commit, visible to the transaction's own reads
// (point lookups, KEYS/SCAN walks, collections copied by COPY), invisible to other threads,
// flushes inside the transaction, and the key-modified callback WATCH relies on.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/transaction_batch.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

class EngineTransactionTest : public EngineTest {
 protected:
  // GET from another thread: what other clients see.
  Status GetElsewhere(int db, const std::string& key, std::string* value) {
    Status result;
    std::thread reader([&] { result = strings().Get(db, key, value); });
    reader.join();
    return result;
  }

  std::vector<std::string> SortedKeys(int db) {
    std::vector<std::string> found;
    EXPECT_TRUE(keys().Keys(db, "*", &found).ok());
    std::sort(found.begin(), found.end());
    return found;
  }
};

TEST_F(EngineTransactionTest, WritesAreHeldUntilCommitAndSeenByTheTransaction) {
  Set(0, "before", "1");
  TransactionBatch txn(storage_.get());
  Set(0, "a", "x");
  int64_t value = 0;
  ASSERT_TRUE(strings().IncrBy(0, "n", 5, &value).ok());
  ASSERT_TRUE(strings().IncrBy(0, "n", 2, &value).ok());
  EXPECT_EQ(value, 7);  // the second INCRBY read the first one's pending write
  std::string got;
  ASSERT_TRUE(strings().Get(0, "a", &got).ok());
  EXPECT_EQ(got, "x");
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"a", "before", "n"}));
  EXPECT_TRUE(GetElsewhere(0, "a", &got).IsNotFound());
  EXPECT_GT(txn.pending_count(), 0u);
  ASSERT_TRUE(txn.Commit().ok());
  ASSERT_TRUE(GetElsewhere(0, "n", &got).ok());
  EXPECT_EQ(got, "7");
  EXPECT_EQ(keys().DbSize(0), 3);
  Reopen();
  EXPECT_EQ(keys().DbSize(0), 3);
  ASSERT_TRUE(strings().Get(0, "a", &got).ok());
  EXPECT_EQ(got, "x");
}

TEST_F(EngineTransactionTest, DroppedTransactionWritesNothing) {
  {
    TransactionBatch txn(storage_.get());
    Set(0, "a", "x");
  }
  std::string got;
  EXPECT_TRUE(strings().Get(0, "a", &got).IsNotFound());
  // The count was applied as the write ran; reloading brings it back to the disk's.
  EXPECT_EQ(keys().DbSize(0), 1);
  ASSERT_TRUE(storage_->ReloadCatalog().ok());
  EXPECT_EQ(keys().DbSize(0), 0);
  Reopen();
  EXPECT_EQ(keys().DbSize(0), 0);
}

TEST_F(EngineTransactionTest, DeletesAndOverwritesInsideTheTransaction) {
  Set(0, "a", "old");
  Set(0, "b", "keep");
  TransactionBatch txn(storage_.get());
  int64_t deleted = 0;
  std::vector<std::string> doomed = {"a"};
  ASSERT_TRUE(keys().Delete(0, doomed, &deleted).ok());
  EXPECT_EQ(deleted, 1);
  std::string got;
  EXPECT_TRUE(strings().Get(0, "a", &got).IsNotFound());
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"b"}));
  Set(0, "a", "new");
  ASSERT_TRUE(strings().Get(0, "a", &got).ok());
  EXPECT_EQ(got, "new");
  ASSERT_TRUE(GetElsewhere(0, "a", &got).ok());
  EXPECT_EQ(got, "old");
  ASSERT_TRUE(txn.Commit().ok());
  ASSERT_TRUE(strings().Get(0, "a", &got).ok());
  EXPECT_EQ(got, "new");
  EXPECT_EQ(keys().DbSize(0), 2);
}

TEST_F(EngineTransactionTest, FlushInsideTheTransactionHidesCommittedAndPendingKeys) {
  Set(0, "old", "1");
  Set(1, "other", "1");
  TransactionBatch txn(storage_.get());
  Set(0, "pending", "1");
  ASSERT_TRUE(keys().FlushDB(0).ok());
  std::string got;
  EXPECT_TRUE(strings().Get(0, "old", &got).IsNotFound());
  EXPECT_TRUE(strings().Get(0, "pending", &got).IsNotFound());
  EXPECT_TRUE(SortedKeys(0).empty());
  Set(0, "after", "2");
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"after"}));
  EXPECT_EQ(SortedKeys(1), (std::vector<std::string>{"other"}));
  ASSERT_TRUE(GetElsewhere(0, "old", &got).ok());  // nothing committed yet
  ASSERT_TRUE(txn.Commit().ok());
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"after"}));
  EXPECT_EQ(keys().DbSize(0), 1);
  Reopen();
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"after"}));
  EXPECT_EQ(keys().DbSize(0), 1);
  EXPECT_EQ(keys().DbSize(1), 1);
}

TEST_F(EngineTransactionTest, SwapInsideTheTransactionCommitsWithIt) {
  Set(0, "zero", "1");
  TransactionBatch txn(storage_.get());
  Set(1, "one", "1");
  ASSERT_TRUE(keys().SwapDB(0, 1).ok());
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"one"}));
  EXPECT_EQ(SortedKeys(1), (std::vector<std::string>{"zero"}));
  ASSERT_TRUE(txn.Commit().ok());
  Reopen();
  EXPECT_EQ(SortedKeys(0), (std::vector<std::string>{"one"}));
  EXPECT_EQ(SortedKeys(1), (std::vector<std::string>{"zero"}));
}

TEST_F(EngineTransactionTest, EmptyTransactionCommitsNothing) {
  TransactionBatch txn(storage_.get());
  std::string got;
  EXPECT_TRUE(strings().Get(0, "a", &got).IsNotFound());
  EXPECT_EQ(txn.pending_count(), 0u);
  EXPECT_TRUE(txn.Commit().ok());
}

TEST_F(EngineTransactionTest, OnlyTheOwningThreadJoinsTheTransaction) {
  TransactionBatch txn(storage_.get());
  std::thread writer([&] { Set(0, "elsewhere", "1"); });
  writer.join();
  std::string got;
  // Committed on its own: other threads are not part of this transaction.
  ASSERT_TRUE(GetElsewhere(0, "elsewhere", &got).ok());
  EXPECT_EQ(txn.pending_count(), 0u);
}

TEST_F(EngineTransactionTest, KeyModifiedCallbackSeesRealChangesOnly) {
  std::vector<std::pair<int, std::string>> changed;
  storage_->SetKeyModifiedCallback(
      [&](int db, std::string_view key) { changed.emplace_back(db, std::string(key)); });
  Set(2, "a", "1");
  int64_t deleted = 0;
  std::vector<std::string> names = {"a", "missing"};
  ASSERT_TRUE(keys().Delete(2, names, &deleted).ok());
  EXPECT_EQ(changed, (std::vector<std::pair<int, std::string>>{{2, "a"}, {2, "a"}}));
  Set(0, "stale", "1", kStartMs + 10);
  clock_.AdvanceMs(20);
  changed.clear();
  // Reclaiming an expired key is no change a client could observe.
  names = {"stale"};
  ASSERT_TRUE(keys().Delete(0, names, &deleted).ok());
  EXPECT_EQ(deleted, 0);
  EXPECT_TRUE(changed.empty());
  bool moved = false;
  Set(0, "m", "1");
  changed.clear();
  ASSERT_TRUE(keys().Move(0, 3, "m", &moved).ok());
  EXPECT_TRUE(moved);
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::pair<int, std::string>>{{0, "m"}, {3, "m"}}));
}

}  // namespace
}  // namespace cairn
