// CollectionKey and MemberIterator (see collection.h).
#include "engine/collection.h"

#include <rocksdb/perf_context.h>

#include <utility>

#include "encoding/coding.h"
#include "encoding/collection_layout.h"
#include "encoding/sub_key.h"
#include "engine/dead_ranges.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

namespace {

// Deleted or overwritten entries RocksDB's iterators on this thread stepped over so far
// (counted at RocksDB's default perf level).
uint64_t SkippedEntries() {
  const rocksdb::PerfContext* perf = rocksdb::get_perf_context();
  return perf->internal_key_skipped_count + perf->internal_delete_skipped_count;
}

}  // namespace

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
  if (exists_ && meta_ == stored_.meta() && payload == stored_.payload()) {
    // A member overwritten in place (a score or a field value changed): the metadata says
    // what it said before, and rewriting it would cost a memtable insert and a cache fill.
    storage_->NotifyKeyModified(ref_.logical_db, ref_.user_key);
    return;
  }
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
  MemberColumn column;
  if (cf == storage.sub_cf()) {
    column = MemberColumn::kSub;
  } else if (cf == storage.zscore_cf()) {
    column = MemberColumn::kZScore;
  } else {
    return;
  }
  // Only over a whole incarnation: the batch replay keeps ranges by incarnation and
  // member-part, so a narrower prefix (a scan's MATCH scope) would not match its writes.
  std::string probe = prefix_ + 'x';
  if (!MemberSnapshotKeyOf(column, probe, &incarnation_) ||
      incarnation_.size() != prefix_.size() + 2) {
    return;
  }
  dead_ranges_ = storage.WalkDeadRanges();
  if (dead_ranges_ == nullptr) return;
  has_ranges_ = dead_ranges_->Has(incarnation_);
  commits_at_open_ = Storage::ThreadCommits();
}

void MemberIterator::SeekToFirst() {
  if (snapshot_ != nullptr) return Position(0);
  SeekForward({});
}

void MemberIterator::SeekToLast() {
  if (snapshot_ != nullptr) return Position(snapshot_->size() - 1);
  SeekBackward({}, /*past_end=*/true);
}

void MemberIterator::Seek(std::string_view member_part) {
  if (snapshot_ != nullptr) return Position(snapshot_->LowerBound(member_part));
  SeekForward(member_part);
}

void MemberIterator::SeekForPrev(std::string_view member_part) {
  if (snapshot_ != nullptr) {
    size_t index = snapshot_->LowerBound(member_part);
    bool exact = index < snapshot_->size() && snapshot_->member_part(index) == member_part;
    // Before the first member, index - 1 wraps to an invalid position.
    return Position(exact ? index : index - 1);
  }
  SeekBackward(member_part, /*past_end=*/false);
}

void MemberIterator::SeekForward(std::string_view part) {
  RangeEnd resume;
  if (dead_ranges_ != nullptr && dead_ranges_->SkipForward(incarnation_, part, &resume)) {
    return SeekPast(resume);
  }
  SeekAt(part);
}

void MemberIterator::SeekPast(const RangeEnd& resume) {
  if (resume.infinite && !upper_.empty()) {
    iterator_->Seek(upper_);  // no live member up to the end: lands out of bounds
    return;
  }
  SeekAt(resume.part);
}

void MemberIterator::SeekAt(std::string_view part) {
  uint64_t skipped_before = SkippedEntries();
  seek_key_.assign(prefix_);
  seek_key_.append(part);
  iterator_->Seek(seek_key_);
  RecordIfSkipped(skipped_before, part);
}

void MemberIterator::RecordIfSkipped(uint64_t skipped_before, std::string_view low) {
  if (SkippedEntries() - skipped_before <= DeadRanges::kRecordAfterSkipped || !MayRecord()) {
    return;
  }
  RangeEnd high;
  high.infinite = !Valid();
  if (!high.infinite) high.part.assign(member_part());
  dead_ranges_->Record(incarnation_, low, high);
  has_ranges_ = true;
}

void MemberIterator::SeekBackward(std::string_view part, bool past_end) {
  std::string resume;
  if (dead_ranges_ != nullptr &&
      dead_ranges_->SkipBackward(incarnation_, part, past_end, &resume)) {
    // resume starts a dead range, so it is no member itself: the last member <= resume is
    // the last one before the range.
    part = resume;
    past_end = false;
  }
  uint64_t skipped_before = SkippedEntries();
  if (past_end && upper_.empty()) {
    iterator_->SeekToLast();
  } else {
    seek_key_.assign(past_end ? upper_ : prefix_);
    if (!past_end) seek_key_.append(part);
    iterator_->SeekForPrev(seek_key_);
  }
  // SeekForPrev lands on upper_ itself only if it exists; it is outside our bounds.
  if (iterator_->Valid() && !iterator_->key().starts_with(prefix_)) iterator_->Prev();
  if (SkippedEntries() - skipped_before <= DeadRanges::kRecordAfterSkipped || !MayRecord()) {
    return;
  }
  // Nothing lives after the member landed on (or from the start) up to `part` (or the end).
  std::string low;
  if (Valid()) {
    low.assign(member_part());
    low.push_back('\0');
  }
  RangeEnd high;
  high.infinite = past_end;
  if (!past_end) {
    high.part.assign(part);
    high.part.push_back('\0');
  }
  dead_ranges_->Record(incarnation_, low, high);
  has_ranges_ = true;
}

bool MemberIterator::KnownBounds(std::string* first, std::string* last) const {
  return dead_ranges_ != nullptr && dead_ranges_->Bounds(incarnation_, first, last);
}

void MemberIterator::RememberBounds(std::string_view first, std::string_view last) {
  if (MayRecord()) dead_ranges_->SetBounds(incarnation_, first, last);
}

bool MemberIterator::MayRecord() const {
  return dead_ranges_ != nullptr && iterator_->status().ok() &&
         Storage::ThreadCommits() == commits_at_open_;
}

// The bounds keep plain RocksDB iterators inside the prefix; the check also covers a
// transaction's merged iterator, whose pending-write side may not honour them.
bool MemberIterator::Valid() const {
  if (snapshot_ != nullptr) return position_ != kInvalid;
  return iterator_->Valid() && iterator_->key().starts_with(prefix_);
}

void MemberIterator::Next() {
  if (snapshot_ != nullptr) return Position(position_ == kInvalid ? kInvalid : position_ + 1);
  if (dead_ranges_ == nullptr) return iterator_->Next();
  // Everything between this member and the next is what the step crosses.
  next_from_.assign(member_part());
  next_from_.push_back('\0');
  RangeEnd resume;
  if (has_ranges_ && dead_ranges_->SkipForward(incarnation_, next_from_, &resume)) {
    return SeekPast(resume);
  }
  uint64_t skipped_before = SkippedEntries();
  iterator_->Next();
  RecordIfSkipped(skipped_before, next_from_);
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
