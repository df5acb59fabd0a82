// String commands over inline string values.
#include "engine/string.h"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "encoding/metadata.h"
#include "encoding/number_text.h"
#include "engine/key_batch.h"
#include "engine/storage.h"

namespace cairn {

namespace {

Status TooLarge() {
  return Status::InvalidArgument("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
}

// The live string value of a key: NotFound when missing, WrongType for other types.
Status LiveString(const StoredKey& stored, std::string_view* value) {
  if (!stored.live()) return Status::NotFound();
  if (stored.meta().type != ValueType::kString) return Status::WrongType();
  *value = stored.payload();
  return Status::OK();
}

// Looks up a key and its live string value in one step (the errors of LiveString).
Status LookupString(Storage& storage, int db, std::string_view key, KeyRef* ref, StoredKey* stored,
                    std::string_view* value) {
  Status s = LookupKey(storage, db, key, ref, stored);
  if (s.ok()) s = LiveString(*stored, value);
  return s;
}

bool AddOverflows(int64_t a, int64_t b) {
  return (b < 0 && a < 0 && b < std::numeric_limits<int64_t>::min() - a) ||
         (b > 0 && a > 0 && b > std::numeric_limits<int64_t>::max() - a);
}

}  // namespace

void Strings::PutString(KeyBatch* batch, const KeyRef& ref, const StoredKey& old,
                        uint64_t expire_ms, std::string_view value) {
  Metadata meta;
  meta.type = ValueType::kString;
  meta.expire_ms = expire_ms;
  // A string has no members, so overwriting one may keep its version.
  bool was_string = old.present() && old.meta().type == ValueType::kString;
  meta.version = was_string ? old.meta().version : storage_->NextVersion();
  meta.size = value.size();
  batch->Put(ref, old, meta, value);
}

Status Strings::Replace(const KeyRef& ref, const StoredKey& old, std::string_view value) {
  KeyBatch batch(storage_);
  PutString(&batch, ref, old, old.live() ? old.meta().expire_ms : 0, value);
  return batch.Commit();
}

Status Strings::Get(int db, std::string_view key, std::string* value) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (s.ok()) value->assign(current);
  return s;
}

Status Strings::Set(int db, std::string_view key, std::string_view value, const SetOptions& options,
                    bool* written, std::optional<std::string>* old_value) {
  *written = false;
  if (old_value != nullptr) old_value->reset();
  KeyRef ref;
  StoredKey stored;
  Status s = LookupKey(*storage_, db, key, &ref, &stored);
  if (!s.ok()) return s;
  if (options.get_old && stored.live()) {
    if (stored.meta().type != ValueType::kString) return Status::WrongType();
    if (old_value != nullptr) old_value->emplace(stored.payload());
  }
  using Condition = SetOptions::Condition;
  if (options.condition == Condition::kIfAbsent && stored.live()) return Status::OK();
  if (options.condition == Condition::kIfPresent && !stored.live()) return Status::OK();
  uint64_t expire_ms = 0;
  if (options.expire == SetOptions::Expire::kAt) {
    expire_ms = static_cast<uint64_t>(std::max<int64_t>(options.expire_at_ms, 0));
  } else if (options.expire == SetOptions::Expire::kKeep && stored.live()) {
    expire_ms = stored.meta().expire_ms;
  }
  bool deletes = options.expire == SetOptions::Expire::kAt &&
                 options.expire_at_ms <= static_cast<int64_t>(storage_->NowMs());
  KeyBatch batch(storage_);
  if (deletes) {
    batch.Delete(ref, stored);
  } else {
    PutString(&batch, ref, stored, expire_ms, value);
  }
  s = batch.Commit();
  if (!s.ok()) return s;
  if (deletes) storage_->ForgetAccess(db, key);
  *written = true;
  return Status::OK();
}

Status Strings::GetSet(int db, std::string_view key, std::string_view value,
                       std::optional<std::string>* old_value) {
  SetOptions options;
  options.get_old = true;
  bool written = false;
  return Set(db, key, value, options, &written, old_value);
}

Status Strings::GetDel(int db, std::string_view key, std::string* value) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok()) return s;
  value->assign(current);
  KeyBatch batch(storage_);
  batch.Delete(ref, stored);
  s = batch.Commit();
  if (s.ok()) storage_->ForgetAccess(db, key);
  return s;
}

Status Strings::GetEx(int db, std::string_view key, const GetExOptions& options,
                      std::string* value) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok()) return s;
  value->assign(current);
  using Action = GetExOptions::Action;
  if (options.action == Action::kNone) return Status::OK();
  if (options.action == Action::kPersist && !stored.meta().HasExpire()) return Status::OK();
  KeyBatch batch(storage_);
  bool deletes = options.action == Action::kSetAt &&
                 options.expire_at_ms <= static_cast<int64_t>(storage_->NowMs());
  if (deletes) {
    batch.Delete(ref, stored);
  } else {
    uint64_t expire_ms =
        options.action == Action::kSetAt ? static_cast<uint64_t>(options.expire_at_ms) : 0;
    PutString(&batch, ref, stored, expire_ms, current);
  }
  s = batch.Commit();
  if (s.ok() && deletes) storage_->ForgetAccess(db, key);
  return s;
}

Status Strings::Append(int db, std::string_view key, std::string_view value, int64_t* new_length,
                       uint64_t max_size) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok() && !s.IsNotFound()) return s;
  if (current.size() + value.size() > max_size) return TooLarge();
  std::string updated;
  updated.reserve(current.size() + value.size());
  updated.append(current).append(value);
  s = Replace(ref, stored, updated);
  if (s.ok()) *new_length = static_cast<int64_t>(updated.size());
  return s;
}

Status Strings::SetRange(int db, std::string_view key, int64_t offset, std::string_view value,
                         int64_t* new_length, uint64_t max_size) {
  if (offset < 0) return Status::InvalidArgument("ERR offset is out of range");
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok() && !s.IsNotFound()) return s;
  *new_length = static_cast<int64_t>(current.size());
  if (value.empty()) return Status::OK();
  uint64_t end = static_cast<uint64_t>(offset) + value.size();
  if (end > max_size) return TooLarge();
  std::string updated(current);
  if (updated.size() < end) updated.resize(end, '\0');
  updated.replace(static_cast<size_t>(offset), value.size(), value);
  s = Replace(ref, stored, updated);
  if (s.ok()) *new_length = static_cast<int64_t>(updated.size());
  return s;
}

Status Strings::GetRange(int db, std::string_view key, int64_t start, int64_t end,
                         std::string* out) {
  out->clear();
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return s;
  int64_t length = static_cast<int64_t>(current.size());
  if (start < 0 && end < 0 && start > end) return Status::OK();
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length == 0) return Status::OK();
  out->assign(current.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
  return Status::OK();
}

Status Strings::Strlen(int db, std::string_view key, int64_t* length) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok() && !s.IsNotFound()) return s;
  *length = static_cast<int64_t>(current.size());
  return Status::OK();
}

Status Strings::IncrBy(int db, std::string_view key, int64_t delta, int64_t* result) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok() && !s.IsNotFound()) return s;
  int64_t value = 0;
  if (s.ok() && !ParseInt64(current, &value)) return Status::NotInteger();
  if (AddOverflows(value, delta)) return Status::Overflow();
  value += delta;
  s = Replace(ref, stored, FormatInt64(value));
  if (s.ok()) *result = value;
  return s;
}

Status Strings::IncrByFloat(int db, std::string_view key, long double increment,
                            std::string* new_value) {
  KeyRef ref;
  StoredKey stored;
  std::string_view current;
  Status s = LookupString(*storage_, db, key, &ref, &stored, &current);
  if (!s.ok() && !s.IsNotFound()) return s;
  long double value = 0;
  if (s.ok() && !ParseLongDouble(current, &value)) return Status::NotFloat();
  value += increment;
  if (std::isnan(value) || std::isinf(value)) {
    return Status::InvalidArgument("ERR increment would produce NaN or Infinity");
  }
  std::string formatted = FormatLongDoubleHuman(value);
  s = Replace(ref, stored, formatted);
  if (s.ok()) *new_value = std::move(formatted);
  return s;
}

Status Strings::MGet(int db, std::span<const std::string> keys,
                     std::vector<std::optional<std::string>>* values) {
  values->clear();
  values->reserve(keys.size());
  for (const std::string& key : keys) {
    KeyRef ref;
    StoredKey stored;
    Status s = LookupKey(*storage_, db, key, &ref, &stored);
    if (!s.ok()) return s;
    if (stored.IsLive(ValueType::kString)) {
      values->emplace_back(std::string(stored.payload()));
    } else {
      values->emplace_back(std::nullopt);
    }
  }
  return Status::OK();
}

Status Strings::WriteAll(int db, std::span<const std::string> key_values, bool only_if_none_exist,
                         bool* written) {
  *written = false;
  if (key_values.size() % 2 != 0) {
    return Status::InvalidArgument("ERR wrong number of arguments for 'mset' command");
  }
  // Later values of a repeated key win, so only each key's last pair is written.
  std::unordered_map<std::string_view, size_t> last_pair;
  for (size_t i = 0; i < key_values.size(); i += 2) last_pair[key_values[i]] = i;
  KeyBatch batch(storage_);
  for (size_t i = 0; i < key_values.size(); i += 2) {
    if (last_pair[key_values[i]] != i) continue;
    KeyRef ref;
    StoredKey stored;
    Status s = LookupKey(*storage_, db, key_values[i], &ref, &stored);
    if (!s.ok()) return s;
    if (only_if_none_exist && stored.live()) return Status::OK();
    PutString(&batch, ref, stored, 0, key_values[i + 1]);
  }
  Status s = batch.Commit();
  *written = s.ok();
  return s;
}

Status Strings::MSet(int db, std::span<const std::string> key_values) {
  bool written = false;
  return WriteAll(db, key_values, /*only_if_none_exist=*/false, &written);
}

Status Strings::MSetNX(int db, std::span<const std::string> key_values, bool* written) {
  return WriteAll(db, key_values, /*only_if_none_exist=*/true, written);
}

}  // namespace cairn
