// Encoding of `sub`/`zscore` column family keys.
#include "encoding/sub_key.h"

#include "encoding/coding.h"
#include "encoding/key_slot.h"

namespace cairn {

std::string EncodeSubKeyPrefix(uint8_t db, uint16_t slot, std::string_view user_key,
                               uint64_t version) {
  std::string out;
  out.reserve(3 + 5 + user_key.size() + 8);
  out.push_back(static_cast<char>(db));
  PutFixed16(&out, slot);
  PutLengthPrefixed(&out, user_key);
  PutFixed64(&out, version);
  return out;
}

std::string EncodeSubKey(uint8_t db, uint16_t slot, std::string_view user_key, uint64_t version,
                         std::string_view member_part) {
  std::string out = EncodeSubKeyPrefix(db, slot, user_key, version);
  out.append(member_part);
  return out;
}

bool DecodeSubKey(std::string_view encoded, SubKeyParts* parts) {
  if (encoded.size() < 3) return false;
  parts->db = static_cast<uint8_t>(encoded[0]);
  encoded.remove_prefix(1);
  if (!GetFixed16(&encoded, &parts->slot) || parts->slot >= kNumSlots) return false;
  if (!GetLengthPrefixed(&encoded, &parts->user_key)) return false;
  if (!GetFixed64(&encoded, &parts->version)) return false;
  parts->member_part = encoded;
  return true;
}

}  // namespace cairn
