// Keys of the `meta` column family: db(1) | slot(2, big-endian) | user_key. One entry per user
// key; ordering by (db, slot, key) makes a db, and a slot within it, contiguous ranges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

inline constexpr size_t kMetaKeyHeaderSize = 3;

std::string EncodeMetaKey(uint8_t db, uint16_t slot, std::string_view user_key);
// The same into `out`, which must hold kMetaKeyHeaderSize + user_key.size() bytes (no
// allocation, for hot paths); returns the key's size.
size_t EncodeMetaKeyTo(uint8_t db, uint16_t slot, std::string_view user_key, char* out);
// Computes the slot from the key.
std::string EncodeMetaKey(uint8_t db, std::string_view user_key);

struct MetaKeyParts {
  uint8_t db = 0;
  uint16_t slot = 0;
  std::string_view user_key;  // points into the decoded buffer
};
bool DecodeMetaKey(std::string_view encoded, MetaKeyParts* parts);

std::string MetaDbPrefix(uint8_t db);
std::string MetaSlotPrefix(uint8_t db, uint16_t slot);

}  // namespace cairn
