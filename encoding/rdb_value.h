// RdbValue: one key's value decoded from (or about to be encoded as) Redis's RDB serialization,
// whatever encoding carried it. DUMP/RESTORE, SORT and cairn-backup's RDB import/export move
// whole values through it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "encoding/metadata.h"

namespace cairn {

struct RdbValue {
  ValueType type = ValueType::kString;
  std::string string;                                       // string
  std::vector<std::string> elements;                        // list (in order), set
  std::vector<std::pair<std::string, std::string>> fields;  // hash: field, value
  std::vector<std::pair<std::string, double>> scored;       // zset: member, score

  // Members of a collection (0 for a string).
  uint64_t size() const;
  void Clear();
};

// The thresholds up to which Redis 7.0 keeps a collection compact (listpack / intset); the
// encoder writes compact encodings under them, as Redis does. Redis's defaults.
struct RdbCompactLimits {
  uint64_t hash_max_listpack_entries = 128;
  uint64_t hash_max_listpack_value = 64;
  uint64_t set_max_intset_entries = 512;
  uint64_t zset_max_listpack_entries = 128;
  uint64_t zset_max_listpack_value = 64;
};

// Whether Redis 7.0 would hold `value` in its large encoding (hashtable / skiplist) under
// `limits`: what OBJECT ENCODING reports. Lists and strings: false.
bool NeedsLargeEncoding(const RdbValue& value, const RdbCompactLimits& limits);
// A set member Redis can keep in an intset: the canonical text of an int64.
bool IsIntsetMember(std::string_view member, int64_t* number);

}  // namespace cairn
