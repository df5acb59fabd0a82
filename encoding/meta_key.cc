// Encoding of `meta` column family keys.
#include "encoding/meta_key.h"

#include <cstring>

#include "encoding/coding.h"
#include "encoding/key_slot.h"

namespace cairn {

std::string EncodeMetaKey(uint8_t db, uint16_t slot, std::string_view user_key) {
  std::string out(kMetaKeyHeaderSize + user_key.size(), '\0');
  EncodeMetaKeyTo(db, slot, user_key, out.data());
  return out;
}

size_t EncodeMetaKeyTo(uint8_t db, uint16_t slot, std::string_view user_key, char* out) {
  out[0] = static_cast<char>(db);
  out[1] = static_cast<char>(slot >> 8);  // big-endian, as PutFixed16
  out[2] = static_cast<char>(slot & 0xff);
  if (!user_key.empty()) std::memcpy(out + kMetaKeyHeaderSize, user_key.data(), user_key.size());
  return kMetaKeyHeaderSize + user_key.size();
}

std::string EncodeMetaKey(uint8_t db, std::string_view user_key) {
  return EncodeMetaKey(db, KeyHashSlot(user_key), user_key);
}

bool DecodeMetaKey(std::string_view encoded, MetaKeyParts* parts) {
  if (encoded.size() < kMetaKeyHeaderSize) return false;
  parts->db = static_cast<uint8_t>(encoded[0]);
  parts->slot = DecodeFixed16(encoded.data() + 1);
  if (parts->slot >= kNumSlots) return false;
  parts->user_key = encoded.substr(kMetaKeyHeaderSize);
  return true;
}

std::string MetaDbPrefix(uint8_t db) { return std::string(1, static_cast<char>(db)); }

std::string MetaSlotPrefix(uint8_t db, uint16_t slot) { return EncodeMetaKey(db, slot, {}); }

}  // namespace cairn
