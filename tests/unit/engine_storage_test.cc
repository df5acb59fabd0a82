// Tests for engine/storage.h: opening (fresh, locked, foreign), counts and versions across
// restarts and crashes, checkpoints, fsync policies and INFO numbers.
#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "engine_test_env.h"

namespace cairn {
namespace {

using StorageTest = EngineTest;

TEST_F(StorageTest, CreatesAllColumnFamilies) {
  ASSERT_TRUE(storage_->Close().ok());
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), options_.dir, &names).ok());
  for (const char* name : {"default", "meta", "sub", "zscore", "expire"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST_F(StorageTest, SecondOpenOfTheSameDirectoryFailsClearly) {
  std::unique_ptr<Storage> second;
  Status s = Storage::Open(options_, &second);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(second, nullptr);
  EXPECT_NE(s.message().find("locked by another cairn-server"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(options_.dir), std::string::npos) << s.message();
  // The first instance is unaffected.
  Set(0, "k", "v");
  EXPECT_EQ(Get(0, "k"), "v");
}

TEST_F(StorageTest, NonEmptyForeignDirectoryIsRefused) {
  std::string dir = root_ + "/foreign";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/notes.txt") << "not a database";
  StorageOptions options = options_;
  options.dir = dir;
  std::unique_ptr<Storage> other;
  Status s = Storage::Open(options, &other);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not empty"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(dir), std::string::npos);
}

TEST_F(StorageTest, PlainRocksDbIsRefused) {
  std::string dir = root_ + "/plain";
  {
    rocksdb::Options rocks_options;
    rocks_options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocks_options, dir, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), "some", "data").ok());
    delete raw;
  }
  StorageOptions options = options_;
  options.dir = dir;
  std::unique_ptr<Storage> other;
  Status s = Storage::Open(options, &other);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a Cairn database"), std::string::npos) << s.message();
}

TEST_F(StorageTest, RocksDbWithOurFamiliesButNoMarkerIsRefused) {
  std::string dir = root_ + "/lookalike";
  {
    rocksdb::Options rocks_options;
    rocks_options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocks_options, dir, &raw).ok());
    rocksdb::ColumnFamilyHandle* meta = nullptr;
    ASSERT_TRUE(raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "meta", &meta).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), meta, "x", "y").ok());
    raw->DestroyColumnFamilyHandle(meta);
    delete raw;
  }
  StorageOptions options = options_;
  options.dir = dir;
  std::unique_ptr<Storage> other;
  Status s = Storage::Open(options, &other);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a Cairn database"), std::string::npos) << s.message();
}

TEST_F(StorageTest, InvalidOptionsAreRejected) {
  StorageOptions options = options_;
  options.dir = root_ + "/other";
  options.databases = 0;
  std::unique_ptr<Storage> other;
  EXPECT_TRUE(Storage::Open(options, &other).IsInvalidArgument());
  options.databases = 256;
  EXPECT_TRUE(Storage::Open(options, &other).IsInvalidArgument());
  options.databases = 16;
  options.dir.clear();
  EXPECT_TRUE(Storage::Open(options, &other).IsInvalidArgument());
}

TEST_F(StorageTest, InvalidDbIndexIsAnError) {
  std::string value;
  Status s = strings().Get(16, "k", &value);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "ERR DB index is out of range");
  EXPECT_TRUE(strings().Get(-1, "k", &value).IsInvalidArgument());
  EXPECT_EQ(keys().DbSize(99), 0);
}

TEST_F(StorageTest, DataAndCountsSurviveRestart) {
  Set(0, "a", "1");
  Set(0, "b", "2", kStartMs + 100000);
  Set(3, "c", "3");
  Reopen();
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Get(0, "b"), "2");
  EXPECT_EQ(Get(3, "c"), "3");
  EXPECT_EQ(keys().DbSize(0), 2);
  EXPECT_EQ(keys().ExpiresCount(0), 1);
  EXPECT_EQ(keys().DbSize(3), 1);
  EXPECT_EQ(keys().ExpiresCount(3), 0);
  EXPECT_EQ(Ttl(0, "b"), 100000);
}

TEST_F(StorageTest, CloseIsIdempotent) {
  EXPECT_TRUE(storage_->Close().ok());
  EXPECT_TRUE(storage_->Close().ok());
}

// The writer half of the crash test below, disabled for normal runs: the crash test runs it
// in a child process (the same binary, re-executed), where it writes and dies without
// closing, like kill -9.
TEST(CrashChild, DISABLED_WriteAndDie) {
  const char* dir = getenv("CAIRN_CRASH_TEST_DIR");
  ASSERT_NE(dir, nullptr) << "only runs as the child of the crash test";
  ManualClock clock(kTestStartMs);
  StorageOptions options;
  options.dir = dir;
  options.clock = &clock;
  options.active_expiry = false;
  options.fsync = FsyncPolicy::kNo;
  // The server's group commit: writes sit in the WAL buffer until MakeWritesDurable.
  options.deferred_wal_flush = getenv("CAIRN_CRASH_TEST_DEFERRED") != nullptr;
  std::unique_ptr<Storage> crashing;
  if (!Storage::Open(options, &crashing).ok()) _exit(2);
  bool written = false;
  for (int i = 0; i < 100; i++) {
    SetOptions set;
    if (i % 4 == 0) {
      set.expire = SetOptions::Expire::kAt;
      set.expire_at_ms = static_cast<int64_t>(kTestStartMs) + 1000000;
    }
    if (!crashing->strings().Set(0, "key" + std::to_string(i), "v", set, &written, nullptr).ok()) {
      _exit(3);
    }
  }
  std::vector<std::string> doomed = {"key1", "key2"};
  int64_t deleted = 0;
  if (!crashing->keyspace().Delete(0, doomed, &deleted).ok() || deleted != 2) _exit(4);
  // What a worker does before it sends the replies that acknowledge the writes.
  if (!crashing->MakeWritesDurable().ok()) _exit(6);
  _exit(0);
}

// Everything the crashed writer was told succeeded must be there, with exact counts: with
// every write reaching the WAL file at once, and with the server's deferred (grouped) WAL
// flush made durable before the acknowledgement.
class CrashTest : public StorageTest, public ::testing::WithParamInterface<bool> {};

TEST_P(CrashTest, AcknowledgedWritesAndCountsSurviveAProcessCrash) {
  storage_.reset();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Exec right away: a fresh process, not a fork of a multi-threaded one.
    setenv("CAIRN_CRASH_TEST_DIR", options_.dir.c_str(), 1);
    if (GetParam()) setenv("CAIRN_CRASH_TEST_DEFERRED", "1", 1);
    execl("/proc/self/exe", "engine_unit_tests", "--gtest_also_run_disabled_tests",
          "--gtest_filter=CrashChild.DISABLED_WriteAndDie", static_cast<char*>(nullptr));
    _exit(5);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  Open();
  EXPECT_EQ(keys().DbSize(0), 98);
  EXPECT_EQ(keys().ExpiresCount(0), 25);
  EXPECT_EQ(Get(0, "key99"), "v");
  EXPECT_EQ(Get(0, "key1"), "(nil)");
  EXPECT_EQ(CountEntries(storage_->expire_cf()), 25u);
}

INSTANTIATE_TEST_SUITE_P(WalFlush, CrashTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Deferred" : "PerWrite"; });

TEST_F(StorageTest, VersionsNeverRepeatEvenWhenTheClockStepsBack) {
  uint64_t first = storage_->NextVersion();
  uint64_t second = storage_->NextVersion();
  EXPECT_GT(second, first);
  Reopen();
  clock_.SetMs(kStartMs - 86400000);  // a day back
  Reopen();
  EXPECT_GT(storage_->NextVersion(), second);
}

TEST_F(StorageTest, CheckpointOpensAsADatabase) {
  Set(0, "k", "v");
  Set(2, "x", "y", kStartMs + 5000);
  std::string checkpoint = root_ + "/checkpoint";
  ASSERT_TRUE(storage_->CreateCheckpoint(checkpoint).ok());
  Set(0, "after", "checkpoint");
  StorageOptions options = options_;
  options.dir = checkpoint;
  std::unique_ptr<Storage> copy;
  ASSERT_TRUE(Storage::Open(options, &copy).ok());
  std::string value;
  ASSERT_TRUE(copy->strings().Get(0, "k", &value).ok());
  EXPECT_EQ(value, "v");
  EXPECT_TRUE(copy->strings().Get(0, "after", &value).IsNotFound());
  EXPECT_EQ(copy->keyspace().DbSize(2), 1);
  EXPECT_EQ(copy->keyspace().ExpiresCount(2), 1);
  EXPECT_FALSE(storage_->CreateCheckpoint(checkpoint).ok());  // exists already
}

TEST_F(StorageTest, FsyncPoliciesAllCommit) {
  for (FsyncPolicy policy : {FsyncPolicy::kAlways, FsyncPolicy::kEverySec, FsyncPolicy::kNo}) {
    storage_->SetFsyncPolicy(policy);
    EXPECT_EQ(storage_->fsync_policy(), policy);
    Set(0, "k" + std::to_string(static_cast<int>(policy)), "v");
  }
  EXPECT_TRUE(storage_->SyncWAL().ok());
  Reopen();
  EXPECT_EQ(keys().DbSize(0), 3);
}

TEST_F(StorageTest, InfoNumbers) {
  Set(0, "k", std::string(1000, 'x'));
  auto info = storage_->RocksDBInfo();
  auto find = [&](const std::string& name) -> const std::string* {
    for (const auto& [key, value] : info) {
      if (key == name) return &value;
    }
    return nullptr;
  };
  ASSERT_NE(find("estimate_num_keys"), nullptr);
  ASSERT_NE(find("meta_estimate_num_keys"), nullptr);
  ASSERT_NE(find("block_cache_capacity"), nullptr);
  EXPECT_EQ(*find("block_cache_capacity"), std::to_string(8 << 20));
  ASSERT_NE(find("compaction_pending"), nullptr);
  ASSERT_NE(find("meta_memtable_bytes"), nullptr);
  EXPECT_GT(std::stoull(*find("meta_memtable_bytes")), 0u);
  EXPECT_GT(storage_->DiskUsageBytes(), 0u);
  EXPECT_GT(storage_->MemoryUsage().memtable_bytes, 0u);
}

}  // namespace
}  // namespace cairn
