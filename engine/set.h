// Sets: the set commands (SADD, SREM, SCARD, SISMEMBER/SMISMEMBER, SMEMBERS, SMOVE, SPOP,
// SRANDMEMBER, and the algebra SINTER/SUNION/SDIFF, SINTERCARD and the *STORE forms) over
// members stored in `sub` (member-part = member, value empty; see
// encoding/collection_layout.h and engine/collection.h). All dbs are logical indexes; each
// operation assumes the caller holds the locks of its keys and commits at most one
// WriteBatch. A missing key is an empty set; WrongType when a key holds another type.
//
// Nothing reads a whole set unless the command's answer is the whole set: membership is a
// point lookup, an intersection walks its smallest set and probes the others, a difference
// walks its first set, and random picks take one forward pass to the chosen positions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn {

class Storage;

enum class SetOperation { kInter, kUnion, kDiff };

// Which keys a multi-key read looked up, in order, and whether each existed. A key of another
// type counts as found (Redis's lookupKeyRead finds it) and ends the lookups with WrongType.
// Handlers turn it into keyspace hits/misses and "keymiss" events.
using KeyLookups = std::vector<bool>;

struct SetStoreResult {
  uint64_t size = 0;                 // members stored; 0 means the destination was deleted
  bool destination_existed = false;  // live (of any type) before the store
};

struct SetMoveResult {
  bool moved = false;           // the member was in the source (SMOVE's reply)
  bool source_deleted = false;  // the move emptied the source
  bool destination_created = false;
  bool added = false;  // the destination did not hold the member yet
};

class Sets {
 public:
  explicit Sets(Storage* storage) : storage_(storage) {}

  // Repeated members count once. *created: the key did not exist before.
  Status Add(int db, std::string_view key, std::span<const std::string> members, uint64_t* added,
             bool* created);
  // *deleted: the last member went, and the key with it.
  Status Remove(int db, std::string_view key, std::span<const std::string> members,
                uint64_t* removed, bool* deleted);
  // 0 for a missing key (an empty set never exists).
  Status Card(int db, std::string_view key, uint64_t* size);
  // One flag per member, in order.
  Status IsMember(int db, std::string_view key, std::span<const std::string> members,
                  std::vector<bool>* flags, bool* exists);
  // Source and destination may be the same key: then nothing changes and *moved says whether
  // the member is there.
  Status Move(int db, std::string_view source, std::string_view destination,
              std::string_view member, SetMoveResult* result);
  // Removes `count` uniformly chosen distinct members, in random order; count >= the size
  // takes them all (in member order) and deletes the key.
  Status Pop(int db, std::string_view key, uint64_t count, std::vector<std::string>* popped,
             bool* deleted);
  // count >= 0: min(count, size) distinct members in random order (the whole set when count
  // >= size). count < 0: -count independent uniform picks, repeats allowed.
  Status RandomMembers(int db, std::string_view key, int64_t count, std::vector<std::string>* out,
                       bool* exists);

  // SINTER, SUNION, SDIFF (and SMEMBERS as the union of one key).
  Status Combine(int db, SetOperation op, std::span<const std::string> keys,
                 std::vector<std::string>* members, KeyLookups* lookups);
  // SINTERCARD: the intersection's size, counted up to `limit` (0: no limit).
  Status InterCard(int db, std::span<const std::string> keys, uint64_t limit, uint64_t* cardinality,
                   KeyLookups* lookups);
  // SINTERSTORE, SUNIONSTORE, SDIFFSTORE: replaces the destination, whatever its type, with a
  // new set without deadline (a new version: the old members become garbage), or deletes it
  // when the result is empty. The destination may be one of the sources.
  Status Store(int db, SetOperation op, std::string_view destination,
               std::span<const std::string> keys, SetStoreResult* result, KeyLookups* lookups);

 private:
  Storage* storage_;
};

}  // namespace cairn
