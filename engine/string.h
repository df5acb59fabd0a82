// Strings: the string commands (GET, SET and its options, GETDEL, GETEX, GETSET, APPEND,
// SETRANGE, GETRANGE, STRLEN, INCRBY/DECRBY, INCRBYFLOAT, MGET, MSET, MSETNX). A string's
// bytes live inline in its meta value, so reads are one lookup. All dbs are logical indexes;
// each operation assumes the caller holds the locks of its keys and commits at most one
// WriteBatch. Errors: WrongType for a key of another type, NotInteger / NotFloat for a stored
// value that is not a number, Overflow for INCRBY overflow, InvalidArgument for size limits.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn {

class Storage;
class KeyBatch;
class StoredKey;
struct KeyRef;

// proto-max-bulk-len's default: the largest string a command may build.
inline constexpr uint64_t kDefaultMaxStringSize = uint64_t{512} << 20;

struct SetOptions {
  enum class Condition { kAlways, kIfAbsent /* NX */, kIfPresent /* XX */ };
  enum class Expire { kClear, kAt /* EX PX EXAT PXAT */, kKeep /* KEEPTTL */ };
  Condition condition = Condition::kAlways;
  Expire expire = Expire::kClear;
  int64_t expire_at_ms = 0;  // for kAt; a deadline not in the future deletes the key
  bool get_old = false;      // GET: a non-string old value is WRONGTYPE and nothing is written
};

// GETEX's deadline change.
struct GetExOptions {
  enum class Action { kNone, kSetAt, kPersist };
  Action action = Action::kNone;
  int64_t expire_at_ms = 0;  // for kSetAt; a deadline not in the future deletes the key
};

class Strings {
 public:
  explicit Strings(Storage* storage) : storage_(storage) {}

  // NotFound when the key does not exist.
  Status Get(int db, std::string_view key, std::string* value);
  // *written says whether the value was stored (NX/XX may refuse). With get_old, *old_value
  // receives the previous string (nullopt when there was none).
  Status Set(int db, std::string_view key, std::string_view value, const SetOptions& options,
             bool* written, std::optional<std::string>* old_value);
  // NotFound when the key does not exist.
  Status GetDel(int db, std::string_view key, std::string* value);
  Status GetEx(int db, std::string_view key, const GetExOptions& options, std::string* value);
  Status GetSet(int db, std::string_view key, std::string_view value,
                std::optional<std::string>* old_value);

  Status Append(int db, std::string_view key, std::string_view value, int64_t* new_length,
                uint64_t max_size = kDefaultMaxStringSize);
  // offset < 0: "ERR offset is out of range". An empty value never creates the key.
  Status SetRange(int db, std::string_view key, int64_t offset, std::string_view value,
                  int64_t* new_length, uint64_t max_size = kDefaultMaxStringSize);
  // Redis's GETRANGE index rules; a missing key gives "".
  Status GetRange(int db, std::string_view key, int64_t start, int64_t end, std::string* out);
  // 0 for a missing key.
  Status Strlen(int db, std::string_view key, int64_t* length);

  // The deadline is kept, as in Redis.
  Status IncrBy(int db, std::string_view key, int64_t delta, int64_t* result);
  // *new_value is the stored text (Redis replies with exactly that); NaN or infinity is
  // refused with "ERR increment would produce NaN or Infinity".
  Status IncrByFloat(int db, std::string_view key, long double increment, std::string* new_value);

  // nullopt for missing keys and keys of other types.
  Status MGet(int db, std::span<const std::string> keys,
              std::vector<std::optional<std::string>>* values);
  // key_values is k1 v1 k2 v2 ... (even length); deadlines are cleared; the last value of a
  // repeated key wins.
  Status MSet(int db, std::span<const std::string> key_values);
  // All or nothing: *written is false, and nothing changes, if any key exists.
  Status MSetNX(int db, std::span<const std::string> key_values, bool* written);

 private:
  // Stores `value` as the key's string with deadline `expire_ms` (0: none) over `old`.
  void PutString(KeyBatch* batch, const KeyRef& ref, const StoredKey& old, uint64_t expire_ms,
                 std::string_view value);
  Status WriteAll(int db, std::span<const std::string> key_values, bool only_if_none_exist,
                  bool* written);
  // Rewrites a live string (or creates a missing key) with the deadline kept.
  Status Replace(const KeyRef& ref, const StoredKey& old, std::string_view value);

  Storage* storage_;
};

}  // namespace cairn
