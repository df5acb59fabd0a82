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

MemberSnapshot::Builder::Builder(uint64_t max_members, size_t max_bytes)
    : snapshot_(std::make_shared<MemberSnapshot>()),
      max_members_(max_members),
      max_bytes_(max_bytes) {}

bool MemberSnapshot::Builder::Add(std::string_view member_part, std::string_view value) {
  std::string& data = snapshot_->data_;
  if (snapshot_->slots_.size() >= max_members_ ||
      data.size() + member_part.size() + value.size() > max_bytes_) {
    return false;
  }
  snapshot_->slots_.push_back(Slot{static_cast<uint32_t>(data.size()),
                                   static_cast<uint32_t>(member_part.size()),
                                   static_cast<uint32_t>(value.size())});
  data.append(member_part);
  data.append(value);
  return true;
}

std::shared_ptr<const MemberSnapshot> MemberSnapshot::Builder::Finish(bool window) {
  snapshot_->window_ = window;
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

// The incarnation's members in one pass, as a full snapshot (the Oversized marker when they
// exceed the limits) or as a window (the first ones that fit); nullptr on a read error.
std::shared_ptr<const MemberSnapshot> ReadMembers(Storage& storage, rocksdb::ColumnFamilyHandle* cf,
                                                  const std::string& member_prefix, bool window) {
  std::string upper = PrefixSuccessor(member_prefix);
  rocksdb::Slice lower_slice(member_prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read = storage.read_options();
  read.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
  // No transaction is active here (the callers checked), so RocksDB itself answers.
  std::unique_ptr<rocksdb::Iterator> it(storage.rocks()->NewIterator(read, cf));
  MemberSnapshot::Builder builder =
      window ? MemberSnapshot::Builder(kWindowMaxMembers, kWindowMaxBytes)
             : MemberSnapshot::Builder();
  bool full = false;
  for (it->Seek(member_prefix); it->Valid() && it->key().starts_with(member_prefix); it->Next()) {
    rocksdb::Slice key = it->key();
    std::string_view part(key.data() + member_prefix.size(), key.size() - member_prefix.size());
    if (!builder.Add(part, std::string_view(it->value().data(), it->value().size()))) {
      full = true;
      break;
    }
  }
  if (!it->status().ok()) return nullptr;
  if (full && !window) return MemberSnapshot::Oversized();
  return builder.Finish(window);
}

// The cached value under the snapshot key of `member_prefix`, read and filled on a miss
// when `may_fill`.
std::shared_ptr<const MemberSnapshot> LoadCached(Storage& storage, rocksdb::ColumnFamilyHandle* cf,
                                                 const std::string& member_prefix, bool window,
                                                 bool may_fill) {
  HotCache* cache = storage.ReadCache();
  if (cache == nullptr) return nullptr;
  MemberColumn column = cf == storage.zscore_cf() ? MemberColumn::kZScore : MemberColumn::kSub;
  std::string key = MemberSnapshotKey(column, member_prefix);
  HotCache::Ticket ticket;
  std::shared_ptr<const CachedValue> cached = cache->LookupValue(key, &ticket);
  // Only snapshots live under snapshot keys.
  auto snapshot = std::static_pointer_cast<const MemberSnapshot>(std::move(cached));
  if (snapshot == nullptr && may_fill) {
    snapshot = ReadMembers(storage, cf, member_prefix, window);
    if (snapshot != nullptr) cache->FillValue(ticket, key, snapshot);
  }
  // Any member write erases the cached value, so one filled while the collection was long
  // (a window) is gone before it can be short, and the other way round.
  if (snapshot == nullptr || snapshot->oversized() || snapshot->window() != window) return nullptr;
  return snapshot;
}

}  // namespace

std::shared_ptr<const MemberSnapshot> LoadMemberSnapshot(Storage& storage,
                                                         rocksdb::ColumnFamilyHandle* cf,
                                                         const std::string& member_prefix,
                                                         uint64_t size) {
  if (size == 0 || size > kSnapshotMaxMembers) return nullptr;
  return LoadCached(storage, cf, member_prefix, /*window=*/false, /*may_fill=*/true);
}

std::shared_ptr<const MemberSnapshot> LoadMemberWindow(Storage& storage,
                                                       rocksdb::ColumnFamilyHandle* cf,
                                                       const std::string& member_prefix,
                                                       bool may_fill) {
  return LoadCached(storage, cf, member_prefix, /*window=*/true, may_fill);
}

}  // namespace cairn
