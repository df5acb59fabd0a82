// Encoding of `meta` column family keys.
#include "encoding/meta_key.h"

#include "encoding/coding.h"
#include "encoding/key_slot.h"

namespace cairn {

std::string EncodeMetaKey(uint8_t db, uint16_t slot, std::string_view user_key) {
  std::string out;
  out.reserve(kMetaKeyHeaderSize + user_key.size());
  out.push_back(static_cast<char>(db));
  PutFixed16(&out, slot);
  out.append(user_key);
  return out;
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
