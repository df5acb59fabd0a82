// Whole keys in and out of the member layouts (see object_io.h).
#include "engine/object_io.h"

#include <string>

#include "encoding/collection_layout.h"
#include "encoding/sub_key.h"
#include "engine/collection.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {
namespace {

std::string MemberPrefix(const KeyRef& ref, uint64_t version) {
  return EncodeSubKeyPrefix(ref.db, ref.slot, ref.user_key, version);
}

Status ReadList(Storage& storage, const std::string& prefix, std::string_view payload,
                RdbValue* value) {
  ListBounds bounds;
  if (!DecodeListPayload(payload, &bounds)) return Status::Corruption("malformed list metadata");
  MemberIterator it(storage, storage.sub_cf(), prefix);
  value->elements.reserve(bounds.size());
  std::string tail = EncodeListIndex(bounds.tail);
  for (it.Seek(EncodeListIndex(bounds.head)); it.Valid() && it.member_part() < tail; it.Next()) {
    value->elements.emplace_back(it.value());
  }
  return it.status();
}

// Hash fields with their values, or set members (values empty).
Status ReadMembers(Storage& storage, const std::string& prefix, RdbValue* value) {
  MemberIterator it(storage, storage.sub_cf(), prefix);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    if (value->type == ValueType::kHash) {
      value->fields.emplace_back(it.member_part(), it.value());
    } else {
      value->elements.emplace_back(it.member_part());
    }
  }
  return it.status();
}

Status ReadScored(Storage& storage, const std::string& prefix, RdbValue* value) {
  MemberIterator it(storage, storage.zscore_cf(), prefix);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    double score = 0;
    std::string_view member;
    if (!DecodeScoreMemberPart(it.member_part(), &score, &member)) {
      return Status::Corruption("malformed sorted set entry");
    }
    value->scored.emplace_back(std::string(member), score);
  }
  return it.status();
}

// Writes the members of a collection value under `prefix`; returns the meta payload.
std::string PutMembers(Storage& storage, rocksdb::WriteBatch* batch, const std::string& prefix,
                       const RdbValue& value) {
  std::string key;
  auto member_key = [&](std::string_view member_part) -> const std::string& {
    key.assign(prefix);
    key.append(member_part);
    return key;
  };
  switch (value.type) {
    case ValueType::kList: {
      ListBounds bounds;
      for (const std::string& element : value.elements) {
        batch->Put(storage.sub_cf(), member_key(EncodeListIndex(bounds.tail++)), element);
      }
      return EncodeListPayload(bounds);
    }
    case ValueType::kSet:
      for (const std::string& member : value.elements) {
        batch->Put(storage.sub_cf(), member_key(member), {});
      }
      break;
    case ValueType::kHash:
      for (const auto& [field, text] : value.fields) {
        batch->Put(storage.sub_cf(), member_key(field), text);
      }
      break;
    case ValueType::kZSet:
      for (const auto& [member, score] : value.scored) {
        batch->Put(storage.sub_cf(), member_key(member), EncodeScoreValue(score));
        batch->Put(storage.zscore_cf(), member_key(EncodeScoreMemberPart(score, member)), {});
      }
      break;
    case ValueType::kString:
    case ValueType::kStream:
      break;
  }
  return {};
}

}  // namespace

RdbCompactLimits CompactLimits(Storage& storage) {
  EncodingLimits& limits = storage.encoding_limits();
  RdbCompactLimits out;
  out.hash_max_listpack_entries = limits.hash_max_listpack_entries.load();
  out.hash_max_listpack_value = limits.hash_max_listpack_value.load();
  out.set_max_intset_entries = limits.set_max_intset_entries.load();
  out.zset_max_listpack_entries = limits.zset_max_listpack_entries.load();
  out.zset_max_listpack_value = limits.zset_max_listpack_value.load();
  return out;
}

Status ReadObject(Storage& storage, int db, std::string_view key, RdbValue* value,
                  uint64_t* expire_ms) {
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(storage, db, key, &ref, &stored);
  if (!s.ok()) return s;
  if (!stored.live()) return Status::NotFound();
  const Metadata& meta = stored.meta();
  if (meta.type == ValueType::kStream) {
    return Status::InvalidArgument("ERR streams cannot be serialized by this server");
  }
  if (expire_ms != nullptr) *expire_ms = meta.expire_ms;
  value->Clear();
  value->type = meta.type;
  std::string prefix = MemberPrefix(ref, meta.version);
  switch (meta.type) {
    case ValueType::kString:
      value->string.assign(stored.payload());
      return Status::OK();
    case ValueType::kList:
      return ReadList(storage, prefix, stored.payload(), value);
    case ValueType::kZSet:
      value->scored.reserve(meta.size);
      return ReadScored(storage, prefix, value);
    default:
      return ReadMembers(storage, prefix, value);
  }
}

void PutObject(Storage& storage, KeyBatch* batch, const KeyRef& ref, const StoredKey& old,
               const RdbValue& value, uint64_t expire_ms) {
  if (value.type != ValueType::kString && value.size() == 0) {
    batch->Delete(ref, old);
    return;
  }
  Metadata meta;
  meta.type = value.type;
  meta.expire_ms = expire_ms;
  // Always a new incarnation: members of the old value must not show through.
  meta.version = storage.NextVersion();
  if (NeedsLargeEncoding(value, CompactLimits(storage))) meta.flags |= kMetaFlagLargeEncoding;
  if (value.type == ValueType::kString) {
    meta.size = value.string.size();
    batch->Put(ref, old, meta, value.string);
    return;
  }
  meta.size = value.size();
  std::string payload = PutMembers(storage, batch->batch(), MemberPrefix(ref, meta.version), value);
  batch->Put(ref, old, meta, payload);
}

Status RestoreObject(Storage& storage, int db, std::string_view key, const RdbValue& value,
                     const RestoreOptions& options, RestoreResult* result) {
  *result = RestoreResult();
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(storage, db, key, &ref, &stored);
  if (!s.ok()) return s;
  if (stored.live() && !options.replace) {
    return Status::Busy("BUSYKEY Target key name already exists.");
  }
  KeyBatch batch(&storage);
  if (options.expire_at_ms != 0 && options.expire_at_ms <= storage.NowMs()) {
    batch.Delete(ref, stored);
    result->deleted = stored.live();
  } else {
    PutObject(storage, &batch, ref, stored, value, options.expire_at_ms);
    result->created = true;
  }
  return batch.Commit();
}

Status StoreObject(Storage& storage, int db, std::string_view key, const RdbValue& value,
                   bool* existed) {
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(storage, db, key, &ref, &stored);
  if (!s.ok()) return s;
  if (existed != nullptr) *existed = stored.live();
  KeyBatch batch(&storage);
  PutObject(storage, &batch, ref, stored, value, 0);
  return batch.Commit();
}

Status ReadHashField(Storage& storage, int db, std::string_view key, std::string_view field,
                     bool* key_found, std::string* value) {
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(storage, db, key, &ref, &stored);
  if (!s.ok()) return s;
  *key_found = stored.live();
  if (!stored.IsLive(ValueType::kHash)) return Status::NotFound();
  std::string member_key =
      EncodeSubKey(ref.db, ref.slot, ref.user_key, stored.meta().version, field);
  rocksdb::PinnableSlice pinned;
  rocksdb::Status rs = storage.Get(storage.sub_cf(), member_key, &pinned);
  if (rs.IsNotFound()) return Status::NotFound();
  if (!rs.ok()) return FromRocks(rs);
  value->assign(pinned.data(), pinned.size());
  return Status::OK();
}

}  // namespace cairn
