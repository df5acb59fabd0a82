// Keyspace: the generic key commands (DEL, EXISTS, TYPE, EXPIRE family, RENAME, COPY, MOVE,
// KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TOUCH), written against Metadata
// so they work for every value type. All dbs are logical indexes. Each operation assumes the
// caller holds the key locks of the keys it names (and the server lock: shared, or exclusive
// for FlushDB/FlushAll/SwapDB), and commits at most one WriteBatch.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/metadata.h"
#include "engine/scan_cursors.h"
#include "engine/status.h"

namespace cairn {

class Storage;

// EXPIRE's NX / XX / GT / LT options, checked one after the other as Redis does (the
// handler rejects the combinations Redis rejects). A key without a deadline counts as
// having an infinite one for GT and LT.
struct ExpireCondition {
  bool nx = false;  // only if the key has no deadline
  bool xx = false;  // only if the key has a deadline
  bool gt = false;  // only if the new deadline is later
  bool lt = false;  // only if the new deadline is earlier
};

class Keyspace {
 public:
  explicit Keyspace(Storage* storage) : storage_(storage) {}

  // Counts the keys that exist; a key named twice counts twice (EXISTS).
  Status Exists(int db, std::span<const std::string> keys, int64_t* count);
  // NotFound when the key does not exist.
  Status Type(int db, std::string_view key, ValueType* type);
  // The live key's metadata (type, flags such as kMetaFlagLargeEncoding, size, ...), for
  // OBJECT ENCODING; NotFound when the key does not exist.
  Status Describe(int db, std::string_view key, Metadata* meta);
  // Deletes the keys that exist (a key named twice counts once).
  Status Delete(int db, std::span<const std::string> keys, int64_t* deleted);

  // Sets an absolute deadline; a deadline not in the future deletes the key (and counts as
  // applied), as in Redis. *applied is false when the key is missing or the condition fails.
  Status Expire(int db, std::string_view key, int64_t expire_at_ms, ExpireCondition condition,
                bool* applied);
  // *expire_at_ms: -2 when the key does not exist, -1 when it has no deadline, else the
  // absolute deadline in unix ms (TTL = that minus Storage::NowMs()).
  Status GetExpire(int db, std::string_view key, int64_t* expire_at_ms);
  Status Persist(int db, std::string_view key, bool* removed);

  // NotFound ("ERR no such key") when src does not exist. The deadline moves with the value.
  // src == dst: *renamed is true for RENAME and false for RENAMENX, nothing changes.
  Status Rename(int db, std::string_view src, std::string_view dst, bool nx, bool* renamed);
  // InvalidArgument when source and destination are the same key of the same db.
  Status Copy(int src_db, std::string_view src, int dst_db, std::string_view dst, bool replace,
              bool* copied);
  // InvalidArgument when src_db == dst_db.
  Status Move(int src_db, int dst_db, std::string_view key, bool* moved);

  Status Keys(int db, std::string_view pattern, std::vector<std::string>* keys);
  // Cursor-based iteration; see scan_cursors.h for the cursor format and the guarantees.
  // `pattern` empty matches everything; `count` is the number of entries to examine (hint).
  Status Scan(int db, uint64_t cursor, std::string_view pattern, size_t count,
              std::optional<ValueType> type, std::vector<std::string>* keys, uint64_t* next_cursor);
  Status RandomKey(int db, std::string* key, bool* found);

  // Keys physically present, including ones past their deadline not yet reclaimed.
  int64_t DbSize(int db) const;
  int64_t ExpiresCount(int db) const;

  Status FlushDB(int db);
  Status FlushAll();
  Status SwapDB(int a, int b);

  // Counts existing keys (repeats count) and records an access to each.
  Status Touch(int db, std::span<const std::string> keys, int64_t* count);

 private:
  enum class CopyOutcome { kCopied, kSourceMissing, kTargetExists };
  Status FlushPhysical(std::span<const uint8_t> physical_dbs, bool all);
  // Writes src's value and deadline under dst (overwriting it only if `replace`), and
  // deletes src if `delete_source`; one batch.
  Status CopyKey(int src_db, std::string_view src, int dst_db, std::string_view dst, bool replace,
                 bool delete_source, CopyOutcome* outcome);

  Storage* storage_;
  ScanCursorTable cursors_;
};

}  // namespace cairn
