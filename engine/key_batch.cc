// Key lookup with lazy expiry, and the batch that keeps the expire index and counts in step
// with every change to the meta column family.
#include "engine/key_batch.h"

#include <memory>
#include <utility>

#include "encoding/coding.h"
#include "encoding/expire_key.h"
#include "encoding/key_slot.h"
#include "encoding/meta_key.h"
#include "encoding/sub_key.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

Status MakeKeyRef(Storage& storage, int logical_db, std::string_view key, KeyRef* ref) {
  Status s = storage.CheckDb(logical_db);
  if (!s.ok()) return s;
  *ref = PhysicalKeyRef(storage.catalog().Physical(logical_db), key);
  ref->logical_db = logical_db;
  return Status::OK();
}

KeyRef PhysicalKeyRef(uint8_t physical_db, std::string_view key) {
  KeyRef ref;
  ref.logical_db = -1;
  ref.db = physical_db;
  ref.slot = KeyHashSlot(key);
  ref.user_key = key;
  ref.meta_key = EncodeMetaKey(physical_db, ref.slot, key);
  return ref;
}

void StoredKey::Reset() {
  cached_.reset();
  raw_.Reset();
  payload_ = {};
  present_ = false;
  live_ = false;
}

void StoredKey::Adopt(std::shared_ptr<const CachedMeta> cached, uint64_t now_ms) {
  cached_ = std::move(cached);
  meta_ = cached_->meta;
  payload_ = cached_->payload();
  present_ = true;
  live_ = !meta_.IsExpired(now_ms);
}

Status LoadKey(Storage& storage, const KeyRef& ref, StoredKey* stored) {
  stored->Reset();
  HotCache* cache = storage.ReadCache();
  HotCache::Ticket ticket;
  if (cache != nullptr) {
    std::shared_ptr<const CachedMeta> hit = cache->Lookup(ref.meta_key, &ticket);
    if (hit != nullptr) {
      if (!hit->absent) stored->Adopt(std::move(hit), storage.NowMs());
      return Status::OK();
    }
  }
  rocksdb::Status s = storage.Get(storage.meta_cf(), ref.meta_key, &stored->raw_);
  if (s.IsNotFound()) {
    if (cache != nullptr) cache->FillValue(ticket, ref.meta_key, CachedMeta::Absent());
    return Status::OK();
  }
  if (!s.ok()) return FromRocks(s);
  std::string_view raw(stored->raw_.data(), stored->raw_.size());
  if (!DecodeMetadata(raw, &stored->meta_, &stored->payload_)) {
    return Status::Corruption("malformed metadata for key in db " + std::to_string(ref.logical_db));
  }
  if (cache != nullptr) cache->Fill(ticket, ref.meta_key, raw);
  stored->present_ = true;
  stored->live_ = !stored->meta_.IsExpired(storage.NowMs());
  return Status::OK();
}

Status LookupKey(Storage& storage, int logical_db, std::string_view key, KeyRef* ref,
                 StoredKey* stored) {
  Status s = MakeKeyRef(storage, logical_db, key, ref);
  return s.ok() ? LoadKey(storage, *ref, stored) : s;
}

void KeyBatch::AddDelta(uint8_t db, int64_t keys, int64_t expires) {
  for (CountDelta& delta : deltas_) {
    if (delta.db == db) {
      delta.keys += keys;
      delta.expires += expires;
      return;
    }
  }
  deltas_.push_back({db, keys, expires});
}

void KeyBatch::Put(const KeyRef& ref, const StoredKey& old, const Metadata& meta,
                   std::string_view payload) {
  std::string header;
  EncodeMetadataHeader(meta, &header);
  // Header and payload go into the batch as parts: a large string is copied only once.
  rocksdb::Slice key_slice(ref.meta_key);
  rocksdb::Slice value_parts[2] = {rocksdb::Slice(header),
                                   rocksdb::Slice(payload.data(), payload.size())};
  batch_.Put(storage_->meta_cf(), rocksdb::SliceParts(&key_slice, 1),
             rocksdb::SliceParts(value_parts, 2));
  uint64_t old_expire = old.present() ? old.meta().expire_ms : 0;
  if (old_expire != meta.expire_ms) {
    if (old_expire != 0) {
      batch_.Delete(storage_->expire_cf(),
                    EncodeExpireKey(old_expire, ref.db, ref.slot, ref.user_key));
    }
    if (meta.expire_ms != 0) {
      batch_.Put(storage_->expire_cf(),
                 EncodeExpireKey(meta.expire_ms, ref.db, ref.slot, ref.user_key), {});
    }
  }
  int64_t key_delta = old.present() ? 0 : 1;
  int64_t expire_delta = (meta.expire_ms != 0 ? 1 : 0) - (old_expire != 0 ? 1 : 0);
  AddDelta(ref.db, key_delta, expire_delta);
  storage_->NotifyKeyModified(ref.logical_db, ref.user_key);
}

void KeyBatch::Delete(const KeyRef& ref, const StoredKey& old) {
  if (!old.present()) return;
  batch_.Delete(storage_->meta_cf(), ref.meta_key);
  bool had_expire = old.meta().HasExpire();
  if (had_expire) {
    batch_.Delete(storage_->expire_cf(),
                  EncodeExpireKey(old.meta().expire_ms, ref.db, ref.slot, ref.user_key));
  }
  AddDelta(ref.db, -1, had_expire ? -1 : 0);
  // Reclaiming an already expired key changes nothing a client could see (WATCH included).
  if (old.live()) storage_->NotifyKeyModified(ref.logical_db, ref.user_key);
}

Status KeyBatch::CopyColumnFamily(rocksdb::ColumnFamilyHandle* cf, const std::string& from_prefix,
                                  const std::string& to_prefix) {
  std::string upper = PrefixSuccessor(from_prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read = storage_->read_options();
  read.iterate_upper_bound = &upper_slice;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(storage_->NewIterator(read, cf, from_prefix));
  std::string new_key;
  for (it->Seek(from_prefix); it->Valid() && it->key().starts_with(from_prefix); it->Next()) {
    rocksdb::Slice key = it->key();
    new_key.assign(to_prefix);
    new_key.append(key.data() + from_prefix.size(), key.size() - from_prefix.size());
    batch_.Put(cf, new_key, it->value());
  }
  return FromRocks(it->status());
}

Status KeyBatch::CopyMembers(const KeyRef& from, uint64_t from_version, const KeyRef& to,
                             uint64_t to_version) {
  std::string from_prefix = EncodeSubKeyPrefix(from.db, from.slot, from.user_key, from_version);
  std::string to_prefix = EncodeSubKeyPrefix(to.db, to.slot, to.user_key, to_version);
  Status s = CopyColumnFamily(storage_->sub_cf(), from_prefix, to_prefix);
  if (s.ok()) s = CopyColumnFamily(storage_->zscore_cf(), from_prefix, to_prefix);
  return s;
}

Status KeyBatch::Commit() {
  if (batch_.Count() == 0) return Status::OK();
  for (const CountDelta& delta : deltas_) {
    storage_->catalog().AddCountDeltas(&batch_, delta.db, delta.keys, delta.expires);
  }
  Status s = storage_->Write(&batch_);
  if (!s.ok()) return s;
  for (const CountDelta& delta : deltas_) {
    storage_->catalog().ApplyCountDeltas(delta.db, delta.keys, delta.expires);
  }
  return Status::OK();
}

}  // namespace cairn
