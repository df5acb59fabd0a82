// Tests for engine/storage_options.h: the RocksDB options Cairn chooses, and that an opened
// Storage runs with them (compression per level, bloom filters, blob files, parallelism,
// WAL recovery mode).
#include <rocksdb/table.h>

#include <string>

#include "engine/storage_options.h"
#include "tests/unit/engine_test_env.h"

namespace cairn {
namespace {

bool HasBloomFilter(const rocksdb::ColumnFamilyOptions& cf) {
  const auto* table = cf.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
  return table != nullptr && table->filter_policy != nullptr;
}

TEST(StorageOptionsTest, BackgroundJobsFollowTheCores) {
  EXPECT_EQ(BackgroundJobsForCores(1), 2);
  EXPECT_EQ(BackgroundJobsForCores(2), 2);
  EXPECT_EQ(BackgroundJobsForCores(16), 16);
  EXPECT_EQ(BackgroundJobsForCores(64), 64);
  EXPECT_EQ(BackgroundJobsForCores(256), 64);
  EXPECT_GE(BackgroundJobsForCores(0), 2);
}

TEST(StorageOptionsTest, DbOptions) {
  StorageOptions options;
  options.cores = 8;
  rocksdb::DBOptions db = MakeDbOptions(options);
  EXPECT_EQ(db.wal_recovery_mode, rocksdb::WALRecoveryMode::kPointInTimeRecovery);
  EXPECT_EQ(db.max_background_jobs, 8);
  EXPECT_EQ(db.max_subcompactions, 2u);
  EXPECT_TRUE(db.create_if_missing);
}

TEST(StorageOptionsTest, ColumnFamilyOptions) {
  StorageOptions options;
  auto cache = rocksdb::NewLRUCache(1 << 20);
  for (const char* name : {"default", "meta", "sub", "zscore", "expire"}) {
    rocksdb::ColumnFamilyOptions cf = MakeCfOptions(options, name, cache);
    EXPECT_EQ(cf.compression, rocksdb::kLZ4Compression) << name;
    EXPECT_EQ(cf.bottommost_compression, rocksdb::kDisableCompressionOption) << name;
    EXPECT_EQ(HasBloomFilter(cf), std::string(name) != "expire") << name;
    EXPECT_EQ(cf.enable_blob_files, std::string(name) == "meta") << name;
  }
  rocksdb::ColumnFamilyOptions meta = MakeCfOptions(options, "meta", cache);
  EXPECT_EQ(meta.min_blob_size, 4096u);
  EXPECT_TRUE(meta.enable_blob_garbage_collection);
  options.min_blob_bytes = 0;
  EXPECT_FALSE(MakeCfOptions(options, "meta", cache).enable_blob_files);
}

TEST(StorageOptionsTest, CompressionChoices) {
  StorageOptions options;
  auto cache = rocksdb::NewLRUCache(1 << 20);
  options.compression = Compression::kZstdBottommost;
  rocksdb::ColumnFamilyOptions cf = MakeCfOptions(options, "sub", cache);
  EXPECT_EQ(cf.compression, rocksdb::kLZ4Compression);
  EXPECT_EQ(cf.bottommost_compression, rocksdb::kZSTD);
  options.compression = Compression::kNone;
  cf = MakeCfOptions(options, "sub", cache);
  EXPECT_EQ(cf.compression, rocksdb::kNoCompression);
  EXPECT_EQ(cf.bottommost_compression, rocksdb::kNoCompression);
}

class OpenedOptionsTest : public EngineTest {};

TEST_F(OpenedOptionsTest, OpenDatabaseRunsWithTheOptions) {
  rocksdb::DB* db = storage_->rocks();
  EXPECT_EQ(db->GetDBOptions().wal_recovery_mode, rocksdb::WALRecoveryMode::kPointInTimeRecovery);
  rocksdb::ColumnFamilyOptions meta = db->GetOptions(storage_->meta_cf());
  EXPECT_TRUE(meta.enable_blob_files);
  EXPECT_EQ(meta.compression, rocksdb::kLZ4Compression);
  EXPECT_TRUE(HasBloomFilter(meta));
  EXPECT_FALSE(HasBloomFilter(db->GetOptions(storage_->expire_cf())));
}

TEST_F(OpenedOptionsTest, LargeValuesGoToBlobFilesSmallOnesStayInline) {
  rocksdb::DB* db = storage_->rocks();
  auto blob_files = [&] {
    uint64_t count = 0;
    EXPECT_TRUE(db->GetIntProperty(storage_->meta_cf(), "rocksdb.num-blob-files", &count));
    return count;
  };
  ASSERT_NO_FATAL_FAILURE(Set(0, "small", std::string(100, 's')));
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions(), storage_->meta_cf()).ok());
  EXPECT_EQ(blob_files(), 0u);
  std::string large(64 * 1024, 'x');
  ASSERT_NO_FATAL_FAILURE(Set(0, "large", large));
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions(), storage_->meta_cf()).ok());
  EXPECT_EQ(blob_files(), 1u);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  std::string value;
  ASSERT_TRUE(strings().Get(0, "large", &value).ok());
  EXPECT_EQ(value, large);
  ASSERT_TRUE(strings().Get(0, "small", &value).ok());
  EXPECT_EQ(value, std::string(100, 's'));
}

}  // namespace
}  // namespace cairn
