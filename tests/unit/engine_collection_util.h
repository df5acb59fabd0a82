// Test helper for the engine's collection skeleton: writes raw members of one collection
// through CollectionKey + KeyBatch, with no type engine (Hashes, Sets, ...) involved.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "encoding/metadata.h"
#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/storage.h"

namespace cairn {

using RawMembers = std::vector<std::pair<std::string, std::string>>;  // member-part, value

// Adds `members` to the collection `key` (created if missing) as one WriteBatch, with the
// large-encoding flag if asked. Returns the version the members were written under.
inline uint64_t WriteRawMembers(Storage& storage, int db, const std::string& key, ValueType type,
                                const RawMembers& members, bool large = false) {
  CollectionKey collection;
  Status s = collection.Load(storage, db, key, type);
  EXPECT_TRUE(s.ok()) << s.ToString();
  KeyBatch batch(&storage);
  for (const auto& [member, value] : members) {
    batch.batch()->Put(storage.sub_cf(), collection.MemberKey(member), value);
  }
  if (large) collection.MarkLargeEncoding();
  collection.Update(&batch, collection.size() + members.size());
  s = batch.Commit();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return collection.meta().version;
}

}  // namespace cairn
