// Hash commands over fields stored as `sub` members (see hash.h).
#include "engine/hash.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <utility>

#include "encoding/metadata.h"
#include "encoding/number_text.h"
#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/member_sample.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

namespace {

bool AddOverflows(int64_t a, int64_t b) {
  return (b < 0 && a < 0 && b < std::numeric_limits<int64_t>::min() - a) ||
         (b > 0 && a > 0 && b > std::numeric_limits<int64_t>::max() - a);
}

// |count| without overflow for INT64_MIN.
uint64_t Magnitude(int64_t count) {
  return count < 0 ? static_cast<uint64_t>(-(count + 1)) + 1 : static_cast<uint64_t>(count);
}

}  // namespace

Status Hashes::LoadHash(int db, std::string_view key, CollectionKey* hash) {
  return hash->Load(*storage_, db, key, ValueType::kHash);
}

Status Hashes::ReadField(const CollectionKey& hash, std::string_view field, bool* found,
                         rocksdb::PinnableSlice* value) {
  *found = false;
  if (!hash.exists()) return Status::OK();  // a new incarnation has no members yet
  rocksdb::PinnableSlice ignored;
  rocksdb::Status s =
      hash.GetMember(storage_->sub_cf(), field, value != nullptr ? value : &ignored);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return FromRocks(s);
  *found = true;
  return Status::OK();
}

void Hashes::PutField(CollectionKey& hash, KeyBatch* batch, std::string_view field,
                      std::string_view value) {
  batch->batch()->Put(storage_->sub_cf(), hash.MemberKey(field), value);
  uint64_t max_value = storage_->encoding_limits().hash_max_listpack_value.load();
  if (field.size() > max_value || value.size() > max_value) hash.MarkLargeEncoding();
}

Status Hashes::Finish(CollectionKey& hash, KeyBatch* batch, uint64_t new_size) {
  if (new_size > storage_->encoding_limits().hash_max_listpack_entries.load()) {
    hash.MarkLargeEncoding();
  }
  hash.Update(batch, new_size);
  return batch->Commit();
}

Status Hashes::Set(int db, std::string_view key, std::span<const std::string> field_values,
                   int64_t* added) {
  *added = 0;
  CollectionKey hash;
  Status s = LoadHash(db, key, &hash);
  if (!s.ok()) return s;
  KeyBatch batch(storage_);
  // A field repeated in one command is looked up once: the batch does not see its own Puts.
  std::unordered_set<std::string_view> written;
  int64_t new_fields = 0;
  for (size_t i = 0; i + 1 < field_values.size(); i += 2) {
    std::string_view field = field_values[i];
    if (written.insert(field).second) {
      bool found = false;
      s = ReadField(hash, field, &found, nullptr);
      if (!s.ok()) return s;
      if (!found) ++new_fields;
    }
    PutField(hash, &batch, field, field_values[i + 1]);
  }
  s = Finish(hash, &batch, hash.size() + static_cast<uint64_t>(new_fields));
  if (s.ok()) *added = new_fields;
  return s;
}

Status Hashes::SetIfAbsent(int db, std::string_view key, std::string_view field,
                           std::string_view value, bool* written) {
  *written = false;
  CollectionKey hash;
  Status s = LoadHash(db, key, &hash);
  if (!s.ok()) return s;
  bool found = false;
  s = ReadField(hash, field, &found, nullptr);
  if (!s.ok() || found) return s;
  KeyBatch batch(storage_);
  PutField(hash, &batch, field, value);
  s = Finish(hash, &batch, hash.size() + 1);
  *written = s.ok();
  return s;
}

Status Hashes::Delete(int db, std::string_view key, std::span<const std::string> fields,
                      int64_t* removed, bool* key_removed) {
  *removed = 0;
  *key_removed = false;
  CollectionKey hash;
  Status s = LoadHash(db, key, &hash);
  if (!s.ok() || !hash.exists()) return s;
  std::unordered_set<std::string_view> seen;
  std::vector<std::string_view> present;
  for (const std::string& field : fields) {
    if (!seen.insert(field).second) continue;
    bool found = false;
    s = ReadField(hash, field, &found, nullptr);
    if (!s.ok()) return s;
    if (found) present.push_back(field);
  }
  if (present.empty()) return Status::OK();
  uint64_t new_size = hash.size() - std::min<uint64_t>(hash.size(), present.size());
  KeyBatch batch(storage_);
  // When the key goes, its members die with its version: the collector drops them.
  if (new_size > 0) {
    for (std::string_view field : present) {
      batch.batch()->Delete(storage_->sub_cf(), hash.MemberKey(field));
    }
  }
  s = Finish(hash, &batch, new_size);
  if (!s.ok()) return s;
  if (new_size == 0) storage_->ForgetAccess(db, key);
  *removed = static_cast<int64_t>(present.size());
  *key_removed = new_size == 0;
  return Status::OK();
}

Status Hashes::LoadCounter(int db, std::string_view key, std::string_view field,
                           CollectionKey* hash, std::optional<std::string>* current) {
  current->reset();
  Status s = LoadHash(db, key, hash);
  if (!s.ok()) return s;
  rocksdb::PinnableSlice value;
  bool found = false;
  s = ReadField(*hash, field, &found, &value);
  if (s.ok() && found) current->emplace(value.data(), value.size());
  return s;
}

Status Hashes::StoreCounter(CollectionKey& hash, std::string_view field, bool existed,
                            std::string_view value) {
  KeyBatch batch(storage_);
  PutField(hash, &batch, field, value);
  return Finish(hash, &batch, hash.size() + (existed ? 0 : 1));
}

Status Hashes::IncrBy(int db, std::string_view key, std::string_view field, int64_t delta,
                      int64_t* result) {
  CollectionKey hash;
  std::optional<std::string> current;
  Status s = LoadCounter(db, key, field, &hash, &current);
  if (!s.ok()) return s;
  int64_t value = 0;
  if (current.has_value() && !ParseInt64(*current, &value)) {
    return Status::InvalidArgument("ERR hash value is not an integer");
  }
  if (AddOverflows(value, delta)) return Status::Overflow();
  value += delta;
  s = StoreCounter(hash, field, current.has_value(), FormatInt64(value));
  if (s.ok()) *result = value;
  return s;
}

Status Hashes::IncrByFloat(int db, std::string_view key, std::string_view field,
                           long double increment, std::string* new_value) {
  CollectionKey hash;
  std::optional<std::string> current;
  Status s = LoadCounter(db, key, field, &hash, &current);
  if (!s.ok()) return s;
  long double value = 0;
  if (current.has_value() && !ParseLongDouble(*current, &value)) {
    return Status::InvalidArgument("ERR hash value is not a float");
  }
  value += increment;
  if (std::isnan(value) || std::isinf(value)) {
    return Status::InvalidArgument("ERR increment would produce NaN or Infinity");
  }
  std::string formatted = FormatLongDoubleHuman(value);
  s = StoreCounter(hash, field, current.has_value(), formatted);
  if (s.ok()) *new_value = std::move(formatted);
  return s;
}

Status Hashes::Get(int db, std::string_view key, std::string_view field,
                   std::optional<std::string>* value) {
  value->reset();
  CollectionKey hash;
  Status s = hash.Load(*storage_, db, key, ValueType::kHash, MemberReads::kCached);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  rocksdb::PinnableSlice found_value;
  bool found = false;
  s = ReadField(hash, field, &found, &found_value);
  if (s.ok() && found) value->emplace(found_value.data(), found_value.size());
  return s;
}

Status Hashes::MultiGet(int db, std::string_view key, std::span<const std::string> fields,
                        std::vector<std::optional<std::string>>* values) {
  values->assign(fields.size(), std::nullopt);
  CollectionKey hash;
  Status s = hash.Load(*storage_, db, key, ValueType::kHash, MemberReads::kCached);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  for (size_t i = 0; i < fields.size(); ++i) {
    rocksdb::PinnableSlice value;
    bool found = false;
    s = ReadField(hash, fields[i], &found, &value);
    if (!s.ok()) return s;
    if (found) (*values)[i].emplace(value.data(), value.size());
  }
  return Status::OK();
}

Status Hashes::Length(int db, std::string_view key, uint64_t* length) {
  *length = 0;
  CollectionKey hash;
  Status s = LoadHash(db, key, &hash);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  *length = hash.size();
  return Status::OK();
}

Status Hashes::Exists(int db, std::string_view key, std::string_view field, bool* exists) {
  *exists = false;
  CollectionKey hash;
  Status s = hash.Load(*storage_, db, key, ValueType::kHash, MemberReads::kCached);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  return ReadField(hash, field, exists, nullptr);
}

Status Hashes::ValueLength(int db, std::string_view key, std::string_view field, uint64_t* length) {
  *length = 0;
  CollectionKey hash;
  Status s = hash.Load(*storage_, db, key, ValueType::kHash, MemberReads::kCached);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  rocksdb::PinnableSlice value;
  bool found = false;
  s = ReadField(hash, field, &found, &value);
  if (s.ok() && found) *length = value.size();
  return s;
}

Status Hashes::GetAll(int db, std::string_view key, HashParts parts,
                      std::vector<std::string>* out) {
  out->clear();
  CollectionKey hash;
  Status s = hash.Load(*storage_, db, key, ValueType::kHash, MemberReads::kCached);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  bool fields = parts != HashParts::kValues;
  bool values = parts != HashParts::kFields;
  out->reserve(hash.size() * (fields && values ? 2 : 1));
  MemberIterator it(hash, storage_->sub_cf());
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    if (fields) out->emplace_back(it.member_part());
    if (values) out->emplace_back(it.value());
  }
  return it.status();
}

Status Hashes::RandomFields(int db, std::string_view key, int64_t count,
                            std::vector<HashField>* fields) {
  fields->clear();
  CollectionKey hash;
  Status s = LoadHash(db, key, &hash);
  if (!s.ok()) return s;
  if (!hash.exists()) return Status::NotFound();
  uint64_t size = hash.size();
  uint64_t wanted = Magnitude(count);
  bool distinct = count > 0;
  if (distinct) wanted = std::min(wanted, size);
  auto collect = [fields](std::string_view field, std::string_view value) {
    fields->push_back(HashField{std::string(field), std::string(value)});
  };
  MemberIterator it(*storage_, storage_->sub_cf(), hash.member_prefix());
  MemberSampler sampler(it, size, SampleRandom());
  // A whole hash comes in field order; Redis's reply order carries no meaning either.
  return distinct ? sampler.PickDistinct(wanted, collect)
                  : sampler.PickWithRepeats(wanted, collect);
}

}  // namespace cairn
