// Snapshots of small collections: their layout, their keys, and filling them from RocksDB
// through the hot cache (see member_cache.h).
#include "engine/member_cache.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <utility>

#include "encoding/coding.h"
#include "encoding/sub_key.h"
#include "engine/hot_cache.h"
#include "engine/storage.h"

namespace cairn {

std::string MemberSnapshotKey(MemberColumn column, std::string_view member_prefix) {
  std::string key;
  key.reserve(2 + member_prefix.size());
  key.push_back(kSnapshotKeyMarker);
  key.push_back(static_cast<char>(column));
  key.append(member_prefix);
  return key;
}

bool MemberSnapshotKeyOf(MemberColumn column, std::string_view member_key,
                         std::string* snapshot_key) {
  SubKeyParts parts;
  if (!DecodeSubKey(member_key, &parts)) return false;
  size_t prefix_size = static_cast<size_t>(parts.member_part.data() - member_key.data());
  // Assigned in place: the batch replay reuses one string for every member it erases.
  snapshot_key->assign(1, kSnapshotKeyMarker);
  snapshot_key->push_back(static_cast<char>(column));
  snapshot_key->append(member_key.substr(0, prefix_size));
  return true;
}

MemberSnapshot::Builder::Builder() : snapshot_(std::make_shared<MemberSnapshot>()) {}

bool MemberSnapshot::Builder::Add(std::string_view member_part, std::string_view value) {
  std::string& data = snapshot_->data_;
  if (snapshot_->slots_.size() >= kSnapshotMaxMembers ||
      data.size() + member_part.size() + value.size() > kSnapshotMaxBytes) {
    return false;
  }
  snapshot_->slots_.push_back(Slot{static_cast<uint32_t>(data.size()),
                                   static_cast<uint32_t>(member_part.size()),
                                   static_cast<uint32_t>(value.size())});
  data.append(member_part);
  data.append(value);
  return true;
}

std::shared_ptr<const MemberSnapshot> MemberSnapshot::Builder::Finish() {
  snapshot_->data_.shrink_to_fit();
  snapshot_->slots_.shrink_to_fit();
  return std::move(snapshot_);
}

std::shared_ptr<const MemberSnapshot> MemberSnapshot::Oversized() {
  auto marker = std::make_shared<MemberSnapshot>();
  marker->oversized_ = true;
  return marker;
}

std::string_view MemberSnapshot::member_part(size_t index) const {
  const Slot& slot = slots_[index];
  return std::string_view(data_).substr(slot.offset, slot.part_size);
}

std::string_view MemberSnapshot::value(size_t index) const {
  const Slot& slot = slots_[index];
  return std::string_view(data_).substr(slot.offset + slot.part_size, slot.value_size);
}

size_t MemberSnapshot::LowerBound(std::string_view member_part) const {
  size_t low = 0;
  size_t high = slots_.size();
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (this->member_part(middle) < member_part) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

bool MemberSnapshot::Find(std::string_view member_part, std::string_view* value) const {
  size_t index = LowerBound(member_part);
  if (index == slots_.size() || this->member_part(index) != member_part) return false;
  *value = this->value(index);
  return true;
}

size_t MemberSnapshot::bytes() const {
  return sizeof(MemberSnapshot) + data_.capacity() + slots_.capacity() * sizeof(Slot);
}

namespace {

// Every member of the incarnation in one pass; the Oversized marker when they exceed the
// limits, nullptr on a read error.
std::shared_ptr<const MemberSnapshot> ReadSnapshot(Storage& storage,
                                                   rocksdb::ColumnFamilyHandle* cf,
                                                   const std::string& member_prefix) {
  std::string upper = PrefixSuccessor(member_prefix);
  rocksdb::Slice lower_slice(member_prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read = storage.read_options();
  read.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
  // No transaction is active here (LoadMemberSnapshot checked), so RocksDB itself answers.
  std::unique_ptr<rocksdb::Iterator> it(storage.rocks()->NewIterator(read, cf));
  MemberSnapshot::Builder builder;
  for (it->Seek(member_prefix); it->Valid() && it->key().starts_with(member_prefix); it->Next()) {
    rocksdb::Slice key = it->key();
    std::string_view part(key.data() + member_prefix.size(), key.size() - member_prefix.size());
    if (!builder.Add(part, std::string_view(it->value().data(), it->value().size()))) {
      return MemberSnapshot::Oversized();
    }
  }
  if (!it->status().ok()) return nullptr;
  return builder.Finish();
}

}  // namespace

std::shared_ptr<const MemberSnapshot> LoadMemberSnapshot(Storage& storage,
                                                         rocksdb::ColumnFamilyHandle* cf,
                                                         const std::string& member_prefix,
                                                         uint64_t size) {
  if (size == 0 || size > kSnapshotMaxMembers) return nullptr;
  HotCache* cache = storage.ReadCache();
  if (cache == nullptr) return nullptr;
  MemberColumn column = cf == storage.zscore_cf() ? MemberColumn::kZScore : MemberColumn::kSub;
  std::string key = MemberSnapshotKey(column, member_prefix);
  HotCache::Ticket ticket;
  std::shared_ptr<const CachedValue> cached = cache->LookupValue(key, &ticket);
  // Only snapshots live under snapshot keys.
  auto snapshot = std::static_pointer_cast<const MemberSnapshot>(std::move(cached));
  if (snapshot == nullptr) {
    snapshot = ReadSnapshot(storage, cf, member_prefix);
    if (snapshot != nullptr) cache->FillValue(ticket, key, snapshot);
  }
  return snapshot != nullptr && !snapshot->oversized() ? snapshot : nullptr;
}

}  // namespace cairn
