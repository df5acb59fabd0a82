// The pending writes of a transaction: held in order for the one commit, and indexed so the
// transaction's own reads see them.
#include "engine/transaction_batch.h"

#include <memory>

#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

namespace {

thread_local TransactionBatch* tls_active = nullptr;
thread_local const Storage* tls_storage = nullptr;

}  // namespace

// Copies the operations of one command's WriteBatch into the transaction.
class TransactionBatch::Replayer : public rocksdb::WriteBatch::Handler {
 public:
  explicit Replayer(TransactionBatch* txn) : txn_(txn) {}

  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* cf = txn_->Family(id);
    rocksdb::Status s = txn_->commit_.Put(cf, key, value);
    return s.ok() ? txn_->index_.Put(cf, key, value) : s;
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* cf = txn_->Family(id);
    rocksdb::Status s = txn_->commit_.Delete(cf, key);
    return s.ok() ? txn_->index_.Delete(cf, key) : s;
  }
  rocksdb::Status SingleDeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* cf = txn_->Family(id);
    rocksdb::Status s = txn_->commit_.SingleDelete(cf, key);
    return s.ok() ? txn_->index_.Delete(cf, key) : s;
  }
  rocksdb::Status MergeCF(uint32_t id, const rocksdb::Slice& key,
                          const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* cf = txn_->Family(id);
    rocksdb::Status s = txn_->commit_.Merge(cf, key, value);
    return s.ok() ? txn_->index_.Merge(cf, key, value) : s;
  }
  rocksdb::Status DeleteRangeCF(uint32_t id, const rocksdb::Slice& begin,
                                const rocksdb::Slice& end) override {
    rocksdb::ColumnFamilyHandle* cf = txn_->Family(id);
    rocksdb::Status s = txn_->commit_.DeleteRange(cf, begin, end);
    if (s.ok()) txn_->HideRange(cf, begin, end);
    return s;
  }
  void LogData(const rocksdb::Slice& blob) override { txn_->commit_.PutLogData(blob); }

 private:
  TransactionBatch* txn_;
};

TransactionBatch::TransactionBatch(Storage* storage)
    : storage_(storage), index_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {
  if (tls_active == nullptr) {
    tls_active = this;
    tls_storage = storage;
    active_ = true;
  }
}

TransactionBatch::~TransactionBatch() { Deactivate(); }

void TransactionBatch::Deactivate() {
  if (!active_) return;
  tls_active = nullptr;
  tls_storage = nullptr;
  active_ = false;
}

TransactionBatch* TransactionBatch::Active(const Storage* storage) {
  return tls_storage == storage ? tls_active : nullptr;
}

Status TransactionBatch::Commit() {
  Deactivate();
  if (commit_.Count() == 0) return Status::OK();
  // No longer active: this Write goes to RocksDB.
  return storage_->Write(&commit_);
}

rocksdb::ColumnFamilyHandle* TransactionBatch::Family(uint32_t id) const {
  for (rocksdb::ColumnFamilyHandle* cf :
       {storage_->default_cf(), storage_->meta_cf(), storage_->sub_cf(), storage_->zscore_cf(),
        storage_->expire_cf()}) {
    if (cf->GetID() == id) return cf;
  }
  return storage_->default_cf();
}

void TransactionBatch::Append(rocksdb::WriteBatch* batch) {
  Replayer replayer(this);
  // Every operation the engine issues is one the replayer handles; Iterate cannot fail on a
  // batch built in this process.
  batch->Iterate(&replayer);
}

void TransactionBatch::HideRange(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& begin,
                                 const rocksdb::Slice& end) {
  hidden_.push_back({cf->GetID(), begin.ToString(), end.ToString()});
  // Pending writes inside the range are gone too; the index learns it through deletes.
  std::vector<std::string> doomed;
  std::unique_ptr<rocksdb::WBWIIterator> it(index_.NewIterator(cf));
  for (it->Seek(begin); it->Valid() && it->Entry().key.compare(end) < 0; it->Next()) {
    doomed.push_back(it->Entry().key.ToString());
  }
  for (const std::string& key : doomed) index_.Delete(cf, key);
}

bool TransactionBatch::HidesBase(const rocksdb::ColumnFamilyHandle* cf,
                                 std::string_view key) const {
  for (const HiddenRange& range : hidden_) {
    if (range.cf_id == cf->GetID() && key >= range.begin && key < range.end) return true;
  }
  return false;
}

rocksdb::Status TransactionBatch::Get(const rocksdb::ReadOptions& read,
                                      rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key,
                                      rocksdb::PinnableSlice* value) {
  if (!HidesBase(cf, std::string_view(key.data(), key.size()))) {
    return index_.GetFromBatchAndDB(storage_->rocks(), read, cf, key, value);
  }
  std::string found;
  rocksdb::Status s = index_.GetFromBatch(cf, rocksdb::DBOptions(), key, &found);
  if (s.ok()) value->PinSelf(found);
  return s;
}

rocksdb::Iterator* TransactionBatch::NewIterator(const rocksdb::ReadOptions& read,
                                                 rocksdb::ColumnFamilyHandle* cf,
                                                 std::string_view start) {
  rocksdb::Iterator* base =
      HidesBase(cf, start) ? rocksdb::NewEmptyIterator() : storage_->rocks()->NewIterator(read, cf);
  return index_.NewIteratorWithBase(cf, base, &read);
}

}  // namespace cairn
