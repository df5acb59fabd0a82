// Whole-key input and output for every value type: a key read into an RdbValue (DUMP, SORT,
// cairn-backup export-rdb) and an RdbValue written as a key (RESTORE, SORT ... STORE,
// cairn-backup import-rdb). Written against the member layouts (encoding/collection_layout.h)
// and CollectionKey/MemberIterator directly, so it serves every type alike. A value is built
// in memory as a whole, as Redis does for DUMP. Callers hold the locks of the keys involved.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "encoding/rdb_value.h"
#include "engine/key_batch.h"
#include "engine/status.h"

namespace cairn {

class Storage;

// Storage's compact-encoding thresholds as the RDB encoder takes them.
RdbCompactLimits CompactLimits(Storage& storage);

// Reads the live key; NotFound when it does not exist. *expire_ms (optional) gets its
// deadline in unix ms, 0 for none. Streams: InvalidArgument (Cairn holds none yet).
Status ReadObject(Storage& storage, int db, std::string_view key, RdbValue* value,
                  uint64_t* expire_ms = nullptr);

// Writes `value` as a new incarnation of the key into `batch` (replacing whatever `old`
// holds), deadline `expire_ms` (0: none), with the OBJECT ENCODING flag Redis's limits call
// for. An empty collection deletes the key instead. Members must be unique.
void PutObject(Storage& storage, KeyBatch* batch, const KeyRef& ref, const StoredKey& old,
               const RdbValue& value, uint64_t expire_ms);

struct RestoreOptions {
  bool replace = false;
  // Absolute deadline in unix ms, 0 for none. One not in the future means the value is not
  // written (and, with replace, the old key is still deleted), as in Redis.
  uint64_t expire_at_ms = 0;
};

struct RestoreResult {
  bool created = false;  // the key now holds the value
  bool deleted = false;  // replace deleted an existing key without creating a new one
};

// RESTORE: Busy "BUSYKEY Target key name already exists." when the key exists and
// !options.replace. One WriteBatch.
Status RestoreObject(Storage& storage, int db, std::string_view key, const RdbValue& value,
                     const RestoreOptions& options, RestoreResult* result);

// Replaces the key with `value`, no deadline; an empty collection deletes the key. *existed
// (optional) says whether a key was there before. One WriteBatch.
Status StoreObject(Storage& storage, int db, std::string_view key, const RdbValue& value,
                   bool* existed = nullptr);

// One field of a hash (SORT's "key->field" patterns): NotFound when the key is missing, not
// a hash, or has no such field; *key_found says whether the key exists (of any type). A point
// lookup.
Status ReadHashField(Storage& storage, int db, std::string_view key, std::string_view field,
                     bool* key_found, std::string* value);

}  // namespace cairn
