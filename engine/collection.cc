// CollectionKey and MemberIterator (see collection.h).
#include "engine/collection.h"

#include <utility>

#include "encoding/coding.h"
#include "encoding/collection_layout.h"
#include "encoding/sub_key.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

Status CollectionKey::Load(Storage& storage, int db, std::string_view key, ValueType type,
                           MemberReads reads) {
  storage_ = &storage;
  reads_ = reads;
  Status s = LookupKey(storage, db, key, &ref_, &stored_);
  if (!s.ok()) return s;
  if (stored_.live() && stored_.meta().type != type) return Status::WrongType();
  exists_ = stored_.live();
  if (exists_) {
    meta_ = stored_.meta();
  } else {
    // A new incarnation: members of an expired or deleted one stay invisible under their old
    // version until the compaction filter drops them.
    meta_ = Metadata();
    meta_.type = type;
    meta_.version = storage.NextVersion();
  }
  member_prefix_ = EncodeSubKeyPrefix(ref_.db, ref_.slot, ref_.user_key, meta_.version);
  return Status::OK();
}

std::string CollectionKey::MemberKey(std::string_view member_part) const {
  std::string key;
  key.reserve(member_prefix_.size() + member_part.size());
  key.append(member_prefix_);
  key.append(member_part);
  return key;
}

std::shared_ptr<const MemberSnapshot> CollectionKey::Snapshot(
    rocksdb::ColumnFamilyHandle* cf) const {
  if (reads_ != MemberReads::kCached) return nullptr;
  return LoadMemberSnapshot(*storage_, cf, member_prefix_, size());
}

rocksdb::Status CollectionKey::GetMember(rocksdb::ColumnFamilyHandle* cf,
                                         std::string_view member_part,
                                         rocksdb::PinnableSlice* value) const {
  std::shared_ptr<const MemberSnapshot> snapshot = Snapshot(cf);
  if (snapshot == nullptr) return storage_->Get(cf, MemberKey(member_part), value);
  std::string_view found;
  if (!snapshot->Find(member_part, &found)) return rocksdb::Status::NotFound();
  value->PinSelf(rocksdb::Slice(found.data(), found.size()));
  return rocksdb::Status::OK();
}

void CollectionKey::MarkLargeEncoding() { meta_.flags |= kMetaFlagLargeEncoding; }

bool CollectionKey::large_encoding() const { return (meta_.flags & kMetaFlagLargeEncoding) != 0; }

void CollectionKey::Update(KeyBatch* batch, uint64_t new_size, std::string_view payload) {
  if (new_size == 0) {
    batch->Delete(ref_, stored_);
    return;
  }
  meta_.size = new_size;
  batch->Put(ref_, stored_, meta_, payload);
}

MemberIterator::MemberIterator(Storage& storage, rocksdb::ColumnFamilyHandle* cf,
                               std::string prefix)
    : prefix_(std::move(prefix)) {
  OpenRocksIterator(storage, cf);
}

MemberIterator::MemberIterator(const CollectionKey& key, rocksdb::ColumnFamilyHandle* cf)
    : prefix_(key.member_prefix()), snapshot_(key.Snapshot(cf)) {
  if (snapshot_ == nullptr) OpenRocksIterator(key.storage(), cf);
}

void MemberIterator::OpenRocksIterator(Storage& storage, rocksdb::ColumnFamilyHandle* cf) {
  upper_ = PrefixSuccessor(prefix_);
  rocksdb::ReadOptions read = storage.read_options();
  lower_slice_ = rocksdb::Slice(prefix_);
  upper_slice_ = rocksdb::Slice(upper_);
  read.iterate_lower_bound = &lower_slice_;
  if (!upper_.empty()) read.iterate_upper_bound = &upper_slice_;
  iterator_.reset(storage.NewIterator(read, cf, prefix_));
}

void MemberIterator::SeekToFirst() {
  if (snapshot_ != nullptr) return Position(0);
  iterator_->Seek(prefix_);
}

void MemberIterator::SeekToLast() {
  if (snapshot_ != nullptr) return Position(snapshot_->size() - 1);
  if (upper_.empty()) {
    iterator_->SeekToLast();
  } else {
    iterator_->SeekForPrev(upper_);
  }
  // SeekForPrev lands on upper_ itself only if it exists; it is outside our bounds.
  if (iterator_->Valid() && !iterator_->key().starts_with(prefix_)) iterator_->Prev();
}

void MemberIterator::Seek(std::string_view member_part) {
  if (snapshot_ != nullptr) return Position(snapshot_->LowerBound(member_part));
  seek_key_.assign(prefix_);
  seek_key_.append(member_part);
  iterator_->Seek(seek_key_);
}

void MemberIterator::SeekForPrev(std::string_view member_part) {
  if (snapshot_ != nullptr) {
    size_t index = snapshot_->LowerBound(member_part);
    bool exact = index < snapshot_->size() && snapshot_->member_part(index) == member_part;
    // Before the first member, index - 1 wraps to an invalid position.
    return Position(exact ? index : index - 1);
  }
  seek_key_.assign(prefix_);
  seek_key_.append(member_part);
  iterator_->SeekForPrev(seek_key_);
}

// The bounds keep plain RocksDB iterators inside the prefix; the check also covers a
// transaction's merged iterator, whose pending-write side may not honour them.
bool MemberIterator::Valid() const {
  if (snapshot_ != nullptr) return position_ != kInvalid;
  return iterator_->Valid() && iterator_->key().starts_with(prefix_);
}

void MemberIterator::Next() {
  if (snapshot_ != nullptr) return Position(position_ == kInvalid ? kInvalid : position_ + 1);
  iterator_->Next();
}

void MemberIterator::Prev() {
  if (snapshot_ != nullptr) return Position(position_ - 1);
  iterator_->Prev();
}

std::string_view MemberIterator::member_part() const {
  if (snapshot_ != nullptr) return snapshot_->member_part(position_);
  rocksdb::Slice key = iterator_->key();
  return std::string_view(key.data() + prefix_.size(), key.size() - prefix_.size());
}

std::string_view MemberIterator::value() const {
  if (snapshot_ != nullptr) return snapshot_->value(position_);
  rocksdb::Slice value = iterator_->value();
  return std::string_view(value.data(), value.size());
}

rocksdb::Slice MemberIterator::raw_key() const {
  if (snapshot_ == nullptr) return iterator_->key();
  raw_key_.assign(prefix_);
  raw_key_.append(member_part());
  return rocksdb::Slice(raw_key_);
}

Status MemberIterator::status() const {
  return snapshot_ != nullptr ? Status::OK() : FromRocks(iterator_->status());
}

}  // namespace cairn
