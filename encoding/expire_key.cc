// Encoding of `expire` column family keys.
#include "encoding/expire_key.h"

#include "encoding/coding.h"
#include "encoding/key_slot.h"

namespace cairn {

std::string EncodeExpireKey(uint64_t expire_ms, uint8_t db, uint16_t slot,
                            std::string_view user_key) {
  std::string out;
  out.reserve(kExpireKeyHeaderSize + user_key.size());
  PutFixed64(&out, expire_ms);
  out.push_back(static_cast<char>(db));
  PutFixed16(&out, slot);
  out.append(user_key);
  return out;
}

bool DecodeExpireKey(std::string_view encoded, ExpireKeyParts* parts) {
  if (encoded.size() < kExpireKeyHeaderSize) return false;
  parts->expire_ms = DecodeFixed64(encoded.data());
  parts->db = static_cast<uint8_t>(encoded[8]);
  parts->slot = DecodeFixed16(encoded.data() + 9);
  if (parts->slot >= kNumSlots) return false;
  parts->user_key = encoded.substr(kExpireKeyHeaderSize);
  return true;
}

std::string ExpireKeyBound(uint64_t expire_ms) {
  std::string out;
  PutFixed64(&out, expire_ms);
  return out;
}

}  // namespace cairn
