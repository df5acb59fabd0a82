// RocksDB options for Cairn's database and column families (see storage_options.h).
#include "engine/storage_options.h"

#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "engine/db_catalog.h"

namespace cairn {

namespace {

rocksdb::CompressionType PickCompression(rocksdb::CompressionType preferred) {
  std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  for (rocksdb::CompressionType type :
       {preferred, rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(supported.begin(), supported.end(), type) != supported.end()) return type;
  }
  return rocksdb::kNoCompression;
}

rocksdb::BlockBasedTableOptions TableOptions(std::string_view name,
                                             const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Partitioned: a large file's index and bloom filter come in block-sized pieces. Whole,
  // a 64 MB file's filter is megabytes, more than one shard of the block cache holds, and
  // every lookup missing the hot cache would read it from disk again.
  table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.pin_top_level_index_and_filter = true;
  table.format_version = 5;
  // Point lookups dominate everywhere but the deadline index, which is only scanned.
  if (name != "expire") table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  return table;
}

void ApplyCompression(Compression compression, rocksdb::ColumnFamilyOptions* cf) {
  switch (compression) {
    case Compression::kNone:
      cf->compression = rocksdb::kNoCompression;
      cf->bottommost_compression = rocksdb::kNoCompression;
      return;
    case Compression::kZstdBottommost:
      cf->compression = PickCompression(rocksdb::kLZ4Compression);
      cf->bottommost_compression = PickCompression(rocksdb::kZSTD);
      return;
    case Compression::kLz4:
      cf->compression = PickCompression(rocksdb::kLZ4Compression);
      // "Disabled" means no separate choice: the bottommost level uses cf->compression too.
      cf->bottommost_compression = rocksdb::kDisableCompressionOption;
      return;
  }
}

}  // namespace

size_t WriteBufferSizeFor(const StorageOptions& options, std::string_view name) {
  bool big = name == "meta" || name == "sub";
  return big ? options.write_buffer_bytes
             : std::min<size_t>(options.write_buffer_bytes, size_t{16} << 20);
}

int BackgroundJobsForCores(unsigned cores) {
  if (cores == 0) cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp<unsigned>(cores, 2, 64));
}

// Per-family tuning: big memtables for the families that take the data, compression as
// configured (see Compression).
rocksdb::ColumnFamilyOptions MakeCfOptions(
    const StorageOptions& options, std::string_view name,
    const std::shared_ptr<rocksdb::Cache>& cache,
    std::shared_ptr<rocksdb::CompactionFilterFactory> member_collector) {
  rocksdb::ColumnFamilyOptions cf;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(TableOptions(name, cache)));
  cf.write_buffer_size = WriteBufferSizeFor(options, name);
  cf.max_write_buffer_number = 4;
  cf.level_compaction_dynamic_level_bytes = true;
  ApplyCompression(options.compression, &cf);
  if (name != "default") {
    // Expired and deleted keys (and popped members) leave tombstones in these families;
    // compact files that fill up with them early so scans and seeks do not wade through.
    cf.table_properties_collector_factories.push_back(
        rocksdb::NewCompactOnDeletionCollectorFactory(16384, 8192, 0.5));
  }
  if (name == "meta" && options.min_blob_bytes > 0) {
    // Strings live inline in their metadata value: large ones go to blob files so
    // compactions move small records only. Blob GC reclaims overwritten values.
    cf.enable_blob_files = true;
    cf.min_blob_size = options.min_blob_bytes;
    cf.blob_compression_type = PickCompression(rocksdb::kLZ4Compression);
    cf.enable_blob_garbage_collection = true;
  }
  if (name == "meta" || name == "sub") {
    // Most point reads that miss the hot cache ask about keys the memtables do not hold
    // (a SET of a new key reads the old value first): a memtable bloom filter answers them
    // without searching up to four skiplists.
    cf.memtable_prefix_bloom_size_ratio = 0.02;
    cf.memtable_whole_key_filtering = true;
  }
  if (name == "default") cf.merge_operator = NewInt64AddOperator();
  if (name == "sub" || name == "zscore") cf.compaction_filter_factory = member_collector;
  return cf;
}

rocksdb::DBOptions MakeDbOptions(const StorageOptions& options) {
  rocksdb::DBOptions db_options;
  int jobs = BackgroundJobsForCores(options.cores);
  // Sizes the flush and compaction thread pools and max_background_jobs together.
  db_options.IncreaseParallelism(jobs);
  db_options.max_subcompactions = static_cast<uint32_t>(std::max(1, jobs / 4));
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.bytes_per_sync = 1 << 20;
  db_options.keep_log_file_num = 4;
  // Debian's librocksdb defaults to DEBUG, which writes a LOG line per WAL flush.
  db_options.info_log_level = rocksdb::InfoLogLevel::INFO_LEVEL;
  // Storage::MakeWritesDurable flushes the WAL buffer for a whole group of writes.
  db_options.manual_wal_flush = options.deferred_wal_flush;
  db_options.max_log_file_size = 16 << 20;
  // Replays the WAL up to the first damaged record: every synced write comes back and a
  // record torn by a crash mid-write is dropped instead of refusing to open.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // Families with few writes (default, expire) must not pin old WAL files forever.
  db_options.max_total_wal_size =
      std::max<uint64_t>(uint64_t{256} << 20, 4 * options.write_buffer_bytes);
  // maxmemory's memtable share: flushes start before all memtables together outgrow it,
  // and writers wait for them rather than go beyond it.
  db_options.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(
      options.memtable_bytes, nullptr, /*allow_stall=*/true);
  return db_options;
}

}  // namespace cairn
