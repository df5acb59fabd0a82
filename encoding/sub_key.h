// Keys of the `sub` (and `zscore`) column families, which hold the members of collections:
// db(1) | slot(2) | varint len(user_key) | user_key | version(8, big-endian) | member-part.
// The version ties members to one incarnation of the key: re-creating a key gets a new
// version, so members of a deleted incarnation are never visible and can be collected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

// The common prefix of every member of one incarnation of a key.
std::string EncodeSubKeyPrefix(uint8_t db, uint16_t slot, std::string_view user_key,
                               uint64_t version);
std::string EncodeSubKey(uint8_t db, uint16_t slot, std::string_view user_key, uint64_t version,
                         std::string_view member_part);

struct SubKeyParts {
  uint8_t db = 0;
  uint16_t slot = 0;
  std::string_view user_key;  // points into the decoded buffer
  uint64_t version = 0;
  std::string_view member_part;  // points into the decoded buffer
};
bool DecodeSubKey(std::string_view encoded, SubKeyParts* parts);

}  // namespace cairn
