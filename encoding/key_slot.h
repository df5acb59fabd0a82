// Redis Cluster hash slots: CRC16 (CCITT/XMODEM) of the key, or of its {hashtag}, mod 16384.
// Every stored key carries its slot so that per-slot work (KEYS, SCAN, migration) is a range.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn {

inline constexpr uint16_t kNumSlots = 16384;

uint16_t Crc16(std::string_view data);

// The slot of a key, honouring hashtags exactly as Redis does: the first '{', then the first
// '}' after it; a non-empty tag between them is hashed instead of the whole key.
uint16_t KeyHashSlot(std::string_view key);

// The slot shared by every key that starts with `prefix`, when the prefix already fixes the
// key's hashtag (it holds a '{' and a later '}' with a non-empty tag between); nullopt else.
std::optional<uint16_t> SlotOfKeysWithPrefix(std::string_view prefix);

}  // namespace cairn
