// Generic key operations: existence, deletion, deadlines, rename/copy/move, counts, flushes.
// (KEYS, SCAN and RANDOMKEY are in keyspace_iteration.cc.)
#include "engine/keyspace.h"

#include <array>
#include <limits>
#include <unordered_set>

#include "encoding/expire_key.h"
#include "encoding/meta_key.h"
#include "engine/key_batch.h"
#include "engine/storage.h"

namespace cairn {

namespace {

bool ConditionAllows(const ExpireCondition& condition, uint64_t current, int64_t when) {
  bool has_expiry = current != 0;
  if (condition.nx && has_expiry) return false;
  if (condition.xx && !has_expiry) return false;
  if (condition.gt && (!has_expiry || when <= static_cast<int64_t>(current))) return false;
  if (condition.lt && has_expiry && when >= static_cast<int64_t>(current)) return false;
  return true;
}

}  // namespace

Status Keyspace::Exists(int db, std::span<const std::string> keys, int64_t* count) {
  *count = 0;
  for (const std::string& key : keys) {
    KeyRef ref;
    StoredKey stored;
    Status s = LookupKey(*storage_, db, key, &ref, &stored);
    if (!s.ok()) return s;
    if (stored.live()) (*count)++;
  }
  return Status::OK();
}

Status Keyspace::Type(int db, std::string_view key, ValueType* type) {
  Metadata meta;
  Status s = Describe(db, key, &meta);
  if (s.ok()) *type = meta.type;
  return s;
}

Status Keyspace::Describe(int db, std::string_view key, Metadata* meta) {
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(*storage_, db, key, &ref, &stored);
  if (!s.ok()) return s;
  if (!stored.live()) return Status::NotFound();
  *meta = stored.meta();
  return Status::OK();
}

Status Keyspace::Delete(int db, std::span<const std::string> keys, int64_t* deleted) {
  *deleted = 0;
  KeyBatch batch(storage_);
  std::unordered_set<std::string_view> seen;
  std::vector<std::string_view> removed;
  for (const std::string& key : keys) {
    if (!seen.insert(key).second) continue;
    KeyRef ref;
    StoredKey stored;
    Status s = LookupKey(*storage_, db, key, &ref, &stored);
    if (!s.ok()) return s;
    // An expired entry is reclaimed too, but it was already gone for the client.
    if (stored.live()) removed.push_back(key);
    batch.Delete(ref, stored);
  }
  Status s = batch.Commit();
  if (!s.ok()) return s;
  for (std::string_view key : removed) storage_->ForgetAccess(db, key);
  *deleted = static_cast<int64_t>(removed.size());
  return Status::OK();
}

Status Keyspace::Expire(int db, std::string_view key, int64_t expire_at_ms,
                        ExpireCondition condition, bool* applied) {
  *applied = false;
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(*storage_, db, key, &ref, &stored);
  if (!s.ok() || !stored.live()) return s;
  if (!ConditionAllows(condition, stored.meta().expire_ms, expire_at_ms)) return Status::OK();
  KeyBatch batch(storage_);
  bool deletes = expire_at_ms <= static_cast<int64_t>(storage_->NowMs());
  if (deletes) {
    batch.Delete(ref, stored);
  } else {
    Metadata meta = stored.meta();
    meta.expire_ms = static_cast<uint64_t>(expire_at_ms);
    batch.Put(ref, stored, meta, stored.payload());
  }
  s = batch.Commit();
  if (!s.ok()) return s;
  if (deletes) storage_->ForgetAccess(db, key);
  *applied = true;
  return Status::OK();
}

Status Keyspace::GetExpire(int db, std::string_view key, int64_t* expire_at_ms) {
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(*storage_, db, key, &ref, &stored);
  if (!s.ok()) return s;
  if (!stored.live()) {
    *expire_at_ms = -2;
  } else {
    *expire_at_ms = stored.meta().HasExpire() ? static_cast<int64_t>(stored.meta().expire_ms) : -1;
  }
  return Status::OK();
}

Status Keyspace::Persist(int db, std::string_view key, bool* removed) {
  *removed = false;
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(*storage_, db, key, &ref, &stored);
  if (!s.ok() || !stored.live() || !stored.meta().HasExpire()) return s;
  Metadata meta = stored.meta();
  meta.expire_ms = 0;
  KeyBatch batch(storage_);
  batch.Put(ref, stored, meta, stored.payload());
  s = batch.Commit();
  *removed = s.ok();
  return s;
}

Status Keyspace::CopyKey(int src_db, std::string_view src, int dst_db, std::string_view dst,
                         bool replace, bool delete_source, CopyOutcome* outcome) {
  KeyRef src_ref, dst_ref;
  StoredKey src_stored, dst_stored;
  Status s = MakeKeyRef(*storage_, src_db, src, &src_ref);
  if (s.ok()) s = MakeKeyRef(*storage_, dst_db, dst, &dst_ref);
  if (s.ok()) s = LoadKey(*storage_, src_ref, &src_stored);
  if (!s.ok()) return s;
  if (!src_stored.live()) {
    *outcome = CopyOutcome::kSourceMissing;
    return Status::OK();
  }
  s = LoadKey(*storage_, dst_ref, &dst_stored);
  if (!s.ok()) return s;
  if (dst_stored.live() && !replace) {
    *outcome = CopyOutcome::kTargetExists;
    return Status::OK();
  }
  KeyBatch batch(storage_);
  Metadata meta = src_stored.meta();
  // Members are keyed by the key's name and version: the copy is a new incarnation.
  meta.version = storage_->NextVersion();
  batch.Put(dst_ref, dst_stored, meta, src_stored.payload());
  if (meta.type != ValueType::kString) {
    s = batch.CopyMembers(src_ref, src_stored.meta().version, dst_ref, meta.version);
    if (!s.ok()) return s;
  }
  if (delete_source) batch.Delete(src_ref, src_stored);
  s = batch.Commit();
  if (!s.ok()) return s;
  if (delete_source) storage_->ForgetAccess(src_db, src);
  *outcome = CopyOutcome::kCopied;
  return Status::OK();
}

Status Keyspace::Rename(int db, std::string_view src, std::string_view dst, bool nx,
                        bool* renamed) {
  *renamed = false;
  if (src == dst) {
    KeyRef ref;
    StoredKey stored;
    Status s = LookupKey(*storage_, db, src, &ref, &stored);
    if (!s.ok()) return s;
    if (!stored.live()) return Status::NotFound("ERR no such key");
    *renamed = !nx;
    return Status::OK();
  }
  CopyOutcome outcome;
  Status s = CopyKey(db, src, db, dst, /*replace=*/!nx, /*delete_source=*/true, &outcome);
  if (!s.ok()) return s;
  if (outcome == CopyOutcome::kSourceMissing) return Status::NotFound("ERR no such key");
  *renamed = outcome == CopyOutcome::kCopied;
  return Status::OK();
}

Status Keyspace::Copy(int src_db, std::string_view src, int dst_db, std::string_view dst,
                      bool replace, bool* copied) {
  *copied = false;
  if (src_db == dst_db && src == dst) {
    return Status::InvalidArgument("ERR source and destination objects are the same");
  }
  CopyOutcome outcome;
  Status s = CopyKey(src_db, src, dst_db, dst, replace, /*delete_source=*/false, &outcome);
  *copied = s.ok() && outcome == CopyOutcome::kCopied;
  return s;
}

Status Keyspace::Move(int src_db, int dst_db, std::string_view key, bool* moved) {
  *moved = false;
  if (src_db == dst_db) {
    return Status::InvalidArgument("ERR source and destination objects are the same");
  }
  CopyOutcome outcome;
  Status s = CopyKey(src_db, key, dst_db, key, /*replace=*/false, /*delete_source=*/true, &outcome);
  *moved = s.ok() && outcome == CopyOutcome::kCopied;
  return s;
}

int64_t Keyspace::DbSize(int db) const {
  return storage_->catalog().IsValid(db) ? storage_->catalog().KeyCount(db) : 0;
}

int64_t Keyspace::ExpiresCount(int db) const {
  return storage_->catalog().IsValid(db) ? storage_->catalog().ExpireCount(db) : 0;
}

Status Keyspace::FlushPhysical(std::span<const uint8_t> physical_dbs, bool all) {
  rocksdb::WriteBatch batch;
  DbCatalog& catalog = storage_->catalog();
  for (uint8_t physical : physical_dbs) {
    std::string begin = MetaDbPrefix(physical);
    std::string end = MetaDbPrefix(static_cast<uint8_t>(physical + 1));
    // Members share the db-first layout, so the same range drops them too.
    for (rocksdb::ColumnFamilyHandle* cf :
         {storage_->meta_cf(), storage_->sub_cf(), storage_->zscore_cf()}) {
      batch.DeleteRange(cf, begin, end);
    }
    catalog.AddResetCounts(&batch, physical);
  }
  // A single-db flush leaves its expire entries behind; active expiry drops them as stale.
  if (all) {
    batch.DeleteRange(storage_->expire_cf(), ExpireKeyBound(0),
                      ExpireKeyBound(std::numeric_limits<uint64_t>::max()));
  }
  Status s = storage_->Write(&batch);
  if (!s.ok()) return s;
  for (uint8_t physical : physical_dbs) {
    catalog.ApplyResetCounts(physical);
    if (!all) storage_->access_tracker().ForgetDb(physical);
  }
  if (all) storage_->access_tracker().Clear();
  return Status::OK();
}

Status Keyspace::FlushDB(int db) {
  Status s = storage_->CheckDb(db);
  if (!s.ok()) return s;
  uint8_t physical = storage_->catalog().Physical(db);
  return FlushPhysical(std::span<const uint8_t>(&physical, 1), /*all=*/false);
}

Status Keyspace::FlushAll() {
  std::array<uint8_t, kMaxDatabases> physical{};
  for (int i = 0; i < kMaxDatabases; i++)
    physical[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  return FlushPhysical(physical, /*all=*/true);
}

Status Keyspace::SwapDB(int a, int b) {
  Status s = storage_->CheckDb(a);
  if (s.ok()) s = storage_->CheckDb(b);
  if (!s.ok() || a == b) return s;
  rocksdb::WriteBatch batch;
  storage_->catalog().AddSwap(&batch, a, b);
  s = storage_->Write(&batch);
  if (s.ok()) storage_->catalog().ApplySwap(a, b);
  return s;
}

Status Keyspace::Touch(int db, std::span<const std::string> keys, int64_t* count) {
  *count = 0;
  for (const std::string& key : keys) {
    KeyRef ref;
    StoredKey stored;
    Status s = LookupKey(*storage_, db, key, &ref, &stored);
    if (!s.ok()) return s;
    if (!stored.live()) continue;
    (*count)++;
    storage_->RecordAccess(db, key);
  }
  return Status::OK();
}

}  // namespace cairn
