// Keys of the `expire` column family: expire_ms(8, big-endian) | db(1) | slot(2) | user_key.
// Sorted by deadline, so active expiry reads due keys from the front. The value is empty.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

inline constexpr size_t kExpireKeyHeaderSize = 11;

std::string EncodeExpireKey(uint64_t expire_ms, uint8_t db, uint16_t slot,
                            std::string_view user_key);

struct ExpireKeyParts {
  uint64_t expire_ms = 0;
  uint8_t db = 0;
  uint16_t slot = 0;
  std::string_view user_key;  // points into the decoded buffer
};
bool DecodeExpireKey(std::string_view encoded, ExpireKeyParts* parts);

// Every expire key with a deadline below `expire_ms` sorts before this bound.
std::string ExpireKeyBound(uint64_t expire_ms);

}  // namespace cairn
