// The building blocks every data type operation is written with (engine-internal):
// KeyRef (where a user key lives), StoredKey (what the meta column family holds for it, with
// lazy expiry applied, served by the hot cache when it holds the key) and KeyBatch (one command's
// changes, committed as one WriteBatch with the expire index and the key/TTL counts kept right).
#pragma once

#include <rocksdb/slice.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/metadata.h"
#include "engine/cache_shard.h"
#include "engine/status.h"

namespace cairn {

class Storage;

struct KeyRef {
  int logical_db = 0;
  uint8_t db = 0;  // physical
  uint16_t slot = 0;
  std::string_view user_key;
  std::string meta_key;
};

// Validates the logical db and fills *ref; `key` must outlive *ref.
Status MakeKeyRef(Storage& storage, int logical_db, std::string_view key, KeyRef* ref);
// For callers that already hold a physical db (active expiry).
KeyRef PhysicalKeyRef(uint8_t physical_db, std::string_view key);

class StoredKey {
 public:
  StoredKey() = default;
  StoredKey(const StoredKey&) = delete;
  StoredKey& operator=(const StoredKey&) = delete;

  // A meta entry exists, possibly past its deadline (it still counts in DBSIZE).
  bool present() const { return present_; }
  // Present and not expired: what every read and write treats as "the key exists".
  bool live() const { return live_; }
  bool IsLive(ValueType type) const { return live_ && meta_.type == type; }
  const Metadata& meta() const { return meta_; }
  std::string_view payload() const { return payload_; }

 private:
  friend Status LoadKey(Storage& storage, const KeyRef& ref, StoredKey* stored);
  void Reset();
  void Adopt(std::shared_ptr<const CachedMeta> cached, uint64_t now_ms);

  // Holds the bytes payload_ points into: a hit shares the cache's immutable copy, a miss
  // pins what RocksDB returned.
  std::shared_ptr<const CachedMeta> cached_;
  rocksdb::PinnableSlice raw_;
  Metadata meta_;
  std::string_view payload_;
  bool present_ = false;
  bool live_ = false;
};

// Reads the key's meta entry: from the hot cache, else with one Get (which then fills the
// cache). A malformed entry is Corruption.
Status LoadKey(Storage& storage, const KeyRef& ref, StoredKey* stored);
// MakeKeyRef followed by LoadKey.
Status LookupKey(Storage& storage, int logical_db, std::string_view key, KeyRef* ref,
                 StoredKey* stored);

class KeyBatch {
 public:
  explicit KeyBatch(Storage* storage) : storage_(storage) {}

  // Writes the key, replacing whatever `old` (its current state) holds.
  void Put(const KeyRef& ref, const StoredKey& old, const Metadata& meta, std::string_view payload);
  // Removes the key if present. Members of a collection are left to the collector: their
  // version is dead once the meta entry is gone.
  void Delete(const KeyRef& ref, const StoredKey& old);
  // Copies every `sub`/`zscore` member of (from, from_version) under (to, to_version).
  Status CopyMembers(const KeyRef& from, uint64_t from_version, const KeyRef& to,
                     uint64_t to_version);

  rocksdb::WriteBatch* batch() { return &batch_; }
  Status Commit();

 private:
  struct CountDelta {
    uint8_t db;
    int64_t keys;
    int64_t expires;
  };
  void AddDelta(uint8_t db, int64_t keys, int64_t expires);
  Status CopyColumnFamily(rocksdb::ColumnFamilyHandle* cf, const std::string& from_prefix,
                          const std::string& to_prefix);

  Storage* storage_;
  rocksdb::WriteBatch batch_;
  std::vector<CountDelta> deltas_;
};

}  // namespace cairn
