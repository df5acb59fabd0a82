// Hashes: the hash commands (HSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT, HGET, HMGET, HLEN,
// HEXISTS, HSTRLEN, HGETALL/HKEYS/HVALS, HRANDFIELD) over fields stored as members in `sub`
// (member-part = field, value = the field's value; see encoding/collection_layout.h and
// engine/collection.h). Single-field operations are point lookups; HLEN comes from metadata.
// All dbs are logical indexes; each operation assumes the caller holds the key's lock and
// commits at most one WriteBatch. Errors: WrongType for a key of another type; the others
// carry Redis's error text. A missing key behaves as an empty hash, and no operation ever
// leaves an empty hash behind.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace rocksdb {
class PinnableSlice;
}  // namespace rocksdb

namespace cairn {

class Storage;
class CollectionKey;
class KeyBatch;

// What HGETALL, HKEYS and HVALS read of each field.
enum class HashParts { kFields, kValues, kFieldsAndValues };

struct HashField {
  std::string field;
  std::string value;
};

class Hashes {
 public:
  explicit Hashes(Storage* storage) : storage_(storage) {}

  // HSET/HMSET: field_values is f1 v1 f2 v2 ... (even length, non-empty); a repeated field
  // takes its last value. *added counts the fields that did not exist before.
  Status Set(int db, std::string_view key, std::span<const std::string> field_values,
             int64_t* added);
  // HSETNX: *written is false, and nothing changes, when the field exists.
  Status SetIfAbsent(int db, std::string_view key, std::string_view field, std::string_view value,
                     bool* written);
  // HDEL: *removed counts the distinct fields that existed; *key_removed tells whether the
  // last field went and with it the key.
  Status Delete(int db, std::string_view key, std::span<const std::string> fields, int64_t* removed,
                bool* key_removed);
  // HINCRBY: a missing field counts as 0. "ERR hash value is not an integer" when the stored
  // value is not one (Redis's string2ll), Overflow when the sum leaves int64.
  Status IncrBy(int db, std::string_view key, std::string_view field, int64_t delta,
                int64_t* result);
  // HINCRBYFLOAT: *new_value is the text stored (and replied), FormatLongDoubleHuman.
  // "ERR hash value is not a float", "ERR increment would produce NaN or Infinity".
  Status IncrByFloat(int db, std::string_view key, std::string_view field, long double increment,
                     std::string* new_value);

  // Reads: NotFound when the key does not exist (outputs then hold the empty answer).
  // HGET: *value is nullopt when the hash has no such field.
  Status Get(int db, std::string_view key, std::string_view field,
             std::optional<std::string>* value);
  // HMGET: one entry per field, nullopt for fields the hash does not have.
  Status MultiGet(int db, std::string_view key, std::span<const std::string> fields,
                  std::vector<std::optional<std::string>>* values);
  Status Length(int db, std::string_view key, uint64_t* length);
  Status Exists(int db, std::string_view key, std::string_view field, bool* exists);
  // HSTRLEN: 0 for a missing field.
  Status ValueLength(int db, std::string_view key, std::string_view field, uint64_t* length);
  // HGETALL (f1 v1 f2 v2 ...), HKEYS, HVALS, in field byte order.
  Status GetAll(int db, std::string_view key, HashParts parts, std::vector<std::string>* out);
  // HRANDFIELD: count > 0 picks min(count, HLEN) distinct fields, count < 0 picks -count
  // fields independently (repeats possible); every field is equally likely. The hash is
  // walked once per batch of positions, never loaded whole.
  Status RandomFields(int db, std::string_view key, int64_t count, std::vector<HashField>* fields);

 private:
  Status LoadHash(int db, std::string_view key, CollectionKey* hash);
  // *found tells whether the field exists; *value (if not null) receives its value.
  Status ReadField(const CollectionKey& hash, std::string_view field, bool* found,
                   rocksdb::PinnableSlice* value);
  // Writes one field into the batch, noting when it outgrows the compact encoding.
  void PutField(CollectionKey& hash, KeyBatch* batch, std::string_view field,
                std::string_view value);
  // Rewrites the metadata with new_size fields (deleting the key at 0) and commits.
  Status Finish(CollectionKey& hash, KeyBatch* batch, uint64_t new_size);
  // Reads a field for an increment: the stored text, or nullopt when the field is missing.
  Status LoadCounter(int db, std::string_view key, std::string_view field, CollectionKey* hash,
                     std::optional<std::string>* current);
  // Stores `value` as the counter's new text (the field may be new) and commits.
  Status StoreCounter(CollectionKey& hash, std::string_view field, bool existed,
                      std::string_view value);

  Storage* storage_;
};

}  // namespace cairn
