// Lists: the list commands over elements stored at 64-bit indexes in `sub`, [head, tail) in
// the key's meta payload (see encoding/collection_layout.h). Pushes, pops and reads at either
// end are point lookups by index; only LINSERT, LREM and LSET/LRANGE/LPOS in the middle walk
// elements. All dbs are logical indexes; each operation assumes the caller holds the locks of
// its keys and commits at most one WriteBatch. Errors: WrongType for a key of another type,
// Status messages carry Redis's error text. A missing key behaves as an empty list and no
// operation ever leaves an empty list behind.
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
class CollectionKey;

enum class ListEnd { kLeft, kRight };

// LPOS's options: RANK (non-zero; negative searches from the tail), COUNT (0 = every match),
// MAXLEN (0 = no limit on the elements compared).
struct ListPosOptions {
  int64_t rank = 1;
  uint64_t count = 1;
  uint64_t max_len = 0;
};

class Lists {
 public:
  explicit Lists(Storage* storage) : storage_(storage) {}

  // Pushes elements one by one at `end` (LPUSH a b c -> c b a ...). only_if_exists: the
  // LPUSHX/RPUSHX rule (nothing happens on a missing key, *new_length = 0).
  Status Push(int db, std::string_view key, ListEnd end, std::span<const std::string> elements,
              bool only_if_exists, uint64_t* new_length);
  // Pops up to `count` elements from `end`; `popped` empty when the key is missing.
  // *remaining (optional) is the length left: 0 when the pop deleted the key.
  Status Pop(int db, std::string_view key, ListEnd end, uint64_t count,
             std::vector<std::string>* popped, uint64_t* remaining = nullptr);
  // LMOVE: pops from `from` end of source and pushes at `to` end of destination in one
  // WriteBatch; nullopt when the source is missing; WrongType if either key is not a list
  // (then nothing moves). source == destination rotates the list.
  // *source_remaining (optional) is the source's length left: 0 when the move deleted it.
  Status Move(int db, std::string_view source, std::string_view destination, ListEnd from,
              ListEnd to, std::optional<std::string>* moved, uint64_t* source_remaining = nullptr);

  // 0 for a missing key.
  Status Length(int db, std::string_view key, uint64_t* length);
  // LINDEX: negative indexes count from the tail; nullopt when missing or out of range.
  Status Index(int db, std::string_view key, int64_t index, std::optional<std::string>* element);
  // LRANGE with Redis's index rules (negative from the tail, clamped, stop inclusive).
  Status Range(int db, std::string_view key, int64_t start, int64_t stop,
               std::vector<std::string>* elements);
  // LPOS: indexes (from the head) of the matches, at most options.count of them (all when
  // count is 0). rank must not be 0 (the handler rejects it).
  Status Positions(int db, std::string_view key, std::string_view element,
                   const ListPosOptions& options, std::vector<int64_t>* positions);

  // LINSERT: *new_length is the length after the insert, -1 when the pivot is not found, 0
  // when the key is missing.
  Status Insert(int db, std::string_view key, bool after, std::string_view pivot,
                std::string_view element, int64_t* new_length);
  // LSET: NotFound ("ERR no such key") on a missing key, InvalidArgument ("ERR index out of
  // range") for an index outside the list.
  Status Set(int db, std::string_view key, int64_t index, std::string_view element);
  // LREM: count > 0 removes the first `count` matches from the head, < 0 from the tail, 0
  // all of them. *remaining is the length left (0 when the key was deleted or missing).
  Status Remove(int db, std::string_view key, int64_t count, std::string_view element,
                uint64_t* removed, uint64_t* remaining);
  // LTRIM with LRANGE's index rules. NotFound when the key is missing; *remaining is the
  // length left (0: the key was deleted).
  Status Trim(int db, std::string_view key, int64_t start, int64_t stop, uint64_t* remaining);

 private:
  Storage* storage_;
};

}  // namespace cairn
