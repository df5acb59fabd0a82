// RdbValue's size and the compact-encoding thresholds Redis 7.0 applies to it.
#include "encoding/rdb_value.h"

#include "encoding/number_text.h"

namespace cairn {

uint64_t RdbValue::size() const {
  switch (type) {
    case ValueType::kList:
    case ValueType::kSet:
      return elements.size();
    case ValueType::kHash:
      return fields.size();
    case ValueType::kZSet:
      return scored.size();
    case ValueType::kString:
    case ValueType::kStream:
      break;
  }
  return 0;
}

void RdbValue::Clear() {
  string.clear();
  elements.clear();
  fields.clear();
  scored.clear();
}

bool IsIntsetMember(std::string_view member, int64_t* number) { return ParseInt64(member, number); }

bool NeedsLargeEncoding(const RdbValue& value, const RdbCompactLimits& limits) {
  switch (value.type) {
    case ValueType::kHash:
      if (value.fields.size() > limits.hash_max_listpack_entries) return true;
      for (const auto& [field, text] : value.fields) {
        if (field.size() > limits.hash_max_listpack_value ||
            text.size() > limits.hash_max_listpack_value) {
          return true;
        }
      }
      return false;
    case ValueType::kSet: {
      if (value.elements.size() > limits.set_max_intset_entries) return true;
      int64_t number = 0;
      for (const std::string& member : value.elements) {
        if (!IsIntsetMember(member, &number)) return true;
      }
      return false;
    }
    case ValueType::kZSet:
      if (value.scored.size() > limits.zset_max_listpack_entries) return true;
      for (const auto& [member, score] : value.scored) {
        if (member.size() > limits.zset_max_listpack_value) return true;
      }
      return false;
    case ValueType::kString:
    case ValueType::kList:
    case ValueType::kStream:
      break;
  }
  return false;
}

}  // namespace cairn
