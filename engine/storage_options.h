// The RocksDB options Cairn runs with, built from StorageOptions: compression per level,
// bloom filters, blob files for large values, parallelism for the machine's cores, and the
// WAL recovery mode. Kept apart from Storage so the choices can be read and tested alone;
// conf/cairn.conf explains them to operators.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/options.h>

#include <memory>
#include <string_view>

#include "engine/storage.h"

namespace cairn {

// Background threads RocksDB gets for `cores` CPU cores (0: the machine's): one per core,
// at least 2 and at most 64.
int BackgroundJobsForCores(unsigned cores);

// Includes a WriteBufferManager bounding all memtables to options.memtable_bytes; writers
// stall rather than exceed it.
rocksdb::DBOptions MakeDbOptions(const StorageOptions& options);

// The memtable size of column family `name`: the data families (meta, sub) get
// options.write_buffer_bytes, the others at most 16 MB of it.
size_t WriteBufferSizeFor(const StorageOptions& options, std::string_view name);

// Options of the column family `name` ("default", "meta", "sub", "zscore" or "expire").
// `member_collector` becomes the compaction filter of the member families (sub, zscore).
rocksdb::ColumnFamilyOptions MakeCfOptions(
    const StorageOptions& options, std::string_view name,
    const std::shared_ptr<rocksdb::Cache>& cache,
    std::shared_ptr<rocksdb::CompactionFilterFactory> member_collector = nullptr);

}  // namespace cairn
