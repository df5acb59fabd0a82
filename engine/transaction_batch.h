// TransactionBatch: the engine side of MULTI/EXEC. While one is active on a thread, every
// Storage::Write made on that thread is held back instead of committed, reads through
// Storage::Get / Storage::NewIterator see those pending writes, and Commit() writes them all
// as ONE RocksDB WriteBatch, so a transaction survives kill -9 entirely or not at all.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <rocksdb/write_batch.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn {

class Storage;

class TransactionBatch {
 public:
  // Becomes the calling thread's transaction for `storage`. Only one may be active per
  // thread. The caller holds the locks of every key the transaction touches.
  explicit TransactionBatch(Storage* storage);
  // A transaction destroyed without Commit() leaves the disk untouched. In-memory effects
  // already applied (key counts, db mapping) are then stale: the caller reloads them with
  // Storage::ReloadCatalog under the exclusive server lock.
  ~TransactionBatch();
  TransactionBatch(const TransactionBatch&) = delete;
  TransactionBatch& operator=(const TransactionBatch&) = delete;

  // Ends the transaction and commits everything held, honouring appendfsync. A transaction
  // that wrote nothing commits nothing.
  Status Commit();
  // Operations held so far.
  uint32_t pending_count() const { return commit_.Count(); }

  // --- For Storage. ---
  // The calling thread's active transaction on `storage`, or nullptr.
  static TransactionBatch* Active(const Storage* storage);
  void Append(rocksdb::WriteBatch* batch);
  rocksdb::Status Get(const rocksdb::ReadOptions& read, rocksdb::ColumnFamilyHandle* cf,
                      const rocksdb::Slice& key, rocksdb::PinnableSlice* value);
  // An iterator over the committed data merged with the pending writes. `start` is the first
  // key the caller will seek to; an iteration never leaves the physical db it starts in.
  rocksdb::Iterator* NewIterator(const rocksdb::ReadOptions& read, rocksdb::ColumnFamilyHandle* cf,
                                 std::string_view start);

 private:
  class Replayer;
  struct HiddenRange {
    uint32_t cf_id;
    std::string begin;
    std::string end;
  };

  // True when a pending DeleteRange (FLUSHDB/FLUSHALL) covers `key`: the committed data
  // there must not show through.
  bool HidesBase(const rocksdb::ColumnFamilyHandle* cf, std::string_view key) const;
  void HideRange(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& begin,
                 const rocksdb::Slice& end);
  rocksdb::ColumnFamilyHandle* Family(uint32_t id) const;
  void Deactivate();

  Storage* storage_;
  bool active_ = false;
  // What Commit writes, in order, DeleteRange included.
  rocksdb::WriteBatch commit_;
  // The same writes indexed for reads (WriteBatchWithIndex cannot hold a DeleteRange: a
  // flushed range is recorded in hidden_ and its indexed keys are deleted instead).
  rocksdb::WriteBatchWithIndex index_;
  std::vector<HiddenRange> hidden_;
};

}  // namespace cairn
