// The skeleton every collection type (hash, list, set, sorted set) is written with:
// CollectionKey, one command's handle on one collection key (lookup with the type check, the
// version its members live under, the metadata rewrite that keeps the element count, and the
// delete when the last member goes), and MemberIterator, a bounded iterator over the members
// of one incarnation of a key. Members are written into the same KeyBatch as the metadata, so
// every command stays one WriteBatch. Callers hold the key's lock. Read commands read the
// members of a small collection from its snapshot in the hot cache (member_cache.h).
#pragma once

#include <rocksdb/iterator.h>
#include <rocksdb/slice.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "encoding/metadata.h"
#include "engine/key_batch.h"
#include "engine/member_cache.h"
#include "engine/status.h"

namespace cairn {

class DeadRanges;
class Storage;
struct RangeEnd;

// The limits up to which Redis 7.0 keeps a collection in its compact encoding (listpack,
// intset): CONFIG's hash-max-listpack-entries and friends. Cairn's storage does not change
// with them; they decide what OBJECT ENCODING reports. Read on every write, set by CONFIG.
struct EncodingLimits {
  std::atomic<uint64_t> hash_max_listpack_entries{512};
  std::atomic<uint64_t> hash_max_listpack_value{64};
  std::atomic<uint64_t> set_max_intset_entries{512};
  std::atomic<uint64_t> zset_max_listpack_entries{128};
  std::atomic<uint64_t> zset_max_listpack_value{64};
};

// Where a command's member reads go. Read commands pass kCached: a small collection is read
// from its snapshot in the hot cache, which a miss fills. Writes stay kDirect and read
// RocksDB: their own commit erases the snapshot, so filling one would be wasted work, and a
// lookup that may not fill would only count misses.
enum class MemberReads : uint8_t { kDirect, kCached };

class CollectionKey {
 public:
  CollectionKey() = default;
  CollectionKey(const CollectionKey&) = delete;
  CollectionKey& operator=(const CollectionKey&) = delete;

  // Looks the key up. WrongType when it is live with another type; a missing or expired key
  // is a valid, empty collection that a write may create. `key` must outlive this object.
  Status Load(Storage& storage, int db, std::string_view key, ValueType type,
              MemberReads reads = MemberReads::kDirect);

  // Live and of the expected type (an empty collection never exists).
  bool exists() const { return exists_; }
  uint64_t size() const { return exists_ ? stored_.meta().size : 0; }
  // The metadata a write starts from: the stored one, or a fresh one (new version, no
  // deadline, size 0) for a key that does not exist.
  const Metadata& meta() const { return meta_; }
  std::string_view payload() const { return exists_ ? stored_.payload() : std::string_view(); }
  const KeyRef& ref() const { return ref_; }
  const StoredKey& stored() const { return stored_; }
  Storage& storage() const { return *storage_; }

  // db | slot | len | user_key | version: the prefix of every member of this incarnation.
  const std::string& member_prefix() const { return member_prefix_; }
  std::string MemberKey(std::string_view member_part) const;

  // One member's value in `cf` (sub or zscore), as Storage::Get of MemberKey(member_part)
  // answers it (NotFound when absent), from the snapshot when there is one.
  rocksdb::Status GetMember(rocksdb::ColumnFamilyHandle* cf, std::string_view member_part,
                            rocksdb::PinnableSlice* value) const;
  // The snapshot of this incarnation's members in `cf`, or nullptr: always for kDirect
  // reads, else see LoadMemberSnapshot.
  std::shared_ptr<const MemberSnapshot> Snapshot(rocksdb::ColumnFamilyHandle* cf) const;

  // The OBJECT ENCODING flag (kMetaFlagLargeEncoding); written by the next Update.
  void MarkLargeEncoding();
  bool large_encoding() const;

  // Writes the key's new state into `batch`: metadata with `new_size` members and `payload`
  // (deadline and flags kept), or the key's deletion when new_size is 0. The members
  // themselves are the caller's Puts/Deletes into batch->batch(). Metadata that would come
  // out unchanged is not rewritten (the key still counts as modified for WATCH).
  void Update(KeyBatch* batch, uint64_t new_size, std::string_view payload = {});

 private:
  Storage* storage_ = nullptr;
  KeyRef ref_;
  StoredKey stored_;
  Metadata meta_;
  std::string member_prefix_;
  bool exists_ = false;
  MemberReads reads_ = MemberReads::kDirect;
};

// Iterates over the members of one key incarnation in one column family (sub or zscore),
// in member-part byte order, bounded on both sides so it never reads past the key. Reads go
// through Storage::NewIterator, so a transaction sees its own pending writes, unless the
// collection's snapshot is cached: then they touch no RocksDB at all. Seeks start past the
// runs of deleted members earlier walks met (dead_ranges.h).
class MemberIterator {
 public:
  // Over the incarnation `prefix`, always from RocksDB.
  MemberIterator(Storage& storage, rocksdb::ColumnFamilyHandle* cf, std::string prefix);
  // Over `key`'s incarnation: from its snapshot when there is one (CollectionKey::Snapshot).
  MemberIterator(const CollectionKey& key, rocksdb::ColumnFamilyHandle* cf);
  MemberIterator(const MemberIterator&) = delete;
  MemberIterator& operator=(const MemberIterator&) = delete;

  void SeekToFirst();
  void SeekToLast();
  // First member whose member-part is >= member_part.
  void Seek(std::string_view member_part);
  // Last member whose member-part is <= member_part.
  void SeekForPrev(std::string_view member_part);
  bool Valid() const;
  void Next();
  void Prev();

  // The first and last member an earlier random pick recorded for this incarnation
  // (DeadRanges::SetBounds); false when unknown, or when this iterator may not use them.
  bool KnownBounds(std::string* first, std::string* last) const;
  // Records them, if what this iterator shows is still the current state.
  void RememberBounds(std::string_view first, std::string_view last);

  std::string_view member_part() const;
  std::string_view value() const;
  // The full RocksDB key, for deleting the current member.
  rocksdb::Slice raw_key() const;
  Status status() const;

 private:
  void OpenRocksIterator(Storage& storage, rocksdb::ColumnFamilyHandle* cf);
  // The RocksDB side of the positionings, past the dead ranges (dead_ranges.h) and
  // recording the runs of deleted members they had to skip. Forward: the first member
  // >= part. Backward: the last member <= part, or the last one at all when past_end.
  void SeekForward(std::string_view part);
  // The forward seek once the dead ranges were asked: to the end of the range that held
  // the target, or to `part` itself.
  void SeekPast(const RangeEnd& resume);
  void SeekAt(std::string_view part);
  void SeekBackward(std::string_view part, bool past_end);
  // Whether what the iterator shows is still the current state, so that a dead range it
  // saw may be recorded.
  bool MayRecord() const;
  // Records [low, current member) (or to the end) as dead if the positioning that just
  // happened skipped enough deleted entries since `skipped_before`.
  void RecordIfSkipped(uint64_t skipped_before, std::string_view low);
  // Moves to the snapshot's member at `index`; past either end is invalid.
  void Position(size_t index) { position_ = index < snapshot_->size() ? index : kInvalid; }

  static constexpr size_t kInvalid = SIZE_MAX;

  std::string prefix_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
  std::string seek_key_;
  // Set instead of iterator_ when the collection is served from its snapshot.
  std::shared_ptr<const MemberSnapshot> snapshot_;
  size_t position_ = kInvalid;
  mutable std::string raw_key_;
  // Set when walks use and feed the dead ranges: a plain iterator over a whole incarnation
  // in `sub` or `zscore`, outside transactions. incarnation_ is its member snapshot key.
  DeadRanges* dead_ranges_ = nullptr;
  std::string incarnation_;
  uint64_t commits_at_open_ = 0;
  // Whether the incarnation has dead ranges (then Next steps past them by seeking; no one
  // else adds any while the key's lock is held).
  bool has_ranges_ = false;
  std::string next_from_;
};

}  // namespace cairn
